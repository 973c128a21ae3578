/**
 * Encryption at rest: envelope encryption with AES-256-GCM (node:crypto).
 *
 * Each record gets a fresh random 256-bit data key (DEK). The document is encrypted with the DEK, with the
 * record id as additional authenticated data (so a ciphertext moved to another row fails to decrypt). The DEK
 * is wrapped (encrypted) with AES-256-GCM under the master key from the environment, its AAD binding it to the
 * record id too. The master key never touches the database; only a short id of it is stored, so a vault started
 * with the wrong master key says so instead of calling every record tampered with.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const KEY_BYTES = 32;
const DEK_AAD_PREFIX = "healthtrace.vault.dek/1:";

/** What is stored for one record. */
export interface Sealed {
  readonly ciphertext: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly wrappedKey: Buffer;
  readonly keyIv: Buffer;
  readonly keyTag: Buffer;
  readonly masterKeyId: string;
}

/** Decryption failed: the ciphertext, the wrapped key or their tags were changed (or another master key). */
export class SealBroken extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealBroken";
  }
}

/** The record was sealed under another master key: a configuration problem, not tampering. */
export class WrongMasterKey extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WrongMasterKey";
  }
}

/** Parse a master key given as 64 hex digits (optionally 0x-prefixed). */
export function parseMasterKey(hex: string): Buffer {
  const clean = hex.trim().replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]{64}$/.test(clean)) {
    throw new Error("the master key must be 32 bytes written as 64 hex digits (e.g. `openssl rand -hex 32`)");
  }
  return Buffer.from(clean, "hex");
}

/** A short, non-secret identifier of a master key (first 8 bytes of a domain-separated SHA-256). */
export function masterKeyId(masterKey: Uint8Array): string {
  return createHash("sha256").update("healthtrace.vault.master-key-id/1:").update(masterKey).digest("hex").slice(0, 16);
}

function idBytes(recordId: string): Buffer {
  return Buffer.from(recordId.slice(2), "hex");
}

function encrypt(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): { data: Buffer; iv: Buffer; tag: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { data, iv, tag: cipher.getAuthTag() };
}

function decrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array, tag: Uint8Array, aad: Uint8Array): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

/** Encrypt a record document for storage under `recordId` (0x + 64 hex). */
export function seal(masterKey: Uint8Array, recordId: string, plaintext: Uint8Array): Sealed {
  const dek = randomBytes(KEY_BYTES);
  try {
    const payload = encrypt(dek, plaintext, idBytes(recordId));
    const wrapped = encrypt(masterKey, dek, Buffer.from(DEK_AAD_PREFIX + recordId, "utf8"));
    return {
      ciphertext: payload.data,
      iv: payload.iv,
      tag: payload.tag,
      wrappedKey: wrapped.data,
      keyIv: wrapped.iv,
      keyTag: wrapped.tag,
      masterKeyId: masterKeyId(masterKey),
    };
  } finally {
    dek.fill(0);
  }
}

/** Decrypt what `seal` stored. Throws `SealBroken` if anything was altered, `WrongMasterKey` if sealed under another key. */
export function unseal(masterKey: Uint8Array, recordId: string, sealed: Sealed): Buffer {
  if (sealed.masterKeyId !== masterKeyId(masterKey)) {
    throw new WrongMasterKey(`sealed under master key ${sealed.masterKeyId}, this vault has ${masterKeyId(masterKey)}`);
  }
  let dek: Buffer;
  try {
    dek = decrypt(masterKey, sealed.wrappedKey, sealed.keyIv, sealed.keyTag, Buffer.from(DEK_AAD_PREFIX + recordId, "utf8"));
  } catch {
    throw new SealBroken("the wrapped data key failed authentication");
  }
  try {
    return decrypt(dek, sealed.ciphertext, sealed.iv, sealed.tag, idBytes(recordId));
  } catch {
    throw new SealBroken("the payload failed authentication");
  } finally {
    dek.fill(0);
  }
}
