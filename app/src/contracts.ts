/**
 * The five HealthTrace contracts of this build's chain: address + ABI (typed `as const` by the export), ready
 * for wagmi's `useReadContract` / `simulateContract` and viem's `getContractEvents`.
 */
import { contractAddress } from "./config.ts";
import {
  consentRegistryAbi,
  healthTraceAuthorityAbi,
  provenanceRegistryAbi,
  recordRegistryAbi,
  vaccineRegistryAbi,
} from "./generated/healthtrace.ts";

export const authority = { address: contractAddress("HealthTraceAuthority"), abi: healthTraceAuthorityAbi } as const;
export const recordRegistry = { address: contractAddress("RecordRegistry"), abi: recordRegistryAbi } as const;
export const consentRegistry = { address: contractAddress("ConsentRegistry"), abi: consentRegistryAbi } as const;
export const vaccineRegistry = { address: contractAddress("VaccineRegistry"), abi: vaccineRegistryAbi } as const;
export const provenanceRegistry = { address: contractAddress("ProvenanceRegistry"), abi: provenanceRegistryAbi } as const;

/** Every ABI of the system, merged: custom errors of any contract decode against it. */
export const allAbis = [
  ...healthTraceAuthorityAbi,
  ...recordRegistryAbi,
  ...consentRegistryAbi,
  ...vaccineRegistryAbi,
  ...provenanceRegistryAbi,
] as const;
