/**
 * The public dashboard's pure parts: the CSV/JSON exports (quoting, "<5" kept, the block range named, parsed back),
 * the filters ↔ query string mapping, the chart shaping with "<5" (never drawn as a number, never summed), and the
 * indexer client's addresses, refusals and readiness.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { afterEach, describe, expect, it, vi } from "vitest";

import {
  epcisUrl,
  fetchReadiness,
  fetchStats,
  graphqlUrl,
  INDEXER_REFUSALS,
  IndexerRequestError,
  statsQueryString,
  statsUrl,
  type Coverage,
} from "../src/lib/indexer.ts";
import { csvField, exportFileName, parseCsv, type TableData, toCsv, toJson, toJsonExport } from "../src/pages/dashboard/exports.ts";
import { DEFAULT_FILTERS, filtersFromSearch, routeQuery, searchFromFilters } from "../src/pages/dashboard/filters.ts";
import { chartSpan, drawable, measures, periodPivot, periodsBetween, pivot, SUPPRESSED } from "../src/pages/dashboard/shape.ts";

const COVERAGE: Coverage = { chainId: 31337, fromBlock: 1, toBlock: 1323, toBlockTime: "2026-11-21T17:13:48.000Z" };
const CONTEXT = {
  coverage: COVERAGE,
  filters: { from: "2026-06-01", to: "2026-06-30", granularity: "week" },
  source: "http://127.0.0.1:8791/stats/doses?from=2026-06-01&to=2026-06-30&granularity=week",
};
const TABLE: TableData = {
  id: "doses-by-manufacturer",
  title: "Doses by manufacturer per period",
  columns: [
    { key: "period", label: "Week, from Monday" },
    { key: "manufacturer", label: "Manufacturer" },
    { key: "doses", label: "Doses" },
  ],
  rows: [
    ["2026-06-01", 'Shanghai "Institute", of Biological Products', SUPPRESSED],
    ["2026-06-08", "line one\nline two", 12],
    ["2026-06-15", " padded ", 0],
  ],
  people: true,
};

describe("exports", () => {
  it("test_csvField_quotesCommasQuotesAndLineBreaks", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField(42)).toBe("42");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\rlf")).toBe('"cr\rlf"');
    expect(csvField(" edge ")).toBe('" edge "');
    expect(csvField(SUPPRESSED)).toBe("<5");
  });

  it("test_toCsv_commentLinesNameTheBlockRangeThenHeaderThenRows", () => {
    const csv = toCsv(TABLE, CONTEXT);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("# HealthTrace: Doses by manufacturer per period (doses-by-manufacturer)");
    expect(lines).toContain("# chain: 31337");
    expect(lines).toContain("# blocks: 1-1323");
    expect(lines).toContain("# data through: 2026-11-21T17:13:48.000Z");
    expect(lines).toContain("# filters: from=2026-06-01; to=2026-06-30; granularity=week");
    expect(lines).toContain(`# source: ${CONTEXT.source}`);
    expect(lines.some((l) => l.startsWith('# "<5"'))).toBe(true);
    const header = lines.findIndex((l) => !l.startsWith("# "));
    expect(lines[header]).toBe('"Week, from Monday",Manufacturer,Doses');
    expect(lines[header + 1]).toBe('2026-06-01,"Shanghai ""Institute"", of Biological Products",<5');
    expect(csv.endsWith("\r\n")).toBe(true);
  });

  it("test_toCsv_noFiltersAndNoPeopleNote", () => {
    const csv = toCsv({ ...TABLE, people: false }, { ...CONTEXT, filters: {} });
    expect(csv).toContain("# filters: none\r\n");
    expect(csv).not.toContain('"<5" =');
  });

  it("test_toCsv_aFilterWithALineBreakStaysOneCommentLine", () => {
    const csv = toCsv(TABLE, { ...CONTEXT, filters: { district: "31\n0104" } });
    expect(csv).toContain("# filters: district=31 0104\r\n");
  });

  it("test_parseCsv_readsBackEveryRowWithLessThanFiveKept", () => {
    const parsed = parseCsv(toCsv(TABLE, CONTEXT));
    expect(parsed.comments).toContain("blocks: 1-1323");
    expect(parsed.header).toEqual(["Week, from Monday", "Manufacturer", "Doses"]);
    expect(parsed.rows).toEqual(TABLE.rows.map((row) => row.map(String)));
    expect(parsed.rows[0]?.[2]).toBe("<5");
  });

  it("test_parseCsv_acceptsLfLineEndsAndAnEmptyLastField", () => {
    expect(parseCsv("# c\na,b\n1,\n").rows).toEqual([["1", ""]]);
    expect(parseCsv('a\n""\n').rows).toEqual([[""]]);
  });

  it("test_toJson_coverageAtTopLevelAndRowsKeyedByColumn", () => {
    const json = JSON.parse(toJson(TABLE, CONTEXT)) as ReturnType<typeof toJsonExport>;
    expect(json.coverage).toEqual(COVERAGE);
    expect(json.table).toBe("doses-by-manufacturer");
    expect(json.filters).toEqual(CONTEXT.filters);
    expect(json.source).toBe(CONTEXT.source);
    expect(json.note).toMatch(/<5/);
    expect(json.columns.map((c) => c.key)).toEqual(["period", "manufacturer", "doses"]);
    expect(json.rows[0]).toEqual({ period: "2026-06-01", manufacturer: 'Shanghai "Institute", of Biological Products', doses: "<5" });
    expect(json.rows[1]?.doses).toBe(12);
    expect(json.rows[2]?.doses).toBe(0);
  });

  it("test_exportFileName_namesTableDaysAndBlocks", () => {
    expect(exportFileName("doses-by-manufacturer", { from: "2026-06-01", to: "2026-06-30" }, COVERAGE, "csv")).toBe(
      "healthtrace-doses-by-manufacturer-2026-06-01-2026-06-30-blocks-1-1323.csv",
    );
    expect(exportFileName("dose-cells", { from: "a/b", to: "c d" }, COVERAGE, "json")).toBe("healthtrace-dose-cells-a_b-c_d-blocks-1-1323.json");
  });
});

describe("filters and the query string", () => {
  it("test_filtersFromSearch_readsEveryFilterAndDefaults", () => {
    expect(filtersFromSearch("")).toEqual(DEFAULT_FILTERS);
    expect(filtersFromSearch("?from=2026-06-01&to=2026-06-30&district=310104&manufacturer=0xAbC&granularity=day&lang=en")).toEqual({
      from: "2026-06-01",
      to: "2026-06-30",
      district: "310104",
      manufacturer: "0xAbC",
      granularity: "day",
    });
    expect(filtersFromSearch("granularity=month").granularity).toBe("week");
  });

  it("test_searchFromFilters_onlyNonDefaultsInAFixedOrderKeepingOtherParameters", () => {
    expect(searchFromFilters(DEFAULT_FILTERS)).toBe("");
    const filters = { ...DEFAULT_FILTERS, manufacturer: "0xabc", from: "2026-06-01", granularity: "day" as const };
    expect(searchFromFilters(filters)).toBe("from=2026-06-01&manufacturer=0xabc&granularity=day");
    expect(searchFromFilters(filters, "lang=en&district=310104")).toBe("lang=en&from=2026-06-01&manufacturer=0xabc&granularity=day");
  });

  it("test_filters_roundTripThroughTheQueryString", () => {
    const filters = { from: "2026-06-01", to: "2026-07-01", district: "310115", manufacturer: "0x90f79bf6eb2c4f870365e785982e1f101e93b906", granularity: "day" as const };
    expect(filtersFromSearch(searchFromFilters(filters))).toEqual(filters);
    expect(filtersFromSearch(searchFromFilters(DEFAULT_FILTERS))).toEqual(DEFAULT_FILTERS);
  });

  it("test_routeQuery_sendsOnlyTheFiltersARouteHonours", () => {
    const filters = { from: "2026-06-01", to: "", district: "310104", manufacturer: "0xabc", granularity: "week" as const };
    expect(routeQuery(filters, "doses")).toEqual({ from: "2026-06-01", district: "310104", manufacturer: "0xabc", granularity: "week" });
    expect(routeQuery(filters, "lots")).toEqual({ manufacturer: "0xabc" });
    expect(routeQuery(filters, "shipments")).toEqual({ from: "2026-06-01", manufacturer: "0xabc", granularity: "week" });
    expect(routeQuery(filters, "consent")).toEqual({ from: "2026-06-01", granularity: "week" });
    expect(routeQuery(filters, "meta")).toEqual({});
  });
});

describe("chart shaping", () => {
  const label = (key: string) => `label ${key}`;

  it("test_pivot_lessThanFiveIsNullAndListedNeverANumber", () => {
    const chart = pivot(
      [
        { x: "2026-06-01", key: "a", count: SUPPRESSED },
        { x: "2026-06-01", key: "b", count: 7 },
        { x: "2026-06-08", key: "a", count: 12 },
      ],
      label,
    );
    expect(chart.series).toEqual([
      { id: "s0", key: "a", label: "label a" },
      { id: "s1", key: "b", label: "label b" },
    ]);
    expect(chart.rows).toEqual([
      { x: "2026-06-01", values: { s0: null, s1: 7 }, lt5: ["s0"] },
      { x: "2026-06-08", values: { s0: 12, s1: 0 }, lt5: [] },
    ]);
  });

  it("test_pivot_neverSumsSuppressedCells", () => {
    // Two points for the same bar (which the indexer never sends): the last one wins, nothing is added up.
    const chart = pivot(
      [
        { x: "x", key: "a", count: SUPPRESSED },
        { x: "x", key: "a", count: SUPPRESSED },
      ],
      label,
    );
    expect(chart.rows[0]?.values.s0).toBeNull();
    expect(drawable(SUPPRESSED)).toBeNull();
    expect(drawable(0)).toBe(0);
    expect(drawable(5)).toBe(5);
  });

  it("test_pivot_keyOrderFirstThenAppearance", () => {
    const chart = pivot(
      [
        { x: "x", key: "b", count: 5 },
        { x: "x", key: "c", count: 6 },
      ],
      label,
      { keyOrder: ["a", "c"] },
    );
    expect(chart.series.map((s) => s.key)).toEqual(["c", "b"]);
  });

  it("test_periodsBetween_daysAndIsoWeeks", () => {
    expect(periodsBetween("2026-06-29", "2026-07-02", "day")).toEqual(["2026-06-29", "2026-06-30", "2026-07-01", "2026-07-02"]);
    // 2026-06-03 is a Wednesday: its week starts on Monday 2026-06-01.
    expect(periodsBetween("2026-06-03", "2026-06-16", "week")).toEqual(["2026-06-01", "2026-06-08", "2026-06-15"]);
    expect(periodsBetween("2026-06-16", "2026-06-03", "week")).toEqual([]);
    expect(periodsBetween("not a day", "2026-06-03", "day")).toEqual([]);
  });

  it("test_periodPivot_fillsEmptyPeriodsWithZeroOverTheSpan", () => {
    const chart = periodPivot([{ x: "2026-06-08", key: "a", count: SUPPRESSED }], label, "week", { from: "2026-06-01", to: "2026-06-21" });
    expect(chart.rows.map((r) => [r.x, r.values.s0])).toEqual([
      ["2026-06-01", 0],
      ["2026-06-08", null],
      ["2026-06-15", 0],
    ]);
    expect(chart.rows[1]?.lt5).toEqual(["s0"]);
  });

  it("test_chartSpan_selectedDaysWithinTheIndexedOnes", () => {
    expect(chartSpan({ from: "", to: "" }, { first: "2026-05-27", last: "2026-11-22" })).toEqual({ from: "2026-05-27", to: "2026-11-22" });
    expect(chartSpan({ from: "2000-01-01", to: "2099-01-01" }, { first: "2026-05-27", last: "2026-11-22" })).toEqual({ from: "2026-05-27", to: "2026-11-22" });
    expect(chartSpan({ from: "2026-07-01", to: "2026-07-31" }, { first: "2026-05-27", last: "2026-11-22" })).toEqual({ from: "2026-07-01", to: "2026-07-31" });
    expect(chartSpan({ from: "garbage", to: "" }, { first: null, last: null })).toEqual({ from: "", to: "" });
  });

  it("test_measures_oneSeriesPerCountKeepingLessThanFive", () => {
    const rows = [{ category: 0, grants: SUPPRESSED, reads: 12 }] as const;
    const points = measures(rows, (r) => `c${String(r.category)}`, { grants: (r) => r.grants, reads: (r) => r.reads });
    expect(points).toEqual([
      { x: "c0", key: "grants", count: "<5" },
      { x: "c0", key: "reads", count: 12 },
    ]);
    const chart = pivot(points, label);
    expect(chart.rows[0]).toEqual({ x: "c0", values: { s0: null, s1: 12 }, lt5: ["s0"] });
  });
});

describe("indexer client", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const answer = (status: number, body: unknown) =>
    vi.fn(async () => new Response(typeof body === "string" ? body : JSON.stringify(body), { status }));

  it("test_statsUrl_fixedOrderWithoutEmptyValues", () => {
    expect(statsQueryString({ granularity: "week", from: "2026-06-01", district: "" })).toBe("from=2026-06-01&granularity=week");
    expect(statsUrl("http://h:1/", "doses", { manufacturer: "0xabc" })).toBe("http://h:1/stats/doses?manufacturer=0xabc");
    expect(statsUrl("http://h:1", "meta")).toBe("http://h:1/stats/meta");
    expect(epcisUrl("http://h:1/", { fromBlock: 1, toBlock: 1323 })).toBe("http://h:1/exports/epcis?fromBlock=1&toBlock=1323");
    expect(graphqlUrl("http://h:1")).toBe("http://h:1/graphql");
  });

  it("test_fetchStats_returnsTheAnswer", async () => {
    const fetchMock = answer(200, { coverage: COVERAGE, byState: [], lots: [] });
    vi.stubGlobal("fetch", fetchMock);
    const lots = await fetchStats("http://h:1", "lots", { manufacturer: "0xabc" });
    expect(lots.coverage).toEqual(COVERAGE);
    expect(String((fetchMock.mock.calls[0] as unknown[])[0])).toBe("http://h:1/stats/lots?manufacturer=0xabc");
  });

  it("test_fetchStats_refusalBecomesItsCode", async () => {
    vi.stubGlobal("fetch", answer(400, { error: "IndexerBadQuery", message: "to=2026-01-01 is before from=2026-02-01" }));
    const error = await fetchStats("http://h:1", "doses", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexerRequestError);
    expect((error as IndexerRequestError).code).toBe("IndexerBadQuery");
    expect((error as IndexerRequestError).status).toBe(400);
    expect((error as IndexerRequestError).message).toMatch(/before/);
  });

  it("test_fetchStats_unreachableAndNonsense", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    expect(((await fetchStats("http://h:1", "meta").catch((e: unknown) => e)) as IndexerRequestError).code).toBe("IndexerUnreachable");
    vi.stubGlobal("fetch", answer(502, "<html>bad gateway</html>"));
    const nonsense = (await fetchStats("http://h:1", "meta").catch((e: unknown) => e)) as IndexerRequestError;
    expect([nonsense.code, nonsense.status]).toEqual(["IndexerUnexpectedAnswer", 502]);
    vi.stubGlobal("fetch", answer(200, { not: "an answer" }));
    expect(((await fetchStats("http://h:1", "meta").catch((e: unknown) => e)) as IndexerRequestError).code).toBe("IndexerUnexpectedAnswer");
  });

  it("test_fetchReadiness_readyOrCatchingUp", async () => {
    vi.stubGlobal("fetch", answer(200, ""));
    expect(await fetchReadiness("http://h:1")).toBe("ready");
    vi.stubGlobal("fetch", answer(503, ""));
    expect(await fetchReadiness("http://h:1")).toBe("catchingUp");
    vi.stubGlobal("fetch", answer(500, ""));
    await expect(fetchReadiness("http://h:1")).rejects.toBeInstanceOf(IndexerRequestError);
  });

  it("test_everyProblemHasASentenceInBothLanguages", () => {
    for (const lng of ["en", "zh"]) {
      const dashboard = JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "src", "locales", lng, "dashboard.json"), "utf8")) as {
        problems: Record<string, string>;
      };
      for (const code of [...INDEXER_REFUSALS, "IndexerUnreachable", "IndexerUnexpectedAnswer"]) expect(dashboard.problems[code], `${lng} ${code}`).toMatch(/\S/);
    }
  });
});
