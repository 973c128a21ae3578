/**
 * The records page (`/records`): health records through the record vault (vault/). Everyone signs in to the
 * vault with their wallet (EIP-4361). What follows depends on who is connected: an organisation holding
 * RECORD_ISSUER_ROLE files records (the text to the vault only, the hash anchored from its own wallet); any
 * organisation reads records a citizen shared with it (each read logged on chain, refusals worded); a citizen
 * reads their own records and the vault's log of who read them. The chain still decides every read.
 */
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useClient, useConnection } from "wagmi";

import { useOrganisations } from "../../hooks/useOrganisations.ts";
import "./records.css";
import { isRecordIssuer } from "./chain.ts";
import { CitizenVault } from "./CitizenVault.tsx";
import { Reader } from "./Reader.tsx";
import { SignIn } from "./SignIn.tsx";
import { Upload } from "./Upload.tsx";
import { useVaultSession, type VaultAccess } from "./useVault.ts";

export default function RecordsPage() {
  const { t } = useTranslation("records");
  const { address, status } = useConnection();
  return (
    <div className="page records-page">
      <h1>{t("title")}</h1>
      <p className="lead">{t("lead")}</p>
      {status !== "connected" || address === undefined ? (
        <p className="warning" data-testid="connect-first">
          {t("connectFirst")}
        </p>
      ) : (
        <Connected address={address} />
      )}
    </div>
  );
}

function Connected({ address }: { readonly address: `0x${string}` }) {
  const { t } = useTranslation("records");
  const client = useClient();
  const vault = useVaultSession();
  const organisations = useOrganisations();
  const issuer = useQuery({
    queryKey: ["healthtrace", "recordIssuer", address],
    enabled: client !== undefined,
    queryFn: () => (client === undefined ? false : isRecordIssuer(client, address)),
  });
  if (organisations.isPending || issuer.isPending) {
    return (
      <p className="muted" aria-busy="true">
        {t("roles.checking")}
      </p>
    );
  }
  const isOrganisation = (organisations.data ?? []).some((o) => o.address.toLowerCase() === address.toLowerCase());
  const isProvider = issuer.data === true;
  const role = isProvider ? "provider" : isOrganisation ? "reader" : "citizen";
  return (
    <div className="records-sections" data-testid="records-role" data-role={role}>
      <p className="muted">{t(`roles.${role}`)}</p>
      <SignIn vault={vault} />
      {isProvider && <Upload vault={vault} isProvider />}
      {isOrganisation && <Reader vault={vault} />}
      {!isOrganisation && <CitizenVault vault={vault} />}
      {!isProvider && <OthersUpload vault={vault} />}
    </div>
  );
}

/** Not a record issuer: the upload form stays reachable, folded, and the vault's refusal explains why it fails. */
function OthersUpload({ vault }: { readonly vault: VaultAccess }) {
  const { t } = useTranslation("records");
  return (
    <details className="records-fold" data-testid="upload-fold">
      <summary>{t("upload.title")}</summary>
      <Upload vault={vault} isProvider={false} />
    </details>
  );
}
