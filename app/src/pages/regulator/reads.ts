/**
 * Chain reads of the regulator's page and the public lot page, from events and view calls only (every view is
 * rebuilt from logs; no indexer is needed at this scale, and none holds anything the chain does not).
 *
 * - Roles: `RoleGranted` / `RoleRevoked` of the authority replayed in log order (a suspension revokes, a restore
 *   grants again, so the replay is the current truth); parked roles of suspended organisations from
 *   `organisationOf(org).parkedRoles`.
 * - Lots: `LotRegistered` (what nothing on chain reads again: GTIN, lot number, dates, storage range) + `lotOf`
 *   (state, attestations, quorum, doses recorded) + `hasAttested` for each holder of the lot-attester role.
 * - A lot's history: its `LotRegistered`, `LotAttested`, `LotReleased`, `LotRecalled`, `LotNonConformant` events with
 *   their block times; its dose count from `DoseRecorded` / `DoseVoided` (counts only, never who).
 */
import type { Address, Client, Hex } from "viem";
import { getBlock, getContractEvents, readContract } from "viem/actions";

import { ROLE_IDS, ROLE_NAMES, type RoleName } from "../../../../scripts/lib/personas.ts";
import { authority, vaccineRegistry } from "../../contracts.ts";
import { fetchOrganisations, type Organisation } from "../../lib/organisations.ts";

const ROLE_BY_ID: ReadonlyMap<string, RoleName> = new Map(ROLE_NAMES.map((name) => [ROLE_IDS[name].toLowerCase(), name]));

/** The role id (bytes32) of a role name. */
export const roleId = (name: RoleName): Hex => ROLE_IDS[name] as Hex;

/** Roles whose bits are set in a parked-roles mask (bit i = `ROLE_NAMES[i]`, as in `Roles.all()`). */
export function rolesOfMask(mask: number): RoleName[] {
  return ROLE_NAMES.filter((_, i) => (mask & (1 << i)) !== 0);
}

type Ordered = { readonly blockNumber: bigint; readonly logIndex: number };
const byLogOrder = (a: Ordered, b: Ordered): number =>
  a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1;

/** Lower-case account → the HealthTrace roles it holds now (the closed set; the default admin is left out). */
export async function fetchRoleHolders(client: Client): Promise<Map<string, Set<RoleName>>> {
  const [granted, revoked] = await Promise.all([
    getContractEvents(client, { ...authority, eventName: "RoleGranted", fromBlock: 0n, strict: true }),
    getContractEvents(client, { ...authority, eventName: "RoleRevoked", fromBlock: 0n, strict: true }),
  ]);
  const events = [
    ...granted.map((l) => ({ grant: true, role: l.args.role, account: l.args.account, blockNumber: l.blockNumber, logIndex: l.logIndex })),
    ...revoked.map((l) => ({ grant: false, role: l.args.role, account: l.args.account, blockNumber: l.blockNumber, logIndex: l.logIndex })),
  ].sort(byLogOrder);
  const holders = new Map<string, Set<RoleName>>();
  for (const e of events) {
    const role = ROLE_BY_ID.get(e.role.toLowerCase());
    if (role === undefined) continue;
    const key = e.account.toLowerCase();
    const set = holders.get(key) ?? new Set<RoleName>();
    if (e.grant) set.add(role);
    else set.delete(role);
    holders.set(key, set);
  }
  return holders;
}

/** Lower-case addresses of the current holders of `role`. */
export function holdersOf(holders: ReadonlyMap<string, ReadonlySet<RoleName>>, role: RoleName): string[] {
  return [...holders.entries()].filter(([, roles]) => roles.has(role)).map(([account]) => account);
}

// ---------------------------------------------------------------------------------------------------------------
// Organisations
// ---------------------------------------------------------------------------------------------------------------

/** An accredited organisation (lib/organisations.ts) with the roles it holds and those a suspension parked. */
export interface DirectoryEntry extends Organisation {
  /** Roles held now. */
  readonly roles: readonly RoleName[];
  /** Roles parked by a suspension (handed back on restore). */
  readonly parkedRoles: readonly RoleName[];
}

export interface Directory {
  readonly organisations: readonly DirectoryEntry[];
  /** Lower-case account → roles held now (organisations or not). */
  readonly holders: ReadonlyMap<string, ReadonlySet<RoleName>>;
  /** `MAX_NAME_BYTES` of the authority. */
  readonly maxNameBytes: number;
}

/** Every accredited organisation with its status and roles, newest first. */
export async function fetchDirectory(client: Client): Promise<Directory> {
  const [accredited, holders, maxNameBytes] = await Promise.all([
    fetchOrganisations(client),
    fetchRoleHolders(client),
    readContract(client, { ...authority, functionName: "MAX_NAME_BYTES" }),
  ]);
  const organisations = accredited.map(
    (org): DirectoryEntry => ({
      ...org,
      roles: ROLE_NAMES.filter((r) => holders.get(org.address.toLowerCase())?.has(r) === true),
      parkedRoles: rolesOfMask(org.parkedRoleMask),
    }),
  );
  organisations.reverse();
  return { organisations, holders, maxNameBytes: Number(maxNameBytes) };
}

/** What the connected account may do here. */
export interface MyRoles {
  readonly isRegulator: boolean;
  readonly isAttester: boolean;
  /** Roles the account may hand out with `grantRole` (it holds their admin role). */
  readonly grantable: readonly RoleName[];
}

export async function fetchMyRoles(client: Client, account: Address): Promise<MyRoles> {
  const admins = await Promise.all(
    ROLE_NAMES.map((role) => readContract(client, { ...authority, functionName: "getRoleAdmin", args: [roleId(role)] })),
  );
  const adminIds = [...new Set(admins.map((a) => a.toLowerCase() as Hex))];
  const heldAdmin = new Map(
    await Promise.all(
      adminIds.map(
        async (id) => [id, await readContract(client, { ...authority, functionName: "hasRole", args: [id, account] })] as const,
      ),
    ),
  );
  const [isRegulator, isAttester] = await Promise.all([
    readContract(client, { ...authority, functionName: "hasRole", args: [roleId("REGULATOR_ROLE"), account] }),
    readContract(client, { ...authority, functionName: "hasRole", args: [roleId("LOT_ATTESTER_ROLE"), account] }),
  ]);
  return {
    isRegulator,
    isAttester,
    grantable: ROLE_NAMES.filter((_, i) => heldAdmin.get(admins[i].toLowerCase() as Hex) === true),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Lots
// ---------------------------------------------------------------------------------------------------------------

export interface LotFacts {
  readonly id: number;
  readonly manufacturer: Address;
  /** GTIN-14 text. */
  readonly gtin: string;
  readonly lotNumber: string;
  readonly doseCount: number;
  readonly dosesRecorded: number;
  readonly manufacturedAt: number;
  readonly expiresAt: number;
  readonly minTempCentiC: number;
  readonly maxTempCentiC: number;
  readonly dossierHash: Hex;
  readonly attestations: number;
  readonly quorum: number;
  readonly state: number;
}

export interface LotRow extends LotFacts {
  /** Each current lot-attester (never the manufacturer) and whether it attested this lot. */
  readonly attesters: readonly { readonly address: Address; readonly attested: boolean }[];
  /** The latest recall or non-conformance report, if any. */
  readonly flag: { readonly kind: "recalled" | "nonConformant"; readonly reason: number } | null;
}

export interface LotList {
  readonly lots: readonly LotRow[];
  /** Attestations a lot registered now needs. */
  readonly releaseQuorum: number;
}

type RegisteredLog = Awaited<ReturnType<typeof registeredLogs>>[number];

function registeredLogs(client: Client, lotId?: number) {
  return getContractEvents(client, {
    ...vaccineRegistry,
    eventName: "LotRegistered",
    args: lotId === undefined ? undefined : { lotId },
    fromBlock: 0n,
    strict: true,
  });
}

async function factsOf(client: Client, log: RegisteredLog): Promise<LotFacts> {
  const view = await readContract(client, { ...vaccineRegistry, functionName: "lotOf", args: [log.args.lotId] });
  return {
    id: log.args.lotId,
    manufacturer: log.args.manufacturer,
    gtin: log.args.gtin.toString().padStart(14, "0"),
    lotNumber: log.args.lotNumber,
    doseCount: view.doseCount,
    dosesRecorded: view.dosesRecorded,
    manufacturedAt: Number(log.args.manufacturedAt),
    expiresAt: Number(log.args.expiresAt),
    minTempCentiC: log.args.minTempCentiC,
    maxTempCentiC: log.args.maxTempCentiC,
    dossierHash: log.args.dossierHash,
    attestations: view.attestations,
    quorum: view.quorum,
    state: view.state,
  };
}

/** Every lot (newest first), with its attestations by each current lot-attester. */
export async function fetchLots(client: Client, attesters: readonly string[]): Promise<LotList> {
  const [logs, recalls, reports, releaseQuorum] = await Promise.all([
    registeredLogs(client),
    getContractEvents(client, { ...vaccineRegistry, eventName: "LotRecalled", fromBlock: 0n, strict: true }),
    getContractEvents(client, { ...vaccineRegistry, eventName: "LotNonConformant", fromBlock: 0n, strict: true }),
    readContract(client, { ...vaccineRegistry, functionName: "releaseQuorum" }),
  ]);
  const flags = new Map<number, LotRow["flag"] & Ordered>();
  const note = (lotId: number, flag: NonNullable<LotRow["flag"]> & Ordered) => {
    const previous = flags.get(lotId);
    if (previous === undefined || byLogOrder(previous, flag) < 0) flags.set(lotId, flag);
  };
  for (const l of recalls) note(l.args.lotId, { kind: "recalled", reason: l.args.reason, blockNumber: l.blockNumber, logIndex: l.logIndex });
  for (const l of reports) note(l.args.lotId, { kind: "nonConformant", reason: l.args.reason, blockNumber: l.blockNumber, logIndex: l.logIndex });
  const lots = await Promise.all(
    logs.map(async (log): Promise<LotRow> => {
      const facts = await factsOf(client, log);
      const candidates = attesters.filter((a) => a !== facts.manufacturer.toLowerCase()) as Address[];
      const attested = await Promise.all(
        candidates.map((a) => readContract(client, { ...vaccineRegistry, functionName: "hasAttested", args: [facts.id, a] })),
      );
      const flag = flags.get(facts.id);
      return {
        ...facts,
        attesters: candidates.map((address, i) => ({ address, attested: attested[i] })),
        flag: flag === undefined ? null : { kind: flag.kind, reason: flag.reason },
      };
    }),
  );
  lots.reverse();
  return { lots, releaseQuorum };
}

/** One moment of a lot's history. */
export type LotEvent = { readonly at: number; readonly blockNumber: bigint; readonly logIndex: number } & (
  | { readonly type: "registered"; readonly by: Address }
  | { readonly type: "attested"; readonly by: Address; readonly count: number }
  | { readonly type: "released"; readonly count: number }
  | { readonly type: "recalled"; readonly by: Address; readonly reason: number }
  | { readonly type: "nonConformant"; readonly by: Address; readonly reason: number; readonly evidence: Hex }
  | { readonly type: "expired" }
);

export interface LotDetail {
  readonly facts: LotFacts;
  /** Oldest first. */
  readonly history: readonly LotEvent[];
  /** Dose records made from it (voided included) and how many of them were voided. */
  readonly doses: { readonly recorded: number; readonly voided: number };
  /** Chain time of the latest block. */
  readonly now: number;
}

/** A lot's facts, history and dose counts; null when no lot has this id. */
export async function fetchLotDetail(client: Client, lotId: number): Promise<LotDetail | null> {
  const [registered] = await registeredLogs(client, lotId);
  if (registered === undefined) return null;
  const args = { lotId };
  const [facts, attested, released, recalled, reported, voided, latest] = await Promise.all([
    factsOf(client, registered),
    getContractEvents(client, { ...vaccineRegistry, eventName: "LotAttested", args, fromBlock: 0n, strict: true }),
    getContractEvents(client, { ...vaccineRegistry, eventName: "LotReleased", args, fromBlock: 0n, strict: true }),
    getContractEvents(client, { ...vaccineRegistry, eventName: "LotRecalled", args, fromBlock: 0n, strict: true }),
    getContractEvents(client, { ...vaccineRegistry, eventName: "LotNonConformant", args, fromBlock: 0n, strict: true }),
    voidedDosesOf(client, lotId),
    getBlock(client, { blockTag: "latest" }),
  ]);

  const blocks = [
    registered.blockNumber,
    ...[...attested, ...released, ...recalled, ...reported].map((l) => l.blockNumber),
  ];
  const times = new Map(
    await Promise.all(
      [...new Set(blocks)].map(async (n) => [n, Number((await getBlock(client, { blockNumber: n })).timestamp)] as const),
    ),
  );
  const at = (n: bigint): number => times.get(n) ?? 0;
  const registration: LotEvent = {
    type: "registered",
    by: registered.args.manufacturer,
    at: at(registered.blockNumber),
    blockNumber: registered.blockNumber,
    logIndex: registered.logIndex,
  };
  const history: LotEvent[] = [
    registration,
    ...attested.map((l): LotEvent => ({ type: "attested", by: l.args.attester, count: l.args.attestations, at: at(l.blockNumber), blockNumber: l.blockNumber, logIndex: l.logIndex })),
    ...released.map((l): LotEvent => ({ type: "released", count: l.args.attestations, at: at(l.blockNumber), blockNumber: l.blockNumber, logIndex: l.logIndex })),
    ...recalled.map((l): LotEvent => ({ type: "recalled", by: l.args.regulator, reason: l.args.reason, at: at(l.blockNumber), blockNumber: l.blockNumber, logIndex: l.logIndex })),
    ...reported.map(
      (l): LotEvent => ({
        type: "nonConformant",
        by: l.args.reporter,
        reason: l.args.reason,
        evidence: l.args.evidence,
        at: at(l.blockNumber),
        blockNumber: l.blockNumber,
        logIndex: l.logIndex,
      }),
    ),
  ].sort(byLogOrder);
  const now = Number(latest.timestamp);
  if (facts.expiresAt <= now) {
    // Expiry is not an event: it is a moment the chain's clock passed. Place it in time among the events.
    const expired: LotEvent = { type: "expired", at: facts.expiresAt, blockNumber: 0n, logIndex: 0 };
    const index = history.findIndex((e) => e.at > facts.expiresAt);
    history.splice(index === -1 ? history.length : index, 0, expired);
  }
  // The lot's own counter says how many doses were recorded from it (voided ones included): no log is read for them.
  return { facts, history, doses: { recorded: facts.dosesRecorded, voided }, now };
}

/**
 * How many of a lot's dose records were voided. DoseRecorded is the registry's largest stream of events (hundreds of
 * thousands at a national scale) and its `lotId` is not indexed, so it is never read whole into a browser; voids are
 * few: each DoseVoided is placed in its lot by `doseOf`.
 */
async function voidedDosesOf(client: Client, lotId: number): Promise<number> {
  const logs = await getContractEvents(client, { ...vaccineRegistry, eventName: "DoseVoided", fromBlock: 0n, strict: true });
  const doseIds = [...new Set(logs.map((l) => l.args.doseId))];
  const doses = await Promise.all(doseIds.map((doseId) => readContract(client, { ...vaccineRegistry, functionName: "doseOf", args: [doseId] })));
  return doses.filter((d) => d.lotId === lotId).length;
}

/** The id of the lot with this GTIN and lot number (0 when none). */
export async function fetchLotIdOf(client: Client, gtin: string, lotNumber: string): Promise<number> {
  return readContract(client, { ...vaccineRegistry, functionName: "lotIdOf", args: [BigInt(gtin), lotNumber] });
}
