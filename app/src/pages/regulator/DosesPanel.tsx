/**
 * Multi-party verification of dose records: a regulator looks a record up by its id (what the clinic's list and the
 * citizen's proof carry) and verifies it. The card shows what the chain knows of the record — its lot, its place in
 * the lot, the schedule dose, whether the citizen confirmed it, whether it was verified or voided, and the lot's
 * state — and never who the citizen is. A voided or already verified record is refused by the chain with its
 * sentence (the page simulates before the wallet opens), as is an account without the regulator role.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Hex, zeroAddress } from "viem";
import { useReadContract } from "wagmi";
import { Link } from "wouter";

import { ErrorNote, TxStatus } from "../../components/TxStatus.tsx";
import { vaccineRegistry } from "../../contracts.ts";
import { useContractTx } from "../../hooks/useContractTx.ts";
import { useErrorText } from "../../hooks/useErrorText.ts";
import { shortHash } from "../../lib/format.ts";
import { stateBadgeClass } from "./display.ts";
import type { Permission } from "./permission.ts";
import { parseDoseId } from "./validation.ts";

export function DosesPanel({ permission }: { readonly permission: Permission }) {
  const { t } = useTranslation(["regulator", "codes", "errors"]);
  const { errorText } = useErrorText();
  const tx = useContractTx();
  const [input, setInput] = useState("");
  const [doseId, setDoseId] = useState<Hex | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const dose = useReadContract({
    ...vaccineRegistry,
    functionName: "doseOf",
    args: doseId === null ? undefined : [doseId],
    query: { enabled: doseId !== null },
  });
  const locked = !permission.isRegulator;

  const lookUp = () => {
    tx.reset();
    const parsed = parseDoseId(input);
    if (parsed === null) {
      setDoseId(null);
      return setProblem(t("doses.problem.id"));
    }
    setProblem(null);
    setDoseId(parsed);
  };
  const verify = () => {
    if (doseId === null) return;
    // useContractTx refreshes every read once the receipt is in, this record's included.
    void tx.send({ ...vaccineRegistry, functionName: "verifyDose", args: [doseId] });
  };

  const view = dose.data;
  const unknown = view !== undefined && view.citizen === zeroAddress;
  const state = view === undefined || unknown ? null : view.voided ? "voided" : view.verified ? "verified" : view.confirmed ? "confirmed" : "recorded";

  return (
    <div className="panel">
      <h2>{t("doses.title")}</h2>
      <p className="muted">{t("doses.lead")}</p>
      <form
        className="filters"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          lookUp();
        }}
      >
        <div>
          <label htmlFor="dose-id">{t("doses.id")}</label>
          <input
            id="dose-id"
            className="mono"
            value={input}
            placeholder="0x…"
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setInput(e.target.value)}
            data-testid="dose-id"
          />
        </div>
        <div className="actions">
          <button type="submit" className="secondary" data-testid="dose-look-up">
            {t("doses.lookUp")}
          </button>
        </div>
      </form>
      {problem !== null && <ErrorNote message={problem} code="input" />}
      {dose.isError && <ErrorNote message={errorText(dose.error)} code="read" />}
      {doseId !== null && dose.isPending && (
        <p className="muted" aria-busy="true">
          {t("doses.reading")}
        </p>
      )}
      {unknown && <ErrorNote message={t("errors:contract.VaccineRegistryUnknownDose", { doseId })} code="VaccineRegistryUnknownDose" />}
      {view !== undefined && !unknown && doseId !== null && state !== null && (
        <div className="card dose" data-testid="dose-card" data-state={state} data-lot-id={view.lotId}>
          <div className="lot-head">
            <strong className="mono">{t("doses.record", { id: shortHash(doseId) })}</strong>
            <span className={state === "voided" ? "badge err" : state === "verified" ? "badge ok" : "badge"} data-testid="dose-state">
              {t(`doses.state.${state}`)}
            </span>
          </div>
          <dl className="facts">
            <dt>{t("doses.lot")}</dt>
            <dd>
              <Link href={`/lot/${view.lotId}`}>{t("doses.lotLink", { id: view.lotId })}</Link>{" "}
              <span className={stateBadgeClass(view.lotState)}>{t(`codes:lotState.${view.lotState}`)}</span>
            </dd>
            <dt>{t("doses.sequence")}</dt>
            <dd>{t("doses.sequenceValue", { sequence: view.sequence })}</dd>
            <dt>{t("doses.doseNumber")}</dt>
            <dd>{t("doses.doseNumberValue", { n: view.doseNumber })}</dd>
            <dt>{t("doses.confirmed")}</dt>
            <dd data-testid="dose-confirmed" data-confirmed={view.confirmed}>
              {t(view.confirmed ? "doses.yes" : "doses.no")}
            </dd>
          </dl>
          <p className="muted">{t("doses.privacy")}</p>
          {state !== "verified" && state !== "voided" && (
            <div className="actions">
              <button
                type="button"
                aria-disabled={locked}
                title={locked ? t("role.neededShort") : undefined}
                disabled={tx.busy}
                data-testid="dose-verify"
                onClick={verify}
              >
                {t("doses.verify")}
              </button>
            </div>
          )}
          <TxStatus state={tx.state} />
        </div>
      )}
    </div>
  );
}
