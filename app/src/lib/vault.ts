/**
 * The app's client of the record vault (vault/, README "Record vault"): sign-in with Ethereum (EIP-4361), the
 * bearer session kept per account and chain in sessionStorage, and typed calls of every route. Every refusal of
 * the vault (`{ error: { code } }`) becomes a `VaultRequestError` with that code, worded in the user's language
 * from the `records` namespace (`records:vaultErrors.<code>`); a vault that cannot be reached gets its own
 * sentence. Only the records page imports this module, so it stays out of the initial bundle.
 */
import type { Address, Hex } from "viem";
import { createSiweMessage } from "viem/siwe";

import type {
  AccessLogEntry,
  RecordSummary,
  ServedRecord as ReadResult,
  UploadAnswer as UploadResult,
} from "../../../vault/src/api.ts";
import { VAULT_ERRORS, type VaultErrorCode } from "../../../vault/src/errors.ts";
import type { ErrorSentence } from "./walletErrors.ts";

export { VAULT_ERRORS, type VaultErrorCode };

// ---------------------------------------------------------------------------------------------------------
// Types of the API (one definition, vault/src/api.ts)
// ---------------------------------------------------------------------------------------------------------

export type {
  AccessLogEntry,
  AnchorCall,
  RecordStatus,
  RecordSummary,
  ServedRecord as ReadResult,
  UploadAnswer as UploadResult,
} from "../../../vault/src/api.ts";

export interface VaultSession {
  readonly token: string;
  readonly address: Address;
  readonly chainId: number;
  readonly expiresAt: string;
}

// ---------------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------------

/** What went wrong with a vault request: one of the vault's codes, or the vault not reachable / not answering sense. */
export type VaultProblem = VaultErrorCode | "VaultUnreachable" | "VaultUnexpectedAnswer";

export class VaultRequestError extends Error {
  readonly code: VaultProblem;
  readonly status: number | null;
  constructor(code: VaultProblem, status: number | null, message: string) {
    super(message);
    this.name = "VaultRequestError";
    this.code = code;
    this.status = status;
  }
}

const isVaultCode = (code: unknown): code is VaultErrorCode => typeof code === "string" && Object.hasOwn(VAULT_ERRORS, code);

/** Codes after which the session token is no use: sign in again. */
export const SESSION_ENDING_CODES: readonly VaultProblem[] = ["VaultUnauthenticated", "VaultSessionExpired", "VaultSessionWrongChain"];

/** The sentence (i18next key of the `records` namespace) of a vault failure. */
export function vaultErrorSentence(error: unknown, vaultUrl: string): ErrorSentence | null {
  if (!(error instanceof VaultRequestError)) return null;
  if (error.code === "VaultUnreachable") return { key: "records:vaultUnreachable", values: { url: vaultUrl }, errorName: error.code };
  if (error.code === "VaultUnexpectedAnswer") {
    return { key: "records:vaultUnexpected", values: { status: String(error.status ?? "") }, errorName: error.code };
  }
  return { key: `records:vaultErrors.${error.code}`, values: {}, errorName: error.code };
}

// ---------------------------------------------------------------------------------------------------------
// Input checks (before any request)
// ---------------------------------------------------------------------------------------------------------

const RECORD_ID = /^0x[0-9a-fA-F]{64}$/;

/** A record id as typed or pasted (trimmed): 0x and 64 hex digits, or null. */
export function parseRecordId(text: string): Hex | null {
  const trimmed = text.trim();
  return RECORD_ID.test(trimmed) ? (trimmed.toLowerCase() as Hex) : null;
}

// ---------------------------------------------------------------------------------------------------------
// Sign-in message (EIP-4361)
// ---------------------------------------------------------------------------------------------------------

export interface SignInParameters {
  readonly address: Address;
  readonly chainId: number;
  readonly nonce: string;
  /** `window.location.host` (host:port). */
  readonly domain: string;
  /** `window.location.origin`. */
  readonly uri: string;
  /** One line, in the user's language. */
  readonly statement: string;
  readonly issuedAt: Date;
}

/** The EIP-4361 message the wallet signs to open a vault session. */
export function buildSignInMessage(p: SignInParameters): string {
  return createSiweMessage({
    address: p.address,
    chainId: p.chainId,
    domain: p.domain,
    nonce: p.nonce,
    uri: p.uri,
    version: "1",
    statement: p.statement.replace(/\n/g, " "),
    issuedAt: p.issuedAt,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Session storage (per account and chain; dropped when the account changes)
// ---------------------------------------------------------------------------------------------------------

const SESSION_PREFIX = "healthtrace.vaultSession.";

export const sessionStorageKey = (address: string, chainId: number): string => `${SESSION_PREFIX}${String(chainId)}.${address.toLowerCase()}`;

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.sessionStorage;
  } catch {
    return null;
  }
}

/** The stored session of this account on this chain, if any and not expired. */
export function loadSession(address: string, chainId: number, now: number = Date.now()): VaultSession | null {
  const raw = storage()?.getItem(sessionStorageKey(address, chainId));
  if (raw === null || raw === undefined) return null;
  try {
    const s = JSON.parse(raw) as VaultSession;
    if (typeof s.token !== "string" || s.address.toLowerCase() !== address.toLowerCase() || s.chainId !== chainId) return null;
    if (Date.parse(s.expiresAt) <= now) {
      dropSession(address, chainId);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

export function saveSession(session: VaultSession): void {
  storage()?.setItem(sessionStorageKey(session.address, session.chainId), JSON.stringify(session));
}

export function dropSession(address: string, chainId: number): void {
  storage()?.removeItem(sessionStorageKey(address, chainId));
}

/** Drop every stored vault session except this account's (called when the connected account changes). */
export function dropOtherSessions(keep: string | null): void {
  const s = storage();
  if (s === null) return;
  const keys: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const key = s.key(i);
    if (key !== null && key.startsWith(SESSION_PREFIX) && key !== keep) keys.push(key);
  }
  for (const key of keys) s.removeItem(key);
}

// ---------------------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------------------

export class VaultClient {
  readonly baseUrl: string;
  private readonly fetcher: typeof fetch;

  constructor(baseUrl: string, fetcher: typeof fetch = (input, init) => fetch(input, init)) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.fetcher = fetcher;
  }

  private async call<T>(method: "GET" | "POST", path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers["content-type"] = "application/json";
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await this.fetcher(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw new VaultRequestError("VaultUnreachable", null, error instanceof Error ? error.message : String(error));
    }
    if (response.status === 204) return undefined as T;
    let answer: unknown = null;
    try {
      answer = await response.json();
    } catch {
      // not JSON: handled below
    }
    if (response.ok && answer !== null && typeof answer === "object") return answer as T;
    const error = (answer as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (error !== undefined && isVaultCode(error.code)) {
      throw new VaultRequestError(error.code, response.status, typeof error.message === "string" ? error.message : error.code);
    }
    throw new VaultRequestError("VaultUnexpectedAnswer", response.status, `HTTP ${String(response.status)}`);
  }

  nonce(address: Address): Promise<{ nonce: string; expiresAt: string }> {
    return this.call("POST", "/auth/nonce", { body: { address } });
  }

  verify(message: string, signature: Hex): Promise<VaultSession> {
    return this.call("POST", "/auth/verify", { body: { message, signature } });
  }

  async logout(token: string): Promise<void> {
    await this.call<undefined>("POST", "/auth/logout", { token });
  }

  upload(token: string, input: { subject: Address; category: number; body: Record<string, unknown> }): Promise<UploadResult> {
    return this.call("POST", "/records", { token, body: input });
  }

  async list(token: string): Promise<RecordSummary[]> {
    return (await this.call<{ records: RecordSummary[] }>("GET", "/records", { token })).records;
  }

  async anchorCheck(token: string, id: Hex): Promise<RecordSummary> {
    return (await this.call<{ record: RecordSummary }>("POST", `/records/${id}/anchor-check`, { token })).record;
  }

  read(token: string, id: Hex): Promise<ReadResult> {
    return this.call("GET", `/records/${id}`, { token });
  }

  async accessLog(token: string, limit = 200): Promise<AccessLogEntry[]> {
    return (await this.call<{ entries: AccessLogEntry[] }>("GET", `/access-log?limit=${String(limit)}`, { token })).entries;
  }
}

/** The body of an uploaded free-text record (the vault wraps it in the salted record document). */
export function noteBody(text: string): Record<string, unknown> {
  return { resourceType: "DocumentReference", status: "current", description: text.trim() };
}
