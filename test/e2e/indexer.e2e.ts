/**
 * The indexer against the real contracts on the fresh chain of this run (deployed and seeded with six months of demo
 * history by the stack `scripts/e2e.ts` starts): every aggregate it serves equals the count computed here,
 * independently, from `eth_getLogs` (viem decodes the logs with the generated ABIs; days are China Standard Time).
 * Then: it follows a new block within seconds; a second indexer on its own database, stopped and started again,
 * resumes from its checkpoint instead of reading from the deployment block, and still agrees with the logs; and
 * `npm run indexer` over a chain that is restarted under it (a node of its own, a deployment id of its own) re-indexes
 * the new deployment from its first block.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { type Abi, type Address, createPublicClient, createWalletClient, decodeEventLog, type Hex, http, type Log } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";

import {
  consentRegistryAbi,
  healthTraceAuthorityAbi,
  provenanceRegistryAbi,
  recordRegistryAbi,
  vaccineRegistryAbi,
} from "../../app/src/generated/healthtrace.ts";
import type { ConsentAnswer, DosesAnswer, HistoryAnswer, LotsAnswer, ShipmentsAnswer } from "../../indexer/src/api-types.ts";
import { publishCount } from "../../indexer/src/privacy.ts";
import { dayOf } from "../../indexer/src/time.ts";
import { validateEpcis } from "../../scripts/lib/epcis-schema.ts";
import { indexerProcess, readIndexerDeployment, type IndexerDeployment } from "../../scripts/lib/indexer.ts";
import { deployHealthTrace, type LocalNode, startHardhatNode } from "../../scripts/lib/local-chain.ts";
import { DEV_MNEMONIC, Kind, persona } from "../../scripts/lib/personas.ts";
import { LotState } from "../../scripts/lib/vaccines.ts";
import { account, INDEXER_URL, readStack, ROOT, RPC_URL } from "./harness.ts";

const SECOND_INDEXER_PORT = Number(process.env.E2E_SECOND_INDEXER_PORT ?? "8892");
const client = createPublicClient({ transport: http(RPC_URL) });

// ---------------------------------------------------------------------------------------------------------
// The indexer's side: GraphQL (exact counts) and the stats routes, read at one indexed block
// ---------------------------------------------------------------------------------------------------------

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url} → ${response.status} ${await response.clone().text()}`);
  return (await response.json()) as T;
}

async function indexedBlock(base: string): Promise<number> {
  const status = await getJson<Record<string, { block: { number: number } }>>(`${base}/status`);
  return Object.values(status)[0]!.block.number;
}

/** Every row of a GraphQL list (Ponder pages by cursor, at most 1,000 a page). */
async function allRows<T>(base: string, list: string, fields: string): Promise<T[]> {
  const rows: T[] = [];
  let after: string | null = null;
  for (;;) {
    const query = `query($after: String) { ${list}(limit: 1000, after: $after) { items { ${fields} } pageInfo { hasNextPage endCursor } } }`;
    const response = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables: { after } }),
    });
    const body = (await response.json()) as {
      data?: Record<
        string,
        {
          items: T[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        }
      >;
      errors?: unknown;
    };
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    const page = body.data![list]!;
    rows.push(...page.items);
    if (!page.pageInfo.hasNextPage) return rows;
    after = page.pageInfo.endCursor;
  }
}

interface IndexedView {
  readonly block: number;
  readonly doseCells: {
    day: number;
    lotId: number;
    district: number;
    recorded: number;
    confirmed: number;
    voided: number;
  }[];
  readonly consentCells: {
    day: number;
    category: number;
    grants: number;
    revocations: number;
    reads: number;
  }[];
  readonly recordCells: { day: number; category: number; anchored: number }[];
  readonly suspectScanCells: { day: number; verdict: number; count: number }[];
  readonly excursionCells: { day: number; carrier: string; count: number }[];
  readonly provenanceEvents: { id: string }[];
  readonly lots: LotsAnswer;
  readonly shipments: ShipmentsAnswer;
  readonly doses: DosesAnswer;
  readonly consent: ConsentAnswer;
}

/** Everything the comparison needs, from one indexed state (re-read when blocks were indexed meanwhile). */
async function readIndexer(base: string): Promise<IndexedView> {
  for (;;) {
    const block = await indexedBlock(base);
    const [doseCells, consentCells, recordCells, suspectScanCells, excursionCells, provenanceEvents, lots, shipments, doses, consent] =
      await Promise.all([
        allRows<IndexedView["doseCells"][number]>(base, "doseCells", "day lotId district recorded confirmed voided"),
        allRows<IndexedView["consentCells"][number]>(base, "consentCells", "day category grants revocations reads"),
        allRows<IndexedView["recordCells"][number]>(base, "recordCells", "day category anchored"),
        allRows<IndexedView["suspectScanCells"][number]>(base, "suspectScanCells", "day verdict count"),
        allRows<IndexedView["excursionCells"][number]>(base, "excursionCells", "day carrier count"),
        allRows<IndexedView["provenanceEvents"][number]>(base, "provenanceEvents", "id"),
        getJson<LotsAnswer>(`${base}/stats/lots`),
        getJson<ShipmentsAnswer>(`${base}/stats/shipments`),
        getJson<DosesAnswer>(`${base}/stats/doses`),
        getJson<ConsentAnswer>(`${base}/stats/consent`),
      ]);
    if ((await indexedBlock(base)) !== block) continue;
    return {
      block,
      doseCells,
      consentCells,
      recordCells,
      suspectScanCells,
      excursionCells,
      provenanceEvents,
      lots,
      shipments,
      doses,
      consent,
    };
  }
}

// ---------------------------------------------------------------------------------------------------------
// The independent side: eth_getLogs, decoded here
// ---------------------------------------------------------------------------------------------------------

interface Decoded {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly blockNumber: number;
  readonly logIndex: number;
  readonly day: number;
  readonly timestamp: number;
}

async function logsOf(abi: Abi, address: Address, fromBlock: number, toBlock: number, rpc = client): Promise<Decoded[]> {
  const logs: Log[] = await rpc.getLogs({
    address,
    fromBlock: BigInt(fromBlock),
    toBlock: BigInt(toBlock),
  });
  const times = new Map<bigint, number>();
  for (const blockNumber of new Set(logs.map((l) => l.blockNumber!))) {
    times.set(blockNumber, Number((await rpc.getBlock({ blockNumber })).timestamp));
  }
  return logs.map((log) => {
    const decoded = decodeEventLog({ abi, topics: log.topics, data: log.data });
    const timestamp = times.get(log.blockNumber!)!;
    return {
      name: decoded.eventName!,
      args: decoded.args as unknown as Record<string, unknown>,
      blockNumber: Number(log.blockNumber),
      logIndex: log.logIndex!,
      day: dayOf(timestamp),
      timestamp,
    };
  });
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
}

const sorted = (m: Map<string, number>) => [...m.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b));

/** Assert the indexer's view equals what the logs up to its block say. */
async function assertAgreesWithLogs(view: IndexedView, deployment: IndexerDeployment): Promise<void> {
  const range = [deployment.startBlock, view.block] as const;
  const [vaccine, provenance, consent, records] = await Promise.all([
    logsOf(vaccineRegistryAbi, deployment.contracts.VaccineRegistry, ...range),
    logsOf(provenanceRegistryAbi, deployment.contracts.ProvenanceRegistry, ...range),
    logsOf(consentRegistryAbi, deployment.contracts.ConsentRegistry, ...range),
    logsOf(recordRegistryAbi, deployment.contracts.RecordRegistry, ...range),
  ]);

  // Doses: recorded, confirmed and voided per CST day × lot × district.
  const recorded = vaccine.filter((e) => e.name === "DoseRecorded");
  assert.ok(recorded.length > 100, `the seed records doses (${recorded.length})`);
  const cellOf = new Map(recorded.map((e) => [e.args.doseId as string, `${e.day}|${e.args.lotId}|${e.args.district}`]));
  const expectedRecorded = countBy(recorded, (e) => cellOf.get(e.args.doseId as string)!);
  const expectedConfirmed = countBy(
    vaccine.filter((e) => e.name === "DoseConfirmed"),
    (e) => cellOf.get(e.args.doseId as string)!,
  );
  const expectedVoided = countBy(
    vaccine.filter((e) => e.name === "DoseVoided"),
    (e) => cellOf.get(e.args.doseId as string)!,
  );
  const cellKey = (c: { day: number; lotId: number; district: number }) => `${c.day}|${c.lotId}|${c.district}`;
  const indexed = (field: "recorded" | "confirmed" | "voided") => new Map(view.doseCells.map((c) => [cellKey(c), c[field]]));
  assert.deepEqual(sorted(indexed("recorded")), sorted(expectedRecorded), "doses recorded per day × lot × district");
  assert.deepEqual(sorted(indexed("confirmed")), sorted(expectedConfirmed), "doses confirmed per cell");
  assert.deepEqual(sorted(indexed("voided")), sorted(expectedVoided), "doses voided per cell");
  assert.equal(view.doses.total, publishCount(recorded.length), "/stats/doses total");
  assert.equal(view.doses.cells.length, expectedRecorded.size, "/stats/doses has one row per cell");
  // Over the whole period per lot and per district: summed first, then published.
  for (const [field, keyOf] of [
    ["lotTotals", (e: Decoded) => String(e.args.lotId)],
    ["districtTotals", (e: Decoded) => String(e.args.district)],
  ] as const) {
    assert.deepEqual(
      new Map(view.doses[field].map((t) => [t.key, t.count])),
      new Map([...countBy(recorded, keyOf)].map(([k, n]) => [k, publishCount(n)])),
      `/stats/doses ${field}`,
    );
  }

  // Lots by state: registered, released, recalled, non-conformant, expired at the indexed block's time.
  const blockTime = Number((await client.getBlock({ blockNumber: BigInt(view.block) })).timestamp);
  const ids = (name: string) => new Set(vaccine.filter((e) => e.name === name).map((e) => Number(e.args.lotId)));
  const [released, recalled, nonConformant] = [ids("LotReleased"), ids("LotRecalled"), ids("LotNonConformant")];
  const expectedStates = countBy(
    vaccine.filter((e) => e.name === "LotRegistered"),
    (e) => {
      const id = Number(e.args.lotId);
      if (recalled.has(id)) return String(LotState.Recalled);
      if (nonConformant.has(id)) return String(LotState.NonConformant);
      if (Number(e.args.expiresAt) <= blockTime) return String(LotState.Expired);
      return String(released.has(id) ? LotState.Active : LotState.PendingRelease);
    },
  );
  assert.deepEqual(
    sorted(new Map(view.lots.byState.map((s) => [String(s.state), s.count]))),
    sorted(expectedStates),
    "lots by state",
  );

  // Shipments: created, delivered (final hand-over accepted), excursions by day and carrier, suspect scans.
  const created = provenance.filter((e) => e.name === "ShipmentCreated");
  const delivered = new Set(
    provenance.filter((e) => e.name === "HandoverAccepted" && e.args.isFinal === true).map((e) => e.args.shipmentId as string),
  );
  assert.ok(created.length > 10 && delivered.size > 0, "the seed creates and delivers shipments");
  assert.equal(view.shipments.delivered, delivered.size, "shipments delivered");
  assert.equal(view.shipments.inTransit, created.length - delivered.size, "shipments in transit");
  const holder = new Map(created.map((e) => [e.args.shipmentId as string, (e.args.manufacturer as string).toLowerCase()]));
  const excursions: string[] = [];
  for (const e of provenance) {
    if (e.name === "HandoverAccepted") holder.set(e.args.shipmentId as string, (e.args.to as string).toLowerCase());
    if (e.name === "ColdChainExcursion") excursions.push(`${e.day}|${holder.get(e.args.shipmentId as string)}`);
  }
  assert.ok(excursions.length > 0, "the seed has a cold-chain excursion");
  assert.deepEqual(
    sorted(new Map(view.excursionCells.map((c) => [`${c.day}|${c.carrier}`, c.count]))),
    sorted(countBy(excursions, (k) => k)),
    "excursions per day and carrier",
  );
  const scans = provenance.filter((e) => e.name === "SuspectScanReported");
  assert.ok(scans.length > 0, "the seed reports suspect scans");
  assert.deepEqual(
    sorted(new Map(view.suspectScanCells.map((c) => [`${c.day}|${c.verdict}`, c.count]))),
    sorted(countBy(scans, (e) => `${e.day}|${e.args.verdict}`)),
    "suspect scans per day and verdict",
  );
  assert.equal(view.provenanceEvents.length, provenance.length, "every ProvenanceRegistry event is kept");

  // Consent and records: counts per day and category.
  const consentKey = (e: Decoded) => `${e.day}|${e.args.category}`;
  for (const [field, name] of [
    ["grants", "ConsentGranted"],
    ["revocations", "ConsentRevoked"],
    ["reads", "AccessLogged"],
  ] as const) {
    assert.deepEqual(
      sorted(new Map(view.consentCells.map((c) => [`${c.day}|${c.category}`, c[field]]))),
      sorted(
        countBy(
          consent.filter((e) => e.name === name),
          consentKey,
        ),
      ),
      `consent ${field} per day and category`,
    );
    const perCategory = countBy(
      consent.filter((e) => e.name === name),
      (e) => String(e.args.category),
    );
    assert.deepEqual(
      new Map(view.consent.byCategory.filter((c) => c[field] !== 0).map((c) => [String(c.category), c[field]])),
      new Map([...perCategory].map(([k, n]) => [k, publishCount(n)])),
      `/stats/consent ${field} per category`,
    );
  }
  assert.ok(
    consent.some((e) => e.name === "ConsentGranted"),
    "the seed grants consent",
  );
  assert.deepEqual(
    sorted(new Map(view.recordCells.map((c) => [`${c.day}|${c.category}`, c.anchored]))),
    sorted(
      countBy(
        records.filter((e) => e.name === "RecordAnchored"),
        consentKey,
      ),
    ),
    "records anchored per day and category",
  );
}

// ---------------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------------

describe("indexer", () => {
  let deployment: IndexerDeployment;

  before(async () => {
    deployment = await readIndexerDeployment(RPC_URL, await client.getChainId());
    for (let i = 0; ; i++) {
      const response = await fetch(`${INDEXER_URL}/ready`).catch(() => null);
      if (response?.status === 200) break;
      assert.ok(i < 240, "the stack's indexer is ready within two minutes");
      await new Promise((r) => setTimeout(r, 500));
    }
  });

  it("test_aggregates_equalCountsFromGetLogs", async () => {
    await assertAgreesWithLogs(await readIndexer(INDEXER_URL), deployment);
  });

  it("test_stats_smallCountsPublishedAsLessThanFive", async () => {
    const view = await readIndexer(INDEXER_URL);
    const exact = new Map(view.doseCells.map((c) => [`${c.day}|${c.lotId}|${c.district}`, c.recorded]));
    const small = view.doses.cells.filter((c) => c.recorded === "<5");
    assert.ok(small.length > 0, "the seeded history has cells of 1-4 doses");
    for (const cell of view.doses.cells) {
      const [y, m, d] = cell.day.split("-").map(Number);
      const day = Date.UTC(y!, m! - 1, d!) / 86_400_000;
      const count = exact.get(`${day}|${cell.lotId}|${cell.district}`)!;
      assert.equal(cell.recorded, count < 5 ? "<5" : count, `cell ${cell.day} lot ${cell.lotId} district ${cell.district}`);
    }
  });

  it("test_history_oneShipmentInChainOrder_equalsItsLogs", async () => {
    const view = await readIndexer(INDEXER_URL);
    const logs = await logsOf(provenanceRegistryAbi, deployment.contracts.ProvenanceRegistry, deployment.startBlock, view.block);
    const excursion = logs.find((e) => e.name === "ColdChainExcursion")!;
    const shipmentId = excursion.args.shipmentId as Hex;
    const own = logs.filter((e) => e.args.shipmentId === shipmentId);
    const history = await getJson<HistoryAnswer>(`${INDEXER_URL}/shipments/${shipmentId}/history`);
    assert.deepEqual(
      history.events.map((e) => `${e.blockNumber}:${e.logIndex}:${e.name}`),
      own.map((e) => `${e.blockNumber}:${e.logIndex}:${e.name}`),
    );
    assert.equal((await fetch(`${INDEXER_URL}/shipments/0x1234/history`)).status, 400);
    assert.equal((await fetch(`${INDEXER_URL}/shipments/0x${"0".repeat(64)}/history`)).status, 404);
  });

  it("test_epcisExport_validAgainstTheGs1SchemaAndNamesItsBlocks", async () => {
    const response = await fetch(`${INDEXER_URL}/exports/epcis`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /application\/ld\+json/);
    const document = (await response.json()) as {
      epcisBody: { eventList: unknown[] };
      "ht:fromBlock"?: number;
    } & Record<string, unknown>;
    const validation = validateEpcis(document);
    assert.equal(validation.valid, true, JSON.stringify(validation));
    assert.ok(document.epcisBody.eventList.length > 10);
    const text = JSON.stringify(document);
    assert.match(text, new RegExp(`"ht:fromBlock":\\s*${deployment.startBlock}`));
    assert.match(
      response.headers.get("content-disposition") ?? "",
      new RegExp(`healthtrace-epcis-${deployment.startBlock}-\\d+\\.jsonld`),
    );
    assert.equal((await fetch(`${INDEXER_URL}/exports/epcis?fromBlock=9&toBlock=3`)).status, 400);
  });

  it("test_stats_badFilter_refusedWithItsCode", async () => {
    for (const query of [
      "from=2026-02-30",
      "district=31",
      "manufacturer=0x12",
      "granularity=month",
      "from=2026-10-02&to=2026-10-01",
    ]) {
      const response = await fetch(`${INDEXER_URL}/stats/doses?${query}`);
      assert.equal(response.status, 400, query);
      assert.equal(((await response.json()) as { error: string }).error, "IndexerBadQuery", query);
    }
  });

  it("test_newBlock_indexedWithinSeconds", async () => {
    const stack = readStack();
    const clinic = account(stack, "ruijin");
    const wallet = createWalletClient({
      account: privateKeyToAccount(clinic.publicTestPrivateKey),
      transport: http(RPC_URL),
    });
    const before = await readIndexer(INDEXER_URL);
    const lot = before.lots.lots.find((l) => l.state === LotState.Active)!;
    const citizen = `0x${Date.now().toString(16).padStart(40, "0")}` as Address;
    const hash = await wallet.writeContract({
      chain: null,
      address: deployment.contracts.VaccineRegistry,
      abi: vaccineRegistryAbi,
      functionName: "recordDose",
      args: [lot.lotId, citizen, 1, persona("ruijin").district],
    });
    const receipt = await client.waitForTransactionReceipt({ hash });
    const sent = Date.now();
    while ((await indexedBlock(INDEXER_URL)) < Number(receipt.blockNumber)) {
      assert.ok(Date.now() - sent < 10_000, "indexed within 10 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    const afterLots = await getJson<LotsAnswer>(`${INDEXER_URL}/stats/lots`);
    assert.equal(afterLots.lots.find((l) => l.lotId === lot.lotId)!.dosesRecorded, lot.dosesRecorded + 1);
  });

  describe("a second indexer, restarted", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "healthtrace-indexer-"));
    const databaseDir = path.join(dir, "db");
    const deploymentFile = path.join(dir, "deployment.json");
    const base = `http://127.0.0.1:${SECOND_INDEXER_PORT}`;
    let child: ChildProcess | null = null;
    let output = "";

    async function start(): Promise<void> {
      writeFileSync(deploymentFile, JSON.stringify(deployment));
      const { command, args, env } = indexerProcess({
        deploymentFile,
        deployment,
        port: SECOND_INDEXER_PORT,
        databaseDir,
      });
      output = "";
      child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
      child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      for (let i = 0; ; i++) {
        const response = await fetch(`${base}/ready`).catch(() => null);
        if (response?.status === 200) return;
        assert.ok(i < 360 && child.exitCode === null, `the second indexer gets ready:\n${output.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }

    async function stop(): Promise<void> {
      const proc = child;
      child = null;
      if (proc === null || proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await exited;
    }

    after(async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    });

    /** How many eth_getLogs requests this indexer process has made (Ponder's /metrics). */
    async function getLogsRequests(): Promise<number> {
      const metrics = await (await fetch(`${base}/metrics`)).text();
      const line = metrics.split("\n").find((l) => l.startsWith('ponder_rpc_request_duration_count{method="eth_getLogs"'));
      return line === undefined ? 0 : Number(line.split(" ").at(-1));
    }

    it("test_restart_resumesFromItsCheckpoint_andStillAgreesWithLogs", async () => {
      await start();
      const first = await indexedBlock(base);
      assert.match(
        output,
        new RegExp(`block_range=\\[${deployment.startBlock},`),
        "the first start reads from the deployment block",
      );
      const firstRequests = await getLogsRequests();
      assert.ok(firstRequests > 0);
      await stop();
      // A block produced while it is down is read after the restart; the blocks before it are not fetched again.
      await client.request({
        method: "evm_mine" as never,
        params: [] as never,
      });
      await start();
      assert.match(output, /Detected crash recovery/, output.slice(-3000));
      const resumedAt = Number(/block_range=\[(\d+),/.exec(output)?.[1]);
      assert.ok(resumedAt >= first, `resumed at block ${resumedAt}, not at the deployment block ${deployment.startBlock}`);
      const again = await getLogsRequests();
      assert.ok(
        again < firstRequests / 4,
        `the logs already indexed are not requested again (${again} requests after the restart, ${firstRequests} at first)`,
      );
      assert.ok((await indexedBlock(base)) > first);
      await assertAgreesWithLogs(await readIndexer(base), deployment);
      assert.equal(JSON.parse(readFileSync(deploymentFile, "utf8")).startBlockHash, deployment.startBlockHash);
    });
  });

  describe("a chain restarted under npm run indexer", () => {
    const port = Number(process.env.E2E_RESTART_RPC_PORT ?? "8893");
    const indexerPort = Number(process.env.E2E_RESTART_INDEXER_PORT ?? "8894");
    const rpc = `http://127.0.0.1:${port}`;
    const base = `http://127.0.0.1:${indexerPort}`;
    const deploymentId = `indexer-e2e-${port}`;
    const dir = mkdtempSync(path.join(tmpdir(), "healthtrace-restart-"));
    const databaseDir = path.join(dir, "db");
    const local = createPublicClient({
      transport: http(rpc, { retryCount: 0 }),
    });
    let node: LocalNode | null = null;
    let indexer: ChildProcess | null = null;
    let indexerOutput = "";

    const kill = async (proc: ChildProcess | null) => {
      if (proc === null || proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await exited;
    };

    /** A new chain on `port`, HealthTrace deployed on it, and `organisations` more accredited by the regulator. */
    async function freshChain(organisations: number): Promise<void> {
      await node?.stop();
      node = await startHardhatNode(port, { network: "devChain" });
      deployHealthTrace(port, { deploymentId, reset: true });
      const regulator = createWalletClient({
        account: mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 1 }),
        transport: http(rpc),
      });
      const { contracts } = await readIndexerDeployment(rpc, await local.getChainId(), deploymentId);
      for (let i = 0; i < organisations; i++) {
        const org = `0x${(0xabc000 + i + organisations * 16).toString(16).padStart(40, "0")}` as Address;
        const hash = await regulator.writeContract({
          chain: null,
          address: contracts.HealthTraceAuthority,
          abi: healthTraceAuthorityAbi,
          functionName: "accredit",
          args: [org, Kind.Carrier, 310101, `Carrier ${i}`, `承运商 ${i}`],
        });
        await local.waitForTransactionReceipt({ hash });
      }
    }

    /** The indexer's organisations equal the OrganisationAccredited logs of the chain now on `port`. */
    async function agrees(): Promise<boolean> {
      const deployment = await readIndexerDeployment(rpc, await local.getChainId(), deploymentId);
      const ready = await fetch(`${base}/ready`).catch(() => null);
      if (ready?.status !== 200) return false;
      const block = await indexedBlock(base);
      const head = Number(await local.getBlockNumber());
      if (block < head) throw new Error(`indexed up to block ${block} of ${head}`);
      const logs = await logsOf(healthTraceAuthorityAbi, deployment.contracts.HealthTraceAuthority, deployment.startBlock, block, local);
      const indexed = await allRows<{ address: string }>(base, "organisations", "address");
      const accredited = logs.filter((e) => e.name === "OrganisationAccredited").map((e) => (e.args.org as string).toLowerCase());
      const same = JSON.stringify(indexed.map((o) => o.address).sort()) === JSON.stringify(accredited.sort());
      if (!same) {
        throw new Error(
          `indexed ${indexed.map((o) => o.address).join(",")} at block ${block}, the logs of ${deployment.contracts.HealthTraceAuthority} ` +
            `from block ${deployment.startBlock} accredit ${accredited.join(",")}`,
        );
      }
      return true;
    }

    async function until(what: string, check: () => Promise<boolean>): Promise<void> {
      let last = "";
      for (let i = 0; ; i++) {
        if (await check().catch((error: unknown) => ((last = String(error)), false))) return;
        assert.ok(i < 240, `${what} (${last}):\n${indexerOutput.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }

    after(async () => {
      await kill(indexer);
      await node?.stop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(path.join(ROOT, "ignition", "deployments", deploymentId), {
        recursive: true,
        force: true,
      });
    });

    it("test_chainRestarted_reindexesTheNewDeploymentFromItsFirstBlock", async () => {
      await freshChain(3);
      indexer = spawn(
        process.execPath,
        [
          path.join(ROOT, "scripts", "indexer.ts"),
          "--rpc",
          rpc,
          "--deployment-id",
          deploymentId,
          "--port",
          String(indexerPort),
          "--db-dir",
          databaseDir,
        ],
        {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: "" },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      indexer.stdout!.on("data", (chunk: Buffer) => (indexerOutput += chunk.toString()));
      indexer.stderr!.on("data", (chunk: Buffer) => (indexerOutput += chunk.toString()));
      await until("the first chain is indexed", agrees);
      const first = (await allRows<{ address: string }>(base, "organisations", "address")).map((o) => o.address);
      const carriersOfFirst = [0, 1, 2].map((i) => `0x${(0xabc030 + i).toString(16).padStart(40, "0")}`);
      for (const carrier of carriersOfFirst) assert.ok(first.includes(carrier), `${carrier} indexed on the first chain`);

      await freshChain(1);
      await until("the restarted chain is re-indexed", agrees);
      const second = (await allRows<{ address: string }>(base, "organisations", "address")).map((o) => o.address);
      assert.ok(second.includes(`0x${(0xabc010).toString(16).padStart(40, "0")}`), "the new chain's carrier is indexed");
      for (const carrier of carriersOfFirst) assert.ok(!second.includes(carrier), `${carrier} of the old chain is gone`);
      assert.match(indexerOutput, /the chain was restarted: re-indexing the new deployment/);
      assert.equal(indexer.exitCode, null, "the indexer kept running");
    });
  });
});
