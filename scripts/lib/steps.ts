/**
 * Custody steps of `ProvenanceRegistry`: the packed step word, the GS1 CBV bizStep and disposition codes with their
 * CBV names, Web URIs and English / Chinese labels, the hand-over rejection reasons and the scan verdicts.
 *
 * Dependency-free and erasable TypeScript only (no enums, namespaces or parameter properties), so Node's type
 * stripping, Vite (the React app) and tsx can all import it.
 *
 * The step word, exactly as `contracts/interfaces/IProvenanceRegistry.sol` documents it (bit 255 = most
 * significant bit of the 32-byte word):
 *
 *     bits 255–248  bizStep code (uint8)
 *     bits 247–240  disposition code (uint8)
 *     bits 239–176  readPoint: GLN (uint64, at most 13 digits, not 0)
 *     bits 175–136  eventTime: Unix seconds (uint40, not 0, not after the block time)
 *     bits 135–120  temperature: int16 centi-°C, two's complement (0 when there is no reading)
 *     bits 119–112  1 if a temperature was read, else 0
 *     bits 111–0    zero
 */

// ---------------------------------------------------------------------------------------------------------
// CBV vocabularies
// ---------------------------------------------------------------------------------------------------------

/** Base of the GS1 CBV 2.0 Web vocabulary URIs (`https://ref.gs1.org/cbv/BizStep-shipping`). */
export const CBV_BASE = "https://ref.gs1.org/cbv/";

/** One vocabulary entry: its on-chain code, CBV name and labels. */
export interface CbvTerm {
  readonly code: number;
  /** The CBV name, as EPCIS 2.0 JSON writes it (`shipping`, `in_transit`). */
  readonly name: string;
  readonly en: string;
  readonly zh: string;
}

/** bizStep codes (IProvenanceRegistry) → CBV name and labels, indexed by code. */
export const BIZ_STEPS: readonly CbvTerm[] = [
  { code: 0, name: "commissioning", en: "commissioning", zh: "赋码启用" },
  { code: 1, name: "packing", en: "packing", zh: "包装" },
  { code: 2, name: "loading", en: "loading", zh: "装车" },
  { code: 3, name: "shipping", en: "shipping", zh: "发运" },
  { code: 4, name: "departing", en: "departing", zh: "离站" },
  { code: 5, name: "transporting", en: "transporting", zh: "运输" },
  { code: 6, name: "arriving", en: "arriving", zh: "到达" },
  { code: 7, name: "receiving", en: "receiving", zh: "收货" },
  { code: 8, name: "accepting", en: "accepting custody", zh: "交接接收" },
  { code: 9, name: "inspecting", en: "inspecting", zh: "查验" },
  { code: 10, name: "storing", en: "storing", zh: "入库存储" },
  { code: 11, name: "picking", en: "picking", zh: "拣货" },
  { code: 12, name: "unloading", en: "unloading", zh: "卸货" },
  { code: 13, name: "dispensing", en: "dispensing", zh: "发放" },
  { code: 14, name: "destroying", en: "destroying", zh: "销毁" },
  { code: 15, name: "sensor_reporting", en: "sensor reporting", zh: "传感数据上报" },
  { code: 16, name: "holding", en: "holding for review", zh: "隔离待查" },
];

/** disposition codes (IProvenanceRegistry) → CBV name and labels, indexed by code. */
export const DISPOSITIONS: readonly CbvTerm[] = [
  { code: 0, name: "active", en: "active", zh: "正常" },
  { code: 1, name: "in_transit", en: "in transit", zh: "在途" },
  { code: 2, name: "in_progress", en: "in progress", zh: "处理中" },
  { code: 3, name: "non_conformant", en: "non-conformant", zh: "不合格" },
  { code: 4, name: "recalled", en: "recalled", zh: "已召回" },
  { code: 5, name: "damaged", en: "damaged", zh: "已损坏" },
  { code: 6, name: "destroyed", en: "destroyed", zh: "已销毁" },
  { code: 7, name: "dispensed", en: "dispensed", zh: "已发放" },
  { code: 8, name: "expired", en: "expired", zh: "已过期" },
  { code: 9, name: "container_closed", en: "container closed", zh: "已封箱" },
  { code: 10, name: "returned", en: "returned", zh: "已退回" },
  { code: 11, name: "stolen", en: "stolen", zh: "被盗" },
];

/** Highest bizStep code (`MAX_BIZ_STEP`). */
export const MAX_BIZ_STEP = BIZ_STEPS.length - 1;
/** Highest disposition code (`MAX_DISPOSITION`). */
export const MAX_DISPOSITION = DISPOSITIONS.length - 1;
/** Disposition code of non_conformant. */
export const DISPOSITION_NON_CONFORMANT = 3;

/** The CBV Web URI of a bizStep code: `https://ref.gs1.org/cbv/BizStep-shipping`. */
export function bizStepUri(code: number): string {
  return `${CBV_BASE}BizStep-${bizStepTerm(code).name}`;
}

/** The CBV Web URI of a disposition code: `https://ref.gs1.org/cbv/Disp-in_transit`. */
export function dispositionUri(code: number): string {
  return `${CBV_BASE}Disp-${dispositionTerm(code).name}`;
}

/** The bizStep entry of a code; throws a RangeError naming the valid range. */
export function bizStepTerm(code: number): CbvTerm {
  const term = Number.isInteger(code) ? BIZ_STEPS[code] : undefined;
  if (term === undefined) throw new RangeError(`bizStep code ${code} is not between 0 and ${MAX_BIZ_STEP}`);
  return term;
}

/** The disposition entry of a code; throws a RangeError naming the valid range. */
export function dispositionTerm(code: number): CbvTerm {
  const term = Number.isInteger(code) ? DISPOSITIONS[code] : undefined;
  if (term === undefined) throw new RangeError(`disposition code ${code} is not between 0 and ${MAX_DISPOSITION}`);
  return term;
}

function lookupTerm(terms: readonly CbvTerm[], input: string, uriPrefix: string, urnPrefix: string, kind: string): CbvTerm {
  const text = input.trim();
  let name = text.toLowerCase();
  if (text.startsWith(`${CBV_BASE}${uriPrefix}`)) name = text.slice(`${CBV_BASE}${uriPrefix}`.length);
  else if (text.startsWith(`https://gs1.org/voc/${uriPrefix}`)) name = text.slice(`https://gs1.org/voc/${uriPrefix}`.length);
  else if (name.startsWith(urnPrefix)) name = name.slice(urnPrefix.length);
  else if (/^\d+$/.test(text)) {
    const byCode = terms[Number(text)];
    if (byCode !== undefined) return byCode;
  }
  const term = terms.find((t) => t.name === name);
  if (term === undefined) {
    throw new RangeError(
      `"${input}" is not a ${kind} HealthTrace records; use one of: ${terms.map((t) => t.name).join(", ")}`,
    );
  }
  return term;
}

/**
 * The bizStep entry named by a CBV name (`shipping`), its Web URI (`https://ref.gs1.org/cbv/BizStep-shipping`),
 * its CBV 1.x URN (`urn:epcglobal:cbv:bizstep:shipping`) or its code; throws a RangeError listing the valid names.
 */
export function parseBizStep(input: string): CbvTerm {
  return lookupTerm(BIZ_STEPS, input, "BizStep-", "urn:epcglobal:cbv:bizstep:", "bizStep");
}

/** The disposition entry named by a CBV name, Web URI, URN or code (as `parseBizStep`). */
export function parseDisposition(input: string): CbvTerm {
  return lookupTerm(DISPOSITIONS, input, "Disp-", "urn:epcglobal:cbv:disp:", "disposition");
}

// ---------------------------------------------------------------------------------------------------------
// Hand-over rejection reasons and scan verdicts
// ---------------------------------------------------------------------------------------------------------

/** Hand-over rejection reason codes → name and labels, indexed by code. */
export const REJECT_REASONS: readonly CbvTerm[] = [
  { code: 0, name: "damaged", en: "goods damaged", zh: "货物损坏" },
  { code: 1, name: "temperature_excursion", en: "temperature excursion", zh: "温度超标" },
  { code: 2, name: "wrong_quantity", en: "wrong quantity", zh: "数量不符" },
  { code: 3, name: "wrong_product_or_documents", en: "wrong product or documents", zh: "产品或单据不符" },
  { code: 4, name: "not_expected", en: "delivery not expected", zh: "非预期到货" },
  { code: 5, name: "other", en: "other reason", zh: "其他原因" },
];

/** The rejection reason named by its name (`temperature_excursion`) or code. */
export function parseRejectReason(input: string): CbvTerm {
  const text = input.trim().toLowerCase().replace(/[-\s]+/g, "_");
  const term = /^\d+$/.test(text) ? REJECT_REASONS[Number(text)] : REJECT_REASONS.find((t) => t.name === text);
  if (term === undefined) {
    throw new RangeError(
      `"${input}" is not a hand-over rejection reason; use one of: ${REJECT_REASONS.map((t) => t.name).join(", ")}`,
    );
  }
  return term;
}

/** Scan verdict codes → name and labels, indexed by code. */
export const SCAN_VERDICTS: readonly CbvTerm[] = [
  {
    code: 0,
    name: "genuine",
    en: "genuine: the shipment is held by (or being handed to) the organisation that owns this location",
    zh: "真实：货物由本地点所属机构持有（或正在交接给该机构）",
  },
  {
    code: 1,
    name: "unknown_identity",
    en: "suspect: the registry never issued this identity (possible counterfeit)",
    zh: "可疑：登记系统从未签发此标识（疑似假冒）",
  },
  {
    code: 2,
    name: "already_delivered",
    en: "suspect: the shipment was already delivered and is scanned away from its final holder (possible diversion or re-use of a label)",
    zh: "可疑：货物已交付，却在最终持有方以外的地点被扫描（疑似窜货或标签被重复使用）",
  },
  {
    code: 3,
    name: "wrong_location",
    en: "suspect: this location does not belong to the shipment's holder or its expected receiver (possible diversion)",
    zh: "可疑：该地点不属于货物的持有方或预期接收方（疑似窜货）",
  },
];

/** The verdict entry of a code. */
export function scanVerdict(code: number): CbvTerm {
  const term = Number.isInteger(code) ? SCAN_VERDICTS[code] : undefined;
  if (term === undefined) throw new RangeError(`scan verdict ${code} is not between 0 and ${SCAN_VERDICTS.length - 1}`);
  return term;
}

/** The rejection reason entry of a code. */
export function rejectReason(code: number): CbvTerm {
  const term = Number.isInteger(code) ? REJECT_REASONS[code] : undefined;
  if (term === undefined) throw new RangeError(`rejection reason ${code} is not between 0 and ${REJECT_REASONS.length - 1}`);
  return term;
}

// ---------------------------------------------------------------------------------------------------------
// Temperatures
// ---------------------------------------------------------------------------------------------------------

/** Lowest and highest reading a step word carries (int16 centi-°C). */
export const MIN_CENTI_C = -32768;
export const MAX_CENTI_C = 32767;

/**
 * Centi-°C of a temperature in °C written as text (`"4.5"`, `"-18"`, `"-0.25"`), exactly (no floating point):
 * at most two decimals, within −327.68 … 327.67 °C. Throws a RangeError with a sentence otherwise.
 */
export function parseCelsius(text: string): number {
  const t = text.trim().replace(/°?C$/i, "").trim();
  const m = /^([+-]?)(\d{1,3})(?:\.(\d{1,2}))?$/.exec(t);
  if (m === null) throw new RangeError(`"${text}" is not a temperature in °C with at most two decimals (e.g. 4.5 or -18)`);
  const centi = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0"));
  const value = m[1] === "-" ? -centi : centi;
  if (value < MIN_CENTI_C || value > MAX_CENTI_C) {
    throw new RangeError(`${text} °C is outside what a step records (−327.68 to 327.67 °C)`);
  }
  return value === 0 ? 0 : value;
}

/** °C of a centi-°C reading, as a number (`450` → `4.5`). */
export function centiToCelsius(centi: number): number {
  return centi / 100;
}

/** A centi-°C reading as text with two decimals and the unit (`450` → `"4.50 °C"`). */
export function formatCelsius(centi: number): string {
  const sign = centi < 0 ? "-" : "";
  const abs = Math.abs(centi);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")} °C`;
}

// ---------------------------------------------------------------------------------------------------------
// The step word
// ---------------------------------------------------------------------------------------------------------

/** Largest 13-digit GLN (`GS1.MAX_GLN`). */
export const MAX_READ_POINT = 9_999_999_999_999n;
/** Largest eventTime a step word carries (uint40). */
export const MAX_EVENT_TIME = 2 ** 40 - 1;

/** A custody step, unpacked. */
export interface CustodyStep {
  /** bizStep code (0–16). */
  readonly bizStep: number;
  /** Disposition code (0–11). */
  readonly disposition: number;
  /** GLN where the step happened (1 … 9,999,999,999,999). */
  readonly readPoint: bigint;
  /** When it happened, Unix seconds. */
  readonly eventTime: number;
  /** The temperature read, centi-°C; null when none was read. */
  readonly temperatureCentiC: number | null;
}

/** Why a step is not one the contract accepts (ignoring the block-time check), or null. */
export function stepProblem(step: CustodyStep): string | null {
  if (!Number.isInteger(step.bizStep) || step.bizStep < 0 || step.bizStep > MAX_BIZ_STEP) {
    return `bizStep code ${step.bizStep} is not between 0 and ${MAX_BIZ_STEP}`;
  }
  if (!Number.isInteger(step.disposition) || step.disposition < 0 || step.disposition > MAX_DISPOSITION) {
    return `disposition code ${step.disposition} is not between 0 and ${MAX_DISPOSITION}`;
  }
  if (step.readPoint <= 0n || step.readPoint > MAX_READ_POINT) {
    return `readPoint ${step.readPoint} is not a GLN of 1 to 13 digits`;
  }
  if (!Number.isInteger(step.eventTime) || step.eventTime <= 0 || step.eventTime > MAX_EVENT_TIME) {
    return `eventTime ${step.eventTime} is not a positive Unix time in seconds`;
  }
  const t = step.temperatureCentiC;
  if (t !== null && (!Number.isInteger(t) || t < MIN_CENTI_C || t > MAX_CENTI_C)) {
    return `temperature ${t} centi-°C is not an int16`;
  }
  return null;
}

/** Pack a step into its word (`0x` + 64 hex digits), as the contract's `packStep`; throws a RangeError on bad fields. */
export function packStep(step: CustodyStep): string {
  const problem = stepProblem(step);
  if (problem !== null) throw new RangeError(`cannot pack the step: ${problem}`);
  let word =
    (BigInt(step.bizStep) << 248n) |
    (BigInt(step.disposition) << 240n) |
    (step.readPoint << 176n) |
    (BigInt(step.eventTime) << 136n);
  if (step.temperatureCentiC !== null) {
    word |= (BigInt(step.temperatureCentiC & 0xffff) << 120n) | (1n << 112n);
  }
  return `0x${word.toString(16).padStart(64, "0")}`;
}

/**
 * Unpack a step word (`0x` + 64 hex digits). Throws a RangeError when the word is not one the contract accepts
 * (reserved bits set, a temperature without its flag, codes out of range, a zero or oversized GLN, a zero time).
 */
export function unpackStep(word: string): CustodyStep {
  if (!/^0x[0-9a-fA-F]{64}$/.test(word)) throw new RangeError(`step word "${word}" is not 0x followed by 64 hex digits`);
  const w = BigInt(word);
  const field = (shift: bigint, bits: bigint): bigint => (w >> shift) & ((1n << bits) - 1n);
  if (field(0n, 112n) !== 0n) throw new RangeError(`step word ${word} has reserved bits 111–0 set`);
  const flag = field(112n, 8n);
  const rawTemperature = Number(field(120n, 16n));
  if (flag > 1n) throw new RangeError(`step word ${word} has a temperature flag of ${flag} (0 or 1 expected)`);
  if (flag === 0n && rawTemperature !== 0) throw new RangeError(`step word ${word} has a temperature but no temperature flag`);
  const step: CustodyStep = {
    bizStep: Number(field(248n, 8n)),
    disposition: Number(field(240n, 8n)),
    readPoint: field(176n, 64n),
    eventTime: Number(field(136n, 40n)),
    temperatureCentiC: flag === 1n ? (rawTemperature >= 0x8000 ? rawTemperature - 0x10000 : rawTemperature) : null,
  };
  const problem = stepProblem(step);
  if (problem !== null) throw new RangeError(`step word ${word}: ${problem}`);
  return step;
}

/** A step in words, English (`shipping · in transit · GLN 6901234000012 · 2025-01-01T08:00:00Z · 4.50 °C`). */
export function describeStep(step: CustodyStep): string {
  const parts = [
    bizStepTerm(step.bizStep).en,
    dispositionTerm(step.disposition).en,
    `GLN ${step.readPoint.toString().padStart(13, "0")}`,
    new Date(step.eventTime * 1000).toISOString().replace(".000Z", "Z"),
  ];
  if (step.temperatureCentiC !== null) parts.push(formatCelsius(step.temperatureCentiC));
  return parts.join(" · ");
}
