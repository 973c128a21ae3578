/** Reads of the organisation directory (its own chunk: viem actions and the authority ABI load on demand). */
import type { Client } from "viem";
import { getContractEvents, readContract } from "viem/actions";

import { authority } from "../contracts.ts";

export interface Organisation {
  readonly address: `0x${string}`;
  readonly name: string;
  readonly localName: string;
  readonly kind: number;
  readonly district: number;
  /** 1 active, 2 suspended. */
  readonly status: number;
  readonly accreditedAt: number;
  /** Bitmask of the roles parked by a suspension (bit i = i-th role of `Roles.all()`). */
  readonly parkedRoleMask: number;
}

/** Every accredited organisation: names from `OrganisationAccredited`, current facts from `organisationOf`. */
export async function fetchOrganisations(client: Client): Promise<Organisation[]> {
  const logs = await getContractEvents(client, { ...authority, eventName: "OrganisationAccredited", fromBlock: 0n, strict: true });
  return Promise.all(
    logs.map(async (log) => {
      const org = await readContract(client, { ...authority, functionName: "organisationOf", args: [log.args.org] });
      return {
        address: log.args.org,
        name: log.args.name,
        localName: log.args.localName,
        kind: org.kind,
        district: org.district,
        status: org.status,
        accreditedAt: Number(org.accreditedAt),
        parkedRoleMask: org.parkedRoles,
      };
    }),
  );
}
