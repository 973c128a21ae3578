/**
 * The regulator's and the public lot page's input checks, run BEFORE anything is sent or read: an organisation to
 * accredit (address, kind, district, names within the contract's byte limit), a quarantine's evidence reference,
 * and the lot a URL names (`/lot/:lotId` or the Digital Link `/01/{GTIN}/10/{lot}`).
 *
 * Pure functions (no React, no chain): each refusal is a problem code that the page translates.
 */
import { type Address, getAddress, type Hex, isAddress, isHex, keccak256, toBytes, zeroAddress } from "viem";

import { aiValueProblem, DigitalLinkError, normalizeGtin } from "../../../../scripts/lib/digital-link.ts";
import { Kind } from "../../../../scripts/lib/personas.ts";

/** Length of a string in UTF-8 bytes, as the contract measures `bytes(name).length`. */
export function utf8ByteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Chinese (CJK) characters: an English name that contains them was most likely typed in the wrong field. */
const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/;

export type AddressProblem = "empty" | "malformed" | "checksum" | "zero";
export type NameProblem = "empty" | "tooLong" | "notLatin";
export type DistrictProblem = "empty" | "malformed";

/** What the accreditation form holds (as typed). */
export interface AccreditInput {
  readonly address: string;
  /** Kind code as a string ("" = not chosen). */
  readonly kind: string;
  /** Six-digit GB/T 2260 code as a string. */
  readonly district: string;
  readonly name: string;
  readonly localName: string;
}

export interface AccreditProblems {
  address?: AddressProblem | "alreadyAccredited";
  kind?: "missing";
  district?: DistrictProblem;
  name?: NameProblem;
  localName?: NameProblem;
}

/** The checked values, ready for `accredit(org, kind, district, name, localName)`. */
export interface AccreditValues {
  readonly org: Address;
  readonly kind: number;
  readonly district: number;
  readonly name: string;
  readonly localName: string;
}

/** Why `text` is not a wallet address (null when it is one): 0x + 40 hex, a valid EIP-55 checksum if mixed-case. */
export function addressProblem(text: string): AddressProblem | null {
  const value = text.trim();
  if (value === "") return "empty";
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) return "malformed";
  if (!isAddress(value, { strict: true })) return "checksum";
  if (value.toLowerCase() === zeroAddress) return "zero";
  return null;
}

/** Why a name is refused (null when it is fine): 1 … maxBytes UTF-8 bytes after trimming. */
export function nameProblem(text: string, maxBytes: number, latin: boolean): NameProblem | null {
  const value = text.trim();
  if (value === "") return "empty";
  if (utf8ByteLength(value) > maxBytes) return "tooLong";
  if (latin && CJK.test(value)) return "notLatin";
  return null;
}

/** Why a district code is refused (null when fine): six digits, 100000–999999, as the contract requires. */
export function districtProblem(text: string): DistrictProblem | null {
  const value = text.trim();
  if (value === "") return "empty";
  if (!/^[1-9]\d{5}$/.test(value)) return "malformed";
  return null;
}

const KIND_CODES: readonly number[] = Object.values(Kind);

/**
 * Check the whole accreditation form. `accredited` holds the lower-case addresses already in the directory, so an
 * organisation is not accredited twice.
 */
export function checkAccreditInput(
  input: AccreditInput,
  context: { readonly maxNameBytes: number; readonly accredited: ReadonlySet<string> },
): { ok: true; values: AccreditValues } | { ok: false; problems: AccreditProblems } {
  const problems: AccreditProblems = {};
  const a = addressProblem(input.address);
  if (a !== null) problems.address = a;
  else if (context.accredited.has(input.address.trim().toLowerCase())) problems.address = "alreadyAccredited";
  const kind = input.kind === "" ? NaN : Number(input.kind);
  if (!KIND_CODES.includes(kind)) problems.kind = "missing";
  const d = districtProblem(input.district);
  if (d !== null) problems.district = d;
  const n = nameProblem(input.name, context.maxNameBytes, true);
  if (n !== null) problems.name = n;
  const l = nameProblem(input.localName, context.maxNameBytes, false);
  if (l !== null) problems.localName = l;
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return {
    ok: true,
    values: {
      org: getAddress(input.address.trim()),
      kind,
      district: Number(input.district.trim()),
      name: input.name.trim(),
      localName: input.localName.trim(),
    },
  };
}

/** Longest evidence reference the regulator may type (it is hashed; only the hash goes on chain). */
export const MAX_EVIDENCE_LENGTH = 200;

/**
 * The `evidence` of a quarantine: keccak256 of the UTF-8 text of the document reference the regulator typed
 * (e.g. "SHFDA inspection report 2026-117"), never the document itself. Null when the reference is empty or too long.
 */
export function evidenceHash(reference: string): `0x${string}` | null {
  const value = reference.trim();
  if (value === "" || value.length > MAX_EVIDENCE_LENGTH) return null;
  return keccak256(toBytes(value));
}

/** Largest lot id (uint32). */
export const MAX_LOT_ID = 4_294_967_295;

/** The lot id of `/lot/:lotId`, or null when it is not a positive uint32 written in decimal. */
export function parseLotId(text: string): number | null {
  if (!/^\d{1,10}$/.test(text)) return null;
  const id = Number(text);
  return id >= 1 && id <= MAX_LOT_ID ? id : null;
}

export type LotLinkProblem = "bad_gtin" | "bad_gtin_check_digit" | "bad_encoding" | "bad_lot";

/**
 * The GTIN-14 and lot number of a lot Digital Link path `/01/{gtin}/10/{lot}` (raw, still percent-encoded),
 * checked the way a label is: GS1 check digit, lot of 1–20 characters of GS1 set 82.
 */
export function parseLotLinkPath(pathname: string): { ok: true; gtin: string; lot: string } | { ok: false; problem: LotLinkProblem } {
  const match = /^\/01\/([^/]*)\/10\/([^/]*)\/?$/.exec(pathname);
  if (match === null) return { ok: false, problem: "bad_lot" };
  let gtin: string;
  try {
    gtin = normalizeGtin(match[1]);
  } catch (error) {
    if (error instanceof DigitalLinkError && (error.code === "bad_gtin" || error.code === "bad_gtin_check_digit")) {
      return { ok: false, problem: error.code };
    }
    return { ok: false, problem: "bad_gtin" };
  }
  let lot: string;
  try {
    lot = decodeURIComponent(match[2]);
  } catch {
    return { ok: false, problem: "bad_encoding" };
  }
  if (aiValueProblem(lot, "lot number") !== null) return { ok: false, problem: "bad_lot" };
  return { ok: true, gtin, lot };
}

/** A dose record id as typed or pasted: 32 bytes in hex, with or without 0x, any case; null when it is not one. */
export function parseDoseId(input: string): Hex | null {
  const trimmed = input.trim().toLowerCase();
  const hex = trimmed.startsWith("0x") ? trimmed : `0x${trimmed}`;
  return hex.length === 66 && isHex(hex, { strict: true }) ? hex : null;
}

/** The contract's bound on a release quorum (VaccineRegistry.MAX_QUORUM). */
export const MAX_RELEASE_QUORUM = 15;

/** What is wrong with a new release quorum as typed, or null: a whole number from 1 to 15 that is not the current one. */
export function quorumProblem(input: string, current: number): "notANumber" | "outOfRange" | "unchanged" | null {
  const text = input.trim();
  if (!/^\d+$/.test(text)) return "notANumber";
  const quorum = Number(text);
  if (quorum < 1 || quorum > MAX_RELEASE_QUORUM) return "outOfRange";
  return quorum === current ? "unchanged" : null;
}
