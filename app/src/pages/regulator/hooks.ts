/** The regulator page's and the lot page's queries (react-query over viem actions; see reads.ts). */
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useClient, useConnection } from "wagmi";

import { fetchDirectory, fetchLotDetail, fetchLotIdOf, fetchLots, fetchMyRoles, holdersOf } from "./reads.ts";

const KEY = ["healthtrace", "regulator"] as const;

export function useDirectory() {
  const client = useClient();
  return useQuery({
    queryKey: [...KEY, "directory"],
    enabled: client !== undefined,
    staleTime: 10_000,
    queryFn: () => {
      if (client === undefined) throw new Error("no client");
      return fetchDirectory(client);
    },
  });
}

/** The connected account and what it may do (null while no wallet is connected). */
export function useMyRoles() {
  const client = useClient();
  const { address, status } = useConnection();
  const query = useQuery({
    queryKey: [...KEY, "myRoles", address ?? null],
    enabled: client !== undefined && address !== undefined,
    staleTime: 10_000,
    queryFn: () => {
      if (client === undefined || address === undefined) throw new Error("no client or account");
      return fetchMyRoles(client, address);
    },
  });
  return { address: status === "connected" ? (address as Address) : undefined, ...query };
}

export function useLots() {
  const client = useClient();
  const directory = useDirectory();
  const attesters = directory.data === undefined ? null : holdersOf(directory.data.holders, "LOT_ATTESTER_ROLE").sort();
  return useQuery({
    queryKey: [...KEY, "lots", attesters],
    enabled: client !== undefined && attesters !== null,
    staleTime: 10_000,
    queryFn: () => {
      if (client === undefined || attesters === null) throw new Error("no client");
      return fetchLots(client, attesters);
    },
  });
}

export function useLotDetail(lotId: number | null) {
  const client = useClient();
  return useQuery({
    queryKey: [...KEY, "lot", lotId],
    enabled: client !== undefined && lotId !== null,
    staleTime: 10_000,
    queryFn: () => {
      if (client === undefined || lotId === null) throw new Error("no client or lot");
      return fetchLotDetail(client, lotId);
    },
  });
}

export function useLotIdOf(link: { gtin: string; lot: string } | null) {
  const client = useClient();
  return useQuery({
    queryKey: [...KEY, "lotIdOf", link?.gtin ?? null, link?.lot ?? null],
    enabled: client !== undefined && link !== null,
    staleTime: 30_000,
    queryFn: () => {
      if (client === undefined || link === null) throw new Error("no client or link");
      return fetchLotIdOf(client, link.gtin, link.lot);
    },
  });
}
