/**
 * The app's side of the consent relayer (relayer/app.ts): POST a signed grant or revocation, get a transaction
 * hash back. A refusal becomes a `RelayError`: a contract refusal carries the revert data (so lib/errors.ts words
 * the custom error in the user's language, with its arguments); the others carry their own sentence.
 */
import type { Hash, Hex } from "viem";

import type { ErrorSentence } from "../../lib/errors.ts";

export class RelayError extends Error {
  /** Revert data of a contract refusal (decoded by lib/errors.ts). */
  readonly data: Hex | undefined;
  /** The sentence to show when this is not a contract refusal. */
  readonly sentence: ErrorSentence | undefined;
  constructor(message: string, options: { data?: Hex; sentence?: ErrorSentence }) {
    super(message);
    this.name = "RelayError";
    this.data = options.data;
    this.sentence = options.sentence;
  }
}

export interface SignedGrant {
  readonly citizen: string;
  readonly grantee: string;
  readonly category: number;
  readonly purpose: number;
  readonly expiresAt: bigint;
  readonly nonce: bigint;
  readonly deadline: bigint;
  readonly signature: Hex;
}

export interface SignedRevoke {
  readonly citizen: string;
  readonly grantee: string;
  readonly category: number;
  readonly nonce: bigint;
  readonly deadline: bigint;
  readonly signature: Hex;
}

const asJson = (body: SignedGrant | SignedRevoke): string =>
  JSON.stringify(body, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));

async function post(baseUrl: string, path: string, body: SignedGrant | SignedRevoke, fetcher: typeof fetch): Promise<Hash> {
  let response: Response;
  try {
    response = await fetcher(`${baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: asJson(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new RelayError(error instanceof Error ? error.message : String(error), {
      sentence: { key: "citizen:relay.unreachable", values: { url: baseUrl } },
    });
  }
  let answer: { hash?: unknown; error?: unknown; message?: unknown; data?: unknown } = {};
  try {
    answer = (await response.json()) as typeof answer;
  } catch {
    // not JSON: handled by the status below
  }
  if (response.ok && typeof answer.hash === "string" && /^0x[0-9a-fA-F]{64}$/.test(answer.hash)) return answer.hash as Hash;
  const message = typeof answer.message === "string" ? answer.message : `HTTP ${response.status}`;
  if (response.status === 422 && typeof answer.data === "string" && /^0x[0-9a-fA-F]{8,}$/.test(answer.data)) {
    throw new RelayError(message, { data: answer.data as Hex });
  }
  if (response.status === 400) {
    throw new RelayError(message, { sentence: { key: "citizen:relay.invalidRequest", values: {} } });
  }
  throw new RelayError(message, { sentence: { key: "citizen:relay.failed", values: { status: String(response.status) } } });
}

export const relayGrant = (baseUrl: string, body: SignedGrant, fetcher: typeof fetch = fetch) =>
  post(baseUrl, "/v1/consent/grant", body, fetcher);

export const relayRevoke = (baseUrl: string, body: SignedRevoke, fetcher: typeof fetch = fetch) =>
  post(baseUrl, "/v1/consent/revoke", body, fetcher);
