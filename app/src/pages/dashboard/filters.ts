/**
 * The dashboard's filters and the address bar: the filters live in the query string (`/dashboard?from=…&to=…`), so
 * a view can be shared as a link. Pure. Values are passed to the indexer as typed; the indexer checks them and refuses
 * a malformed one with a sentence (a shared link with a bad date says so rather than silently showing everything).
 */
import type { StatsQuery, StatsRoute } from "../../lib/indexer.ts";

export type Granularity = "day" | "week";

export interface DashboardFilters {
  /** First CST day, `YYYY-MM-DD`, or "" for the first indexed day. */
  readonly from: string;
  /** Last CST day, inclusive, or "" for the last indexed day. */
  readonly to: string;
  /** GB/T 2260 district code, or "" for every district. */
  readonly district: string;
  /** Manufacturer address, or "" for every manufacturer. */
  readonly manufacturer: string;
  readonly granularity: Granularity;
}

export type FilterName = keyof DashboardFilters;

/** Weekly by default: six months of daily bars are too thin to read on a phone. */
export const DEFAULT_FILTERS: DashboardFilters = { from: "", to: "", district: "", manufacturer: "", granularity: "week" };

const NAMES: readonly FilterName[] = ["from", "to", "district", "manufacturer", "granularity"];

/** The filters of a query string (with or without its `?`); parameters that are not filters are ignored. */
export function filtersFromSearch(search: string): DashboardFilters {
  const params = new URLSearchParams(search);
  const text = (name: FilterName): string => (params.get(name) ?? "").trim();
  return {
    from: text("from"),
    to: text("to"),
    district: text("district"),
    manufacturer: text("manufacturer"),
    granularity: text("granularity") === "day" ? "day" : DEFAULT_FILTERS.granularity,
  };
}

/**
 * The query string (without `?`) of `filters`: only the values that differ from the defaults, in a fixed order,
 * after the parameters of `keep` that are not filters (e.g. `lang`), so changing a filter keeps the rest of the link.
 */
export function searchFromFilters(filters: DashboardFilters, keep = ""): string {
  const params = new URLSearchParams(keep);
  for (const name of NAMES) params.delete(name);
  for (const name of NAMES) {
    const value = filters[name];
    if (value !== "" && value !== DEFAULT_FILTERS[name]) params.set(name, value);
  }
  return params.toString();
}

/** Which filters each indexer route honours (indexer/src/api/index.ts); the others are not sent. */
export const FILTERS_OF: Readonly<Record<StatsRoute, readonly FilterName[]>> = {
  meta: [],
  doses: ["from", "to", "district", "manufacturer", "granularity"],
  lots: ["manufacturer"],
  shipments: ["from", "to", "manufacturer", "granularity"],
  consent: ["from", "to", "granularity"],
};

/** The query of one route: the filters it honours that are set (what it applied, as the exports name them). */
export function routeQuery(filters: DashboardFilters, route: StatsRoute): StatsQuery {
  const query: Record<string, string> = {};
  for (const name of FILTERS_OF[route]) if (filters[name] !== "") query[name] = filters[name];
  return query as StatsQuery;
}
