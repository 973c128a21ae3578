/**
 * The verifier's page (`/verify`, no wallet needed): scan a proof-of-vaccination QR (or open its link
 * `/verify?proof=…`), check it with `checkVaccinationProof` (a view: no transaction, no wallet) and answer a big
 * YES or NO. NO says why (expired, too long-lived, bad signature, no confirmed dose, lot recalled or
 * non-conformant); YES shows the product, the lot and the date of the dose, nothing personal.
 */
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { readContract } from "viem/actions";
import { useClient } from "wagmi";
import { useLocation, useSearch } from "wouter";

import { ProofResult } from "../../../../scripts/lib/vaccine-typed-data.ts";
import { QrScanner } from "../../components/QrScanner.tsx";
import { ErrorNote } from "../../components/TxStatus.tsx";
import { chain } from "../../config.ts";
import { vaccineRegistry } from "../../contracts.ts";
import { useErrorText } from "../../hooks/useErrorText.ts";
import { formatDate, formatDateTime } from "../../lib/format.ts";
import { decodeProof, encodeProof, type VaccinationProof } from "../../lib/qr.ts";
import "./citizen.css";
import { chainNow, fetchDoseRecord } from "./chain.ts";
import { useLots } from "./hooks.ts";
import { proofResultKey } from "./logic.ts";
import { useProductName } from "./Vaccinations.tsx";

type Parsed = { readonly proof: VaccinationProof } | { readonly problem: "badProof" | "wrongChain"; readonly chainId?: number };

function parse(raw: string): Parsed {
  try {
    const proof = decodeProof(raw);
    if (proof.chainId !== chain.id) return { problem: "wrongChain", chainId: proof.chainId };
    return { proof };
  } catch {
    return { problem: "badProof" };
  }
}

function Verdict({ proof }: { readonly proof: VaccinationProof }) {
  const { t, i18n } = useTranslation(["verify", "codes"]);
  const client = useClient();
  const { errorText } = useErrorText();
  const lots = useLots();
  const productName = useProductName();
  const check = useQuery({
    queryKey: ["healthtrace", "verify", proof.citizen, proof.doseId, proof.challenge, proof.validUntil.toString(), proof.signature],
    enabled: client !== undefined,
    staleTime: 0,
    gcTime: 0,
    queryFn: async () => {
      if (client === undefined) throw new Error("no client");
      // "pending": the proof is checked against the chain's time now, even when no block has been mined lately.
      const result = await readContract(client, {
        ...vaccineRegistry,
        functionName: "checkVaccinationProof",
        args: [proof.citizen, proof.doseId, proof.challenge, proof.validUntil, proof.signature],
        blockTag: "pending",
      });
      const [dose, checkedAt] = await Promise.all([
        result === ProofResult.Valid ? fetchDoseRecord(client, proof.doseId) : null,
        chainNow(client),
      ]);
      return { result, dose, checkedAt };
    },
  });

  if (check.isPending) {
    return (
      <p className="tx tx-busy" role="status" aria-busy="true" data-testid="verify-checking">
        {t("checking")}
      </p>
    );
  }
  if (check.isError) return <ErrorNote message={errorText(check.error)} code="verifyRead" />;

  const { result, dose, checkedAt } = check.data;
  const valid = result === ProofResult.Valid;
  const lot = dose === null ? undefined : lots.data?.get(dose.lotId);
  return (
    <div
      className={`verdict ${valid ? "verdict-yes" : "verdict-no"}`}
      role="status"
      data-testid="verify-result"
      data-valid={String(valid)}
      data-result={result}
    >
      <span className="word">{valid ? t("yes") : t("no")}</span>
      <p data-testid="verify-reason">{t(proofResultKey(result))}</p>
      {valid && dose !== null && (
        <dl>
          <dt>{t("product")}</dt>
          <dd data-testid="verify-product">{productName(lot)}</dd>
          <dt>{t("lot")}</dt>
          <dd>
            <code data-testid="verify-lot">{lot?.lotNumber ?? `#${dose.lotId}`}</code>
          </dd>
          <dt>{t("dose")}</dt>
          <dd>{t("doseValue", { n: dose.doseNumber })}</dd>
          <dt>{t("date")}</dt>
          <dd data-testid="verify-date">{formatDate(dose.recordedAt, i18n.language)}</dd>
        </dl>
      )}
      <p className="muted">
        {t("checkedAt", { time: formatDateTime(checkedAt, i18n.language) })}
        {valid && ` · ${t("validUntil", { time: formatDateTime(Number(proof.validUntil), i18n.language) })}`}
      </p>
      <div className="actions" style={{ justifyContent: "center" }}>
        <button type="button" className="secondary" onClick={() => void check.refetch()} data-testid="verify-again">
          {t("again")}
        </button>
      </div>
    </div>
  );
}

export default function VerifyPage() {
  const { t } = useTranslation("verify");
  const search = useSearch();
  const [, navigate] = useLocation();
  const raw = new URLSearchParams(search).get("proof");
  const parsed = raw === null ? null : parse(raw);

  return (
    <div className="page verify-page">
      <h1>{t("title")}</h1>
      <p className="lead">{t("lead")}</p>
      {parsed !== null &&
        ("proof" in parsed ? (
          <Verdict proof={parsed.proof} />
        ) : (
          <div className="verdict verdict-no" role="status" data-testid="verify-result" data-valid="false" data-result={parsed.problem}>
            <span className="word">{t("no")}</span>
            <p data-testid="verify-reason">
              {parsed.problem === "wrongChain" ? t("wrongChain", { chainId: String(parsed.chainId) }) : t("badProof")}
            </p>
          </div>
        ))}
      <section className="panel" aria-labelledby="verify-scan-title">
        <h2 id="verify-scan-title">{parsed === null ? t("scanTitle") : t("scanAnother")}</h2>
        <QrScanner
          accept={["proof"]}
          testId="proof-scanner"
          label={t("typeLink")}
          onCode={(code) => {
            if (code.kind === "proof") navigate(encodeProof("", code.proof));
          }}
        />
      </section>
    </div>
  );
}
