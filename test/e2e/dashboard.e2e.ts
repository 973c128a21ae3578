/**
 * The public dashboard (`/dashboard`, no wallet) against the running stack's seeded history and its indexer: the
 * numbers in the page's tables are the indexer API's (which the indexer's own tests compare with eth_getLogs), a filter
 * changes the chart, the table and the address, a CSV export downloads, parses back to the table and names its block
 * range, people counts below 5 are "<5" in the cells table and its CSV, the EPCIS export is valid against GS1's
 * schema, and the indexer's states (unreachable, catching up, refusing) each have their sentence. Screenshots: zh on a
 * phone, en on a desktop.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";

import type { Browser, Download, Page } from "playwright-core";

import type { DosesAnswer, LotsAnswer, MetaAnswer, ShipmentsAnswer, StatsQuery } from "../../app/src/lib/indexer.ts";
import { parseCsv } from "../../app/src/pages/dashboard/exports.ts";
import { validateEpcis } from "../../scripts/lib/epcis-schema.ts";
import { DISTRICT_NAMES } from "../../scripts/lib/personas.ts";
import { LOT_STATE_LABELS } from "../../scripts/lib/vaccines.ts";
import { APP_URL, INDEXER_URL, launch, openSession, readStack, screenshot, type Session, type Stack } from "./harness.ts";

const DASHBOARD = `${APP_URL}/dashboard`;

async function api<T>(route: string, query: StatsQuery = {}): Promise<T> {
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== "") as [string, string][]).toString();
  const response = await fetch(`${INDEXER_URL}/stats/${route}${qs === "" ? "" : `?${qs}`}`);
  assert.equal(response.status, 200, `${route}?${qs}`);
  return (await response.json()) as T;
}

/** Retry `check` until it passes (the page refetches and re-renders), or fail with its last error. */
async function eventually(check: () => Promise<void>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

/** Every row of a dashboard table as cell texts, after "show more" until all rows are shown. */
async function tableRows(page: Page, id: string): Promise<string[][]> {
  const more = page.getByTestId(`more-${id}`);
  while ((await more.count()) > 0) await more.click();
  return page
    .getByTestId(`table-${id}`)
    .locator("tbody tr")
    .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll("td")].map((td) => (td.textContent ?? "").trim())));
}

/** A table once it shows `count` rows (the page refetches), and its header. */
async function loadedTable(page: Page, id: string, count: number): Promise<{ rows: string[][]; header: string[] }> {
  await eventually(async () => assert.equal((await tableRows(page, id)).length, count));
  return { rows: await tableRows(page, id), header: await page.getByTestId(`table-${id}`).locator("thead th").allTextContents() };
}

/** Click a download control and return the file's name and text. */
async function downloaded(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [download]: [Download, void] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(file, "utf8") };
}

/** The English name of a manufacturer, as the page shows it. */
const nameOf = (meta: MetaAnswer, address: string): string => meta.manufacturers.find((m) => m.address === address)?.name ?? address;

async function openDashboard(browser: Browser, stack: Stack, search = "", options: { language?: "zh" | "en"; phone?: boolean } = {}): Promise<Session> {
  const s = await openSession(browser, stack, { language: options.language ?? "en", ...(options.phone === true ? { phone: true } : {}) });
  await s.page.goto(`${DASHBOARD}${search}`);
  await s.page.getByTestId("table-doses-by-manufacturer").waitFor({ timeout: 30_000 });
  return s;
}

describe("public dashboard", () => {
  let browser: Browser;
  let stack: Stack;
  let meta: MetaAnswer;
  before(async () => {
    browser = await launch();
    stack = readStack();
    // The indexer has caught up with the seeded history.
    for (let i = 0; (await fetch(`${INDEXER_URL}/ready`).catch(() => null))?.status !== 200; i++) {
      if (i > 240) throw new Error(`the indexer at ${INDEXER_URL} is not ready`);
      await new Promise((r) => setTimeout(r, 500));
    }
    meta = await api<MetaAnswer>("meta");
  });
  after(async () => {
    await browser.close();
  });

  it("test_dashboard_rendersSeededData", async () => {
    const s = await openDashboard(browser, stack);
    const { page } = s;
    await eventually(async () => {
      const doses = await api<DosesAnswer>("doses", { granularity: "week" });
      assert.ok(doses.cells.length > 0, "the seed records doses");
      assert.equal(await page.getByTestId("doses-total").textContent(), String(doses.total));
      assert.deepEqual(
        await tableRows(page, "doses-by-manufacturer"),
        doses.byManufacturer.map((p) => [p.period, nameOf(meta, p.key), String(p.count)]),
      );
      assert.deepEqual(
        await tableRows(page, "doses-by-lot"),
        [...doses.lotTotals]
          .sort((a, b) => Number(a.key) - Number(b.key))
          .map((l) => {
            const lot = meta.lots.find((x) => String(x.lotId) === l.key);
            return [lot?.lotNumber ?? "", nameOf(meta, lot?.manufacturer ?? ""), String(l.count)];
          }),
      );
    });
    // Per week by lot, then by district: the same series as the indexer's, in the chart's order (by key).
    const doses = await api<DosesAnswer>("doses", { granularity: "week" });
    const lotNumberOf = (key: string) => meta.lots.find((x) => String(x.lotId) === key)?.lotNumber ?? "";
    await eventually(async () =>
      assert.deepEqual(
        await tableRows(page, "doses-per-period-by-lot"),
        doses.byLot.map((p) => [p.period, lotNumberOf(p.key), String(p.count)]),
      ),
    );
    assert.equal(await page.getByTestId("table-doses-per-period-by-district").count(), 0, "one breakdown at a time");
    await page.getByTestId("doses-per-period-by-district").check();
    await eventually(async () =>
      assert.deepEqual(
        await tableRows(page, "doses-per-period-by-district"),
        doses.byDistrict.map((p) => [p.period, DISTRICT_NAMES[Number(p.key) as keyof typeof DISTRICT_NAMES].en, String(p.count)]),
      ),
    );
    assert.ok(doses.byDistrict.some((p) => p.count === "<5"), "the seed has district weeks below 5");
    assert.ok(await page.getByTestId("lt5-legend-doses-per-period-by-district").isVisible());
    await eventually(async () => {
      const lots = await api<LotsAnswer>("lots");
      assert.ok(lots.byState.length > 1, "the seed has lots in several states");
      assert.deepEqual(
        await tableRows(page, "lots-by-state"),
        lots.byState.map((b) => [LOT_STATE_LABELS[b.state as keyof typeof LOT_STATE_LABELS].en, String(b.count)]),
      );
      const shipments = await api<ShipmentsAnswer>("shipments", { granularity: "week" });
      assert.equal(await page.getByTestId("shipments-in-transit").textContent(), String(shipments.inTransit));
      assert.equal(await page.getByTestId("shipments-delivered").textContent(), String(shipments.delivered));
    });
    const latest = await api<MetaAnswer>("meta");
    await eventually(async () => assert.equal(await page.getByTestId("data-through").getAttribute("data-block"), String(latest.coverage.toBlock)));
    assert.match((await page.getByTestId("data-through").textContent()) ?? "", new RegExp(`Data through block ${String(latest.coverage.toBlock)} \\(`));
    assert.equal(await page.getByTestId("graphql-link").getAttribute("href"), `${INDEXER_URL}/graphql`);
    // No wallet was asked for anything.
    assert.deepEqual(s.wallet.requests.filter((m) => m !== "eth_chainId" && m !== "eth_accounts"), []);
    await s.context.close();
  });

  it("test_dashboard_filterChangesTheChart", async () => {
    const s = await openDashboard(browser, stack);
    const { page } = s;
    const chart = page.getByTestId("chart-doses-by-manufacturer");
    await chart.locator(".recharts-bar-rectangle").first().waitFor();
    const allRows = await tableRows(page, "doses-by-manufacturer");
    const allSeries = await chart.locator(".chart-legend .swatch").count();
    assert.ok(allSeries >= 2, "several manufacturers recorded doses");
    // The manufacturer with the fewest weeks of doses.
    const all = await api<DosesAnswer>("doses", { granularity: "week" });
    const weeks = new Map<string, number>();
    for (const p of all.byManufacturer) weeks.set(p.key, (weeks.get(p.key) ?? 0) + 1);
    const [manufacturer] = [...weeks.entries()].sort((a, b) => a[1] - b[1])[0] ?? [""];
    await page.getByTestId("filter-manufacturer").selectOption(manufacturer);
    await page.waitForURL((url) => url.searchParams.get("manufacturer") === manufacturer);
    const filtered = await api<DosesAnswer>("doses", { manufacturer, granularity: "week" });
    await eventually(async () => {
      const rows = await tableRows(page, "doses-by-manufacturer");
      assert.deepEqual(rows, filtered.byManufacturer.map((p) => [p.period, nameOf(meta, p.key), String(p.count)]));
      assert.notDeepEqual(rows, allRows);
      assert.ok(rows.every((r) => r[1] === nameOf(meta, manufacturer)));
      assert.equal(await chart.locator(".chart-legend .swatch").count(), 1);
      assert.equal(await page.getByTestId("doses-total").textContent(), String(filtered.total));
    });

    // A district on top: the district table keeps that district only, the address names both filters.
    const district = String(meta.districts[0]);
    await page.getByTestId("filter-district").selectOption(district);
    await page.waitForURL((url) => url.searchParams.get("district") === district && url.searchParams.get("manufacturer") === manufacturer);
    const both = await api<DosesAnswer>("doses", { manufacturer, district, granularity: "week" });
    await eventually(async () => {
      assert.deepEqual(
        await tableRows(page, "doses-by-district"),
        both.districtTotals.map((d) => [DISTRICT_NAMES[Number(d.key) as keyof typeof DISTRICT_NAMES].en, d.key, String(d.count)]),
      );
      assert.deepEqual(await tableRows(page, "doses-by-manufacturer"), both.byManufacturer.map((p) => [p.period, nameOf(meta, p.key), String(p.count)]));
    });

    // Per day: more, narrower bars; the address is a link that opens the same view.
    await page.getByTestId("filter-granularity-day").check();
    await page.waitForURL((url) => url.searchParams.get("granularity") === "day");
    const daily = await api<DosesAnswer>("doses", { manufacturer, district, granularity: "day" });
    await eventually(async () =>
      assert.deepEqual(await tableRows(page, "doses-by-manufacturer"), daily.byManufacturer.map((p) => [p.period, nameOf(meta, p.key), String(p.count)])),
    );
    const link = page.url();
    const shared = await openSession(browser, stack, { language: "en" });
    await shared.page.goto(link);
    await shared.page.getByTestId("table-doses-by-manufacturer").waitFor();
    assert.equal(await shared.page.getByTestId("filter-manufacturer").inputValue(), manufacturer);
    assert.equal(await shared.page.getByTestId("filter-district").inputValue(), district);
    assert.equal(await shared.page.getByTestId("filter-granularity-day").isChecked(), true);
    await eventually(async () => assert.deepEqual(await tableRows(shared.page, "doses-by-manufacturer"), await tableRows(page, "doses-by-manufacturer")));
    await shared.context.close();

    await page.getByTestId("filter-reset").click();
    await page.waitForURL((url) => url.search === "");
    await eventually(async () => assert.deepEqual(await tableRows(page, "doses-by-manufacturer"), allRows));
    await s.context.close();
  });

  it("test_dashboard_csvExportDownloadsAndParses", async () => {
    const s = await openDashboard(browser, stack);
    const { page } = s;
    const doses = await api<DosesAnswer>("doses", { granularity: "week" });
    const { rows, header } = await loadedTable(page, "doses-by-manufacturer", doses.byManufacturer.length);

    const csv = await downloaded(page, "export-doses-by-manufacturer-csv");
    const { fromBlock, toBlock } = doses.coverage;
    assert.equal(csv.name, `healthtrace-doses-by-manufacturer-${meta.firstDay ?? ""}-${meta.lastDay ?? ""}-blocks-${String(fromBlock)}-${String(toBlock)}.csv`);
    const parsed = parseCsv(csv.text);
    assert.deepEqual(parsed.header, header);
    assert.deepEqual(parsed.rows, rows);
    assert.ok(csv.text.startsWith("# "), "the CSV opens with its comment lines");
    assert.ok(parsed.comments.includes(`blocks: ${String(fromBlock)}-${String(toBlock)}`), parsed.comments.join("\n"));
    assert.ok(parsed.comments.includes(`chain: ${String(doses.coverage.chainId)}`));
    assert.ok(parsed.comments.includes(`data through: ${doses.coverage.toBlockTime}`));
    assert.ok(parsed.comments.includes("filters: granularity=week"));
    assert.ok(parsed.comments.includes(`source: ${INDEXER_URL}/stats/doses?granularity=week`));

    const json = await downloaded(page, "export-doses-by-manufacturer-json");
    assert.ok(json.name.endsWith(`-blocks-${String(fromBlock)}-${String(toBlock)}.json`));
    const document = JSON.parse(json.text) as { coverage: unknown; rows: Record<string, string | number>[] };
    assert.deepEqual(document.coverage, doses.coverage);
    assert.deepEqual(
      document.rows.map((r) => [r.period, r.manufacturer, r.doses]),
      doses.byManufacturer.map((p) => [p.period, nameOf(meta, p.key), p.count]),
    );
    await s.context.close();
  });

  it("test_dashboard_smallCountsShownAsLessThanFive", async () => {
    const s = await openDashboard(browser, stack);
    const { page } = s;
    const doses = await api<DosesAnswer>("doses", { granularity: "week" });
    const { rows, header } = await loadedTable(page, "dose-cells", doses.cells.length);
    const columns = await page.getByTestId("table-dose-cells").locator("thead th").evaluateAll((ths) => ths.map((th) => th.getAttribute("data-column")));
    const recorded = columns.indexOf("recorded");
    const confirmed = columns.indexOf("confirmed");
    // Every seeded cell (a day, a lot, a district) holds 1 to 4 doses: the indexer publishes "<5", the page shows it.
    const small = (cells: readonly (readonly string[])[], column: number) => cells.map((r) => r[column] ?? "");
    assert.ok(small(rows, recorded).includes("<5"), "the seed has cells of 1 to 4 doses");
    for (const column of [recorded, confirmed]) {
      for (const value of small(rows, column)) assert.match(value, /^(<5|0|[5-9]|\d{2,})$/, `a people count shown as ${value}`);
    }
    assert.deepEqual(rows.map((r) => r[recorded]), doses.cells.map((c) => String(c.recorded)));

    const csv = parseCsv((await downloaded(page, "export-dose-cells-csv")).text);
    assert.deepEqual(csv.header, header);
    assert.deepEqual(csv.rows, rows);
    assert.ok(small(csv.rows, recorded).includes("<5"));
    for (const column of [recorded, confirmed]) for (const value of small(csv.rows, column)) assert.doesNotMatch(value, /^[1-4]$/);
    assert.ok(csv.comments.some((c) => c.startsWith('"<5"')), "the CSV says what <5 means");

    // The chart draws no bar for a "<5" week: a hatched marker instead, and its tooltip says "<5".
    const chart = page.getByTestId("chart-doses-by-manufacturer");
    await page.getByTestId("lt5-legend-doses-by-manufacturer").waitFor();
    const box = await chart.locator('[data-lt5="true"]').first().boundingBox();
    assert.ok(box !== null);
    // Just above the marker, in the plot: the week's band, where the tooltip opens.
    await chart.scrollIntoViewIfNeeded();
    const again = await chart.locator('[data-lt5="true"]').first().boundingBox();
    await page.mouse.move((again ?? box).x + (again ?? box).width / 2, (again ?? box).y - 20);
    await chart.locator(".chart-tooltip").waitFor();
    assert.match((await chart.locator(".chart-tooltip").textContent()) ?? "", /<5/);
    await s.context.close();
  });

  it("test_dashboard_epcisExportIsValidEpcis", async () => {
    const s = await openDashboard(browser, stack);
    const { page } = s;
    const shipments = await api<ShipmentsAnswer>("shipments", { granularity: "week" });
    const link = page.getByTestId("export-epcis");
    await link.waitFor();
    const { fromBlock, toBlock } = shipments.coverage;
    assert.equal(await link.getAttribute("href"), `${INDEXER_URL}/exports/epcis?fromBlock=${String(fromBlock)}&toBlock=${String(toBlock)}`);
    const file = await downloaded(page, "export-epcis");
    assert.equal(file.name, `healthtrace-epcis-${String(fromBlock)}-${String(toBlock)}.jsonld`);
    const document = JSON.parse(file.text) as { epcisBody?: { eventList?: unknown[] } };
    const validation = validateEpcis(document);
    assert.ok(validation.valid, validation.messages.join("\n"));
    assert.ok((document.epcisBody?.eventList?.length ?? 0) > 0, "the seeded supply events are in the export");
    await s.context.close();
  });

  it("test_dashboard_indexerStatesHaveTheirSentences", async () => {
    // Unreachable: every request to the indexer fails.
    const down = await openSession(browser, stack, { language: "en" });
    await down.context.route(`${INDEXER_URL}/**`, (route) => route.abort("connectionrefused"));
    await down.page.goto(DASHBOARD);
    await down.page.getByTestId("indexer-unreachable").waitFor({ timeout: 30_000 });
    assert.match((await down.page.getByTestId("indexer-unreachable").textContent()) ?? "", /cannot be reached/);
    await down.context.close();

    // Catching up: /ready answers 503 while the figures (and how far they go) are shown.
    const behind = await openSession(browser, stack, { language: "zh" });
    await behind.context.route(`${INDEXER_URL}/ready`, (route) => route.fulfill({ status: 503, body: "" }));
    await behind.page.goto(DASHBOARD);
    const banner = behind.page.getByTestId("indexer-catching-up");
    await banner.waitFor();
    await eventually(async () => assert.match((await banner.textContent()) ?? "", /索引服务正在追赶.*区块 \d+/));
    await behind.page.getByTestId("table-doses-by-manufacturer").waitFor();
    await behind.context.close();

    // Refused: a shared link with an impossible date gets the indexer's refusal as a sentence, in both languages.
    const refused = await openSession(browser, stack, { language: "en" });
    await refused.page.goto(`${DASHBOARD}?from=2026-02-30`);
    const error = refused.page.getByTestId("error-doses-by-manufacturer");
    await error.waitFor();
    assert.equal(await error.getAttribute("data-error"), "IndexerBadQuery");
    assert.match((await error.textContent()) ?? "", /^The indexer refused these filters: from=2026-02-30 is not a date/);
    await refused.page.getByTestId("language-switch").click();
    await refused.page.getByText("索引服务拒绝了这些筛选条件").first().waitFor();
    // The lots do not depend on dates: still shown.
    await refused.page.getByTestId("table-lots-by-state").waitFor();
    await refused.context.close();

    // Empty: a period with no doses.
    const empty = await openSession(browser, stack, { language: "en" });
    await empty.page.goto(`${DASHBOARD}?from=2020-01-01&to=2020-01-31`);
    await empty.page.getByTestId("empty-doses-by-manufacturer").waitFor();
    await empty.context.close();
  });

  it("test_dashboard_screenshots", async () => {
    const phone = await openDashboard(browser, stack, "", { language: "zh", phone: true });
    await phone.page.getByTestId("chart-doses-by-manufacturer").locator(".recharts-bar-rectangle").first().waitFor();
    await phone.page.setViewportSize({ width: 390, height: 1500 });
    await screenshot(phone.page, "dashboard-zh-phone", { fullPage: false });
    await phone.context.close();
    const desktop = await openDashboard(browser, stack, "", { language: "en" });
    await desktop.page.getByTestId("chart-consent").waitFor();
    await desktop.page.getByTestId("chart-doses-by-manufacturer").locator(".recharts-bar-rectangle").first().waitFor();
    await screenshot(desktop.page, "dashboard-en-desktop");
    await desktop.context.close();
  });
});
