/**
 * Every vaccine lot with its state, its attestations against its release quorum, and the regulator's actions:
 * attest (lot-attesters other than the manufacturer, once each), recall with a reason, quarantine with a reason and
 * an evidence reference (only its keccak256 hash goes on chain); and the release quorum of lots registered from now
 * on (a lot keeps the quorum it was registered with).
 */
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { ErrorNote, TxStatus } from "../../components/TxStatus.tsx";
import { vaccineRegistry } from "../../contracts.ts";
import { useContractTx } from "../../hooks/useContractTx.ts";
import { useErrorText } from "../../hooks/useErrorText.ts";
import { useOrganisationNames } from "../../hooks/useOrganisations.ts";
import { formatDate, shortAddress, shortHash } from "../../lib/format.ts";
import { LOT_REASON_LABELS, LotState } from "../../../../scripts/lib/vaccines.ts";
import { productName, stateBadgeClass } from "./display.ts";
import { useLots } from "./hooks.ts";
import type { Permission } from "./permission.ts";
import type { LotRow } from "./reads.ts";
import { evidenceHash, MAX_EVIDENCE_LENGTH, MAX_RELEASE_QUORUM, quorumProblem } from "./validation.ts";

const STATES = [LotState.PendingRelease, LotState.Active, LotState.Recalled, LotState.NonConformant, LotState.Expired] as const;
const REASONS = Object.keys(LOT_REASON_LABELS).map(Number);

export function LotsPanel({ permission }: { readonly permission: Permission }) {
  const { t, i18n } = useTranslation(["regulator", "codes"]);
  const { errorText } = useErrorText();
  const lots = useLots();
  const [query, setQuery] = useState("");
  const [state, setState] = useState("");

  const filtered = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (lots.data?.lots ?? []).filter(
      (l) =>
        (state === "" || l.state === Number(state)) &&
        (q === "" || [l.lotNumber, l.gtin, String(l.id), productName(l.gtin, i18n.language) ?? ""].join(" ").toLowerCase().includes(q)),
    );
  }, [lots.data, query, state, i18n.language]);

  return (
    <div className="panel">
      <h2>{t("lots.title")}</h2>
      {lots.data !== undefined && <ReleaseQuorum current={lots.data.releaseQuorum} permission={permission} />}
      <div className="filters">
        <div>
          <label htmlFor="lot-search">{t("lots.search")}</label>
          <input
            id="lot-search"
            type="search"
            value={query}
            placeholder={t("lots.searchPlaceholder")}
            onChange={(e) => setQuery(e.target.value)}
            data-testid="lot-search"
          />
        </div>
        <div>
          <label htmlFor="lot-state-filter">{t("lots.stateFilter")}</label>
          <select id="lot-state-filter" value={state} onChange={(e) => setState(e.target.value)} data-testid="lot-state-filter">
            <option value="">{t("lots.allStates")}</option>
            {STATES.map((s) => (
              <option key={s} value={String(s)}>
                {t(`codes:lotState.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {lots.isPending ? (
        <p className="muted" aria-busy="true">
          {t("lots.loading")}
        </p>
      ) : lots.isError ? (
        <ErrorNote message={errorText(lots.error)} />
      ) : (
        <>
          <p className="muted" data-testid="lot-count">
            {t("lots.count", { shown: filtered.length, total: lots.data.lots.length })}
          </p>
          {filtered.length === 0 ? (
            <p className="muted">{t("lots.none")}</p>
          ) : (
            <ul className="lot-list">
              {filtered.map((lot) => (
                <LotCard key={lot.id} lot={lot} permission={permission} />
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

/** The quorum a lot registered now needs, and (for the regulator) a form to change it. */
function ReleaseQuorum({ current, permission }: { readonly current: number; readonly permission: Permission }) {
  const { t } = useTranslation("regulator");
  const tx = useContractTx();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(String(current));
  const [problem, setProblem] = useState<string | null>(null);
  const locked = !permission.isRegulator;

  const submit = () => {
    const check = quorumProblem(value, current);
    if (check !== null) return setProblem(t(`lots.quorumForm.problem.${check}`, { current, max: MAX_RELEASE_QUORUM }));
    setProblem(null);
    void tx.send({ ...vaccineRegistry, functionName: "setReleaseQuorum", args: [Number(value)] }).then((receipt) => {
      if (receipt !== null) setOpen(false);
    });
  };

  return (
    <div className="quorum" data-testid="release-quorum-panel">
      <p className="muted" data-testid="release-quorum" data-quorum={current}>
        {t("lots.quorum", { count: current })}{" "}
        {!open && (
          <button
            type="button"
            className="link"
            aria-disabled={locked}
            title={locked ? t("role.neededShort") : undefined}
            data-testid="quorum-change"
            onClick={() => {
              tx.reset();
              setProblem(null);
              setValue(String(current));
              setOpen(true);
            }}
          >
            {t("lots.quorumForm.change")}
          </button>
        )}
      </p>
      {open && (
        <form
          className="filters"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <div>
            <label htmlFor="quorum-value">{t("lots.quorumForm.label")}</label>
            <input
              id="quorum-value"
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_RELEASE_QUORUM}
              step={1}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              data-testid="quorum-value"
            />
            <small className="muted">{t("lots.quorumForm.hint")}</small>
          </div>
          <div className="actions">
            <button type="submit" disabled={tx.busy} data-testid="quorum-submit">
              {t("lots.quorumForm.submit")}
            </button>
            <button type="button" className="secondary" disabled={tx.busy} onClick={() => setOpen(false)}>
              {t("cancel")}
            </button>
          </div>
        </form>
      )}
      {problem !== null && <ErrorNote message={problem} code="input" />}
      <TxStatus state={tx.state} />
    </div>
  );
}

type Open = null | "recall" | "quarantine";

function LotCard({ lot, permission }: { readonly lot: LotRow; readonly permission: Permission }) {
  const { t, i18n } = useTranslation(["regulator", "codes"]);
  const names = useOrganisationNames();
  const tx = useContractTx();
  const [open, setOpen] = useState<Open>(null);
  const [reason, setReason] = useState("");
  const [evidence, setEvidence] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const language = i18n.language;
  const nameOf = (a: string) => names.get(a.toLowerCase()) ?? shortAddress(a);
  const me = permission.address?.toLowerCase();
  const isManufacturer = me !== undefined && me === lot.manufacturer.toLowerCase();
  const myAttestation = lot.attesters.find((a) => a.address.toLowerCase() === me);
  const pending = lot.state === LotState.PendingRelease;
  const canAttest = permission.isAttester && pending && !isManufacturer && myAttestation?.attested !== true;
  const locked = !permission.isRegulator;
  const lockedTitle = locked ? t("role.neededShort") : undefined;
  const hash = evidenceHash(evidence);

  const start = (which: Open) => {
    tx.reset();
    setProblem(null);
    setReason("");
    setEvidence("");
    setOpen(which);
  };
  const done = (receipt: unknown) => {
    if (receipt !== null) setOpen(null);
  };
  const recall = () => {
    if (reason === "") return setProblem(t("lots.problem.reason"));
    setProblem(null);
    void tx.send({ ...vaccineRegistry, functionName: "recallLot", args: [lot.id, Number(reason)] }).then(done);
  };
  const quarantine = () => {
    if (reason === "") return setProblem(t("lots.problem.reason"));
    if (hash === null) {
      return setProblem(evidence.trim() === "" ? t("lots.problem.evidenceEmpty") : t("lots.problem.evidenceTooLong", { max: MAX_EVIDENCE_LENGTH }));
    }
    setProblem(null);
    void tx.send({ ...vaccineRegistry, functionName: "quarantineLot", args: [lot.id, Number(reason), hash] }).then(done);
  };

  return (
    <li className="card lot" data-testid={`lot-${lot.id}`} data-lot-number={lot.lotNumber} data-state={lot.state}>
      <div className="lot-head">
        <div>
          <strong>{productName(lot.gtin, language) ?? t("lots.unknownProduct", { gtin: lot.gtin })}</strong>
          <div className="muted">{t("lots.identity", { lot: lot.lotNumber, gtin: lot.gtin, id: lot.id })}</div>
        </div>
        <span className={stateBadgeClass(lot.state)} data-testid="lot-state" data-state={lot.state}>
          {t(`codes:lotState.${lot.state}`)}
        </span>
      </div>
      {lot.flag !== null && (
        <p className={lot.flag.kind === "recalled" ? "lot-flag err" : "lot-flag"} data-testid="lot-flag">
          {t(lot.flag.kind === "recalled" ? "lots.recalledFor" : "lots.nonConformantFor", { reason: t(`codes:lotReason.${lot.flag.reason}`) })}
        </p>
      )}
      <dl className="facts">
        <dt>{t("lots.manufacturer")}</dt>
        <dd>{nameOf(lot.manufacturer)}</dd>
        <dt>{t("lots.expiry")}</dt>
        <dd>{formatDate(lot.expiresAt, language)}</dd>
        <dt>{t("lots.doses")}</dt>
        <dd>{t("lots.dosesValue", { recorded: lot.dosesRecorded, total: lot.doseCount })}</dd>
        <dt>{t("lots.attestations")}</dt>
        <dd>
          <span data-testid="lot-attestations" data-attestations={lot.attestations} data-quorum={lot.quorum}>
            {t("lots.attestationsValue", { count: lot.attestations, quorum: lot.quorum })}
          </span>
          <ul className="attesters">
            {lot.attesters.map((a) => (
              <li key={a.address} data-attested={a.attested}>
                <span aria-hidden="true">{a.attested ? "✓" : "○"}</span>{" "}
                {t(a.attested ? "lots.attested" : "lots.notAttested", { name: nameOf(a.address) })}
              </li>
            ))}
          </ul>
        </dd>
      </dl>

      {open === null && (
        <div className="actions">
          {canAttest && (
            <button type="button" disabled={tx.busy} data-testid="lot-attest" onClick={() => void tx.send({ ...vaccineRegistry, functionName: "attestLot", args: [lot.id] })}>
              {t("lots.attest")}
            </button>
          )}
          {pending && permission.isAttester && isManufacturer && <span className="muted">{t("lots.ownLot")}</span>}
          {pending && permission.isAttester && myAttestation?.attested === true && <span className="muted">{t("lots.youAttested")}</span>}
          {lot.state !== LotState.Recalled && (
            <button type="button" className="danger-outline" aria-disabled={locked} title={lockedTitle} data-testid="lot-recall" onClick={() => start("recall")}>
              {t("lots.recall")}
            </button>
          )}
          {lot.state !== LotState.Recalled && lot.state !== LotState.NonConformant && (
            <button
              type="button"
              className="secondary"
              aria-disabled={locked}
              title={lockedTitle}
              data-testid="lot-quarantine"
              onClick={() => start("quarantine")}
            >
              {t("lots.quarantine")}
            </button>
          )}
          <Link href={`/lot/${lot.id}`} className="button-like secondary" data-testid="lot-open">
            {t("lots.open")}
          </Link>
        </div>
      )}

      {open !== null && (
        <form
          className="confirm"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (open === "recall") recall();
            else quarantine();
          }}
        >
          <p>{t(open === "recall" ? "lots.recallExplain" : "lots.quarantineExplain", { lot: lot.lotNumber, doses: lot.dosesRecorded })}</p>
          <label htmlFor={`reason-${lot.id}`}>{t("lots.reason")}</label>
          <select id={`reason-${lot.id}`} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="lot-reason">
            <option value="">{t("lots.chooseReason")}</option>
            {REASONS.map((r) => (
              <option key={r} value={String(r)}>
                {t(`codes:lotReason.${r}`)}
              </option>
            ))}
          </select>
          {open === "quarantine" && (
            <>
              <label htmlFor={`evidence-${lot.id}`}>{t("lots.evidence")}</label>
              <input
                id={`evidence-${lot.id}`}
                value={evidence}
                placeholder={t("lots.evidencePlaceholder")}
                onChange={(e) => setEvidence(e.target.value)}
                data-testid="lot-evidence"
              />
              <p className="muted small">
                {t("lots.evidenceNote")}{" "}
                {hash !== null && (
                  <code data-testid="lot-evidence-hash" data-hash={hash}>
                    {shortHash(hash)}
                  </code>
                )}
              </p>
            </>
          )}
          {problem !== null && <ErrorNote message={problem} code="input" />}
          <div className="actions">
            <button type="submit" className={open === "recall" ? "danger" : ""} disabled={tx.busy} data-testid={`lot-confirm-${open}`}>
              {t(open === "recall" ? "lots.confirmRecall" : "lots.confirmQuarantine")}
            </button>
            <button type="button" className="secondary" disabled={tx.busy} onClick={() => setOpen(null)}>
              {t("cancel")}
            </button>
          </div>
        </form>
      )}
      <TxStatus state={tx.state} />
    </li>
  );
}
