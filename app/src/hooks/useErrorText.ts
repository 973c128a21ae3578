/** Turns any error into a sentence in the current language (see lib/errors.ts). */
import { useCallback } from "react";
import { useTranslation } from "react-i18next";

import { allAbis } from "../contracts.ts";
import { describeError, type ErrorSentence } from "../lib/errors.ts";
import { shortAddress } from "../lib/format.ts";
import { useOrganisationNames } from "./useOrganisations.ts";

export function useErrorText(): {
  describe: (error: unknown) => ErrorSentence;
  text: (sentence: ErrorSentence) => string;
  errorText: (error: unknown) => string;
} {
  const { t, i18n } = useTranslation();
  const names = useOrganisationNames();
  const describe = useCallback(
    (error: unknown) =>
      describeError(error, allAbis, {
        address: (a) => names.get(a.toLowerCase()) ?? shortAddress(a),
        dateTime: (s) =>
          new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" }).format(new Date(s * 1000)),
        role: (r) => t(`codes:role.${r}`),
        lotState: (s) => t(`codes:lotState.${String(s)}`),
      }),
    [i18n.language, names, t],
  );
  const text = useCallback((s: ErrorSentence) => t(s.key, s.values), [t]);
  const errorText = useCallback((e: unknown) => text(describe(e)), [describe, text]);
  return { describe, text, errorText };
}
