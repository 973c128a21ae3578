/**
 * The record vault service.
 *
 *   node vault/src/main.ts                    configured by environment variables (see .env.example)
 *   node vault/src/main.ts --dev-stack .dev   what `npm run dev` runs: the local stack's addresses and keys
 *
 * Opens the store (PGlite in VAULT_DATA_DIR, or PostgreSQL at VAULT_DATABASE_URL), runs the migrations,
 * optionally imports the seed's record documents, and serves HTTP until SIGINT/SIGTERM.
 */
import { readFileSync } from "node:fs";

import { http } from "viem";

import { ConfigError, loadConfig, resetDir } from "./config.ts";
import { buildVault } from "./server.ts";
import { openPgliteStore, openPostgresStore, type Store } from "./store.ts";
import type { SeedRecord } from "./vault.ts";

async function main(): Promise<void> {
  const config = loadConfig();
  let store: Store;
  if (config.databaseUrl !== undefined) {
    store = await openPostgresStore({
      connectionString: config.databaseUrl,
      ...(config.databaseSchema === undefined ? {} : { schema: config.databaseSchema }),
    });
  } else {
    if (config.freshDataDir) resetDir(config.dataDir);
    store = await openPgliteStore(config.dataDir);
  }
  const vault = await buildVault({
    store,
    transport: http(config.rpcUrl, { timeout: 10_000, retryCount: 1 }),
    recordRegistry: config.recordRegistry,
    consentRegistry: config.consentRegistry,
    gatekeeperPrivateKey: config.gatekeeperPrivateKey,
    masterKey: config.masterKey,
    siweOrigins: config.siweOrigins,
    allowedOrigins: config.allowedOrigins,
    issuedAtWindowSeconds: config.issuedAtWindowSeconds,
    clockSkewSeconds: config.clockSkewSeconds,
    nonceTtlSeconds: config.nonceTtlSeconds,
    sessionTtlSeconds: config.sessionTtlSeconds,
    authRequestsPerMinute: config.authRequestsPerMinute,
    logger: { level: process.env.VAULT_LOG_LEVEL ?? "info" },
  });
  const log = vault.app.log;

  if (config.importRecordsFile !== undefined) {
    const records = JSON.parse(readFileSync(config.importRecordsFile, "utf8")) as SeedRecord[];
    const { imported, skipped } = await vault.vault.importSeed(records);
    log.info({ imported, skipped, file: config.importRecordsFile }, "seed record documents imported");
  }

  const stop = async (signal: string): Promise<void> => {
    log.info({ signal }, "stopping");
    await vault.close();
    process.exit(0);
  };
  process.once("SIGINT", (s) => void stop(s));
  process.once("SIGTERM", (s) => void stop(s));

  await vault.app.listen({ host: config.host, port: config.port });
  const status = await vault.vault.chain.status();
  log.info(
    {
      store: config.databaseUrl === undefined ? `pglite ${config.dataDir}` : "postgres",
      chain: status,
      gatekeeper: vault.vault.chain.gatekeeper,
      siwe: config.siweOrigins,
    },
    "record vault ready",
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`record vault: configuration error: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`record vault: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
