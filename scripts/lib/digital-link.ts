/**
 * GS1 Digital Link URIs of HealthTrace shipment labels: build, and parse what a scanner read.
 *
 * Dependency-free and erasable TypeScript only (no enums, namespaces or parameter properties), so Node's type
 * stripping, Vite (the React app) and tsx can all import it. It uses only `URL` and `URLSearchParams`, which every
 * browser and Node provide.
 *
 * ## The label format
 *
 *     https://id.gs1.org/01/{gtin14}/10/{lot}/21/{serial}?chain={chainId}&registry={address}
 *
 * - Path: a GS1 Digital Link URI (GS1 Digital Link standard, URI syntax 1.x) with the primary key AI 01 (GTIN,
 *   always written as 14 digits with a valid GS1 mod-10 check digit; GTIN-8/12/13 are accepted when parsing and
 *   left-padded to 14) followed by its key qualifiers in the order the standard requires: AI 10 (batch/lot) then
 *   AI 21 (serial). Together they are the shipment's identity on chain:
 *   `shipmentId = keccak256(abi.encode(uint64 gtin, string lot, string serial))` (see IProvenanceRegistry).
 * - AI 10 and AI 21 values: 1–20 characters from GS1 AI encodable character set 82 (the printable ASCII subset
 *   `! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z`). In the URI every character outside the RFC 3986
 *   unreserved set (`A-Z a-z 0-9 - . _ ~`) is percent-encoded (`/` → `%2F`, `%` → `%25`, …), as GS1 Digital Link
 *   requires for AI values in path segments; parsing percent-decodes each segment and then checks the value.
 * - Query: `chain` (the EVM chain id, decimal) and `registry` (the ProvenanceRegistry address, `0x` + 40 hex),
 *   both or neither; a scan then resolves on the right chain and contract without any lookup. Other query
 *   parameters (e.g. GS1 data attributes such as `17=` expiry) are allowed by GS1 Digital Link and ignored here.
 * - Host: `id.gs1.org` (GS1's global resolver) unless the caller names its own resolver hosts.
 *
 * Parsing refuses, with a `DigitalLinkError` whose `code` says why and whose message says it in English
 * (`DIGITAL_LINK_ERROR_LABELS` also has Chinese): payloads longer than `MAX_PAYLOAD_LENGTH`, text that is not an
 * http(s) URL, a host that is not an accepted resolver, a path that is not `/01/…/10/…/21/…` (missing or
 * misplaced AIs, unsupported AIs), a GTIN with a bad length or check digit, empty, oversized or non-GS1
 * characters in lot or serial, bad percent-encoding, and a bad or half-given chain id / registry address.
 * Mixed-case registry addresses are returned as written; their EIP-55 checksum needs Keccak-256, which this
 * dependency-free module does not carry — callers with ethers or viem check it (`getAddress`).
 */

/** GS1's global resolver: the default host of the labels. */
export const GS1_RESOLVER = "https://id.gs1.org";

/** Longest payload `parseDigitalLink` looks at (a label is about 150 characters). */
export const MAX_PAYLOAD_LENGTH = 512;

/** Longest batch/lot number (AI 10) or serial (AI 21), in characters (the contract's limit in bytes). */
export const MAX_AI_VALUE_LENGTH = 20;

/** Largest 13-digit GLN. */
export const MAX_GLN = 9_999_999_999_999n;

/** A shipment's GS1 identity. */
export interface ShipmentIdentity {
  /** GTIN-14: 14 digits, valid check digit. */
  readonly gtin: string;
  /** Batch/lot number (AI 10). */
  readonly lot: string;
  /** Serial (AI 21). */
  readonly serial: string;
}

/** Where a label's shipment lives. */
export interface RegistryRef {
  /** EVM chain id. */
  readonly chainId: number;
  /** ProvenanceRegistry address, `0x` + 40 hex digits. */
  readonly registry: string;
}

/** What a label carries. */
export interface LabelPayload extends ShipmentIdentity {
  /** The chain and registry, when the label names them (HealthTrace labels always do). */
  readonly registryRef: RegistryRef | null;
}

/** Why a payload was refused. */
export type DigitalLinkErrorCode =
  | "too_long"
  | "empty"
  | "not_a_url"
  | "bad_scheme"
  | "wrong_host"
  | "bad_path"
  | "missing_gtin"
  | "bad_gtin"
  | "bad_gtin_check_digit"
  | "missing_lot"
  | "missing_serial"
  | "unsupported_ai"
  | "bad_encoding"
  | "bad_lot"
  | "bad_serial"
  | "bad_chain"
  | "bad_registry"
  | "incomplete_registry_ref";

/** Generic label of each refusal, for an app that shows the person a short reason in their language. */
export const DIGITAL_LINK_ERROR_LABELS: Readonly<Record<DigitalLinkErrorCode, { readonly en: string; readonly zh: string }>> = {
  too_long: { en: "The code is too long to be a HealthTrace label.", zh: "码内容过长，不是 HealthTrace 标签。" },
  empty: { en: "The code is empty.", zh: "码内容为空。" },
  not_a_url: { en: "The code is not a web address (GS1 Digital Link).", zh: "码内容不是网址（GS1 数字链接）。" },
  bad_scheme: { en: "The code's address must start with https://.", zh: "码中的地址必须以 https:// 开头。" },
  wrong_host: { en: "The code points to an unknown resolver.", zh: "码指向未知的解析服务。" },
  bad_path: { en: "The code is not a GS1 Digital Link of a product (GTIN, lot, serial).", zh: "码不是产品的 GS1 数字链接（GTIN、批号、序列号）。" },
  missing_gtin: { en: "The code carries no GTIN (AI 01).", zh: "码中缺少 GTIN（AI 01）。" },
  bad_gtin: { en: "The GTIN must have 8, 12, 13 or 14 digits.", zh: "GTIN 必须为 8、12、13 或 14 位数字。" },
  bad_gtin_check_digit: { en: "The GTIN's check digit is wrong.", zh: "GTIN 校验位错误。" },
  missing_lot: { en: "The code carries no lot number (AI 10).", zh: "码中缺少批号（AI 10）。" },
  missing_serial: { en: "The code carries no serial number (AI 21).", zh: "码中缺少序列号（AI 21）。" },
  unsupported_ai: { en: "The code carries an identifier this app does not use.", zh: "码中含有本应用不支持的标识。" },
  bad_encoding: { en: "The code's percent-encoding is broken.", zh: "码中的百分号编码有误。" },
  bad_lot: { en: "The lot number is empty, too long or has characters GS1 does not allow.", zh: "批号为空、过长或含有 GS1 不允许的字符。" },
  bad_serial: { en: "The serial number is empty, too long or has characters GS1 does not allow.", zh: "序列号为空、过长或含有 GS1 不允许的字符。" },
  bad_chain: { en: "The chain id in the code is not valid.", zh: "码中的链 ID 无效。" },
  bad_registry: { en: "The registry address in the code is not valid.", zh: "码中的登记合约地址无效。" },
  incomplete_registry_ref: { en: "The code names a chain without a registry, or a registry without a chain.", zh: "码中只有链 ID 或只有合约地址，二者必须同时出现。" },
};

/** A refused payload or identity; `message` is an English sentence naming the problem. */
export class DigitalLinkError extends Error {
  readonly code: DigitalLinkErrorCode;

  constructor(code: DigitalLinkErrorCode, message: string) {
    super(message);
    this.name = "DigitalLinkError";
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------------------
// GS1 identifiers
// ---------------------------------------------------------------------------------------------------------

/** GS1 mod-10 check digit of `body` (the digits before the check digit; any GS1 key length). */
export function gs1CheckDigit(body: string): number {
  if (!/^\d+$/.test(body)) throw new RangeError(`a GS1 key body must be digits, got "${body}"`);
  let sum = 0;
  let weight = 3;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += Number(body[i]) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether `digits` ends with the GS1 check digit of the digits before it. */
function hasValidCheckDigit(digits: string): boolean {
  return gs1CheckDigit(digits.slice(0, -1)) === Number(digits[digits.length - 1]);
}

/**
 * The GTIN-14 text of a GTIN (GTIN-8/12/13/14 as digits, or a number / bigint), checked: throws a
 * `DigitalLinkError` (`bad_gtin`, `bad_gtin_check_digit`) when it is not a GTIN.
 */
export function normalizeGtin(gtin: string | number | bigint): string {
  const text = typeof gtin === "string" ? gtin.trim() : String(gtin);
  if (typeof gtin !== "string" && !/^\d{1,14}$/.test(text)) {
    throw new DigitalLinkError("bad_gtin", `GTIN ${text} is not a number of at most 14 digits.`);
  }
  if (typeof gtin === "string" && !/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(text)) {
    throw new DigitalLinkError("bad_gtin", `GTIN "${text}" must have 8, 12, 13 or 14 digits.`);
  }
  const digits = text.padStart(14, "0");
  if (/^0+$/.test(digits)) throw new DigitalLinkError("bad_gtin", "GTIN 0 is not a GTIN.");
  if (!hasValidCheckDigit(digits)) {
    throw new DigitalLinkError(
      "bad_gtin_check_digit",
      `GTIN ${digits} has a wrong check digit: the last digit should be ${gs1CheckDigit(digits.slice(0, 13))}.`,
    );
  }
  return digits;
}

/** Whether `gtin` is a GTIN (8/12/13/14 digits, or a number of at most 14 digits) with a valid check digit. */
export function isValidGtin(gtin: string | number | bigint): boolean {
  try {
    normalizeGtin(gtin);
    return true;
  } catch {
    return false;
  }
}

/** The 13-digit text of a GLN given as digits or a number (no check-digit test; see `isValidGln`). */
export function gln13(gln: string | number | bigint): string {
  const text = typeof gln === "string" ? gln.trim() : String(gln);
  if (!/^\d{1,13}$/.test(text) || BigInt(text) === 0n) {
    throw new RangeError(`GLN ${text} is not a number of 1 to 13 digits`);
  }
  return text.padStart(13, "0");
}

/** Whether `gln` is a 13-digit GLN (leading zeros may be dropped) with a valid GS1 check digit. */
export function isValidGln(gln: string | number | bigint): boolean {
  try {
    return hasValidCheckDigit(gln13(gln));
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// AI values and percent-encoding
// ---------------------------------------------------------------------------------------------------------

/** GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1). */
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;

/**
 * Why `value` is not a valid AI 10 / AI 21 value (null when it is): 1–20 characters of set 82.
 * `what` names it in the message ("lot number", "serial").
 */
export function aiValueProblem(value: string, what: string): string | null {
  if (value.length === 0) return `The ${what} is empty.`;
  if (value.length > MAX_AI_VALUE_LENGTH) {
    return `The ${what} has ${value.length} characters; GS1 allows at most ${MAX_AI_VALUE_LENGTH}.`;
  }
  if (value === "." || value === "..") return `The ${what} "${value}" cannot travel in a URL path (it means "this" or "up").`;
  if (!CSET82.test(value)) {
    const bad = [...value].find((c) => !CSET82.test(c)) ?? "";
    return `The ${what} "${value}" contains "${bad}", which is not in the GS1 character set (letters, digits and ! " % & ' ( ) * + , - . / : ; < = > ? _).`;
  }
  return null;
}

/**
 * Percent-encode an AI value for a Digital Link path segment: every character outside the RFC 3986 unreserved set
 * `A-Z a-z 0-9 - . _ ~` becomes `%XX` (upper-case hex). Set-82 values are ASCII, so one byte per character.
 */
export function encodeAiValue(value: string): string {
  let out = "";
  for (const c of value) {
    if (/^[A-Za-z0-9\-._~]$/.test(c)) out += c;
    else {
      const bytes = new TextEncoder().encode(c);
      for (const b of bytes) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    }
  }
  return out;
}

/** Percent-decode one path segment; throws `bad_encoding` on a broken escape. */
function decodeSegment(segment: string, what: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new DigitalLinkError("bad_encoding", `The ${what} "${segment}" has a broken percent-encoding.`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------------------------------------

function checkIdentity(identity: { gtin: string | number | bigint; lot: string; serial: string }): ShipmentIdentity {
  const gtin = normalizeGtin(identity.gtin);
  const lotProblem = aiValueProblem(identity.lot, "lot number");
  if (lotProblem !== null) throw new DigitalLinkError("bad_lot", lotProblem);
  const serialProblem = aiValueProblem(identity.serial, "serial");
  if (serialProblem !== null) throw new DigitalLinkError("bad_serial", serialProblem);
  return { gtin, lot: identity.lot, serial: identity.serial };
}

function checkRegistryRef(ref: { chainId: number | bigint; registry: string }): RegistryRef {
  const chainId = Number(ref.chainId);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new DigitalLinkError("bad_chain", `Chain id ${String(ref.chainId)} is not a positive integer.`);
  }
  if (!/^0x[0-9a-fA-F]{40}$/.test(ref.registry)) {
    throw new DigitalLinkError("bad_registry", `Registry address "${ref.registry}" is not 0x followed by 40 hex digits.`);
  }
  if (/^0x0{40}$/.test(ref.registry)) {
    throw new DigitalLinkError("bad_registry", "Registry address is the zero address.");
  }
  return { chainId, registry: ref.registry };
}

/** Normalise a resolver base: `https://host[:port]` with no trailing slash, path, query or fragment. */
function resolverBase(resolver: string): string {
  let url: URL;
  try {
    url = new URL(resolver);
  } catch {
    throw new DigitalLinkError("not_a_url", `Resolver "${resolver}" is not a URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new DigitalLinkError("bad_scheme", `Resolver "${resolver}" must be an http(s) URL.`);
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "" || url.username !== "") {
    throw new DigitalLinkError("bad_path", `Resolver "${resolver}" must be a bare origin such as ${GS1_RESOLVER}.`);
  }
  return url.origin;
}

/** The Digital Link of the product class and lot (AI 01 + AI 10): an EPCIS class id (`epcClass`). */
export function lgtinDigitalLink(gtin: string | number | bigint, lot: string, resolver: string = GS1_RESOLVER): string {
  const { gtin: g, lot: l } = checkIdentity({ gtin, lot, serial: "x" });
  return `${resolverBase(resolver)}/01/${g}/10/${encodeAiValue(l)}`;
}

/** The Digital Link of a GLN (AI 414), e.g. an EPCIS readPoint: `https://id.gs1.org/414/{gln13}`. */
export function glnDigitalLink(gln: string | number | bigint, resolver: string = GS1_RESOLVER): string {
  return `${resolverBase(resolver)}/414/${gln13(gln)}`;
}

/**
 * The Digital Link URI of a shipment, as its label's QR code carries it. With `ref`, the chain id and registry
 * address are appended as `?chain=…&registry=…`. Throws a `DigitalLinkError` on a bad GTIN, lot, serial, chain id or
 * address — so a label is never printed for an identity the contract would refuse.
 */
export function buildDigitalLink(
  identity: { gtin: string | number | bigint; lot: string; serial: string },
  ref?: { chainId: number | bigint; registry: string } | null,
  resolver: string = GS1_RESOLVER,
): string {
  const id = checkIdentity(identity);
  let uri = `${resolverBase(resolver)}/01/${id.gtin}/10/${encodeAiValue(id.lot)}/21/${encodeAiValue(id.serial)}`;
  if (ref !== undefined && ref !== null) {
    const r = checkRegistryRef(ref);
    uri += `?chain=${r.chainId}&registry=${r.registry}`;
  }
  return uri;
}

// ---------------------------------------------------------------------------------------------------------
// Parse
// ---------------------------------------------------------------------------------------------------------

/** Options of `parseDigitalLink`. */
export interface ParseOptions {
  /** Accepted resolver hosts (host[:port], lower case); default `["id.gs1.org"]`. */
  readonly resolverHosts?: readonly string[];
  /** Refuse a payload without `chain` and `registry` (default false). */
  readonly requireRegistryRef?: boolean;
}

/**
 * Parse a scanned payload into the shipment identity (and chain / registry, when present). Leading and trailing
 * white space (a scanner's line end) is ignored; anything else wrong throws a `DigitalLinkError`.
 */
export function parseDigitalLink(payload: string, options: ParseOptions = {}): LabelPayload {
  if (payload.length > MAX_PAYLOAD_LENGTH) {
    throw new DigitalLinkError(
      "too_long",
      `The payload has ${payload.length} characters; a HealthTrace label has at most ${MAX_PAYLOAD_LENGTH}.`,
    );
  }
  const text = payload.trim();
  if (text === "") throw new DigitalLinkError("empty", "The payload is empty.");
  if (/\s/.test(text)) throw new DigitalLinkError("not_a_url", "The payload contains white space, so it is not a URL.");

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DigitalLinkError("not_a_url", `The payload "${text.slice(0, 60)}" is not a URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new DigitalLinkError("bad_scheme", `The payload is a ${url.protocol} URI; a GS1 Digital Link is an http(s) URL.`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new DigitalLinkError("not_a_url", "The payload carries user credentials, which a GS1 Digital Link never does.");
  }
  const hosts = (options.resolverHosts ?? ["id.gs1.org"]).map((h) => h.toLowerCase());
  if (!hosts.includes(url.host.toLowerCase())) {
    throw new DigitalLinkError("wrong_host", `The host ${url.host} is not an accepted resolver (${hosts.join(", ")}).`);
  }

  // The raw path, as written: WHATWG URL parsing would resolve "." / ".." segments (even percent-encoded ones)
  // and turn back slashes into slashes, which would change an AI value.
  const rawPath = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(text)?.[1] ?? "";
  const segments = rawPath.split("/").slice(1);
  if (segments.length === 0 || (segments.length === 1 && segments[0] === "")) {
    throw new DigitalLinkError("missing_gtin", "The URL has no path: a label's path starts with /01/{GTIN}.");
  }
  if (segments.length % 2 !== 0 || segments.some((s) => s === "")) {
    throw new DigitalLinkError(
      "bad_path",
      `The path ${rawPath} is not a sequence of /{AI}/{value} pairs like /01/{GTIN}/10/{lot}/21/{serial}.`,
    );
  }
  const pairs: [string, string][] = [];
  for (let i = 0; i < segments.length; i += 2) pairs.push([segments[i], segments[i + 1]]);

  const [firstAi, rawGtin] = pairs[0];
  if (firstAi !== "01") {
    throw new DigitalLinkError(
      firstAi === "10" || firstAi === "21" ? "missing_gtin" : "unsupported_ai",
      `The path starts with AI ${firstAi}; a shipment label starts with AI 01 (GTIN).`,
    );
  }
  const gtinText = decodeSegment(rawGtin, "GTIN");
  if (!/^\d+$/.test(gtinText)) throw new DigitalLinkError("bad_gtin", `GTIN "${gtinText}" must be digits only.`);
  const gtin = normalizeGtin(gtinText);

  let lot: string | null = null;
  let serial: string | null = null;
  for (const [ai, raw] of pairs.slice(1)) {
    if (ai === "10") {
      if (lot !== null) throw new DigitalLinkError("bad_path", "AI 10 (lot) appears twice.");
      if (serial !== null) throw new DigitalLinkError("bad_path", "AI 10 (lot) must come before AI 21 (serial).");
      lot = decodeSegment(raw, "lot number");
    } else if (ai === "21") {
      if (serial !== null) throw new DigitalLinkError("bad_path", "AI 21 (serial) appears twice.");
      serial = decodeSegment(raw, "serial");
    } else {
      throw new DigitalLinkError("unsupported_ai", `AI ${ai} is not part of a HealthTrace label (01, 10, 21).`);
    }
  }
  if (lot === null) throw new DigitalLinkError("missing_lot", "The label has no AI 10 (lot number).");
  if (serial === null) throw new DigitalLinkError("missing_serial", "The label has no AI 21 (serial number).");
  const lotProblem = aiValueProblem(lot, "lot number");
  if (lotProblem !== null) throw new DigitalLinkError("bad_lot", lotProblem);
  const serialProblem = aiValueProblem(serial, "serial");
  if (serialProblem !== null) throw new DigitalLinkError("bad_serial", serialProblem);

  const chains = url.searchParams.getAll("chain");
  const registries = url.searchParams.getAll("registry");
  if (chains.length > 1) throw new DigitalLinkError("bad_chain", "The query names the chain more than once.");
  if (registries.length > 1) throw new DigitalLinkError("bad_registry", "The query names the registry more than once.");
  let registryRef: RegistryRef | null = null;
  if (chains.length === 1 || registries.length === 1) {
    if (chains.length === 0 || registries.length === 0) {
      throw new DigitalLinkError(
        "incomplete_registry_ref",
        chains.length === 0 ? "The label names a registry but no chain." : "The label names a chain but no registry.",
      );
    }
    const chainText = chains[0];
    if (!/^[1-9]\d{0,15}$/.test(chainText) || !Number.isSafeInteger(Number(chainText))) {
      throw new DigitalLinkError("bad_chain", `Chain id "${chainText}" is not a positive decimal integer.`);
    }
    registryRef = checkRegistryRef({ chainId: Number(chainText), registry: registries[0] });
  } else if (options.requireRegistryRef === true) {
    throw new DigitalLinkError(
      "incomplete_registry_ref",
      "The label names no chain and registry (?chain=…&registry=…), so it cannot be resolved offline.",
    );
  }

  return { gtin, lot, serial, registryRef };
}
