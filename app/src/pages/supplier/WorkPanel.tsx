/**
 * The work panel of one shipment (opened by scanning its label, or from a list): its facts, then what the
 * connected organisation may do with it — record the next custody step, propose a hand-over, accept or reject
 * one proposed to it, check the label at one of its locations (and report a suspect scan) — and its history.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { isAddress, parseEventLogs } from "viem";
import { useClient } from "wagmi";

import { ErrorNote, TxStatus } from "../../components/TxStatus.tsx";
import { provenanceRegistry } from "../../contracts.ts";
import { useContractTx } from "../../hooks/useContractTx.ts";
import { useErrorText } from "../../hooks/useErrorText.ts";
import { useOrganisations } from "../../hooks/useOrganisations.ts";
import { BIZ_STEPS, DISPOSITIONS, formatCelsius, REJECT_REASONS } from "../../../../scripts/lib/steps.ts";
import { checkScan, latestBlockTime } from "./chain.ts";
import { useNames, useShipment } from "./hooks.ts";
import {
  type Address,
  exists,
  gln13,
  type Hex,
  historySummary,
  type Identity,
  type Location,
  outOfRange,
  type Problem,
  productOfGtin,
  searchOrganisations,
  shipmentState,
  type ShipmentView,
  stateTone,
  temperatureCheck,
  validateStep,
  ZERO_ADDRESS,
} from "./model.ts";
import { Timeline } from "./Timeline.tsx";
import { FieldError, lotPath, ShipmentLabel, useProblemText } from "./ui.tsx";
import type { SupplierRoles } from "./chain.ts";

const same = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();

function LocationSelect({
  id,
  locations,
  value,
  onChange,
  testId,
}: {
  readonly id: string;
  readonly locations: readonly Location[];
  readonly value: string;
  readonly onChange: (v: string) => void;
  readonly testId: string;
}) {
  const { i18n } = useTranslation();
  const zh = !i18n.language.startsWith("en");
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      {locations.map((l) => (
        <option key={l.gln.toString()} value={l.gln.toString()}>
          {zh && l.localName !== null ? l.localName : l.name} · {gln13(l.gln)}
        </option>
      ))}
    </select>
  );
}

/** Sensible first choices of the step form, by role. */
function defaultStep(roles: SupplierRoles | undefined): { bizStep: string; disposition: string } {
  if (roles?.manufacturer === true) return { bizStep: "3", disposition: "1" }; // shipping · in_transit
  if (roles?.carrier === true) return { bizStep: "5", disposition: "1" }; // transporting · in_transit
  if (roles?.warehouse === true) return { bizStep: "10", disposition: "0" }; // storing · active
  return { bizStep: "7", disposition: "0" }; // receiving · active
}

function RecordStep({
  shipmentId,
  view,
  locations,
  roles,
}: {
  readonly shipmentId: Hex;
  readonly view: ShipmentView;
  readonly locations: readonly Location[];
  readonly roles: SupplierRoles | undefined;
}) {
  const { t } = useTranslation(["supplier", "codes"]);
  const id = useId();
  const client = useClient();
  const tx = useContractTx();
  const { errorText } = useErrorText();
  const initial = defaultStep(roles);
  const [bizStep, setBizStep] = useState(initial.bizStep);
  const [disposition, setDisposition] = useState(initial.disposition);
  const [gln, setGln] = useState(locations[0]?.gln.toString() ?? "");
  const [temperature, setTemperature] = useState("");
  const [problems, setProblems] = useState<Partial<Record<"bizStep" | "disposition" | "gln" | "temperature", Problem>>>({});
  const [readError, setReadError] = useState<string | null>(null);
  const [excursion, setExcursion] = useState<number | null>(null);

  const typed = temperatureCheck(temperature, true);
  const willBreak = "centi" in typed && outOfRange(typed.centi, view);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    tx.reset();
    setReadError(null);
    setExcursion(null);
    // Checked before anything else: nothing is read or sent for a malformed form.
    const pre = validateStep({ bizStep, disposition, gln, temperature }, locations.map((l) => l.gln), 1);
    if ("problems" in pre) {
      setProblems(pre.problems);
      return;
    }
    setProblems({});
    if (client === undefined) return;
    let eventTime: number;
    try {
      // Now, but never after the chain's latest block (the registry refuses a step dated after its block time).
      eventTime = Math.min(Math.floor(Date.now() / 1000), await latestBlockTime(client));
    } catch (error) {
      setReadError(errorText(error));
      return;
    }
    const checked = validateStep({ bizStep, disposition, gln, temperature }, locations.map((l) => l.gln), eventTime);
    if ("problems" in checked) {
      setProblems(checked.problems);
      return;
    }
    const receipt = await tx.send({ ...provenanceRegistry, functionName: "recordStep", args: [shipmentId, checked.word] });
    if (receipt !== null) {
      const logs = parseEventLogs({ abi: provenanceRegistry.abi, logs: receipt.logs, eventName: "ColdChainExcursion" });
      setExcursion(logs.length > 0 ? logs[0].args.temperatureCentiC : null);
      setTemperature("");
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="form-grid" data-testid="step-form">
      <div className="field">
        <label htmlFor={`${id}-biz`}>{t("step.bizStep")}</label>
        <select id={`${id}-biz`} value={bizStep} onChange={(e) => setBizStep(e.target.value)} data-testid="step-bizstep">
          {BIZ_STEPS.map((s) => (
            <option key={s.code} value={s.code}>
              {t(`codes:bizStep.${s.code}`)}
            </option>
          ))}
        </select>
        <FieldError problem={problems.bizStep} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-disp`}>{t("step.disposition")}</label>
        <select id={`${id}-disp`} value={disposition} onChange={(e) => setDisposition(e.target.value)} data-testid="step-disposition">
          {DISPOSITIONS.map((d) => (
            <option key={d.code} value={d.code}>
              {t(`codes:disposition.${d.code}`)}
            </option>
          ))}
        </select>
        <FieldError problem={problems.disposition} />
      </div>
      <div className="field wide">
        <label htmlFor={`${id}-loc`}>{t("step.location")}</label>
        <LocationSelect id={`${id}-loc`} locations={locations} value={gln} onChange={setGln} testId="step-location" />
        <FieldError problem={problems.gln} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-temp`}>{t("step.temperature")}</label>
        <input
          id={`${id}-temp`}
          value={temperature}
          onChange={(e) => setTemperature(e.target.value)}
          inputMode="decimal"
          autoComplete="off"
          placeholder={t("step.temperaturePlaceholder")}
          aria-invalid={problems.temperature !== undefined}
          aria-describedby={`${id}-temp-hint`}
          data-testid="step-temperature-input"
        />
        <p className="muted small" id={`${id}-temp-hint`}>
          {view.coldChain
            ? t("step.rangeHint", { min: formatCelsius(view.minTempCentiC), max: formatCelsius(view.maxTempCentiC) })
            : t("step.noRangeHint")}
        </p>
        {willBreak && <p className="warning" data-testid="step-excursion-warning">{t("step.willBreak")}</p>}
        <FieldError problem={problems.temperature} />
      </div>
      <p className="muted small wide">{t("step.timeNote")}</p>
      <div className="actions wide">
        <button type="submit" disabled={tx.busy} data-testid="step-submit">
          {t("step.submit")}
        </button>
      </div>
      <div className="wide">
        {readError !== null && <ErrorNote message={readError} />}
        <TxStatus state={tx.state} />
        {excursion !== null && (
          <p className="alert-strong" role="alert" data-testid="step-excursion-recorded">
            {t("step.excursionRecorded", { temperature: formatCelsius(excursion) })}
          </p>
        )}
      </div>
    </form>
  );
}

function ProposeHandover({ shipmentId, me }: { readonly shipmentId: Hex; readonly me: Address }) {
  const { t, i18n } = useTranslation("supplier");
  const zh = !i18n.language.startsWith("en");
  const id = useId();
  const orgs = useOrganisations();
  const tx = useContractTx();
  const [query, setQuery] = useState("");
  const [receiver, setReceiver] = useState<Address | null>(null);
  const [isFinal, setIsFinal] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>(undefined);

  const all = orgs.data ?? [];
  const trimmed = query.trim();
  const looksLikeAddress = /^0x/i.test(trimmed);
  const matches = looksLikeAddress && isAddress(trimmed) ? searchOrganisations(all, trimmed.toLowerCase(), me) : searchOrganisations(all, trimmed, me);
  const shown = matches.slice(0, 8);
  const chosen = all.find((o) => same(receiver ?? undefined, o.address));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    tx.reset();
    if (receiver === null) {
      if (looksLikeAddress && !isAddress(trimmed)) setProblem({ key: "handover.problem.badAddress" });
      else if (looksLikeAddress) setProblem({ key: "handover.problem.notOrganisation" });
      else setProblem({ key: "handover.problem.noReceiver" });
      return;
    }
    if (same(me, receiver)) {
      setProblem({ key: "handover.problem.self" });
      return;
    }
    setProblem(undefined);
    const receipt = await tx.send({ ...provenanceRegistry, functionName: "proposeHandover", args: [shipmentId, receiver, isFinal] });
    if (receipt !== null) {
      setQuery("");
      setReceiver(null);
      setIsFinal(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="handover-form">
      <label htmlFor={`${id}-q`}>{t("handover.search")}</label>
      <input
        id={`${id}-q`}
        type="search"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setReceiver(null);
          setProblem(undefined);
        }}
        placeholder={t("handover.searchPlaceholder")}
        autoComplete="off"
        data-testid="handover-search"
      />
      {orgs.isPending ? (
        <p className="muted">{t("common:loading")}</p>
      ) : trimmed === "" ? (
        <p className="muted small">{t("handover.typeToSearch")}</p>
      ) : shown.length === 0 ? (
        problem === undefined && (
          <p className="muted" data-testid="handover-no-match">
            {looksLikeAddress && !isAddress(trimmed) ? t("handover.problem.badAddress") : t("handover.noMatch")}
          </p>
        )
      ) : (
        <fieldset className="choices">
          <legend className="visually-hidden">{t("handover.receiver")}</legend>
          {shown.map((o) => (
            <label key={o.address} className="choice">
              <input
                type="radio"
                name={`${id}-receiver`}
                value={o.address}
                checked={same(receiver ?? undefined, o.address)}
                onChange={() => {
                  setReceiver(o.address);
                  setProblem(undefined);
                }}
                data-testid={`receiver-${o.address.toLowerCase()}`}
              />
              <span>
                {zh ? o.localName : o.name}
                <span className="muted small"> · {zh ? o.name : o.localName}</span>
              </span>
            </label>
          ))}
          {matches.length > shown.length && <p className="muted small">{t("handover.more", { count: matches.length - shown.length })}</p>}
        </fieldset>
      )}
      <label className="check">
        <input type="checkbox" checked={isFinal} onChange={(e) => setIsFinal(e.target.checked)} data-testid="handover-final" />
        {t("handover.final")}
      </label>
      <div className="actions">
        <button type="submit" disabled={tx.busy} data-testid="handover-submit">
          {chosen === undefined ? t("handover.submit") : t("handover.submitTo", { name: zh ? chosen.localName : chosen.name })}
        </button>
      </div>
      <FieldError problem={problem} />
      <TxStatus state={tx.state} />
    </form>
  );
}

function RespondHandover({ shipmentId, view }: { readonly shipmentId: Hex; readonly view: ShipmentView }) {
  const { t } = useTranslation(["supplier", "codes"]);
  const names = useNames();
  const id = useId();
  const accept = useContractTx();
  const reject = useContractTx();
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const busy = accept.busy || reject.busy;
  return (
    <div className="respond" data-testid="respond-panel">
      <p>
        {t(view.pendingFinal ? "respond.introFinal" : "respond.intro", { holder: names.org(view.holder) })}
      </p>
      <div className="actions">
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            reject.reset();
            void accept.send({ ...provenanceRegistry, functionName: "acceptHandover", args: [shipmentId] });
          }}
          data-testid="handover-accept"
        >
          {t("respond.accept")}
        </button>
      </div>
      <TxStatus state={accept.state} />
      <label htmlFor={`${id}-reason`}>{t("respond.reason")}</label>
      <div className="row">
        <select id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="reject-reason">
          <option value="">{t("respond.chooseReason")}</option>
          {REJECT_REASONS.map((r) => (
            <option key={r.code} value={r.code}>
              {t(`codes:rejectReason.${r.code}`)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => {
            accept.reset();
            if (reason === "") {
              setProblem({ key: "respond.problem.noReason" });
              return;
            }
            setProblem(undefined);
            void reject.send({ ...provenanceRegistry, functionName: "rejectHandover", args: [shipmentId, Number(reason)] });
          }}
          data-testid="handover-reject"
        >
          {t("respond.reject")}
        </button>
      </div>
      <FieldError problem={problem} />
      <TxStatus state={reject.state} />
    </div>
  );
}

/** Check a scanned label at one of my locations (`checkScan`), and report it when suspect. */
export function CheckScan({ identity, locations }: { readonly identity: Identity; readonly locations: readonly Location[] }) {
  const { t } = useTranslation(["supplier", "codes"]);
  const id = useId();
  const client = useClient();
  const queryClient = useQueryClient();
  const { errorText } = useErrorText();
  const report = useContractTx();
  const [gln, setGln] = useState(locations[0]?.gln.toString() ?? "");
  const [verdict, setVerdict] = useState<{ code: number; gln: bigint } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const names = useNames();

  if (locations.length === 0) return <p className="muted">{t("scanCheck.noLocations")}</p>;

  const check = async () => {
    if (client === undefined || !/^\d{1,13}$/.test(gln)) return;
    report.reset();
    setError(null);
    setChecking(true);
    try {
      const result = await checkScan(client, identity, BigInt(gln));
      setVerdict({ code: result.verdict, gln: BigInt(gln) });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setChecking(false);
    }
  };

  return (
    <div className="scan-check" data-testid="scan-check">
      <label htmlFor={`${id}-loc`}>{t("scanCheck.where")}</label>
      <div className="row">
        <LocationSelect
          id={`${id}-loc`}
          locations={locations}
          value={gln}
          onChange={(v) => {
            setGln(v);
            setVerdict(null);
          }}
          testId="scan-check-location"
        />
        <button type="button" className="secondary" onClick={() => void check()} disabled={checking} data-testid="scan-check-run">
          {t("scanCheck.run")}
        </button>
      </div>
      {error !== null && <ErrorNote message={error} />}
      {verdict !== null && (
        <div className={verdict.code === 0 ? "verdict verdict-ok" : "verdict verdict-bad"} role="status" data-testid="scan-verdict" data-verdict={verdict.code}>
          <span className={verdict.code === 0 ? "badge ok" : "badge err"}>{verdict.code === 0 ? t("scanCheck.genuine") : t("scanCheck.suspect")}</span>{" "}
          {t(`codes:scanVerdict.${verdict.code}`)} <span className="muted small">({names.location(verdict.gln)})</span>
          {verdict.code !== 0 && (
            <div className="actions">
              <button
                type="button"
                className="danger"
                disabled={report.busy || report.state.status === "confirmed"}
                onClick={() =>
                  void report
                    .send({
                      ...provenanceRegistry,
                      functionName: "reportSuspectScan",
                      args: [BigInt(identity.gtin), identity.lot, identity.serial, verdict.gln],
                    })
                    .then(() => queryClient.invalidateQueries())
                }
                data-testid="scan-report"
              >
                {t("scanCheck.report")}
              </button>
            </div>
          )}
        </div>
      )}
      <TxStatus state={report.state} />
    </div>
  );
}

export interface OpenShipment {
  readonly shipmentId: Hex;
  /** The identity read from a scanned label (null when opened from a list). */
  readonly identity: Identity | null;
  /** The scanned label names another registry than this app's. */
  readonly foreignRegistry: boolean;
}

export function WorkPanel({
  open,
  me,
  roles,
  myLocations,
  onClose,
}: {
  readonly open: OpenShipment;
  readonly me: Address | undefined;
  readonly roles: SupplierRoles | undefined;
  readonly myLocations: readonly Location[];
  readonly onClose: () => void;
}) {
  const { t, i18n } = useTranslation(["supplier", "codes"]);
  const zh = !i18n.language.startsWith("en");
  const names = useNames();
  const orgs = useOrganisations();
  const shipment = useShipment(open.shipmentId);
  const problemText = useProblemText();
  const { errorText } = useErrorText();
  const [showLabel, setShowLabel] = useState(false);

  const kindOf = (a: Address) => orgs.data?.find((o) => same(o.address, a))?.kind;

  let content: ReactNode;
  if (shipment.isPending) {
    content = <p className="muted" aria-busy="true">{t("common:loading")}</p>;
  } else if (shipment.isError) {
    content = <ErrorNote message={errorText(shipment.error)} />;
  } else {
    const { view, created, entries } = shipment.data;
    const identity: Identity | null = created !== null ? { gtin: created.gtin, lot: created.lot, serial: created.serial } : open.identity;
    if (!exists(view)) {
      content = (
        <>
          <p className="alert-strong" role="alert" data-testid="unknown-shipment">
            {t("work.unknown")}
          </p>
          {identity !== null && (
            <>
              <h3>{t("scanCheck.title")}</h3>
              <CheckScan identity={identity} locations={myLocations} />
            </>
          )}
        </>
      );
    } else {
      const state = shipmentState(view, created?.manufacturer ?? null, kindOf);
      const summary = historySummary(entries);
      const product = created === null ? null : productOfGtin(created.gtin);
      const holder = same(me, view.holder);
      const pendingToMe = !same(view.pendingReceiver, ZERO_ADDRESS) && same(me, view.pendingReceiver);
      content = (
        <>
          <dl className="facts">
            {identity !== null && (
              <>
                <dt>{t("field.product")}</dt>
                <dd>{product === null ? t("shipment.unknownProduct") : zh ? product.name.zh : product.name.en}</dd>
                <dt>{t("field.gtin")}</dt>
                <dd>{identity.gtin}</dd>
                <dt>{t("field.lot")}</dt>
                <dd>
                  <Link href={lotPath(identity.gtin, identity.lot)}>{identity.lot}</Link>
                </dd>
                <dt>{t("field.serial")}</dt>
                <dd>{identity.serial}</dd>
              </>
            )}
            <dt>{t("field.holder")}</dt>
            <dd data-testid="work-holder">{names.org(view.holder)}</dd>
            <dt>{t("field.state")}</dt>
            <dd>
              <span className={`badge ${stateTone(state)}`} data-testid="work-state" data-state={state}>
                {t(`codes:shipmentState.${state}`)}
              </span>{" "}
              {view.nonConformant && <span className="badge err">{t("badge.nonConformant")}</span>}
            </dd>
            {!same(view.pendingReceiver, ZERO_ADDRESS) && (
              <>
                <dt>{t("field.pendingReceiver")}</dt>
                <dd data-testid="work-pending">
                  {names.org(view.pendingReceiver)} {view.pendingFinal && <span className="badge">{t("badge.final")}</span>}
                </dd>
              </>
            )}
            <dt>{t("field.coldChain")}</dt>
            <dd>{view.coldChain ? `${formatCelsius(view.minTempCentiC)} … ${formatCelsius(view.maxTempCentiC)}` : t("shipment.noColdChain")}</dd>
          </dl>
          {(summary.excursions > 0 || summary.suspectScans > 0) && (
            <p className="alert-strong" data-testid="work-flags">
              {summary.excursions > 0 && t("flags.excursions", { count: summary.excursions })}{" "}
              {summary.suspectScans > 0 && t("flags.suspectScans", { count: summary.suspectScans })}
            </p>
          )}
          <p className="actions">
            <Link href={`/shipment/${open.shipmentId}`} data-testid="work-public-link">
              {t("work.publicPage")}
            </Link>
            {identity !== null && (
              <button type="button" className="secondary" onClick={() => setShowLabel((s) => !s)} data-testid="work-label-toggle">
                {showLabel ? t("work.hideLabel") : t("work.showLabel")}
              </button>
            )}
          </p>
          {showLabel && identity !== null && <ShipmentLabel identity={identity} testId="work-label" />}

          {me === undefined ? (
            <p className="muted">{t("work.connectToAct")}</p>
          ) : (
            <>
              {holder && !view.delivered && (
                <>
                  <h3>{t("step.title")}</h3>
                  {myLocations.length === 0 ? (
                    <p className="warning">{problemText({ key: "step.problem.noLocations" })}</p>
                  ) : (
                    <RecordStep shipmentId={open.shipmentId} view={view} locations={myLocations} roles={roles} />
                  )}
                  <h3>{t("handover.title")}</h3>
                  <ProposeHandover shipmentId={open.shipmentId} me={me} />
                </>
              )}
              {holder && view.delivered && <p className="muted">{t("work.deliveredHolder")}</p>}
              {pendingToMe && (
                <>
                  <h3>{t("respond.title")}</h3>
                  <RespondHandover shipmentId={open.shipmentId} view={view} />
                </>
              )}
              {!holder && !pendingToMe && <p className="muted" data-testid="work-not-holder">{t("work.notHolder")}</p>}
              {identity !== null && (
                <>
                  <h3>{t("scanCheck.title")}</h3>
                  <CheckScan identity={identity} locations={myLocations} />
                </>
              )}
            </>
          )}
          <details className="history" open={entries.length <= 12}>
            <summary>{t("work.history", { count: entries.length })}</summary>
            <Timeline entries={entries} range={view} testId="work-timeline" />
          </details>
        </>
      );
    }
  }

  return (
    <section className="panel work-panel" data-testid="work-panel" aria-labelledby="work-title">
      <header className="work-header">
        <h2 id="work-title">{t("work.title")}</h2>
        <button type="button" className="ghost" onClick={onClose} aria-label={t("work.close")} data-testid="work-close">
          ×
        </button>
      </header>
      <p className="muted small">
        <code data-testid="work-shipment-id">{open.shipmentId}</code>
      </p>
      {open.foreignRegistry && (
        <p className="alert-strong" role="alert" data-testid="foreign-registry">
          {t("work.foreignRegistry")}
        </p>
      )}
      {content}
    </section>
  );
}
