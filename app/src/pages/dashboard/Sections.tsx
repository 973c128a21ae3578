/**
 * The dashboard's panels: each is one indexer answer drawn as a chart (or several) with a table of the same numbers
 * under it, downloadable as CSV and JSON. People counts arrive already published ("<5"); nothing is summed here.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { INDEXER_URL } from "../../config.ts";
import { type Coverage, epcisUrl, type MetaAnswer, type PeopleCount, type StatsAnswers, type StatsRoute, statsUrl } from "../../lib/indexer.ts";
import { BarsChart } from "./BarsChart.tsx";
import { DataTable, type ExportInfo } from "./DataTable.tsx";
import type { Cell, TableData } from "./exports.ts";
import { type DashboardFilters, routeQuery } from "./filters.ts";
import { type Labels, useStats } from "./hooks.ts";
import { Section } from "./Section.tsx";
import { chartSpan, measures, periodPivot, pivot, type Point } from "./shape.ts";

export interface SectionProps {
  readonly filters: DashboardFilters;
  readonly meta: MetaAnswer | undefined;
  readonly labels: Labels;
}

type T = ReturnType<typeof useTranslation<"dashboard">>["t"];

/** A table from its id, title, columns (key → label key in `columns.*`) and rows. */
function tableOf(t: T, id: string, columns: readonly string[], rows: readonly (readonly Cell[])[], people: boolean, periodLabel?: string): TableData {
  return {
    id,
    title: t(`tables.${id}`),
    columns: columns.map((key) => ({ key, label: key === "period" && periodLabel !== undefined ? periodLabel : t(`columns.${key}`) })),
    rows,
    people,
  };
}

/** Where an answer's numbers come from, for its exports. */
function exportInfo(route: StatsRoute, filters: DashboardFilters, meta: MetaAnswer | undefined, coverage: Coverage): ExportInfo {
  const query = routeQuery(filters, route);
  return {
    coverage,
    filters: { ...query },
    source: statsUrl(INDEXER_URL, route, query),
    days: { from: query.from ?? meta?.firstDay ?? "start", to: query.to ?? meta?.lastDay ?? "end" },
  };
}

/** The days the time charts span. */
const spanOf = (filters: DashboardFilters, meta: MetaAnswer | undefined) => chartSpan(filters, { first: meta?.firstDay ?? null, last: meta?.lastDay ?? null });

/** Scan verdicts (scripts/lib/steps.ts SCAN_VERDICTS codes): genuine green, the suspect ones warm. */
const VERDICT_ORDER = ["0", "1", "2", "3"];
const VERDICT_COLOURS = { 0: "#009E73", 1: "#D55E00", 2: "#CC79A7", 3: "#E69F00" };

const byNumber = (a: { key: string }, b: { key: string }) => Number(a.key) - Number(b.key);
const shortPeriod = (period: string) => period.slice(5);

function usePeriodLabel(filters: DashboardFilters): string {
  const { t } = useTranslation("dashboard");
  return filters.granularity === "week" ? t("columns.week") : t("columns.day");
}

function Stat({ id, label, value }: { readonly id: string; readonly label: string; readonly value: PeopleCount }) {
  return (
    <div className="stat">
      <span className="stat-value" data-testid={id}>
        {String(value)}
      </span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

/** One count per category (a lot, a district, a state, a carrier): lying bars of one measure, and its table. */
function CountsByCategory(props: {
  readonly id: string;
  readonly measure: "doses" | "lots" | "excursions";
  readonly colour: string;
  /** Each category: its name, its count, and the table's cells before the count (the name first). */
  readonly items: readonly { readonly name: string; readonly count: PeopleCount; readonly cells?: readonly Cell[] }[];
  /** Table columns before the measure. */
  readonly columns: readonly string[];
  readonly people: boolean;
  readonly info: ExportInfo;
}) {
  const { t } = useTranslation("dashboard");
  const { id, measure, items } = props;
  return (
    <>
      <BarsChart
        id={id}
        label={t(`tables.${id}`)}
        data={pivot(items.map((item): Point => ({ x: item.name, key: measure, count: item.count })), () => t(`columns.${measure}`))}
        byCategory
        colours={{ [measure]: props.colour }}
      />
      <DataTable info={props.info} table={tableOf(t, id, [...props.columns, measure], items.map((item) => [...(item.cells ?? [item.name]), item.count]), props.people)} />
    </>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Doses
// ---------------------------------------------------------------------------------------------------------

type PerPeriodBy = "lot" | "district";

/** Doses per day or week by lot or by district (one at a time: both at once are too many bars to read). */
function DosesPerPeriod({ answer, filters, meta, labels, info }: SectionProps & { readonly answer: StatsAnswers["doses"]; readonly info: ExportInfo }) {
  const { t } = useTranslation("dashboard");
  const [by, setBy] = useState<PerPeriodBy>("lot");
  const periodLabel = usePeriodLabel(filters);
  const id = `doses-per-period-by-${by}`;
  const series = by === "lot" ? answer.byLot : answer.byDistrict;
  const labelOf = by === "lot" ? labels.lot : labels.district;
  const keyOrder = [...new Set(series.map((p) => p.key))].sort((a, b) => Number(a) - Number(b));
  const points = series.map((p) => ({ x: p.period, key: p.key, count: p.count }));
  return (
    <>
      <h3>{t(filters.granularity === "week" ? "sections.perWeek" : "sections.perDay")}</h3>
      <div className="dash-toggle" role="radiogroup" aria-label={t("perPeriodBy.label")}>
        {(["lot", "district"] as const satisfies readonly PerPeriodBy[]).map((choice) => (
          <label key={choice} className="seg">
            <input type="radio" name="doses-per-period-by" value={choice} data-testid={`doses-per-period-by-${choice}`} checked={by === choice} onChange={() => setBy(choice)} />
            {t(`perPeriodBy.${choice}`)}
          </label>
        ))}
      </div>
      <BarsChart id={id} label={t(`tables.${id}`)} data={periodPivot(points, labelOf, filters.granularity, spanOf(filters, meta), keyOrder)} stacked tick={shortPeriod} />
      <DataTable info={info} table={tableOf(t, id, ["period", by, "doses"], series.map((p) => [p.period, labelOf(p.key), p.count]), true, periodLabel)} />
    </>
  );
}

export function DoseSections({ filters, meta, labels }: SectionProps) {
  const { t } = useTranslation("dashboard");
  const query = useStats("doses", filters);
  const periodLabel = usePeriodLabel(filters);
  const manufacturerOrder = meta?.manufacturers.map((m) => m.address) ?? [];
  const empty = (a: StatsAnswers["doses"]) => a.cells.length === 0;
  return (
    <>
      <Section id="doses-by-manufacturer" title={t("sections.dosesByManufacturer")} route="doses" query={query} isEmpty={empty}>
        {(a) => {
          const info = exportInfo("doses", filters, meta, a.coverage);
          const points = a.byManufacturer.map((p) => ({ x: p.period, key: p.key, count: p.count }));
          return (
            <>
              <div className="stats">
                <Stat id="doses-total" label={t("stats.dosesTotal")} value={a.total} />
              </div>
              <BarsChart id="doses-by-manufacturer" label={t("sections.dosesByManufacturer")} data={periodPivot(points, labels.manufacturer, filters.granularity, spanOf(filters, meta), manufacturerOrder)} stacked tick={shortPeriod} />
              <DataTable
                info={info}
                table={tableOf(t, "doses-by-manufacturer", ["period", "manufacturer", "doses"], a.byManufacturer.map((p) => [p.period, labels.manufacturer(p.key), p.count]), true, periodLabel)}
              />
            </>
          );
        }}
      </Section>
      <Section id="doses-by-lot" title={t("sections.dosesByLotAndDistrict")} route="doses" query={query} isEmpty={empty}>
        {(a) => {
          const info = exportInfo("doses", filters, meta, a.coverage);
          const lotManufacturer = new Map(meta?.lots.map((l) => [String(l.lotId), l.manufacturer]));
          const panels = [
            {
              id: "doses-by-lot",
              heading: "byLot",
              colour: "#0072B2",
              columns: ["lot", "manufacturer"],
              items: [...a.lotTotals].sort(byNumber).map((l) => ({
                name: labels.lot(l.key),
                count: l.count,
                cells: [labels.lot(l.key), labels.manufacturer(lotManufacturer.get(l.key) ?? "")],
              })),
            },
            {
              id: "doses-by-district",
              heading: "byDistrict",
              colour: "#009E73",
              columns: ["district", "districtCode"],
              items: [...a.districtTotals].sort(byNumber).map((d) => ({ name: labels.district(d.key), count: d.count, cells: [labels.district(d.key), d.key] })),
            },
          ];
          return (
            <>
              <div className="grid-2">
                {panels.map(({ heading, ...panel }) => (
                  <div key={panel.id}>
                    <h3>{t(`sections.${heading}`)}</h3>
                    <CountsByCategory {...panel} measure="doses" people info={info} />
                  </div>
                ))}
              </div>
              <DosesPerPeriod answer={a} filters={filters} meta={meta} labels={labels} info={info} />
            </>
          );
        }}
      </Section>
      <Section id="dose-cells" title={t("sections.doseCells")} route="doses" query={query} isEmpty={empty} intro={<p className="small">{t("cellsIntro")}</p>}>
        {(a) => (
          <DataTable
            info={exportInfo("doses", filters, meta, a.coverage)}
            table={tableOf(
              t,
              "dose-cells",
              ["day", "lot", "manufacturer", "district", "recorded", "confirmed"],
              a.cells.map((c) => [c.day, c.lotNumber === "" ? labels.lot(c.lotId) : c.lotNumber, labels.manufacturer(c.manufacturer), labels.district(c.district), c.recorded, c.confirmed]),
              true,
            )}
          />
        )}
      </Section>
    </>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Lots
// ---------------------------------------------------------------------------------------------------------

export function LotSection({ filters, meta, labels }: SectionProps) {
  const { t } = useTranslation("dashboard");
  const query = useStats("lots", filters);
  return (
    <Section id="lots-by-state" title={t("sections.lotsByState")} route="lots" query={query} isEmpty={(a) => a.byState.length === 0} intro={<p className="small">{t("lotsNote")}</p>}>
      {(a) => (
        <CountsByCategory
          id="lots-by-state"
          measure="lots"
          colour="#6b5b95"
          columns={["state"]}
          items={a.byState.map((b) => ({ name: labels.lotState(b.state), count: b.count }))}
          people={false}
          info={exportInfo("lots", filters, meta, a.coverage)}
        />
      )}
    </Section>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Supplies: shipments, excursions, suspect scans (one answer), and the EPCIS export
// ---------------------------------------------------------------------------------------------------------

export function SupplySections({ filters, meta, labels }: SectionProps) {
  const { t } = useTranslation("dashboard");
  const query = useStats("shipments", filters);
  const periodLabel = usePeriodLabel(filters);
  const epcis = query.data === undefined ? null : epcisUrl(INDEXER_URL, query.data.coverage);
  return (
    <>
      <Section
        id="shipments"
        title={t("sections.shipments")}
        route="shipments"
        query={query}
        isEmpty={(a) => a.createdByPeriod.length === 0}
        intro={
          epcis !== null && query.data !== undefined ? (
            <p className="epcis">
              <a className="button-like secondary" href={epcis} download data-testid="export-epcis">
                {t("export.epcis")}
              </a>{" "}
              <span className="muted small">{t("export.epcisNote", { from: query.data.coverage.fromBlock, to: query.data.coverage.toBlock })}</span>
            </p>
          ) : null
        }
      >
        {(a) => (
          <>
            <div className="stats">
              <Stat id="shipments-in-transit" label={t("stats.inTransit")} value={a.inTransit} />
              <Stat id="shipments-delivered" label={t("stats.delivered")} value={a.delivered} />
            </div>
            <p className="muted small">{t("shipmentsNote")}</p>
            <BarsChart
              id="shipments"
              label={t("sections.shipments")}
              data={periodPivot(measures(a.createdByPeriod, (r) => r.period, { inTransit: (r) => r.inTransit, delivered: (r) => r.delivered }), (key) => t(`columns.${key}`), filters.granularity, spanOf(filters, meta))}
              stacked
              colours={{ inTransit: "#E69F00", delivered: "#009E73" }}
              tick={shortPeriod}
            />
            <DataTable
              info={exportInfo("shipments", filters, meta, a.coverage)}
              table={tableOf(t, "shipments-by-period", ["period", "inTransit", "delivered"], a.createdByPeriod.map((r) => [r.period, r.inTransit, r.delivered]), false, periodLabel)}
            />
          </>
        )}
      </Section>
      <Section id="excursions" title={t("sections.excursions")} route="shipments" query={query} isEmpty={(a) => a.excursionsByPeriod.length === 0}>
        {(a) => {
          const info = exportInfo("shipments", filters, meta, a.coverage);
          return (
            <div className="grid-2">
              <div>
                <h3>{t("sections.overTime")}</h3>
                <BarsChart
                  id="excursions-by-period"
                  label={t("sections.overTime")}
                  data={periodPivot(a.excursionsByPeriod.map((r) => ({ x: r.period, key: "excursions", count: r.count })), () => t("columns.excursions"), filters.granularity, spanOf(filters, meta))}
                  colours={{ excursions: "#D55E00" }}
                  tick={shortPeriod}
                />
                <DataTable info={info} table={tableOf(t, "excursions-by-period", ["period", "excursions"], a.excursionsByPeriod.map((r) => [r.period, r.count]), false, periodLabel)} />
              </div>
              <div>
                <h3>{t("sections.byCarrier")}</h3>
                <CountsByCategory
                  id="excursions-by-carrier"
                  measure="excursions"
                  colour="#D55E00"
                  columns={["carrier"]}
                  items={a.excursionsByCarrier.map((r) => ({ name: labels.carrier(r.carrier), count: r.count }))}
                  people={false}
                  info={info}
                />
              </div>
            </div>
          );
        }}
      </Section>
      <Section id="suspect-scans" title={t("sections.suspectScans")} route="shipments" query={query} isEmpty={(a) => a.suspectScansByPeriod.length === 0}>
        {(a) => (
          <>
            <BarsChart
              id="suspect-scans"
              label={t("sections.suspectScans")}
              data={periodPivot(a.suspectScansByPeriod.map((r) => ({ x: r.period, key: String(r.verdict), count: r.count })), (key) => labels.verdict(Number(key)), filters.granularity, spanOf(filters, meta), VERDICT_ORDER)}
              stacked
              colours={VERDICT_COLOURS}
              tick={shortPeriod}
            />
            <DataTable
              info={exportInfo("shipments", filters, meta, a.coverage)}
              table={tableOf(t, "suspect-scans", ["period", "verdict", "scans"], a.suspectScansByPeriod.map((r) => [r.period, labels.verdict(r.verdict), r.count]), false, periodLabel)}
            />
          </>
        )}
      </Section>
    </>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Consent
// ---------------------------------------------------------------------------------------------------------

export function ConsentSection({ filters, meta, labels }: SectionProps) {
  const { t } = useTranslation("dashboard");
  const query = useStats("consent", filters);
  const periodLabel = usePeriodLabel(filters);
  return (
    <Section id="consent" title={t("sections.consent")} route="consent" query={query} isEmpty={(a) => a.rows.length === 0}>
      {(a) => {
        const info = exportInfo("consent", filters, meta, a.coverage);
        const counts = { grants: (r: (typeof a.byCategory)[number]) => r.grants, revocations: (r: (typeof a.byCategory)[number]) => r.revocations, reads: (r: (typeof a.byCategory)[number]) => r.reads };
        return (
          <>
            <BarsChart
              id="consent"
              label={t("sections.consent")}
              data={pivot(measures(a.byCategory, (r) => labels.category(r.category), counts), (key) => t(`columns.${key}`))}
              byCategory
              colours={{ grants: "#0072B2", revocations: "#D55E00", reads: "#009E73" }}
            />
            <DataTable
              info={info}
              table={tableOf(t, "consent-by-category", ["category", "grants", "revocations", "reads"], a.byCategory.map((r) => [labels.category(r.category), r.grants, r.revocations, r.reads]), true)}
            />
            <h3>{t("sections.consentByPeriod")}</h3>
            <DataTable
              info={info}
              table={tableOf(
                t,
                "consent-by-period",
                ["period", "category", "grants", "revocations", "reads"],
                a.rows.map((r) => [r.period, labels.category(r.category), r.grants, r.revocations, r.reads]),
                true,
                periodLabel,
              )}
            />
          </>
        );
      }}
    </Section>
  );
}
