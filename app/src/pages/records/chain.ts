/** Chain reads of the records page (individual viem actions, so the chunk carries only what it calls). */
import type { Address, Client, Hex } from "viem";
import { readContract } from "viem/actions";

import { ROLE_IDS } from "../../../../scripts/lib/personas.ts";
import { authority, recordRegistry } from "../../contracts.ts";
import { fetchRecords } from "../citizen/chain.ts";
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
  const records = await fetchRecords(client, subject);
  return records.map((r) => ({ id: r.contentHash, issuer: r.issuer, category: r.category, anchoredAt: r.anchoredAt }));
}

/** The chain's anchor of a record id (subject zero: not anchored). */
export async function anchorOf(client: Client, id: Hex): Promise<ChainAnchor> {
  const a = await readContract(client, { ...recordRegistry, functionName: "anchorOf", args: [id] });
  return { subject: a.subject, category: a.category, issuer: a.issuer };
}
