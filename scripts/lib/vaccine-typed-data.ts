/**
 * The EIP-712 typed data of `VaccineRegistry` (see contracts/interfaces/IVaccineRegistry.sol): one source for
 * the seed, the tests and the app. Dependency-free and erasable TypeScript only.
 *
 * - `ConfirmDose`: the citizen confirms a dose recorded for them; the clinic (or anyone) relays the signature
 *   with `confirmDoseBySig(doseId, deadline, signature)`. No nonce: a dose can be confirmed once.
 * - `VaccinationProof`: the citizen answers a verifier's challenge; the verifier checks it with
 *   `checkVaccinationProof(citizen, doseId, challenge, validUntil, signature)` (a view, no transaction), which
 *   accepts a proof valid now and for at most `MAX_PROOF_LIFETIME` (5 minutes).
 */

/** Domain name and version; chain id and verifying contract come from the deployment (`eip712Domain()`). */
export const VACCINE_DOMAIN = { name: "HealthTrace Vaccines", version: "1" } as const;

/** Primary types `ConfirmDose` and `VaccinationProof`, field for field as the contract hashes them. */
export const VACCINE_TYPES = {
  ConfirmDose: [
    { name: "doseId", type: "bytes32" },
    { name: "deadline", type: "uint256" },
  ],
  VaccinationProof: [
    { name: "citizen", type: "address" },
    { name: "doseId", type: "bytes32" },
    { name: "challenge", type: "bytes32" },
    { name: "validUntil", type: "uint256" },
  ],
} as const;

/** A `ConfirmDose` message. */
export interface ConfirmDoseMessage {
  doseId: string;
  deadline: bigint;
}

/** A `VaccinationProof` message. */
export interface VaccinationProofMessage {
  citizen: string;
  doseId: string;
  challenge: string;
  validUntil: bigint;
}

/** `checkVaccinationProof` result codes. */
export const ProofResult = {
  Valid: 0,
  NotCurrent: 1,
  TooLong: 2,
  BadSignature: 3,
  NoConfirmedDose: 4,
  LotNotUsable: 5,
} as const;
export type ProofResultCode = (typeof ProofResult)[keyof typeof ProofResult];
