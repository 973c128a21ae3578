/**
 * The pure rules of the citizen, verifier and clinic pages (no React, no network), unit-tested in
 * app/test/citizen*.test.ts: form checks made BEFORE any transaction, which lots a clinic may use, which doses
 * await confirmation, the consent timeline's order, keyed nonces for signed grants, proof lifetimes.
 */
import { type Address, encodeAbiParameters, hexToBigInt, isAddress, keccak256 } from "viem";

import { CST_OFFSET, LotState, lotStateWarns } from "../../../../scripts/lib/vaccines.ts";
import { ProofResult } from "../../../../scripts/lib/vaccine-typed-data.ts";

// ---------------------------------------------------------------------------------------------------------
// Consent
// ---------------------------------------------------------------------------------------------------------

export type TimelineEntry =
  | {
      readonly kind: "granted";
      readonly blockNumber: bigint;
      readonly logIndex: number;
      readonly time: number;
      readonly party: Address;
      readonly category: number;
      readonly purpose: number;
      readonly expiresAt: number;
    }
  | {
      readonly kind: "revoked" | "read";
      readonly blockNumber: bigint;
      readonly logIndex: number;
      readonly time: number;
      readonly party: Address;
      readonly category: number;
    };

/** Newest first: by block, then by position in the block. */
export function sortTimeline(entries: readonly TimelineEntry[]): TimelineEntry[] {
  return [...entries].sort((a, b) =>
    a.blockNumber === b.blockNumber ? b.logIndex - a.logIndex : a.blockNumber > b.blockNumber ? -1 : 1,
  );
}

/** Each (grantee, category) the citizen ever granted, once (the first spelling of the address kept). */
export function deriveCurrentGrantKeys(
  granted: readonly { readonly grantee: Address; readonly category: number }[],
): { grantee: Address; category: number }[] {
  const seen = new Map<string, { grantee: Address; category: number }>();
  for (const g of granted) {
    const key = `${g.grantee.toLowerCase()}:${g.category}`;
    if (!seen.has(key)) seen.set(key, { grantee: g.grantee, category: g.category });
  }
  return [...seen.values()];
}

/** Whether a stored grant is live at `now` (a grant is live while now < expiresAt). */
export const grantIsLive = (expiresAt: number, now: number): boolean => now < expiresAt;

export type ExpiryCheck =
  | { readonly ok: true; readonly expiresAt: number }
  | { readonly ok: false; readonly problem: "empty" | "invalid" | "past" | "tooFar" };

/** The longest consent the form accepts: ten years. */
export const MAX_CONSENT_DAYS = 3_660;

/**
 * The expiry of a grant chosen as a calendar date (YYYY-MM-DD, Shanghai time): access ends at the end of that
 * day, 23:59:59 China Standard Time (the contract's expiry is exclusive, so the date shown everywhere is the date
 * chosen). Refuses a date whose end has passed, malformed dates and dates more than ten years ahead.
 */
export function expiryFromDate(text: string, nowSeconds: number): ExpiryCheck {
  if (text.trim() === "") return { ok: false, problem: "empty" };
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (match === null) return { ok: false, problem: "invalid" };
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = Date.UTC(y, m - 1, d);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
    return { ok: false, problem: "invalid" };
  }
  const expiresAt = utc / 1000 + 86_400 - CST_OFFSET - 1;
  if (expiresAt <= nowSeconds) return { ok: false, problem: "past" };
  if (expiresAt - nowSeconds > MAX_CONSENT_DAYS * 86_400) return { ok: false, problem: "tooFar" };
  return { ok: true, expiresAt };
}

/** YYYY-MM-DD of `unixSeconds` in Shanghai time (for date inputs' min/default values). */
export function shanghaiDate(unixSeconds: number): string {
  return new Date((unixSeconds + CST_OFFSET) * 1000).toISOString().slice(0, 10);
}

/**
 * The nonce key (upper 192 bits of a `NoncesKeyed` nonce) of signed grants and revocations of one
 * (grantee, category): signatures about different grants never block each other, and a newer signature about
 * the same grant replaces an unsent older one (whichever is relayed first uses the nonce).
 */
export function consentNonceKey(grantee: Address, category: number): bigint {
  const hash = keccak256(encodeAbiParameters([{ type: "address" }, { type: "uint8" }], [grantee, category]));
  return hexToBigInt(hash) >> 64n;
}

/** How long a signed grant may wait for the relayer (its EIP-712 deadline). */
export const SIGNATURE_DEADLINE_SECONDS = 30 * 60;

// ---------------------------------------------------------------------------------------------------------
// Proof of vaccination
// ---------------------------------------------------------------------------------------------------------

/** Seconds kept in hand below the contract's maximum, for clock jitter between reading "now" and checking. */
export const PROOF_MARGIN_SECONDS = 5;

/** `validUntil` of a proof made at chain time `chainNow`: as long as the contract allows, minus a margin. */
export function proofValidUntil(chainNow: number, maxLifetime: number): bigint {
  return BigInt(chainNow + Math.max(1, maxLifetime - PROOF_MARGIN_SECONDS));
}

/** The translation key of a `checkVaccinationProof` result. */
export function proofResultKey(result: number): string {
  switch (result) {
    case ProofResult.Valid:
      return "result.valid";
    case ProofResult.NotCurrent:
      return "result.notCurrent";
    case ProofResult.TooLong:
      return "result.tooLong";
    case ProofResult.BadSignature:
      return "result.badSignature";
    case ProofResult.NoConfirmedDose:
      return "result.noConfirmedDose";
    case ProofResult.LotNotUsable:
      return "result.lotNotUsable";
    default:
      return "result.unknown";
  }
}

/** "m:ss" of a countdown (never negative). */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** Whether a dose can back a proof of vaccination: confirmed, not voided, its lot neither recalled nor non-conformant. */
export function doseCanProve(dose: { confirmed: boolean; voided: boolean; lotState: number }): boolean {
  return dose.confirmed && !dose.voided && !lotStateWarns(dose.lotState);
}

// ---------------------------------------------------------------------------------------------------------
// Clinic
// ---------------------------------------------------------------------------------------------------------

/** A lot a clinic may record a dose from now: active (released, not recalled or quarantined), not expired, doses left. */
export function lotIsUsable(
  lot: { readonly state: number; readonly expiresAt: number; readonly doseCount: number; readonly dosesRecorded: number },
  nowSeconds: number,
): boolean {
  return lot.state === LotState.Active && lot.expiresAt > nowSeconds && lot.dosesRecorded < lot.doseCount;
}

/** Doses still awaiting the citizen's confirmation (not confirmed, not voided). */
export function awaitingConfirmation<T extends { readonly confirmed: boolean; readonly voided: boolean }>(doses: readonly T[]): T[] {
  return doses.filter((d) => !d.confirmed && !d.voided);
}

/** The contract's `MAX_DOSE_NUMBER`. */
export const MAX_DOSE_NUMBER = 10;

export type DoseFormCheck =
  | { readonly ok: true; readonly citizen: Address; readonly lotId: number; readonly doseNumber: number; readonly district: number }
  | { readonly ok: false; readonly problem: "noCitizen" | "badCitizen" | "selfCitizen" | "noLot" | "badDoseNumber" | "badDistrict" };

/** Every field of the record-dose form, checked before any transaction. */
export function checkDoseForm(
  input: {
    readonly citizen: string | null;
    readonly clinic: string | undefined;
    readonly lotId: number | null;
    readonly doseNumber: string;
    readonly district: string;
  },
): DoseFormCheck {
  if (input.citizen === null || input.citizen.trim() === "") return { ok: false, problem: "noCitizen" };
  if (!isAddress(input.citizen, { strict: true })) return { ok: false, problem: "badCitizen" };
  if (input.clinic !== undefined && input.citizen.toLowerCase() === input.clinic.toLowerCase()) {
    return { ok: false, problem: "selfCitizen" };
  }
  if (input.lotId === null) return { ok: false, problem: "noLot" };
  if (!/^\d{1,2}$/.test(input.doseNumber.trim())) return { ok: false, problem: "badDoseNumber" };
  const doseNumber = Number(input.doseNumber.trim());
  if (doseNumber < 1 || doseNumber > MAX_DOSE_NUMBER) return { ok: false, problem: "badDoseNumber" };
  if (!/^\d{6}$/.test(input.district)) return { ok: false, problem: "badDistrict" };
  return { ok: true, citizen: input.citizen as Address, lotId: input.lotId, doseNumber, district: Number(input.district) };
}

/** An EIP-681 URI of a wallet on a chain: what the citizen's "my wallet" QR carries. */
export const walletUri = (address: Address, chainId: number): string => `ethereum:${address}@${chainId}`;

/** Organisations matching a search in either language (case-insensitive), active ones only. */
export function searchOrganisations<T extends { readonly name: string; readonly localName: string; readonly status: number }>(
  organisations: readonly T[],
  query: string,
): T[] {
  const q = query.trim().toLowerCase();
  return organisations
    .filter((o) => o.status === 1)
    .filter((o) => q === "" || o.name.toLowerCase().includes(q) || o.localName.toLowerCase().includes(q));
}
