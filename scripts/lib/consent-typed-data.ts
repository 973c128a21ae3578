/**
 * The EIP-712 typed data of `ConsentRegistry` (see contracts/interfaces/IConsentRegistry.sol): one source for
 * the seed, the tests and the app. Dependency-free and erasable TypeScript only.
 */

/** Domain name and version; chain id and verifying contract come from the deployment (`eip712Domain()`). */
export const CONSENT_DOMAIN = { name: "HealthTrace Consent", version: "1" } as const;

/** Primary types `Grant` and `Revoke`, field for field as the contract hashes them. */
export const CONSENT_TYPES = {
  Grant: [
    { name: "citizen", type: "address" },
    { name: "grantee", type: "address" },
    { name: "category", type: "uint8" },
    { name: "purpose", type: "uint8" },
    { name: "expiresAt", type: "uint64" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Revoke: [
    { name: "citizen", type: "address" },
    { name: "grantee", type: "address" },
    { name: "category", type: "uint8" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** A `Grant` message. */
export interface GrantMessage {
  citizen: string;
  grantee: string;
  category: number;
  purpose: number;
  expiresAt: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** A `Revoke` message. */
export interface RevokeMessage {
  citizen: string;
  grantee: string;
  category: number;
  nonce: bigint;
  deadline: bigint;
}

