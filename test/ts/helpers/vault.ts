/**
 * Test harness of the record vault: a real vault (Fastify, driven with `inject`) over the real in-process chain
 * (Hardhat's EDR network, through viem's `custom` transport) and a real database — embedded PGlite by default,
 * PostgreSQL when VAULT_TEST_DATABASE_URL is set (each suite in a schema of its own, dropped afterwards).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import type { LightMyRequestResponse } from "fastify";
import pg from "pg";
import { type Address, custom, type EIP1193RequestFn, getAddress, type Hex, type Transport } from "viem";
import { createSiweMessage, type CreateSiweMessageParameters } from "viem/siwe";

import { DEV_HD_PATH_PREFIX, DEV_MNEMONIC } from "../../../scripts/lib/personas.js";
import { buildVault, type Vault, type VaultOptions } from "../../../vault/src/server.js";
import { openPgliteStore, openPostgresStore, type Store } from "../../../vault/src/store.js";
import { type Actors, accreditedFixture, connection, type Deployed, ethers, networkHelpers } from "./fixtures.js";

export type Fixture = Deployed & Actors;

/** PostgreSQL connection string for the vault tests; when set, the vault suites run against PostgreSQL. */
export const TEST_DATABASE_URL = process.env.VAULT_TEST_DATABASE_URL?.trim() || undefined;
export const STORE_KIND: "pglite" | "postgres" = TEST_DATABASE_URL === undefined ? "pglite" : "postgres";

/** The app origin the tests sign in from (the vault's default). */
export const DOMAIN = "localhost:5173";
export const APP_URI = "http://localhost:5173/";
export const MASTER_KEY = randomBytes(32);

/** A database for one suite: `open()` gives a store on it (again after a restart); `drop()` removes it. */
export interface TestDatabase {
  readonly kind: "pglite" | "postgres";
  open(): Promise<Store>;
  drop(): Promise<void>;
}

let databases = 0;

/** A new, empty database. `persistent`: PGlite on disk (a temp dir) rather than in memory, for restarts. */
export function testDatabase(persistent = false): TestDatabase {
  if (TEST_DATABASE_URL !== undefined) {
    const schema = `vault_test_${process.pid}_${++databases}_${randomBytes(3).toString("hex")}`;
    return {
      kind: "postgres",
      open: () => openPostgresStore({ connectionString: TEST_DATABASE_URL, schema, max: 20 }),
      drop: async () => {
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  }
  const dir = persistent ? mkdtempSync(path.join(tmpdir(), "healthtrace-vault-")) : undefined;
  return {
    kind: "pglite",
    open: () => openPgliteStore(dir),
    drop: async () => {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A store whose `close` does nothing: one database shared by the tests of a suite, emptied between tests. */
export function shared(store: Store): Store {
  return { ...store, close: async () => undefined };
}

export async function emptyTables(store: Store): Promise<void> {
  // The tables exist once a vault has been built on the store (migrations run at build).
  const [exists] = await store.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'records' AND table_schema = current_schema()",
  );
  if (exists.n > 0) await store.execute("TRUNCATE access_log, sessions, nonces, records RESTART IDENTITY");
}

/** The gatekeeper's key: the fixture's `vault` signer is Hardhat's default account #9. */
export function gatekeeperKey(f: Fixture): Hex {
  const wallet = ethers.HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, DEV_HD_PATH_PREFIX).deriveChild(9);
  expect(wallet.address).to.equal(f.vault.address);
  return wallet.privateKey as Hex;
}

/** A transport over the in-process chain that can be cut off (to simulate an unreachable chain). */
export function switchableTransport(): { transport: Transport; online: boolean; set(online: boolean): void } {
  const state = {
    online: true,
    set(online: boolean) {
      state.online = online;
    },
    transport: custom({
      request: (async (args: { method: string; params?: unknown }) => {
        if (!state.online) throw new Error("connect ECONNREFUSED 127.0.0.1:8545 (simulated: the chain is unreachable)");
        return connection.provider.request(args as Parameters<typeof connection.provider.request>[0]);
      }) as EIP1193RequestFn,
    }, { retryCount: 0 }),
  };
  return state;
}

/** A vault over the fixture's deployment. */
export async function startVault(f: Fixture, store: Store, overrides: Partial<VaultOptions> = {}): Promise<Vault> {
  return buildVault({
    store,
    transport: custom(connection.provider),
    recordRegistry: (await f.recordRegistry.getAddress()) as Address,
    consentRegistry: (await f.consentRegistry.getAddress()) as Address,
    gatekeeperPrivateKey: gatekeeperKey(f),
    masterKey: MASTER_KEY,
    siweOrigins: [
      { domain: DOMAIN, scheme: "http" },
      { domain: "127.0.0.1:5173", scheme: "http" },
    ],
    allowedOrigins: ["http://localhost:5173", "http://127.0.0.1:5173"],
    pollingIntervalMs: 50,
    ...overrides,
  });
}

export async function chainId(): Promise<number> {
  return Number((await ethers.provider.getNetwork()).chainId);
}

/** A fresh nonce from the vault. */
export async function nonce(v: Vault, address?: string): Promise<string> {
  const res = await v.app.inject({ method: "POST", url: "/auth/nonce", ...(address === undefined ? {} : { payload: { address } }) });
  expect(res.statusCode, res.body).to.equal(201);
  return res.json<{ nonce: string }>().nonce;
}

/** An EIP-4361 message for `signer`, valid for this vault unless `overrides` say otherwise. */
export async function siweMessage(
  v: Vault,
  signer: HardhatEthersSigner,
  overrides: Partial<CreateSiweMessageParameters> = {},
): Promise<string> {
  return createSiweMessage({
    address: getAddress(signer.address),
    chainId: await chainId(),
    domain: DOMAIN,
    nonce: overrides.nonce ?? (await nonce(v)),
    uri: APP_URI,
    version: "1",
    issuedAt: new Date(),
    statement: "Sign in to the HealthTrace record vault.",
    ...overrides,
  });
}

export function verify(v: Vault, message: string, signature: string): Promise<LightMyRequestResponse> {
  return v.app.inject({ method: "POST", url: "/auth/verify", payload: { message, signature } });
}

/** Sign in as `signer`; returns the bearer token. */
export async function signIn(v: Vault, signer: HardhatEthersSigner): Promise<string> {
  const message = await siweMessage(v, signer);
  const res = await verify(v, message, await signer.signMessage(message));
  expect(res.statusCode, res.body).to.equal(200);
  return res.json<{ token: string }>().token;
}

export function call(
  v: Vault,
  token: string | undefined,
  method: "GET" | "POST",
  url: string,
  payload?: unknown,
): Promise<LightMyRequestResponse> {
  return v.app.inject({
    method,
    url,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

/** A synthetic clinical body carrying a unique marker, so a test can prove the payload is not in a response. */
export function body(marker: string): Record<string, unknown> {
  return {
    resourceType: "Observation",
    status: "final",
    code: { system: "http://loinc.org", code: "94500-6", display: "SARS-CoV-2 RNA NAA" },
    valueCodeableConcept: "Not detected",
    note: marker,
  };
}

export const marker = (): string => `PAYLOAD-${randomBytes(8).toString("hex")}`;

/** A refusal: the status, the code, a sentence — and none of the payload. */
export function expectRefused(res: LightMyRequestResponse, status: number, code: string, payloadMarker?: string): void {
  expect(res.statusCode, res.body).to.equal(status);
  const json = res.json<{ error: { code: string; message: string }; document?: unknown }>();
  expect(json.error.code).to.equal(code);
  expect(json.error.message).to.be.a("string").and.not.equal("");
  expect(Object.keys(json)).to.deep.equal(["error"]);
  if (payloadMarker !== undefined) expect(res.body).to.not.include(payloadMarker);
}

/** Upload a record as `provider` and anchor it from the provider's wallet with the returned anchor call. */
export async function uploadAndAnchor(
  v: Vault,
  provider: HardhatEthersSigner,
  subject: string,
  category: number,
  payloadMarker: string,
): Promise<Hex> {
  const token = await signIn(v, provider);
  const res = await call(v, token, "POST", "/records", { subject, category, body: body(payloadMarker) });
  expect(res.statusCode, res.body).to.equal(201);
  const { record, anchorCall } = res.json<{ record: { id: Hex }; anchorCall: { to: string; data: string } }>();
  await (await provider.sendTransaction({ to: anchorCall.to, data: anchorCall.data })).wait();
  return record.id;
}

export async function count(store: Store, table: "records" | "access_log" | "sessions"): Promise<number> {
  const [row] = await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return row.n;
}

export async function accessLoggedEvents(f: Fixture): Promise<number> {
  return (await f.consentRegistry.queryFilter(f.consentRegistry.filters.AccessLogged())).length;
}

/** The accredited fixture (Ignition deployment + organisations with roles). */
export const fixture = (): Promise<Fixture> => networkHelpers.loadFixture(accreditedFixture);
