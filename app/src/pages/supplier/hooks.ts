/** React Query hooks over chain.ts: every read of the supplier pages, keyed so a confirmed write refreshes it. */
import { useQuery } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "wagmi";

import { useOrganisationNames } from "../../hooks/useOrganisations.ts";
import { shortAddress } from "../../lib/format.ts";
import {
  fetchHeld,
  fetchIncoming,
  fetchLocations,
  fetchOwnLots,
  fetchRoles,
  fetchShipment,
} from "./chain.ts";
import { type Address, gln13, type Hex, type Location } from "./model.ts";

const KEY = ["healthtrace", "supplier"] as const;

export function useLocations() {
  const client = useClient();
  return useQuery({
    queryKey: [...KEY, "locations"],
    enabled: client !== undefined,
    staleTime: 60_000,
    queryFn: async (): Promise<Location[]> => (client === undefined ? [] : fetchLocations(client)),
  });
}

export function useShipment(shipmentId: Hex | null) {
  const client = useClient();
  return useQuery({
    queryKey: [...KEY, "shipment", shipmentId],
    enabled: client !== undefined && shipmentId !== null,
    queryFn: async () => {
      if (client === undefined || shipmentId === null) throw new Error("no client");
      return fetchShipment(client, shipmentId);
    },
  });
}

export function useIncoming(me: Address | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: [...KEY, "incoming", me],
    enabled: client !== undefined && me !== undefined,
    refetchInterval: 15_000,
    queryFn: async () => (client === undefined || me === undefined ? [] : fetchIncoming(client, me)),
  });
}

export function useHeld(me: Address | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: [...KEY, "held", me],
    enabled: client !== undefined && me !== undefined,
    queryFn: async () => (client === undefined || me === undefined ? [] : fetchHeld(client, me)),
  });
}

export function useOwnLots(me: Address | undefined, enabled: boolean) {
  const client = useClient();
  return useQuery({
    queryKey: [...KEY, "lots", me],
    enabled: client !== undefined && me !== undefined && enabled,
    queryFn: async () => (client === undefined || me === undefined ? [] : fetchOwnLots(client, me)),
  });
}

export function useRoles(me: Address | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: [...KEY, "roles", me],
    enabled: client !== undefined && me !== undefined,
    staleTime: 30_000,
    queryFn: async () => {
      if (client === undefined || me === undefined) throw new Error("no account");
      return fetchRoles(client, me);
    },
  });
}

/** Display helpers in the current language: organisation names, location names. */
export function useNames() {
  const { i18n } = useTranslation();
  const zh = !i18n.language.startsWith("en");
  const orgNames = useOrganisationNames();
  const { data: locations } = useLocations();
  const org = useCallback((a: string): string => orgNames.get(a.toLowerCase()) ?? shortAddress(a), [orgNames]);
  const location = useCallback(
    (gln: bigint): string => {
      const l = locations?.find((x) => x.gln === gln);
      if (l === undefined) return gln13(gln);
      return zh && l.localName !== null ? l.localName : l.name;
    },
    [locations, zh],
  );
  return { org, location, zh, locations: locations ?? [] };
}
