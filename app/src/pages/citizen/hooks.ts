/** React Query hooks over chain.ts (refreshed by every confirmed transaction: useContractTx invalidates all). */
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useClient } from "wagmi";

import { fetchCitizenDoses, fetchClinicDoses, fetchConsent, fetchLots, fetchRecords } from "./chain.ts";

const KEY = "healthtrace";

export function useLots() {
  const client = useClient();
  return useQuery({
    queryKey: [KEY, "lots"],
    enabled: client !== undefined,
    staleTime: 10_000,
    queryFn: () => (client === undefined ? new Map() : fetchLots(client)),
  });
}

export function useCitizenDoses(citizen: Address | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: [KEY, "citizenDoses", citizen],
    enabled: client !== undefined && citizen !== undefined,
    queryFn: () => (client === undefined || citizen === undefined ? [] : fetchCitizenDoses(client, citizen)),
  });
}

export function useClinicDoses(clinic: Address | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: [KEY, "clinicDoses", clinic],
    enabled: client !== undefined && clinic !== undefined,
    queryFn: () => (client === undefined || clinic === undefined ? [] : fetchClinicDoses(client, clinic)),
  });
}

export function useRecords(subject: Address | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: [KEY, "records", subject],
    enabled: client !== undefined && subject !== undefined,
    queryFn: () => (client === undefined || subject === undefined ? [] : fetchRecords(client, subject)),
  });
}

export function useConsent(citizen: Address | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: [KEY, "consent", citizen],
    enabled: client !== undefined && citizen !== undefined,
    queryFn: () =>
      client === undefined || citizen === undefined ? { grants: [], timeline: [] } : fetchConsent(client, citizen),
  });
}
