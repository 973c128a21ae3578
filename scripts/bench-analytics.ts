/**
 * The analytics benchmark: how the public read side copes with a million events. It starts its own chain, fills it
 * with the load generator, starts the indexer (indexer/, Ponder) on it and measures, beside the issue's targets:
 *
 *   - load generation: time and events/s for the whole fill;
 *   - indexer backfill: from starting the indexer to its `GET /ready` answering 200 (target ≤ 60 s);
 *   - the first dashboard aggregate served cold: the first `GET /stats/doses` right after ready (target ≤ 2 s);
 *   - a shipment's history: p50, p95 and max of `GET /shipments/<id>/history` over 600 random shipments, one at a
 *     time (target p95 ≤ 50 ms);
 *   - the indexer's memory peak: VmHWM of its whole process tree from /proc, sampled every 200 ms, in MiB.
 *
 * Prints each figure beside its target with PASS or MISS (a measurement, not a test: it asserts nothing) and writes
 * `bench/analytics.json` (machine, versions, git commit, the load report, every figure).
 *
 *   npm run bench:analytics                 # 1,000,000 events over 180 days
 *   npm run bench:analytics -- --quick      # 100,000 events
 *   npm run bench:analytics -- --events 300000 --no-write
 *   npm run bench:analytics -- --database-url postgresql://…   # the indexer on PostgreSQL (an earlier local chain's cached rows dropped first)
 *
 * Ports: the node on 127.0.0.1:8575, the indexer on 8583 (loopback only). The chain is `hardhat node --network devChain`
 * (its clock starts 180 days in the past, so the history ends near now), deployed by Ignition under the deployment id
 * `bench-analytics` (removed afterwards, like the indexer's temporary database). Options of `scripts/bench.ts` are
 * ignored, so `npm run bench -- --quick` passes `--quick` to both benchmarks.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import { fmt, git, machineInfo, table, versionOf } from "./lib/bench-report.ts";
import { forgetAnotherChainsCache, indexerProcess, readIndexerDeployment } from "./lib/indexer.ts";
import { planLoad, historyWindow } from "./lib/loadgen.ts";
import { chainFacts, deployedContracts, httpRpc, plannedShipmentIds, reportLines, runLoad } from "./lib/loadgen-run.ts";
import { deployHealthTrace, HARDHAT_CLI, portInUse, startHardhatNode } from "./lib/local-chain.ts";
import { ROOT } from "./lib/provenance-chain.ts";
import { prng } from "./lib/vaccines.ts";

const { values: opts } = parseArgs({
  strict: false,
  options: {
    quick: { type: "boolean", default: false },
    events: { type: "string" },
    days: { type: "string", default: "180" },
    seed: { type: "string", default: "1" },
    "no-write": { type: "boolean", default: false },
    "database-url": { type: "string" },
  },
});
const EVENTS = Number(opts.events ?? (opts.quick === true ? 100_000 : 1_000_000));
const DAYS = Number(opts.days);
const SEED = Number(opts.seed);
// PostgreSQL instead of PGlite for the indexer; the database must be empty (Ponder's RPC cache, ponder_sync, is shared
// by every chain with the same id in it, and a fresh local chain reuses the block numbers of the last).
const DATABASE_URL = typeof opts["database-url"] === "string" ? opts["database-url"] : undefined;
const DATABASE = DATABASE_URL === undefined ? "pglite" : "postgres";
const NODE_PORT = 8575;
const INDEXER_PORT = 8583;
const DEPLOYMENT_ID = "bench-analytics";
const HISTORY_REQUESTS = 600;
const TRAILING_BLOCKS = 30;
const READY_TIMEOUT_S = 3_600;
const TARGETS = { backfillSeconds: 60, firstAggregateMs: 2_000, historyP95Ms: 50 } as const;

const log = (line: string): void => {
  process.stderr.write(`\x1b[2m[bench:analytics]\x1b[0m ${line}\n`);
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * How long the node takes to serve every log of the registries over eth_getLogs, in block ranges of about 100,000
 * logs (one answer for a million logs would be too long a string to read). What any indexer pays before it indexes.
 */
async function timeAllLogs(url: string, addresses: readonly string[], first: number, last: number): Promise<{ seconds: number; logs: number; bytes: number }> {
  const blocksPerRequest = Math.max(1, Math.ceil(((last - first + 1) * 100_000) / Math.max(EVENTS, 1)));
  let seconds = 0;
  let logs = 0;
  let bytes = 0;
  for (let from = first; from <= last; from += blocksPerRequest) {
    const to = Math.min(last, from + blocksPerRequest - 1);
    const body = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "eth_getLogs",
      params: [{ address: addresses, fromBlock: `0x${from.toString(16)}`, toBlock: `0x${to.toString(16)}` }],
    });
    const started = performance.now();
    const answer = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    const text = await answer.text();
    seconds += (performance.now() - started) / 1000;
    bytes += text.length;
    const parsed = JSON.parse(text) as { result?: unknown[]; error?: { message: string } };
    if (parsed.result === undefined) throw new Error(`eth_getLogs ${from}–${to}: ${parsed.error?.message ?? "no result"}`);
    logs += parsed.result.length;
  }
  return { seconds, logs, bytes };
}

/** Peak of the summed VmHWM (kB) of a process and all its descendants, sampled from /proc until stopped. */
function memorySampler(rootPid: number): { peakMiB(): number; stop(): void } {
  let peakKiB = 0;
  const field = (pid: number, name: string): number => {
    try {
      const m = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      return m === null ? 0 : Number(m[1]);
    } catch {
      return 0;
    }
  };
  const tree = (): number[] => {
    const parents = new Map<number, number>();
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid …" (comm may contain spaces: split after the last ")").
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      } catch {
        // gone
      }
    }
    const pids = [rootPid];
    for (let i = 0; i < pids.length; i++) for (const [pid, ppid] of parents) if (ppid === pids[i]) pids.push(pid);
    return pids;
  };
  const sample = (): void => {
    peakKiB = Math.max(
      peakKiB,
      tree().reduce((sum, pid) => sum + field(pid, "VmHWM"), 0),
    );
  };
  sample();
  const timer = setInterval(sample, 200);
  return {
    peakMiB: () => {
      sample();
      return peakKiB / 1024;
    },
    stop: () => clearInterval(timer),
  };
}

/** GET a path of the indexer; the time it took (ms) and the status. */
async function timedGet(url: string): Promise<{ ms: number; status: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(url);
  const body = await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status, bytes: body.byteLength };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timeout = sleep(10_000).then(() => child.kill("SIGKILL"));
  await Promise.race([exited, timeout]);
}

async function main(): Promise<void> {
  if (!Number.isInteger(EVENTS) || EVENTS < 1_500) throw new Error("--events must be a whole number of at least 1,500");
  if (await portInUse(INDEXER_PORT)) throw new Error(`port ${INDEXER_PORT} (the indexer) is in use`);
  log("compiling and exporting the ABIs the indexer reads");
  execFileSync(process.execPath, [HARDHAT_CLI, "compile", "--quiet"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "export-app.ts")], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });

  log(`starting hardhat node (devChain) on 127.0.0.1:${NODE_PORT}`);
  const node = await startHardhatNode(NODE_PORT, { network: "devChain" });
  const work = mkdtempSync(path.join(os.tmpdir(), "healthtrace-bench-analytics-"));
  let indexer: ChildProcess | null = null;
  const cleanUp = async (): Promise<void> => {
    if (indexer !== null) await stopChild(indexer);
    await node.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(path.join(ROOT, "ignition", "deployments", DEPLOYMENT_ID), { recursive: true, force: true });
  };
  process.once("SIGINT", () => {
    void cleanUp().then(() => process.exit(130));
  });
  try {
    log("deploying HealthTrace with Ignition");
    deployHealthTrace(NODE_PORT, { deploymentId: DEPLOYMENT_ID, reset: true });
    const rpc = httpRpc(node.url);
    const chainId = Number(BigInt((await rpc("eth_chainId")) as string));
    const contracts = deployedContracts(chainId, DEPLOYMENT_ID);
    const chain = await chainFacts(rpc, contracts);
    const window = historyWindow(chain.blockTime, DAYS, Date.now() / 1000);
    const plan = planLoad({
      events: EVENTS,
      days: DAYS,
      seed: SEED,
      releaseQuorum: chain.releaseQuorum,
      startTime: window.start,
      runNumber: chain.blockNumber,
    });

    log(`load generator: ${fmt(EVENTS)} events over ${DAYS} days`);
    const load = await runLoad({ rpc, contracts, plan, log: (line) => log(`  ${line}`) });
    for (const line of reportLines(load)) log(line);
    // A live chain keeps adding blocks. Without them the load's last 30 blocks would sit in Ponder's finality window
    // (it answers /ready at the head minus 30 on a chain it does not know, and indexes the rest live, a block at a
    // time); 30 empty blocks, 12 s apart, put the whole load behind it, as on a chain that moved on.
    await rpc("hardhat_mine", [`0x${TRAILING_BLOCKS.toString(16)}`, "0xc"]);

    // --- the node's share: every registry log once, as any indexer must read it ---
    const nodeLogs = await timeAllLogs(node.url, Object.values(contracts), load.blocks.first, load.blocks.last);
    log(`node: every log of blocks ${fmt(load.blocks.first)}–${fmt(load.blocks.last)} served in ${nodeLogs.seconds.toFixed(1)} s (${fmt(nodeLogs.logs)} logs, ${fmt(nodeLogs.bytes / 1e6)} MB of JSON)`);

    // --- the indexer, from a cold start on the filled chain ---
    const deployment = await readIndexerDeployment(node.url, chainId, DEPLOYMENT_ID);
    const deploymentFile = path.join(work, "deployment.json");
    writeFileSync(deploymentFile, `${JSON.stringify(deployment, null, 2)}\n`);
    if (DATABASE_URL !== undefined) {
      const dropped = await forgetAnotherChainsCache(DATABASE_URL, deployment);
      if (dropped > 0) log(`dropped ${fmt(dropped)} cached rows of an earlier chain from Ponder's RPC cache`);
    }
    const cmd = indexerProcess({
      deploymentFile,
      deployment,
      port: INDEXER_PORT,
      databaseDir: path.join(work, "db"),
      databaseUrl: DATABASE_URL,
    });
    const indexerLog = path.join(work, "indexer.log");
    const out = createWriteStream(indexerLog);
    log(`starting the indexer on 127.0.0.1:${INDEXER_PORT} (log: ${indexerLog})`);
    const started = performance.now();
    indexer = spawn(cmd.command, cmd.args, { cwd: ROOT, env: cmd.env, stdio: ["ignore", "pipe", "pipe"] });
    indexer.stdout?.pipe(out);
    indexer.stderr?.pipe(out);
    const memory = memorySampler(indexer.pid ?? 0);
    const base = `http://127.0.0.1:${INDEXER_PORT}`;
    let lastProgress = 0;
    let readySeconds: number | null = null;
    const indexedBlock = (): Promise<number> =>
      fetch(`${base}/status`)
        .then((r) => r.json() as Promise<Record<string, { block?: { number?: number } }>>)
        .then(
          (status) => Math.min(...Object.values(status).map((c) => c.block?.number ?? 0)),
          () => 0,
        );
    for (;;) {
      if (indexer.exitCode !== null) {
        throw new Error(
          `the indexer exited (${indexer.exitCode}):\n${readFileSync(indexerLog, "utf8").split("\n").slice(-30).join("\n")}`,
        );
      }
      // Ponder answers /ready once it has indexed up to its finalized block (the head minus 30 on a chain it does not
      // know), then indexes the rest live. The backfill ends when the chain's last block is indexed too: with full
      // blocks those 30 blocks hold about a sixth of the events.
      if (readySeconds === null) {
        const ready = await fetch(`${base}/ready`).then(
          (r) => r.status,
          () => 0,
        );
        if (ready === 200) readySeconds = (performance.now() - started) / 1000;
      }
      if (readySeconds !== null && (await indexedBlock()) >= load.blocks.last) break;
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed > READY_TIMEOUT_S)
        throw new Error(`the indexer was not ready after ${READY_TIMEOUT_S} s (log: ${indexerLog})`);
      if (elapsed - lastProgress >= 30) {
        lastProgress = elapsed;
        log(`  backfilling… ${elapsed.toFixed(0)} s, memory peak ${fmt(memory.peakMiB())} MiB`);
      }
      await sleep(100);
    }
    const backfillSeconds = (performance.now() - started) / 1000;
    log(`indexer ready after ${readySeconds?.toFixed(1)} s, block ${fmt(load.blocks.last)} indexed after ${backfillSeconds.toFixed(1)} s`);
    const first = await timedGet(`${base}/stats/doses`);
    if (first.status !== 200) throw new Error(`GET /stats/doses answered ${first.status}`);

    const ids = plannedShipmentIds(plan);
    const rng = prng(SEED ^ 0x415);
    const latencies: number[] = [];
    for (let i = 0; i < HISTORY_REQUESTS; i++) {
      const id = ids[Math.floor(rng() * ids.length)];
      const answer = await timedGet(`${base}/shipments/${id}/history`);
      if (answer.status !== 200) throw new Error(`GET /shipments/${id}/history answered ${answer.status}`);
      latencies.push(answer.ms);
    }
    latencies.sort((a, b) => a - b);
    const history = {
      requests: latencies.length,
      shipments: ids.length,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      maxMs: latencies[latencies.length - 1],
    };
    memory.stop();
    const memoryPeakMiB = memory.peakMiB();

    // --- output ---
    const verdict = (ok: boolean): string => (ok ? "PASS" : "MISS");
    const rows = [
      ["load generation", `${load.seconds.toFixed(1)} s (${fmt(load.eventsPerSecond)} events/s)`, "—", "—"],
      [
        "indexer backfill (start → /ready 200 and the last block indexed)",
        `${backfillSeconds.toFixed(1)} s`,
        `≤ ${TARGETS.backfillSeconds} s`,
        verdict(backfillSeconds <= TARGETS.backfillSeconds),
      ],
      [
        "first /stats/doses, cold",
        `${fmt(first.ms)} ms`,
        `≤ ${fmt(TARGETS.firstAggregateMs)} ms`,
        verdict(first.ms <= TARGETS.firstAggregateMs),
      ],
      [
        `shipment history p95 (p50, max; ${history.requests} requests)`,
        `${history.p95Ms.toFixed(1)} ms (${history.p50Ms.toFixed(1)}, ${history.maxMs.toFixed(1)})`,
        `≤ ${TARGETS.historyP95Ms} ms`,
        verdict(history.p95Ms <= TARGETS.historyP95Ms),
      ],
      [
        "the node alone serving every log (eth_getLogs, before the indexer starts)",
        `${nodeLogs.seconds.toFixed(1)} s (${fmt(nodeLogs.logs)} logs)`,
        "—",
        "—",
      ],
      ["indexer memory peak (VmHWM, process tree)", `${fmt(memoryPeakMiB)} MiB`, "—", "—"],
    ];
    const machine = machineInfo();
    const versions = {
      hardhat: versionOf("hardhat"),
      edr: versionOf("@nomicfoundation/edr"),
      ponder: versionOf("ponder"),
      pglite: versionOf("@electric-sql/pglite"),
      viem: versionOf("viem"),
      solc: versionOf("solc"),
      node: process.versions.node,
    };
    const commit = git(["rev-parse", "HEAD"]);
    process.stdout.write(
      [
        `HealthTrace analytics benchmark — ${new Date().toISOString()}`,
        `${machine.cpu} × ${machine.cores}, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}, load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(" ")}`,
        `Hardhat ${versions.hardhat}, EDR ${versions.edr}, Ponder ${versions.ponder} (${DATABASE === "pglite" ? `PGlite ${versions.pglite}` : "PostgreSQL"}), viem ${versions.viem}; git ${commit.slice(0, 7)}`,
        `${fmt(EVENTS)} events over ${DAYS} days (seed ${SEED}) in ${fmt(load.blocks.last - load.blocks.first + 1)} blocks, ${fmt(ids.length)} shipments`,
        "",
        table(["measure", "result", "target", ""], rows),
        "",
      ].join("\n"),
    );
    if (opts["no-write"] !== true) {
      const file = path.join(ROOT, "bench", "analytics.json");
      mkdirSync(path.dirname(file), { recursive: true });
      const results = {
        schema: "healthtrace-bench-analytics/1",
        date: new Date().toISOString(),
        mode: opts.quick === true ? "quick" : "full",
        git: { commit, contractsModified: git(["status", "--porcelain", "contracts"]) !== "" },
        machine: { ...machine, loadAverage: os.loadavg() },
        versions,
        events: EVENTS,
        days: DAYS,
        seed: SEED,
        loadgen: load,
        node: { getLogsSeconds: nodeLogs.seconds, logs: nodeLogs.logs, jsonBytes: nodeLogs.bytes },
        indexer: {
          database: DATABASE,
          backfillSeconds,
          readySeconds,
          backfillMeasure: "from spawning the indexer to /ready answering 200 and /status reporting the load's last block",
          firstStatsDoses: { ms: first.ms, bytes: first.bytes },
          shipmentHistory: history,
          memoryPeakMiB,
          memoryMeasure: "sum of VmHWM over the indexer's process tree (/proc/<pid>/status), sampled every 200 ms",
        },
        targets: TARGETS,
        verdicts: {
          backfill: verdict(backfillSeconds <= TARGETS.backfillSeconds),
          firstAggregate: verdict(first.ms <= TARGETS.firstAggregateMs),
          historyP95: verdict(history.p95Ms <= TARGETS.historyP95Ms),
        },
      };
      writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
      log(`wrote ${path.relative(ROOT, file)}`);
    }
  } finally {
    await cleanUp();
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
