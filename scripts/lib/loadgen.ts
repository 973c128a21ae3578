/**
 * The load generator's plan (`npm run loadgen`, `scripts/lib/loadgen-run.ts` sends it): a deterministic, pure
 * function of the requested event count, history span, seed and the chain's release quorum, which says what every
 * organisation does on every simulated day, and exactly how many events of each name that produces.
 *
 * The mix (fractions of the requested total, README "Performance"): doses recorded 40 %, dose confirmations 5 %
 * (relayed `ConfirmDose` signatures), dose verifications 1 %, custody steps 30 % (some readings out of range:
 * `ColdChainExcursion`), shipments created and handed over (proposed, accepted, a few rejected) with about 30 steps
 * each, suspect scans 0.1 %, consent grants by relayed signature 3.5 %, revocations 0.4 %, and the rest (about 8 %)
 * record anchors and logged reads, half each, which also make the total exact. Before all of it, the regulator
 * accredits the generator's organisations (clinics in Shanghai's 16 districts, hospitals, a research institute,
 * carriers, warehouses, manufacturers, release labs, record-vault gatekeepers) and gives them their roles, and each
 * supply organisation registers its location. Vaccine lots are registered by their manufacturer when the coming
 * doses need them, attested by the labs two days later, usable from the day after; a few are recalled or
 * quarantined by the regulator once doses were given from them.
 *
 * Timing rules the plan keeps so that transactions of different senders sent concurrently within one day never
 * depend on each other: a hand-over proposed on day d is answered on day d+1 or later; a lot registered on day d is
 * attested on day d+2 and used from day d+3; a dose recorded for a citizen with a key on day d is confirmed on day
 * d+2 (the clinic needs the dose id, which depends on the order the lot's doses were mined in) and may be verified
 * from then on; a grant is revoked on a later day than it was made. Day 0 is the set-up day (funding, accreditation,
 * locations, the first lots), in three phases.
 *
 * Dependency-free but for viem's hashing and the shared code tables; erasable TypeScript only.
 */
import { keccak256, toHex, type Hex } from "viem";

import { Category, District, Kind, type KindCode, type RoleName } from "./personas.ts";
import { BizStep, Disposition, RejectReason, SUPPLY_PRODUCTS } from "./supplies.ts";
import { gs1CheckDigit, prng, SHANGHAI_DISTRICTS, VACCINE_PRODUCTS } from "./vaccines.ts";

// ---------------------------------------------------------------------------------------------------------
// The mix
// ---------------------------------------------------------------------------------------------------------

/** Fractions of the requested total; anchors and reads take what is left (see the file comment). */
export const MIX = {
  doses: 0.4,
  confirmations: 0.05,
  verifications: 0.01,
  steps: 0.3,
  excursions: 0.0005,
  scans: 0.001,
  grants: 0.035,
  revocations: 0.004,
} as const;

/** Average custody steps per shipment (plant 3, carrier 2 + readings, warehouse 4, receiver 2). */
export const STEPS_PER_SHIPMENT = 30;
/** Most readings one carrier leg reports (a `recordSteps` call takes at most 500 steps). */
const MAX_READINGS = 400;
/** Smallest total the plan can be exact for (the set-up alone is over a hundred events). */
export const MIN_EVENTS = 1_500;
/** Fewest days: set-up, attestation, then doses from day 3 and their confirmations two days later. */
export const MIN_DAYS = 7;
const DAY = 86_400;

/** Every event name a plan can produce, with the registry that emits it. */
export const EVENT_SOURCES = {
  OrganisationAccredited: "HealthTraceAuthority",
  RoleGranted: "HealthTraceAuthority",
  LotRegistered: "VaccineRegistry",
  LotAttested: "VaccineRegistry",
  LotReleased: "VaccineRegistry",
  LotRecalled: "VaccineRegistry",
  LotNonConformant: "VaccineRegistry",
  DoseRecorded: "VaccineRegistry",
  DoseConfirmed: "VaccineRegistry",
  DoseVerified: "VaccineRegistry",
  LocationRegistered: "ProvenanceRegistry",
  ShipmentCreated: "ProvenanceRegistry",
  CustodyStepRecorded: "ProvenanceRegistry",
  ColdChainExcursion: "ProvenanceRegistry",
  HandoverProposed: "ProvenanceRegistry",
  HandoverAccepted: "ProvenanceRegistry",
  HandoverRejected: "ProvenanceRegistry",
  SuspectScanReported: "ProvenanceRegistry",
  ConsentGranted: "ConsentRegistry",
  ConsentRevoked: "ConsentRegistry",
  AccessLogged: "ConsentRegistry",
  RecordAnchored: "RecordRegistry",
} as const;
export type EventName = keyof typeof EVENT_SOURCES;
export type EventCounts = Record<EventName, number>;

/** A count of zero for every event name. */
export function zeroCounts(): EventCounts {
  const counts = {} as EventCounts;
  for (const name of Object.keys(EVENT_SOURCES) as EventName[]) counts[name] = 0;
  return counts;
}

/** The sum of a count table. */
export function totalOf(counts: Readonly<EventCounts>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

// ---------------------------------------------------------------------------------------------------------
// Deterministic helpers
// ---------------------------------------------------------------------------------------------------------

/**
 * Split `total` into integers proportional to `weights` (largest remainder; ties to the lower index), so the parts
 * always add up to `total`. Throws when `total` > 0 and every weight is zero.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + Math.max(0, b), 0);
  if (total === 0) return weights.map(() => 0);
  if (!(sum > 0)) throw new RangeError(`cannot share ${total} among ${weights.length} zero weights`);
  const exact = weights.map((w) => (total * Math.max(0, w)) / sum);
  const parts = exact.map(Math.floor);
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) parts[order[k].i]++;
  return parts;
}

/** An index drawn with probability proportional to `weights`. */
function pick(rng: () => number, weights: readonly number[]): number {
  const sum = weights.reduce((a, b) => a + b, 0);
  let x = rng() * sum;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i];
    if (x < 0) return i;
  }
  return weights.length - 1;
}

const int = (rng: () => number, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

/** The GS1 key `body` completed with its check digit, as a bigint. */
export function withCheckDigit(body: string): bigint {
  return BigInt(`${body}${gs1CheckDigit(body)}`);
}

// ---------------------------------------------------------------------------------------------------------
// The cast: the organisations the generator accredits
// ---------------------------------------------------------------------------------------------------------

/** What a member of the cast does. */
export type Part =
  "manufacturer" | "carrier" | "warehouse" | "clinic" | "hospital" | "research" | "lab" | "gatekeeper" | "relayer";

/** One organisation (or, for relayers, a plain funded wallet) of the generator. */
export interface Member {
  readonly index: number;
  /** Stable label; the member's key is derived from it (with the run tag). */
  readonly label: string;
  readonly part: Part;
  /** Organisation kind; null for a relayer, which is not accredited. */
  readonly kind: KindCode | null;
  readonly district: number;
  readonly name: { readonly en: string; readonly zh: string };
  readonly roles: readonly RoleName[];
  /** The name of the location it registers (supply organisations), else null. */
  readonly site: string | null;
}

/** Population of Shanghai's districts in millions (2020 census, rounded): the weight of a district's clinic. */
const DISTRICT_POPULATION: Readonly<Record<number, number>> = {
  310101: 0.66,
  310104: 1.11,
  310105: 0.69,
  310106: 0.98,
  310107: 1.24,
  310109: 0.76,
  310110: 1.24,
  310112: 2.65,
  310113: 2.24,
  310114: 1.83,
  310115: 5.68,
  310116: 0.82,
  310117: 1.91,
  310118: 1.27,
  310120: 1.14,
  310151: 0.64,
};

const MANUFACTURERS = [
  { en: "Sinopharm Shanghai Vaccine Base, Fengxian", zh: "国药集团上海疫苗生产基地（奉贤）", district: 310120 },
  { en: "Fosun Pharma Songjiang Biologics Base", zh: "复星医药松江生物制品基地", district: 310117 },
  { en: "Jinshan Medical Protective Products Co.", zh: "金山医用防护用品有限公司", district: 310116 },
] as const;
const HOSPITALS = [
  { en: "Shanghai Sixth People's Hospital", zh: "上海市第六人民医院", district: 310104 },
  { en: "Renji Hospital, Shanghai Jiao Tong University", zh: "上海交通大学医学院附属仁济医院", district: 310115 },
  { en: "Huashan Hospital, Fudan University", zh: "复旦大学附属华山医院", district: 310106 },
] as const;
const CARRIERS = [
  { en: "Shanghai Pharma Cold Chain Fleet 1", zh: "上药冷链运输一队", district: 310112 },
  { en: "Shanghai Pharma Cold Chain Fleet 2", zh: "上药冷链运输二队", district: 310113 },
  { en: "Pudong Medical Logistics", zh: "浦东医药物流", district: 310115 },
] as const;
const WAREHOUSES = [
  { en: "Minhang Vaccine Distribution Centre", zh: "闵行疫苗配送中心", district: 310112 },
  { en: "Jiading Medical Supplies Depot", zh: "嘉定医疗物资仓库", district: 310114 },
] as const;

/**
 * The generator's organisations, in a fixed order: 3 manufacturers, 3 carriers, 2 warehouses, 16 district
 * vaccination clinics, 3 hospitals, a research institute, `releaseQuorum` release labs, 2 record-vault gatekeepers
 * and 2 consent relayers.
 */
export function loadgenCast(releaseQuorum: number): Member[] {
  const members: Member[] = [];
  const add = (m: Omit<Member, "index">): void => {
    members.push({ ...m, index: members.length });
  };
  /** Named institutions of one part, in order, each registering the site `site(name)` (null: none). */
  const institutions = (
    list: readonly { readonly en: string; readonly zh: string; readonly district: number }[],
    part: Part,
    kind: KindCode,
    roles: readonly RoleName[],
    site: (en: string) => string | null,
  ): void =>
    list.forEach((m, i) =>
      add({
        label: `${part}-${i}`,
        part,
        kind,
        district: m.district,
        name: { en: m.en, zh: m.zh },
        roles,
        site: site(m.en),
      }),
    );
  institutions(
    MANUFACTURERS,
    "manufacturer",
    Kind.Manufacturer,
    ["MANUFACTURER_ROLE"],
    (en) => `${en.split(",")[0].slice(0, 40)} dispatch`,
  );
  institutions(CARRIERS, "carrier", Kind.Carrier, ["CARRIER_ROLE"], (en) => `${en} vehicles`);
  institutions(WAREHOUSES, "warehouse", Kind.Warehouse, ["WAREHOUSE_ROLE"], (en) => `${en}, cold store`);
  for (const [code, names] of Object.entries(SHANGHAI_DISTRICTS)) {
    add({
      label: `clinic-${code}`,
      part: "clinic",
      kind: Kind.Clinic,
      district: Number(code),
      name: { en: `${names.en} District Vaccination Clinic`, zh: `${names.zh}预防接种门诊` },
      roles: ["CLINIC_ROLE", "RECORD_ISSUER_ROLE"],
      site: `${names.en} vaccination clinic, goods in`,
    });
  }
  institutions(HOSPITALS, "hospital", Kind.Hospital, ["RECORD_ISSUER_ROLE"], (en) => `${en.split(",")[0]} pharmacy`);
  const none = (): null => null;
  institutions(
    [{ en: "Tongji University School of Public Health", zh: "同济大学公共卫生学院", district: 310110 }],
    "research",
    Kind.ResearchInstitute,
    [],
    none,
  );
  const numbered = (n: number, en: string, zh: string, district: number) =>
    Array.from({ length: n }, (_, i) => ({ en: `${en}${i + 1}`, zh: `${zh}${i + 1}`, district }));
  institutions(
    numbered(releaseQuorum, "Shanghai Biologics Release Lab ", "上海生物制品批签发实验室", 310115),
    "lab",
    Kind.Lab,
    ["LOT_ATTESTER_ROLE"],
    none,
  );
  institutions(
    numbered(2, "Shanghai Health Record Vault, node ", "上海健康档案库节点", District.Shanghai),
    "gatekeeper",
    Kind.Regulator,
    ["GATEKEEPER_ROLE"],
    none,
  );
  for (let i = 0; i < 2; i++) {
    add({
      label: `relayer-${i}`,
      part: "relayer",
      kind: null,
      district: 0,
      name: { en: "", zh: "" },
      roles: [],
      site: null,
    });
  }
  return members;
}

/** The GLN a member registers in a run: "69", five digits of the run tag, five of the member index, check digit. */
export function memberGln(runNumber: number, member: number): bigint {
  const body = `69${String(runNumber % 100_000).padStart(5, "0")}${String(member).padStart(5, "0")}`;
  return withCheckDigit(body);
}

// ---------------------------------------------------------------------------------------------------------
// Products
// ---------------------------------------------------------------------------------------------------------

/** A product the generator ships (and, for vaccines, gives doses of). */
export interface Product {
  readonly key: string;
  readonly gtin: bigint;
  /** Index of its manufacturer in the cast. */
  readonly manufacturer: number;
  readonly lotPrefix: string;
  /** Storage range in centi-°C, or null without cold chain. */
  readonly range: { readonly min: number; readonly max: number } | null;
  readonly vaccine: boolean;
  readonly shelfLifeDays: number;
  /** Share of the doses (vaccines) and of the shipments. */
  readonly doseShare: number;
  readonly shipmentShare: number;
}

const centi = (c: number): number => Math.round(c * 100);

/** The vaccines (from `VACCINE_PRODUCTS`) and the other supplies (`SUPPLY_PRODUCTS`) with their mix shares. */
export const PRODUCTS: readonly Product[] = [
  {
    key: "covidInactivated",
    gtin: BigInt(VACCINE_PRODUCTS.covidInactivated.gtin),
    manufacturer: 0,
    lotPrefix: VACCINE_PRODUCTS.covidInactivated.lotPrefix,
    range: {
      min: centi(VACCINE_PRODUCTS.covidInactivated.storageC.min),
      max: centi(VACCINE_PRODUCTS.covidInactivated.storageC.max),
    },
    vaccine: true,
    shelfLifeDays: VACCINE_PRODUCTS.covidInactivated.shelfLifeDays,
    doseShare: 0.55,
    shipmentShare: 0.3,
  },
  {
    key: "influenzaQuadrivalent",
    gtin: BigInt(VACCINE_PRODUCTS.influenzaQuadrivalent.gtin),
    manufacturer: 0,
    lotPrefix: VACCINE_PRODUCTS.influenzaQuadrivalent.lotPrefix,
    range: {
      min: centi(VACCINE_PRODUCTS.influenzaQuadrivalent.storageC.min),
      max: centi(VACCINE_PRODUCTS.influenzaQuadrivalent.storageC.max),
    },
    vaccine: true,
    shelfLifeDays: VACCINE_PRODUCTS.influenzaQuadrivalent.shelfLifeDays,
    doseShare: 0.2,
    shipmentShare: 0.11,
  },
  {
    key: "covidMrna",
    gtin: BigInt(VACCINE_PRODUCTS.covidMrna.gtin),
    manufacturer: 1,
    lotPrefix: VACCINE_PRODUCTS.covidMrna.lotPrefix,
    range: { min: centi(VACCINE_PRODUCTS.covidMrna.storageC.min), max: centi(VACCINE_PRODUCTS.covidMrna.storageC.max) },
    vaccine: true,
    shelfLifeDays: VACCINE_PRODUCTS.covidMrna.shelfLifeDays,
    doseShare: 0.25,
    shipmentShare: 0.14,
  },
  {
    key: "medicalMask",
    gtin: BigInt(SUPPLY_PRODUCTS.medicalMask.gtin),
    manufacturer: 2,
    lotPrefix: SUPPLY_PRODUCTS.medicalMask.lotPrefix,
    range: null,
    vaccine: false,
    shelfLifeDays: 730,
    doseShare: 0,
    shipmentShare: 0.28,
  },
  {
    key: "antigenTest",
    gtin: BigInt(SUPPLY_PRODUCTS.antigenTest.gtin),
    manufacturer: 1,
    lotPrefix: SUPPLY_PRODUCTS.antigenTest.lotPrefix,
    range: {
      min: centi(SUPPLY_PRODUCTS.antigenTest.storageC.min),
      max: centi(SUPPLY_PRODUCTS.antigenTest.storageC.max),
    },
    vaccine: false,
    shelfLifeDays: 540,
    doseShare: 0,
    shipmentShare: 0.17,
  },
];
const VACCINES = PRODUCTS.filter((p) => p.vaccine);
/** Index in `PRODUCTS` of the product whose shipments may have cold-chain excursions (antigen tests, 2–30 °C). */
const EXCURSION_PRODUCT = PRODUCTS.findIndex((p) => p.key === "antigenTest");

// ---------------------------------------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------------------------------------

/** What the generator is asked for. */
export interface LoadgenConfig {
  /** Exact number of registry events. */
  readonly events: number;
  /** Days of history (day 0 is the set-up day). */
  readonly days: number;
  readonly seed: number;
  /** Distinct attestations a lot needs (the chain's `releaseQuorum()`). */
  readonly releaseQuorum: number;
  /** Block time of day 0 (Unix seconds); day d is `startTime + d × 86,400`. */
  readonly startTime: number;
  /** A number that makes this run's identifiers (GLNs, lot numbers, serials, keys) differ from earlier runs'. */
  readonly runNumber: number;
}

/** A vaccine lot of the plan. */
export interface PlannedLot {
  readonly index: number;
  readonly product: number;
  readonly lotNumber: string;
  readonly doseCount: number;
  readonly registeredDay: number;
  readonly manufacturedAt: number;
  readonly expiresAt: number;
  readonly dossier: Hex;
}

/** A shipment of the plan: its identity and who handles it. */
export interface PlannedShipment {
  readonly index: number;
  readonly product: number;
  readonly lotNumber: string;
  readonly serial: string;
  /** The plan's vaccine lot it carries, or -1. */
  readonly lot: number;
  readonly quantity: number;
  readonly manufacturer: number;
  readonly carrier: number;
  readonly warehouse: number;
  readonly destination: number;
  readonly createdDay: number;
}

/** A consent grant of the plan (signed by a keyed citizen, relayed). */
export interface PlannedGrant {
  readonly index: number;
  readonly citizen: number;
  readonly grantee: number;
  readonly category: number;
  readonly purpose: number;
  readonly day: number;
  readonly expiresAt: number;
}

/** A custody step, with the cast member whose location is its read point. */
export interface PlannedStep {
  readonly bizStep: number;
  readonly disposition: number;
  readonly at: number;
  readonly eventTime: number;
  readonly temperatureCentiC: number | null;
  /** Out of the shipment's range (a `ColdChainExcursion`). */
  readonly excursion: boolean;
}

/** Something one sender does on a day. Every op names its sender (`by`: a cast index, or "admin" / "regulator"). */
export type Op =
  | { readonly t: "fund"; readonly by: "admin"; readonly member: number }
  | { readonly t: "accredit"; readonly by: "regulator"; readonly member: number }
  | { readonly t: "grantRole"; readonly by: "regulator"; readonly member: number; readonly role: RoleName }
  | { readonly t: "location"; readonly by: number }
  | { readonly t: "registerLot"; readonly by: number; readonly lot: number }
  | { readonly t: "attest"; readonly by: number; readonly lot: number; readonly releases: boolean }
  | { readonly t: "recall"; readonly by: "regulator"; readonly lot: number; readonly reason: number }
  | { readonly t: "quarantine"; readonly by: "regulator"; readonly lot: number; readonly reason: number }
  /** Doses of one lot: `keyed` to citizens with keys (positions `keyedFrom…` of the keyed pool), then `residents`. */
  | {
      readonly t: "doses";
      readonly by: number;
      readonly lot: number;
      readonly keyed: number;
      readonly keyedFrom: number;
      readonly residents: number;
      readonly residentFrom: number;
    }
  /** Relay the signed confirmations of the `n` keyed doses this clinic recorded on `ofDay` (all of them). */
  | { readonly t: "confirm"; readonly by: number; readonly ofDay: number; readonly n: number }
  /** Verify doses: each `[clinic, day, k]` is the k-th keyed dose the clinic recorded that day. */
  | { readonly t: "verify"; readonly by: "regulator"; readonly doses: readonly (readonly [number, number, number])[] }
  | { readonly t: "create"; readonly by: number; readonly shipment: number }
  | { readonly t: "steps"; readonly by: number; readonly shipment: number; readonly steps: readonly PlannedStep[] }
  | {
      readonly t: "propose";
      readonly by: number;
      readonly shipment: number;
      readonly to: number;
      readonly final: boolean;
    }
  | { readonly t: "accept"; readonly by: number; readonly shipment: number }
  | { readonly t: "reject"; readonly by: number; readonly shipment: number; readonly reason: number }
  /** A suspect scan at the reporter's location: of a shipment (`shipment` ≥ 0) or of a never-issued serial (-1). */
  | { readonly t: "scan"; readonly by: number; readonly shipment: number; readonly unknownSerial: string }
  | { readonly t: "grant"; readonly by: number; readonly grant: number }
  | { readonly t: "revoke"; readonly by: number; readonly grant: number; readonly nonceKey: number }
  /** Reads logged by a gatekeeper: each entry is a grant index (the read it serves), or -1 for none in force. */
  | { readonly t: "reads"; readonly by: number; readonly grants: readonly number[]; readonly first: number }
  /** Records anchored by an issuer: global record numbers `first … first + count - 1`. */
  | { readonly t: "anchors"; readonly by: number; readonly first: number; readonly count: number };

/** One simulated day. */
export interface DayPlan {
  readonly day: number;
  /** Block time of the day's first block. */
  readonly time: number;
  /** Ops in phases (day 0 has three: funding, accreditation, locations and lots; other days one). */
  readonly phases: readonly (readonly Op[])[];
}

/** The whole plan. */
export interface LoadPlan {
  readonly config: LoadgenConfig;
  readonly cast: readonly Member[];
  readonly lots: readonly PlannedLot[];
  readonly shipments: readonly PlannedShipment[];
  readonly grants: readonly PlannedGrant[];
  /** Sizes of the citizen pools: with keys (they sign) and without (addresses only). */
  readonly keyedCitizens: number;
  readonly residents: number;
  readonly days: readonly DayPlan[];
  /** Exactly the events the plan produces, by name; they add up to `config.events`. */
  readonly expected: EventCounts;
}

/** The events one op produces. */
export function opEvents(op: Op, add: (name: EventName, n: number) => void): void {
  switch (op.t) {
    case "fund":
      return;
    case "accredit":
      return add("OrganisationAccredited", 1);
    case "grantRole":
      return add("RoleGranted", 1);
    case "location":
      return add("LocationRegistered", 1);
    case "registerLot":
      return add("LotRegistered", 1);
    case "attest":
      add("LotAttested", 1);
      return add("LotReleased", op.releases ? 1 : 0);
    case "recall":
      return add("LotRecalled", 1);
    case "quarantine":
      return add("LotNonConformant", 1);
    case "doses":
      return add("DoseRecorded", op.keyed + op.residents);
    case "confirm":
      return add("DoseConfirmed", op.n);
    case "verify":
      return add("DoseVerified", op.doses.length);
    case "create":
      return add("ShipmentCreated", 1);
    case "steps":
      add("CustodyStepRecorded", op.steps.length);
      return add("ColdChainExcursion", op.steps.filter((s) => s.excursion).length);
    case "propose":
      return add("HandoverProposed", 1);
    case "accept":
      return add("HandoverAccepted", 1);
    case "reject":
      return add("HandoverRejected", 1);
    case "scan":
      return add("SuspectScanReported", 1);
    case "grant":
      return add("ConsentGranted", 1);
    case "revoke":
      return add("ConsentRevoked", 1);
    case "reads":
      return add("AccessLogged", op.grants.length);
    case "anchors":
      return add("RecordAnchored", op.count);
    default:
      throw new Error(`unknown op ${JSON.stringify(op satisfies never)}`);
  }
}

/** Check a configuration; throws a RangeError that says what is wrong. */
export function checkConfig(config: LoadgenConfig): void {
  if (!Number.isInteger(config.events) || config.events < MIN_EVENTS) {
    throw new RangeError(`--events must be a whole number of at least ${MIN_EVENTS.toLocaleString("en-US")}`);
  }
  if (!Number.isInteger(config.days) || config.days < MIN_DAYS || config.days > 3_650) {
    throw new RangeError(`--days must be a whole number from ${MIN_DAYS} to 3,650`);
  }
  if (!Number.isInteger(config.seed) || config.seed < 0 || config.seed > 0xffff_ffff) {
    throw new RangeError("--seed must be a whole number from 0 to 4,294,967,295");
  }
  if (!Number.isInteger(config.releaseQuorum) || config.releaseQuorum < 1 || config.releaseQuorum > 15) {
    throw new RangeError(`the chain's release quorum ${config.releaseQuorum} is not 1–15`);
  }
}

/**
 * When the history runs: `days` days ending ten minutes before `now` (Unix seconds) if the chain's clock allows,
 * else from a minute after the chain's latest block (then it ends in the future).
 */
export function historyWindow(
  chainTime: number,
  days: number,
  now: number,
): { start: number; end: number; endsInFuture: boolean } {
  const wanted = Math.floor(now) - 600 - (days - 1) * DAY;
  const start = Math.max(wanted, chainTime + 60);
  const end = start + (days - 1) * DAY;
  return { start, end, endsInFuture: end > now };
}

/** Day-of-week factor (China Standard Time): fewer doses and deliveries at the weekend. */
function weekdayFactor(time: number, saturday: number, sunday: number): number {
  const weekday = new Date((time + 8 * 3_600) * 1000).getUTCDay();
  return weekday === 6 ? saturday : weekday === 0 ? sunday : 1;
}

/** A bell curve centred on `centre` (0–1 of the span) with width `width`. */
const bell = (x: number, centre: number, width: number): number => Math.exp(-(((x - centre) / width) ** 2));

/** Mutable state of one vaccine lot while planning. */
interface LotState {
  readonly lot: PlannedLot;
  used: number;
  /** First day it may no longer be used (expiry, recall or quarantine). */
  endDay: number;
}

/** A day's work for one shipment by one sender (placed on its day after the readings are known). */
interface Leg {
  readonly day: number;
  readonly ops: Op[];
  /** A carrier leg: the readings in transit are added once the step total is shared out. */
  readonly readings?: {
    readonly shipment: number;
    readonly carrier: number;
    readonly from: number;
    readonly excursion: boolean;
  };
}

/**
 * Plan a run: who does what on which day, and exactly which events that produces (`expected` adds up to
 * `config.events`). Pure: the same configuration always gives the same plan.
 */
export function planLoad(config: LoadgenConfig): LoadPlan {
  checkConfig(config);
  const D = config.days;
  const N = config.events;
  const rng = prng(config.seed ^ 0x5eed_10ad);
  const noise = (): number => 0.9 + 0.2 * rng();
  const cast = loadgenCast(config.releaseQuorum);
  const of = (part: Part): Member[] => cast.filter((m) => m.part === part);
  const [carriers, warehouses, clinics, hospitals, labs, gatekeepers, relayers] = (
    ["carrier", "warehouse", "clinic", "hospital", "lab", "gatekeeper", "relayer"] as const
  ).map(of);
  const research = of("research")[0];
  const timeOf = (d: number): number => config.startTime + d * DAY;
  const tag = config.runNumber.toString(36).toUpperCase();
  const hash = (...parts: (string | number)[]): Hex =>
    keccak256(toHex(`healthtrace-loadgen:${config.seed}:${tag}:${parts.join(":")}`));

  // Day 0 has three phases (funding; accreditation and roles; locations and the first lots), the others one.
  const days: Op[][][] = Array.from({ length: D }, (_, d) => (d === 0 ? [[], [], []] : [[]]));
  const main = (d: number): Op[] => days[d][d === 0 ? 2 : 0];

  // --- set-up ---
  for (const m of cast) days[0][0].push({ t: "fund", by: "admin", member: m.index });
  for (const m of cast) {
    if (m.kind === null) continue;
    days[0][1].push({ t: "accredit", by: "regulator", member: m.index });
    for (const role of m.roles) days[0][1].push({ t: "grantRole", by: "regulator", member: m.index, role });
  }
  for (const m of cast) if (m.site !== null) days[0][2].push({ t: "location", by: m.index });

  // --- the shape of the days: a vaccination campaign wave for doses, steadier supply and consent traffic ---
  const from = (first: number, weight: (d: number) => number): number[] =>
    Array.from({ length: D }, (_, d) => (d >= first ? weight(d) : 0));
  const doseWeights = from(
    3,
    (d) =>
      (0.6 + 0.8 * bell(d / D, 0.35, 0.12) + 0.5 * bell(d / D, 0.8, 0.08)) *
      weekdayFactor(timeOf(d), 0.75, 0.6) *
      noise(),
  );
  const supplyWeights = from(1, (d) =>
    d > D - 2 ? 0 : (0.8 + 0.4 * bell(d / D, 0.3, 0.15)) * weekdayFactor(timeOf(d), 0.85, 0.7) * noise(),
  );
  const steadyWeights = from(1, () => noise());

  // --- doses: per day, clinic (by district population) and vaccine ---
  const dosesByDay = apportion(Math.floor(N * MIX.doses), doseWeights);
  const clinicWeights = clinics.map((c) => DISTRICT_POPULATION[c.district] ?? 1);
  const demand: number[][][] = dosesByDay.map((n) =>
    apportion(
      n,
      clinicWeights.map((w) => w * noise()),
    ).map((k) =>
      apportion(
        k,
        VACCINES.map((v) => v.doseShare * noise()),
      ),
    ),
  );
  const productDemand = (p: number, first: number, last: number): number => {
    let n = 0;
    for (let d = Math.max(first, 0); d <= Math.min(last, D - 1); d++) for (const c of demand[d]) n += c[p];
    return n;
  };
  // Doses to citizens with keys, confirmed two days later: a share of the doses of days 3 … D-3.
  const confirmable = dosesByDay.map((n, d) => (d <= D - 3 ? n : 0));
  const keyedByDay = apportion(
    Math.min(
      Math.floor(N * MIX.confirmations),
      confirmable.reduce((a, b) => a + b, 0),
    ),
    confirmable.map((n) => n),
  );

  // --- lots: registered when the coming doses need them; a few recalled or quarantined after use ---
  const lots: PlannedLot[] = [];
  const lotStates: LotState[][] = VACCINES.map(() => []);
  const lotNumbers = VACCINES.map(() => 0);
  const registerLot = (p: number, day: number): void => {
    const product = VACCINES[p];
    const lot: PlannedLot = {
      index: lots.length,
      product: PRODUCTS.indexOf(product),
      lotNumber: `${product.lotPrefix}${tag}-${String(++lotNumbers[p]).padStart(3, "0")}`.slice(0, 20),
      doseCount: Math.min(16_000_000, Math.max(200, Math.ceil(productDemand(p, day + 3, day + 33) * 1.1))),
      registeredDay: day,
      manufacturedAt: timeOf(day) - 30 * DAY,
      expiresAt: timeOf(day) + product.shelfLifeDays * DAY,
      dossier: hash("dossier", lots.length),
    };
    lots.push(lot);
    lotStates[p].push({ lot, used: 0, endDay: Math.min(D, day + product.shelfLifeDays - 1) });
    main(day).push({ t: "registerLot", by: product.manufacturer, lot: lot.index });
    if (day + 2 < D) {
      labs.forEach((lab, i) =>
        main(day + 2).push({ t: "attest", by: lab.index, lot: lot.index, releases: i === labs.length - 1 }),
      );
    }
  };
  const usable = (s: LotState, d: number): boolean => s.lot.registeredDay <= d - 3 && s.endDay > d;
  // Incidents: one recall and one quarantine per 400,000 events (at least one of each), in the second half.
  const incidents = new Map<number, { p: number; recall: boolean }>();
  const incidentCount = 2 * (1 + Math.floor(N / 400_000));
  for (let i = 0; i < incidentCount; i++) {
    const day = Math.min(D - 1, Math.max(6, Math.round(D * (0.45 + (0.5 * i) / incidentCount))));
    if (!incidents.has(day)) incidents.set(day, { p: i % VACCINES.length, recall: i % 2 === 0 });
  }
  const incidentOps = new Map<number, Op>();
  const keyedRecorded = new Map<string, number>(); // `${clinic}:${day}` → keyed doses recorded
  const doseOps: Op[][] = Array.from({ length: D }, () => []);
  let keyedPointer = 0;
  let residentPointer = 0;
  for (let d = 0; d < D; d++) {
    // Three days ahead an incident picks its lot (the oldest one usable then, used if possible) and ends it then.
    const incident = incidents.get(d + 3);
    if (incident !== undefined) {
      const candidates = lotStates[incident.p].filter((s) => usable(s, d + 3));
      const victim = candidates.find((s) => s.used > 0) ?? candidates[0];
      if (victim !== undefined) {
        victim.endDay = d + 3;
        incidentOps.set(
          d + 3,
          incident.recall
            ? { t: "recall", by: "regulator", lot: victim.lot.index, reason: 1 }
            : { t: "quarantine", by: "regulator", lot: victim.lot.index, reason: 0 },
        );
      }
    }
    // Register a lot when what is left (after the next three days) does not cover the ten days after them.
    for (let p = 0; p < VACCINES.length; p++) {
      const ahead = productDemand(p, d + 3, d + 13);
      if (ahead === 0 || d + 3 >= D) continue;
      const left = lotStates[p].filter((s) => s.endDay > d + 3).reduce((a, s) => a + s.lot.doseCount - s.used, 0);
      if (left - productDemand(p, d, d + 2) < ahead) registerLot(p, d);
    }
    const incidentOp = incidentOps.get(d);
    if (incidentOp !== undefined) main(d).push(incidentOp);
    // The day's sessions: each clinic's doses of each vaccine, from the oldest usable lots; keyed doses shared out.
    const sessions: { clinic: number; p: number; n: number }[] = [];
    demand[d].forEach((byProduct, c) => byProduct.forEach((n, p) => n > 0 && sessions.push({ clinic: c, p, n })));
    const keyedShare =
      sessions.length === 0
        ? []
        : apportion(
            keyedByDay[d],
            sessions.map((s) => s.n),
          );
    sessions.forEach((session, k) => {
      let left = session.n;
      let keyedLeft = keyedShare[k];
      const clinic = clinics[session.clinic].index;
      for (const state of lotStates[session.p]) {
        const take = usable(state, d) ? Math.min(left, state.lot.doseCount - state.used) : 0;
        if (take <= 0) continue;
        const keyed = Math.min(keyedLeft, take);
        doseOps[d].push({
          t: "doses",
          by: clinic,
          lot: state.lot.index,
          keyed,
          keyedFrom: keyedPointer,
          residents: take - keyed,
          residentFrom: residentPointer,
        });
        keyedPointer += keyed;
        residentPointer += take - keyed;
        keyedLeft -= keyed;
        state.used += take;
        left -= take;
        if (keyed > 0) keyedRecorded.set(`${clinic}:${d}`, (keyedRecorded.get(`${clinic}:${d}`) ?? 0) + keyed);
        if (left === 0) break;
      }
      if (left > 0) throw new Error(`plan: no usable lot for ${left} doses of ${VACCINES[session.p].key} on day ${d}`);
    });
  }
  // A clinic relays the confirmations of its keyed doses two days later, before that day's new doses.
  const keyedList = [...keyedRecorded.entries()]
    .map(([key, n]) => {
      const [clinic, day] = key.split(":").map(Number);
      return { clinic, day, n };
    })
    .sort((a, b) => a.day - b.day || a.clinic - b.clinic);
  for (const k of keyedList)
    if (k.day + 2 < D) main(k.day + 2).push({ t: "confirm", by: k.clinic, ofDay: k.day, n: k.n });
  for (let d = 0; d < D; d++) main(d).push(...doseOps[d]);
  const keyedCitizens = Math.max(50, Math.ceil(keyedPointer / 2.5));
  const residents = Math.max(50, Math.ceil(residentPointer / 2.5));

  // --- verifications: fortnightly audits (and one on the last day) of keyed doses at least two days old ---
  const auditDays = Array.from({ length: D }, (_, d) => d).filter((d) => d >= 5 && (d % 14 === 0 || d === D - 1));
  const eligible = auditDays.map((a) => keyedList.filter((k) => k.day <= a - 2).reduce((sum, k) => sum + k.n, 0));
  const verifyShares = apportion(
    Math.min(Math.floor(N * MIX.verifications), eligible[eligible.length - 1] ?? 0),
    eligible.map((n, i) => n - (i === 0 ? 0 : eligible[i - 1])),
  );
  let unverified: (readonly [number, number, number])[] = [];
  let keyedCursor = 0;
  auditDays.forEach((a, i) => {
    for (; keyedCursor < keyedList.length && keyedList[keyedCursor].day <= a - 2; keyedCursor++) {
      const k = keyedList[keyedCursor];
      for (let j = 0; j < k.n; j++) unverified.push([k.clinic, k.day, j]);
    }
    // An even sample across clinics and days.
    const stride = unverified.length / Math.max(1, verifyShares[i]);
    const picked = new Set<number>();
    for (let j = 0; j < verifyShares[i]; j++) picked.add(Math.floor(j * stride));
    const doses = [...picked].map((j) => unverified[j]);
    unverified = unverified.filter((_, j) => !picked.has(j));
    for (let j = 0; j < doses.length; j += 400)
      main(a).push({ t: "verify", by: "regulator", doses: doses.slice(j, j + 400) });
  });

  // --- shipments: manufacturer → carrier → warehouse → clinic or hospital, one leg a day ---
  const stepTotal = Math.floor(N * MIX.steps);
  const created = apportion(Math.max(1, Math.round(stepTotal / STEPS_PER_SHIPMENT)), supplyWeights);
  const excursionTotal = Math.floor(N * MIX.excursions);
  const shipments: PlannedShipment[] = [];
  const deliveredDay: number[] = [];
  const legs: Leg[] = [];
  const step = (
    bizStep: number,
    disposition: number,
    at: number,
    eventTime: number,
    t: number | null,
  ): PlannedStep => ({
    bizStep,
    disposition,
    at,
    eventTime,
    temperatureCentiC: t,
    excursion: false,
  });
  const inRange = (range: Product["range"]): number | null =>
    range === null ? null : int(rng, range.min + 50, range.max - 50);
  const masks = PRODUCTS.findIndex((p) => p.key === "medicalMask");
  let excursionShipments = 0;
  created.forEach((n, c) => {
    for (let k = 0; k < n; k++) {
      let productIndex = pick(
        rng,
        PRODUCTS.map((p) => p.shipmentShare),
      );
      let lot = -1;
      if (PRODUCTS[productIndex].vaccine) {
        const inUse = lotStates[VACCINES.indexOf(PRODUCTS[productIndex])].filter((s) => usable(s, c));
        if (inUse.length === 0) productIndex = masks;
        else lot = inUse[inUse.length - 1].lot.index;
      }
      const product = PRODUCTS[productIndex];
      const toClinic = product.vaccine || rng() < 0.5;
      const s: PlannedShipment = {
        index: shipments.length,
        product: productIndex,
        lotNumber:
          lot >= 0
            ? lots[lot].lotNumber
            : `${product.lotPrefix}${tag}-${String(1 + Math.floor(c / 30)).padStart(2, "0")}`,
        serial: `LG${tag}-${shipments.length.toString(36).toUpperCase()}`,
        lot,
        quantity: product.vaccine ? int(rng, 10, 60) * 100 : int(rng, 20, 200) * 50,
        manufacturer: product.manufacturer,
        carrier: carriers[int(rng, 0, carriers.length - 1)].index,
        warehouse: warehouses[int(rng, 0, warehouses.length - 1)].index,
        destination: toClinic
          ? clinics[pick(rng, clinicWeights)].index
          : hospitals[int(rng, 0, hospitals.length - 1)].index,
        createdDay: c,
      };
      shipments.push(s);
      deliveredDay.push(Number.POSITIVE_INFINITY);
      const before = (d: number, hours: number): number => timeOf(d) - Math.round(hours * 3_600);
      /**
       * One holder's day with the shipment: accept it, record steps `[bizStep, disposition, hours before the day's
       * block, with a reading]`, then propose it to `to` or reject it.
       */
      const leg = (
        day: number,
        by: number,
        o: {
          create?: boolean;
          accept?: boolean;
          steps?: readonly (readonly [number, number, number, boolean])[];
          to?: number;
          final?: boolean;
          reject?: number;
        },
      ): Leg => {
        const ops: Op[] = [];
        if (o.create === true) ops.push({ t: "create", by, shipment: s.index });
        if (o.accept === true) ops.push({ t: "accept", by, shipment: s.index });
        if (o.steps !== undefined) {
          const steps = o.steps.map(([b, disposition, hours, reading]) =>
            step(b, disposition, by, before(day, hours), reading ? inRange(product.range) : null),
          );
          ops.push({ t: "steps", by, shipment: s.index, steps });
        }
        if (o.to !== undefined) ops.push({ t: "propose", by, shipment: s.index, to: o.to, final: o.final ?? false });
        if (o.reject !== undefined) ops.push({ t: "reject", by, shipment: s.index, reason: o.reject });
        return { day, ops };
      };
      const { commissioning, packing, loading, holding, destroying, receiving, inspecting, storing, picking } = BizStep;
      const { active, in_progress, non_conformant, destroyed } = Disposition;
      legs.push(
        leg(c, s.manufacturer, {
          create: true,
          steps: [
            [commissioning, active, 6, false],
            [packing, in_progress, 5, true],
            [loading, in_progress, 4, true],
          ],
          to: s.carrier,
        }),
      );
      const excursion = productIndex === EXCURSION_PRODUCT && excursionShipments * 2 < excursionTotal && rng() < 0.5;
      if (excursion) excursionShipments++;
      // The carrier's leg: its readings in transit and its proposal to the warehouse are added below.
      legs.push({
        ...leg(c + 1, s.carrier, { accept: true }),
        readings: { shipment: s.index, carrier: s.carrier, from: before(c + 1, 20), excursion },
      });
      if (excursion) {
        // Out-of-range readings in transit: the warehouse refuses it, it goes back to the manufacturer and is destroyed.
        legs.push(
          leg(c + 2, s.warehouse, { reject: RejectReason.TemperatureExcursion }),
          leg(c + 3, s.carrier, { steps: [[holding, non_conformant, 2, true]], to: s.manufacturer, final: true }),
          leg(c + 4, s.manufacturer, { accept: true, steps: [[destroying, destroyed, 1, false]] }),
        );
        continue;
      }
      let w = c + 2;
      if (rng() < 0.02) {
        // Refused at the warehouse door (damaged, wrong quantity, not expected); the carrier holds it and tries again.
        const reason = [RejectReason.Damaged, RejectReason.WrongQuantity, RejectReason.NotExpected][int(rng, 0, 2)];
        legs.push(
          leg(w, s.warehouse, { reject: reason }),
          leg(w + 1, s.carrier, { steps: [[holding, in_progress, 3, true]], to: s.warehouse }),
        );
        w += 2;
      }
      legs.push(
        leg(w, s.warehouse, {
          accept: true,
          steps: [
            [receiving, in_progress, 8, true],
            [inspecting, active, 7, true],
            [storing, active, 6, true],
            [picking, in_progress, 1, true],
          ],
          to: s.destination,
          final: true,
        }),
        leg(w + 1, s.destination, {
          accept: true,
          steps: [
            [receiving, active, 4, true],
            [storing, active, 3, true],
          ],
        }),
      );
      if (w + 1 < D) deliveredDay[s.index] = w + 1;
    }
  });
  // Readings in transit fill the step total exactly: departing + readings + arriving on each carrier leg in range.
  const inside = legs.filter((l) => l.day < D);
  const fixedSteps = inside.reduce(
    (a, l) => a + l.ops.reduce((b, o) => b + (o.t === "steps" ? o.steps.length : 0), 0),
    0,
  );
  const carrierLegs = inside.filter((l) => l.readings !== undefined);
  const readingTotal = Math.max(0, stepTotal - fixedSteps - 2 * carrierLegs.length);
  const readingShares =
    carrierLegs.length === 0
      ? []
      : apportion(
          readingTotal,
          carrierLegs.map(() => 0.5 + rng()),
        );
  let excursionsLeft = excursionTotal;
  carrierLegs.forEach((leg, i) => {
    const r = leg.readings;
    if (r === undefined) return;
    const s = shipments[r.shipment];
    const range = PRODUCTS[s.product].range;
    const n = Math.min(MAX_READINGS, readingShares[i]);
    const bad = r.excursion && range !== null ? Math.min(excursionsLeft, n, int(rng, 1, 3)) : 0;
    excursionsLeft -= bad;
    const interval = Math.max(1, Math.floor((18 * 3_600) / (n + 1)));
    const steps: PlannedStep[] = [step(BizStep.departing, Disposition.in_transit, r.carrier, r.from, inRange(range))];
    for (let k = 0; k < n; k++) {
      const out = k >= n - bad && range !== null;
      steps.push({
        ...step(
          BizStep.transporting,
          Disposition.in_transit,
          r.carrier,
          r.from + (k + 1) * interval,
          out && range !== null ? range.max + int(rng, 150, 800) : inRange(range),
        ),
        excursion: out,
      });
    }
    steps.push(step(BizStep.arriving, Disposition.in_transit, r.carrier, r.from + (n + 1) * interval, inRange(range)));
    leg.ops.push({ t: "steps", by: r.carrier, shipment: s.index, steps });
    leg.ops.push({ t: "propose", by: r.carrier, shipment: s.index, to: s.warehouse, final: false });
  });
  // A sender's day: creations, then acceptances, then steps, then proposals and rejections.
  const rank = (o: Op): number => (o.t === "create" ? 0 : o.t === "accept" ? 1 : o.t === "steps" ? 2 : 3);
  const legOps: Op[][] = Array.from({ length: D }, () => []);
  for (const leg of inside) legOps[leg.day].push(...leg.ops);
  for (let d = 1; d < D; d++) main(d).push(...legOps[d].sort((a, b) => rank(a) - rank(b)));

  // --- suspect scans: a delivered shipment scanned at a carrier's depot, or a serial never issued ---
  const scanDays = apportion(
    Math.floor(N * MIX.scans),
    steadyWeights.map((w, d) => (d >= 3 ? w : 0)),
  );
  const reporters = [...carriers, ...warehouses, ...clinics];
  const byDelivery = shipments
    .filter((s) => deliveredDay[s.index] < D)
    .sort((a, b) => deliveredDay[a.index] - deliveredDay[b.index]);
  let unknown = 0;
  scanDays.forEach((n, d) => {
    const delivered = byDelivery.filter((s) => deliveredDay[s.index] < d);
    for (let k = 0; k < n; k++) {
      if (delivered.length > 0 && rng() < 0.5) {
        const s = delivered[int(rng, 0, delivered.length - 1)];
        main(d).push({
          t: "scan",
          by: carriers[int(rng, 0, carriers.length - 1)].index,
          shipment: s.index,
          unknownSerial: "",
        });
      } else {
        const serial = `LG${tag}-X${(unknown++).toString(36).toUpperCase()}`;
        main(d).push({
          t: "scan",
          by: reporters[int(rng, 0, reporters.length - 1)].index,
          shipment: -1,
          unknownSerial: serial,
        });
      }
    }
  });

  // --- consent: grants by relayed signature; revocations of grants stored before the day ---
  const grants: PlannedGrant[] = [];
  const grantDays = apportion(Math.floor(N * MIX.grants), steadyWeights);
  const revokeDays = apportion(
    Math.floor(N * MIX.revocations),
    steadyWeights.map((w, d) => (d >= 2 ? w : 0)),
  );
  const tripleOf = (g: PlannedGrant): string => `${g.citizen}:${g.grantee}:${g.category}`;
  const stored = new Map<string, number>(); // triple → index of the grant stored for it
  const revocable: number[] = [];
  let revokeNumber = 0;
  let revokesDue = 0;
  for (let d = 1; d < D; d++) {
    revokesDue += revokeDays[d];
    const touched = new Set<string>();
    const revokes: Op[] = [];
    while (revokesDue > 0 && revocable.length > 0) {
      const k = int(rng, 0, revocable.length - 1);
      const g = grants[revocable[k]];
      revocable[k] = revocable[revocable.length - 1];
      revocable.pop();
      if (stored.get(tripleOf(g)) !== g.index) continue; // granted again since: the later grant is the stored one
      stored.delete(tripleOf(g));
      touched.add(tripleOf(g));
      revokes.push({
        t: "revoke",
        by: relayers[revokes.length % relayers.length].index,
        grant: g.index,
        nonceKey: ++revokeNumber,
      });
      revokesDue--;
    }
    const made: PlannedGrant[] = [];
    for (let k = 0, attempts = 0; k < grantDays[d] && attempts < 10 * grantDays[d] + 10; attempts++) {
      const toResearch = rng() < 0.15;
      const g: PlannedGrant = {
        index: grants.length,
        citizen: int(rng, 0, keyedCitizens - 1),
        grantee: toResearch ? research.index : hospitals[int(rng, 0, hospitals.length - 1)].index,
        category: pick(rng, [0.15, 0.3, 0.2, 0.15, 0.12, 0.08]),
        purpose: toResearch ? 1 : [0, 3, 4, 2][pick(rng, [0.7, 0.1, 0.1, 0.1])],
        day: d,
        expiresAt: timeOf(d) + [30, 90, 180, 365][pick(rng, [0.3, 0.3, 0.2, 0.2])] * DAY,
      };
      if (touched.has(tripleOf(g))) continue; // revoked today by another relayer: keep the order of the two moot
      touched.add(tripleOf(g));
      grants.push(g);
      made.push(g);
      k++;
    }
    made.forEach((g, k) => main(d).push({ t: "grant", by: relayers[k % relayers.length].index, grant: g.index }));
    main(d).push(...revokes);
    for (const g of made) {
      stored.set(tripleOf(g), g.index);
      revocable.push(g.index);
    }
  }

  // --- everything so far counted; logged reads and record anchors make up the rest exactly ---
  const expected = zeroCounts();
  const add = (name: EventName, n: number): void => {
    expected[name] += n;
  };
  for (const day of days) for (const phase of day) for (const op of phase) opEvents(op, add);
  const rest = N - totalOf(expected);
  if (rest < 0) throw new RangeError(`--events ${N} is too small for ${D} days of this mix`);
  const readDays = apportion(Math.floor(rest / 2), steadyWeights);
  const anchorDays = apportion(rest - Math.floor(rest / 2), steadyWeights);
  const issuers = [...hospitals, ...clinics];
  let readNumber = 0;
  let recordNumber = 0;
  for (let d = 1; d < D; d++) {
    const live = grants.filter(
      (g) => g.day < d && g.expiresAt > timeOf(d) + DAY && stored.get(tripleOf(g)) === g.index,
    );
    apportion(
      readDays[d],
      gatekeepers.map(() => 1),
    ).forEach((n, i) => {
      if (n === 0) return;
      const served = Array.from({ length: n }, () =>
        live.length === 0 ? -1 : live[int(rng, 0, live.length - 1)].index,
      );
      main(d).push({ t: "reads", by: gatekeepers[i].index, grants: served, first: readNumber });
      readNumber += n;
    });
    apportion(
      anchorDays[d],
      issuers.map((m) => (m.part === "hospital" ? 4 : 1) * noise()),
    ).forEach((n, i) => {
      if (n === 0) return;
      main(d).push({ t: "anchors", by: issuers[i].index, first: recordNumber, count: n });
      recordNumber += n;
    });
  }
  add("AccessLogged", readNumber);
  add("RecordAnchored", recordNumber);
  if (totalOf(expected) !== N) throw new Error(`plan: ${totalOf(expected)} events planned for ${N}`);

  return {
    config,
    cast,
    lots,
    shipments,
    grants,
    keyedCitizens,
    residents,
    days: days.map((phases, d) => ({ day: d, time: timeOf(d), phases })),
    expected,
  };
}

/** Events of each name in a list of ops (what a day, or a sender's day, produces). */
export function countOps(ops: Iterable<Op>): EventCounts {
  const counts = zeroCounts();
  for (const op of ops) opEvents(op, (name, n) => (counts[name] += n));
  return counts;
}
