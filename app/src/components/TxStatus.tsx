/** The state of one contract write, as the user sees it (see hooks/useContractTx.ts). */
import { useTranslation } from "react-i18next";

import type { TxState } from "../hooks/useContractTx.ts";
import { useErrorText } from "../hooks/useErrorText.ts";
import { shortHash } from "../lib/format.ts";

export function TxStatus({ state }: { readonly state: TxState }) {
  const { t } = useTranslation();
  const { text } = useErrorText();
  switch (state.status) {
    case "idle":
      return null;
    case "simulating":
      return <p className="tx tx-busy" role="status" data-tx="simulating">{t("tx.simulating")}</p>;
    case "signing":
      return <p className="tx tx-busy" role="status" data-tx="signing">{t("tx.signing")}</p>;
    case "pending":
      return (
        <p className="tx tx-busy" role="status" data-tx="pending">
          {t("tx.pending", { hash: shortHash(state.hash) })}
        </p>
      );
    case "replaced":
      return (
        <p className="tx tx-busy" role="status" data-tx="replaced">
          {t("tx.replaced", { hash: shortHash(state.hash), previous: shortHash(state.previous) })}
        </p>
      );
    case "confirmed":
      return (
        <p className="tx tx-ok" role="status" data-tx="confirmed">
          {t("tx.confirmed", { hash: shortHash(state.hash), block: state.receipt.blockNumber.toString() })}
        </p>
      );
    case "failed":
      return (
        <p className="tx tx-error" role="alert" data-tx="failed" data-error={state.error.errorName ?? state.error.key}>
          {text(state.error)}
        </p>
      );
  }
}

/** A refusal or failure that is not a transaction (a read, a parse, a form check). */
export function ErrorNote({ message, code }: { readonly message: string; readonly code?: string }) {
  return (
    <p className="tx tx-error" role="alert" data-error={code}>
      {message}
    </p>
  );
}
