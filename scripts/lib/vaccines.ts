/**
 * Vaccine lots and doses: the codes of `VaccineRegistry` (see contracts/interfaces/IVaccineRegistry.sol) with
 * English / Chinese labels, GS1 GTIN helpers, and the demo vaccine catalogue the seed registers lots of.
 *
 * Dependency-free and erasable TypeScript only (no enums, namespaces or parameter properties), so that any tool
 * (Node's type stripping, Vite, tsx) can import it. The products are modelled on vaccines made or marketed by the
 * two manufacturer personas; their GTINs use illustrative GS1 China company prefixes (69…), not the companies'
 * real ones, and carry valid GS1 check digits.
 */
import type { PersonaKey } from "./personas.ts";

// ---------------------------------------------------------------------------------------------------------
// Codes
// ---------------------------------------------------------------------------------------------------------

/** Lot state codes (`lotState`, `LotView.state`, `DoseView.lotState`). */
export const LotState = {
  Unknown: 0,
  PendingRelease: 1,
  Active: 2,
  Recalled: 3,
  Expired: 4,
  NonConformant: 5,
} as const;
export type LotStateCode = (typeof LotState)[keyof typeof LotState];

/** Lot state code → label and GS1 CBV disposition. */
export const LOT_STATE_LABELS: Readonly<
  Record<LotStateCode, { readonly en: string; readonly zh: string; readonly cbvDisposition: string | null }>
> = {
  0: { en: "unknown lot", zh: "未知批次", cbvDisposition: null },
  1: { en: "pending release", zh: "待放行", cbvDisposition: "inactive" },
  2: { en: "active", zh: "可使用", cbvDisposition: "active" },
  3: { en: "recalled", zh: "已召回", cbvDisposition: "recalled" },
  4: { en: "expired", zh: "已过期", cbvDisposition: "expired" },
  5: { en: "non-conformant (quarantined)", zh: "不合格（已隔离）", cbvDisposition: "non_conformant" },
};

/** Whether a dose from a lot in this state should warn its citizen (recalled or non-conformant). */
export function lotStateWarns(state: number): boolean {
  return state === LotState.Recalled || state === LotState.NonConformant;
}

/** Reason codes of recalls and non-conformance reports. */
export const LotReason = {
  QualityDefect: 0,
  AdverseEvents: 1,
  CounterfeitSuspected: 2,
  ColdChainFailure: 3,
  LabellingError: 4,
  Other: 5,
} as const;
export type LotReasonCode = (typeof LotReason)[keyof typeof LotReason];

export const LOT_REASON_LABELS: Readonly<Record<LotReasonCode, { readonly en: string; readonly zh: string }>> = {
  0: { en: "quality defect", zh: "质量缺陷" },
  1: { en: "adverse events", zh: "不良反应" },
  2: { en: "counterfeit suspected", zh: "疑似假冒" },
  3: { en: "cold-chain failure", zh: "冷链失效" },
  4: { en: "labelling or packaging error", zh: "标签或包装错误" },
  5: { en: "other", zh: "其他" },
};

/** Void reason codes of dose records. */
export const VoidReason = {
  WrongCitizen: 0,
  WrongLot: 1,
  DuplicateEntry: 2,
  NotAdministered: 3,
  Other: 4,
} as const;
export type VoidReasonCode = (typeof VoidReason)[keyof typeof VoidReason];

export const VOID_REASON_LABELS: Readonly<Record<VoidReasonCode, { readonly en: string; readonly zh: string }>> = {
  0: { en: "wrong citizen", zh: "受种者错误" },
  1: { en: "wrong lot", zh: "批次错误" },
  2: { en: "duplicate entry", zh: "重复录入" },
  3: { en: "dose not administered", zh: "未实际接种" },
  4: { en: "other", zh: "其他" },
};

// ---------------------------------------------------------------------------------------------------------
// GS1
// ---------------------------------------------------------------------------------------------------------

// GS1 check digits have one implementation, in the Digital Link module.
export { gs1CheckDigit, isValidGtin } from "./digital-link.ts";

/** The GTIN-14 text (14 digits, leading zeros kept) of a GTIN held as a number. */
export function gtin14(gtin: string | bigint | number): string {
  return String(gtin).padStart(14, "0");
}

// ---------------------------------------------------------------------------------------------------------
// Districts where the demo doses are given (GB/T 2260, Shanghai)
// ---------------------------------------------------------------------------------------------------------

/** Shanghai district codes (GB/T 2260) → names; a superset of the personas' districts. */
export const SHANGHAI_DISTRICTS: Readonly<Record<number, { readonly en: string; readonly zh: string }>> = {
  310101: { en: "Huangpu", zh: "黄浦区" },
  310104: { en: "Xuhui", zh: "徐汇区" },
  310105: { en: "Changning", zh: "长宁区" },
  310106: { en: "Jing'an", zh: "静安区" },
  310107: { en: "Putuo", zh: "普陀区" },
  310109: { en: "Hongkou", zh: "虹口区" },
  310110: { en: "Yangpu", zh: "杨浦区" },
  310112: { en: "Minhang", zh: "闵行区" },
  310113: { en: "Baoshan", zh: "宝山区" },
  310114: { en: "Jiading", zh: "嘉定区" },
  310115: { en: "Pudong New Area", zh: "浦东新区" },
  310116: { en: "Jinshan", zh: "金山区" },
  310117: { en: "Songjiang", zh: "松江区" },
  310118: { en: "Qingpu", zh: "青浦区" },
  310120: { en: "Fengxian", zh: "奉贤区" },
  310151: { en: "Chongming", zh: "崇明区" },
};

// ---------------------------------------------------------------------------------------------------------
// Demo catalogue
// ---------------------------------------------------------------------------------------------------------

/** What a vaccine product is (the lot registration carries its GTIN; the rest is off-chain catalogue data). */
export interface VaccineProduct {
  readonly key: string;
  readonly name: { readonly en: string; readonly zh: string };
  /** WHO ATC code. */
  readonly atc: string;
  /** GTIN-14, 14 digits. */
  readonly gtin: string;
  /** The manufacturer persona registering its lots. */
  readonly manufacturer: PersonaKey;
  /** Prefix of its lot numbers (followed by the manufacture date YYYYMMDD and a letter). */
  readonly lotPrefix: string;
  /** Storage range in °C. */
  readonly storageC: { readonly min: number; readonly max: number };
  readonly shelfLifeDays: number;
  /** Doses of the adult primary series (a booster is the next dose number). */
  readonly primaryDoses: number;
}

export const VACCINE_PRODUCTS = {
  covidInactivated: {
    key: "covidInactivated",
    name: { en: "COVID-19 vaccine (Vero cell), inactivated", zh: "新型冠状病毒灭活疫苗（Vero细胞）" },
    atc: "J07BN03",
    gtin: "06923450120019",
    manufacturer: "manufacturerA",
    lotPrefix: "SIBP",
    storageC: { min: 2, max: 8 },
    shelfLifeDays: 365,
    primaryDoses: 2,
  },
  influenzaQuadrivalent: {
    key: "influenzaQuadrivalent",
    name: { en: "Quadrivalent influenza vaccine (split virion), inactivated", zh: "四价流感病毒裂解疫苗" },
    atc: "J07BB02",
    gtin: "06923450120026",
    manufacturer: "manufacturerA",
    lotPrefix: "SIBP",
    storageC: { min: 2, max: 8 },
    shelfLifeDays: 365,
    primaryDoses: 1,
  },
  covidMrna: {
    key: "covidMrna",
    name: { en: "COVID-19 mRNA vaccine (BNT162b2)", zh: "新冠病毒mRNA疫苗（BNT162b2）" },
    atc: "J07BN01",
    gtin: "06938120200014",
    manufacturer: "manufacturerB",
    lotPrefix: "FOSUN",
    storageC: { min: -25, max: -15 },
    shelfLifeDays: 270,
    primaryDoses: 2,
  },
} as const satisfies Readonly<Record<string, VaccineProduct>>;
export type VaccineProductKey = keyof typeof VACCINE_PRODUCTS;

/**
 * The BIP-39 phrase of the demo's synthetic citizen wallets (m/44'/60'/0'/0/i): the 12 words of the first 16
 * bytes of keccak256("HealthTrace demo synthetic citizens v1"). PUBLIC demo keys: never use on a real network.
 */
export const SYNTHETIC_CITIZEN_MNEMONIC =
  "daring level pioneer cactus west income coast room magic hand illness consider";

// ---------------------------------------------------------------------------------------------------------
// Deterministic randomness and Shanghai calendar helpers for the demo timeline
// ---------------------------------------------------------------------------------------------------------

/** A small deterministic PRNG (mulberry32): the same seed gives the same demo data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Seconds east of UTC of China Standard Time (no daylight saving). */
export const CST_OFFSET = 8 * 3_600;
const DAY = 86_400;

/** Unix time of 00:00 China Standard Time of the day containing `unix`. */
export function cstMidnight(unix: number): number {
  return Math.floor((unix + CST_OFFSET) / DAY) * DAY - CST_OFFSET;
}

/** YYYYMMDD of `unix` in China Standard Time. */
export function cstYmd(unix: number): string {
  return new Date((unix + CST_OFFSET) * 1000).toISOString().slice(0, 10).replaceAll("-", "");
}

/** YYYY-MM-DD of `unix` in China Standard Time. */
export function cstDate(unix: number): string {
  return new Date((unix + CST_OFFSET) * 1000).toISOString().slice(0, 10);
}
