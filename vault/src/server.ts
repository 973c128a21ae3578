/**
 * The record vault's HTTP API (Fastify), and `buildVault`, which assembles store, chain and rules into it.
 * Used by `main.ts` (a real listener) and by the tests (`app.inject`, in process).
 */
import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from "fastify";
import type { Address, Hex, Transport } from "viem";

import { VaultChain } from "./chain.ts";
import { VAULT_ERRORS, VaultError, type VaultErrorBody, type VaultErrorCode } from "./errors.ts";
import * as S from "./schemas.ts";
import type { SiweOrigin } from "./siwe.ts";
import { migrate, type Store } from "./store.ts";
import { MAX_DOCUMENT_BYTES, RecordVault, type Session, type UploadInput } from "./vault.ts";

export interface VaultOptions {
  /** An open store; `buildVault` runs the migrations on it. */
  readonly store: Store;
  /** How the vault reaches the chain (viem transport). */
  readonly transport: Transport;
  readonly recordRegistry: Address;
  readonly consentRegistry: Address;
  readonly gatekeeperPrivateKey: Hex;
  readonly masterKey: Uint8Array;
  /** Where sign-in messages may come from (domain + scheme). */
  readonly siweOrigins: readonly SiweOrigin[];
  /** CORS: browser origins allowed to call the vault. */
  readonly allowedOrigins: readonly string[];
  readonly issuedAtWindowSeconds?: number;
  readonly clockSkewSeconds?: number;
  readonly nonceTtlSeconds?: number;
  readonly sessionTtlSeconds?: number;
  /** Requests one client address may make per minute to `/auth/nonce`, and to `/auth/verify` (default 60 each). */
  readonly authRequestsPerMinute?: number;
  /** The vault's clock, ms since the epoch (default Date.now). */
  readonly now?: () => number;
  readonly logger?: FastifyServerOptions["logger"];
  readonly pollingIntervalMs?: number;
  readonly receiptTimeoutMs?: number;
}

export interface Vault {
  readonly app: FastifyInstance;
  readonly vault: RecordVault;
  /** Every route the app serves (method + URL), as registered. */
  readonly routes: readonly { readonly method: string; readonly url: string }[];
  /** Stop serving and close the store. */
  close(): Promise<void>;
}

export const DEFAULTS = {
  issuedAtWindowSeconds: 300,
  clockSkewSeconds: 30,
  nonceTtlSeconds: 600,
  sessionTtlSeconds: 3600,
  authRequestsPerMinute: 60,
} as const;

function refusal(code: VaultErrorCode, message?: string): VaultErrorBody {
  return { error: { code, message: message ?? VAULT_ERRORS[code].en } };
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer ([^\s]+)$/.exec(header);
  return match === null ? undefined : match[1];
}

/** Assemble a vault: migrate the store, connect the chain, build the HTTP app (not listening yet). */
export async function buildVault(options: VaultOptions): Promise<Vault> {
  await migrate(options.store);
  const chain = new VaultChain({
    transport: options.transport,
    recordRegistry: options.recordRegistry,
    consentRegistry: options.consentRegistry,
    gatekeeperPrivateKey: options.gatekeeperPrivateKey,
    ...(options.pollingIntervalMs === undefined ? {} : { pollingIntervalMs: options.pollingIntervalMs }),
    ...(options.receiptTimeoutMs === undefined ? {} : { receiptTimeoutMs: options.receiptTimeoutMs }),
  });
  const seconds = (key: keyof typeof DEFAULTS): number => (options[key] ?? DEFAULTS[key]) * 1000;
  const vault = new RecordVault(options.store, chain, {
    siwe: {
      origins: options.siweOrigins,
      issuedAtWindowMs: seconds("issuedAtWindowSeconds"),
      clockSkewMs: seconds("clockSkewSeconds"),
    },
    nonceTtlMs: seconds("nonceTtlSeconds"),
    sessionTtlMs: seconds("sessionTtlSeconds"),
    masterKey: options.masterKey,
    now: options.now ?? Date.now,
  });
  const routes: { method: string; url: string }[] = [];
  const app = await buildApp(vault, options, routes);
  return {
    app,
    vault,
    routes,
    close: async () => {
      await app.close();
      await options.store.close();
    },
  };
}

async function buildApp(
  vault: RecordVault,
  options: VaultOptions,
  routes: { method: string; url: string }[],
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: MAX_DOCUMENT_BYTES + 64 * 1024,
    // Refuse what the schemas do not allow, rather than silently dropping or coercing it.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
  });

  for (const schema of S.sharedSchemas) app.addSchema(schema);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "HealthTrace record vault",
        description:
          "Holds health-record payloads off chain, encrypted at rest, and releases one only to its citizen or to a reader " +
          "holding a live on-chain grant (ConsentRegistry.hasAccess), logging every third-party read on chain " +
          "(ConsentRegistry.logAccess) before serving it. Sign in with Ethereum (EIP-4361). Every refusal is " +
          "{ error: { code, message } } with a stable code.",
        version: "1.0.0",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });

  await app.register(cors, {
    origin: [...options.allowedOrigins],
    methods: ["GET", "POST"],
    allowedHeaders: ["content-type", "authorization"],
    maxAge: 600,
  });

  // Anyone may ask for a sign-in nonce, and each is a stored row: a client address gets so many nonces, and so many
  // sign-in attempts, a minute, then a named refusal (the two routes opt in below; everything else needs a session).
  await app.register(rateLimit, {
    global: false,
    max: options.authRequestsPerMinute ?? DEFAULTS.authRequestsPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: () => new VaultError("VaultRateLimited"),
  });

  // Health data must not sit in caches.
  app.addHook("onSend", async (_request, reply, payload) => {
    reply.header("cache-control", "no-store");
    return payload;
  });

  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof VaultError) {
      // A tampered record is an alarm for the operator; other server-side refusals are worth a warning.
      if (error.code === "VaultRecordTampered") request.log.error({ code: error.code }, error.message);
      else if (error.status >= 500) request.log.warn({ code: error.code, cause: String(error.cause ?? "") }, error.message);
      return reply.status(error.status).send(refusal(error.code, error.message));
    }
    const e = error as { validation?: unknown; code?: string; statusCode?: number; message?: string };
    if (e.validation !== undefined) return reply.status(400).send(refusal("VaultBadRequest", `${VAULT_ERRORS.VaultBadRequest.en} (${e.message})`));
    if (e.code === "FST_ERR_CTP_BODY_TOO_LARGE") return reply.status(413).send(refusal("VaultPayloadTooLarge"));
    if (typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.status(400).send(refusal("VaultBadRequest", `${VAULT_ERRORS.VaultBadRequest.en} (${e.message ?? "malformed"})`));
    }
    request.log.error(error, "unexpected error");
    return reply.status(500).send(refusal("VaultInternal"));
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send(refusal("VaultNotFound")));

  const session = (request: FastifyRequest): Promise<Session> => vault.authenticate(bearer(request));

  app.get("/health", { schema: S.healthRoute }, async () => {
    const chain = await vault.chain.status();
    return {
      status: chain.reachable && chain.gatekeeperHasRole === true ? "ok" : "degraded",
      store: vault.store.kind,
      chain: { reachable: chain.reachable, chainId: chain.chainId, blockNumber: chain.blockNumber },
      gatekeeper: { address: vault.chain.gatekeeper, hasRole: chain.gatekeeperHasRole },
      recordRegistry: vault.chain.recordRegistry,
      consentRegistry: vault.chain.consentRegistry,
    };
  });

  app.post<{ Body: { address?: string } | null | undefined }>("/auth/nonce", { schema: S.nonceRoute, config: { rateLimit: {} } }, async (request, reply) => {
    const result = await vault.issueNonce(request.body?.address ?? undefined);
    return reply.status(201).send(result);
  });

  app.post<{ Body: { message: string; signature: Hex } }>("/auth/verify", { schema: S.verifyRoute, config: { rateLimit: {} } }, async (request) =>
    vault.signIn(request.body.message, request.body.signature),
  );

  app.get("/auth/session", { schema: S.sessionRoute }, async (request) => {
    const s = await session(request);
    return { address: s.address, chainId: s.chainId, expiresAt: s.expiresAt.toISOString() };
  });

  app.post("/auth/logout", { schema: S.logoutRoute }, async (request, reply) => {
    await session(request);
    await vault.signOut(bearer(request) as string);
    return reply.status(204).send();
  });

  app.post<{ Body: UploadInput }>("/records", { schema: S.uploadRoute }, async (request, reply) => {
    const result = await vault.upload(await session(request), request.body);
    return reply.status(result.created ? 201 : 200).send({ record: result.record, anchorCall: result.anchorCall });
  });

  app.get("/records", { schema: S.listRoute }, async (request) => ({ records: await vault.list(await session(request)) }));

  app.post<{ Params: { id: Hex } }>("/records/:id/anchor-check", { schema: S.anchorCheckRoute }, async (request) => ({
    record: await vault.anchorCheck(await session(request), request.params.id),
  }));

  app.get<{ Params: { id: Hex } }>("/records/:id", { schema: S.readRoute }, async (request) =>
    vault.read(await session(request), request.params.id),
  );

  app.get<{ Querystring: { limit?: string } }>("/access-log", { schema: S.accessLogRoute }, async (request) => {
    const limit = Math.min(Number(request.query.limit ?? "200"), 1000);
    return { entries: await vault.accessLog(await session(request), limit) };
  });

  app.get("/openapi.json", { schema: S.openapiRoute }, async () => app.swagger());

  await app.ready();
  return app;
}
