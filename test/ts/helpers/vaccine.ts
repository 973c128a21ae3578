/**
 * Helpers for the VaccineRegistry tests: GS1 GTIN-14 check digits, lot-parameter builders, the state codes
 * documented in contracts/interfaces/IVaccineRegistry.sol, the dose-id scheme, the EIP-712 typed data of
 * `ConfirmDose` and `VaccinationProof` (signed with @metamask/eth-sig-util, an independent implementation),
 * and state snapshots that prove a refused call changed nothing.
 */
import { SignTypedDataVersion, signTypedData } from "@metamask/eth-sig-util";
import { AbiCoder, type TypedDataDomain, type TypedDataField, TypedDataEncoder, id, keccak256 } from "ethers";

import {
  type ConfirmDoseMessage,
  VACCINE_DOMAIN,
  VACCINE_TYPES,
  type VaccinationProofMessage,
} from "../../../scripts/lib/vaccine-typed-data.js";
import type { IVaccineRegistry, VaccineRegistry } from "../../../types/ethers-contracts/index.js";

export type { ConfirmDoseMessage, VaccinationProofMessage } from "../../../scripts/lib/vaccine-typed-data.js";

export { FAR_FUTURE, SECP256K1_N, TEST_MNEMONIC, defaultAccountWallet, toHighS } from "./consent.js";

/** As documented in IVaccineRegistry.sol (checked against the shared definition in scripts/lib by the tests). */
export const VACCINE_DOMAIN_NAME = "HealthTrace Vaccines";
export const VACCINE_DOMAIN_VERSION = "1";

// Lot states and reason codes have one source, shared with the seed and the app.
export { LotState, LotReason as Reason, VoidReason } from "../../../scripts/lib/vaccines.js";

export { ProofResult } from "../../../scripts/lib/vaccine-typed-data.js";

/** Hardhat default account indexes of the personas in fixtures.ts (for their private keys). */
export const ACCOUNT_INDEX = {
  admin: 0,
  regulator: 1,
  manufacturer: 2,
  lab: 3,
  carrier: 4,
  warehouse: 5,
  hospital: 6,
  clinic: 7,
  research: 8,
  vault: 9,
  citizen: 10,
  citizen2: 11,
  outsider: 12,
  relayer: 13,
} as const;

export const ONE_DAY = 24n * 60n * 60n;
export const ONE_YEAR = 365n * ONE_DAY;
/** A six-digit administrative division code (Xuhui district, Shanghai). */
export const XUHUI = 310104;
/** Huangpu district, Shanghai. */
export const HUANGPU = 310101;

// ---------------------------------------------------------------------------------------------------------------
// GS1 identifiers
// ---------------------------------------------------------------------------------------------------------------

/**
 * GS1 mod-10 check digit of the digits before it (`body`, up to 13 digits, left-padded with zeros): from the
 * rightmost digit of the body leftwards the weights alternate 3, 1, 3, …; the check digit brings the sum to a
 * multiple of ten.
 */
export function gs1CheckDigit(body: bigint): number {
  if (body < 0n || body > 9_999_999_999_999n) throw new Error(`GTIN body out of range: ${body}`);
  const digits = body.toString().padStart(13, "0");
  let sum = 0;
  for (let i = 0; i < 13; i++) {
    const digit = Number(digits[12 - i]);
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** The GTIN-14 (as a number) of a 13-digit body with its correct check digit appended. */
export function gtinOf(body: bigint): bigint {
  return body * 10n + BigInt(gs1CheckDigit(body));
}

/** The same body with a check digit that is wrong by `offset` (1–9). */
export function gtinWithWrongCheckDigit(body: bigint, offset: number = 1): bigint {
  return body * 10n + BigInt((gs1CheckDigit(body) + offset) % 10);
}

/** GTIN-14 of a fictional Shanghai vaccine product (GS1 China prefix 690–699), with its check digit. */
export const GTIN_VACCINE = gtinOf(1_690_123_456_789n);
/** A second product. */
export const GTIN_VACCINE_2 = gtinOf(1_690_123_456_790n);

// ---------------------------------------------------------------------------------------------------------------
// Lot parameters
// ---------------------------------------------------------------------------------------------------------------

/** Plain TypeScript shape of `IVaccineRegistry.LotParams` (bigint/number fields). */
export interface LotParams {
  dossierHash: string;
  lotNumber: string;
  gtin: bigint;
  manufacturedAt: bigint;
  doseCount: bigint;
  expiresAt: bigint;
  minTempCentiC: bigint;
  maxTempCentiC: bigint;
}

/** A well-formed lot: manufactured 30 days before `now`, expiring a year after `now`, 2–8 °C, 1,000 doses. */
export function lotParams(now: bigint, overrides: Partial<LotParams> = {}): LotParams {
  return {
    dossierHash: id("lot-release dossier: SIBP-2022-0412"),
    lotNumber: "SIBP-2022-0412",
    gtin: GTIN_VACCINE,
    manufacturedAt: now - 30n * ONE_DAY,
    doseCount: 1_000n,
    expiresAt: now + ONE_YEAR,
    minTempCentiC: 200n,
    maxTempCentiC: 800n,
    ...overrides,
  };
}

/** The parameters as the TypeChain struct type. */
export function toStruct(p: LotParams): IVaccineRegistry.LotParamsStruct {
  return { ...p };
}

/** The arguments `LotRegistered` is emitted with, after `lotId` and `manufacturer`. */
export function lotRegisteredArgs(lotId: bigint | number, manufacturer: string, p: LotParams) {
  return [
    lotId,
    manufacturer,
    p.gtin,
    p.lotNumber,
    p.doseCount,
    p.manufacturedAt,
    p.expiresAt,
    p.minTempCentiC,
    p.maxTempCentiC,
    p.dossierHash,
  ] as const;
}

// ---------------------------------------------------------------------------------------------------------------
// Dose ids
// ---------------------------------------------------------------------------------------------------------------

/** The documented dose id: `keccak256(abi.encode(clinic, lotId, sequence))`. */
export function doseIdOf(clinic: string, lotId: bigint | number, sequence: bigint | number): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["address", "uint32", "uint24"], [clinic, lotId, sequence]));
}

// ---------------------------------------------------------------------------------------------------------------
// EIP-712
// ---------------------------------------------------------------------------------------------------------------

export interface VaccineDomain {
  name: string;
  version: string;
  chainId: bigint;
  verifyingContract: string;
}

export const CONFIRM_DOSE_TYPE = "ConfirmDose(bytes32 doseId,uint256 deadline)";
export const VACCINATION_PROOF_TYPE =
  "VaccinationProof(address citizen,bytes32 doseId,bytes32 challenge,uint256 validUntil)";

/** The shared typed-data definitions (scripts/lib/vaccine-typed-data.ts), one primary type each, for ethers. */
export const CONFIRM_DOSE_TYPES: Record<string, TypedDataField[]> = { ConfirmDose: [...VACCINE_TYPES.ConfirmDose] };
export const VACCINATION_PROOF_TYPES: Record<string, TypedDataField[]> = {
  VaccinationProof: [...VACCINE_TYPES.VaccinationProof],
};
export { VACCINE_DOMAIN };

const EIP712_DOMAIN_TYPE = [
  { name: "name", type: "string" },
  { name: "version", type: "string" },
  { name: "chainId", type: "uint256" },
  { name: "verifyingContract", type: "address" },
];

/** The domain a citizen signs for `registry` on the chain the registry's runner is connected to. */
export async function vaccineDomain(registry: VaccineRegistry): Promise<VaccineDomain> {
  const provider = registry.runner?.provider;
  if (provider == null) throw new Error("registry has no provider");
  const { chainId } = await provider.getNetwork();
  return {
    name: VACCINE_DOMAIN_NAME,
    version: VACCINE_DOMAIN_VERSION,
    chainId,
    verifyingContract: await registry.getAddress(),
  };
}

function toEthersDomain(domain: VaccineDomain): TypedDataDomain {
  return { ...domain };
}

function sigUtilDomain(domain: VaccineDomain) {
  return {
    name: domain.name,
    version: domain.version,
    chainId: Number(domain.chainId),
    verifyingContract: domain.verifyingContract,
  };
}

function keyBuffer(privateKey: string): Buffer {
  return Buffer.from(privateKey.replace(/^0x/, ""), "hex");
}

/** Sign a `ConfirmDose` with @metamask/eth-sig-util (`signTypedData` V4). */
export function signConfirmDose(privateKey: string, domain: VaccineDomain, message: ConfirmDoseMessage): string {
  return signTypedData({
    privateKey: keyBuffer(privateKey),
    version: SignTypedDataVersion.V4,
    data: {
      types: { EIP712Domain: EIP712_DOMAIN_TYPE, ConfirmDose: CONFIRM_DOSE_TYPES.ConfirmDose },
      primaryType: "ConfirmDose",
      domain: sigUtilDomain(domain),
      message: { doseId: message.doseId, deadline: message.deadline.toString() },
    },
  });
}

/** Sign a `VaccinationProof` with @metamask/eth-sig-util (`signTypedData` V4). */
export function signVaccinationProof(
  privateKey: string,
  domain: VaccineDomain,
  message: VaccinationProofMessage,
): string {
  return signTypedData({
    privateKey: keyBuffer(privateKey),
    version: SignTypedDataVersion.V4,
    data: {
      types: { EIP712Domain: EIP712_DOMAIN_TYPE, VaccinationProof: VACCINATION_PROOF_TYPES.VaccinationProof },
      primaryType: "VaccinationProof",
      domain: sigUtilDomain(domain),
      message: {
        citizen: message.citizen,
        doseId: message.doseId,
        challenge: message.challenge,
        validUntil: message.validUntil.toString(),
      },
    },
  });
}

/** The EIP-712 digest of a `ConfirmDose` (what the contract hashes with `_hashTypedDataV4`), computed by ethers. */
export function confirmDoseDigest(domain: VaccineDomain, message: ConfirmDoseMessage): string {
  return TypedDataEncoder.hash(toEthersDomain(domain), CONFIRM_DOSE_TYPES, { ...message });
}

/** The EIP-712 digest of a `VaccinationProof`, computed by ethers. */
export function vaccinationProofDigest(domain: VaccineDomain, message: VaccinationProofMessage): string {
  return TypedDataEncoder.hash(toEthersDomain(domain), VACCINATION_PROOF_TYPES, { ...message });
}

/** Check a signed proof through `registry.checkVaccinationProof`. */
export function checkProof(registry: VaccineRegistry, message: VaccinationProofMessage, signature: string) {
  return registry.checkVaccinationProof(
    message.citizen,
    message.doseId,
    message.challenge,
    message.validUntil,
    signature,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// State snapshots
// ---------------------------------------------------------------------------------------------------------------

/** A lot view as a plain tuple [manufacturer, doseCount, dosesRecorded, attestations, quorum, expiresAt, state]. */
export async function lotTuple(registry: VaccineRegistry, lotId: bigint | number) {
  const l = await registry.lotOf(lotId);
  return [l.manufacturer, l.doseCount, l.dosesRecorded, l.attestations, l.quorum, l.expiresAt, l.state] as const;
}

/** A dose view as a plain tuple [citizen, lotId, sequence, doseNumber, confirmed, verified, voided, lotState]. */
export async function doseTuple(registry: VaccineRegistry, doseId: string) {
  const d = await registry.doseOf(doseId);
  return [d.citizen, d.lotId, d.sequence, d.doseNumber, d.confirmed, d.verified, d.voided, d.lotState] as const;
}

/**
 * Everything a refused call could have touched: the lot count, the release quorum, the cold-chain reporter, each
 * lot's view (ids 0 … lotCount + 1), each given dose's view and each (lot, attester) attestation flag.
 * Compare two snapshots with deep equality.
 */
export async function vaccineState(
  registry: VaccineRegistry,
  doseIds: readonly string[] = [],
  attesters: readonly string[] = [],
) {
  const lotCount = await registry.lotCount();
  const lotIds = Array.from({ length: Number(lotCount) + 2 }, (_, i) => i);
  return {
    lotCount,
    releaseQuorum: await registry.releaseQuorum(),
    coldChainReporter: await registry.coldChainReporter(),
    lots: await Promise.all(lotIds.map((lotId) => lotTuple(registry, lotId))),
    doses: await Promise.all(doseIds.map((doseId) => doseTuple(registry, doseId))),
    attested: await Promise.all(
      lotIds.flatMap((lotId) => attesters.map((attester) => registry.hasAttested(lotId, attester))),
    ),
  };
}
