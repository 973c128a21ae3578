/**
 * `npm run indexer`: run the HealthTrace indexer (indexer/, Ponder) against a chain with a HealthTrace deployment.
 *
 *   node scripts/indexer.ts [--rpc <url>] [--chain-id <id>] [--deployment-id <id>] [--port <port>] [--db-dir <dir>]
 *
 * Reads the deployment Ignition recorded for the chain (addresses, first block and its hash), writes it to
 * `<db-dir>.deployment.json`, and runs `ponder start` with a database schema named after that block hash
 * (scripts/lib/indexer.ts). Restarting this command against the same chain resumes where it stopped. PostgreSQL when
 * DATABASE_URL is set, PGlite in --db-dir otherwise.
 *
 * It also watches the chain: when the block at the deployment height no longer has the recorded hash (the local
 * chain was restarted), it stops Ponder, waits for the new deployment and starts again on it, from its first block.
 * SIGINT/SIGTERM stop Ponder and exit.
 *
 * Defaults: --rpc http://127.0.0.1:$HEALTHTRACE_RPC_PORT (8545), --chain-id from the node, --deployment-id Ignition's
 * `chain-<id>` (the folder under ignition/deployments/), --port
 * $HEALTHTRACE_INDEXER_PORT (8791), --db-dir .dev/indexer-db.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import { createPublicClient, http } from "viem";

import { describeIndexerDatabase, forgetAnotherChainsCache, indexerProcess, indexerSchema, readIndexerDeployment, type IndexerDeployment } from "./lib/indexer.ts";
import { LOCAL_CHAIN_ID } from "./lib/local-chain.ts";
import { ROOT } from "./lib/provenance-chain.ts";

const { values } = parseArgs({
  options: {
    rpc: { type: "string" },
    "chain-id": { type: "string" },
    "deployment-id": { type: "string" },
    port: { type: "string" },
    "db-dir": { type: "string" },
  },
});
const rpcUrl = values.rpc ?? `http://127.0.0.1:${process.env.HEALTHTRACE_RPC_PORT ?? "8545"}`;
const port = Number(values.port ?? process.env.HEALTHTRACE_INDEXER_PORT ?? "8791");
const databaseDir = path.resolve(values["db-dir"] ?? path.join(ROOT, ".dev", "indexer-db"));
const deploymentFile = `${databaseDir}.deployment.json`;
const WATCH_MS = 2_000;

const log = (line: string) => process.stdout.write(`[indexer] ${line}\n`);
const client = createPublicClient({
  transport: http(rpcUrl, { retryCount: 0, timeout: 5_000 }),
});

/** The deployment on the chain now, or null while there is none (a restarted chain not yet deployed). */
async function currentDeployment(): Promise<IndexerDeployment | null> {
  try {
    const chainId = values["chain-id"] !== undefined ? Number(values["chain-id"]) : await client.getChainId();
    const deployment = await readIndexerDeployment(rpcUrl, chainId, values["deployment-id"]);
    const code = await client.getCode({
      address: deployment.contracts.VaccineRegistry,
    });
    return code === undefined || code === "0x" ? null : deployment;
  } catch {
    return null;
  }
}

/** Whether the chain still has `deployment`'s first block. */
async function sameChain(deployment: IndexerDeployment): Promise<boolean> {
  try {
    const block = await client.getBlock({
      blockNumber: BigInt(deployment.startBlock),
    });
    return block.hash === deployment.startBlockHash;
  } catch (error) {
    // A missing block means a shorter (new) chain; an unreachable node is not a restart yet.
    return !String(error).includes("could not be found");
  }
}

let child: ChildProcess | null = null;
let stopping = false;

async function start(deployment: IndexerDeployment): Promise<ChildProcess> {
  mkdirSync(databaseDir, { recursive: true });
  const databaseUrl = process.env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && deployment.chainId === LOCAL_CHAIN_ID) {
    const dropped = await forgetAnotherChainsCache(databaseUrl, deployment);
    if (dropped > 0) log(`dropped ${String(dropped)} cached rows of an earlier chain ${String(deployment.chainId)} from Ponder's RPC cache`);
  }
  writeFileSync(deploymentFile, `${JSON.stringify(deployment, null, 2)}\n`);
  const { command, args, env } = indexerProcess({
    deploymentFile,
    deployment,
    port,
    databaseDir,
    databaseUrl,
  });
  log(
    `chain ${deployment.chainId} from block ${deployment.startBlock} (${deployment.startBlockHash.slice(0, 10)}…), ` +
      `schema ${indexerSchema(deployment)}, ${describeIndexerDatabase(databaseUrl, path.join(databaseDir, indexerSchema(deployment)))}, ` +
      `http://127.0.0.1:${port}`,
  );
  const proc = spawn(command, args, { env, stdio: "inherit" });
  proc.on("exit", (code, signal) => {
    if (proc !== child) return;
    child = null;
    if (!stopping) {
      log(`ponder exited (${signal ?? code}); stopping`);
      process.exit(code ?? 1);
    }
  });
  return proc;
}

async function stopChild(): Promise<void> {
  const proc = child;
  child = null;
  if (proc === null || proc.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    proc.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill("SIGTERM");
  });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopping = true;
    void stopChild().then(() => process.exit(0));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForDeployment(): Promise<IndexerDeployment> {
  for (let announced = false; ; announced = true) {
    const deployment = await currentDeployment();
    if (deployment !== null) return deployment;
    if (!announced) log(`waiting for a HealthTrace deployment on ${rpcUrl}`);
    await sleep(WATCH_MS);
  }
}

let deployment = await waitForDeployment();
child = await start(deployment);
for (;;) {
  await sleep(WATCH_MS);
  if (stopping) break;
  if (await sameChain(deployment)) continue;
  log("the chain was restarted: re-indexing the new deployment from its first block");
  await stopChild();
  deployment = await waitForDeployment();
  if (stopping) break;
  child = await start(deployment);
}
