/**
 * The citizen's page (`/citizen`): the connected wallet is the citizen. My vaccinations (with recall warnings
 * and confirmation), a proof of vaccination for a verifier, consent (grant by transaction or by a relayed
 * signature, current grants with one-click revoke, the timeline of grants, revocations and reads), the anchors of
 * my records, and my wallet's QR for the clinic.
 */
import { useTranslation } from "react-i18next";
import { useConnection } from "wagmi";

import "./citizen.css";
import { ConsentTimeline, Grants } from "./Consent.tsx";
import { GrantForm } from "./GrantForm.tsx";
import { ProofOfVaccination } from "./Proof.tsx";
import { Records } from "./Records.tsx";
import { Vaccinations } from "./Vaccinations.tsx";
import { WalletQr } from "./WalletQr.tsx";

export default function CitizenPage() {
  const { t } = useTranslation("citizen");
  const { address, status } = useConnection();
  return (
    <div className="page citizen-page">
      <h1>{t("title")}</h1>
      <p className="lead">{t("lead")}</p>
      {status !== "connected" || address === undefined ? (
        <p className="warning" data-testid="connect-first">
          {t("connectFirst")}
        </p>
      ) : (
        <>
          <nav className="jump no-print" aria-label={t("jump.label")}>
            <a href="#vaccinations-title">{t("vaccinations.title")}</a>
            <a href="#proof-title">{t("proof.title")}</a>
            <a href="#grant-title">{t("grant.title")}</a>
            <a href="#grants-title">{t("grants.title")}</a>
            <a href="#timeline-title">{t("timeline.title")}</a>
            <a href="#records-title">{t("records.title")}</a>
            <a href="#wallet-qr-title">{t("wallet.title")}</a>
          </nav>
          <Vaccinations citizen={address} />
          <ProofOfVaccination citizen={address} />
          <div className="grid-2">
            <GrantForm />
            <Grants citizen={address} />
          </div>
          <ConsentTimeline citizen={address} />
          <Records citizen={address} />
          <WalletQr address={address} />
        </>
      )}
    </div>
  );
}
