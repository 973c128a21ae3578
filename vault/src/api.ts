/**
 * The vault's HTTP answers, as types: one definition for the service (vault.ts, schemas.ts) and its client in
 * the app (app/src/lib/vault.ts). Type-only and dependency-free (viem's types), so the browser can import it.
 */
import type { Address, Hex } from "viem";

export type RecordStatus = "awaiting-anchor" | "anchored" | "anchor-conflict";

/** What the vault says about a record without serving it (all of it is public on chain once anchored). */
export interface RecordSummary {
  readonly id: Hex;
  readonly subject: Address;
  readonly issuer: Address;
  readonly category: number;
  readonly categoryName: string;
  readonly status: RecordStatus;
  readonly source: "upload" | "seed-import";
  readonly documentBytes: number;
  readonly createdAt: string;
  readonly anchoredAt: string | null;
}

/** The transaction the issuer's wallet sends to anchor an uploaded record. */
export interface AnchorCall {
  readonly chainId: number;
  readonly to: Address;
  readonly functionName: "anchor";
  readonly args: readonly [Address, number, Hex];
  readonly data: Hex;
}

/** What `POST /records` answers (201 when new, 200 when the same document was filed before). */
export interface UploadAnswer {
  readonly record: RecordSummary;
  readonly anchorCall: AnchorCall | null;
}

/** A served record: the exact document text (keccak-256 of it is the id) and the anchor it was checked against. */
export interface ServedRecord {
  readonly record: RecordSummary;
  readonly document: string;
  readonly anchor: {
    readonly registry: Address;
    readonly chainId: number;
    readonly subject: Address;
    readonly category: number;
    readonly issuer: Address;
    readonly anchoredAt: string;
  };
  readonly access: {
    readonly reader: Address;
    readonly self: boolean;
    readonly block: string;
    readonly txHash: Hex | null;
    readonly logBlockNumber: string | null;
  };
}

export interface AccessLogEntry {
  readonly recordId: Hex;
  readonly citizen: Address;
  readonly reader: Address;
  readonly category: number;
  readonly self: boolean;
  readonly txHash: Hex | null;
  readonly blockNumber: string | null;
  readonly servedAt: string;
}
