/**
 * The indexer's tables. Counts, not people: no citizen address is stored anywhere (the dose table keeps only what a
 * dose's later confirmation or voiding needs to find its cell). Days are China Standard Time calendar days, stored as
 * days since 1970-01-01 (see src/time.ts).
 *
 * Public through the HTTP API (src/api/index.ts): every table except `dose`.
 */
import { index, onchainTable, primaryKey } from "ponder";

/** An accredited organisation (HealthTraceAuthority). */
export const organisation = onchainTable("organisation", (t) => ({
  address: t.hex().primaryKey(),
  kind: t.integer().notNull(),
  district: t.integer().notNull(),
  name: t.text().notNull(),
  localName: t.text().notNull(),
  active: t.boolean().notNull(),
  accreditedBlock: t.bigint().notNull(),
}));

/** A vaccine lot and its state (VaccineRegistry; state codes of scripts/lib/vaccines.ts LotState). */
export const lot = onchainTable("lot", (t) => ({
  lotId: t.integer().primaryKey(),
  manufacturer: t.hex().notNull(),
  gtin: t.bigint().notNull(),
  lotNumber: t.text().notNull(),
  doseCount: t.integer().notNull(),
  expiresAt: t.integer().notNull(),
  state: t.integer().notNull(),
  attestations: t.integer().notNull(),
  registeredDay: t.integer().notNull(),
  dosesRecorded: t.integer().notNull(),
}));

/** A recorded dose, internal: the cell its confirmation or voiding is counted in. Not served. */
export const dose = onchainTable("dose", (t) => ({
  doseId: t.hex().primaryKey(),
  lotId: t.integer().notNull(),
  district: t.integer().notNull(),
  day: t.integer().notNull(),
}));

/** Doses per day × lot × district: the finest cell, the one the "<5" rule protects. */
export const doseCell = onchainTable(
  "dose_cell",
  (t) => ({
    day: t.integer().notNull(),
    lotId: t.integer().notNull(),
    district: t.integer().notNull(),
    manufacturer: t.hex().notNull(),
    recorded: t.integer().notNull(),
    confirmed: t.integer().notNull(),
    voided: t.integer().notNull(),
  }),
  (t) => ({
    pk: primaryKey({ columns: [t.day, t.lotId, t.district] }),
    byManufacturer: index().on(t.manufacturer, t.day),
  }),
);

/** A shipment (ProvenanceRegistry) and where it stands. */
export const shipment = onchainTable(
  "shipment",
  (t) => ({
    shipmentId: t.hex().primaryKey(),
    manufacturer: t.hex().notNull(),
    gtin: t.bigint().notNull(),
    lotNumber: t.text().notNull(),
    serial: t.text().notNull(),
    quantity: t.integer().notNull(),
    vaccineLotId: t.integer().notNull(),
    coldChain: t.boolean().notNull(),
    holder: t.hex().notNull(),
    delivered: t.boolean().notNull(),
    createdDay: t.integer().notNull(),
    deliveredDay: t.integer(),
    steps: t.integer().notNull(),
    excursions: t.integer().notNull(),
    suspectScans: t.integer().notNull(),
  }),
  (t) => ({ byManufacturer: index().on(t.manufacturer) }),
);

/**
 * Every ProvenanceRegistry event as it was logged (topics and data), in chain order: a shipment's history and the
 * source of the EPCIS export, decoded by the same code as the supplier CLI (scripts/lib/epcis.ts).
 */
export const provenanceEvent = onchainTable(
  "provenance_event",
  (t) => ({
    id: t.text().primaryKey(),
    name: t.text().notNull(),
    shipmentId: t.hex(),
    blockNumber: t.bigint().notNull(),
    blockTimestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    topics: t.hex().array().notNull(),
    data: t.hex().notNull(),
  }),
  (t) => ({
    byShipment: index().on(t.shipmentId, t.blockNumber, t.logIndex),
    byBlock: index().on(t.blockNumber, t.logIndex),
  }),
);

/** Cold-chain excursions per day and carrier (the shipment's holder when the reading was recorded). */
export const excursionCell = onchainTable(
  "excursion_cell",
  (t) => ({
    day: t.integer().notNull(),
    carrier: t.hex().notNull(),
    count: t.integer().notNull(),
  }),
  (t) => ({ pk: primaryKey({ columns: [t.day, t.carrier] }) }),
);

/** Suspect scans per day and verdict (scripts/lib/steps.ts SCAN_VERDICTS). */
export const suspectScanCell = onchainTable(
  "suspect_scan_cell",
  (t) => ({
    day: t.integer().notNull(),
    verdict: t.integer().notNull(),
    count: t.integer().notNull(),
  }),
  (t) => ({ pk: primaryKey({ columns: [t.day, t.verdict] }) }),
);

/** Consent grants, revocations and logged reads per day and data category: counts only. */
export const consentCell = onchainTable(
  "consent_cell",
  (t) => ({
    day: t.integer().notNull(),
    category: t.integer().notNull(),
    grants: t.integer().notNull(),
    revocations: t.integer().notNull(),
    reads: t.integer().notNull(),
  }),
  (t) => ({ pk: primaryKey({ columns: [t.day, t.category] }) }),
);

/** Records anchored per day and category (RecordRegistry): counts only. */
export const recordCell = onchainTable(
  "record_cell",
  (t) => ({
    day: t.integer().notNull(),
    category: t.integer().notNull(),
    anchored: t.integer().notNull(),
  }),
  (t) => ({ pk: primaryKey({ columns: [t.day, t.category] }) }),
);
