/**
 * The public page of a shipment (`/shipment/{id}` and the label's Digital Link `/01/{gtin}/10/{lot}/21/{serial}`),
 * no wallet needed: identity and product, who holds it and where it stands, the full history as a timeline
 * (steps, hand-overs, excursions and suspect scans flagged), and its temperatures over time against the allowed
 * range. Everything is read from the ProvenanceRegistry's state and events.
 */
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useParams, useSearch } from "wouter";

import { ErrorNote } from "../../components/TxStatus.tsx";
import { chain } from "../../config.ts";
import { provenanceRegistry } from "../../contracts.ts";
import { useErrorText } from "../../hooks/useErrorText.ts";
import { useOrganisations } from "../../hooks/useOrganisations.ts";
import { shortAddress } from "../../lib/format.ts";
import { DigitalLinkError, parseDigitalLink } from "../../../../scripts/lib/digital-link.ts";
import { formatCelsius } from "../../../../scripts/lib/steps.ts";
import { useNames, useShipment } from "./hooks.ts";
import {
  type Address,
  exists,
  gln13,
  type Hex,
  historySummary,
  type Identity,
  isShipmentId,
  productOfGtin,
  shipmentIdOf,
  shipmentState,
  stateTone,
  temperatureSeries,
  ZERO_ADDRESS,
} from "./model.ts";
import { TemperatureChart } from "./TemperatureChart.tsx";
import { Timeline } from "./Timeline.tsx";
import { lotPath } from "./ui.tsx";
import "./supplier.css";

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

type Target =
  | { readonly ok: true; readonly shipmentId: Hex; readonly identity: Identity | null; readonly foreign: boolean }
  | { readonly ok: false; readonly key: string; readonly values?: Record<string, string> };

/** Which shipment the address names: an id, or the identity of a Digital Link path (with its ?chain=&registry=). */
function useTarget(): Target {
  const params = useParams<{ shipmentId?: string }>();
  const [path] = useLocation();
  const search = useSearch();
  const { t } = useTranslation("codes");
  return useMemo((): Target => {
    if (params.shipmentId !== undefined) {
      const id = params.shipmentId.trim();
      return isShipmentId(id) ? { ok: true, shipmentId: id.toLowerCase() as Hex, identity: null, foreign: false } : { ok: false, key: "shipment.badId" };
    }
    // The raw address, as typed or scanned: wouter's params are already partly decoded.
    const href = `${window.location.origin}${window.location.pathname}${window.location.search}`;
    try {
      const label = parseDigitalLink(href, { resolverHosts: [window.location.host] });
      const identity: Identity = { gtin: label.gtin, lot: label.lot, serial: label.serial };
      const ref = label.registryRef;
      return {
        ok: true,
        shipmentId: shipmentIdOf(identity),
        identity,
        foreign: ref !== null && (ref.chainId !== chain.id || !same(ref.registry, provenanceRegistry.address)),
      };
    } catch (error) {
      if (error instanceof DigitalLinkError) return { ok: false, key: "shipment.badLink", values: { reason: t(`digitalLink.${error.code}`) } };
      throw error;
    }
    // `path` and `search` re-run this when the address changes.
  }, [params.shipmentId, path, search, t]);
}

export default function ShipmentPage() {
  const { t, i18n } = useTranslation(["supplier", "codes"]);
  const zh = !i18n.language.startsWith("en");
  const target = useTarget();
  const shipment = useShipment(target.ok ? target.shipmentId : null);
  const names = useNames();
  const orgs = useOrganisations();
  const { errorText } = useErrorText();

  if (!target.ok) {
    return (
      <div className="page shipment-page">
        <h1>{t("shipment.title")}</h1>
        <p className="alert-strong" role="alert" data-testid="shipment-bad-address">
          {t(target.key, target.values ?? {})}
        </p>
        <p>
          <Link href="/scan">{t("shipment.scanAnother")}</Link>
        </p>
      </div>
    );
  }

  const foreign = target.foreign && (
    <p className="alert-strong" role="alert" data-testid="foreign-registry">
      {t("work.foreignRegistry")}
    </p>
  );

  if (shipment.isPending) {
    return (
      <div className="page shipment-page">
        <h1>{t("shipment.title")}</h1>
        {foreign}
        <p className="muted" aria-busy="true">
          {t("common:loading")}
        </p>
      </div>
    );
  }
  if (shipment.isError) {
    return (
      <div className="page shipment-page">
        <h1>{t("shipment.title")}</h1>
        <ErrorNote message={errorText(shipment.error)} />
      </div>
    );
  }

  const { view, created, entries } = shipment.data;
  const identity: Identity | null = created !== null ? { gtin: created.gtin, lot: created.lot, serial: created.serial } : target.identity;

  if (!exists(view)) {
    return (
      <div className="page shipment-page">
        <h1>{t("shipment.title")}</h1>
        {foreign}
        <p className="alert-strong" role="alert" data-testid="shipment-unknown">
          {identity === null ? t("shipment.unknownId") : t("shipment.unknownIdentity", { gtin: identity.gtin, lot: identity.lot, serial: identity.serial })}
        </p>
        {entries.length > 0 && (
          <section className="panel">
            <h2>{t("shipment.suspectScansOfIdentity")}</h2>
            <Timeline entries={entries} range={null} />
          </section>
        )}
        <p>
          <Link href="/scan">{t("shipment.scanAnother")}</Link>
        </p>
      </div>
    );
  }

  const kindOf = (a: Address) => orgs.data?.find((o) => same(o.address, a))?.kind;
  const state = shipmentState(view, created?.manufacturer ?? null, kindOf);
  const summary = historySummary(entries);
  const product = identity === null ? null : productOfGtin(identity.gtin);
  const points = temperatureSeries(entries);
  const range = created ?? view;
  const unit = product === null ? "" : product.unit === null ? t("unit.doses") : zh ? product.unit.zh : product.unit.en;

  return (
    <div className="page shipment-page" data-testid="shipment-page">
      <h1>{product === null ? t("shipment.title") : zh ? product.name.zh : product.name.en}</h1>
      {identity !== null && (
        <p className="muted identity-line" data-testid="shipment-identity">
          (01) {identity.gtin} · (10) {identity.lot} · (21) {identity.serial}
        </p>
      )}
      {foreign}
      {(summary.excursions > 0 || summary.suspectScans > 0 || view.nonConformant) && (
        <p className="alert-strong" role="alert" data-testid="shipment-flags">
          {view.nonConformant && t("flags.nonConformant")} {summary.excursions > 0 && t("flags.excursions", { count: summary.excursions })}{" "}
          {summary.suspectScans > 0 && t("flags.suspectScans", { count: summary.suspectScans })}
        </p>
      )}
      <div className="grid-2">
        <section className="panel" aria-labelledby="status-title">
          <h2 id="status-title">{t("shipment.status")}</h2>
          <dl className="facts">
            <dt>{t("field.state")}</dt>
            <dd>
              <span className={`badge ${stateTone(state)}`} data-testid="shipment-state" data-state={state}>
                {t(`codes:shipmentState.${state}`)}
              </span>{" "}
              {view.nonConformant && <span className="badge err">{t("badge.nonConformant")}</span>}
            </dd>
            <dt>{t("field.holder")}</dt>
            <dd data-testid="shipment-holder">{names.org(view.holder)}</dd>
            {!same(view.pendingReceiver, ZERO_ADDRESS) && (
              <>
                <dt>{t("field.pendingReceiver")}</dt>
                <dd data-testid="shipment-pending">
                  {names.org(view.pendingReceiver)} {view.pendingFinal && <span className="badge">{t("badge.final")}</span>}
                </dd>
              </>
            )}
            <dt>{t("field.coldChain")}</dt>
            <dd>{view.coldChain ? `${formatCelsius(view.minTempCentiC)} … ${formatCelsius(view.maxTempCentiC)}` : t("shipment.noColdChain")}</dd>
            <dt>{t("shipment.counts")}</dt>
            <dd>
              {t("shipment.countsValue", { steps: summary.steps, readings: points.length })}
              {summary.excursions > 0 && (
                <>
                  {" "}
                  <span className="badge err" data-testid="badge-excursion">{t("flags.excursions", { count: summary.excursions })}</span>
                </>
              )}
              {summary.suspectScans > 0 && (
                <>
                  {" "}
                  <span className="badge err" data-testid="badge-suspect">{t("flags.suspectScans", { count: summary.suspectScans })}</span>
                </>
              )}
            </dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="identity-title">
          <h2 id="identity-title">{t("shipment.identity")}</h2>
          <dl className="facts">
            <dt>{t("field.product")}</dt>
            <dd>{product === null ? t("shipment.unknownProduct") : zh ? product.name.zh : product.name.en}</dd>
            {identity !== null && (
              <>
                <dt>{t("field.gtin")}</dt>
                <dd>{identity.gtin}</dd>
                <dt>{t("field.lot")}</dt>
                <dd>
                  <Link href={lotPath(identity.gtin, identity.lot)} data-testid="shipment-lot-link">
                    {identity.lot}
                  </Link>
                  {created !== null && created.vaccineLotId !== 0 && <span className="muted small"> · {t("shipment.vaccineLot", { id: created.vaccineLotId })}</span>}
                </dd>
                <dt>{t("field.serial")}</dt>
                <dd>{identity.serial}</dd>
              </>
            )}
            {created !== null && (
              <>
                <dt>{t("field.quantity")}</dt>
                <dd>
                  {created.quantity} {unit}
                </dd>
                <dt>{t("field.manufacturer")}</dt>
                <dd>{names.org(created.manufacturer)}</dd>
                <dt>{t("field.origin")}</dt>
                <dd>
                  {names.location(created.origin)} <span className="muted small">GLN {gln13(created.origin)}</span>
                </dd>
              </>
            )}
            <dt>{t("field.shipmentId")}</dt>
            <dd>
              <code title={target.shipmentId}>{shortAddress(target.shipmentId)}</code>
            </dd>
          </dl>
        </section>
      </div>
      <section className="panel" aria-labelledby="chart-title">
        <h2 id="chart-title">{t("chart.title")}</h2>
        <TemperatureChart points={points} range={range} />
      </section>
      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">{t("shipment.history", { count: entries.length })}</h2>
        <Timeline entries={entries} range={range} />
      </section>
    </div>
  );
}
