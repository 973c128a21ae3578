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
