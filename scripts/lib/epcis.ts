/**
 * Rebuild a GS1 EPCIS 2.0 JSON-LD `EPCISDocument` from ProvenanceRegistry events alone.
 *
 * Dependency-free and erasable TypeScript only: the builder takes decoded events from any source — the RPC logs
 * the `scripts/epcis.ts` CLI reads, a test, an indexer, the app — and `decodeProvenanceLog` turns raw logs into
 * them with any ABI decoder the caller passes (ethers `Interface.parseLog`, viem `decodeEventLog`).
 *
 * ## Mapping (chain event → EPCIS 2.0 ObjectEvent)
 *
 * Every event names the shipment in `epcList` by its label's GS1 Digital Link
 * (`https://id.gs1.org/01/{gtin14}/10/{lot}/21/{serial}`, the URI its QR code carries, without the query), has
 * `eventTimeZoneOffset` `+08:00` (Shanghai; configurable), `recordTime` = the block time, and the chain position as
 * extension fields (`ht:shipmentId`, `ht:transactionHash`, `ht:blockNumber`, `ht:logIndex`).
 *
 * | chain event | EPCIS |
 * |---|---|
 * | `ShipmentCreated` | action `ADD`, bizStep `commissioning`, disposition `active`, readPoint the origin GLN, eventTime the block time; `ilmd` carries `cbvmda:lotNumber`, `ht:quantity` (units in the shipment), the cold-chain range (`ht:minTemperatureCelsius`/`ht:maxTemperatureCelsius`) and `ht:vaccineLotId` |
 * | `CustodyStepRecorded` | action `OBSERVE`, bizStep / disposition from the step word's CBV codes, readPoint its GLN, eventTime its eventTime; a temperature reading becomes `sensorElementList[{ sensorMetadata: { time }, sensorReport: [{ type: "gs1:Temperature", value, uom: "CEL" }] }]`, with `exception: "ALARM_CONDITION"` when the same transaction flagged it as an excursion |
 * | `ColdChainExcursion` | action `OBSERVE`, bizStep `inspecting` (the registry's cold-chain rule), disposition `non_conformant` and `persistentDisposition.set ["non_conformant"]` (the flag never clears), the offending reading as an alarm sensor report, readPoint and eventTime of the step that carried it; `ht:vaccineLotId` and, if the vaccine registry refused the report, `ht:vaccineLotReportFailed` |
 * | `HandoverAccepted` | action `OBSERVE`, bizStep `accepting` (disposition `in_transit`), or for the final delivery `receiving` (disposition `in_progress`); `sourceList` / `destinationList` name the previous and new holder as `owning_party` and `possessing_party` |
 * | `HandoverRejected` | action `OBSERVE`, bizStep `receiving`, disposition from the reason (damaged → `damaged`, temperature excursion → `non_conformant`, wrong quantity → `mismatch_quantity`, wrong product or documents → `mismatch_class`, not expected / other → `returned`), `sourceList` the holder, `destinationList` the refusing receiver, `ht:rejectionReason` |
 * | `SuspectScanReported` | action `OBSERVE`, bizStep `inspecting`, readPoint the scan's GLN, `ht:suspectScan` the verdict name; an identity never issued has an empty `epcList` (only its id is on chain) |
 * | `LocationRegistered` | master data in `epcisHeader.epcisMasterData` (vocabulary `urn:epcglobal:epcis:vtype:ReadPoint`: the GLN's Digital Link, `urn:epcglobal:cbv:mda#name`, `urn:healthtrace:epcis:owner`) for every GLN the document uses |
 * | `HandoverProposed` | not an EPCIS event (an intention, not an observation): the acceptance or rejection that answers it is |
 * | `VaccineLotReportFailed` | folded into its excursion event |
 *
 * Identifiers:
 * - GLNs (readPoint, master data) are GS1 Digital Links `https://id.gs1.org/414/{gln13}` — the GS1 company prefix
 *   length that an `urn:epc:id:sgln:` would need is not on chain.
 * - Organisations (sources, destinations, `ht:recordedBy`) are `did:pkh:eip155:{chainId}:{address}` (W3C CCG
 *   did:pkh over CAIP-10; the address lower-case).
 * - `eventID` is a name-based UUID (RFC 9562 version 5, URL namespace) of
 *   `eip155:{chainId}:{registry}/tx/{transactionHash}/log/{logIndex}`, as `urn:uuid:…`: stable, so rebuilding the
 *   document gives the same ids, and unique per log.
 *
 * The document: `@context` `["https://ref.gs1.org/standards/epcis/epcis-context.jsonld", { "ht": "urn:healthtrace:epcis:" }]`,
 * `type` `EPCISDocument`, `schemaVersion` `"2.0"`, `creationDate`, and in `epcisHeader` the source and the block range
 * it covers: `ht:chainId`, `ht:registry`, `ht:fromBlock`, `ht:toBlock` (inclusive) and, for a one-shipment export,
 * `ht:shipmentId`. Events are in chain order (block, then log index).
 */
import { buildDigitalLink, glnDigitalLink, gln13 } from "./digital-link.ts";
import {
  bizStepTerm,
  centiToCelsius,
  type CustodyStep,
  dispositionTerm,
  rejectReason,
  scanVerdict,
  unpackStep,
} from "./steps.ts";

/** The GS1 EPCIS 2.0 JSON-LD context. */
export const EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld";
/** Namespace of HealthTrace's extension fields (prefix `ht`). */
export const HEALTHTRACE_EPCIS_NAMESPACE = "urn:healthtrace:epcis:";
/** Default `eventTimeZoneOffset`: Shanghai (China Standard Time). */
export const DEFAULT_TIME_ZONE_OFFSET = "+08:00";

// ---------------------------------------------------------------------------------------------------------
// Chain events
// ---------------------------------------------------------------------------------------------------------

/** Where an event sits on chain. */
export interface LogMeta {
  readonly blockNumber: number;
  /** Block time, Unix seconds. */
  readonly blockTimestamp: number;
  readonly transactionHash: string;
  /** Index of the log in its block. */
  readonly logIndex: number;
}

interface Base<N extends string> {
  readonly name: N;
  readonly log: LogMeta;
}

export interface LocationRegisteredEvent extends Base<"LocationRegistered"> {
  readonly gln: bigint;
  readonly owner: string;
  readonly locationName: string;
}
export interface ShipmentCreatedEvent extends Base<"ShipmentCreated"> {
  readonly shipmentId: string;
  readonly manufacturer: string;
  readonly gtin: bigint;
  readonly lotNumber: string;
  readonly serial: string;
  readonly quantity: number;
  readonly origin: bigint;
  readonly vaccineLotId: number;
  readonly coldChain: boolean;
  readonly minTempCentiC: number;
  readonly maxTempCentiC: number;
}
export interface CustodyStepRecordedEvent extends Base<"CustodyStepRecorded"> {
  readonly shipmentId: string;
  readonly recorder: string;
  /** The packed step word, `0x` + 64 hex digits. */
  readonly step: string;
}
export interface ColdChainExcursionEvent extends Base<"ColdChainExcursion"> {
  readonly shipmentId: string;
  readonly vaccineLotId: number;
  readonly temperatureCentiC: number;
}
export interface VaccineLotReportFailedEvent extends Base<"VaccineLotReportFailed"> {
  readonly shipmentId: string;
  readonly vaccineLotId: number;
}
export interface HandoverProposedEvent extends Base<"HandoverProposed"> {
  readonly shipmentId: string;
  readonly holder: string;
  readonly receiver: string;
  readonly isFinal: boolean;
}
export interface HandoverAcceptedEvent extends Base<"HandoverAccepted"> {
  readonly shipmentId: string;
  readonly from: string;
  readonly to: string;
  readonly isFinal: boolean;
}
export interface HandoverRejectedEvent extends Base<"HandoverRejected"> {
  readonly shipmentId: string;
  readonly holder: string;
  readonly receiver: string;
  readonly reason: number;
}
export interface SuspectScanReportedEvent extends Base<"SuspectScanReported"> {
  readonly shipmentId: string;
  readonly reporter: string;
  readonly gln: bigint;
  readonly verdict: number;
}

/** A decoded ProvenanceRegistry event. */
export type ProvenanceEvent =
  | LocationRegisteredEvent
  | ShipmentCreatedEvent
  | CustodyStepRecordedEvent
  | ColdChainExcursionEvent
  | VaccineLotReportFailedEvent
  | HandoverProposedEvent
  | HandoverAcceptedEvent
  | HandoverRejectedEvent
  | SuspectScanReportedEvent;

/** The ProvenanceRegistry event names this module reads. */
export const PROVENANCE_EVENT_NAMES = [
  "LocationRegistered",
  "ShipmentCreated",
  "CustodyStepRecorded",
  "ColdChainExcursion",
  "VaccineLotReportFailed",
  "HandoverProposed",
  "HandoverAccepted",
  "HandoverRejected",
  "SuspectScanReported",
] as const satisfies readonly ProvenanceEvent["name"][];

/** A raw log as RPC libraries return it (ethers `Log` has `index`; viem and JSON-RPC have `logIndex`). */
export interface RawLog {
  readonly blockNumber: number | bigint;
  readonly transactionHash: string;
  readonly index?: number;
  readonly logIndex?: number | bigint | null;
  readonly topics: readonly string[];
  readonly data: string;
}

/** Any ABI decoder: `(log) => iface.parseLog(log)` with ethers; null for a log it does not know. */
export type LogParser = (log: { topics: readonly string[]; data: string }) => { name: string; args: readonly unknown[] } | null;

/** An event or log this module cannot use. */
export class EpcisBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EpcisBuildError";
  }
}

const asBigInt = (v: unknown, what: string): bigint => {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  if (typeof v === "string" && /^-?\d+$/.test(v)) return BigInt(v);
  throw new EpcisBuildError(`${what} is not an integer: ${String(v)}`);
};
const asNumber = (v: unknown, what: string): number => {
  const n = asBigInt(v, what);
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)) throw new EpcisBuildError(`${what} is too large: ${n}`);
  return Number(n);
};
const asString = (v: unknown, what: string): string => {
  if (typeof v !== "string") throw new EpcisBuildError(`${what} is not a string: ${String(v)}`);
  return v;
};
const asBool = (v: unknown, what: string): boolean => {
  if (typeof v !== "boolean") throw new EpcisBuildError(`${what} is not a boolean: ${String(v)}`);
  return v;
};
const asAddress = (v: unknown, what: string): string => {
  const s = asString(v, what);
  if (!/^0x[0-9a-fA-F]{40}$/.test(s)) throw new EpcisBuildError(`${what} is not an address: ${s}`);
  return s;
};
const asBytes32 = (v: unknown, what: string): string => {
  const s = asString(v, what);
  if (!/^0x[0-9a-fA-F]{64}$/.test(s)) throw new EpcisBuildError(`${what} is not a bytes32: ${s}`);
  return s.toLowerCase();
};

/**
 * Decode one raw log with `parse` (the ProvenanceRegistry ABI) into a `ProvenanceEvent`; null for a log of another
 * event or contract. `blockTimestamp` is the time of the log's block (Unix seconds).
 */
export function decodeProvenanceLog(log: RawLog, blockTimestamp: number, parse: LogParser): ProvenanceEvent | null {
  const parsed = parse({ topics: log.topics, data: log.data });
  if (parsed === null) return null;
  const rawIndex = log.logIndex ?? log.index;
  if (rawIndex === undefined || rawIndex === null) throw new EpcisBuildError(`log of ${log.transactionHash} has no log index`);
  const meta: LogMeta = {
    blockNumber: asNumber(log.blockNumber, "blockNumber"),
    blockTimestamp: asNumber(blockTimestamp, "blockTimestamp"),
    transactionHash: asBytes32(log.transactionHash, "transactionHash"),
    logIndex: asNumber(rawIndex, "logIndex"),
  };
  const a = parsed.args;
  switch (parsed.name) {
    case "LocationRegistered":
      return { name: parsed.name, log: meta, gln: asBigInt(a[0], "gln"), owner: asAddress(a[1], "owner"), locationName: asString(a[2], "name") };
    case "ShipmentCreated":
      return {
        name: parsed.name,
        log: meta,
        shipmentId: asBytes32(a[0], "shipmentId"),
        manufacturer: asAddress(a[1], "manufacturer"),
        gtin: asBigInt(a[2], "gtin"),
        lotNumber: asString(a[3], "lotNumber"),
        serial: asString(a[4], "serial"),
        quantity: asNumber(a[5], "quantity"),
        origin: asBigInt(a[6], "origin"),
        vaccineLotId: asNumber(a[7], "vaccineLotId"),
        coldChain: asBool(a[8], "coldChain"),
        minTempCentiC: asNumber(a[9], "minTempCentiC"),
        maxTempCentiC: asNumber(a[10], "maxTempCentiC"),
      };
    case "CustodyStepRecorded":
      return { name: parsed.name, log: meta, shipmentId: asBytes32(a[0], "shipmentId"), recorder: asAddress(a[1], "recorder"), step: asBytes32(a[2], "step") };
    case "ColdChainExcursion":
      return {
        name: parsed.name,
        log: meta,
        shipmentId: asBytes32(a[0], "shipmentId"),
        vaccineLotId: asNumber(a[1], "vaccineLotId"),
        temperatureCentiC: asNumber(a[2], "temperatureCentiC"),
      };
    case "VaccineLotReportFailed":
      return { name: parsed.name, log: meta, shipmentId: asBytes32(a[0], "shipmentId"), vaccineLotId: asNumber(a[1], "vaccineLotId") };
    case "HandoverProposed":
      return {
        name: parsed.name,
        log: meta,
        shipmentId: asBytes32(a[0], "shipmentId"),
        holder: asAddress(a[1], "holder"),
        receiver: asAddress(a[2], "receiver"),
        isFinal: asBool(a[3], "isFinal"),
      };
    case "HandoverAccepted":
      return {
        name: parsed.name,
        log: meta,
        shipmentId: asBytes32(a[0], "shipmentId"),
        from: asAddress(a[1], "from"),
        to: asAddress(a[2], "to"),
        isFinal: asBool(a[3], "isFinal"),
      };
    case "HandoverRejected":
      return {
        name: parsed.name,
        log: meta,
        shipmentId: asBytes32(a[0], "shipmentId"),
        holder: asAddress(a[1], "holder"),
        receiver: asAddress(a[2], "receiver"),
        reason: asNumber(a[3], "reason"),
      };
    case "SuspectScanReported":
      return {
        name: parsed.name,
        log: meta,
        shipmentId: asBytes32(a[0], "shipmentId"),
        reporter: asAddress(a[1], "reporter"),
        gln: asBigInt(a[2], "gln"),
        verdict: asNumber(a[3], "verdict"),
      };
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------------------
// EPCIS output types
// ---------------------------------------------------------------------------------------------------------

/** A value of a HealthTrace extension field. */
export type ExtensionValue = string | number | boolean;

export interface SensorReport {
  type: string;
  value: number;
  uom: string;
  exception?: "ALARM_CONDITION";
}
export interface SensorElement {
  sensorMetadata: { time: string };
  sensorReport: SensorReport[];
}
export interface SourceEntry {
  type: "owning_party" | "possessing_party";
  source: string;
}
export interface DestinationEntry {
  type: "owning_party" | "possessing_party";
  destination: string;
}

/** An EPCIS 2.0 ObjectEvent as this module writes it. */
export interface EpcisObjectEvent {
  type: "ObjectEvent";
  eventID: string;
  action: "ADD" | "OBSERVE";
  bizStep: string;
  disposition?: string;
  persistentDisposition?: { set: string[] };
  epcList: string[];
  eventTime: string;
  eventTimeZoneOffset: string;
  recordTime: string;
  readPoint?: { id: string };
  sourceList?: SourceEntry[];
  destinationList?: DestinationEntry[];
  sensorElementList?: SensorElement[];
  ilmd?: Record<string, ExtensionValue>;
  [extension: `ht:${string}`]: ExtensionValue | undefined;
}

export interface VocabularyElement {
  id: string;
  attributes: { id: string; attribute: string }[];
}

/** The EPCIS 2.0 document. */
export interface EpcisDocument {
  "@context": [typeof EPCIS_CONTEXT, { ht: string }];
  type: "EPCISDocument";
  schemaVersion: "2.0";
  creationDate: string;
  epcisHeader: {
    "ht:chainId": number;
    "ht:registry": string;
    "ht:fromBlock": number;
    "ht:toBlock": number;
    "ht:shipmentId"?: string;
    epcisMasterData?: { vocabularyList: { type: string; vocabularyElementList: VocabularyElement[] }[] };
  };
  epcisBody: { eventList: EpcisObjectEvent[] };
}

// ---------------------------------------------------------------------------------------------------------
// Helpers: time, identifiers, UUID v5
// ---------------------------------------------------------------------------------------------------------

const OFFSET = /^([+-])(0\d|1[0-3]):([0-5]\d)$|^([+-])14:00$/;

/** ISO 8601 time with milliseconds in the given offset (`2025-03-01T10:30:00.000+08:00`). */
export function formatTime(unixMillis: number, offset: string = DEFAULT_TIME_ZONE_OFFSET): string {
  const m = OFFSET.exec(offset);
  if (m === null) throw new EpcisBuildError(`time-zone offset "${offset}" is not ±hh:mm between -14:00 and +14:00`);
  const sign = offset.startsWith("-") ? -1 : 1;
  const minutes = Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6));
  const shifted = new Date(unixMillis + sign * minutes * 60_000);
  if (Number.isNaN(shifted.getTime())) throw new EpcisBuildError(`time ${unixMillis} ms is out of range`);
  return shifted.toISOString().replace("Z", offset);
}

/** An organisation's identifier: `did:pkh:eip155:{chainId}:{address lower-case}`. */
export function organisationUri(chainId: number, address: string): string {
  return `did:pkh:eip155:${chainId}:${address.toLowerCase()}`;
}

/** SHA-1 (FIPS 180-4) of bytes; only for name-based UUIDs, not for security. */
function sha1(bytes: Uint8Array): Uint8Array {
  const padded = new Uint8Array((((bytes.length + 8) >> 6) + 1) << 6);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bits = bytes.length * 8;
  view.setUint32(padded.length - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(padded.length - 4, bits >>> 0);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Uint32Array(80);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let [a, b, c, d, e] = h;
    for (let i = 0; i < 80; i++) {
      let f: number;
      let k: number;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]) >>> 0;
      e = d;
      d = c;
      c = ((b << 30) | (b >>> 2)) >>> 0;
      b = a;
      a = t;
    }
    h[0] = (h[0] + a) >>> 0;
    h[1] = (h[1] + b) >>> 0;
    h[2] = (h[2] + c) >>> 0;
    h[3] = (h[3] + d) >>> 0;
    h[4] = (h[4] + e) >>> 0;
  }
  const out = new Uint8Array(20);
  const outView = new DataView(out.buffer);
  h.forEach((v, i) => outView.setUint32(i * 4, v));
  return out;
}

/** RFC 9562 namespace of URLs. */
export const UUID_NAMESPACE_URL = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

/** A name-based UUID, version 5 (SHA-1), e.g. `uuidV5(UUID_NAMESPACE_URL, "…")`. */
export function uuidV5(namespace: string, name: string): string {
  const ns = namespace.replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(ns)) throw new EpcisBuildError(`"${namespace}" is not a UUID`);
  const nameBytes = new TextEncoder().encode(name);
  const input = new Uint8Array(16 + nameBytes.length);
  for (let i = 0; i < 16; i++) input[i] = parseInt(ns.slice(i * 2, i * 2 + 2), 16);
  input.set(nameBytes, 16);
  const hash = sha1(input).slice(0, 16);
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The stable eventID of the EPCIS event made from one log. */
export function eventIdOf(chainId: number, registry: string, log: Pick<LogMeta, "transactionHash" | "logIndex">): string {
  const name = `eip155:${chainId}:${registry.toLowerCase()}/tx/${log.transactionHash.toLowerCase()}/log/${log.logIndex}`;
  return `urn:uuid:${uuidV5(UUID_NAMESPACE_URL, name)}`;
}

/** Disposition written for a hand-over rejection reason (see the mapping table above). */
export const REJECTION_DISPOSITIONS: readonly string[] = [
  "damaged",
  "non_conformant",
  "mismatch_quantity",
  "mismatch_class",
  "returned",
  "returned",
];

// ---------------------------------------------------------------------------------------------------------
// Builder
// ---------------------------------------------------------------------------------------------------------

/** What the document covers and how it is written. */
export interface EpcisBuildOptions {
  readonly chainId: number;
  /** The ProvenanceRegistry address. */
  readonly registry: string;
  /** First block covered (inclusive). */
  readonly fromBlock: number;
  /** Last block covered (inclusive). */
  readonly toBlock: number;
  /** Only this shipment's events (its id, `0x` + 64 hex); default all shipments. */
  readonly shipmentId?: string | null;
  /**
   * Events outside the range that the document needs but does not list: the `ShipmentCreated` of a shipment with
   * later events in range (for its identity) and `LocationRegistered` (for location names).
   */
  readonly lookups?: readonly ProvenanceEvent[];
  /** `creationDate` (default now). */
  readonly creationDate?: Date;
  /** `eventTimeZoneOffset` of every event (default `+08:00`). */
  readonly timeZoneOffset?: string;
  /** Resolver of the Digital Links (default `https://id.gs1.org`). */
  readonly resolver?: string;
}

const key = (log: LogMeta): string => `${log.transactionHash}:${log.logIndex}`;
const chainOrder = (a: ProvenanceEvent, b: ProvenanceEvent): number =>
  a.log.blockNumber - b.log.blockNumber || a.log.logIndex - b.log.logIndex;

/**
 * Build the EPCIS 2.0 document of `events` (decoded ProvenanceRegistry events, in any order, all within
 * `fromBlock`…`toBlock`). Throws an `EpcisBuildError` when an event is outside the range, when a shipment's identity
 * is missing (its `ShipmentCreated` is neither in `events` nor in `lookups`), or when a field is malformed.
 */
export function buildEpcisDocument(events: readonly ProvenanceEvent[], options: EpcisBuildOptions): EpcisDocument {
  const { chainId, fromBlock, toBlock } = options;
  const offset = options.timeZoneOffset ?? DEFAULT_TIME_ZONE_OFFSET;
  const resolver = options.resolver;
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new EpcisBuildError(`chain id ${chainId} is not a positive integer`);
  if (!/^0x[0-9a-fA-F]{40}$/.test(options.registry)) throw new EpcisBuildError(`registry ${options.registry} is not an address`);
  if (!Number.isSafeInteger(fromBlock) || !Number.isSafeInteger(toBlock) || fromBlock < 0 || toBlock < fromBlock) {
    throw new EpcisBuildError(`block range ${fromBlock}–${toBlock} is not a range of block numbers`);
  }
  const onlyShipment = options.shipmentId === undefined || options.shipmentId === null ? null : options.shipmentId.toLowerCase();
  if (onlyShipment !== null && !/^0x[0-9a-f]{64}$/.test(onlyShipment)) {
    throw new EpcisBuildError(`shipment id ${options.shipmentId} is not 0x followed by 64 hex digits`);
  }
  formatTime(0, offset); // validates the offset up front

  // Deduplicate (an indexer may deliver a log twice) and order by chain position.
  const byKey = new Map<string, ProvenanceEvent>();
  for (const e of events) {
    if (e.log.blockNumber < fromBlock || e.log.blockNumber > toBlock) {
      throw new EpcisBuildError(
        `${e.name} of transaction ${e.log.transactionHash} is in block ${e.log.blockNumber}, outside the document's range ${fromBlock}–${toBlock}`,
      );
    }
    byKey.set(key(e.log), e);
  }
  const ordered = [...byKey.values()].sort(chainOrder);

  // Identities and locations: from the events and the lookups.
  const shipments = new Map<string, ShipmentCreatedEvent>();
  const locations = new Map<bigint, LocationRegisteredEvent>();
  for (const e of [...(options.lookups ?? []), ...ordered]) {
    if (e.name === "ShipmentCreated") shipments.set(e.shipmentId.toLowerCase(), e);
    else if (e.name === "LocationRegistered" && !locations.has(e.gln)) locations.set(e.gln, e);
  }

  const time = (seconds: number): string => formatTime(seconds * 1000, offset);
  const glnUri = (gln: bigint): string => glnDigitalLink(gln, resolver);
  const org = (address: string): string => organisationUri(chainId, address);
  const usedGlns = new Set<bigint>();

  const identityOf = (shipmentId: string, what: string): ShipmentCreatedEvent => {
    const created = shipments.get(shipmentId.toLowerCase());
    if (created === undefined) {
      throw new EpcisBuildError(
        `${what} concerns shipment ${shipmentId}, whose ShipmentCreated event is neither in the events nor in the lookups`,
      );
    }
    return created;
  };
  const epcOf = (created: ShipmentCreatedEvent): string =>
    buildDigitalLink({ gtin: created.gtin, lot: created.lotNumber, serial: created.serial }, null, resolver);

  const chainFields = (e: ProvenanceEvent, shipmentId: string | null): Record<`ht:${string}`, ExtensionValue> => ({
    ...(shipmentId === null ? {} : { "ht:shipmentId": shipmentId.toLowerCase() }),
    "ht:transactionHash": e.log.transactionHash.toLowerCase(),
    "ht:blockNumber": e.log.blockNumber,
    "ht:logIndex": e.log.logIndex,
  });
  const temperatureElement = (centi: number, at: string, alarm: boolean): SensorElement => ({
    sensorMetadata: { time: at },
    sensorReport: [{ type: "gs1:Temperature", value: centiToCelsius(centi), uom: "CEL", ...(alarm ? { exception: "ALARM_CONDITION" as const } : {}) }],
  });
  const parties = (from: string, to: string): Pick<EpcisObjectEvent, "sourceList" | "destinationList"> => ({
    sourceList: [
      { type: "owning_party", source: org(from) },
      { type: "possessing_party", source: org(from) },
    ],
    destinationList: [
      { type: "owning_party", destination: org(to) },
      { type: "possessing_party", destination: org(to) },
    ],
  });

  // Excursions: the step each one judged (the closest earlier step of the same shipment in the same transaction).
  const stepOfExcursion = new Map<string, CustodyStepRecordedEvent>();
  const excursionOfStep = new Set<string>();
  const reportFailed = new Set<string>();
  {
    const lastStep = new Map<string, CustodyStepRecordedEvent>();
    for (const e of ordered) {
      if (e.name === "CustodyStepRecorded") lastStep.set(`${e.log.transactionHash}:${e.shipmentId}`, e);
      else if (e.name === "ColdChainExcursion") {
        const step = lastStep.get(`${e.log.transactionHash}:${e.shipmentId}`);
        if (step !== undefined) {
          stepOfExcursion.set(key(e.log), step);
          excursionOfStep.add(key(step.log));
        }
      } else if (e.name === "VaccineLotReportFailed") reportFailed.add(`${e.log.transactionHash}:${e.shipmentId}`);
    }
  }

  const eventList: EpcisObjectEvent[] = [];
  for (const e of ordered) {
    if (e.name === "LocationRegistered" || e.name === "HandoverProposed" || e.name === "VaccineLotReportFailed") continue;
    if (onlyShipment !== null && e.shipmentId.toLowerCase() !== onlyShipment) continue;
    const eventID = eventIdOf(chainId, options.registry, e.log);
    const recordTime = time(e.log.blockTimestamp);

    switch (e.name) {
      case "ShipmentCreated": {
        usedGlns.add(e.origin);
        const ilmd: Record<string, ExtensionValue> = { "cbvmda:lotNumber": e.lotNumber, "ht:quantity": e.quantity };
        if (e.coldChain) {
          ilmd["ht:minTemperatureCelsius"] = centiToCelsius(e.minTempCentiC);
          ilmd["ht:maxTemperatureCelsius"] = centiToCelsius(e.maxTempCentiC);
        }
        if (e.vaccineLotId !== 0) ilmd["ht:vaccineLotId"] = e.vaccineLotId;
        eventList.push({
          type: "ObjectEvent",
          eventID,
          action: "ADD",
          bizStep: "commissioning",
          disposition: "active",
          epcList: [epcOf(e)],
          eventTime: recordTime,
          eventTimeZoneOffset: offset,
          recordTime,
          readPoint: { id: glnUri(e.origin) },
          ilmd,
          "ht:recordedBy": org(e.manufacturer),
          ...chainFields(e, e.shipmentId),
        });
        break;
      }
      case "CustodyStepRecorded": {
        let step: CustodyStep;
        try {
          step = unpackStep(e.step);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new EpcisBuildError(`CustodyStepRecorded in ${e.log.transactionHash}: ${reason}`);
        }
        usedGlns.add(step.readPoint);
        const eventTime = time(step.eventTime);
        eventList.push({
          type: "ObjectEvent",
          eventID,
          action: "OBSERVE",
          bizStep: bizStepTerm(step.bizStep).name,
          disposition: dispositionTerm(step.disposition).name,
          epcList: [epcOf(identityOf(e.shipmentId, "a custody step"))],
          eventTime,
          eventTimeZoneOffset: offset,
          recordTime,
          readPoint: { id: glnUri(step.readPoint) },
          ...(step.temperatureCentiC === null
            ? {}
            : { sensorElementList: [temperatureElement(step.temperatureCentiC, eventTime, excursionOfStep.has(key(e.log)))] }),
          "ht:recordedBy": org(e.recorder),
          ...chainFields(e, e.shipmentId),
        });
        break;
      }
      case "ColdChainExcursion": {
        const created = identityOf(e.shipmentId, "a cold-chain excursion");
        const judged = stepOfExcursion.get(key(e.log));
        const step = judged === undefined ? null : unpackStep(judged.step);
        if (step !== null) usedGlns.add(step.readPoint);
        const eventTime = step === null ? recordTime : time(step.eventTime);
        const extra: Record<`ht:${string}`, ExtensionValue> = {};
        if (created.coldChain) {
          extra["ht:minTemperatureCelsius"] = centiToCelsius(created.minTempCentiC);
          extra["ht:maxTemperatureCelsius"] = centiToCelsius(created.maxTempCentiC);
        }
        if (e.vaccineLotId !== 0) extra["ht:vaccineLotId"] = e.vaccineLotId;
        if (reportFailed.has(`${e.log.transactionHash}:${e.shipmentId}`)) extra["ht:vaccineLotReportFailed"] = true;
        eventList.push({
          type: "ObjectEvent",
          eventID,
          action: "OBSERVE",
          bizStep: "inspecting",
          disposition: "non_conformant",
          persistentDisposition: { set: ["non_conformant"] },
          epcList: [epcOf(created)],
          eventTime,
          eventTimeZoneOffset: offset,
          recordTime,
          ...(step === null ? {} : { readPoint: { id: glnUri(step.readPoint) } }),
          sensorElementList: [temperatureElement(e.temperatureCentiC, eventTime, true)],
          "ht:coldChainExcursion": true,
          ...extra,
          ...chainFields(e, e.shipmentId),
        });
        break;
      }
      case "HandoverAccepted": {
        eventList.push({
          type: "ObjectEvent",
          eventID,
          action: "OBSERVE",
          bizStep: e.isFinal ? "receiving" : "accepting",
          disposition: e.isFinal ? "in_progress" : "in_transit",
          epcList: [epcOf(identityOf(e.shipmentId, "a hand-over"))],
          eventTime: recordTime,
          eventTimeZoneOffset: offset,
          recordTime,
          ...parties(e.from, e.to),
          "ht:handover": "accepted",
          "ht:finalDelivery": e.isFinal,
          ...chainFields(e, e.shipmentId),
        });
        break;
      }
      case "HandoverRejected": {
        const reason = rejectReason(e.reason);
        eventList.push({
          type: "ObjectEvent",
          eventID,
          action: "OBSERVE",
          bizStep: "receiving",
          disposition: REJECTION_DISPOSITIONS[reason.code],
          epcList: [epcOf(identityOf(e.shipmentId, "a hand-over rejection"))],
          eventTime: recordTime,
          eventTimeZoneOffset: offset,
          recordTime,
          ...parties(e.holder, e.receiver),
          "ht:handover": "rejected",
          "ht:rejectionReason": reason.name,
          ...chainFields(e, e.shipmentId),
        });
        break;
      }
      case "SuspectScanReported": {
        const created = shipments.get(e.shipmentId.toLowerCase());
        usedGlns.add(e.gln);
        eventList.push({
          type: "ObjectEvent",
          eventID,
          action: "OBSERVE",
          bizStep: "inspecting",
          epcList: created === undefined ? [] : [epcOf(created)],
          eventTime: recordTime,
          eventTimeZoneOffset: offset,
          recordTime,
          readPoint: { id: glnUri(e.gln) },
          "ht:suspectScan": scanVerdict(e.verdict).name,
          "ht:recordedBy": org(e.reporter),
          ...chainFields(e, e.shipmentId),
        });
        break;
      }
    }
  }

  // Master data of the locations the events use.
  const elements: VocabularyElement[] = [...usedGlns]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap((gln) => {
      const loc = locations.get(gln);
      if (loc === undefined) return [];
      return [
        {
          id: glnUri(gln),
          attributes: [
            { id: "urn:epcglobal:cbv:mda#name", attribute: loc.locationName },
            { id: `${HEALTHTRACE_EPCIS_NAMESPACE}owner`, attribute: org(loc.owner) },
          ],
        },
      ];
    });

  return {
    "@context": [EPCIS_CONTEXT, { ht: HEALTHTRACE_EPCIS_NAMESPACE }],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: formatTime((options.creationDate ?? new Date()).getTime(), offset),
    epcisHeader: {
      "ht:chainId": chainId,
      "ht:registry": options.registry,
      "ht:fromBlock": fromBlock,
      "ht:toBlock": toBlock,
      ...(onlyShipment === null ? {} : { "ht:shipmentId": onlyShipment }),
      ...(elements.length === 0
        ? {}
        : { epcisMasterData: { vocabularyList: [{ type: "urn:epcglobal:epcis:vtype:ReadPoint", vocabularyElementList: elements }] } }),
    },
    epcisBody: { eventList },
  };
}

/** The GLN of a readPoint Digital Link written by this module, as 13 digits (for readers of the document). */
export function glnOfReadPoint(uri: string): string {
  const m = /\/414\/(\d{13})$/.exec(uri);
  if (m === null) throw new EpcisBuildError(`${uri} is not a GLN Digital Link`);
  return gln13(m[1]);
}
