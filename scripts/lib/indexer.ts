/**
 * How the HealthTrace indexer (`indexer/`, a Ponder app) is told what to index and how it is started, for
 * `scripts/dev.ts`, the tests and the benchmark.
 *
 * The indexer reads one JSON file, named by `HEALTHTRACE_INDEXER_DEPLOYMENT`: the chain, its RPC URL, the five
 * registry addresses and the deployment block (with its hash). The database schema the indexer writes to is named
 * after that block hash, so:
 *   - restarting the indexer against the same chain resumes from its last checkpoint (Ponder's crash recovery), and
 *   - a restarted local chain (a new deployment, a new block hash at the deployment height) gets a new schema and is
 *     indexed from its own deployment block, never mixed with the old chain's rows.
 */
import path from "node:path";

import { createPublicClient, http, type Address, type Hex } from "viem";

import { ignitionDeployments, ROOT } from "./provenance-chain.ts";

/** The contracts the indexer reads, by Ignition future name. */
export const INDEXED_CONTRACTS = [
  "HealthTraceAuthority",
  "ConsentRegistry",
  "RecordRegistry",
  "VaccineRegistry",
  "ProvenanceRegistry",
] as const;
export type IndexedContract = (typeof INDEXED_CONTRACTS)[number];

/** What the indexer indexes (the file named by `HEALTHTRACE_INDEXER_DEPLOYMENT`). */
export interface IndexerDeployment {
  readonly chainId: number;
  readonly rpcUrl: string;
  /** The first block with a HealthTrace contract (the earliest deployment transaction). */
  readonly startBlock: number;
  readonly startBlockHash: Hex;
  readonly contracts: Readonly<Record<IndexedContract, Address>>;
}

/** Environment variable naming the deployment file. */
export const INDEXER_DEPLOYMENT_ENV = "HEALTHTRACE_INDEXER_DEPLOYMENT";

/**
 * The deployment Ignition recorded for `chainId` (ignition/deployments/<deploymentId>, default `chain-<id>`), with the
 * hash of its first block read from `rpcUrl`. Throws when a contract is missing or the chain does not have the block.
 */
export async function readIndexerDeployment(rpcUrl: string, chainId: number, deploymentId?: string): Promise<IndexerDeployment> {
  const deployed = ignitionDeployments(chainId, deploymentId);
  const contracts = {} as Record<IndexedContract, Address>;
  let startBlock = Number.POSITIVE_INFINITY;
  for (const name of INDEXED_CONTRACTS) {
    const entry = deployed.get(`HealthTrace#${name}`);
    if (entry === undefined) throw new Error(`no ${name} in ignition/deployments/${deploymentId ?? `chain-${chainId}`}: deploy first`);
    contracts[name] = entry.address as Address;
    startBlock = Math.min(startBlock, entry.deploymentBlock ?? 0);
  }
  const client = createPublicClient({
    transport: http(rpcUrl, { retryCount: 0 }),
  });
  const block = await client.getBlock({ blockNumber: BigInt(startBlock) });
  return { chainId, rpcUrl, startBlock, startBlockHash: block.hash, contracts };
}

/** The database schema of a deployment: `ht_<chain id>_<first 12 hex digits of the deployment block hash>`. */
export function indexerSchema(deployment: Pick<IndexerDeployment, "chainId" | "startBlockHash">): string {
  return `ht_${deployment.chainId}_${deployment.startBlockHash.slice(2, 14).toLowerCase()}`;
}

/** Where and how an indexer runs. */
export interface IndexerProcessOptions {
  /** The deployment JSON file (written by the caller). */
  readonly deploymentFile: string;
  readonly deployment: Pick<IndexerDeployment, "chainId" | "startBlockHash">;
  readonly port: number;
  /** PGlite directory (a database per deployment inside it); ignored when `databaseUrl` is given. */
  readonly databaseDir: string;
  /** PostgreSQL connection string (the indexer then uses PostgreSQL instead of PGlite). */
  readonly databaseUrl?: string;
  /** Interface to listen on (default 127.0.0.1). */
  readonly hostname?: string;
}

/** The ponder CLI of the project's node_modules. */
export const PONDER_CLI = path.join(ROOT, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");
/** The indexer's Ponder project. */
export const INDEXER_ROOT = path.join(ROOT, "indexer");

/** The command that starts an indexer (`ponder start`): spawn `command` with `args` and `env`. */
export function indexerProcess(options: IndexerProcessOptions): {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
} {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [INDEXER_DEPLOYMENT_ENV]: options.deploymentFile,
    // One PGlite database per deployment: Ponder's RPC cache in it can never serve another chain's blocks.
    HEALTHTRACE_INDEXER_DB_DIR: path.join(options.databaseDir, indexerSchema(options.deployment)),
    // Ponder would otherwise send anonymous usage data; this machine has no internet and the project sends nothing.
    PONDER_TELEMETRY_DISABLED: "true",
    NO_COLOR: "1",
  };
  if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
  else delete env.DATABASE_URL;
  return {
    command: process.execPath,
    args: [
      PONDER_CLI,
      "--root",
      INDEXER_ROOT,
      "--log-format",
      "pretty",
      "start",
      "--schema",
      indexerSchema(options.deployment),
      "--port",
      String(options.port),
      "--hostname",
      options.hostname ?? "127.0.0.1",
    ],
    env,
  };
}

/** Where an indexer keeps its tables, for people to read: never the credentials a DATABASE_URL may carry. */
export function describeIndexerDatabase(databaseUrl: string | undefined, databaseDir: string): string {
  if (databaseUrl === undefined || databaseUrl === "") return `PGlite in ${path.relative(ROOT, databaseDir)}/`;
  // postgres://user:password@host:port/database?host=/socket/dir — the host may be empty (a Unix socket).
  const m = /^[a-z]+:\/\/(?:[^@/]*@)?([^/?]*)\/([^?]*)(?:\?(.*))?$/i.exec(databaseUrl);
  if (m === null) return "PostgreSQL (DATABASE_URL)";
  const host = m[1] !== "" ? m[1] : (new URLSearchParams(m[3] ?? "").get("host") ?? "the local socket");
  return `PostgreSQL, database ${m[2]} on ${host} (DATABASE_URL)`;
}

/** Ponder's RPC cache tables in PostgreSQL (schema `ponder_sync`, Ponder 0.16–0.17) that hold rows per chain id. */
const PONDER_SYNC_TABLES = [
  "logs",
  "blocks",
  "transactions",
  "transaction_receipts",
  "traces",
  "rpc_request_results",
  "factory_addresses",
  "intervals",
] as const;

/**
 * Drop another chain's rows from Ponder's RPC cache in PostgreSQL before an indexer starts on `deployment`; returns
 * how many rows went (0 when the cache is this chain's or empty).
 *
 * Why: that cache (schema `ponder_sync`, shared by every indexer on the database) is keyed by chain id, and Ponder
 * inserts into it "on conflict do nothing". A restarted local chain keeps chain id 31337 and, deployed by the same
 * account, the same contract addresses, but has other blocks: the old chain's cached blocks and logs would be kept in
 * place of the new ones and indexed as if they were this chain's (`disableCache` stops Ponder reading its intervals,
 * not the rows). With PGlite each deployment has a database of its own, so this is for PostgreSQL only. A cached block
 * belongs to this chain when the node has a block of the same hash at its height; the lowest and the highest cached
 * blocks are checked (a restarted chain differs from its first block on).
 */
export async function forgetAnotherChainsCache(databaseUrl: string, deployment: Pick<IndexerDeployment, "chainId" | "rpcUrl">): Promise<number> {
  const { default: pg } = await import("pg");
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const exists = await db.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'ponder_sync' AND table_name = 'blocks'");
    if (exists.rowCount === 0) return 0;
    const cached = await db.query<{ number: string; hash: Hex }>(
      `(SELECT number::text, hash FROM ponder_sync.blocks WHERE chain_id = $1 ORDER BY number ASC LIMIT 1)
       UNION ALL
       (SELECT number::text, hash FROM ponder_sync.blocks WHERE chain_id = $1 ORDER BY number DESC LIMIT 1)`,
      [deployment.chainId],
    );
    const client = createPublicClient({ transport: http(deployment.rpcUrl, { retryCount: 0 }) });
    const head = await client.getBlockNumber();
    const isThisChains = async (row: { number: string; hash: Hex }): Promise<boolean> =>
      BigInt(row.number) <= head && (await client.getBlock({ blockNumber: BigInt(row.number) })).hash === row.hash;
    let same = true;
    for (const row of cached.rows) same = same && (await isThisChains(row));
    if (same) return 0;
    let dropped = 0;
    await db.query("BEGIN");
    for (const table of PONDER_SYNC_TABLES) {
      dropped += (await db.query(`DELETE FROM ponder_sync.${table} WHERE chain_id = $1`, [deployment.chainId])).rowCount ?? 0;
    }
    await db.query("COMMIT");
    return dropped;
  } finally {
    await db.end();
  }
}
