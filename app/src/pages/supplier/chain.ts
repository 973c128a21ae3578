/**
 * Chain reads of the supplier pages (viem actions on wagmi's client; no wallet needed): a shipment's state and
 * history from the ProvenanceRegistry's events (one eth_getLogs filtered on the shipment id topic, decoded with
 * the ABI, with block times), the registered locations, incoming hand-overs, the shipments an organisation
 * holds, a manufacturer's vaccine lots, roles, the chain's clock and label checks.
 */
import { type Client, parseEventLogs, toHex } from "viem";
import { getBlock, getContractEvents, readContract } from "viem/actions";

import { authority, provenanceRegistry, vaccineRegistry } from "../../contracts.ts";
import { PROVENANCE_EVENT_NAMES } from "../../../../scripts/lib/epcis.ts";
import { ROLE_IDS } from "../../../../scripts/lib/personas.ts";
import {
  type Address,
  buildHistory,
  type Created,
  createdOf,
  type HistoryEntry,
  type Hex,
  type Identity,
  type Location,
  localLocationName,
  type PositionedEvent,
  type RawEvent,
  type ShipmentView,
} from "./model.ts";

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** `shipmentOf`, with numbers as numbers. */
export async function fetchShipmentView(client: Client, shipmentId: Hex): Promise<ShipmentView> {
  const v = await readContract(client, { ...provenanceRegistry, functionName: "shipmentOf", args: [shipmentId] });
  return {
    holder: v.holder,
    coldChain: v.coldChain,
    nonConformant: v.nonConformant,
    delivered: v.delivered,
    minTempCentiC: v.minTempCentiC,
    maxTempCentiC: v.maxTempCentiC,
    vaccineLotId: v.vaccineLotId,
    pendingReceiver: v.pendingReceiver,
    pendingFinal: v.pendingFinal,
  };
}

/** Block times of the given blocks (8 requests at a time). */
async function blockTimes(client: Client, blocks: readonly bigint[]): Promise<Map<bigint, number>> {
  const unique = [...new Set(blocks)];
  const times = new Map<bigint, number>();
  for (let i = 0; i < unique.length; i += 8) {
    await Promise.all(
      unique.slice(i, i + 8).map(async (n) => {
        const block = await getBlock(client, { blockNumber: n });
        times.set(n, Number(block.timestamp));
      }),
    );
  }
  return times;
}

/** The ProvenanceRegistry events of one shipment: every event the EPCIS module reads but location registrations. */
const SHIPMENT_EVENTS: readonly string[] = PROVENANCE_EVENT_NAMES.filter((name) => name !== "LocationRegistered");

/**
 * Every event of one shipment: the registry's logs whose first indexed topic is the shipment id (all of its
 * shipment events index it first), decoded against the ABI.
 */
export async function fetchShipmentEvents(client: Client, shipmentId: Hex): Promise<PositionedEvent[]> {
  const logs = await client.request({
    method: "eth_getLogs",
    params: [{ address: provenanceRegistry.address, fromBlock: "0x0", toBlock: "latest", topics: [null, shipmentId] }],
  });
  const parsed = parseEventLogs({ abi: provenanceRegistry.abi, logs, strict: true }).filter(
    (l) => SHIPMENT_EVENTS.includes(l.eventName) && l.blockNumber !== null && l.logIndex !== null,
  );
  const times = await blockTimes(
    client,
    parsed.map((l) => l.blockNumber ?? 0n),
  );
  const out: PositionedEvent[] = [];
  for (const l of parsed) {
    const position = {
      blockNumber: l.blockNumber ?? 0n,
      logIndex: l.logIndex ?? 0,
      transactionHash: (l.transactionHash ?? toHex(0, { size: 32 })) as Hex,
      blockTime: times.get(l.blockNumber ?? 0n) ?? 0,
    };
    // parseEventLogs types `args` by event name: rebuild the narrow RawEvent of each.
    let raw: RawEvent | null = null;
    switch (l.eventName) {
      case "ShipmentCreated":
        raw = { eventName: l.eventName, args: l.args };
        break;
      case "CustodyStepRecorded":
        raw = { eventName: l.eventName, args: l.args };
        break;
      case "ColdChainExcursion":
        raw = { eventName: l.eventName, args: l.args };
        break;
      case "VaccineLotReportFailed":
        raw = { eventName: l.eventName, args: l.args };
        break;
      case "HandoverProposed":
        raw = { eventName: l.eventName, args: l.args };
        break;
      case "HandoverAccepted":
        raw = { eventName: l.eventName, args: l.args };
        break;
      case "HandoverRejected":
        raw = { eventName: l.eventName, args: l.args };
        break;
      case "SuspectScanReported":
        raw = { eventName: l.eventName, args: l.args };
        break;
      default:
        raw = null;
    }
    if (raw !== null && same(raw.args.shipmentId, shipmentId)) out.push({ ...raw, ...position });
  }
  return out;
}

/** A shipment: its state, identity and full history. */
export interface ShipmentRecord {
  readonly shipmentId: Hex;
  readonly view: ShipmentView;
  readonly created: Created | null;
  readonly entries: HistoryEntry[];
}

export async function fetchShipment(client: Client, shipmentId: Hex): Promise<ShipmentRecord> {
  const [view, events] = await Promise.all([fetchShipmentView(client, shipmentId), fetchShipmentEvents(client, shipmentId)]);
  const { created, entries } = buildHistory(events, view);
  return { shipmentId, view, created, entries };
}

/** Every registered location (LocationRegistered). */
export async function fetchLocations(client: Client): Promise<Location[]> {
  const logs = await getContractEvents(client, { ...provenanceRegistry, eventName: "LocationRegistered", fromBlock: 0n, strict: true });
  return logs.map((l) => ({ gln: l.args.gln, owner: l.args.owner, name: l.args.name, localName: localLocationName(l.args.gln) }));
}

/** The ShipmentCreated events of some shipments (identity of each), by id. */
async function createdEvents(client: Client, ids: readonly Hex[]): Promise<Map<string, Created>> {
  const out = new Map<string, Created>();
  if (ids.length === 0) return out;
  const logs = await getContractEvents(client, {
    ...provenanceRegistry,
    eventName: "ShipmentCreated",
    args: { shipmentId: [...ids] },
    fromBlock: 0n,
    strict: true,
  });
  for (const l of logs) {
    const c = createdOf({ eventName: "ShipmentCreated", args: l.args });
    if (c !== null) out.set(c.shipmentId.toLowerCase(), c);
  }
  return out;
}

/** A shipment in one of the page's lists. */
export interface ListedShipment {
  readonly shipmentId: Hex;
  readonly view: ShipmentView;
  readonly created: Created | null;
}

/** Hand-overs proposed to `me` that are still pending. */
export async function fetchIncoming(client: Client, me: Address): Promise<ListedShipment[]> {
  const proposals = await getContractEvents(client, {
    ...provenanceRegistry,
    eventName: "HandoverProposed",
    args: { receiver: me },
    fromBlock: 0n,
    strict: true,
  });
  const ids = [...new Set(proposals.map((p) => p.args.shipmentId.toLowerCase()))] as Hex[];
  const views = await Promise.all(ids.map((id) => fetchShipmentView(client, id)));
  const pending = ids.filter((_, i) => same(views[i].pendingReceiver, me));
  const created = await createdEvents(client, pending);
  return pending.map((id) => ({ shipmentId: id, view: views[ids.indexOf(id)], created: created.get(id) ?? null })).reverse(); // newest first
}

/** Shipments `me` holds now and still moves on (created or accepted by it, not handed on since, not delivered). */
export async function fetchHeld(client: Client, me: Address): Promise<ListedShipment[]> {
  const [mine, accepted] = await Promise.all([
    getContractEvents(client, { ...provenanceRegistry, eventName: "ShipmentCreated", args: { manufacturer: me }, fromBlock: 0n, strict: true }),
    getContractEvents(client, { ...provenanceRegistry, eventName: "HandoverAccepted", args: { to: me }, fromBlock: 0n, strict: true }),
  ]);
  const ids = [...new Set([...mine.map((l) => l.args.shipmentId), ...accepted.map((l) => l.args.shipmentId)].map((x) => x.toLowerCase()))] as Hex[];
  const views = await Promise.all(ids.map((id) => fetchShipmentView(client, id)));
  const held = ids.filter((_, i) => same(views[i].holder, me) && !views[i].delivered);
  const created = await createdEvents(client, held);
  return held
    .map((id) => ({ shipmentId: id, view: views[ids.indexOf(id)], created: created.get(id) ?? null }))
    .reverse(); // newest first
}

/** A vaccine lot a manufacturer registered. */
export interface OwnLot {
  readonly lotId: number;
  readonly gtin: string;
  readonly lotNumber: string;
  readonly minTempCentiC: number;
  readonly maxTempCentiC: number;
  readonly expiresAt: number;
  readonly state: number;
}

export async function fetchOwnLots(client: Client, me: Address): Promise<OwnLot[]> {
  const logs = await getContractEvents(client, { ...vaccineRegistry, eventName: "LotRegistered", args: { manufacturer: me }, fromBlock: 0n, strict: true });
  const states = await Promise.all(logs.map((l) => readContract(client, { ...vaccineRegistry, functionName: "lotState", args: [l.args.lotId] })));
  return logs.map((l, i) => ({
    lotId: l.args.lotId,
    gtin: l.args.gtin.toString().padStart(14, "0"),
    lotNumber: l.args.lotNumber,
    minTempCentiC: l.args.minTempCentiC,
    maxTempCentiC: l.args.maxTempCentiC,
    expiresAt: l.args.expiresAt,
    state: states[i],
  }));
}

/** The supply-chain roles of an account and whether it is an active organisation. */
export interface SupplierRoles {
  readonly active: boolean;
  readonly manufacturer: boolean;
  readonly carrier: boolean;
  readonly warehouse: boolean;
  readonly clinic: boolean;
}

export async function fetchRoles(client: Client, account: Address): Promise<SupplierRoles> {
  const role = (name: keyof typeof ROLE_IDS) =>
    readContract(client, { ...authority, functionName: "hasRole", args: [ROLE_IDS[name] as Hex, account] });
  const [active, manufacturer, carrier, warehouse, clinic] = await Promise.all([
    readContract(client, { ...authority, functionName: "isActive", args: [account] }),
    role("MANUFACTURER_ROLE"),
    role("CARRIER_ROLE"),
    role("WAREHOUSE_ROLE"),
    role("CLINIC_ROLE"),
  ]);
  return { active, manufacturer, carrier, warehouse, clinic };
}

/**
 * The latest block's time: the newest moment a step may carry. The registry refuses a step dated after
 * `block.timestamp`, and the transaction is simulated on the latest block before the wallet opens, so a step is
 * dated at most this (on a live chain, seconds ago; on a local chain, whatever its clock says).
 */
export async function latestBlockTime(client: Client): Promise<number> {
  const latest = await getBlock(client, { blockTag: "latest" });
  return Number(latest.timestamp);
}

/** `checkScan`: the verdict of a label scanned at a location, and the id it resolves to. */
export async function checkScan(client: Client, identity: Identity, gln: bigint): Promise<{ verdict: number; shipmentId: Hex }> {
  const [verdict, shipmentId] = await readContract(client, {
    ...provenanceRegistry,
    functionName: "checkScan",
    args: [BigInt(identity.gtin), identity.lot, identity.serial, gln],
  });
  return { verdict, shipmentId };
}

