/**
 * The consent relayer: submits a citizen's EIP-712 `Grant` / `Revoke` signature to `ConsentRegistry`
 * (`grantBySig` / `revokeBySig`) and pays the gas, so a citizen can consent from a wallet that holds no ether.
 *
 *   POST /v1/consent/grant    { citizen, grantee, category, purpose, expiresAt, nonce, deadline, signature }
 *   POST /v1/consent/revoke   { citizen, grantee, category, nonce, deadline, signature }
 *   GET  /health
 *
 * Every request is checked by its JSON schema (400 `InvalidRequest` otherwise), then simulated against the chain:
 * a call the contract would refuse is answered 422 with the custom error's name, its raw revert data (so the app
 * can word it in the user's language from the ABI) and nothing is sent. Only a call that simulates cleanly is
 * signed with the relayer's key and sent; the answer is the transaction hash (the app waits for the receipt).
 * Sends are serialised, so the relayer's own account nonces never race.
 *
 * The relayer trusts nothing it is sent: the contract checks the signature, the nonce and the deadline; the
 * relayer only decides whether to spend gas, by simulating first.
 *
 * `buildRelayer` takes the viem transport, chain, account and registry address, so tests run it against
 * Hardhat's in-process network (`custom(connection.provider)`) with `app.inject()`; `server.ts` is the process.
 */
import cors from "@fastify/cors";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import {
  type Account,
  type Address,
  BaseError,
  type Chain,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  getAddress,
  type Hash,
  isAddress,
  type Hex,
  type Transport,
} from "viem";

import { consentRegistryAbi } from "../app/src/generated/healthtrace.ts";

export interface RelayerOptions {
  /** How the relayer reaches the chain (`http(url)` in the process, `custom(provider)` in tests). */
  readonly transport: Transport;
  readonly chain: Chain;
  /** The account that signs and pays for the relayed transactions (a local private-key account). */
  readonly account: Account;
  /** The ConsentRegistry the signatures are for. */
  readonly consentRegistry: Address;
  /** Browser origins allowed to call the relayer (CORS), e.g. the app's. */
  readonly allowedOrigins: readonly string[];
  /** Fastify's logger setting (off in tests). */
  readonly logger?: FastifyServerOptions["logger"];
}

/** The JSON body of a refusal. */
export interface RelayerRefusal {
  /** A custom error name of the contract (422), `InvalidRequest` (400) or `ChainUnavailable` (502). */
  readonly error: string;
  readonly message: string;
  /** The revert data of a contract refusal (decode it against the ConsentRegistry ABI). */
  readonly data?: Hex;
}

const ADDRESS = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" } as const;
const UINT = { type: "string", pattern: "^[0-9]{1,78}$" } as const;
const CODE = { type: "integer", minimum: 0, maximum: 255 } as const;
// 65-byte ECDSA, or a longer ERC-1271 signature of a contract wallet (capped).
const SIGNATURE = { type: "string", pattern: "^0x([0-9a-fA-F]{2}){65,1024}$" } as const;

const grantSchema = {
  type: "object",
  additionalProperties: false,
  required: ["citizen", "grantee", "category", "purpose", "expiresAt", "nonce", "deadline", "signature"],
  properties: {
    citizen: ADDRESS,
    grantee: ADDRESS,
    category: CODE,
    purpose: CODE,
    expiresAt: UINT,
    nonce: UINT,
    deadline: UINT,
    signature: SIGNATURE,
  },
} as const;

const revokeSchema = {
  type: "object",
  additionalProperties: false,
  required: ["citizen", "grantee", "category", "nonce", "deadline", "signature"],
  properties: {
    citizen: ADDRESS,
    grantee: ADDRESS,
    category: CODE,
    nonce: UINT,
    deadline: UINT,
    signature: SIGNATURE,
  },
} as const;

const sentSchema = {
  200: {
    type: "object",
    required: ["hash"],
    properties: { hash: { type: "string" } },
  },
} as const;

export interface GrantBody {
  readonly citizen: string;
  readonly grantee: string;
  readonly category: number;
  readonly purpose: number;
  readonly expiresAt: string;
  readonly nonce: string;
  readonly deadline: string;
  readonly signature: string;
}

export interface RevokeBody {
  readonly citizen: string;
  readonly grantee: string;
  readonly category: number;
  readonly nonce: string;
  readonly deadline: string;
  readonly signature: string;
}

/** A request that passed the schema but not a range or checksum check. */
class InvalidRequest extends Error {}

const MAX_UINT64 = 2n ** 64n - 1n;
const MAX_UINT256 = 2n ** 256n - 1n;

function uint(value: string, max: bigint, field: string): bigint {
  const n = BigInt(value);
  if (n > max) throw new InvalidRequest(`${field} is out of range`);
  return n;
}

/** An address in any case; a mixed-case one must carry a valid EIP-55 checksum. */
function address(value: string, field: string): Address {
  const lowerOrUpper = value.slice(2) === value.slice(2).toLowerCase() || value.slice(2) === value.slice(2).toUpperCase();
  if (!lowerOrUpper && !isAddress(value, { strict: true })) throw new InvalidRequest(`${field} has a wrong EIP-55 checksum`);
  return getAddress(value);
}

/** The decoded custom error of a refused simulation, or null when the failure is not a contract refusal. */
function refusal(error: unknown): RelayerRefusal | null {
  if (!(error instanceof BaseError)) return null;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError)) return null;
  const name = reverted.data?.errorName ?? "ContractReverted";
  return { error: name, message: reverted.shortMessage, data: reverted.raw };
}

export async function buildRelayer(options: RelayerOptions): Promise<FastifyInstance> {
  const { account, chain, transport, consentRegistry } = options;
  const publicClient = createPublicClient({ chain, transport });
  const walletClient = createWalletClient({ account, chain, transport });
  const registry = { address: consentRegistry, abi: consentRegistryAbi } as const;

  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 16 * 1024 });
  await app.register(cors, { origin: [...options.allowedOrigins], methods: ["GET", "POST"] });

  app.setErrorHandler((error: { validation?: unknown; statusCode?: number; message: string }, _request, reply) => {
    if (error.validation !== undefined || error instanceof InvalidRequest || (error.statusCode ?? 500) < 500) {
      const body: RelayerRefusal = { error: "InvalidRequest", message: error.message };
      return reply.code(400).send(body);
    }
    const body: RelayerRefusal = { error: "ChainUnavailable", message: error.message };
    return reply.code(502).send(body);
  });

  // One send at a time: simulate, sign, send, then the next (the relayer's account nonce never races).
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  };

  type Outcome = { readonly hash: Hash } | { readonly refused: RelayerRefusal };

  const relayGrant = (body: GrantBody): Promise<Outcome> => {
    const args = [
      address(body.citizen, "citizen"),
      address(body.grantee, "grantee"),
      body.category,
      body.purpose,
      uint(body.expiresAt, MAX_UINT64, "expiresAt"),
      uint(body.nonce, MAX_UINT256, "nonce"),
      uint(body.deadline, MAX_UINT256, "deadline"),
      body.signature as Hex,
    ] as const;
    return serialised(async () => {
      try {
        const { request } = await publicClient.simulateContract({ ...registry, functionName: "grantBySig", args, account });
        return { hash: await walletClient.writeContract(request) };
      } catch (error) {
        const refused = refusal(error);
        if (refused === null) throw error;
        return { refused };
      }
    });
  };

  const relayRevoke = (body: RevokeBody): Promise<Outcome> => {
    const args = [
      address(body.citizen, "citizen"),
      address(body.grantee, "grantee"),
      body.category,
      uint(body.nonce, MAX_UINT256, "nonce"),
      uint(body.deadline, MAX_UINT256, "deadline"),
      body.signature as Hex,
    ] as const;
    return serialised(async () => {
      try {
        const { request } = await publicClient.simulateContract({ ...registry, functionName: "revokeBySig", args, account });
        return { hash: await walletClient.writeContract(request) };
      } catch (error) {
        const refused = refusal(error);
        if (refused === null) throw error;
        return { refused };
      }
    });
  };

  app.get("/health", async () => ({
    ok: true,
    chainId: chain.id,
    relayer: account.address,
    consentRegistry,
  }));

  app.post<{ Body: GrantBody }>(
    "/v1/consent/grant",
    { schema: { body: grantSchema, response: sentSchema } },
    async (request, reply) => {
      const outcome = await relayGrant(request.body);
      if ("refused" in outcome) return reply.code(422).send(outcome.refused);
      return { hash: outcome.hash };
    },
  );

  app.post<{ Body: RevokeBody }>(
    "/v1/consent/revoke",
    { schema: { body: revokeSchema, response: sentSchema } },
    async (request, reply) => {
      const outcome = await relayRevoke(request.body);
      if ("refused" in outcome) return reply.code(422).send(outcome.refused);
      return { hash: outcome.hash };
    },
  );

  return app;
}
