/**
 * Indexing functions: every event of the five registries, in chain order, folded into the tables of ponder.schema.ts.
 * Each handler keeps one event's effect: a row and the counters of its cells. Nothing here stores a citizen's address.
 */
import { ponder, type Context } from "ponder:registry";
import {
  consentCell,
  dose,
  doseCell,
  excursionCell,
  lot,
  organisation,
  provenanceEvent,
  recordCell,
  shipment,
  suspectScanCell,
} from "ponder:schema";

import { LotState } from "../../scripts/lib/vaccines.ts";
import { dayOf } from "./time.ts";

// ---------------------------------------------------------------------------------------------------------
// HealthTraceAuthority: the organisation directory (names and districts label the dashboard)
// ---------------------------------------------------------------------------------------------------------

ponder.on("HealthTraceAuthority:OrganisationAccredited", async ({ event, context }) => {
  const { org, kind, district, name, localName } = event.args;
  await context.db
    .insert(organisation)
    .values({
      address: org,
      kind,
      district,
      name,
      localName,
      active: true,
      accreditedBlock: event.block.number,
    })
    .onConflictDoUpdate({ kind, district, name, localName, active: true });
});

ponder.on("HealthTraceAuthority:OrganisationSuspended", async ({ event, context }) => {
  await context.db.update(organisation, { address: event.args.org }).set({ active: false });
});

ponder.on("HealthTraceAuthority:OrganisationRestored", async ({ event, context }) => {
  await context.db.update(organisation, { address: event.args.org }).set({ active: true });
});

// ---------------------------------------------------------------------------------------------------------
// VaccineRegistry: lots and doses
// ---------------------------------------------------------------------------------------------------------

ponder.on("VaccineRegistry:LotRegistered", async ({ event, context }) => {
  const a = event.args;
  await context.db.insert(lot).values({
    lotId: a.lotId,
    manufacturer: a.manufacturer,
    gtin: a.gtin,
    lotNumber: a.lotNumber,
    doseCount: a.doseCount,
    expiresAt: a.expiresAt,
    state: LotState.PendingRelease,
    attestations: 0,
    registeredDay: dayOf(event.block.timestamp),
    dosesRecorded: 0,
  });
});

ponder.on("VaccineRegistry:LotAttested", async ({ event, context }) => {
  await context.db.update(lot, { lotId: event.args.lotId }).set({ attestations: event.args.attestations });
});

ponder.on("VaccineRegistry:LotReleased", async ({ event, context }) => {
  await context.db.update(lot, { lotId: event.args.lotId }).set({ state: LotState.Active });
});

ponder.on("VaccineRegistry:LotRecalled", async ({ event, context }) => {
  await context.db.update(lot, { lotId: event.args.lotId }).set({ state: LotState.Recalled });
});

ponder.on("VaccineRegistry:LotNonConformant", async ({ event, context }) => {
  // A recalled lot stays recalled (the contract refuses a quarantine after a recall; this keeps the fold total).
  await context.db.update(lot, { lotId: event.args.lotId }).set((row) => ({
    state: row.state === LotState.Recalled ? row.state : LotState.NonConformant,
  }));
});

ponder.on("VaccineRegistry:DoseRecorded", async ({ event, context }) => {
  const { doseId, lotId, district } = event.args;
  const day = dayOf(event.block.timestamp);
  const theLot = await context.db.update(lot, { lotId }).set((row) => ({ dosesRecorded: row.dosesRecorded + 1 }));
  await context.db.insert(dose).values({ doseId, lotId, district, day });
  await context.db
    .insert(doseCell)
    .values({
      day,
      lotId,
      district,
      manufacturer: theLot.manufacturer,
      recorded: 1,
      confirmed: 0,
      voided: 0,
    })
    .onConflictDoUpdate((row) => ({ recorded: row.recorded + 1 }));
});

/** The cell of a recorded dose, for its confirmation or voiding. */
async function cellOfDose(context: Context, doseId: `0x${string}`) {
  const recorded = await context.db.find(dose, { doseId });
  if (recorded === null) throw new Error(`dose ${doseId} confirmed or voided before it was recorded`);
  return {
    day: recorded.day,
    lotId: recorded.lotId,
    district: recorded.district,
  };
}

ponder.on("VaccineRegistry:DoseConfirmed", async ({ event, context }) => {
  const cell = await cellOfDose(context, event.args.doseId);
  await context.db.update(doseCell, cell).set((row) => ({ confirmed: row.confirmed + 1 }));
});

ponder.on("VaccineRegistry:DoseVoided", async ({ event, context }) => {
  const cell = await cellOfDose(context, event.args.doseId);
  await context.db.update(doseCell, cell).set((row) => ({ voided: row.voided + 1 }));
});

// ---------------------------------------------------------------------------------------------------------
// ProvenanceRegistry: every event kept as logged (history, EPCIS export) and folded into shipments
// ---------------------------------------------------------------------------------------------------------

/** What `keepLog` reads of an event. */
interface LoggedEvent {
  readonly id: string;
  readonly block: { readonly number: bigint; readonly timestamp: bigint };
  readonly transaction: { readonly hash: `0x${string}` };
  readonly log: {
    readonly logIndex: number;
    readonly topics: readonly (`0x${string}` | null)[];
    readonly data: `0x${string}`;
  };
}

/** Keep a ProvenanceRegistry event as it was logged. */
async function keepLog(name: string, event: LoggedEvent, context: Context, shipmentId: `0x${string}` | null): Promise<void> {
  await context.db.insert(provenanceEvent).values({
    id: event.id,
    name,
    shipmentId,
    blockNumber: event.block.number,
    blockTimestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
    logIndex: event.log.logIndex,
    topics: event.log.topics.filter((topic): topic is `0x${string}` => topic !== null),
    data: event.log.data,
  });
}

ponder.on("ProvenanceRegistry:LocationRegistered", async ({ event, context }) => {
  await keepLog("LocationRegistered", event, context, null);
});

ponder.on("ProvenanceRegistry:ShipmentCreated", async ({ event, context }) => {
  const a = event.args;
  await keepLog("ShipmentCreated", event, context, a.shipmentId);
  await context.db.insert(shipment).values({
    shipmentId: a.shipmentId,
    manufacturer: a.manufacturer,
    gtin: a.gtin,
    lotNumber: a.lotNumber,
    serial: a.serial,
    quantity: a.quantity,
    vaccineLotId: a.vaccineLotId,
    coldChain: a.coldChain,
    holder: a.manufacturer,
    delivered: false,
    createdDay: dayOf(event.block.timestamp),
    deliveredDay: null,
    steps: 0,
    excursions: 0,
    suspectScans: 0,
  });
});

ponder.on("ProvenanceRegistry:CustodyStepRecorded", async ({ event, context }) => {
  await keepLog("CustodyStepRecorded", event, context, event.args.shipmentId);
  await context.db.update(shipment, { shipmentId: event.args.shipmentId }).set((row) => ({ steps: row.steps + 1 }));
});

ponder.on("ProvenanceRegistry:ColdChainExcursion", async ({ event, context }) => {
  await keepLog("ColdChainExcursion", event, context, event.args.shipmentId);
  const theShipment = await context.db
    .update(shipment, { shipmentId: event.args.shipmentId })
    .set((row) => ({ excursions: row.excursions + 1 }));
  await context.db
    .insert(excursionCell)
    .values({
      day: dayOf(event.block.timestamp),
      carrier: theShipment.holder,
      count: 1,
    })
    .onConflictDoUpdate((row) => ({ count: row.count + 1 }));
});

ponder.on("ProvenanceRegistry:VaccineLotReportFailed", async ({ event, context }) => {
  await keepLog("VaccineLotReportFailed", event, context, event.args.shipmentId);
});

ponder.on("ProvenanceRegistry:HandoverProposed", async ({ event, context }) => {
  await keepLog("HandoverProposed", event, context, event.args.shipmentId);
});

ponder.on("ProvenanceRegistry:HandoverAccepted", async ({ event, context }) => {
  const { shipmentId, to, isFinal } = event.args;
  await keepLog("HandoverAccepted", event, context, shipmentId);
  await context.db.update(shipment, { shipmentId }).set(
    isFinal
      ? {
          holder: to,
          delivered: true,
          deliveredDay: dayOf(event.block.timestamp),
        }
      : { holder: to },
  );
});

ponder.on("ProvenanceRegistry:HandoverRejected", async ({ event, context }) => {
  await keepLog("HandoverRejected", event, context, event.args.shipmentId);
});

ponder.on("ProvenanceRegistry:SuspectScanReported", async ({ event, context }) => {
  const { shipmentId, verdict } = event.args;
  // A scan of a serial that was never issued names no shipment (id 0 or unknown): it is counted, not attached.
  const known = await context.db.find(shipment, { shipmentId });
  await keepLog("SuspectScanReported", event, context, known === null ? null : shipmentId);
  if (known !== null) await context.db.update(shipment, { shipmentId }).set({ suspectScans: known.suspectScans + 1 });
  await context.db
    .insert(suspectScanCell)
    .values({ day: dayOf(event.block.timestamp), verdict, count: 1 })
    .onConflictDoUpdate((row) => ({ count: row.count + 1 }));
});

// ---------------------------------------------------------------------------------------------------------
// ConsentRegistry and RecordRegistry: counts per day and category only
// ---------------------------------------------------------------------------------------------------------

type ConsentCounter = "grants" | "revocations" | "reads";

async function countConsent(context: Context, timestamp: bigint, category: number, counter: ConsentCounter): Promise<void> {
  await context.db
    .insert(consentCell)
    .values({
      day: dayOf(timestamp),
      category,
      grants: 0,
      revocations: 0,
      reads: 0,
      [counter]: 1,
    })
    .onConflictDoUpdate((row) => ({ [counter]: row[counter] + 1 }));
}

ponder.on("ConsentRegistry:ConsentGranted", async ({ event, context }) => {
  await countConsent(context, event.block.timestamp, event.args.category, "grants");
});

ponder.on("ConsentRegistry:ConsentRevoked", async ({ event, context }) => {
  await countConsent(context, event.block.timestamp, event.args.category, "revocations");
});

ponder.on("ConsentRegistry:AccessLogged", async ({ event, context }) => {
  await countConsent(context, event.block.timestamp, event.args.category, "reads");
});

ponder.on("RecordRegistry:RecordAnchored", async ({ event, context }) => {
  await context.db
    .insert(recordCell)
    .values({
      day: dayOf(event.block.timestamp),
      category: event.args.category,
      anchored: 1,
    })
    .onConflictDoUpdate((row) => ({ anchored: row.anchored + 1 }));
});
