/** The state of a signed grant or revocation: the shared transaction states plus "the relayer has it". */
import { useTranslation } from "react-i18next";

import { TxStatus } from "../../components/TxStatus.tsx";
import type { RelayState } from "./useSignedConsent.ts";

export function RelayStatus({ state }: { readonly state: RelayState }) {
  const { t } = useTranslation("citizen");
  if (state.status === "relaying") {
    return (
      <p className="tx tx-busy" role="status" data-tx="relaying">
        {t("relay.relaying")}
      </p>
    );
  }
  return <TxStatus state={state} />;
}
