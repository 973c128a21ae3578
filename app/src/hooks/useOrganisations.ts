/**
 * The directory of accredited organisations (lib/organisations.ts, loaded on demand). Everything that shows an
 * address shows a name from here when the address is an organisation.
 */
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "wagmi";

import type { Organisation } from "../lib/organisations.ts";

export type { Organisation } from "../lib/organisations.ts";

export const ORGANISATIONS_KEY = ["healthtrace", "organisations"] as const;

export function useOrganisations() {
  const client = useClient();
  return useQuery({
    queryKey: ORGANISATIONS_KEY,
    enabled: client !== undefined,
    staleTime: 15_000,
    queryFn: async (): Promise<Organisation[]> => {
      if (client === undefined) return [];
      const { fetchOrganisations } = await import("../lib/organisations.ts");
      return fetchOrganisations(client);
    },
  });
}

/** Lower-case address → display name in the current language. */
export function useOrganisationNames(): ReadonlyMap<string, string> {
  const { data } = useOrganisations();
  const { i18n } = useTranslation();
  const zh = !i18n.language.startsWith("en");
  return useMemo(() => new Map((data ?? []).map((o) => [o.address.toLowerCase(), zh ? o.localName : o.name])), [data, zh]);
}
