/** Small pieces shared by the sections of the records page. */
import { useTranslation } from "react-i18next";

import type { RecordStatus } from "../../lib/vault.ts";
import type { Problem } from "./useVault.ts";

/** A refusal of the vault (or any failure of a vault step), as a sentence in the user's language. */
export function VaultRefusal({ problem }: { readonly problem: Problem }) {
  return (
    <p className="tx tx-error" role="alert" data-testid="vault-refusal" data-code={problem.code}>
      {problem.message}
    </p>
  );
}

export function StatusBadge({ status }: { readonly status: RecordStatus }) {
  const { t } = useTranslation("records");
  const tone = status === "anchored" ? "ok" : status === "awaiting-anchor" ? "warn" : "err";
  return (
    <span className={`badge ${tone}`} data-testid="record-status" data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}
