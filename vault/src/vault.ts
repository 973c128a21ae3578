/**
 * The record vault's rules, independent of HTTP: sign-in, upload, listing, reading and the access log.
 *
 * The chain decides; the vault obeys:
 * - a record is stored encrypted and is never served before its hash is anchored on chain with the same
 *   citizen, category and issuer;
 * - a read is served to the citizen themself, or to a reader for whom `hasAccess(citizen, reader, category)`
 *   is true at the latest block; a third-party read is logged on chain (`logAccess`, receipt awaited) before
 *   the record leaves the vault, and kept in the local access log;
 * - the served document is checked against the record id and the on-chain hash first: a mismatch is refused;
 * - if the chain cannot be asked, nothing is served.
 */
import { createHash, randomBytes } from "node:crypto";

import { type Address, encodeFunctionData, getAddress, type Hex, isAddress, zeroAddress } from "viem";

import { CATEGORY_LABELS, type CategoryCode } from "../../scripts/lib/personas.ts";
import {
  makeRecordDocument,
  parseRecordDocument,
  type RecordBody,
  RecordDocumentError,
  type RecordDocumentFields,
  recordIdOf,
} from "../../scripts/lib/records.ts";
import type { AccessLogEntry, AnchorCall, RecordStatus, RecordSummary, ServedRecord, UploadAnswer } from "./api.ts";
import { type Anchor, type Moment, recordRegistryAbi, type VaultChain } from "./chain.ts";
import { seal, SealBroken, unseal, WrongMasterKey } from "./crypto.ts";
import { VaultError } from "./errors.ts";
import { checkSiweMessage, type SiweRules } from "./siwe.ts";
import { bytes, type Store } from "./store.ts";

export interface VaultSettings {
  readonly siwe: SiweRules;
  /** Lifetime of a sign-in nonce (ms). */
  readonly nonceTtlMs: number;
  /** Lifetime of a session (ms); a message's Expiration Time shortens it. */
  readonly sessionTtlMs: number;
  /** 32-byte master key that wraps each record's data key. */
  readonly masterKey: Uint8Array;
  /** The vault's clock (ms since the epoch). */
  readonly now: () => number;
}

/** A signed-in account. */
export interface Session {
  readonly address: Address;
  readonly chainId: number;
  readonly expiresAt: Date;
}

export type UploadInput =
  | { readonly subject: string; readonly category: number; readonly body: RecordBody }
  | { readonly document: string };

export interface UploadResult extends UploadAnswer {
  readonly created: boolean;
}

/** One record of `.dev/records.json` (written by the seed). */
export interface SeedRecord {
  readonly contentHash: string;
  readonly subject: string;
  readonly issuer: string;
  readonly category: number;
  readonly document: string;
}

interface RecordRow {
  id: string;
  subject: string;
  issuer: string;
  category: number;
  status: RecordStatus;
  source: "upload" | "seed-import";
  ciphertext: Uint8Array;
  iv: Uint8Array;
  tag: Uint8Array;
  wrapped_key: Uint8Array;
  key_iv: Uint8Array;
  key_tag: Uint8Array;
  master_key_id: string;
  document_bytes: number;
  created_at: Date;
  anchored_at: Date | null;
}

const RECORD_COLUMNS =
  "id, subject, issuer, category, status, source, ciphertext, iv, tag, wrapped_key, key_iv, key_tag, master_key_id, " +
  "document_bytes, created_at, anchored_at";

/** The longest record document accepted (bytes of UTF-8). */
export const MAX_DOCUMENT_BYTES = 256 * 1024;

const lower = (a: string): string => a.toLowerCase();
const iso = (d: Date): string => d.toISOString();
const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

function summary(row: RecordRow): RecordSummary {
  return {
    id: row.id as Hex,
    subject: getAddress(row.subject),
    issuer: getAddress(row.issuer),
    category: Number(row.category),
    categoryName: CATEGORY_LABELS[Number(row.category) as CategoryCode].en,
    status: row.status,
    source: row.source,
    documentBytes: Number(row.document_bytes),
    createdAt: iso(new Date(row.created_at)),
    anchoredAt: row.anchored_at === null ? null : iso(new Date(row.anchored_at)),
  };
}

function sameAnchor(anchor: Anchor, subject: string, category: number, issuer: string): boolean {
  return lower(anchor.subject) === lower(subject) && anchor.category === category && lower(anchor.issuer) === lower(issuer);
}

export class RecordVault {
  readonly store: Store;
  readonly chain: VaultChain;
  readonly #settings: VaultSettings;

  constructor(store: Store, chain: VaultChain, settings: VaultSettings) {
    this.store = store;
    this.chain = chain;
    this.#settings = settings;
  }

  // -------------------------------------------------------------------------------------------------------
  // Sign-in with Ethereum and sessions
  // -------------------------------------------------------------------------------------------------------

  /** A fresh single-use nonce, optionally reserved for one address. */
  async issueNonce(address?: string): Promise<{ nonce: string; expiresAt: string }> {
    const now = this.#settings.now();
    const nonce = randomBytes(16).toString("hex");
    const expiresAt = new Date(now + this.#settings.nonceTtlMs);
    // Housekeeping: nonces and sessions long past their expiry are of no use to anyone.
    const horizon = new Date(now - 24 * 60 * 60 * 1000);
    await this.store.query("DELETE FROM nonces WHERE expires_at < $1", [horizon]);
    await this.store.query("DELETE FROM sessions WHERE expires_at < $1", [horizon]);
    await this.store.query("INSERT INTO nonces (nonce, address, issued_at, expires_at) VALUES ($1, $2, $3, $4)", [
      nonce,
      address === undefined ? null : lower(address),
      new Date(now),
      expiresAt,
    ]);
    return { nonce, expiresAt: iso(expiresAt) };
  }

  /**
   * Verify a signed EIP-4361 message and open a session. Every field is checked, then the nonce's state, then
   * the signature; only then is the nonce consumed, in one conditional UPDATE, so that of many sign-ins racing on
   * one nonce exactly one wins, and a refused attempt leaves the nonce usable.
   */
  async signIn(message: string, signature: Hex): Promise<{ token: string; address: Address; chainId: number; expiresAt: string }> {
    const now = this.#settings.now();
    const chainId = await this.chain.chainId();
    const siwe = checkSiweMessage(message, this.#settings.siwe, chainId, now);

    const [stored] = await this.store.query<{ address: string | null; expires_at: Date; used_at: Date | null }>(
      "SELECT address, expires_at, used_at FROM nonces WHERE nonce = $1",
      [siwe.nonce],
    );
    if (stored === undefined) throw new VaultError("VaultSiweNonceUnknown");
    if (stored.used_at !== null) throw new VaultError("VaultSiweNonceUsed");
    if (new Date(stored.expires_at).getTime() <= now) throw new VaultError("VaultSiweNonceExpired");
    if (stored.address !== null && stored.address !== lower(siwe.address)) {
      throw new VaultError("VaultSiweNonceWrongAddress");
    }

    if (!(await this.chain.verifyMessageSignature(siwe.address, message, signature))) {
      throw new VaultError("VaultSiweBadSignature");
    }

    const token = randomBytes(32).toString("base64url");
    const expiresAt = new Date(
      Math.min(now + this.#settings.sessionTtlMs, siwe.expirationTime?.getTime() ?? Number.POSITIVE_INFINITY),
    );
    await this.store.transaction(async (tx) => {
      const consumed = await tx.query<{ nonce: string }>(
        `UPDATE nonces SET used_at = $2, used_by = $3
          WHERE nonce = $1 AND used_at IS NULL AND expires_at > $2 AND (address IS NULL OR address = $3)
          RETURNING nonce`,
        [siwe.nonce, new Date(now), lower(siwe.address)],
      );
      if (consumed.length !== 1) throw new VaultError("VaultSiweNonceUsed", "consumed by a concurrent sign-in");
      await tx.query(
        "INSERT INTO sessions (token_hash, address, chain_id, nonce, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        [sha256(token), lower(siwe.address), chainId, siwe.nonce, new Date(now), expiresAt],
      );
    });
    return { token, address: siwe.address, chainId, expiresAt: iso(expiresAt) };
  }

  /** The session of a bearer token. */
  async authenticate(token: string | undefined): Promise<Session> {
    if (token === undefined || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw new VaultError("VaultUnauthenticated");
    const [row] = await this.store.query<{ address: string; chain_id: string | number; expires_at: Date }>(
      "SELECT address, chain_id::text AS chain_id, expires_at FROM sessions WHERE token_hash = $1",
      [sha256(token)],
    );
    if (row === undefined) throw new VaultError("VaultUnauthenticated");
    if (new Date(row.expires_at).getTime() <= this.#settings.now()) throw new VaultError("VaultSessionExpired");
    if (Number(row.chain_id) !== (await this.chain.chainId())) throw new VaultError("VaultSessionWrongChain");
    return { address: getAddress(row.address), chainId: Number(row.chain_id), expiresAt: new Date(row.expires_at) };
  }

  async signOut(token: string): Promise<void> {
    await this.store.query("DELETE FROM sessions WHERE token_hash = $1", [sha256(token)]);
  }

  // -------------------------------------------------------------------------------------------------------
  // Upload (providers)
  // -------------------------------------------------------------------------------------------------------

  /**
   * Store a record filed by the signed-in provider. The vault builds the salted document (records.ts) from
   * `{ subject, category, body }`, or takes a document the provider built with the same module. Refused unless the
   * provider holds RECORD_ISSUER_ROLE and is active, and if the hash is already anchored with other terms.
   */
  async upload(session: Session, input: UploadInput): Promise<UploadResult> {
    const at = await this.chain.moment();
    if (!(await this.chain.isProvider(session.address, at))) throw new VaultError("VaultNotProvider");

    let text: string;
    let doc: RecordDocumentFields;
    if ("document" in input) {
      text = input.document;
      try {
        doc = parseRecordDocument(text);
      } catch (error) {
        if (error instanceof RecordDocumentError) throw new VaultError("VaultDocumentInvalid", error.message);
        throw error;
      }
      if (lower(doc.issuer) !== lower(session.address)) throw new VaultError("VaultDocumentIssuerMismatch");
    } else {
      if (!isAddress(input.subject, { strict: false })) throw new VaultError("VaultBadRequest", "subject is not an address");
      if (!Object.hasOwn(CATEGORY_LABELS, input.category)) throw new VaultError("VaultBadRequest", "unknown category");
      const built = makeRecordDocument(
        getAddress(input.subject),
        session.address,
        input.category as CategoryCode,
        Math.floor(this.#settings.now() / 1000),
        input.body,
        { synthetic: false },
      );
      text = built.text;
      doc = parseRecordDocument(text);
    }
    if (lower(doc.subject) === lower(zeroAddress)) throw new VaultError("VaultDocumentInvalid", "the subject is the zero address");
    const size = Buffer.byteLength(text, "utf8");
    if (size > MAX_DOCUMENT_BYTES) throw new VaultError("VaultPayloadTooLarge", `document of ${size} bytes`);

    const id = recordIdOf(text);
    const anchor = await this.chain.anchorOf(id, at);
    if (anchor !== null && !sameAnchor(anchor, doc.subject, doc.category, doc.issuer)) {
      throw new VaultError("VaultAnchorConflict", `record ${id}`);
    }

    const [existing] = await this.store.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM records WHERE id = $1`, [id]);
    let row: RecordRow;
    let created = false;
    if (existing !== undefined) {
      row = await this.#applyAnchor(existing, anchor);
    } else {
      const sealed = seal(this.#settings.masterKey, id, Buffer.from(text, "utf8"));
      const rows = await this.store.query<RecordRow>(
        `INSERT INTO records (id, subject, issuer, category, status, source, ciphertext, iv, tag, wrapped_key, key_iv, key_tag,
                              master_key_id, document_bytes, created_at, anchored_at)
         VALUES ($1, $2, $3, $4, $5, 'upload', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT (id) DO NOTHING
         RETURNING ${RECORD_COLUMNS}`,
        [
          id,
          lower(doc.subject),
          lower(doc.issuer),
          doc.category,
          anchor === null ? "awaiting-anchor" : "anchored",
          sealed.ciphertext,
          sealed.iv,
          sealed.tag,
          sealed.wrappedKey,
          sealed.keyIv,
          sealed.keyTag,
          sealed.masterKeyId,
          size,
          new Date(this.#settings.now()),
          anchor === null ? null : new Date(anchor.anchoredAt * 1000),
        ],
      );
      if (rows[0] === undefined) {
        // The same document uploaded twice at the same moment: the other upload stored it.
        const [again] = await this.store.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM records WHERE id = $1`, [id]);
        row = again;
      } else {
        row = rows[0];
        created = true;
      }
    }
    const record = summary(row);
    return { created, record, anchorCall: record.status === "awaiting-anchor" ? await this.#anchorCall(record) : null };
  }

  async #anchorCall(record: RecordSummary): Promise<AnchorCall> {
    const args = [record.subject, record.category, record.id] as const;
    return {
      chainId: await this.chain.chainId(),
      to: this.chain.recordRegistry,
      functionName: "anchor",
      args,
      data: encodeFunctionData({ abi: recordRegistryAbi, functionName: "anchor", args }),
    };
  }

  /** Bring a row's status in line with the chain's anchor (the chain is the truth). */
  async #applyAnchor(row: RecordRow, anchor: Anchor | null): Promise<RecordRow> {
    let status: RecordStatus;
    if (anchor === null) status = "awaiting-anchor";
    else status = sameAnchor(anchor, row.subject, Number(row.category), row.issuer) ? "anchored" : "anchor-conflict";
    const anchoredAt = status === "anchored" && anchor !== null ? new Date(anchor.anchoredAt * 1000) : null;
    if (status === row.status && (anchoredAt?.getTime() ?? null) === (row.anchored_at === null ? null : new Date(row.anchored_at).getTime())) {
      return row;
    }
    const [updated] = await this.store.query<RecordRow>(
      `UPDATE records SET status = $2, anchored_at = $3 WHERE id = $1 RETURNING ${RECORD_COLUMNS}`,
      [row.id, status, anchoredAt],
    );
    return updated ?? row;
  }

  // -------------------------------------------------------------------------------------------------------
  // Listing
  // -------------------------------------------------------------------------------------------------------

  /** Records about the signed-in citizen, or filed by the signed-in provider; statuses refreshed from the chain. */
  async list(session: Session): Promise<RecordSummary[]> {
    const at = await this.chain.moment();
    const me = lower(session.address);
    const rows = await this.store.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE subject = $1 OR issuer = $1 ORDER BY created_at DESC, id`,
      [me],
    );
    const refreshed = await Promise.all(
      rows.map(async (row) => (row.status === "anchored" ? row : this.#applyAnchor(row, await this.chain.anchorOf(row.id as Hex, at)))),
    );
    return refreshed.map(summary);
  }

  /** Re-read a record's anchor now (after the issuer sent the anchor transaction). Issuer or citizen only. */
  async anchorCheck(session: Session, id: Hex): Promise<RecordSummary> {
    const row = await this.#row(id);
    const me = lower(session.address);
    if (row.subject !== me && row.issuer !== me) throw new VaultError("VaultNotYourRecord");
    const at = await this.chain.moment();
    return summary(await this.#applyAnchor(row, await this.chain.anchorOf(row.id as Hex, at)));
  }

  async #row(id: string): Promise<RecordRow> {
    const [row] = await this.store.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM records WHERE id = $1`, [lower(id)]);
    if (row === undefined) throw new VaultError("VaultRecordNotFound");
    return row;
  }

  // -------------------------------------------------------------------------------------------------------
  // Reading
  // -------------------------------------------------------------------------------------------------------

  /** Serve one record to the signed-in reader, if and only if the chain allows it now. */
  async read(session: Session, id: Hex): Promise<ServedRecord> {
    let row = await this.#row(id);
    const reader = session.address;

    // 1. The moment of the decision, and the record's anchor at that moment.
    const at = await this.chain.moment();
    const anchor = await this.chain.anchorOf(row.id as Hex, at);
    row = await this.#applyAnchor(row, anchor);
    if (anchor === null) throw new VaultError("VaultRecordNotAnchored");
    if (row.status !== "anchored") throw new VaultError("VaultAnchorMismatch");

    // 2. Who may read: the citizen themself, or a reader with a live grant for this category at that moment.
    const self = lower(reader) === lower(anchor.subject);
    if (!self) {
      const decision = await this.chain.accessDecision(anchor.subject, reader, anchor.category, at);
      if (!decision.allowed) throw new VaultError(decision.code);
    }

    // 3. The stored document must still be the one anchored: decrypt, re-hash, compare.
    const document = this.#openDocument(row, anchor);

    // 4. A third-party read is logged on chain, receipt awaited, before anything is served.
    const logged = self ? null : await this.chain.logAccess(anchor.subject, reader, anchor.category, row.id as Hex);
    await this.store.query(
      `INSERT INTO access_log (record_id, citizen, reader, category, self, tx_hash, block_number, served_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        row.id,
        lower(anchor.subject),
        lower(reader),
        anchor.category,
        self,
        logged?.txHash ?? null,
        logged === null ? null : logged.blockNumber.toString(),
        new Date(this.#settings.now()),
      ],
    );
    return {
      record: summary(row),
      document,
      anchor: {
        registry: this.chain.recordRegistry,
        chainId: await this.chain.chainId(),
        subject: anchor.subject,
        category: anchor.category,
        issuer: anchor.issuer,
        anchoredAt: iso(new Date(anchor.anchoredAt * 1000)),
      },
      access: {
        reader,
        self,
        block: at.number.toString(),
        txHash: logged?.txHash ?? null,
        logBlockNumber: logged === null ? null : logged.blockNumber.toString(),
      },
    };
  }

  /** Decrypt a row and prove it is the anchored document; anything else is tampering and is refused. */
  #openDocument(row: RecordRow, anchor: Anchor): string {
    let plaintext: Buffer;
    try {
      plaintext = unseal(this.#settings.masterKey, row.id, {
        ciphertext: bytes(row.ciphertext),
        iv: bytes(row.iv),
        tag: bytes(row.tag),
        wrappedKey: bytes(row.wrapped_key),
        keyIv: bytes(row.key_iv),
        keyTag: bytes(row.key_tag),
        masterKeyId: row.master_key_id,
      });
    } catch (error) {
      if (error instanceof SealBroken) throw new VaultError("VaultRecordTampered", "decryption failed", { cause: error });
      if (error instanceof WrongMasterKey) throw new VaultError("VaultInternal", "record sealed under another master key");
      throw error;
    }
    const text = plaintext.toString("utf8");
    if (recordIdOf(text) !== row.id) throw new VaultError("VaultRecordTampered", "hash mismatch");
    let doc: RecordDocumentFields;
    try {
      doc = parseRecordDocument(text);
    } catch {
      throw new VaultError("VaultRecordTampered", "not a record document");
    }
    if (!sameAnchor(anchor, doc.subject, doc.category, doc.issuer)) {
      throw new VaultError("VaultRecordTampered", "document does not match its anchor");
    }
    return text;
  }

  // -------------------------------------------------------------------------------------------------------
  // Access log
  // -------------------------------------------------------------------------------------------------------

  /** Reads of the signed-in citizen's records and reads made by the signed-in reader, newest first. */
  async accessLog(session: Session, limit: number): Promise<AccessLogEntry[]> {
    const rows = await this.store.query<{
      record_id: string;
      citizen: string;
      reader: string;
      category: number;
      self: boolean;
      tx_hash: string | null;
      block_number: string | null;
      served_at: Date;
    }>(
      `SELECT record_id, citizen, reader, category, self, tx_hash, block_number::text AS block_number, served_at
         FROM access_log WHERE citizen = $1 OR reader = $1 ORDER BY id DESC LIMIT $2`,
      [lower(session.address), limit],
    );
    return rows.map((r) => ({
      recordId: r.record_id as Hex,
      citizen: getAddress(r.citizen),
      reader: getAddress(r.reader),
      category: Number(r.category),
      self: r.self,
      txHash: r.tx_hash as Hex | null,
      blockNumber: r.block_number,
      servedAt: iso(new Date(r.served_at)),
    }));
  }

  // -------------------------------------------------------------------------------------------------------
  // Seed import (npm run dev)
  // -------------------------------------------------------------------------------------------------------

  /**
   * Import the seed's record documents (`.dev/records.json`): each must hash to its id and be anchored on chain
   * with the same citizen, category and issuer. Records already stored are skipped.
   */
  async importSeed(records: readonly SeedRecord[]): Promise<{ imported: number; skipped: number }> {
    const at = await this.chain.moment();
    let imported = 0;
    let skipped = 0;
    for (const r of records) {
      const id = recordIdOf(r.document);
      if (id !== lower(r.contentHash)) throw new Error(`seed record ${r.contentHash}: the document hashes to ${id}`);
      const doc = parseRecordDocument(r.document);
      if (lower(doc.subject) !== lower(r.subject) || lower(doc.issuer) !== lower(r.issuer) || doc.category !== r.category) {
        throw new Error(`seed record ${id}: the document does not match its entry`);
      }
      const anchor = await this.chain.anchorOf(id, at);
      if (anchor === null || !sameAnchor(anchor, doc.subject, doc.category, doc.issuer)) {
        throw new Error(`seed record ${id} is not anchored on this chain with the same citizen, category and issuer`);
      }
      const sealed = seal(this.#settings.masterKey, id, Buffer.from(r.document, "utf8"));
      const inserted = await this.store.query(
        `INSERT INTO records (id, subject, issuer, category, status, source, ciphertext, iv, tag, wrapped_key, key_iv, key_tag,
                              master_key_id, document_bytes, created_at, anchored_at)
         VALUES ($1, $2, $3, $4, 'anchored', 'seed-import', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          id,
          lower(doc.subject),
          lower(doc.issuer),
          doc.category,
          sealed.ciphertext,
          sealed.iv,
          sealed.tag,
          sealed.wrappedKey,
          sealed.keyIv,
          sealed.keyTag,
          sealed.masterKeyId,
          Buffer.byteLength(r.document, "utf8"),
          new Date(this.#settings.now()),
          new Date(anchor.anchoredAt * 1000),
        ],
      );
      if (inserted.length === 1) imported += 1;
      else skipped += 1;
    }
    return { imported, skipped };
  }
}

export type { AccessLogEntry, AnchorCall, Moment, RecordStatus, RecordSummary, ServedRecord };
