/**
 * Proof of vaccination: the citizen picks a confirmed dose and signs an EIP-712 `VaccinationProof` over a fresh
 * random challenge, valid for the contract's MAX_PROOF_LIFETIME (5 minutes) from the chain's "now". The QR
 * carries the verifier link (`/verify?proof=…`); it reveals the wallet address and the dose id only, never a name
 * or any health data. A countdown shows how long it is valid.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Address, bytesToHex, type Hex } from "viem";
import { readContract } from "viem/actions";
import { useClient, useConfig } from "wagmi";
import { signTypedData } from "wagmi/actions";

import { VACCINE_DOMAIN, VACCINE_TYPES } from "../../../../scripts/lib/vaccine-typed-data.ts";
import { QrImage } from "../../components/QrImage.tsx";
import { ErrorNote } from "../../components/TxStatus.tsx";
import { chain } from "../../config.ts";
import { vaccineRegistry } from "../../contracts.ts";
import { useErrorText } from "../../hooks/useErrorText.ts";
import { formatDate } from "../../lib/format.ts";
import { encodeProof, type VaccinationProof } from "../../lib/qr.ts";
import { chainNow } from "./chain.ts";
import { useCitizenDoses, useLots } from "./hooks.ts";
import { doseCanProve, formatCountdown, proofValidUntil } from "./logic.ts";
import { useProductName } from "./Vaccinations.tsx";

interface MadeProof {
  readonly proof: VaccinationProof;
  readonly link: string;
  /** Chain time minus wall-clock time when it was made (the local chain may run behind the clock). */
  readonly clockOffset: number;
}

function useSecondsLeft(made: MadeProof | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (made === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [made]);
  if (made === null) return 0;
  return Number(made.proof.validUntil) - (Math.floor(now / 1000) + made.clockOffset);
}

export function ProofOfVaccination({ citizen }: { readonly citizen: Address }) {
  const { t, i18n } = useTranslation("citizen");
  const config = useConfig();
  const client = useClient();
  const { errorText } = useErrorText();
  const doses = useCitizenDoses(citizen);
  const lots = useLots();
  const productName = useProductName();
  const provable = (doses.data ?? []).filter((d) => doseCanProve({ ...d, lotState: lots.data?.get(d.lotId)?.state ?? d.lotState }));
  const [doseId, setDoseId] = useState<Hex | "">("");
  const [state, setState] = useState<"idle" | "signing" | "failed">("idle");
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<MadeProof | null>(null);
  const secondsLeft = useSecondsLeft(made);

  const selected: Hex | "" = doseId !== "" && provable.some((d) => d.doseId === doseId) ? doseId : (provable.at(0)?.doseId ?? "");

  const make = async () => {
    if (client === undefined) return;
    if (selected === "") {
      setState("failed");
      setError(t("proof.noDose"));
      return;
    }
    setState("signing");
    setError(null);
    setMade(null);
    try {
      const [now, lifetime] = await Promise.all([
        chainNow(client),
        readContract(client, { ...vaccineRegistry, functionName: "MAX_PROOF_LIFETIME" }),
      ]);
      const challenge = bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
      const validUntil = proofValidUntil(now, Number(lifetime));
      const signature = await signTypedData(config, {
        account: citizen,
        domain: { ...VACCINE_DOMAIN, chainId: chain.id, verifyingContract: vaccineRegistry.address },
        types: VACCINE_TYPES,
        primaryType: "VaccinationProof",
        message: { citizen, doseId: selected, challenge, validUntil },
      });
      const proof: VaccinationProof = { chainId: chain.id, citizen, doseId: selected, challenge, validUntil, signature };
      setMade({ proof, link: encodeProof(window.location.origin, proof), clockOffset: now - Math.floor(Date.now() / 1000) });
      setState("idle");
    } catch (e) {
      setState("failed");
      setError(errorText(e));
    }
  };

  const expired = made !== null && secondsLeft <= 0;

  return (
    <section className="panel" aria-labelledby="proof-title" data-testid="proof">
      <h2 id="proof-title">{t("proof.title")}</h2>
      <p className="muted">{t("proof.lead")}</p>
      {doses.isPending ? (
        <p className="muted" aria-busy="true">{t("common:loading")}</p>
      ) : provable.length === 0 ? (
        <p className="muted" data-testid="proof-none">{t("proof.none")}</p>
      ) : (
        <>
          <label htmlFor="proof-dose">{t("proof.dose")}</label>
          <select id="proof-dose" value={selected} onChange={(e) => setDoseId(e.target.value as Hex)} data-testid="proof-dose">
            {provable.map((d) => {
              const lot = lots.data?.get(d.lotId);
              return (
                <option key={d.doseId} value={d.doseId}>
                  {t("proof.doseOption", {
                    product: productName(lot),
                    n: d.doseNumber,
                    date: formatDate(d.recordedAt, i18n.language),
                  })}
                </option>
              );
            })}
          </select>
          <div className="actions">
            <button type="button" onClick={() => void make()} disabled={state === "signing"} data-testid="proof-make">
              {made === null ? t("proof.make") : t("proof.makeAgain")}
            </button>
          </div>
        </>
      )}
      {state === "signing" && (
        <p className="tx tx-busy" role="status" data-tx="signing">
          {t("proof.signing")}
        </p>
      )}
      {state === "failed" && error !== null && <ErrorNote message={error} code="proof" />}
      {made !== null && (
        <div className={`proof-card${expired ? " proof-expired" : ""}`} data-testid="proof-card">
          {expired ? (
            <p className="warning" role="status" data-testid="proof-expired">
              {t("proof.expired")}
            </p>
          ) : (
            <>
              <QrImage value={made.link} label={t("proof.qrLabel")} size={260} testId="proof-qr" />
              <p className="countdown" role="timer" data-testid="proof-countdown">
                {t("proof.validFor", { time: formatCountdown(secondsLeft) })}
              </p>
              <p className="muted">{t("proof.privacy")}</p>
              <a href={made.link} target="_blank" rel="noreferrer" data-testid="proof-link" className="proof-link">
                {t("proof.open")}
              </a>
            </>
          )}
        </div>
      )}
    </section>
  );
}
