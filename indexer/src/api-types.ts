/**
 * The indexer's HTTP answers (src/api/index.ts), type-only: shared by the indexer and the app's dashboard client so
 * both sides read one definition. Dates are China Standard Time calendar days, `YYYY-MM-DD`.
 */
import type { PeopleCount } from "./privacy.ts";

/** The block range an answer covers: from the deployment block to the last block indexed when it was read. */
export interface Coverage {
  readonly chainId: number;
  readonly fromBlock: number;
  readonly toBlock: number;
  /** Time of `toBlock`, ISO 8601. */
  readonly toBlockTime: string;
}

/** Filters every `/stats/*` route accepts (query string); all optional. */
export interface StatsQuery {
  /** First day, inclusive. */
  readonly from?: string;
  /** Last day, inclusive. */
  readonly to?: string;
  /** GB/T 2260 district code (doses). */
  readonly district?: string;
  /** Manufacturer address (doses, lots, shipments). */
  readonly manufacturer?: string;
  /** Period of the time series (default day). */
  readonly granularity?: "day" | "week";
}

export interface OrganisationEntry {
  readonly address: string;
  readonly kind: number;
  readonly district: number;
  readonly name: string;
  readonly localName: string;
}

export interface LotEntry {
  readonly lotId: number;
  readonly lotNumber: string;
  readonly manufacturer: string;
  readonly gtin: string;
  /** scripts/lib/vaccines.ts LotState; 4 (expired) when past its expiry and neither recalled nor non-conformant. */
  readonly state: number;
}

/** `GET /stats/meta`: what the filters offer. */
export interface MetaAnswer {
  readonly coverage: Coverage;
  /** First and last day with any indexed event, or null before the first. */
  readonly firstDay: string | null;
  readonly lastDay: string | null;
  readonly districts: readonly number[];
  readonly manufacturers: readonly OrganisationEntry[];
  readonly carriers: readonly OrganisationEntry[];
  readonly lots: readonly LotEntry[];
}

/** One point of a people series: a period and a key (manufacturer address, lot id or district code). */
export interface PeopleSeriesPoint {
  /** First day of the period. */
  readonly period: string;
  readonly key: string;
  readonly count: PeopleCount;
}

/** One finest dose cell: day × lot × district. */
export interface DoseCellRow {
  readonly day: string;
  readonly lotId: number;
  readonly lotNumber: string;
  readonly manufacturer: string;
  readonly district: number;
  readonly recorded: PeopleCount;
  readonly confirmed: PeopleCount;
}

/** `GET /stats/doses`: doses recorded per period by manufacturer, lot and district, and the cells. */
export interface DosesAnswer {
  readonly coverage: Coverage;
  readonly granularity: "day" | "week";
  readonly byManufacturer: readonly PeopleSeriesPoint[];
  readonly byLot: readonly PeopleSeriesPoint[];
  readonly byDistrict: readonly PeopleSeriesPoint[];
  /** Day × lot × district cells (always daily), newest first. */
  readonly cells: readonly DoseCellRow[];
  readonly total: PeopleCount;
}

/** `GET /stats/lots`: lots by state (goods: exact counts). */
export interface LotsAnswer {
  readonly coverage: Coverage;
  readonly byState: readonly {
    readonly state: number;
    readonly count: number;
  }[];
  readonly lots: readonly (LotEntry & {
    readonly dosesRecorded: number;
    readonly doseCount: number;
  })[];
}

/** `GET /stats/shipments`: custody of goods (exact counts). */
export interface ShipmentsAnswer {
  readonly coverage: Coverage;
  readonly inTransit: number;
  readonly delivered: number;
  /** Shipments created per period, split by whether they are delivered now. */
  readonly createdByPeriod: readonly {
    readonly period: string;
    readonly inTransit: number;
    readonly delivered: number;
  }[];
  readonly excursionsByPeriod: readonly {
    readonly period: string;
    readonly count: number;
  }[];
  readonly excursionsByCarrier: readonly {
    readonly carrier: string;
    readonly count: number;
  }[];
  /** scripts/lib/steps.ts SCAN_VERDICTS codes. */
  readonly suspectScansByPeriod: readonly {
    readonly period: string;
    readonly verdict: number;
    readonly count: number;
  }[];
}

/** `GET /stats/consent`: grants, revocations and reads per period and category (people: "<5" rule). */
export interface ConsentAnswer {
  readonly coverage: Coverage;
  readonly rows: readonly {
    readonly period: string;
    readonly category: number;
    readonly grants: PeopleCount;
    readonly revocations: PeopleCount;
    readonly reads: PeopleCount;
  }[];
}

/** One event of a shipment's history. */
export interface HistoryEntry {
  readonly name: string;
  readonly blockNumber: number;
  readonly logIndex: number;
  readonly transactionHash: string;
  /** ISO 8601 block time. */
  readonly time: string;
  /** The event's decoded fields (bigints as decimal strings). */
  readonly args: Readonly<Record<string, string | number | boolean>>;
}

/** `GET /shipments/:id/history`. */
export interface HistoryAnswer {
  readonly coverage: Coverage;
  readonly shipmentId: string;
  readonly events: readonly HistoryEntry[];
}

/** Every refusal: a code the app turns into a sentence, and the same sentence in English. */
export interface IndexerError {
  readonly error: "IndexerBadQuery" | "IndexerNotFound" | "IndexerEpcisFailed";
  readonly message: string;
}
