/**
 * The HealthTrace indexer: a Ponder app that reads every event of the five registries from their deployment block.
 *
 * What to index comes from the JSON file named by HEALTHTRACE_INDEXER_DEPLOYMENT (written by `npm run dev`, the tests
 * and the benchmark through scripts/lib/indexer.ts). The database is PostgreSQL when DATABASE_URL is set (Ponder's
 * own rule), PGlite in HEALTHTRACE_INDEXER_DB_DIR (default .dev/indexer-db) otherwise. ABIs come from the compiled
 * artifacts via scripts/export-app.ts, never pasted.
 */
import path from "node:path";

import { createConfig } from "ponder";

import {
  consentRegistryAbi,
  healthTraceAuthorityAbi,
  provenanceRegistryAbi,
  recordRegistryAbi,
  vaccineRegistryAbi,
} from "../app/src/generated/healthtrace.ts";
import { LOCAL_CHAIN_ID } from "../scripts/lib/local-chain.ts";
import { deployment } from "./src/deployment.ts";

const LOCAL_RPC_LANES = 16;

const chain = "healthtrace" as const;
const contract = <A>(abi: A, address: `0x${string}`) => ({
  chain,
  abi,
  address,
  startBlock: deployment.startBlock,
});

const usesPostgres = process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== "";

export default createConfig({
  database: usesPostgres
    ? { kind: "postgres", connectionString: process.env.DATABASE_URL }
    : {
        kind: "pglite",
        directory: process.env.HEALTHTRACE_INDEXER_DB_DIR ?? path.join(import.meta.dirname, "..", ".dev", "indexer-db"),
      },
  chains: {
    [chain]: {
      id: deployment.chainId,
      // Ponder paces each RPC URL adaptively from 20 requests/s; a local node answers in a millisecond, so it gets
      // several lanes to the same URL (requests are spread over them) and a backfill is not held at that pace.
      rpc:
        deployment.chainId === LOCAL_CHAIN_ID
          ? Array.from({ length: LOCAL_RPC_LANES }, () => deployment.rpcUrl)
          : deployment.rpcUrl,
      // A local chain restarts with new blocks at the same heights. With PGlite each deployment has its own database
      // (scripts/lib/indexer.ts), so the RPC cache is kept and a restart resumes without fetching again. PostgreSQL's
      // cache is shared and keyed by chain id: there Ponder does not trust cached ranges for the local chain, and
      // scripts/indexer.ts drops an earlier chain's cached rows before starting (forgetAnotherChainsCache).
      disableCache: deployment.chainId === LOCAL_CHAIN_ID && usesPostgres,
      pollingInterval: deployment.chainId === LOCAL_CHAIN_ID ? 500 : 2_000,
    },
  },
  contracts: {
    HealthTraceAuthority: contract(healthTraceAuthorityAbi, deployment.contracts.HealthTraceAuthority),
    ConsentRegistry: contract(consentRegistryAbi, deployment.contracts.ConsentRegistry),
    RecordRegistry: contract(recordRegistryAbi, deployment.contracts.RecordRegistry),
    VaccineRegistry: contract(vaccineRegistryAbi, deployment.contracts.VaccineRegistry),
    ProvenanceRegistry: contract(provenanceRegistryAbi, deployment.contracts.ProvenanceRegistry),
  },
});
