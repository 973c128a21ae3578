/**
 * EIP-712 helpers for the ConsentRegistry: the typed-data definitions of `Grant` and `Revoke`
 * (as documented in contracts/interfaces/IConsentRegistry.sol), signing with ethers and with
 * @metamask/eth-sig-util (an independent implementation), keyed nonces and signature surgery.
 */
import { SignTypedDataVersion, signTypedData } from "@metamask/eth-sig-util";
import { HDNodeWallet, Signature, type TypedDataDomain, type TypedDataField, TypedDataEncoder } from "ethers";
import { CONSENT_TYPES, type GrantMessage, type RevokeMessage } from "../../../scripts/lib/consent-typed-data.js";

import type { ConsentRegistry } from "../../../types/ethers-contracts/index.js";

export const CONSENT_DOMAIN_NAME = "HealthTrace Consent";
export const CONSENT_DOMAIN_VERSION = "1";

/** The standard Hardhat test mnemonic behind the default accounts. */
export const TEST_MNEMONIC = "test test test test test test test test test test test junk";

/** secp256k1 group order. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Far-future deadline / expiry, well inside uint64. */
export const FAR_FUTURE = 4_102_444_800n; // 2100-01-01

export interface ConsentDomain {
  name: string;
  version: string;
  chainId: bigint;
  verifyingContract: string;
}

export type { GrantMessage, RevokeMessage } from "../../../scripts/lib/consent-typed-data.js";

export const GRANT_TYPES: Record<string, TypedDataField[]> = { Grant: [...CONSENT_TYPES.Grant] };
export const REVOKE_TYPES: Record<string, TypedDataField[]> = { Revoke: [...CONSENT_TYPES.Revoke] };

const EIP712_DOMAIN_TYPE = [
  { name: "name", type: "string" },
  { name: "version", type: "string" },
  { name: "chainId", type: "uint256" },
  { name: "verifyingContract", type: "address" },
];

/** The domain a citizen signs for `registry` on the chain the registry's runner is connected to. */
export async function consentDomain(registry: ConsentRegistry): Promise<ConsentDomain> {
  const provider = registry.runner?.provider;
  if (provider == null) throw new Error("registry has no provider");
  const { chainId } = await provider.getNetwork();
  return {
    name: CONSENT_DOMAIN_NAME,
    version: CONSENT_DOMAIN_VERSION,
    chainId,
    verifyingContract: await registry.getAddress(),
  };
}

export function toEthersDomain(domain: ConsentDomain): TypedDataDomain {
  return { ...domain };
}

/** Keyed nonce: key in the upper 192 bits, sequence in the lower 64 (OpenZeppelin NoncesKeyed). */
export function keyedNonce(key: bigint, sequence: bigint = 0n): bigint {
  return (key << 64n) | sequence;
}

/** Private-key wallet of Hardhat default account `index`. */
export function defaultAccountWallet(index: number): HDNodeWallet {
  return HDNodeWallet.fromPhrase(TEST_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
}

function keyBuffer(privateKey: string): Buffer {
  return Buffer.from(privateKey.replace(/^0x/, ""), "hex");
}

function sigUtilDomain(domain: ConsentDomain) {
  return {
    name: domain.name,
    version: domain.version,
    chainId: Number(domain.chainId),
    verifyingContract: domain.verifyingContract,
  };
}

/** Sign a `Grant` with @metamask/eth-sig-util (`signTypedData` V4). */
export function sigUtilSignGrant(privateKey: string, domain: ConsentDomain, message: GrantMessage): string {
  return signTypedData({
    privateKey: keyBuffer(privateKey),
    version: SignTypedDataVersion.V4,
    data: {
      types: { EIP712Domain: EIP712_DOMAIN_TYPE, Grant: GRANT_TYPES.Grant },
      primaryType: "Grant",
      domain: sigUtilDomain(domain),
      message: {
        citizen: message.citizen,
        grantee: message.grantee,
        category: message.category,
        purpose: message.purpose,
        expiresAt: message.expiresAt.toString(),
        nonce: message.nonce.toString(),
        deadline: message.deadline.toString(),
      },
    },
  });
}

/** Sign a `Revoke` with @metamask/eth-sig-util (`signTypedData` V4). */
export function sigUtilSignRevoke(privateKey: string, domain: ConsentDomain, message: RevokeMessage): string {
  return signTypedData({
    privateKey: keyBuffer(privateKey),
    version: SignTypedDataVersion.V4,
    data: {
      types: { EIP712Domain: EIP712_DOMAIN_TYPE, Revoke: REVOKE_TYPES.Revoke },
      primaryType: "Revoke",
      domain: sigUtilDomain(domain),
      message: {
        citizen: message.citizen,
        grantee: message.grantee,
        category: message.category,
        nonce: message.nonce.toString(),
        deadline: message.deadline.toString(),
      },
    },
  });
}

/** Anything that can sign EIP-712 typed data the ethers way (a HardhatEthersSigner or an ethers Wallet). */
export interface TypedDataSigner {
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

/** Sign a `Grant` with an ethers signer (`eth_signTypedData_v4` for a Hardhat account). */
export function ethersSignGrant(signer: TypedDataSigner, domain: ConsentDomain, message: GrantMessage): Promise<string> {
  return signer.signTypedData(toEthersDomain(domain), GRANT_TYPES, { ...message });
}

/** Sign a `Revoke` with an ethers signer. */
export function ethersSignRevoke(
  signer: TypedDataSigner,
  domain: ConsentDomain,
  message: RevokeMessage,
): Promise<string> {
  return signer.signTypedData(toEthersDomain(domain), REVOKE_TYPES, { ...message });
}

/** The EIP-712 digest of a `Grant` (what the contract hashes with `_hashTypedDataV4`). */
export function grantDigest(domain: ConsentDomain, message: GrantMessage): string {
  return TypedDataEncoder.hash(toEthersDomain(domain), GRANT_TYPES, { ...message });
}

/** The EIP-712 digest of a `Revoke`. */
export function revokeDigest(domain: ConsentDomain, message: RevokeMessage): string {
  return TypedDataEncoder.hash(toEthersDomain(domain), REVOKE_TYPES, { ...message });
}

/**
 * The malleable twin of a valid 65-byte signature: s' = n − s and v flipped 27 ↔ 28. It recovers the same
 * signer through raw ecrecover, but lies in the upper half of the curve order (high-s).
 */
export function toHighS(signature: string): string {
  const sig = Signature.from(signature);
  const s = BigInt(sig.s);
  const highS = SECP256K1_N - s;
  const v = sig.v === 27 ? 28 : 27;
  const hex = (x: bigint) => x.toString(16).padStart(64, "0");
  return `0x${sig.r.slice(2)}${hex(highS)}${v.toString(16)}`;
}

/** The arguments of `grantBySig` for a signed `Grant`, in order. */
export function grantBySigArgs(message: GrantMessage, signature: string) {
  const m = message;
  return [m.citizen, m.grantee, m.category, m.purpose, m.expiresAt, m.nonce, m.deadline, signature] as const;
}

/** Relay a signed `Grant` through `registry` (connect it to the relayer first). */
export function relayGrant(registry: ConsentRegistry, message: GrantMessage, signature: string) {
  return registry.grantBySig(...grantBySigArgs(message, signature));
}

/** Relay a signed `Revoke` through `registry` (connect it to the relayer first). */
export function relayRevoke(registry: ConsentRegistry, message: RevokeMessage, signature: string) {
  return registry.revokeBySig(
    message.citizen,
    message.grantee,
    message.category,
    message.nonce,
    message.deadline,
    signature,
  );
}

/** A stored grant as a plain tuple [purpose, grantedAt, expiresAt]. */
export async function grantTuple(
  registry: ConsentRegistry,
  citizen: string,
  grantee: string,
  category: number,
): Promise<[bigint, bigint, bigint]> {
  const g = await registry.grantOf(citizen, grantee, category);
  return [g.purpose, g.grantedAt, g.expiresAt];
}

/**
 * Everything a refused call could have touched for `citizen`: the stored grant for each (grantee, category)
 * pair given and the next nonce of each key given. Compare two snapshots with deep equality.
 */
export async function consentState(
  registry: ConsentRegistry,
  citizen: string,
  grantees: readonly string[],
  categories: readonly number[],
  nonceKeys: readonly bigint[] = [0n],
): Promise<{ grants: [bigint, bigint, bigint][]; nonces: bigint[] }> {
  const grants = await Promise.all(
    grantees.flatMap((grantee) => categories.map((category) => grantTuple(registry, citizen, grantee, category))),
  );
  const nonces = await Promise.all(nonceKeys.map((key) => registry["nonces(address,uint192)"](citizen, key)));
  return { grants, nonces };
}
