/**
 * ProvenanceRegistry events as the indexer keeps them (topics and data, ponder.schema.ts `provenance_event`) turned
 * back into decoded events and EPCIS 2.0 documents by the project's one EPCIS mapping (scripts/lib/epcis.ts), the
 * same code as `npm run epcis` and the supplier CLI.
 */
import { decodeEventLog, type Hex } from "viem";

import { provenanceRegistryAbi } from "../../app/src/generated/healthtrace.ts";
import {
  buildEpcisDocument,
  decodeProvenanceLog,
  EpcisBuildError,
  type EpcisDocument,
  type LogParser,
  type ProvenanceEvent,
} from "../../scripts/lib/epcis.ts";
import { unpackStep } from "../../scripts/lib/steps.ts";
import { deployment } from "./deployment.ts";

/** A `provenance_event` row. */
export interface ProvenanceRow {
  readonly blockNumber: bigint;
  readonly blockTimestamp: bigint;
  readonly transactionHash: Hex;
  readonly logIndex: number;
  readonly topics: readonly Hex[];
  readonly data: Hex;
}

/** viem's decoder with the ProvenanceRegistry ABI, in the positional shape scripts/lib/epcis.ts reads. */
const parse: LogParser = (log) => {
  try {
    const decoded = decodeEventLog({
      abi: provenanceRegistryAbi,
      topics: log.topics as [Hex, ...Hex[]],
      data: log.data as Hex,
    });
    const item = provenanceRegistryAbi.find((i) => i.type === "event" && i.name === decoded.eventName);
    if (item === undefined || item.type !== "event") return null;
    const args = decoded.args as unknown as Record<string, unknown>;
    return {
      name: decoded.eventName,
      args: item.inputs.map((input) => args[input.name]),
    };
  } catch {
    return null;
  }
};

/** The decoded event of a row. Throws `EpcisBuildError` when the row is not a ProvenanceRegistry event. */
export function decodeRow(row: ProvenanceRow): ProvenanceEvent {
  const event = decodeProvenanceLog(
    {
      blockNumber: row.blockNumber,
      transactionHash: row.transactionHash,
      logIndex: row.logIndex,
      topics: row.topics,
      data: row.data,
    },
    Number(row.blockTimestamp),
    parse,
  );
  if (event === null) throw new EpcisBuildError(`log ${row.transactionHash}:${row.logIndex} is not a ProvenanceRegistry event`);
  return event;
}

/** An event's own fields for the history answer: bigints as decimal strings, a custody step unpacked. */
export function historyArgs(event: ProvenanceEvent): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === "name" || key === "log") continue;
    out[key] = typeof value === "bigint" ? value.toString() : (value as string | number | boolean);
  }
  if (event.name === "CustodyStepRecorded") {
    const step = unpackStep(event.step);
    out.bizStep = step.bizStep;
    out.disposition = step.disposition;
    out.readPoint = step.readPoint.toString();
    out.eventTime = step.eventTime;
    if (step.temperatureCentiC !== null) out.temperatureCentiC = step.temperatureCentiC;
  }
  return out;
}

/** The EPCIS 2.0 document of `rows` (in range) with `lookups` (identities and locations from before the range). */
export function buildExport(
  rows: readonly ProvenanceRow[],
  lookups: readonly ProvenanceRow[],
  range: {
    chainId: number;
    fromBlock: number;
    toBlock: number;
    shipmentId: string | null;
  },
): EpcisDocument {
  return buildEpcisDocument(rows.map(decodeRow), {
    chainId: range.chainId,
    registry: deployment.contracts.ProvenanceRegistry,
    fromBlock: range.fromBlock,
    toBlock: range.toBlock,
    shipmentId: range.shipmentId,
    lookups: lookups.map(decodeRow),
  });
}
