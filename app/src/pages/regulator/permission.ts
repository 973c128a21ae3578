/** What the connected account may do on the regulator's page (the chain still checks every action). */
import type { Address } from "viem";

import type { RoleName } from "../../../../scripts/lib/personas.ts";

export interface Permission {
  /** The connected account, if any. */
  readonly address: Address | undefined;
  /** False while the account's roles are being read. */
  readonly known: boolean;
  readonly isRegulator: boolean;
  readonly isAttester: boolean;
  /** Roles the account may hand out (it holds their admin role). */
  readonly grantable: readonly RoleName[];
}
