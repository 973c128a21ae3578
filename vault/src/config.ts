/**
 * The vault's configuration, from environment variables (documented in .env.example and the README's "Record
 * vault" section). `--dev-stack <dir>` (what `npm run dev` passes) fills what the local stack knows: contract
 * addresses and the vault persona's PUBLIC test key from `<dir>/stack.json`, a fresh embedded database in
 * `<dir>/vault-db`, a random master key per run in `<dir>/vault-master-key`, and the seed's record documents
 * from `<dir>/records.json`. A variable that is set always wins.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { type Address, getAddress, type Hex, isAddress } from "viem";

import { parseMasterKey } from "./crypto.ts";
import { defaultScheme, type SiweOrigin } from "./siwe.ts";

export interface VaultConfig {
  readonly host: string;
  readonly port: number;
  readonly rpcUrl: string;
  readonly recordRegistry: Address;
  readonly consentRegistry: Address;
  readonly gatekeeperPrivateKey: Hex;
  readonly masterKey: Buffer;
  /** PostgreSQL connection string; when absent, the embedded PGlite store in `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly databaseSchema: string | undefined;
  readonly dataDir: string;
  readonly siweOrigins: readonly SiweOrigin[];
  readonly allowedOrigins: readonly string[];
  readonly issuedAtWindowSeconds: number;
  readonly clockSkewSeconds: number;
  readonly nonceTtlSeconds: number;
  readonly sessionTtlSeconds: number;
  readonly authRequestsPerMinute: number;
  /** Seed record documents to import at start (`npm run dev`). */
  readonly importRecordsFile: string | undefined;
  /** Start from an empty embedded database (`npm run dev`: the chain is new on each run). */
  readonly freshDataDir: boolean;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const get = (env: Env, name: string): string | undefined => {
  const v = env[name];
  return v === undefined || v.trim() === "" ? undefined : v.trim();
};

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = get(env, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name}=${raw} must be an integer from ${min} to ${max}`);
  return n;
}

function addressVar(name: string, value: string | undefined): Address {
  if (value === undefined) throw new ConfigError(`${name} is not set (the contract address)`);
  if (!isAddress(value, { strict: false })) throw new ConfigError(`${name}=${value} is not an address`);
  return getAddress(value);
}

const list = (raw: string): string[] =>
  raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

interface DevStack {
  readonly contracts: Readonly<Record<string, string>>;
  readonly accounts: readonly { persona: { key: string } | null; publicTestPrivateKey: string | null }[];
}

/** Read the configuration. `argv`: the process arguments after the script (for `--dev-stack <dir>`). */
export function loadConfig(env: Env = process.env, argv: readonly string[] = process.argv.slice(2), cwd = process.cwd()): VaultConfig {
  const devIndex = argv.indexOf("--dev-stack");
  const devDir = devIndex === -1 ? undefined : path.resolve(cwd, argv[devIndex + 1] ?? ".dev");
  let stack: DevStack | undefined;
  if (devDir !== undefined) {
    const file = path.join(devDir, "stack.json");
    if (!existsSync(file)) throw new ConfigError(`--dev-stack: ${file} is missing (run the seed first)`);
    stack = JSON.parse(readFileSync(file, "utf8")) as DevStack;
  }

  const rpcPort = get(env, "HEALTHTRACE_RPC_PORT") ?? "8545";
  const rpcUrl = get(env, "VAULT_RPC_URL") ?? `http://127.0.0.1:${rpcPort}`;

  const recordRegistry = addressVar("VAULT_RECORD_REGISTRY", get(env, "VAULT_RECORD_REGISTRY") ?? stack?.contracts.RecordRegistry);
  const consentRegistry = addressVar(
    "VAULT_CONSENT_REGISTRY",
    get(env, "VAULT_CONSENT_REGISTRY") ?? stack?.contracts.ConsentRegistry,
  );

  const gatekeeper =
    get(env, "VAULT_GATEKEEPER_PRIVATE_KEY") ??
    stack?.accounts.find((a) => a.persona?.key === "vault")?.publicTestPrivateKey ??
    undefined;
  if (gatekeeper === undefined) throw new ConfigError("VAULT_GATEKEEPER_PRIVATE_KEY is not set (the gatekeeper's key)");
  if (!/^0x[0-9a-fA-F]{64}$/.test(gatekeeper)) throw new ConfigError("VAULT_GATEKEEPER_PRIVATE_KEY must be 0x + 64 hex digits");

  let masterHex = get(env, "VAULT_MASTER_KEY");
  const masterFile = get(env, "VAULT_MASTER_KEY_FILE");
  if (masterHex === undefined && masterFile !== undefined) masterHex = readFileSync(path.resolve(cwd, masterFile), "utf8");
  if (masterHex === undefined && devDir !== undefined) {
    // npm run dev: a new random key each run (the database is new each run too), kept in .dev/ (git-ignored).
    const file = path.join(devDir, "vault-master-key");
    writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600 });
    masterHex = readFileSync(file, "utf8");
  }
  if (masterHex === undefined) {
    throw new ConfigError("VAULT_MASTER_KEY is not set (32 bytes as 64 hex digits; e.g. `openssl rand -hex 32`)");
  }
  let masterKey: Buffer;
  try {
    masterKey = parseMasterKey(masterHex);
  } catch (error) {
    throw new ConfigError(`VAULT_MASTER_KEY: ${(error as Error).message}`);
  }

  const domains = list(get(env, "VAULT_SIWE_DOMAIN") ?? "localhost:5173,127.0.0.1:5173");
  const schemeOverride = get(env, "VAULT_SIWE_SCHEME");
  if (schemeOverride !== undefined && schemeOverride !== "http" && schemeOverride !== "https") {
    throw new ConfigError(`VAULT_SIWE_SCHEME=${schemeOverride} must be http or https`);
  }
  for (const d of domains) {
    if (!/^[a-zA-Z0-9.-]+(:[0-9]{1,5})?$/.test(d)) throw new ConfigError(`VAULT_SIWE_DOMAIN: "${d}" is not host[:port]`);
  }
  const siweOrigins = domains.map((domain) => ({ domain, scheme: schemeOverride ?? defaultScheme(domain) }));

  const allowedOrigins = list(get(env, "VAULT_ALLOWED_ORIGINS") ?? "http://localhost:5173,http://127.0.0.1:5173");

  const port = integer(env, "VAULT_PORT", integer(env, "HEALTHTRACE_VAULT_PORT", 8787, 1, 65_535), 1, 65_535);
  const dataDir = path.resolve(cwd, get(env, "VAULT_DATA_DIR") ?? (devDir === undefined ? ".vault-data" : path.join(devDir, "vault-db")));

  const importFile = get(env, "VAULT_IMPORT_RECORDS") ?? (devDir === undefined ? undefined : path.join(devDir, "records.json"));

  return {
    host: get(env, "VAULT_HOST") ?? "127.0.0.1",
    port,
    rpcUrl,
    recordRegistry,
    consentRegistry,
    gatekeeperPrivateKey: gatekeeper as Hex,
    masterKey,
    databaseUrl: get(env, "VAULT_DATABASE_URL"),
    databaseSchema: get(env, "VAULT_DATABASE_SCHEMA"),
    dataDir,
    siweOrigins,
    allowedOrigins,
    issuedAtWindowSeconds: integer(env, "VAULT_SIWE_ISSUED_AT_WINDOW_SECONDS", 300, 10, 86_400),
    clockSkewSeconds: integer(env, "VAULT_SIWE_CLOCK_SKEW_SECONDS", 30, 0, 600),
    nonceTtlSeconds: integer(env, "VAULT_NONCE_TTL_SECONDS", 600, 10, 86_400),
    sessionTtlSeconds: integer(env, "VAULT_SESSION_TTL_SECONDS", 3600, 60, 7 * 86_400),
    authRequestsPerMinute: integer(env, "VAULT_AUTH_REQUESTS_PER_MINUTE", 60, 1, 100_000),
    importRecordsFile: importFile === undefined ? undefined : path.resolve(cwd, importFile),
    freshDataDir: devDir !== undefined && get(env, "VAULT_DATA_DIR") === undefined,
  };
}

/** Remove and recreate a directory (the dev database). */
export function resetDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}
