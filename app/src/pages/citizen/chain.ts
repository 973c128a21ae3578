/**
 * Chain reads of the citizen, verifier and clinic pages: events (filtered by their indexed fields) plus the
 * current state from the registries' views. Every view is rebuilt from logs and `lotOf` / `doseOf` /
 * `grantOf`, as PRODUCT.md asks; nothing is cached beyond block timestamps (which never change).
 *
 * Functions take a viem `Client` (wagmi's `useClient()`) and use individual actions from `viem/actions`, so the
 * page chunk carries only what it calls.
 */
import type { Address, Client, Hex } from "viem";
import { getBlock, getContractEvents, readContract } from "viem/actions";

import { VACCINE_PRODUCTS } from "../../../../scripts/lib/vaccines.ts";
import { consentRegistry, recordRegistry, vaccineRegistry } from "../../contracts.ts";
import { deriveCurrentGrantKeys, type TimelineEntry, sortTimeline } from "./logic.ts";

// ---------------------------------------------------------------------------------------------------------
// Block times
// ---------------------------------------------------------------------------------------------------------

const blockTimes = new Map<bigint, number>();

/** Unix seconds of each block (looked up once per block number). */
export async function timesOf(client: Client, blockNumbers: readonly bigint[]): Promise<Map<bigint, number>> {
  const missing = [...new Set(blockNumbers)].filter((n) => !blockTimes.has(n));
  await Promise.all(
    missing.map(async (blockNumber) => {
      const block = await getBlock(client, { blockNumber });
      blockTimes.set(blockNumber, Number(block.timestamp));
    }),
  );
  return new Map(blockNumbers.map((n) => [n, blockTimes.get(n) ?? 0]));
}

/** The chain's idea of "now": the pending block's timestamp (it moves with the clock even when no block is mined). */
export async function chainNow(client: Client): Promise<number> {
  try {
    return Number((await getBlock(client, { blockTag: "pending" })).timestamp);
  } catch {
    return Number((await getBlock(client, { blockTag: "latest" })).timestamp);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Lots
// ---------------------------------------------------------------------------------------------------------

export interface LotInfo {
  readonly lotId: number;
  readonly gtin: string;
  readonly lotNumber: string;
  readonly manufacturer: Address;
  readonly doseCount: number;
  readonly dosesRecorded: number;
  /** Unix seconds, exclusive. */
  readonly expiresAt: number;
  readonly state: number;
  /** Reason code of the recall or non-conformance report, when there was one (the recall wins). */
  readonly reason: number | null;
}

/**
 * Every registered lot: identity from `LotRegistered`, current facts (state, doses recorded) from `lotOf`, and
 * the reason of a recall or non-conformance report from `LotRecalled` / `LotNonConformant`.
 */
export async function fetchLots(client: Client): Promise<Map<number, LotInfo>> {
  const [logs, recalls, reports] = await Promise.all([
    getContractEvents(client, { ...vaccineRegistry, eventName: "LotRegistered", fromBlock: 0n, strict: true }),
    getContractEvents(client, { ...vaccineRegistry, eventName: "LotRecalled", fromBlock: 0n, strict: true }),
    getContractEvents(client, { ...vaccineRegistry, eventName: "LotNonConformant", fromBlock: 0n, strict: true }),
  ]);
  const reasons = new Map<number, number>();
  for (const r of reports) reasons.set(r.args.lotId, r.args.reason);
  for (const r of recalls) reasons.set(r.args.lotId, r.args.reason);
  const lots = await Promise.all(
    logs.map(async (log): Promise<LotInfo> => {
      const view = await readContract(client, { ...vaccineRegistry, functionName: "lotOf", args: [log.args.lotId] });
      return {
        lotId: log.args.lotId,
        gtin: log.args.gtin.toString().padStart(14, "0"),
        lotNumber: log.args.lotNumber,
        manufacturer: view.manufacturer,
        doseCount: view.doseCount,
        dosesRecorded: view.dosesRecorded,
        expiresAt: view.expiresAt,
        state: view.state,
        reason: reasons.get(log.args.lotId) ?? null,
      };
    }),
  );
  return new Map(lots.map((l) => [l.lotId, l]));
}

/** The product of a GTIN in the demo catalogue (off-chain data), or null. */
export function productOf(gtin: string): { readonly en: string; readonly zh: string } | null {
  const found = Object.values(VACCINE_PRODUCTS).find((p) => p.gtin === gtin);
  return found === undefined ? null : found.name;
}

// ---------------------------------------------------------------------------------------------------------
// Doses
// ---------------------------------------------------------------------------------------------------------

export interface DoseItem {
  readonly doseId: Hex;
  readonly citizen: Address;
  readonly clinic: Address;
  readonly lotId: number;
  readonly doseNumber: number;
  readonly district: number;
  /** Unix seconds of the recording block. */
  readonly recordedAt: number;
  readonly confirmed: boolean;
  readonly verified: boolean;
  readonly voided: boolean;
  /** Current state of the dose's lot. */
  readonly lotState: number;
}

async function dosesOf(client: Client, filter: { citizen?: Address; clinic?: Address }): Promise<DoseItem[]> {
  const logs = await getContractEvents(client, {
    ...vaccineRegistry,
    eventName: "DoseRecorded",
    args: filter,
    fromBlock: 0n,
    strict: true,
  });
  const times = await timesOf(client, logs.map((l) => l.blockNumber));
  const items = await Promise.all(
    logs.map(async (log): Promise<DoseItem> => {
      const view = await readContract(client, { ...vaccineRegistry, functionName: "doseOf", args: [log.args.doseId] });
      return {
        doseId: log.args.doseId,
        citizen: log.args.citizen,
        clinic: log.args.clinic,
        lotId: log.args.lotId,
        doseNumber: log.args.doseNumber,
        district: log.args.district,
        recordedAt: times.get(log.blockNumber) ?? 0,
        confirmed: view.confirmed,
        verified: view.verified,
        voided: view.voided,
        lotState: view.lotState,
      };
    }),
  );
  return items.sort((a, b) => b.recordedAt - a.recordedAt);
}

/** The doses recorded for a citizen, newest first, with their current confirmation and lot state. */
export const fetchCitizenDoses = (client: Client, citizen: Address) => dosesOf(client, { citizen });

/** The doses a clinic recorded, newest first. */
export const fetchClinicDoses = (client: Client, clinic: Address) => dosesOf(client, { clinic });

/** One dose's recording (for the verifier: its date and lot), or null when no such dose was recorded. */
export async function fetchDoseRecord(client: Client, doseId: Hex): Promise<DoseItem | null> {
  const logs = await getContractEvents(client, {
    ...vaccineRegistry,
    eventName: "DoseRecorded",
    args: { doseId },
    fromBlock: 0n,
    strict: true,
  });
  const log = logs[0];
  if (log === undefined) return null;
  const [view, times] = await Promise.all([
    readContract(client, { ...vaccineRegistry, functionName: "doseOf", args: [doseId] }),
    timesOf(client, [log.blockNumber]),
  ]);
  return {
    doseId,
    citizen: log.args.citizen,
    clinic: log.args.clinic,
    lotId: log.args.lotId,
    doseNumber: log.args.doseNumber,
    district: log.args.district,
    recordedAt: times.get(log.blockNumber) ?? 0,
    confirmed: view.confirmed,
    verified: view.verified,
    voided: view.voided,
    lotState: view.lotState,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Records (anchors only: category, issuer, date; never a payload)
// ---------------------------------------------------------------------------------------------------------

export interface RecordItem {
  readonly contentHash: Hex;
  readonly issuer: Address;
  readonly category: number;
  readonly anchoredAt: number;
}

export async function fetchRecords(client: Client, subject: Address): Promise<RecordItem[]> {
  const logs = await getContractEvents(client, {
    ...recordRegistry,
    eventName: "RecordAnchored",
    args: { subject },
    fromBlock: 0n,
    strict: true,
  });
  const times = await timesOf(client, logs.map((l) => l.blockNumber));
  return logs
    .map((log) => ({
      contentHash: log.args.contentHash,
      issuer: log.args.issuer,
      category: log.args.category,
      anchoredAt: times.get(log.blockNumber) ?? 0,
    }))
    .sort((a, b) => b.anchoredAt - a.anchoredAt);
}

// ---------------------------------------------------------------------------------------------------------
// Consent: current grants and the timeline
// ---------------------------------------------------------------------------------------------------------

export interface GrantItem {
  readonly grantee: Address;
  readonly category: number;
  readonly purpose: number;
  readonly grantedAt: number;
  readonly expiresAt: number;
}

export interface ConsentHistory {
  /** Every grant still stored (live or expired, not revoked). */
  readonly grants: GrantItem[];
  /** Every grant, revocation and logged read, newest first. */
  readonly timeline: TimelineEntry[];
}

export async function fetchConsent(client: Client, citizen: Address): Promise<ConsentHistory> {
  const [granted, revoked, reads] = await Promise.all([
    getContractEvents(client, { ...consentRegistry, eventName: "ConsentGranted", args: { citizen }, fromBlock: 0n, strict: true }),
    getContractEvents(client, { ...consentRegistry, eventName: "ConsentRevoked", args: { citizen }, fromBlock: 0n, strict: true }),
    getContractEvents(client, { ...consentRegistry, eventName: "AccessLogged", args: { citizen }, fromBlock: 0n, strict: true }),
  ]);
  const times = await timesOf(client, [...granted, ...revoked, ...reads].map((l) => l.blockNumber));
  const at = (l: { blockNumber: bigint }) => times.get(l.blockNumber) ?? 0;

  const timeline = sortTimeline([
    ...granted.map((l): TimelineEntry => ({
      kind: "granted",
      blockNumber: l.blockNumber,
      logIndex: l.logIndex,
      time: at(l),
      party: l.args.grantee,
      category: l.args.category,
      purpose: l.args.purpose,
      expiresAt: Number(l.args.expiresAt),
    })),
    ...revoked.map((l): TimelineEntry => ({
      kind: "revoked",
      blockNumber: l.blockNumber,
      logIndex: l.logIndex,
      time: at(l),
      party: l.args.grantee,
      category: l.args.category,
    })),
    ...reads.map((l): TimelineEntry => ({
      kind: "read",
      blockNumber: l.blockNumber,
      logIndex: l.logIndex,
      time: at(l),
      party: l.args.reader,
      category: l.args.category,
    })),
  ]);

  const keys = deriveCurrentGrantKeys(granted.map((l) => ({ grantee: l.args.grantee, category: l.args.category })));
  const stored = await Promise.all(
    keys.map(async ({ grantee, category }) => {
      const g = await readContract(client, { ...consentRegistry, functionName: "grantOf", args: [citizen, grantee, category] });
      return { grantee, category, purpose: g.purpose, grantedAt: Number(g.grantedAt), expiresAt: Number(g.expiresAt) };
    }),
  );
  const grants = stored.filter((g) => g.expiresAt !== 0).sort((a, b) => b.grantedAt - a.grantedAt);
  return { grants, timeline };
}
