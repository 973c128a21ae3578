/** Chain reads of the records page (individual viem actions, so the chunk carries only what it calls). */
import type { Address, Client, Hex } from "viem";
import { getBlock, getContractEvents, readContract } from "viem/actions";

import { ROLE_IDS } from "../../../../scripts/lib/personas.ts";
import { authority, recordRegistry } from "../../contracts.ts";
import type { ChainAnchor } from "./logic.ts";

/** Whether the account holds RECORD_ISSUER_ROLE (may file records; the vault also checks the organisation is active). */
export async function isRecordIssuer(client: Client, account: Address): Promise<boolean> {
  return readContract(client, {
    ...authority,
    functionName: "hasRole",
    args: [ROLE_IDS.RECORD_ISSUER_ROLE as Hex, account],
  });
}

export interface AnchoredRecord {
  readonly id: Hex;
  readonly issuer: Address;
  readonly category: number;
  /** Unix seconds of the anchoring block. */
  readonly anchoredAt: number;
}

/** The records anchored about a citizen (RecordAnchored events: metadata only), newest first. */
export async function fetchAnchoredRecords(client: Client, subject: Address): Promise<AnchoredRecord[]> {
  const logs = await getContractEvents(client, {
    ...recordRegistry,
    eventName: "RecordAnchored",
    args: { subject },
    fromBlock: 0n,
    strict: true,
  });
  const blocks = [...new Set(logs.map((l) => l.blockNumber))];
  const times = new Map(
    await Promise.all(blocks.map(async (n) => [n, Number((await getBlock(client, { blockNumber: n })).timestamp)] as const)),
  );
  return logs
    .map((l) => ({ id: l.args.contentHash, issuer: l.args.issuer, category: l.args.category, anchoredAt: times.get(l.blockNumber) ?? 0 }))
    .sort((a, b) => b.anchoredAt - a.anchoredAt);
}

/** The chain's anchor of a record id (subject zero: not anchored). */
export async function anchorOf(client: Client, id: Hex): Promise<ChainAnchor> {
  const a = await readContract(client, { ...recordRegistry, functionName: "anchorOf", args: [id] });
  return { subject: a.subject, category: a.category, issuer: a.issuer };
}
