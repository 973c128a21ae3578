/**
 * The indexer's HTTP API, served by Ponder next to its own `/health`, `/ready`, `/status` and `/metrics`:
 *
 *   /graphql                 Ponder's GraphQL over the public tables (every table but `dose`): lists, filters, paging
 *   /stats/meta              what the dashboard's filters offer
 *   /stats/doses             doses per day/week by manufacturer, lot and district, and the day × lot × district cells
 *   /stats/lots              lots by state
 *   /stats/shipments         shipments in transit / delivered, excursions over time and by carrier, suspect scans
 *   /stats/consent           grants, revocations and reads per category
 *   /shipments/:id/history   one shipment's events in chain order
 *   /exports/epcis           EPCIS 2.0 JSON-LD of the supply events of a block range (and optionally one shipment)
 *
 * Every answer names the block range it covers (`coverage`). Counts of people pass through `publishCount` ("<5").
 * Refusals are 400/404 with `{ error, message }` (api-types.ts IndexerError).
 */
import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono, type Context } from "hono";
import { and, asc, desc, eq, gte, graphql, lt, lte, sql } from "ponder";

type SQL = ReturnType<typeof gte>;

import type {
  ConsentAnswer,
  Coverage,
  DosesAnswer,
  HistoryAnswer,
  IndexerError,
  LotsAnswer,
  MetaAnswer,
  PeopleSeriesPoint,
  PeopleTotal,
  ShipmentsAnswer,
} from "../api-types.ts";
import { buildExport, decodeRow, historyArgs } from "../epcis-export.ts";
import { publishCount } from "../privacy.ts";
import { dayOf, isoDate, parseIsoDate, weekOf } from "../time.ts";
import { LotState } from "../../../scripts/lib/vaccines.ts";
import { Kind } from "../../../scripts/lib/personas.ts";
import { deployment } from "../deployment.ts";

/** The tables anyone may query through GraphQL and SQL: all but the per-dose working table. */
const { dose: _internal, ...publicSchema } = schema;

const app = new Hono();
// Ponder's SQL-over-HTTP (`client`) is not mounted: it serves every table of the schema it is given and, on PGlite,
// cannot be given a subset (its live-query listener expects every table), so `dose` would be public through it.
app.use("/graphql", graphql({ db, schema: publicSchema }));

// ---------------------------------------------------------------------------------------------------------
// Refusals and filters
// ---------------------------------------------------------------------------------------------------------

class BadQuery extends Error {}

function refuse(c: Context, status: 400 | 404 | 500, error: IndexerError["error"], message: string) {
  return c.json({ error, message } satisfies IndexerError, status);
}

app.onError((error, c) =>
  error instanceof BadQuery
    ? refuse(c, 400, "IndexerBadQuery", error.message)
    : refuse(c, 500, "IndexerEpcisFailed", error.message),
);

interface Filters {
  readonly from: number | null;
  readonly to: number | null;
  readonly district: number | null;
  readonly manufacturer: `0x${string}` | null;
  readonly granularity: "day" | "week";
}

function dayParam(c: Context, name: string): number | null {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return null;
  const day = parseIsoDate(raw);
  if (day === null) throw new BadQuery(`${name}=${raw} is not a date (YYYY-MM-DD)`);
  return day;
}

function filtersOf(c: Context): Filters {
  const from = dayParam(c, "from");
  const to = dayParam(c, "to");
  if (from !== null && to !== null && to < from) throw new BadQuery(`to=${isoDate(to)} is before from=${isoDate(from)}`);
  const rawDistrict = c.req.query("district");
  let district: number | null = null;
  if (rawDistrict !== undefined && rawDistrict !== "") {
    if (!/^\d{6}$/.test(rawDistrict)) throw new BadQuery(`district=${rawDistrict} is not a six-digit GB/T 2260 code`);
    district = Number(rawDistrict);
  }
  const rawManufacturer = c.req.query("manufacturer");
  let manufacturer: `0x${string}` | null = null;
  if (rawManufacturer !== undefined && rawManufacturer !== "") {
    if (!/^0x[0-9a-fA-F]{40}$/.test(rawManufacturer)) throw new BadQuery(`manufacturer=${rawManufacturer} is not an address`);
    manufacturer = rawManufacturer.toLowerCase() as `0x${string}`;
  }
  const rawGranularity = c.req.query("granularity") ?? "day";
  if (rawGranularity !== "day" && rawGranularity !== "week")
    throw new BadQuery(`granularity=${rawGranularity} is not day or week`);
  return { from, to, district, manufacturer, granularity: rawGranularity };
}

/** `from ≤ column ≤ to` for a day column. */
function dayRange(column: Parameters<typeof gte>[0], f: Filters): SQL[] {
  const out: SQL[] = [];
  if (f.from !== null) out.push(gte(column, f.from));
  if (f.to !== null) out.push(lte(column, f.to));
  return out;
}

const periodOf = (f: Filters) => (day: number) => isoDate(f.granularity === "week" ? weekOf(day) : day);

// ---------------------------------------------------------------------------------------------------------
// Coverage: the indexed block range, read before and after the data so an answer never mixes two states
// ---------------------------------------------------------------------------------------------------------

interface Checkpoint {
  readonly chainId: number;
  readonly blockNumber: number;
  readonly blockTimestamp: number;
}

// Ponder's checkpoint string: block timestamp (10 digits), chain id (16), block number (16), then the position in the block.
function decodeCheckpoint(checkpoint: string): Checkpoint {
  return {
    blockTimestamp: Number(checkpoint.slice(0, 10)),
    chainId: Number(checkpoint.slice(10, 26)),
    blockNumber: Number(checkpoint.slice(26, 42)),
  };
}

async function checkpoint(): Promise<Checkpoint> {
  const result = await db.execute(sql`SELECT latest_checkpoint FROM _ponder_checkpoint LIMIT 1`);
  const rows = (result as unknown as { rows: { latest_checkpoint: string }[] }).rows;
  if (rows.length === 0) throw new Error("the indexer has not started");
  return decodeCheckpoint(rows[0]!.latest_checkpoint);
}

const START_BLOCK = deployment.startBlock;

/** Run `read` on one indexed state and name it: retried when blocks were indexed meanwhile. */
async function covered<T>(read: () => Promise<T>): Promise<{ coverage: Coverage; data: T }> {
  for (let attempt = 0; ; attempt++) {
    const before = await checkpoint();
    const data = await read();
    const after = await checkpoint();
    if (after.blockNumber === before.blockNumber || attempt >= 4) {
      return {
        coverage: {
          chainId: before.chainId,
          fromBlock: START_BLOCK,
          toBlock: before.blockNumber,
          toBlockTime: new Date(before.blockTimestamp * 1000).toISOString(),
        },
        data,
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// /stats/*
// ---------------------------------------------------------------------------------------------------------

app.get("/stats/meta", async (c) => {
  const { coverage, data } = await covered(async () => {
    const [orgs, lots, districts, span] = await Promise.all([
      db.select().from(schema.organisation).orderBy(asc(schema.organisation.name)),
      db.select().from(schema.lot).orderBy(asc(schema.lot.lotId)),
      db.selectDistinct({ district: schema.doseCell.district }).from(schema.doseCell).orderBy(asc(schema.doseCell.district)),
      db.execute(sql`SELECT min(block_timestamp) AS first, max(block_timestamp) AS last FROM provenance_event`),
    ]);
    return { orgs, lots, districts, span };
  });
  const nowDay = dayOf(Date.parse(coverage.toBlockTime) / 1000);
  const spanRow = (
    data.span as unknown as {
      rows: { first: string | null; last: string | null }[];
    }
  ).rows[0];
  const firstDays = [...data.lots.map((l) => l.registeredDay), ...(spanRow?.first != null ? [dayOf(BigInt(spanRow.first))] : [])];
  const entry = (o: (typeof data.orgs)[number]) => ({
    address: o.address,
    kind: o.kind,
    district: o.district,
    name: o.name,
    localName: o.localName,
  });
  const answer: MetaAnswer = {
    coverage,
    firstDay: firstDays.length === 0 ? null : isoDate(Math.min(...firstDays)),
    lastDay: firstDays.length === 0 ? null : isoDate(nowDay),
    districts: data.districts.map((d) => d.district),
    manufacturers: data.orgs.filter((o) => o.kind === Kind.Manufacturer).map(entry),
    carriers: data.orgs.filter((o) => o.kind === Kind.Carrier).map(entry),
    lots: data.lots.map((l) => ({
      lotId: l.lotId,
      lotNumber: l.lotNumber,
      manufacturer: l.manufacturer,
      gtin: l.gtin.toString(),
      state: effectiveLotState(l.state, l.expiresAt, coverage),
    })),
  };
  return c.json(answer);
});

/** A lot past its expiry is expired unless it was recalled or found non-conformant (the contract's own rule). */
function effectiveLotState(state: number, expiresAt: number, coverage: Coverage): number {
  const now = Date.parse(coverage.toBlockTime) / 1000;
  if (state === LotState.Recalled || state === LotState.NonConformant) return state;
  return expiresAt <= now ? LotState.Expired : state;
}

app.get("/stats/doses", async (c) => {
  const f = filtersOf(c);
  const cell = schema.doseCell;
  const where = and(
    ...dayRange(cell.day, f),
    ...(f.district === null ? [] : [eq(cell.district, f.district)]),
    ...(f.manufacturer === null ? [] : [eq(cell.manufacturer, f.manufacturer)]),
  );
  const { coverage, data } = await covered(async () => {
    const [rows, lots] = await Promise.all([
      db.select().from(cell).where(where).orderBy(desc(cell.day), asc(cell.lotId), asc(cell.district)),
      db.select({ lotId: schema.lot.lotId, lotNumber: schema.lot.lotNumber }).from(schema.lot),
    ]);
    return { rows, lots };
  });
  const lotNumber = new Map(data.lots.map((l) => [l.lotId, l.lotNumber]));
  const period = periodOf(f);
  const series = (keyOf: (row: (typeof data.rows)[number]) => string): PeopleSeriesPoint[] => {
    const sums = new Map<string, { period: string; key: string; count: number }>();
    for (const row of data.rows) {
      const p = period(row.day);
      const key = keyOf(row);
      const id = `${p}|${key}`;
      const entry = sums.get(id) ?? { period: p, key, count: 0 };
      entry.count += row.recorded;
      sums.set(id, entry);
    }
    return [...sums.values()]
      .sort((a, b) => a.period.localeCompare(b.period) || a.key.localeCompare(b.key))
      .map((s) => ({
        period: s.period,
        key: s.key,
        count: publishCount(s.count),
      }));
  };
  // Over the whole selected period, summed before publishing (a sum of published "<5" cells would be wrong).
  const totals = (keyOf: (row: (typeof data.rows)[number]) => string): PeopleTotal[] => {
    const sums = new Map<string, number>();
    for (const row of data.rows) {
      const key = keyOf(row);
      sums.set(key, (sums.get(key) ?? 0) + row.recorded);
    }
    return [...sums.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([key, count]) => ({ key, count: publishCount(count) }));
  };
  const answer: DosesAnswer = {
    coverage,
    granularity: f.granularity,
    byManufacturer: series((r) => r.manufacturer),
    byLot: series((r) => String(r.lotId)),
    byDistrict: series((r) => String(r.district)),
    lotTotals: totals((r) => String(r.lotId)),
    districtTotals: totals((r) => String(r.district)),
    cells: data.rows.map((r) => ({
      day: isoDate(r.day),
      lotId: r.lotId,
      lotNumber: lotNumber.get(r.lotId) ?? "",
      manufacturer: r.manufacturer,
      district: r.district,
      recorded: publishCount(r.recorded),
      confirmed: publishCount(r.confirmed),
    })),
    total: publishCount(data.rows.reduce((sum, r) => sum + r.recorded, 0)),
  };
  return c.json(answer);
});

app.get("/stats/lots", async (c) => {
  const f = filtersOf(c);
  const { coverage, data } = await covered(() =>
    db
      .select()
      .from(schema.lot)
      .where(f.manufacturer === null ? undefined : eq(schema.lot.manufacturer, f.manufacturer))
      .orderBy(asc(schema.lot.lotId)),
  );
  const lots = data.map((l) => ({
    lotId: l.lotId,
    lotNumber: l.lotNumber,
    manufacturer: l.manufacturer,
    gtin: l.gtin.toString(),
    state: effectiveLotState(l.state, l.expiresAt, coverage),
    dosesRecorded: l.dosesRecorded,
    doseCount: l.doseCount,
  }));
  const byState = new Map<number, number>();
  for (const l of lots) byState.set(l.state, (byState.get(l.state) ?? 0) + 1);
  const answer: LotsAnswer = {
    coverage,
    byState: [...byState.entries()].sort((a, b) => a[0] - b[0]).map(([state, count]) => ({ state, count })),
    lots,
  };
  return c.json(answer);
});

app.get("/stats/shipments", async (c) => {
  const f = filtersOf(c);
  const s = schema.shipment;
  const shipmentWhere = and(
    ...dayRange(s.createdDay, f),
    ...(f.manufacturer === null ? [] : [eq(s.manufacturer, f.manufacturer)]),
  );
  const { coverage, data } = await covered(async () => {
    const [created, excursions, scans] = await Promise.all([
      db
        .select({
          day: s.createdDay,
          delivered: s.delivered,
          count: sql<number>`count(*)::int`,
        })
        .from(s)
        .where(shipmentWhere)
        .groupBy(s.createdDay, s.delivered),
      db
        .select()
        .from(schema.excursionCell)
        .where(and(...dayRange(schema.excursionCell.day, f))),
      db
        .select()
        .from(schema.suspectScanCell)
        .where(and(...dayRange(schema.suspectScanCell.day, f))),
    ]);
    return { created, excursions, scans };
  });
  const period = periodOf(f);
  const createdByPeriod = new Map<string, { period: string; inTransit: number; delivered: number }>();
  let inTransit = 0;
  let delivered = 0;
  for (const row of data.created) {
    const p = period(row.day);
    const entry = createdByPeriod.get(p) ?? {
      period: p,
      inTransit: 0,
      delivered: 0,
    };
    if (row.delivered) {
      entry.delivered += row.count;
      delivered += row.count;
    } else {
      entry.inTransit += row.count;
      inTransit += row.count;
    }
    createdByPeriod.set(p, entry);
  }
  const excursionsByPeriod = new Map<string, number>();
  const excursionsByCarrier = new Map<string, number>();
  for (const row of data.excursions) {
    const p = period(row.day);
    excursionsByPeriod.set(p, (excursionsByPeriod.get(p) ?? 0) + row.count);
    excursionsByCarrier.set(row.carrier, (excursionsByCarrier.get(row.carrier) ?? 0) + row.count);
  }
  const scans = new Map<string, { period: string; verdict: number; count: number }>();
  for (const row of data.scans) {
    const p = period(row.day);
    const id = `${p}|${row.verdict}`;
    const entry = scans.get(id) ?? {
      period: p,
      verdict: row.verdict,
      count: 0,
    };
    entry.count += row.count;
    scans.set(id, entry);
  }
  const byPeriod = <T extends { period: string }>(a: T, b: T) => a.period.localeCompare(b.period);
  const answer: ShipmentsAnswer = {
    coverage,
    inTransit,
    delivered,
    createdByPeriod: [...createdByPeriod.values()].sort(byPeriod),
    excursionsByPeriod: [...excursionsByPeriod.entries()].map(([p, count]) => ({ period: p, count })).sort(byPeriod),
    excursionsByCarrier: [...excursionsByCarrier.entries()]
      .map(([carrier, count]) => ({ carrier, count }))
      .sort((a, b) => b.count - a.count || a.carrier.localeCompare(b.carrier)),
    suspectScansByPeriod: [...scans.values()].sort((a, b) => byPeriod(a, b) || a.verdict - b.verdict),
  };
  return c.json(answer);
});

app.get("/stats/consent", async (c) => {
  const f = filtersOf(c);
  const { coverage, data } = await covered(() =>
    db
      .select()
      .from(schema.consentCell)
      .where(and(...dayRange(schema.consentCell.day, f))),
  );
  const period = periodOf(f);
  type Sums = { period: string; category: number; grants: number; revocations: number; reads: number };
  // Per period and category, and per category over the whole selected period (summed before publishing).
  const sums = new Map<string, Sums>();
  const categoryTotals = new Map<string, Sums>();
  const add = (map: Map<string, Sums>, p: string, row: (typeof data)[number]) => {
    const id = `${p}|${row.category}`;
    const entry = map.get(id) ?? { period: p, category: row.category, grants: 0, revocations: 0, reads: 0 };
    entry.grants += row.grants;
    entry.revocations += row.revocations;
    entry.reads += row.reads;
    map.set(id, entry);
  };
  for (const row of data) {
    add(sums, period(row.day), row);
    add(categoryTotals, "", row);
  }
  const published = (entries: Iterable<Sums>) =>
    [...entries]
      .sort((a, b) => a.period.localeCompare(b.period) || a.category - b.category)
      .map((r) => ({
        period: r.period,
        category: r.category,
        grants: publishCount(r.grants),
        revocations: publishCount(r.revocations),
        reads: publishCount(r.reads),
      }));
  const answer: ConsentAnswer = {
    coverage,
    rows: published(sums.values()),
    byCategory: published(categoryTotals.values()).map(({ period: _all, ...total }) => total),
  };
  return c.json(answer);
});

// ---------------------------------------------------------------------------------------------------------
// A shipment's history and the EPCIS export
// ---------------------------------------------------------------------------------------------------------

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

app.get("/shipments/:id/history", async (c) => {
  const id = c.req.param("id");
  if (!BYTES32.test(id)) throw new BadQuery(`${id} is not a shipment id (0x + 64 hex digits)`);
  const shipmentId = id.toLowerCase() as `0x${string}`;
  const e = schema.provenanceEvent;
  const { coverage, data } = await covered(() =>
    db.select().from(e).where(eq(e.shipmentId, shipmentId)).orderBy(asc(e.blockNumber), asc(e.logIndex)),
  );
  if (data.length === 0) return refuse(c, 404, "IndexerNotFound", `No shipment ${shipmentId} is indexed.`);
  const answer: HistoryAnswer = {
    coverage,
    shipmentId,
    events: data.map((row) => {
      const event = decodeRow(row);
      return {
        name: event.name,
        blockNumber: event.log.blockNumber,
        logIndex: event.log.logIndex,
        transactionHash: event.log.transactionHash,
        time: new Date(event.log.blockTimestamp * 1000).toISOString(),
        args: historyArgs(event),
      };
    }),
  };
  return c.json(answer);
});

function blockParam(c: Context, name: string): number | null {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return null;
  if (!/^\d{1,15}$/.test(raw)) throw new BadQuery(`${name}=${raw} is not a block number`);
  return Number(raw);
}

app.get("/exports/epcis", async (c) => {
  const rawShipment = c.req.query("shipment");
  if (rawShipment !== undefined && rawShipment !== "" && !BYTES32.test(rawShipment)) {
    throw new BadQuery(`shipment=${rawShipment} is not a shipment id (0x + 64 hex digits)`);
  }
  const shipmentId = rawShipment === undefined || rawShipment === "" ? null : (rawShipment.toLowerCase() as `0x${string}`);
  const requestedFrom = blockParam(c, "fromBlock");
  const requestedTo = blockParam(c, "toBlock");
  const e = schema.provenanceEvent;
  const { coverage, data } = await covered(async () => {
    const last = await checkpoint();
    const fromBlock = requestedFrom ?? START_BLOCK;
    const toBlock = Math.min(requestedTo ?? last.blockNumber, last.blockNumber);
    if (toBlock < fromBlock)
      throw new BadQuery(`the range ${fromBlock}…${toBlock} is empty (indexed up to block ${last.blockNumber})`);
    const inRange = and(
      gte(e.blockNumber, BigInt(fromBlock)),
      lte(e.blockNumber, BigInt(toBlock)),
      ...(shipmentId === null ? [] : [eq(e.shipmentId, shipmentId)]),
    );
    // Identities and location names from before the range, which the document needs but does not list.
    const before = and(lt(e.blockNumber, BigInt(fromBlock)), sql`${e.name} IN ('ShipmentCreated', 'LocationRegistered')`);
    const [rows, lookups] = await Promise.all([
      db.select().from(e).where(inRange).orderBy(asc(e.blockNumber), asc(e.logIndex)),
      db.select().from(e).where(before),
    ]);
    return { fromBlock, toBlock, rows, lookups };
  });
  const document = buildExport(data.rows, data.lookups, {
    chainId: coverage.chainId,
    fromBlock: data.fromBlock,
    toBlock: data.toBlock,
    shipmentId,
  });
  c.header("Content-Disposition", `attachment; filename="healthtrace-epcis-${data.fromBlock}-${data.toBlock}.jsonld"`);
  return c.body(JSON.stringify(document, null, 2), 200, {
    "Content-Type": "application/ld+json; charset=utf-8",
  });
});

export default app;
