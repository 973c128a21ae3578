/**
 * The dashboard's state: the filters (in the address bar), the indexer's answers (TanStack Query, refreshed so the
 * page follows new blocks), its readiness, and the labels of what the answers name (organisations, lots, codes).
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useSearch } from "wouter";

import { INDEXER_URL } from "../../config.ts";
import { shortAddress } from "../../lib/format.ts";
import { fetchReadiness, fetchStats, type MetaAnswer, type OrganisationEntry, type StatsAnswers, type StatsRoute } from "../../lib/indexer.ts";
import { type DashboardFilters, DEFAULT_FILTERS, filtersFromSearch, routeQuery, searchFromFilters } from "./filters.ts";

const REFRESH_MS = 15_000;

/** The filters of the address bar, and a setter that writes them back (replacing the entry, keeping `lang`). */
export function useFilters(): { filters: DashboardFilters; setFilters: (patch: Partial<DashboardFilters>) => void; reset: () => void } {
  const search = useSearch();
  const [path, navigate] = useLocation();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const go = useCallback(
    (next: DashboardFilters) => {
      const qs = searchFromFilters(next, search);
      navigate(qs === "" ? path : `${path}?${qs}`, { replace: true });
    },
    [navigate, path, search],
  );
  return {
    filters,
    setFilters: useCallback((patch: Partial<DashboardFilters>) => go({ ...filters, ...patch }), [filters, go]),
    reset: useCallback(() => go(DEFAULT_FILTERS), [go]),
  };
}

/** One `/stats/*` answer for the filters its route honours (other filters do not refetch it). */
export function useStats<R extends StatsRoute>(route: R, filters: DashboardFilters) {
  const query = routeQuery(filters, route);
  return useQuery<StatsAnswers[R]>({
    queryKey: ["indexer", route, query],
    queryFn: ({ signal }) => fetchStats(INDEXER_URL, route, query, signal),
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useReadiness() {
  return useQuery({
    queryKey: ["indexer", "ready"],
    queryFn: ({ signal }) => fetchReadiness(INDEXER_URL, signal),
    refetchInterval: 5_000,
    retry: false,
  });
}

export interface Labels {
  readonly manufacturer: (address: string) => string;
  readonly carrier: (address: string) => string;
  readonly district: (code: number | string) => string;
  readonly lot: (lotId: number | string) => string;
  readonly lotState: (state: number) => string;
  readonly verdict: (verdict: number) => string;
  readonly category: (category: number) => string;
}

/** Names in the user's language: organisations from /stats/meta, codes from the `codes` namespace (else the code). */
export function useLabels(meta: MetaAnswer | undefined): Labels {
  const { t, i18n } = useTranslation("codes");
  const zh = !i18n.language.startsWith("en");
  return useMemo(() => {
    const orgName = (list: readonly OrganisationEntry[] | undefined) => {
      const byAddress = new Map((list ?? []).map((o) => [o.address.toLowerCase(), zh && o.localName !== "" ? o.localName : o.name]));
      return (address: string) => byAddress.get(address.toLowerCase()) ?? shortAddress(address);
    };
    const lots = new Map((meta?.lots ?? []).map((l) => [String(l.lotId), l.lotNumber]));
    const code = (table: string) => (value: number | string) => t(`${table}.${String(value)}`, { defaultValue: String(value) });
    return {
      manufacturer: orgName(meta?.manufacturers),
      carrier: orgName(meta?.carriers),
      district: code("district"),
      lot: (lotId) => lots.get(String(lotId)) ?? `#${String(lotId)}`,
      lotState: code("lotState"),
      verdict: code("scanVerdict"),
      category: code("category"),
    };
  }, [meta, t, zh]);
}
