/** Wallet/transport failures as a sentence (no contract ABIs: the shell uses this one). */
import { useCallback } from "react";
import { useTranslation } from "react-i18next";

import { describeAnyWalletError } from "../lib/walletErrors.ts";

export function useWalletErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return useCallback(
    (error: unknown) => {
      const s = describeAnyWalletError(error);
      return t(s.key, s.values);
    },
    [t],
  );
}
