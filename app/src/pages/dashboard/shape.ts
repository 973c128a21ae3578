/**
 * The indexer's answers shaped for the charts. Pure. A count published as "<5" is never drawn as a number: its bar
 * value is null (a gap) and the row lists it in `lt5`, so the chart marks it and its tooltip says "<5". Nothing here
 * adds counts up: every total shown comes from the indexer, which sums before it suppresses.
 */
import { SUPPRESSED } from "../../../../indexer/src/privacy.ts";
import { isoDate, parseIsoDate, weekOf } from "../../../../indexer/src/time.ts";
import type { PeopleCount } from "../../lib/indexer.ts";
import type { Granularity } from "./filters.ts";

export { SUPPRESSED };

/** One drawn series: `id` is the chart's key (s0, s1…), `key` the indexer's (an address, a lot id, a code). */
export interface Series {
  readonly id: string;
  readonly key: string;
  readonly label: string;
}

/** One bar group (a period or a category): a value per series id, null where the count is "<5". */
export interface ChartRow {
  readonly x: string;
  readonly values: Readonly<Record<string, number | null>>;
  /** Ids of the series whose count here is "<5". */
  readonly lt5: readonly string[];
}

export interface ChartData {
  readonly series: readonly Series[];
  readonly rows: readonly ChartRow[];
}

/** The number a chart may draw for a published count: null for "<5". */
export const drawable = (count: PeopleCount): number | null => (count === SUPPRESSED ? null : count);

export const isSuppressed = (count: PeopleCount): boolean => count === SUPPRESSED;

/** Every period from `first` to `last` inclusive (days or ISO-week Mondays), so empty periods show as zero. */
export function periodsBetween(first: string, last: string, granularity: Granularity): string[] {
  const start = parseIsoDate(first);
  const end = parseIsoDate(last);
  if (start === null || end === null || end < start) return [];
  const step = granularity === "week" ? 7 : 1;
  const out: string[] = [];
  for (let day = granularity === "week" ? weekOf(start) : start; day <= end; day += step) out.push(isoDate(day));
  return out;
}

export interface Point {
  readonly x: string;
  readonly key: string;
  readonly count: PeopleCount;
}

/**
 * Pivot points (x, key, count) into bar groups: one series per key (in `keyOrder`, then first appearance), one row
 * per x (in `xs` when given, which also adds empty groups; else in order of appearance). A missing point is 0 (the
 * indexer sends no row for nothing); "<5" is null and listed in `lt5`.
 */
export function pivot(points: readonly Point[], labelOf: (key: string) => string, options: { readonly xs?: readonly string[]; readonly keyOrder?: readonly string[] } = {}): ChartData {
  const keys = [...new Set([...(options.keyOrder ?? []).filter((k) => points.some((p) => p.key === k)), ...points.map((p) => p.key)])];
  const series = keys.map((key, i) => ({ id: `s${String(i)}`, key, label: labelOf(key) }));
  const idOf = new Map(series.map((s) => [s.key, s.id]));
  const xs = [...new Set([...(options.xs ?? []), ...points.map((p) => p.x)])];
  const byX = new Map(xs.map((x) => [x, { values: Object.fromEntries(series.map((s) => [s.id, 0])) as Record<string, number | null>, lt5: [] as string[] }]));
  for (const p of points) {
    const row = byX.get(p.x);
    const id = idOf.get(p.key);
    if (row === undefined || id === undefined) continue;
    row.values[id] = drawable(p.count);
    const listed = row.lt5.indexOf(id);
    if (isSuppressed(p.count) && listed === -1) row.lt5.push(id);
    if (!isSuppressed(p.count) && listed !== -1) row.lt5.splice(listed, 1);
  }
  return { series, rows: xs.map((x) => ({ x, ...(byX.get(x) ?? { values: {}, lt5: [] }) })) };
}

/** The days a time chart spans: the selected days, within the indexed ones (a wide filter draws no empty years). */
export function chartSpan(selected: { readonly from: string; readonly to: string }, indexed: { readonly first: string | null; readonly last: string | null }): { from: string; to: string } {
  const valid = (d: string | null | undefined): d is string => d != null && parseIsoDate(d) !== null;
  const from = [selected.from, indexed.first].filter(valid).sort().at(-1) ?? "";
  const to = [selected.to, indexed.last].filter(valid).sort().at(0) ?? "";
  return { from, to };
}

/**
 * A time series pivoted over every period of `span` (the selected days), widened to the data's own first and last
 * periods; periods without a point are 0.
 */
export function periodPivot(
  points: readonly Point[],
  labelOf: (key: string) => string,
  granularity: Granularity,
  span: { readonly from: string; readonly to: string },
  keyOrder?: readonly string[],
): ChartData {
  const days = [...points.map((p) => p.x), span.from, span.to].filter((d) => parseIsoDate(d) !== null).sort();
  const xs = days.length === 0 ? [] : periodsBetween(days[0] ?? "", days[days.length - 1] ?? "", granularity);
  return pivot(points, labelOf, { xs, ...(keyOrder === undefined ? {} : { keyOrder }) });
}

/** Several counts of one x (e.g. grants, revocations, reads of a category) as points, one per measure. */
export function measures<T>(items: readonly T[], xOf: (item: T) => string, counts: Readonly<Record<string, (item: T) => PeopleCount>>): Point[] {
  return items.flatMap((item) => Object.entries(counts).map(([key, count]) => ({ x: xOf(item), key, count: count(item) })));
}
