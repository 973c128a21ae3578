/** Pure rules of the records page (unit-tested): the reader's own integrity check of a served record. */
import { type Address, type Hex, zeroAddress } from "viem";

import { recordIdOf } from "../../../../scripts/lib/records.ts";
import type { RecordSummary } from "../../lib/vault.ts";

/** A RecordRegistry anchor as `anchorOf(id)` returns it. */
export interface ChainAnchor {
  readonly subject: Address;
  readonly category: number;
  readonly issuer: Address;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * Whether a served document is the record: keccak-256 of its exact UTF-8 text equals the record id, and the
 * chain's anchor of that id exists and names the citizen, category and issuer the vault says.
 */
export function verifyRecord(
  document: string,
  recordId: Hex,
  served: { readonly subject: Address; readonly category: number; readonly issuer: Address },
  onChain: ChainAnchor,
): boolean {
  return (
    same(recordIdOf(document), recordId) &&
    !same(onChain.subject, zeroAddress) &&
    same(onChain.subject, served.subject) &&
    onChain.category === served.category &&
    same(onChain.issuer, served.issuer)
  );
}

/** The document for display: pretty-printed JSON when it parses, else as is. */
export function prettyDocument(document: string): string {
  try {
    return JSON.stringify(JSON.parse(document), null, 2);
  } catch {
    return document;
  }
}

/** When a record was filed (Unix seconds): the earlier of its upload to the vault and its anchor (seed records were anchored before the vault imported them). */
export function filedAt(r: Pick<RecordSummary, "createdAt" | "anchoredAt">): number {
  const created = Date.parse(r.createdAt);
  const anchored = r.anchoredAt === null ? created : Date.parse(r.anchoredAt);
  return Math.floor(Math.min(created, anchored) / 1000);
}
