/**
 * Sign-In with Ethereum (EIP-4361): the checks on the message itself, each refusal with its own code. The nonce
 * (single use, consumed atomically) and the signature are checked by `RecordVault.signIn`, after these.
 *
 * Parsing is viem's (`viem/siwe`); on top of it the whole message must have the EIP-4361 layout with nothing
 * before or after it, the address must be EIP-55 checksummed, and viem's own `validateSiweMessage` must agree.
 */
import { type Address, getAddress } from "viem";
import { parseSiweMessage, validateSiweMessage } from "viem/siwe";

import { VaultError } from "./errors.ts";

/** Where sign-in messages may come from: the app's host (domain) and the scheme it is served with. */
export interface SiweOrigin {
  /** RFC 3986 authority, host[:port], e.g. `localhost:5173`. */
  readonly domain: string;
  /** `http` or `https`. */
  readonly scheme: string;
}

export interface SiweRules {
  readonly origins: readonly SiweOrigin[];
  /** A message's Issued At may be at most this old (ms). */
  readonly issuedAtWindowMs: number;
  /** …and at most this far in the future (ms), for clock differences. */
  readonly clockSkewMs: number;
}

/** A message whose every field has been checked (the nonce and the signature still have to be). */
export interface CheckedSiwe {
  readonly address: Address;
  readonly domain: string;
  readonly uri: string;
  readonly chainId: number;
  readonly nonce: string;
  readonly issuedAt: Date;
  readonly expirationTime: Date | undefined;
}

/** The longest message accepted (characters). */
export const MAX_SIWE_MESSAGE = 4096;

// The EIP-4361 layout, anchored at both ends (viem's parser alone accepts text around it). A message without a
// statement may have one or two blank lines before "URI:" (both forms exist in the wild).
const LAYOUT = new RegExp(
  "^(?:[a-zA-Z][a-zA-Z0-9+\\-.]*://)?[a-zA-Z0-9.\\-]+(?::[0-9]{1,5})? wants you to sign in with your Ethereum account:\\n" +
    "0x[a-fA-F0-9]{40}\\n\\n(?:[^\\n]+\\n\\n|\\n)?" +
    "URI: [^\\n]+\\nVersion: [^\\n]+\\nChain ID: [0-9]+\\nNonce: [a-zA-Z0-9]{8,}\\nIssued At: [^\\n]+" +
    "(?:\\nExpiration Time: [^\\n]+)?(?:\\nNot Before: [^\\n]+)?(?:\\nRequest ID: [^\\n]*)?(?:\\nResources:(?:\\n- [^\\n]+)*)?$",
);

const validDate = (d: Date | undefined): d is Date => d instanceof Date && !Number.isNaN(d.getTime());

/** Check every field of an EIP-4361 message against the vault's rules at time `nowMs`. Throws `VaultError`. */
export function checkSiweMessage(message: string, rules: SiweRules, chainId: number, nowMs: number): CheckedSiwe {
  if (message.length > MAX_SIWE_MESSAGE || !LAYOUT.test(message)) {
    throw new VaultError("VaultSiweMalformed", "the text does not have the EIP-4361 layout");
  }
  const parsed = parseSiweMessage(message);
  const { address, domain, uri, version, nonce } = parsed;
  if (address === undefined || domain === undefined || uri === undefined || nonce === undefined) {
    throw new VaultError("VaultSiweMalformed", "a required field is missing");
  }
  if (version !== "1") throw new VaultError("VaultSiweMalformed", "the version is not 1");
  if (parsed.chainId === undefined || !Number.isSafeInteger(parsed.chainId)) {
    throw new VaultError("VaultSiweMalformed", "the chain id is not a number");
  }
  if (!validDate(parsed.issuedAt)) throw new VaultError("VaultSiweMalformed", "Issued At is not an RFC 3339 time");
  if (parsed.expirationTime !== undefined && !validDate(parsed.expirationTime)) {
    throw new VaultError("VaultSiweMalformed", "Expiration Time is not an RFC 3339 time");
  }
  if (parsed.notBefore !== undefined && !validDate(parsed.notBefore)) {
    throw new VaultError("VaultSiweMalformed", "Not Before is not an RFC 3339 time");
  }
  let checksummed: Address;
  try {
    checksummed = getAddress(address);
  } catch {
    throw new VaultError("VaultSiweMalformed", "the address is not valid");
  }
  if (checksummed !== address) throw new VaultError("VaultSiweMalformed", "the address is not EIP-55 checksummed");

  const origin = rules.origins.find((o) => o.domain === domain);
  if (origin === undefined) throw new VaultError("VaultSiweWrongDomain", `domain ${domain}`);
  if (parsed.scheme !== undefined && parsed.scheme !== origin.scheme) {
    throw new VaultError("VaultSiweWrongScheme", `scheme ${parsed.scheme}, expected ${origin.scheme}`);
  }
  let uriOrigin: string;
  try {
    uriOrigin = new URL(uri).origin;
  } catch {
    throw new VaultError("VaultSiweWrongUri", "the URI is not a URL");
  }
  const expectedOrigin = new URL(`${origin.scheme}://${origin.domain}`).origin;
  if (uriOrigin !== expectedOrigin) throw new VaultError("VaultSiweWrongUri", `URI origin ${uriOrigin}`);
  if (parsed.chainId !== chainId) {
    throw new VaultError("VaultSiweWrongChain", `chain id ${parsed.chainId}, expected ${chainId}`);
  }

  const issuedAt = parsed.issuedAt.getTime();
  if (issuedAt > nowMs + rules.clockSkewMs) throw new VaultError("VaultSiweIssuedInFuture");
  if (issuedAt < nowMs - rules.issuedAtWindowMs) {
    throw new VaultError("VaultSiweStaleIssuedAt", `issued more than ${Math.round(rules.issuedAtWindowMs / 1000)} s ago`);
  }
  if (parsed.expirationTime !== undefined && nowMs >= parsed.expirationTime.getTime()) {
    throw new VaultError("VaultSiweExpired");
  }
  if (parsed.notBefore !== undefined && nowMs < parsed.notBefore.getTime()) throw new VaultError("VaultSiweNotYetValid");

  // Belt and braces: viem's validator must agree with everything above.
  if (
    !validateSiweMessage({
      message: parsed,
      domain: origin.domain,
      nonce,
      ...(parsed.scheme === undefined ? {} : { scheme: origin.scheme }),
      time: new Date(nowMs),
    })
  ) {
    throw new VaultError("VaultSiweMalformed", "rejected by the EIP-4361 validator");
  }
  return {
    address: checksummed,
    domain,
    uri,
    chainId,
    nonce,
    issuedAt: parsed.issuedAt,
    expirationTime: parsed.expirationTime,
  };
}

/** The default scheme of a domain: http for loopback hosts (the local app), https elsewhere. */
export function defaultScheme(domain: string): string {
  const host = domain.replace(/:\d+$/, "");
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]" ? "http" : "https";
}
