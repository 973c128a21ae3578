/**
 * The supplier pages' domain logic, free of React and of chain access (so it is unit-tested on its own):
 * a shipment's history rebuilt from the ProvenanceRegistry's events (the same reading as the CLI's
 * `scripts/supplier.ts status`), its state as the seed summarises it, cold-chain excursions, the temperature
 * series of the chart, the product catalogue, and the checks every form runs before any transaction.
 *
 * Validation results are translation keys of the `supplier` namespace (plus values), never English text.
 */
import { encodeAbiParameters, keccak256 } from "viem";

import { aiValueProblem, DigitalLinkError, MAX_AI_VALUE_LENGTH, normalizeGtin } from "../../../../scripts/lib/digital-link.ts";
import { Kind } from "../../../../scripts/lib/personas.ts";
import { type CustodyStep, MAX_BIZ_STEP, MAX_DISPOSITION, packStep, parseCelsius, unpackStep } from "../../../../scripts/lib/steps.ts";
import { SUPPLY_LOCATIONS, SUPPLY_PRODUCTS, type ShipmentState } from "../../../../scripts/lib/supplies.ts";
import { VACCINE_PRODUCTS } from "../../../../scripts/lib/vaccines.ts";

export type Address = `0x${string}`;
export type Hex = `0x${string}`;

export const ZERO_ADDRESS: Address = "0x0000000000000000000000000000000000000000";

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** A message of the `supplier` namespace (or another, with its `ns:` prefix) and its values. */
export interface Problem {
  readonly key: string;
  readonly values?: Readonly<Record<string, string | number>>;
}

// ---------------------------------------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------------------------------------

/** A shipment's GS1 identity (GTIN-14 text, lot and serial as on the label). */
export interface Identity {
  readonly gtin: string;
  readonly lot: string;
  readonly serial: string;
}

/** The shipment id as the contract computes it: keccak256(abi.encode(uint64 gtin, string lot, string serial)). */
export function shipmentIdOf(identity: Identity): Hex {
  return keccak256(
    encodeAbiParameters([{ type: "uint64" }, { type: "string" }, { type: "string" }], [BigInt(identity.gtin), identity.lot, identity.serial]),
  );
}

/** Whether a text is a shipment id (0x + 64 hex digits). */
export const isShipmentId = (text: string): text is Hex => /^0x[0-9a-fA-F]{64}$/.test(text);

// ---------------------------------------------------------------------------------------------------------
// Catalogue and locations
// ---------------------------------------------------------------------------------------------------------

/** A product a manufacturer can ship: the vaccines and the other medical supplies of the demo catalogue. */
export interface CatalogueProduct {
  readonly key: string;
  readonly gtin: string;
  readonly name: { readonly en: string; readonly zh: string };
  readonly vaccine: boolean;
  /** Storage range in °C, or null when no cold chain applies. */
  readonly storageC: { readonly min: number; readonly max: number } | null;
  /** The unit of a quantity, or null for doses (vaccines: translated by the page). */
  readonly unit: { readonly en: string; readonly zh: string } | null;
}

export const CATALOGUE: readonly CatalogueProduct[] = [
  ...Object.values(VACCINE_PRODUCTS).map((p) => ({
    key: p.key,
    gtin: p.gtin,
    name: p.name,
    vaccine: true,
    storageC: p.storageC,
    unit: null,
  })),
  ...Object.values(SUPPLY_PRODUCTS).map((p) => ({
    key: p.key,
    gtin: p.gtin,
    name: p.name,
    vaccine: false,
    storageC: p.storageC,
    unit: p.unit,
  })),
];

/** The catalogue product with this GTIN (any GTIN form), or null. */
export function productOfGtin(gtin: string | bigint): CatalogueProduct | null {
  const g = String(gtin).padStart(14, "0");
  return CATALOGUE.find((p) => p.gtin === g) ?? null;
}

/** A registered location: its GLN, owner and on-chain (English) name; the Chinese name when the demo knows it. */
export interface Location {
  readonly gln: bigint;
  readonly owner: Address;
  readonly name: string;
  readonly localName: string | null;
}

/** The off-chain Chinese name of a demo location, by GLN. */
export function localLocationName(gln: bigint): string | null {
  const found = SUPPLY_LOCATIONS.find((l) => BigInt(l.gln) === gln);
  return found === undefined ? null : found.name.zh;
}

export const gln13 = (gln: bigint): string => gln.toString().padStart(13, "0");

// ---------------------------------------------------------------------------------------------------------
// History
// ---------------------------------------------------------------------------------------------------------

/** What `shipmentOf` tells. */
export interface ShipmentView {
  readonly holder: Address;
  readonly coldChain: boolean;
  readonly nonConformant: boolean;
  readonly delivered: boolean;
  readonly minTempCentiC: number;
  readonly maxTempCentiC: number;
  readonly vaccineLotId: number;
  readonly pendingReceiver: Address;
  readonly pendingFinal: boolean;
}

export const exists = (view: ShipmentView): boolean => !same(view.holder, ZERO_ADDRESS);

/** The ShipmentCreated event: identity and rule of a shipment. */
export interface Created {
  readonly shipmentId: Hex;
  readonly manufacturer: Address;
  readonly gtin: string;
  readonly lot: string;
  readonly serial: string;
  readonly quantity: number;
  readonly origin: bigint;
  readonly vaccineLotId: number;
  readonly coldChain: boolean;
  readonly minTempCentiC: number;
  readonly maxTempCentiC: number;
}

/** One ProvenanceRegistry event of a shipment, decoded (chain.ts turns viem logs into these). */
export type RawEvent =
  | { readonly eventName: "ShipmentCreated"; readonly args: Omit<Created, "gtin" | "lot" | "serial"> & { gtin: bigint; lotNumber: string; serial: string } }
  | { readonly eventName: "CustodyStepRecorded"; readonly args: { shipmentId: Hex; recorder: Address; step: Hex } }
  | { readonly eventName: "ColdChainExcursion"; readonly args: { shipmentId: Hex; vaccineLotId: number; temperatureCentiC: number } }
  | { readonly eventName: "VaccineLotReportFailed"; readonly args: { shipmentId: Hex; vaccineLotId: number } }
  | { readonly eventName: "HandoverProposed"; readonly args: { shipmentId: Hex; holder: Address; receiver: Address; isFinal: boolean } }
  | { readonly eventName: "HandoverAccepted"; readonly args: { shipmentId: Hex; from: Address; to: Address; isFinal: boolean } }
  | { readonly eventName: "HandoverRejected"; readonly args: { shipmentId: Hex; holder: Address; receiver: Address; reason: number } }
  | { readonly eventName: "SuspectScanReported"; readonly args: { shipmentId: Hex; reporter: Address; gln: bigint; verdict: number } };

/** Where an event sits in the chain, and when its block was mined (Unix seconds). */
export interface EventPosition {
  readonly blockNumber: bigint;
  readonly logIndex: number;
  readonly transactionHash: Hex;
  readonly blockTime: number;
}

export type PositionedEvent = RawEvent & EventPosition;

interface Base extends EventPosition {
  /** When it happened: a step's own event time, otherwise its block's time. */
  readonly time: number;
  /** Whether the timeline flags it (an excursion or a suspect scan). */
  readonly flagged: boolean;
}

export type HistoryEntry =
  | (Base & { readonly kind: "created"; readonly created: Created })
  | (Base & { readonly kind: "step"; readonly recorder: Address; readonly step: CustodyStep; readonly excursion: boolean })
  | (Base & { readonly kind: "excursion"; readonly temperatureCentiC: number; readonly vaccineLotId: number })
  | (Base & { readonly kind: "lotReportFailed"; readonly vaccineLotId: number })
  | (Base & { readonly kind: "proposed"; readonly holder: Address; readonly receiver: Address; readonly isFinal: boolean })
  | (Base & { readonly kind: "accepted"; readonly from: Address; readonly to: Address; readonly isFinal: boolean })
  | (Base & { readonly kind: "rejected"; readonly holder: Address; readonly receiver: Address; readonly reason: number })
  | (Base & { readonly kind: "suspectScan"; readonly reporter: Address; readonly gln: bigint; readonly verdict: number });

/** The cold-chain rule that steps are judged by (from ShipmentCreated, or `shipmentOf`). */
export interface Range {
  readonly coldChain: boolean;
  readonly minTempCentiC: number;
  readonly maxTempCentiC: number;
}

/** Whether a reading breaks the shipment's cold-chain range. */
export function outOfRange(temperatureCentiC: number | null, range: Range | null): boolean {
  if (temperatureCentiC === null || range === null || !range.coldChain) return false;
  return temperatureCentiC < range.minTempCentiC || temperatureCentiC > range.maxTempCentiC;
}

export function createdOf(event: RawEvent): Created | null {
  if (event.eventName !== "ShipmentCreated") return null;
  const a = event.args;
  return {
    shipmentId: a.shipmentId,
    manufacturer: a.manufacturer,
    gtin: a.gtin.toString().padStart(14, "0"),
    lot: a.lotNumber,
    serial: a.serial,
    quantity: a.quantity,
    origin: a.origin,
    vaccineLotId: a.vaccineLotId,
    coldChain: a.coldChain,
    minTempCentiC: a.minTempCentiC,
    maxTempCentiC: a.maxTempCentiC,
  };
}

/**
 * The history of one shipment, in chain order (block, then log index). A step whose reading is outside the
 * range is flagged even when the contract emitted no excursion event (e.g. a second reading after the first
 * excursion); the contract's own ColdChainExcursion events are entries of their own, flagged too.
 */
export function buildHistory(events: readonly PositionedEvent[], fallbackRange: Range | null = null): {
  created: Created | null;
  entries: HistoryEntry[];
} {
  const sorted = [...events].sort((a, b) =>
    a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
  );
  let created: Created | null = null;
  for (const e of sorted) created ??= createdOf(e);
  const range: Range | null = created ?? fallbackRange;
  const entries: HistoryEntry[] = [];
  for (const e of sorted) {
    const pos: EventPosition = {
      blockNumber: e.blockNumber,
      logIndex: e.logIndex,
      transactionHash: e.transactionHash,
      blockTime: e.blockTime,
    };
    const base = { ...pos, time: e.blockTime, flagged: false };
    switch (e.eventName) {
      case "ShipmentCreated": {
        const c = createdOf(e);
        if (c !== null) entries.push({ ...base, kind: "created", created: c });
        break;
      }
      case "CustodyStepRecorded": {
        let step: CustodyStep;
        try {
          step = unpackStep(e.args.step);
        } catch {
          continue; // the contract never emits a word it refused; ignore anything else
        }
        const excursion = outOfRange(step.temperatureCentiC, range);
        entries.push({ ...base, time: step.eventTime, flagged: excursion, kind: "step", recorder: e.args.recorder, step, excursion });
        break;
      }
      case "ColdChainExcursion":
        entries.push({ ...base, flagged: true, kind: "excursion", temperatureCentiC: e.args.temperatureCentiC, vaccineLotId: e.args.vaccineLotId });
        break;
      case "VaccineLotReportFailed":
        entries.push({ ...base, flagged: true, kind: "lotReportFailed", vaccineLotId: e.args.vaccineLotId });
        break;
      case "HandoverProposed":
        entries.push({ ...base, kind: "proposed", holder: e.args.holder, receiver: e.args.receiver, isFinal: e.args.isFinal });
        break;
      case "HandoverAccepted":
        entries.push({ ...base, kind: "accepted", from: e.args.from, to: e.args.to, isFinal: e.args.isFinal });
        break;
      case "HandoverRejected":
        entries.push({ ...base, kind: "rejected", holder: e.args.holder, receiver: e.args.receiver, reason: e.args.reason });
        break;
      case "SuspectScanReported":
        entries.push({ ...base, flagged: true, kind: "suspectScan", reporter: e.args.reporter, gln: e.args.gln, verdict: e.args.verdict });
        break;
    }
  }
  return { created, entries };
}

/** Counts the page shows as badges. */
export function historySummary(entries: readonly HistoryEntry[]): { excursions: number; suspectScans: number; steps: number } {
  const excursionEvents = entries.filter((e) => e.kind === "excursion").length;
  const stepExcursions = entries.filter((e) => e.kind === "step" && e.excursion).length;
  return {
    // The contract emits one event per excursion reading; a reading outside the range without an event counts too.
    excursions: Math.max(excursionEvents, stepExcursions),
    suspectScans: entries.filter((e) => e.kind === "suspectScan").length,
    steps: entries.filter((e) => e.kind === "step").length,
  };
}

/** One point of the temperature chart. */
export interface TemperaturePoint {
  readonly time: number;
  readonly celsius: number;
  readonly centi: number;
  readonly gln: bigint;
  readonly outOfRange: boolean;
}

/** Every step reading, by event time. */
export function temperatureSeries(entries: readonly HistoryEntry[]): TemperaturePoint[] {
  const points: TemperaturePoint[] = [];
  for (const e of entries) {
    if (e.kind !== "step" || e.step.temperatureCentiC === null) continue;
    points.push({
      time: e.step.eventTime,
      celsius: e.step.temperatureCentiC / 100,
      centi: e.step.temperatureCentiC,
      gln: e.step.readPoint,
      outOfRange: e.excursion,
    });
  }
  return points.sort((a, b) => a.time - b.time);
}

// ---------------------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------------------

/**
 * Where a shipment stands, as the seed summarises it: returned (delivered back to its manufacturer), delivered,
 * awaiting acceptance (a pending hand-over), in transit (a carrier holds it), in storage (a warehouse holds it),
 * otherwise at origin.
 */
export function shipmentState(view: ShipmentView, manufacturer: Address | null, kindOf: (a: Address) => number | undefined): ShipmentState {
  if (view.delivered) return manufacturer !== null && same(view.holder, manufacturer) ? "returned" : "delivered";
  if (!same(view.pendingReceiver, ZERO_ADDRESS)) return "awaiting acceptance";
  const kind = kindOf(view.holder);
  if (kind === Kind.Carrier) return "in transit";
  if (kind === Kind.Warehouse) return "in storage";
  return "at origin";
}

/** The badge class of a state. */
export function stateTone(state: ShipmentState): "ok" | "warn" | "err" | "" {
  switch (state) {
    case "delivered":
      return "ok";
    case "returned":
      return "err";
    case "awaiting acceptance":
      return "warn";
    default:
      return "";
  }
}

// ---------------------------------------------------------------------------------------------------------
// Forms: every check before a transaction
// ---------------------------------------------------------------------------------------------------------

/** Why a lot number or serial cannot go on a label (null when it can). */
export function identifierProblem(value: string, field: "lot" | "serial"): Problem | null {
  if (value.trim() === "") return { key: `create.problem.${field}Empty` };
  if (value.length > MAX_AI_VALUE_LENGTH) return { key: `create.problem.${field}TooLong`, values: { max: MAX_AI_VALUE_LENGTH, length: value.length } };
  if (aiValueProblem(value, field) !== null) return { key: `create.problem.${field}Chars` };
  return null;
}

/** The GTIN-14 of a typed GTIN, or why it is not one (the Digital Link library's reason, translated by `codes`). */
export function gtinCheck(text: string): { gtin: string } | { problem: Problem } {
  const t = text.trim();
  if (t === "") return { problem: { key: "create.problem.gtinEmpty" } };
  try {
    return { gtin: normalizeGtin(t) };
  } catch (error) {
    if (error instanceof DigitalLinkError) return { problem: { key: "create.problem.gtin", values: { reason: error.code } } };
    throw error;
  }
}

/** A temperature typed in °C, in centi-°C, or the problem (empty → null when optional). */
export function temperatureCheck(text: string, optional: boolean): { centi: number | null } | { problem: Problem } {
  if (text.trim() === "") return optional ? { centi: null } : { problem: { key: "temperature.empty" } };
  try {
    return { centi: parseCelsius(text) };
  } catch {
    return { problem: { key: "temperature.malformed", values: { value: text.trim() } } };
  }
}

/** The create-shipment form as typed. */
export interface CreateForm {
  readonly gtin: string;
  /** Whether the product is a vaccine (then a registered lot of the manufacturer is required). */
  readonly vaccine: boolean;
  readonly vaccineLotId: number | null;
  readonly lot: string;
  readonly serial: string;
  readonly quantity: string;
  readonly origin: string;
  readonly coldChain: boolean;
  readonly minC: string;
  readonly maxC: string;
}

/** What `createShipment` takes. */
export interface CreateParams {
  readonly lotNumber: string;
  readonly serial: string;
  readonly gtin: bigint;
  readonly origin: bigint;
  readonly quantity: number;
  readonly vaccineLotId: number;
  readonly coldChain: boolean;
  readonly minTempCentiC: number;
  readonly maxTempCentiC: number;
}

export type FieldProblems = Partial<Record<"gtin" | "lot" | "serial" | "quantity" | "origin" | "minC" | "maxC" | "vaccineLot", Problem>>;

const MAX_UINT32 = 4_294_967_295;

/** Check every field of a new shipment; the params only when all are right (nothing is sent otherwise). */
export function validateCreate(form: CreateForm, ownGlns: readonly bigint[]): { params: CreateParams; identity: Identity } | { problems: FieldProblems } {
  const problems: FieldProblems = {};
  const g = gtinCheck(form.gtin);
  if ("problem" in g) problems.gtin = g.problem;
  if (form.vaccine && form.vaccineLotId === null) problems.vaccineLot = { key: "create.problem.vaccineLot" };
  const lotProblem = identifierProblem(form.lot, "lot");
  if (lotProblem !== null) problems.lot = lotProblem;
  const serialProblem = identifierProblem(form.serial, "serial");
  if (serialProblem !== null) problems.serial = serialProblem;
  const q = form.quantity.trim();
  if (!/^\d{1,10}$/.test(q) || Number(q) < 1 || Number(q) > MAX_UINT32) problems.quantity = { key: "create.problem.quantity" };
  let origin: bigint | null = null;
  if (!/^\d{1,13}$/.test(form.origin) || !ownGlns.includes(BigInt(form.origin))) problems.origin = { key: "create.problem.origin" };
  else origin = BigInt(form.origin);
  let min = 0;
  let max = 0;
  if (form.coldChain) {
    const lo = temperatureCheck(form.minC, false);
    const hi = temperatureCheck(form.maxC, false);
    if ("problem" in lo) problems.minC = lo.problem;
    else min = lo.centi ?? 0;
    if ("problem" in hi) problems.maxC = hi.problem;
    else max = hi.centi ?? 0;
    if (!("problem" in lo) && !("problem" in hi) && !(min < max)) problems.maxC = { key: "create.problem.range" };
  }
  if (Object.keys(problems).length > 0 || !("gtin" in g) || origin === null) return { problems };
  return {
    identity: { gtin: g.gtin, lot: form.lot, serial: form.serial },
    params: {
      lotNumber: form.lot,
      serial: form.serial,
      gtin: BigInt(g.gtin),
      origin,
      quantity: Number(q),
      vaccineLotId: form.vaccine ? (form.vaccineLotId ?? 0) : 0,
      coldChain: form.coldChain,
      minTempCentiC: form.coldChain ? min : 0,
      maxTempCentiC: form.coldChain ? max : 0,
    },
  };
}

/** The record-step form as typed. */
export interface StepForm {
  readonly bizStep: string;
  readonly disposition: string;
  readonly gln: string;
  readonly temperature: string;
}

/** Check a custody step and pack its word (event time given by the caller: now, on the chain's clock). */
export function validateStep(form: StepForm, ownGlns: readonly bigint[], eventTime: number): { word: Hex; step: CustodyStep } | { problems: Partial<Record<"bizStep" | "disposition" | "gln" | "temperature", Problem>> } {
  const problems: Partial<Record<"bizStep" | "disposition" | "gln" | "temperature", Problem>> = {};
  const biz = Number(form.bizStep);
  const disp = Number(form.disposition);
  if (form.bizStep === "" || !Number.isInteger(biz) || biz < 0 || biz > MAX_BIZ_STEP) problems.bizStep = { key: "step.problem.bizStep" };
  if (form.disposition === "" || !Number.isInteger(disp) || disp < 0 || disp > MAX_DISPOSITION) problems.disposition = { key: "step.problem.disposition" };
  if (!/^\d{1,13}$/.test(form.gln) || !ownGlns.includes(BigInt(form.gln))) problems.gln = { key: "step.problem.location" };
  const t = temperatureCheck(form.temperature, true);
  if ("problem" in t) problems.temperature = t.problem;
  if (Object.keys(problems).length > 0 || "problem" in t) return { problems };
  const step: CustodyStep = { bizStep: biz, disposition: disp, readPoint: BigInt(form.gln), eventTime, temperatureCentiC: t.centi };
  try {
    return { word: packStep(step) as Hex, step };
  } catch {
    return { problems: { bizStep: { key: "step.problem.malformed" } } };
  }
}

/** An organisation as the receiver search sees it. */
export interface Searchable {
  readonly address: Address;
  readonly name: string;
  readonly localName: string;
  readonly status: number;
}

/** Active organisations other than `me` whose English or Chinese name contains the query (case-insensitive). */
export function searchOrganisations<T extends Searchable>(orgs: readonly T[], query: string, me: Address | undefined): T[] {
  const q = query.trim().toLowerCase();
  return orgs.filter(
    (o) =>
      o.status === 1 &&
      (me === undefined || !same(o.address, me)) &&
      (q === "" || o.name.toLowerCase().includes(q) || o.localName.toLowerCase().includes(q) || o.address.toLowerCase() === q),
  );
}

/** A fresh serial for a new shipment (AI 21, set 82): `S` + the date and a random suffix, ≤ 20 characters. */
export function newSerial(now: Date = new Date(), random: () => number = Math.random): string {
  const ymd = now.toISOString().slice(2, 10).replace(/-/g, "");
  const suffix = Math.floor(random() * 36 ** 5)
    .toString(36)
    .toUpperCase()
    .padStart(5, "0");
  return `S${ymd}${suffix}`;
}
