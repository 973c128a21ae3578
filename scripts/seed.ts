/**
 * Seed the local HealthTrace chain with realistic demo data, as one coherent timeline of about six months.
 *
 *   npx hardhat run scripts/seed.ts --network localhost
 *
 * Expects the Ignition deployment (`ignition/modules/HealthTrace.ts`) on the same chain, and a chain whose clock
 * starts about 180 days before the wall clock (`npm run dev` starts `hardhat node --network devChain`, see
 * hardhat.config.ts). The seed accredits the organisations at the chain's start, then walks forward through
 * time (each transaction mined alone in a block at its own moment with `evm_mine`, clinics at work 08:30–16:30
 * Shanghai time) and ends with a block about a minute before the wall clock. Along the way:
 * - every organisation persona of `scripts/lib/personas.ts` accredited with its roles (day 0);
 * - vaccine lots of the two manufacturers (`scripts/lib/vaccines.ts`): registered, attested by the lab and the
 *   regulator (release quorum 2), one recalled after doses were given from it, one expiring along the way after
 *   doses, one quarantined by the regulator, one made non-conformant by a cold-chain excursion of one of its
 *   shipments, one still pending release (one attestation);
 * - doses given by the clinics and hospitals in five districts over the months to the five citizen personas
 *   (dose 1, 2, booster, influenza) and to deterministic synthetic citizen wallets; most confirmed by their
 *   citizen (directly, or by an EIP-712 `ConfirmDose` signature the clinic relays), some still awaiting
 *   confirmation, many verified by the regulator in fortnightly audits, two voided with a reason;
 * - record anchors about the citizens (the hash of a salted, synthetic JSON document; only the hash goes on
 *   chain), including an immunization record for each persona dose;
 * - consent grants, directly and by relayed EIP-712 signatures: some expire along the way, some are revoked,
 *   the rest are still live at the end; the record vault logs reads while grants are live;
 * - supply provenance (`ProvenanceRegistry`, locations and non-vaccine products in `scripts/lib/supplies.ts`):
 *   every organisation of the supply chain registers its sites (GLNs) on the first morning; on each vaccine lot's
 *   release day its manufacturer ships one insulated shipper (the lot's 2–8 °C or −25…−15 °C range as its cold
 *   chain) per clinic that gives doses from it, manufacturer → carrier → Baoshan DC → clinic, delivered the next
 *   morning before the clinic's first dose; masks (no cold chain) and antigen test kits (2–30 °C) travel the same
 *   way. Creating a shipment is its commissioning; custody steps in GS1 CBV terms (packing, loading, shipping,
 *   departing, transporting with a reading every 30 minutes, arriving, receiving, inspecting, storing, picking,
 *   sensor_reporting, holding, destroying) are uploaded by each holder's terminal, in `recordSteps` batches where
 *   a terminal would batch them; every hand-over is proposed and accepted, the last one final. A replenishment of the mRNA lot FOSUN…A has a freezer failure in
 *   transit: the reading outside its range makes the shipment and, through the registry's hook, the lot
 *   non-conformant (no regulator action), and the warehouse rejects it (temperature excursion) so it goes back to
 *   the manufacturer; a mis-routed mask delivery is rejected (not expected) and re-proposed to the right
 *   hospital; clinics hold their stock when a lot is recalled, quarantined, non-conformant or expired; two
 *   suspect scans are reported (a delivered label at the carrier's hub, a serial never issued); at the end two
 *   shipments are with the carrier, one awaits a hospital's acceptance and one is in the warehouse.
 * Then it checks the chain against the plan (lot states, every dose, proofs of vaccination, grants, every
 * location and shipment, the excursion, rejection and scan events).
 *
 * Writes `.dev/stack.json` (chain, contracts, accounts with personas and roles, the seeded lots, doses, grants,
 * locations and shipments with their GS1 Digital Link URIs) and `.dev/records.json` (the demo record documents,
 * for a local record vault). Both are gitignored.
 * Not idempotent: meant for a fresh dev chain (`npm run dev` starts one on every run).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse, HDNodeWallet } from "ethers";
import hre, { network } from "hardhat";

import {
  type ConsentRegistry,
  ConsentRegistry__factory,
  type HealthTraceAuthority,
  HealthTraceAuthority__factory,
  type ProvenanceRegistry,
  ProvenanceRegistry__factory,
  type RecordRegistry,
  RecordRegistry__factory,
  type VaccineRegistry,
  VaccineRegistry__factory,
} from "../types/ethers-contracts/index.js";
import { CONSENT_TYPES } from "./lib/consent-typed-data.js";
import {
  CATEGORY_LABELS,
  Category,
  type CategoryCode,
  DEV_ACCOUNT_COUNT,
  DEV_HD_PATH_PREFIX,
  DEV_MNEMONIC,
  DISTRICT_NAMES,
  KIND_LABELS,
  PERSONAS,
  PURPOSE_LABELS,
  type Persona,
  type PersonaKey,
  Purpose,
  type PurposeCode,
  ROLE_IDS,
  ROLE_NAMES,
  grantableRoles,
  label,
  organisations,
  persona,
} from "./lib/personas.js";
import {
  type RecordBody,
  type RecordDocument,
  diagnosis,
  healthCode,
  imaging,
  immunization,
  makeRecordDocument,
  pcrResult,
  prescription,
  recordIdOf,
} from "./lib/records.js";
import { buildDigitalLink, isValidGln } from "./lib/digital-link.js";
import { BIZ_STEPS, DISPOSITIONS, packStep, rejectReason, scanVerdict } from "./lib/steps.js";
import {
  BizStep,
  type BizStepName,
  Disposition,
  type DispositionName,
  type LocationKey,
  RECEIVING_SITES,
  type ReceivingSiteKey,
  RejectReason,
  type RejectReasonCode,
  SHIPMENT_STATE_LABELS,
  SUPPLY_LOCATIONS,
  SUPPLY_PRODUCTS,
  ScanVerdict,
  type ScanVerdictCode,
  type ShipmentState,
  type SupplyProduct,
  supplyLocation,
} from "./lib/supplies.js";
import { ProofResult, VACCINE_TYPES } from "./lib/vaccine-typed-data.js";
import {
  LOT_REASON_LABELS,
  LOT_STATE_LABELS,
  LotReason,
  type LotReasonCode,
  LotState,
  type LotStateCode,
  SHANGHAI_DISTRICTS,
  SYNTHETIC_CITIZEN_MNEMONIC,
  VACCINE_PRODUCTS,
  VOID_REASON_LABELS,
  type VaccineProduct,
  type VaccineProductKey,
  VoidReason,
  type VoidReasonCode,
  cstDate,
  cstMidnight,
  cstYmd,
  isValidGtin,
  lotStateWarns,
  prng,
} from "./lib/vaccines.js";

const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;
const MODULE_ID = "HealthTrace";
const CONTRACTS = [
  "HealthTraceAuthority",
  "RecordRegistry",
  "ConsentRegistry",
  "VaccineRegistry",
  "ProvenanceRegistry",
] as const;
type ContractName = (typeof CONTRACTS)[number];

/** The timeline's first day, counted back from its last (the dev chain starts 180 days back). */
const HISTORY_DAYS = 179;
/** The seed's last block is this many seconds before the wall clock at the seed's start. */
const END_BEHIND_WALL_CLOCK = 60;
/** Release quorum the lot plan is written for (lab + regulator); the deployment's must match. */
const PLANNED_RELEASE_QUORUM = 2;
/** Seed of the deterministic PRNG that shapes the synthetic doses. */
const DEMO_RANDOM_SEED = 20_260_517;
/** Seed of the deterministic PRNG of the shipments' temperature readings (separate, so doses do not move). */
const SUPPLY_RANDOM_SEED = 20_260_905;
/** Synthetic citizens by schedule. */
const SYNTHETIC = { covidInactivatedPrimary: 48, covidMrnaPrimary: 36, influenzaOnly: 75 } as const;

/** Every timeline transaction carries explicit gas and fees, so the node neither estimates nor prices it. */
const TX_GAS = 300_000n;
const MAX_FEE_PER_GAS = 2_000_000_000n;
const MAX_PRIORITY_FEE_PER_GAS = 1_000_000_000n;
/** What a synthetic citizen who confirms from their own wallet is given for gas (set, not transferred). */
const SYNTHETIC_GAS_MONEY = 50_000_000_000_000_000n;

const CLINICS = [
  "huamuChc",
  "wujiaochangChc",
  "gumeiChc",
  "ruijin",
  "zhongshan",
] as const satisfies readonly PersonaKey[];
type ClinicKey = (typeof CLINICS)[number];
/** Relative share of a synthetic citizen's home clinic: community centres vaccinate most. */
const CLINIC_WEIGHTS: Readonly<Record<ClinicKey, number>> = {
  huamuChc: 3,
  wujiaochangChc: 2.5,
  gumeiChc: 2.5,
  ruijin: 1.2,
  zhongshan: 1.5,
};

/** Short manufacturer names for the summary table. */
const MANUFACTURER_SHORT: Readonly<Partial<Record<PersonaKey, string>>> = {
  manufacturerA: "SIBP",
  manufacturerB: "Fosun",
};

class SeedError extends Error {}

const iso = (unix: number): string => new Date(unix * 1000).toISOString();
const isoMinute = (unix: number): string => `${iso(unix).slice(0, 16).replace("T", " ")} UTC`;
/** "YYYY-MM-DD hh:mm" in Shanghai time (UTC+8). */
const cstMinute = (unix: number): string =>
  `${iso(unix + 8 * 3_600)
    .slice(0, 16)
    .replace("T", " ")} Shanghai time`;

async function main(): Promise<void> {
  const startedAt = Date.now();

  // ---------------------------------------------------------------------------------------------------------
  // Connection and deployment
  // ---------------------------------------------------------------------------------------------------------

  const connection = await network.create();
  const { ethers } = connection;
  const provider = ethers.provider;
  const root = hre.config.paths.root;

  if (connection.networkConfig.type === "edr-simulated") {
    throw new SeedError(
      `seed: network "${connection.networkName}" is an in-process simulated chain that vanishes when this ` +
        `script ends. Start the local node and run: npx hardhat run scripts/seed.ts --network localhost ` +
        `(or just: npm run dev)`,
    );
  }

  const rpcUrl = connection.networkConfig.type === "http" ? await connection.networkConfig.url.get() : "";
  const chainId = Number((await provider.getNetwork()).chainId);

  async function readDeployment(): Promise<Record<ContractName, string>> {
    const file = path.join(root, "ignition", "deployments", `chain-${chainId}`, "deployed_addresses.json");
    let raw: string;
    try {
      raw = await readFile(file, "utf8");
    } catch {
      throw new SeedError(
        `seed: HealthTrace is not deployed on chain ${chainId} (${rpcUrl}): ${path.relative(root, file)} not found.\n` +
          `      Deploy first: npx hardhat ignition deploy ignition/modules/HealthTrace.ts --network ${connection.networkName}`,
      );
    }
    const addresses: unknown = JSON.parse(raw);
    if (typeof addresses !== "object" || addresses === null) {
      throw new SeedError(`seed: ${path.relative(root, file)} is not a JSON object`);
    }
    const byId = new Map(Object.entries(addresses));
    const result: Partial<Record<ContractName, string>> = {};
    for (const name of CONTRACTS) {
      const address = byId.get(`${MODULE_ID}#${name}`);
      if (typeof address !== "string" || !ethers.isAddress(address)) {
        throw new SeedError(`seed: ${path.relative(root, file)} has no address for "${MODULE_ID}#${name}"; redeploy.`);
      }
      if ((await provider.getCode(address)) === "0x") {
        throw new SeedError(
          `seed: no contract code at ${name} ${address} on chain ${chainId} (${rpcUrl}). The deployment file is ` +
            `stale (the node was restarted?). Redeploy: npx hardhat ignition deploy ignition/modules/HealthTrace.ts ` +
            `--network ${connection.networkName} (npm run dev does all of this).`,
        );
      }
      result[name] = address;
    }
    return result as Record<ContractName, string>;
  }

  const addresses = await readDeployment();

  const signers = await ethers.getSigners();
  const personaAccounts = Math.max(...PERSONAS.map((p) => p.index)) + 1;
  if (signers.length < personaAccounts) {
    throw new SeedError(`seed: the node exposes ${signers.length} accounts; the personas need ${personaAccounts}.`);
  }
  const signerOf = (key: PersonaKey): HardhatEthersSigner => signers[persona(key).index];
  const addressOf = (key: PersonaKey): string => signerOf(key).address;

  const authority: HealthTraceAuthority = HealthTraceAuthority__factory.connect(
    addresses.HealthTraceAuthority,
    signers[0],
  );
  const records: RecordRegistry = RecordRegistry__factory.connect(addresses.RecordRegistry, signers[0]);
  const consent: ConsentRegistry = ConsentRegistry__factory.connect(addresses.ConsentRegistry, signers[0]);
  const vaccines: VaccineRegistry = VaccineRegistry__factory.connect(addresses.VaccineRegistry, signers[0]);
  const provenance: ProvenanceRegistry = ProvenanceRegistry__factory.connect(addresses.ProvenanceRegistry, signers[0]);

  /** Send a transaction and wait for it; a failure names the step. */
  async function send(step: string, tx: Promise<ContractTransactionResponse>): Promise<void> {
    try {
      // The node automines here: the receipt exists as soon as the send returns (no polling as `wait()` does).
      const receipt = await provider.getTransactionReceipt((await tx).hash);
      if (receipt === null || receipt.status !== 1) throw new Error("transaction failed");
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SeedError(`seed: ${step} failed: ${reason}`);
    }
  }

  async function latestTime(): Promise<number> {
    const block = await provider.getBlock("latest");
    if (block === null) throw new SeedError("seed: the node returned no latest block");
    return block.timestamp;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Sanity checks: role ids, the deployment's own accreditation of the regulator, the admin, the vaccine registry
  // ---------------------------------------------------------------------------------------------------------

  for (const name of ROLE_NAMES) {
    const onChain = await authority[name]();
    if (onChain !== ROLE_IDS[name] || ethers.id(name) !== ROLE_IDS[name]) {
      throw new SeedError(`seed: role id mismatch for ${name}: contract ${onChain}, personas.ts ${ROLE_IDS[name]}`);
    }
  }
  const regulatorPersona = persona("regulator");
  const regulatorOrg = await authority.organisationOf(addressOf("regulator"));
  if (!(await authority.hasRole(ROLE_IDS.REGULATOR_ROLE, addressOf("regulator")))) {
    throw new SeedError(
      `seed: account ${regulatorPersona.index} (${addressOf("regulator")}) is not the regulator of this deployment; ` +
        `the Ignition parameters differ from scripts/lib/personas.ts.`,
    );
  }
  if (
    Number(regulatorOrg.kind) !== regulatorPersona.kind ||
    Number(regulatorOrg.district) !== regulatorPersona.district
  ) {
    throw new SeedError("seed: the deployed regulator's kind/district differ from scripts/lib/personas.ts");
  }
  if ((await authority.defaultAdmin()) !== addressOf("admin")) {
    throw new SeedError(`seed: account 0 is not the default admin of this deployment`);
  }
  if ((await vaccines.authority()) !== addresses.HealthTraceAuthority) {
    throw new SeedError("seed: the deployed VaccineRegistry checks the roles of another authority; redeploy.");
  }
  const releaseQuorum = Number(await vaccines.releaseQuorum());
  if (releaseQuorum !== PLANNED_RELEASE_QUORUM) {
    throw new SeedError(
      `seed: the VaccineRegistry's release quorum is ${releaseQuorum}; the demo lots are released by the lab and ` +
        `the regulator (quorum ${PLANNED_RELEASE_QUORUM}). Deploy with the default releaseQuorum parameter.`,
    );
  }
  if (
    (await provenance.authority()) !== addresses.HealthTraceAuthority ||
    (await provenance.vaccineRegistry()) !== addresses.VaccineRegistry
  ) {
    throw new SeedError(
      "seed: the deployed ProvenanceRegistry is wired to another authority or vaccine registry; redeploy.",
    );
  }
  if ((await vaccines.coldChainReporter()) !== addresses.ProvenanceRegistry) {
    throw new SeedError(
      "seed: the VaccineRegistry's cold-chain reporter is not the ProvenanceRegistry, so the planned excursion would " +
        "not make its vaccine lot non-conformant. Deploy with ignition/modules/HealthTrace.ts (it names the reporter).",
    );
  }
  // The step words the seed packs (scripts/lib/steps.ts) must be the contract's, and the CBV codes it names
  // (scripts/lib/supplies.ts) those of scripts/lib/steps.ts.
  for (const [name, code] of Object.entries(BizStep)) {
    if (BIZ_STEPS[code]?.name !== name) throw new SeedError(`seed: bizStep ${name} is not code ${code} in steps.ts`);
  }
  for (const [name, code] of Object.entries(Disposition)) {
    if (DISPOSITIONS[code]?.name !== name)
      throw new SeedError(`seed: disposition ${name} is not code ${code} in steps.ts`);
  }
  const sampleStep = {
    bizStep: 5,
    disposition: 1,
    readPoint: 6944012000303n,
    eventTime: 1_780_000_000,
    temperatureCentiC: -1873,
  };
  const packedOnChain = await provenance.packStep(5, 1, 6944012000303n, 1_780_000_000, true, -1873);
  if (packStep(sampleStep) !== packedOnChain) {
    throw new SeedError(`seed: scripts/lib/steps.ts packs ${packStep(sampleStep)}, the contract ${packedOnChain}`);
  }
  if ((await provenance.locationOwner(BigInt(SUPPLY_LOCATIONS[0].gln))) !== ethers.ZeroAddress) {
    throw new SeedError("seed: the ProvenanceRegistry already has the demo locations: this chain was seeded before.");
  }
  if ((await vaccines.lotCount()) !== 0n) {
    throw new SeedError(
      "seed: the VaccineRegistry already has lots: this chain was seeded before (restart npm run dev).",
    );
  }

  // ---------------------------------------------------------------------------------------------------------
  // 1. Organisations and roles, at the chain's start
  // ---------------------------------------------------------------------------------------------------------

  const chainStart = await latestTime();
  const asRegulator = authority.connect(signerOf("regulator"));
  let accredited = 0;
  let rolesGranted = 0;
  for (const p of organisations()) {
    const address = signers[p.index].address;
    if (p.key !== "regulator") {
      if (p.kind === null) throw new SeedError(`seed: organisation persona ${p.key} has no kind`);
      await send(`accredit ${p.name.en}`, asRegulator.accredit(address, p.kind, p.district, p.name.en, p.name.zh));
      accredited += 1;
    }
    for (const roleName of grantableRoles(p)) {
      if (await authority.hasRole(ROLE_IDS[roleName], address)) continue;
      // The regulator role is administered by the default admin, every other role by the regulator.
      const granter = roleName === "REGULATOR_ROLE" ? authority : asRegulator;
      await send(`grant ${roleName} to ${p.name.en}`, granter.grantRole(ROLE_IDS[roleName], address));
      rolesGranted += 1;
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // 2. The timeline's frame: it ends a minute before the wall clock and starts HISTORY_DAYS days earlier
  // ---------------------------------------------------------------------------------------------------------

  const afterAccreditation = await latestTime();
  const wallNow = Math.floor(Date.now() / 1000);
  let end = wallNow - END_BEHIND_WALL_CLOCK;
  const firstDay = (e: number): number => cstMidnight(e) - HISTORY_DAYS * DAY;
  let endsInFuture = false;
  if (firstDay(end) + 8 * HOUR <= afterAccreditation) {
    // Not a dev chain started in the past (e.g. a plain `hardhat node`): the history has to run into the future.
    end = afterAccreditation + (HISTORY_DAYS + 1) * DAY;
    endsInFuture = true;
  }
  const endMidnight = cstMidnight(end);
  /** Unix time of hh:mm China Standard Time, `daysAgo` days before the timeline's last day. */
  const at = (daysAgo: number, hh: number, mm = 0): number => endMidnight - daysAgo * DAY + hh * HOUR + mm * MINUTE;
  /** Nothing is planned this close to the end (or later): the final block is at `end`. */
  const latestPlannable = end - 10 * MINUTE;

  // ---------------------------------------------------------------------------------------------------------
  // 3. The scheduler: events sorted by time, each transaction mined at its own moment
  // ---------------------------------------------------------------------------------------------------------

  interface TimelineEvent {
    readonly at: number;
    readonly seq: number;
    readonly what: string;
    readonly run: () => Promise<void>;
  }
  const timeline: TimelineEvent[] = [];
  /** When the transaction of a keyed event was mined (a planned time moves on by a second if it is taken). */
  const minedAt = new Map<string, number>();
  function on(when: number, what: string, run: () => Promise<void>, key?: string): void {
    if (when <= afterAccreditation || when > latestPlannable) {
      throw new SeedError(
        `seed: "${what}" planned at ${iso(when)}, outside the timeline (${iso(afterAccreditation)} – ${iso(latestPlannable)})`,
      );
    }
    const keyed =
      key === undefined
        ? run
        : async (): Promise<void> => {
            await run();
            minedAt.set(key, lastTimestamp);
          };
    timeline.push({ at: when, seq: timeline.length, what, run: keyed });
  }
  /** ISO time at which the keyed event was mined. */
  const mined = (key: string): string => {
    const ts = minedAt.get(key);
    if (ts === undefined) throw new SeedError(`seed: no transaction was mined for "${key}"`);
    return iso(ts);
  };

  let lastTimestamp = afterAccreditation;
  let currentAt = afterAccreditation;
  let currentEvent = "";
  let txCount = 0;
  /**
   * While the timeline runs, the node does not automine: each transaction goes to the mempool and `evm_mine` mines
   * it alone in a block at its event's time. That is markedly faster than automining after
   * `evm_setNextBlockTimestamp`, but a revert no longer fails the send, so every transaction is remembered and its
   * receipt checked (`firstFailure`) when the timeline ends or an event fails.
   */
  interface SentTx {
    readonly hash: string;
    readonly what: string;
    readonly from: string;
    readonly to: string;
    readonly data: string;
  }
  const sentTxs: SentTx[] = [];
  let receiptsChecked = 0;
  async function mine(): Promise<void> {
    const ts = Math.max(currentAt, lastTimestamp + 1);
    await provider.send("evm_mine", [ts]);
    lastTimestamp = ts;
  }
  const fees = {
    maxFeePerGas: ethers.toQuantity(MAX_FEE_PER_GAS),
    maxPriorityFeePerGas: ethers.toQuantity(MAX_PRIORITY_FEE_PER_GAS),
  };
  /** Send `data` to `to` from a node account (a persona), mined at the current event's time. */
  async function tx(from: string, to: string, data: string, gas: bigint = TX_GAS): Promise<void> {
    const hash: unknown = await provider.send("eth_sendTransaction", [
      { from, to, data, gas: ethers.toQuantity(gas), ...fees },
    ]);
    await mine();
    sentTxs.push({ hash: String(hash), what: currentEvent, from, to, data });
    txCount += 1;
  }
  /** The reason a mined transaction reverted, replayed as a call on the state before its block. */
  async function revertReason(t: SentTx, blockNumber: number): Promise<string> {
    try {
      await provider.call({ from: t.from, to: t.to, data: t.data, blockTag: blockNumber - 1 });
      return "reverted (the replay succeeds: out of gas?)";
    } catch (error) {
      const data = typeof error === "object" && error !== null && "data" in error ? error.data : null;
      if (typeof data === "string") {
        for (const iface of [
          provenance.interface,
          vaccines.interface,
          consent.interface,
          records.interface,
          authority.interface,
        ]) {
          const parsed = iface.parseError(data);
          if (parsed !== null) return `reverted with ${parsed.name}(${parsed.args.map(String).join(", ")})`;
        }
      }
      return error instanceof Error ? error.message : String(error);
    }
  }
  /** The first timeline transaction (not yet checked) that did not succeed, in words; null if none. */
  async function firstFailure(): Promise<string | null> {
    while (receiptsChecked < sentTxs.length) {
      const chunk = sentTxs.slice(receiptsChecked, receiptsChecked + 200);
      const receipts = await Promise.all(chunk.map((t) => provider.getTransactionReceipt(t.hash)));
      for (let i = 0; i < chunk.length; i++) {
        const receipt = receipts[i];
        if (receipt === null) return `seed: ${chunk[i].what} failed: its transaction was not mined`;
        if (receipt.status !== 1) {
          return `seed: ${chunk[i].what} (block ${receipt.blockNumber}) failed: ${await revertReason(chunk[i], receipt.blockNumber)}`;
        }
      }
      receiptsChecked += chunk.length;
    }
    return null;
  }
  /** Send `data` to `to` signed locally by a synthetic citizen's wallet, mined at the current event's time. */
  async function rawTx(citizen: Citizen, to: string, data: string): Promise<void> {
    if (citizen.wallet === null) throw new SeedError(`seed: citizen ${citizen.address} has no local wallet`);
    const signed = await citizen.wallet.signTransaction({
      type: 2,
      chainId,
      nonce: citizen.nonce,
      to,
      data,
      gasLimit: TX_GAS,
      maxFeePerGas: MAX_FEE_PER_GAS,
      maxPriorityFeePerGas: MAX_PRIORITY_FEE_PER_GAS,
    });
    const hash: unknown = await provider.send("eth_sendRawTransaction", [signed]);
    await mine();
    sentTxs.push({ hash: String(hash), what: currentEvent, from: citizen.address, to, data });
    citizen.nonce += 1;
    txCount += 1;
  }

  // ---------------------------------------------------------------------------------------------------------
  // 4. Vaccine lots
  // ---------------------------------------------------------------------------------------------------------

  const vaccineDomainFields = await vaccines.eip712Domain();
  const vaccineDomain = {
    name: vaccineDomainFields.name,
    version: vaccineDomainFields.version,
    chainId: vaccineDomainFields.chainId,
    verifyingContract: vaccineDomainFields.verifyingContract,
  };
  const CONFIRM_TYPES = { ConfirmDose: [...VACCINE_TYPES.ConfirmDose] };
  const PROOF_TYPES = { VaccinationProof: [...VACCINE_TYPES.VaccinationProof] };

  interface PlannedLot {
    readonly key: string;
    readonly product: VaccineProduct;
    readonly lotNumber: string;
    readonly manufacturedAt: number;
    readonly expiresAt: number;
    readonly doseCount: number;
    readonly registerAt: number;
    readonly attestations: readonly { readonly by: PersonaKey; readonly at: number }[];
    readonly recall: { readonly at: number; readonly reason: LotReasonCode } | null;
    readonly quarantine: { readonly at: number; readonly reason: LotReasonCode; readonly evidence: string } | null;
    /**
     * When a custody step of one of its shipments reads a temperature outside the lot's range (uploaded at this
     * moment): the ProvenanceRegistry reports it and the lot becomes non-conformant with no regulator involved.
     */
    readonly excursion: { readonly at: number } | null;
    readonly intended: LotStateCode;
    readonly story: string;
    readonly dossierHash: string;
    /** Set when registered on chain. */
    id: number;
    /** Dose records made from it so far (voided ones included), as the contract counts them. */
    recorded: number;
  }

  interface LotSpec {
    readonly key: string;
    readonly product: VaccineProductKey;
    readonly manufacturedAt: number;
    readonly expiresAt?: number;
    readonly doseCount: number;
    readonly registerAt: number;
    readonly attestations: readonly { readonly by: PersonaKey; readonly at: number }[];
    readonly recall?: { readonly at: number; readonly reason: LotReasonCode };
    readonly quarantine?: { readonly at: number; readonly reason: LotReasonCode; readonly evidenceNote: string };
    readonly excursion?: { readonly at: number };
    readonly intended: LotStateCode;
    readonly story: string;
  }

  function planLot(spec: LotSpec): PlannedLot {
    const product: VaccineProduct = VACCINE_PRODUCTS[spec.product];
    if (!isValidGtin(product.gtin)) throw new SeedError(`seed: GTIN ${product.gtin} of ${product.key} is invalid`);
    const lotNumber = `${product.lotPrefix}${cstYmd(spec.manufacturedAt)}A`;
    const expiresAt = spec.expiresAt ?? spec.manufacturedAt + product.shelfLifeDays * DAY;
    return {
      key: spec.key,
      product,
      lotNumber,
      manufacturedAt: spec.manufacturedAt,
      expiresAt,
      doseCount: spec.doseCount,
      registerAt: spec.registerAt,
      attestations: spec.attestations,
      recall: spec.recall ?? null,
      quarantine:
        spec.quarantine === undefined
          ? null
          : {
              at: spec.quarantine.at,
              reason: spec.quarantine.reason,
              evidence: ethers.id(`healthtrace-demo:${spec.quarantine.evidenceNote}:${lotNumber}`),
            },
      excursion: spec.excursion ?? null,
      intended: spec.intended,
      story: spec.story,
      dossierHash: ethers.id(
        JSON.stringify({
          schema: "healthtrace.lot-release-dossier/1",
          synthetic: true,
          gtin: product.gtin,
          lotNumber,
          manufacturedOn: cstDate(spec.manufacturedAt),
          expiresOn: cstDate(expiresAt),
        }),
      ),
      id: 0,
      recorded: 0,
    };
  }

  // Release by the independent lab first (batch testing), then by the regulator, which completes the quorum.
  const released = (labDaysAgo: number, regulatorDaysAgo: number) => [
    { by: "lab" as const, at: at(labDaysAgo, 15, 10) },
    { by: "regulator" as const, at: at(regulatorDaysAgo, 10, 20) },
  ];
  const lots: PlannedLot[] = [
    planLot({
      key: "S1",
      product: "covidInactivated",
      expiresAt: at(75, 0),
      manufacturedAt: at(75, 0) - VACCINE_PRODUCTS.covidInactivated.shelfLifeDays * DAY,
      doseCount: 2000,
      registerAt: at(179, 10),
      attestations: released(178, 177),
      intended: LotState.Expired,
      story: "used for months, then expired with stock left",
    }),
    planLot({
      key: "S2",
      product: "covidInactivated",
      manufacturedAt: at(235, 0),
      doseCount: 3000,
      registerAt: at(172, 10, 30),
      attestations: released(170, 168),
      intended: LotState.Active,
      story: "in use",
    }),
    planLot({
      key: "F1",
      product: "covidMrna",
      manufacturedAt: at(205, 0),
      doseCount: 1200,
      registerAt: at(160, 11),
      attestations: released(158, 155),
      recall: { at: at(45, 10, 30), reason: LotReason.QualityDefect },
      intended: LotState.Recalled,
      story: "recalled after doses were given: those citizens are warned",
    }),
    planLot({
      key: "F2",
      product: "covidMrna",
      manufacturedAt: at(118, 0),
      doseCount: 1500,
      registerAt: at(92, 10),
      attestations: released(89, 86),
      intended: LotState.Active,
      story: "in use",
    }),
    planLot({
      key: "F3",
      product: "covidMrna",
      manufacturedAt: at(68, 0),
      doseCount: 800,
      registerAt: at(40, 10),
      attestations: released(38, 36),
      // A later replenishment shipment of this lot has a freezer failure in transit (section 6): the
      // ProvenanceRegistry reports the excursion and the lot becomes non-conformant, after doses were given.
      excursion: { at: at(12, 15, 30) },
      intended: LotState.NonConformant,
      story: "non-conformant through a cold-chain excursion of one of its shipments, after doses were given",
    }),
    planLot({
      key: "S5",
      product: "influenzaQuadrivalent",
      manufacturedAt: at(100, 0),
      doseCount: 600,
      registerAt: at(60, 10),
      attestations: released(58, 55),
      quarantine: { at: at(18, 11, 30), reason: LotReason.AdverseEvents, evidenceNote: "aefi-signal-review" },
      intended: LotState.NonConformant,
      story: "small lot quarantined by the regulator (adverse-event signal under review) after doses were given",
    }),
    planLot({
      key: "S3",
      product: "influenzaQuadrivalent",
      manufacturedAt: at(120, 0),
      doseCount: 2000,
      registerAt: at(82, 10),
      attestations: released(79, 76),
      intended: LotState.Active,
      story: "in use (influenza season)",
    }),
    planLot({
      key: "S4",
      product: "influenzaQuadrivalent",
      manufacturedAt: at(45, 0),
      doseCount: 2500,
      registerAt: at(6, 10),
      attestations: [{ by: "lab", at: at(3, 15, 10) }],
      intended: LotState.PendingRelease,
      story: "awaiting release: attested by the lab, not yet by the regulator",
    }),
  ];
  const lotByKey = new Map(lots.map((l) => [l.key, l]));
  const lotOfKey = (key: string): PlannedLot => {
    const lot = lotByKey.get(key);
    if (lot === undefined) throw new SeedError(`seed: no planned lot "${key}"`);
    return lot;
  };
  const releasedAt = (lot: PlannedLot): number | null =>
    lot.attestations.length >= PLANNED_RELEASE_QUORUM ? lot.attestations[PLANNED_RELEASE_QUORUM - 1].at : null;
  /**
   * When the clinics have a released lot: it leaves the plant on its release day and reaches the clinics by
   * noon the next day (section 6 plans those shipments and checks they arrive in time).
   */
  const availableFrom = (lot: PlannedLot): number | null => {
    const release = releasedAt(lot);
    return release === null ? null : cstMidnight(release) + DAY + 13 * HOUR;
  };
  /**
   * Clinics use a lot from an hour after it is delivered to them until its recall, quarantine or cold-chain
   * excursion, and not in its last 5 days.
   */
  function usable(lot: PlannedLot, when: number): boolean {
    const from = availableFrom(lot);
    if (from === null || when < from + HOUR) return false;
    const until = Math.min(
      lot.recall?.at ?? Infinity,
      lot.quarantine?.at ?? Infinity,
      lot.excursion?.at ?? Infinity,
      lot.expiresAt - 5 * DAY,
    );
    return when < until - HOUR;
  }

  let nextLotId = Number(await vaccines.lotCount()) + 1;
  for (const lot of lots) {
    const manufacturer = lot.product.manufacturer;
    on(
      lot.registerAt,
      `register lot ${lot.lotNumber}`,
      async () => {
        await tx(
          addressOf(manufacturer),
          addresses.VaccineRegistry,
          vaccines.interface.encodeFunctionData("registerLot", [
            {
              dossierHash: lot.dossierHash,
              lotNumber: lot.lotNumber,
              gtin: BigInt(lot.product.gtin),
              manufacturedAt: lot.manufacturedAt,
              doseCount: lot.doseCount,
              expiresAt: lot.expiresAt,
              minTempCentiC: lot.product.storageC.min * 100,
              maxTempCentiC: lot.product.storageC.max * 100,
            },
          ]),
        );
        lot.id = nextLotId++;
      },
      `lot:${lot.key}:register`,
    );
    for (const a of lot.attestations) {
      on(
        a.at,
        `attest lot ${lot.lotNumber} by ${a.by}`,
        () =>
          tx(addressOf(a.by), addresses.VaccineRegistry, vaccines.interface.encodeFunctionData("attestLot", [lot.id])),
        `lot:${lot.key}:attest:${a.by}`,
      );
    }
    const { recall, quarantine } = lot;
    if (recall !== null) {
      on(
        recall.at,
        `recall lot ${lot.lotNumber}`,
        () =>
          tx(
            addressOf("regulator"),
            addresses.VaccineRegistry,
            vaccines.interface.encodeFunctionData("recallLot", [lot.id, recall.reason]),
          ),
        `lot:${lot.key}:recall`,
      );
    }
    if (quarantine !== null) {
      on(
        quarantine.at,
        `quarantine lot ${lot.lotNumber}`,
        () =>
          tx(
            addressOf("regulator"),
            addresses.VaccineRegistry,
            vaccines.interface.encodeFunctionData("quarantineLot", [lot.id, quarantine.reason, quarantine.evidence]),
          ),
        `lot:${lot.key}:quarantine`,
      );
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // 5. Citizens and doses
  // ---------------------------------------------------------------------------------------------------------

  interface Citizen {
    readonly address: string;
    readonly personaKey: PersonaKey | null;
    readonly syntheticIndex: number | null;
    readonly wallet: HDNodeWallet | null;
    nonce: number;
    funded: boolean;
  }
  type ConfirmVia = "citizen" | "signature";
  interface PlannedDose {
    /** Position in `doses`: the key of its timeline events. */
    readonly n: number;
    readonly citizen: Citizen;
    readonly clinic: ClinicKey;
    readonly district: number;
    readonly lot: PlannedLot;
    readonly doseNumber: number;
    readonly at: number;
    confirm: { readonly at: number; readonly via: ConfirmVia } | null;
    verifyAt: number | null;
    voided: { readonly at: number; readonly reason: VoidReasonCode } | null;
    /** Set when recorded on chain. */
    sequence: number;
    id: string;
  }

  const personaCitizens = new Map<PersonaKey, Citizen>();
  const citizenOf = (key: PersonaKey): Citizen => {
    let c = personaCitizens.get(key);
    if (c === undefined) {
      c = { address: addressOf(key), personaKey: key, syntheticIndex: null, wallet: null, nonce: 0, funded: true };
      personaCitizens.set(key, c);
    }
    return c;
  };
  const syntheticRoot = ethers.HDNodeWallet.fromPhrase(SYNTHETIC_CITIZEN_MNEMONIC, undefined, DEV_HD_PATH_PREFIX);
  const syntheticCitizens: Citizen[] = [];
  function newSyntheticCitizen(): Citizen {
    const index = syntheticCitizens.length;
    const wallet = syntheticRoot.deriveChild(index);
    const c: Citizen = {
      address: wallet.address,
      personaKey: null,
      syntheticIndex: index,
      wallet,
      nonce: 0,
      funded: false,
    };
    syntheticCitizens.push(c);
    return c;
  }

  const doses: PlannedDose[] = [];
  const AUDITS = [164, 150, 136, 122, 108, 94, 80, 66, 52, 38, 24, 10].map((d) => at(d, 10));
  /** The regulator's first fortnightly audit at least two days after `when`, if any before the end. */
  const auditAfter = (when: number): number | null => AUDITS.find((a) => a >= when + 2 * DAY) ?? null;

  function planDose(
    citizen: Citizen,
    clinic: ClinicKey,
    lot: PlannedLot,
    doseNumber: number,
    when: number,
    confirm: { at: number; via: ConfirmVia } | null,
    verify: boolean,
  ): PlannedDose {
    if (!usable(lot, when))
      throw new SeedError(`seed: planned a dose from lot ${lot.key} at ${iso(when)}, when it is not in use`);
    const dose: PlannedDose = {
      n: doses.length,
      citizen,
      clinic,
      district: persona(clinic).district,
      lot,
      doseNumber,
      at: when,
      confirm: confirm !== null && confirm.at <= latestPlannable ? confirm : null,
      verifyAt: verify ? auditAfter(when) : null,
      voided: null,
      sequence: 0,
      id: "",
    };
    doses.push(dose);
    return dose;
  }

  // 5a. The five citizen personas: realistic schedules (primary series, booster, influenza), each at its clinic.
  type PersonaConfirm = ["citizen", number, number, number] | ["signature"] | null;
  function personaDose(
    key: PersonaKey,
    clinic: ClinicKey,
    lotKey: string,
    doseNumber: number,
    when: [number, number, number],
    confirm: PersonaConfirm,
    verify: boolean,
  ): PlannedDose {
    const recordedAt = at(...when);
    const c =
      confirm === null
        ? null
        : confirm[0] === "signature"
          ? { at: recordedAt + 4 * MINUTE, via: "signature" as const }
          : { at: at(confirm[1], confirm[2], confirm[3]), via: "citizen" as const };
    return planDose(citizenOf(key), clinic, lotOfKey(lotKey), doseNumber, recordedAt, c, verify);
  }
  // Citizen A (Pudong): inactivated primary series at the Huamu centre, an mRNA booster, influenza awaiting confirmation.
  personaDose("citizenA", "huamuChc", "S1", 1, [168, 9, 40], ["citizen", 168, 19, 5], true);
  personaDose("citizenA", "huamuChc", "S1", 2, [140, 10, 15], ["citizen", 139, 8, 30], true);
  personaDose("citizenA", "huamuChc", "F2", 3, [50, 14, 20], ["signature"], false);
  personaDose("citizenA", "huamuChc", "S3", 1, [20, 10, 5], null, false);
  // Citizen B (Huangpu): mRNA primary series at Ruijin Hospital from the lot that is recalled later.
  personaDose("citizenB", "ruijin", "F1", 1, [130, 9, 20], ["signature"], true);
  personaDose("citizenB", "ruijin", "F1", 2, [106, 15, 10], ["citizen", 104, 21, 30], false);
  // Citizen C (Xuhui): inactivated primary series and an mRNA booster at Zhongshan Hospital, all verified.
  personaDose("citizenC", "zhongshan", "S2", 1, [158, 11, 0], ["citizen", 158, 12, 40], true);
  personaDose("citizenC", "zhongshan", "S2", 2, [130, 10, 30], ["signature"], true);
  personaDose("citizenC", "zhongshan", "F2", 3, [70, 9, 50], ["signature"], true);
  // Citizen D (Minhang): primary series at the Gumei centre; a booster three days ago, awaiting confirmation.
  personaDose("citizenD", "gumeiChc", "S2", 1, [120, 10, 20], ["citizen", 120, 18, 0], true);
  personaDose("citizenD", "gumeiChc", "S2", 2, [92, 14, 45], ["signature"], false);
  personaDose("citizenD", "gumeiChc", "F2", 3, [3, 9, 35], null, false);
  // Citizen E (Yangpu): first entered with the wrong lot and voided, re-entered from the lot that turns non-conformant later.
  const eWrongLot = personaDose("citizenE", "wujiaochangChc", "F2", 1, [30, 10, 10], null, false);
  eWrongLot.voided = { at: at(30, 10, 32), reason: VoidReason.WrongLot };
  personaDose("citizenE", "wujiaochangChc", "F3", 1, [30, 10, 35], ["signature"], true);
  personaDose("citizenE", "wujiaochangChc", "S3", 1, [9, 15, 30], ["citizen", 9, 20, 10], false);
  const personaDoses = [...doses];

  // 5b. Synthetic citizens: the bulk volume, deterministic (a fixed PRNG seed and a fixed wallet phrase).
  const rand = prng(DEMO_RANDOM_SEED);
  const randInt = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  /** Triangular distribution on [lo, hi] with its mode at `mode`. */
  const triangular = (lo: number, hi: number, mode: number): number => {
    const u = rand();
    const c = (mode - lo) / (hi - lo);
    return u < c ? lo + Math.sqrt(u * (hi - lo) * (mode - lo)) : hi - Math.sqrt((1 - u) * (hi - lo) * (hi - mode));
  };
  const clinicTotal = CLINICS.reduce((s, c) => s + CLINIC_WEIGHTS[c], 0);
  function pickClinic(): ClinicKey {
    let r = rand() * clinicTotal;
    for (const c of CLINICS) {
      r -= CLINIC_WEIGHTS[c];
      if (r < 0) return c;
    }
    return CLINICS[0];
  }
  /** A clinic working moment (08:30–16:30 Shanghai time) of the day `daysAgo`. */
  const clinicMoment = (daysAgo: number): number => at(daysAgo, 8, 30) + randInt(0, 8 * 60) * MINUTE + randInt(0, 59);

  let skippedNoLot = 0;
  function syntheticDose(
    citizen: Citizen,
    home: ClinicKey,
    product: VaccineProductKey,
    doseNumber: number,
    daysAgo: number,
  ): PlannedDose | null {
    if (daysAgo < 1) return null;
    const when = clinicMoment(daysAgo);
    const candidates = lots.filter((l) => l.product.key === product && usable(l, when));
    if (candidates.length === 0) {
      skippedNoLot += 1;
      return null;
    }
    const lot = candidates[Math.floor(rand() * candidates.length)];
    const clinic = rand() < 0.12 ? pickClinic() : home;
    // Recent doses are more often still awaiting confirmation; older ones were mostly confirmed at the desk.
    const recent = when > end - 14 * DAY;
    const r = rand();
    let confirm: { at: number; via: ConfirmVia } | null;
    if (r < (recent ? 0.4 : 0.08)) confirm = null;
    else if (r < (recent ? 0.85 : 0.7))
      confirm = { at: when + randInt(2, 9) * MINUTE + randInt(0, 59), via: "signature" };
    else {
      // Later, from the citizen's own wallet: the same evening or within a few days, 07:00–23:00.
      let later = at(daysAgo - randInt(0, 4), 7) + randInt(0, 16 * 60) * MINUTE;
      if (later <= when + 10 * MINUTE) later = when + randInt(30, 120) * MINUTE;
      confirm = { at: later, via: "citizen" };
    }
    const audit = auditAfter(when);
    const confirmedByAudit = confirm !== null && audit !== null && confirm.at < audit;
    const verify = audit !== null && rand() < (confirmedByAudit ? 0.55 : 0.15);
    return planDose(citizen, clinic, lot, doseNumber, when, confirm, verify);
  }

  for (let i = 0; i < SYNTHETIC.covidInactivatedPrimary; i++) {
    const c = newSyntheticCitizen();
    const home = pickClinic();
    const d1 = Math.round(triangular(98, 176, 150));
    const d2 = d1 - randInt(21, 42);
    syntheticDose(c, home, "covidInactivated", 1, d1);
    syntheticDose(c, home, "covidInactivated", 2, d2);
    if (rand() < 0.45)
      syntheticDose(c, home, rand() < 0.65 ? "covidMrna" : "covidInactivated", 3, d2 - randInt(90, 130));
    if (rand() < 0.3) syntheticDose(c, home, "influenzaQuadrivalent", 1, Math.round(triangular(1, 74, 35)));
  }
  for (let i = 0; i < SYNTHETIC.covidMrnaPrimary; i++) {
    const c = newSyntheticCitizen();
    const home = pickClinic();
    const d1 = Math.round(triangular(20, 150, 95));
    syntheticDose(c, home, "covidMrna", 1, d1);
    syntheticDose(c, home, "covidMrna", 2, d1 - randInt(21, 28));
  }
  for (let i = 0; i < SYNTHETIC.influenzaOnly; i++) {
    const c = newSyntheticCitizen();
    syntheticDose(c, pickClinic(), "influenzaQuadrivalent", 1, Math.round(triangular(1, 74, 30)));
  }

  // 5c. A duplicate entry: a clinic records the same dose twice and voids the second record.
  const duplicated = doses.find(
    (d) => d.citizen.wallet !== null && d.confirm?.via === "signature" && d.at < at(55, 0) && d.at > at(70, 0),
  );
  if (duplicated !== undefined) {
    const dup = planDose(
      duplicated.citizen,
      duplicated.clinic,
      duplicated.lot,
      duplicated.doseNumber,
      duplicated.at + 3 * MINUTE,
      null,
      false,
    );
    dup.voided = { at: dup.at + 25 * MINUTE, reason: VoidReason.DuplicateEntry };
  }

  // Synthetic citizens who confirm from their own wallet need gas money (set on the dev chain, no transaction).
  for (const d of doses) if (d.confirm?.via === "citizen" && d.citizen.wallet !== null) d.citizen.funded = true;

  const abi = ethers.AbiCoder.defaultAbiCoder();
  for (const d of doses) {
    on(
      d.at,
      `record dose ${d.doseNumber} of lot ${d.lot.lotNumber} by ${d.clinic}`,
      async () => {
        await tx(
          addressOf(d.clinic),
          addresses.VaccineRegistry,
          vaccines.interface.encodeFunctionData("recordDose", [d.lot.id, d.citizen.address, d.doseNumber, d.district]),
        );
        d.lot.recorded += 1;
        d.sequence = d.lot.recorded;
        d.id = ethers.keccak256(
          abi.encode(["address", "uint32", "uint24"], [addressOf(d.clinic), d.lot.id, d.sequence]),
        );
      },
      `dose:${d.n}:record`,
    );
    const { confirm, voided } = d;
    if (confirm !== null) {
      on(
        confirm.at,
        `confirm dose ${d.doseNumber} of lot ${d.lot.lotNumber} (${confirm.via})`,
        async () => {
          if (confirm.via === "citizen") {
            const data = vaccines.interface.encodeFunctionData("confirmDose", [d.id]);
            if (d.citizen.wallet === null) await tx(d.citizen.address, addresses.VaccineRegistry, data);
            else await rawTx(d.citizen, addresses.VaccineRegistry, data);
            return;
          }
          // At the desk: the citizen signs ConfirmDose in their wallet and the clinic relays it (and pays the gas).
          const deadline = BigInt(confirm.at + 15 * MINUTE);
          const message = { doseId: d.id, deadline };
          const { wallet, personaKey } = d.citizen;
          let signature: string;
          if (wallet !== null) signature = await wallet.signTypedData(vaccineDomain, CONFIRM_TYPES, message);
          else if (personaKey !== null)
            signature = await signerOf(personaKey).signTypedData(vaccineDomain, CONFIRM_TYPES, message);
          else throw new SeedError(`seed: citizen ${d.citizen.address} has no signer`);
          await tx(
            addressOf(d.clinic),
            addresses.VaccineRegistry,
            vaccines.interface.encodeFunctionData("confirmDoseBySig", [d.id, deadline, signature]),
          );
        },
        `dose:${d.n}:confirm`,
      );
    }
    if (voided !== null) {
      on(
        voided.at,
        `void dose record of lot ${d.lot.lotNumber} by ${d.clinic}`,
        () =>
          tx(
            addressOf(d.clinic),
            addresses.VaccineRegistry,
            vaccines.interface.encodeFunctionData("voidDose", [d.id, voided.reason]),
          ),
        `dose:${d.n}:void`,
      );
    }
  }
  // The regulator's fortnightly audits: one verification after another, from 10:00.
  for (const audit of AUDITS) {
    const audited = doses.filter((d) => d.verifyAt === audit && d.voided === null);
    audited.forEach((d, i) => {
      on(
        audit + i * 20,
        `verify dose ${d.doseNumber} of lot ${d.lot.lotNumber}`,
        () =>
          tx(
            addressOf("regulator"),
            addresses.VaccineRegistry,
            vaccines.interface.encodeFunctionData("verifyDose", [d.id]),
          ),
        `dose:${d.n}:verify`,
      );
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // 6. Supply provenance: every organisation of the supply chain registers its sites; vaccines, masks and antigen
  //    test kits travel manufacturer → carrier → warehouse → hospital / clinic as custody steps in CBV terms and
  //    hand-overs the receiver accepts; one cold-chain excursion, two rejected hand-overs, two suspect scans, and a
  //    few shipments still on their way at the end.
  // ---------------------------------------------------------------------------------------------------------

  const CARRIER: PersonaKey = "carrier";
  const WAREHOUSE: PersonaKey = "warehouse";

  // 6a. Locations, registered on the first morning (the GLNs and names are checked before anything is sent).
  for (const l of SUPPLY_LOCATIONS) {
    if (l.gln.length !== 13 || !isValidGln(l.gln)) {
      throw new SeedError(`seed: location ${l.key} has GLN ${l.gln}, not 13 digits with a valid GS1 check digit`);
    }
    if (ethers.toUtf8Bytes(l.name.en).length > 64)
      throw new SeedError(`seed: the name of location ${l.key} is over 64 bytes`);
  }
  SUPPLY_LOCATIONS.forEach((l, i) => {
    on(
      at(HISTORY_DAYS, 8, 30) + i * MINUTE,
      `register location ${l.gln} (${l.name.en})`,
      () =>
        tx(
          addressOf(l.owner),
          addresses.ProvenanceRegistry,
          provenance.interface.encodeFunctionData("registerLocation", [BigInt(l.gln), l.name.en]),
        ),
      `location:${l.key}`,
    );
  });

  // 6b. Products, shipments and the planning primitives. Each primitive updates the planned state of its shipments
  //     (holder, pending hand-over, flags), so a plan that the contract would refuse fails here, before any
  //     transaction, and the end state is what section 10 compares `shipmentOf` with.
  interface ShipmentProduct {
    readonly key: string;
    /** Product group for summaries ("COVID-19 mRNA vaccine", "masks", …). */
    readonly group: string;
    readonly vaccine: boolean;
    readonly name: { readonly en: string; readonly zh: string };
    readonly gtin: string;
    readonly manufacturer: PersonaKey;
    readonly unit: string;
    readonly storageC: { readonly min: number; readonly max: number } | null;
    readonly line: LocationKey;
    readonly store: LocationKey;
    readonly dispatch: LocationKey;
  }
  function vaccineShipmentProduct(p: VaccineProduct): ShipmentProduct {
    if (p.manufacturer !== "manufacturerA" && p.manufacturer !== "manufacturerB") {
      throw new SeedError(`seed: no plant locations for the manufacturer of ${p.key}`);
    }
    const fosun = p.manufacturer === "manufacturerB";
    return {
      key: p.key,
      group: p.name.en.split(" (")[0],
      vaccine: true,
      name: p.name,
      gtin: p.gtin,
      manufacturer: p.manufacturer,
      unit: "doses",
      storageC: p.storageC,
      line: fosun ? "fosunLine" : "sibpLine",
      store: fosun ? "fosunFreezer" : "sibpColdStore",
      dispatch: fosun ? "fosunDispatch" : "sibpDispatch",
    };
  }
  function supplyShipmentProduct(p: SupplyProduct): ShipmentProduct {
    return {
      key: p.key,
      group: p.group.en,
      vaccine: false,
      name: p.name,
      gtin: p.gtin,
      manufacturer: p.manufacturer,
      unit: p.unit.en,
      storageC: p.storageC,
      line: p.productionLine,
      store: p.store,
      dispatch: p.dispatch,
    };
  }
  const MASKS = supplyShipmentProduct(SUPPLY_PRODUCTS.medicalMask);
  const ANTIGEN_TESTS = supplyShipmentProduct(SUPPLY_PRODUCTS.antigenTest);
  for (const p of [MASKS, ANTIGEN_TESTS]) {
    if (!isValidGtin(p.gtin)) throw new SeedError(`seed: GTIN ${p.gtin} of ${p.key} is invalid`);
  }

  interface StepPlan {
    readonly biz: BizStepName;
    readonly disp: DispositionName;
    readonly where: LocationKey;
    readonly at: number;
    readonly tempCentiC: number | null;
  }
  type Entry = readonly [PlannedShipment, StepPlan];
  interface PlannedShipment {
    /** Position in `shipments`: the key of its timeline events. */
    readonly n: number;
    readonly product: ShipmentProduct;
    readonly lotNumber: string;
    readonly serial: string;
    /** keccak256(abi.encode(uint64 gtin, string lot, string serial)), as the contract derives it. */
    readonly id: string;
    readonly quantity: number;
    readonly origin: LocationKey;
    readonly vaccineLot: PlannedLot | null;
    readonly createAt: number;
    /** The planned final receiver. */
    readonly destination: PersonaKey;
    readonly story: string;
    holder: PersonaKey;
    holderSince: number;
    lastAt: number;
    pending: { readonly to: PersonaKey; readonly isFinal: boolean } | null;
    delivered: boolean;
    returned: boolean;
    nonConformant: boolean;
    steps: number;
    readings: number;
    readonly custody: { readonly holder: PersonaKey; readonly key: string }[];
    readonly excursions: {
      readonly at: number;
      readonly tempCentiC: number;
      readonly where: LocationKey;
      readonly key: string;
    }[];
    readonly rejections: { readonly by: PersonaKey; readonly reason: RejectReasonCode; readonly at: number }[];
  }
  const shipments: PlannedShipment[] = [];
  const serialsIssued = new Map<string, number>();
  let stepsPlanned = 0;
  let stepTransactions = 0;
  let batchTransactions = 0;
  let handoversAccepted = 0;

  const planError = (message: string): SeedError => new SeedError(`seed: supply plan: ${message}`);
  const orgName = (key: PersonaKey): string => persona(key).name.en;
  function advance(s: PlannedShipment, when: number, what: string): void {
    if (when <= s.lastAt) throw planError(`${what} of ${s.serial} at ${iso(when)} is not after its previous event`);
    s.lastAt = when;
  }

  function newShipment(spec: {
    readonly product: ShipmentProduct;
    readonly lotNumber: string;
    readonly quantity: number;
    readonly vaccineLot?: PlannedLot;
    readonly createAt: number;
    readonly destination: PersonaKey;
    readonly story: string;
  }): PlannedShipment {
    // Serial (AI 21): C (an insulated vaccine shipper) or P (a pallet of supplies), the dispatch date, a sequence.
    const base = `${spec.product.vaccine ? "C" : "P"}${cstYmd(spec.createAt).slice(2)}`;
    const counterKey = `${spec.product.gtin}/${spec.lotNumber}/${base}`;
    const sequence = (serialsIssued.get(counterKey) ?? 0) + 1;
    serialsIssued.set(counterKey, sequence);
    const serial = `${base}${String(sequence).padStart(2, "0")}`;
    const manufacturer = spec.product.manufacturer;
    const s: PlannedShipment = {
      n: shipments.length,
      product: spec.product,
      lotNumber: spec.lotNumber,
      serial,
      id: ethers.keccak256(
        abi.encode(["uint64", "string", "string"], [BigInt(spec.product.gtin), spec.lotNumber, serial]),
      ),
      quantity: spec.quantity,
      origin: spec.product.dispatch,
      vaccineLot: spec.vaccineLot ?? null,
      createAt: spec.createAt,
      destination: spec.destination,
      story: spec.story,
      holder: manufacturer,
      holderSince: spec.createAt,
      lastAt: spec.createAt,
      pending: null,
      delivered: false,
      returned: false,
      nonConformant: false,
      steps: 0,
      readings: 0,
      custody: [{ holder: manufacturer, key: `ship:${shipments.length}:create` }],
      excursions: [],
      rejections: [],
    };
    shipments.push(s);
    const range = s.product.storageC;
    on(
      s.createAt,
      `create shipment ${s.lotNumber}/${s.serial} (${s.product.group})`,
      () =>
        tx(
          addressOf(manufacturer),
          addresses.ProvenanceRegistry,
          provenance.interface.encodeFunctionData("createShipment", [
            {
              lotNumber: s.lotNumber,
              serial: s.serial,
              gtin: BigInt(s.product.gtin),
              origin: BigInt(supplyLocation(s.origin).gln),
              quantity: s.quantity,
              vaccineLotId: s.vaccineLot?.id ?? 0,
              coldChain: range !== null,
              minTempCentiC: range === null ? 0 : range.min * 100,
              maxTempCentiC: range === null ? 0 : range.max * 100,
            },
          ]),
        ),
      `ship:${s.n}:create`,
    );
    return s;
  }

  // Temperature readings (centi-°C) from a separate deterministic PRNG: fridge 3.4–6.2 °C, freezer −21.8 to
  // −18.2 °C, ambient 17–24 °C; masks travel without a cold chain and without readings.
  const supplyRand = prng(SUPPLY_RANDOM_SEED);
  const centi = (celsius: number): number => Math.round(celsius * 100);
  type StorageKind = "frozen" | "fridge" | "ambient" | "none";
  const storageKind = (s: PlannedShipment): StorageKind => {
    const r = s.product.storageC;
    if (r === null) return "none";
    if (r.max <= 0) return "frozen";
    return r.max <= 8 ? "fridge" : "ambient";
  };
  function reading(s: PlannedShipment): number | null {
    switch (storageKind(s)) {
      case "frozen":
        return centi(-21.8 + supplyRand() * 3.6);
      case "fridge":
        return centi(3.4 + supplyRand() * 2.8);
      case "ambient":
        return centi(17 + supplyRand() * 7);
      case "none":
        return null;
    }
  }
  /** One step of one shipment; `read` adds a temperature reading (none for shipments without a cold chain). */
  const entry = (
    s: PlannedShipment,
    biz: BizStepName,
    disp: DispositionName,
    where: LocationKey,
    when: number,
    read = false,
  ): Entry => [s, { biz, disp, where, at: when, tempCentiC: read ? reading(s) : null }];
  const WAREHOUSE_STORE = {
    frozen: "whFreezer",
    fridge: "whColdRoom",
    ambient: "whStore",
    none: "whStore",
  } as const satisfies Record<StorageKind, LocationKey>;
  const warehouseStore = (s: PlannedShipment): LocationKey => WAREHOUSE_STORE[storageKind(s)];
  const siteStore = (s: PlannedShipment, site: ReceivingSiteKey): LocationKey => {
    const kind = storageKind(s);
    const sites = RECEIVING_SITES[site];
    return kind === "frozen" ? sites.freezer : kind === "fridge" ? sites.fridge : sites.store;
  };
  const vehicleOf = (s: PlannedShipment): LocationKey =>
    storageKind(s) === "frozen" ? "freezerTruck" : storageKind(s) === "fridge" ? "reeferTruck" : "boxVan";

  /** The holder's terminal uploads steps: one `recordStep`, or one `recordSteps` batch for several. */
  function upload(by: PersonaKey, when: number, entries: readonly Entry[], what: string, key?: string): void {
    if (entries.length === 0) return;
    const touched = new Set<PlannedShipment>();
    /** An upload with an excursion is keyed, so its mined time is known. */
    let excursionKey: string | undefined;
    for (const [s, st] of entries) {
      if (s.holder !== by) throw planError(`${by} records a step of ${s.serial}, held by ${s.holder} (${what})`);
      if (st.at > when || st.at < s.holderSince) {
        throw planError(
          `step ${st.biz} of ${s.serial} at ${iso(st.at)} is outside ${iso(s.holderSince)} – ${iso(when)}`,
        );
      }
      s.steps += 1;
      stepsPlanned += 1;
      const range = s.product.storageC;
      if (st.tempCentiC !== null) {
        s.readings += 1;
        if (range !== null && (st.tempCentiC < range.min * 100 || st.tempCentiC > range.max * 100)) {
          s.nonConformant = true;
          excursionKey = `ship:${s.n}:excursion:${s.excursions.length}`;
          s.excursions.push({ at: when, tempCentiC: st.tempCentiC, where: st.where, key: excursionKey });
        }
      }
      if (st.disp === "non_conformant") s.nonConformant = true;
      touched.add(s);
    }
    for (const s of touched) advance(s, when, what);
    const inputs = entries.map(([s, st]) => ({
      shipmentId: s.id,
      step: packStep({
        bizStep: BizStep[st.biz],
        disposition: Disposition[st.disp],
        readPoint: BigInt(supplyLocation(st.where).gln),
        eventTime: st.at,
        temperatureCentiC: st.tempCentiC,
      }),
    }));
    stepTransactions += 1;
    if (inputs.length > 1) batchTransactions += 1;
    const gas = BigInt(Math.max(Number(TX_GAS), 80_000 + 15_000 * inputs.length));
    const data =
      inputs.length === 1
        ? provenance.interface.encodeFunctionData("recordStep", [inputs[0].shipmentId, inputs[0].step])
        : provenance.interface.encodeFunctionData("recordSteps", [inputs]);
    on(when, what, () => tx(addressOf(by), addresses.ProvenanceRegistry, data, gas), key ?? excursionKey);
  }

  function propose(s: PlannedShipment, to: PersonaKey, when: number, isFinal: boolean): void {
    if (s.delivered) throw planError(`${s.serial} is delivered; custody never moves again`);
    if (to === s.holder) throw planError(`${s.holder} proposes ${s.serial} to itself`);
    const from = s.holder;
    advance(s, when, "proposeHandover");
    s.pending = { to, isFinal };
    on(
      when,
      `${orgName(from)} proposes ${s.lotNumber}/${s.serial} to ${orgName(to)}${isFinal ? " (final delivery)" : ""}`,
      () =>
        tx(
          addressOf(from),
          addresses.ProvenanceRegistry,
          provenance.interface.encodeFunctionData("proposeHandover", [s.id, addressOf(to), isFinal]),
        ),
    );
  }
  function accept(s: PlannedShipment, when: number): void {
    const p = s.pending;
    if (p === null) throw planError(`nothing to accept for ${s.serial}`);
    advance(s, when, "acceptHandover");
    s.holder = p.to;
    s.holderSince = when;
    s.pending = null;
    if (p.isFinal) {
      s.delivered = true;
      s.returned = p.to === s.product.manufacturer;
    }
    const key = `ship:${s.n}:custody:${s.custody.length}`;
    s.custody.push({ holder: p.to, key });
    handoversAccepted += 1;
    on(
      when,
      `${orgName(p.to)} accepts ${s.lotNumber}/${s.serial}`,
      () =>
        tx(
          addressOf(p.to),
          addresses.ProvenanceRegistry,
          provenance.interface.encodeFunctionData("acceptHandover", [s.id]),
        ),
      key,
    );
  }
  function reject(s: PlannedShipment, when: number, reason: RejectReasonCode): void {
    const p = s.pending;
    if (p === null) throw planError(`nothing to reject for ${s.serial}`);
    advance(s, when, "rejectHandover");
    s.pending = null;
    s.rejections.push({ by: p.to, reason, at: when });
    on(
      when,
      `${orgName(p.to)} rejects ${s.lotNumber}/${s.serial} (${rejectReason(reason).name})`,
      () =>
        tx(
          addressOf(p.to),
          addresses.ProvenanceRegistry,
          provenance.interface.encodeFunctionData("rejectHandover", [s.id, reason]),
        ),
      `ship:${s.n}:reject:${s.rejections.length - 1}`,
    );
  }

  // 6c. The legs every shipment travels.
  /** At the plant (creating a shipment is its commissioning): the terminal uploads packing, loading and shipping in
   *  one batch; the carrier's driver then accepts each shipment. Returns when the carrier holds them all. */
  function plantToCarrier(group: readonly PlannedShipment[]): number {
    const manufacturer = group[0].product.manufacturer;
    const t = Math.max(...group.map((s) => s.createAt)) + MINUTE;
    upload(
      manufacturer,
      t + 70 * MINUTE,
      group.flatMap((s) => [
        entry(s, "packing", "container_closed", s.product.store, t + 35 * MINUTE, true),
        entry(s, "loading", "in_progress", s.product.dispatch, t + 55 * MINUTE, true),
        entry(s, "shipping", "in_transit", s.product.dispatch, t + 65 * MINUTE),
      ]),
      `${orgName(manufacturer)} plant terminal: ${group.length} shipment(s) packed, loaded and shipped`,
    );
    const proposedAt = t + 75 * MINUTE;
    group.forEach((s, i) => propose(s, CARRIER, proposedAt + i * 30, false));
    const acceptedAt = proposedAt + 8 * MINUTE;
    group.forEach((s, i) => accept(s, acceptedAt + i * 30));
    return acceptedAt + group.length * 30;
  }

  /** A vehicle's run: departing, a reading every 30 minutes (the telematics uploads hourly), arriving.
   *  Returns the time of the arrival upload. */
  function drive(
    by: PersonaKey,
    group: readonly PlannedShipment[],
    depart: number,
    minutes: number,
    vehicle: LocationKey,
    destination: LocationKey,
  ): number {
    upload(
      by,
      depart,
      group.map((s) => entry(s, "departing", "in_transit", vehicle, depart - 2 * MINUTE, true)),
      `${supplyLocation(vehicle).name.en} departs with ${group.length} shipment(s)`,
    );
    const arrive = depart + minutes * MINUTE;
    const readAt: number[] = [];
    for (let r = depart + 30 * MINUTE; r < arrive - 5 * MINUTE; r += 30 * MINUTE) readAt.push(r);
    const logged = group.filter((s) => storageKind(s) !== "none");
    for (let i = 0; i + 1 < readAt.length; i += 2) {
      upload(
        by,
        readAt[i + 1] + MINUTE,
        logged.flatMap((s) =>
          [readAt[i], readAt[i + 1]].map((r) => entry(s, "transporting", "in_transit", vehicle, r, true)),
        ),
        `${supplyLocation(vehicle).name.en}: temperature log upload`,
      );
    }
    const rest = readAt.length % 2 === 1 ? [readAt[readAt.length - 1]] : [];
    upload(
      by,
      arrive + 3 * MINUTE,
      group.flatMap((s) => [
        ...(storageKind(s) === "none" ? [] : rest.map((r) => entry(s, "transporting", "in_transit", vehicle, r, true))),
        entry(s, "arriving", "in_transit", destination, arrive, true),
      ]),
      `${supplyLocation(vehicle).name.en} arrives at ${supplyLocation(destination).name.en}`,
    );
    return arrive + 3 * MINUTE;
  }

  /** The carrier hands the group to the warehouse, whose terminal records receiving, inspecting and storing in
   *  one batch. Returns the time of that upload. */
  function intoWarehouse(group: readonly PlannedShipment[], t: number): number {
    group.forEach((s, i) => propose(s, WAREHOUSE, t + i * 30, false));
    const acceptedAt = t + 10 * MINUTE;
    group.forEach((s, i) => accept(s, acceptedAt + i * 30));
    const done = acceptedAt + group.length * 30;
    upload(
      WAREHOUSE,
      done + 25 * MINUTE,
      group.flatMap((s) => [
        entry(s, "receiving", "in_progress", "whDock", done + 2 * MINUTE, true),
        entry(s, "inspecting", "active", "whDock", done + 8 * MINUTE),
        entry(s, "storing", "active", warehouseStore(s), done + 20 * MINUTE, true),
      ]),
      `Baoshan DC terminal: ${group.length} shipment(s) received, inspected and stored`,
    );
    return done + 25 * MINUTE;
  }

  /** The warehouse picks, loads and dispatches the group on its delivery van (one batch upload at departure). */
  function outOfWarehouse(group: readonly PlannedShipment[], depart: number): void {
    upload(
      WAREHOUSE,
      depart,
      group.flatMap((s) => [
        entry(s, "picking", "in_progress", warehouseStore(s), depart - 40 * MINUTE, true),
        entry(s, "loading", "in_progress", "whDispatch", depart - 20 * MINUTE, true),
        entry(s, "departing", "in_transit", "whVan", depart - 5 * MINUTE, true),
      ]),
      `Baoshan DC terminal: ${group.length} shipment(s) picked, loaded and dispatched`,
    );
  }

  /** The van reaches a hospital / clinic: its last reading and the arrival, then the final hand-over is proposed.
   *  With `accepted`, the receiver accepts (its receipt) and its terminal records the inspection on receipt and
   *  the storing; returns when done. */
  function deliver(s: PlannedShipment, site: ReceivingSiteKey, arrival: number, accepted = true): number {
    const goodsIn = RECEIVING_SITES[site].goodsIn;
    upload(
      WAREHOUSE,
      arrival + MINUTE,
      [
        ...(storageKind(s) === "none"
          ? []
          : [entry(s, "transporting", "in_transit", "whVan", arrival - 20 * MINUTE, true)]),
        entry(s, "arriving", "in_transit", goodsIn, arrival, true),
      ],
      `delivery van B05 arrives at ${orgName(site)}`,
    );
    propose(s, site, arrival + 3 * MINUTE, true);
    if (!accepted) return arrival + 3 * MINUTE;
    accept(s, arrival + 10 * MINUTE);
    upload(
      site,
      arrival + 25 * MINUTE,
      [
        entry(s, "inspecting", "active", goodsIn, arrival + 12 * MINUTE, true),
        entry(s, "storing", "active", siteStore(s, site), arrival + 20 * MINUTE, true),
      ],
      `${orgName(site)} terminal: inspected and stored ${s.lotNumber}/${s.serial}`,
    );
    return arrival + 25 * MINUTE;
  }

  // 6d. Release-day distribution of every vaccine lot in use: on its release day the manufacturer ships one
  //     insulated shipper per clinic that gives doses from it; the carrier takes them to the Baoshan DC, whose van
  //     delivers them the next morning, before the clinic's first dose from the lot (checked here).
  const distribution = new Map<PlannedLot, Map<ReceivingSiteKey, PlannedShipment>>();
  for (const lot of lots) {
    const release = releasedAt(lot);
    const availableAt = availableFrom(lot);
    if (release === null || availableAt === null) continue;
    const users = CLINICS.filter((c) => doses.some((d) => d.lot === lot && d.clinic === c));
    if (users.length === 0) continue;
    const day = cstMidnight(release);
    const product = vaccineShipmentProduct(lot.product);
    const group = users.map((clinic, i) => {
      const used = doses.filter((d) => d.lot === lot && d.clinic === clinic).length;
      return newShipment({
        product,
        lotNumber: lot.lotNumber,
        vaccineLot: lot,
        quantity: Math.ceil((used * 1.5 + 20) / 50) * 50,
        createAt: day + 13 * HOUR + i * MINUTE,
        destination: clinic,
        story: `release-day distribution of lot ${lot.lotNumber} to ${orgName(clinic)}`,
      });
    });
    const carried = plantToCarrier(group);
    const arrived = drive(CARRIER, group, carried + 10 * MINUTE, 110, vehicleOf(group[0]), "whDock");
    intoWarehouse(group, arrived + 5 * MINUTE);
    const nextMorning = day + DAY;
    outOfWarehouse(group, nextMorning + 7 * HOUR + 45 * MINUTE);
    const delivered = new Map<ReceivingSiteKey, PlannedShipment>();
    users.forEach((clinic, i) => {
      const done = deliver(group[i], clinic, nextMorning + 8 * HOUR + 30 * MINUTE + i * 45 * MINUTE);
      const firstDose = Math.min(...doses.filter((d) => d.lot === lot && d.clinic === clinic).map((d) => d.at));
      if (done >= availableAt || done >= firstDose) {
        throw planError(`lot ${lot.lotNumber} reaches ${clinic} at ${iso(done)}, after the clinic starts using it`);
      }
      delivered.set(clinic, group[i]);
    });
    distribution.set(lot, delivered);
  }

  // 6e. The cold-chain excursion: a replenishment of the mRNA lot F3 whose freezer truck fails on the way to the
  //     Baoshan DC. The reading outside −25…−15 °C marks the shipment non_conformant and, through the registry's
  //     hook, lot F3 non-conformant (state 5) at that block; the warehouse rejects the delivery (temperature
  //     excursion) and the carrier returns it to Fosun, which holds it and has it destroyed.
  const f3 = lotOfKey("F3");
  if (f3.excursion === null) throw planError("lot F3 has no planned excursion");
  const excursionAt = f3.excursion.at;
  const excursionShipment = newShipment({
    product: vaccineShipmentProduct(f3.product),
    lotNumber: f3.lotNumber,
    vaccineLot: f3,
    quantity: 200,
    createAt: excursionAt - 3 * HOUR - 20 * MINUTE,
    destination: WAREHOUSE,
    story:
      `replenishment of lot ${f3.lotNumber} for the Baoshan DC: the freezer truck's compressor fails on the way; ` +
      "the excursion makes the shipment and its vaccine lot non-conformant; the warehouse rejects it (temperature " +
      "excursion) and it is returned to the manufacturer and destroyed",
  });
  {
    const s = excursionShipment;
    const carried = plantToCarrier([s]);
    const depart = carried + 10 * MINUTE;
    upload(
      CARRIER,
      depart,
      [entry(s, "departing", "in_transit", "freezerTruck", depart - 2 * MINUTE, true)],
      "freezer truck F03 departs",
    );
    const log = (when: number, celsius: number): Entry => [
      s,
      { biz: "transporting", disp: "in_transit", where: "freezerTruck", at: when, tempCentiC: centi(celsius) },
    ];
    upload(
      CARRIER,
      excursionAt - 30 * MINUTE,
      [log(excursionAt - 61 * MINUTE, -18.6), log(excursionAt - 31 * MINUTE, -16.9)],
      "freezer truck F03: temperature log upload",
    );
    upload(
      CARRIER,
      excursionAt,
      [log(excursionAt - MINUTE, -13.4)],
      "freezer truck F03: temperature log upload (EXCURSION)",
    );
    const arrive = excursionAt + 35 * MINUTE;
    upload(
      CARRIER,
      arrive + 2 * MINUTE,
      [entry(s, "arriving", "in_transit", "whDock", arrive)],
      "freezer truck F03 arrives at the Baoshan DC",
    );
    propose(s, WAREHOUSE, arrive + 5 * MINUTE, false);
    reject(s, arrive + 20 * MINUTE, RejectReason.TemperatureExcursion);
    upload(
      CARRIER,
      arrive + 30 * MINUTE,
      [entry(s, "holding", "non_conformant", "freezerTruck", arrive + 25 * MINUTE)],
      "carrier holds the rejected shipment",
    );
    propose(s, "manufacturerB", arrive + 35 * MINUTE, true);
    accept(s, arrive + 2 * HOUR);
    upload(
      "manufacturerB",
      arrive + 2 * HOUR + 20 * MINUTE,
      [
        entry(s, "inspecting", "returned", "fosunDispatch", arrive + 2 * HOUR + 5 * MINUTE),
        entry(s, "holding", "non_conformant", "fosunFreezer", arrive + 2 * HOUR + 15 * MINUTE),
      ],
      "Fosun receives the returned shipment into quarantine",
    );
    const destroyAt = cstMidnight(excursionAt) + 2 * DAY + 10 * HOUR;
    upload(
      "manufacturerB",
      destroyAt,
      [entry(s, "destroying", "destroyed", "fosunDispatch", destroyAt - 10 * MINUTE)],
      "Fosun destroys the returned shipment",
    );
  }

  // 6f. Clinics quarantine their stock when a lot is recalled, becomes non-conformant or expires (next morning).
  for (const lot of lots) {
    const delivered = distribution.get(lot);
    if (delivered === undefined) continue;
    let when: number;
    let disp: DispositionName;
    let why: string;
    if (lot.recall !== null) [when, disp, why] = [cstMidnight(lot.recall.at) + DAY + 9 * HOUR, "recalled", "recalled"];
    else if (lot.quarantine !== null)
      [when, disp, why] = [
        cstMidnight(lot.quarantine.at) + DAY + 9 * HOUR,
        "non_conformant",
        "quarantined by the regulator",
      ];
    else if (lot.excursion !== null)
      [when, disp, why] = [cstMidnight(lot.excursion.at) + DAY + 9 * HOUR, "non_conformant", "cold-chain excursion"];
    else if (lot.intended === LotState.Expired) [when, disp, why] = [lot.expiresAt + 9 * HOUR, "expired", "expired"];
    else continue;
    [...delivered].forEach(([clinic, s], i) => {
      const t = when + i * 20 * MINUTE;
      upload(
        clinic,
        t,
        [entry(s, "holding", disp, siteStore(s, clinic), t - 5 * MINUTE)],
        `${orgName(clinic)} holds its stock of lot ${lot.lotNumber} (${why})`,
      );
    });
  }

  // 6g. Masks and antigen test kits: manufacturer → carrier → Baoshan DC → hospital / clinic.
  const supplyLot = (p: ShipmentProduct, producedAt: number): string => {
    const prefix = p === MASKS ? SUPPLY_PRODUCTS.medicalMask.lotPrefix : SUPPLY_PRODUCTS.antigenTest.lotPrefix;
    return `${prefix}${cstYmd(producedAt)}`;
  };
  /** A supply shipment from its plant into the Baoshan DC (day `daysAgo`, from 09:00). */
  function supplyToWarehouse(
    product: ShipmentProduct,
    daysAgo: number,
    quantity: number,
    destination: PersonaKey,
    story: string,
  ): PlannedShipment {
    const createAt = at(daysAgo, 9, 0);
    const s = newShipment({
      product,
      lotNumber: supplyLot(product, createAt - 6 * DAY),
      quantity,
      createAt,
      destination,
      story,
    });
    const carried = plantToCarrier([s]);
    const arrived = drive(CARRIER, [s], carried + 10 * MINUTE, 80, "boxVan", "whDock");
    intoWarehouse([s], arrived + 5 * MINUTE);
    return s;
  }
  const masksRuijin = supplyToWarehouse(
    MASKS,
    120,
    400,
    "ruijin",
    "masks for Ruijin Hospital; weeks after delivery its label turns up at the carrier's hub (suspect scan)",
  );
  outOfWarehouse([masksRuijin], at(119, 8, 0));
  deliver(masksRuijin, "ruijin", at(119, 9, 0));

  const testsZhongshan = supplyToWarehouse(
    ANTIGEN_TESTS,
    95,
    160,
    "zhongshan",
    "antigen test kits (2–30 °C) for Zhongshan Hospital",
  );
  outOfWarehouse([testsZhongshan], at(94, 8, 0));
  deliver(testsZhongshan, "zhongshan", at(94, 9, 10));

  // Mis-routed: the van offers the masks to Ruijin Hospital, which did not order them (rejected: delivery not
  // expected); the warehouse re-proposes them to Zhongshan Hospital, whose order it was, and Zhongshan accepts.
  const masksRerouted = supplyToWarehouse(
    MASKS,
    64,
    600,
    "zhongshan",
    "masks first offered to Ruijin Hospital, which rejects them (delivery not expected); re-proposed to Zhongshan Hospital and accepted",
  );
  outOfWarehouse([masksRerouted], at(63, 9, 10));
  deliver(masksRerouted, "ruijin", at(63, 9, 50), false);
  reject(masksRerouted, at(63, 10, 5), RejectReason.NotExpected);
  upload(
    WAREHOUSE,
    at(63, 10, 20),
    [entry(masksRerouted, "departing", "in_transit", "whVan", at(63, 10, 15))],
    "delivery van B05 leaves Ruijin Hospital with the rejected masks",
  );
  deliver(masksRerouted, "zhongshan", at(63, 10, 50));

  const testsHuamu = supplyToWarehouse(
    ANTIGEN_TESTS,
    28,
    120,
    "huamuChc",
    "antigen test kits for the Huamu community health centre",
  );
  outOfWarehouse([testsHuamu], at(27, 8, 0));
  deliver(testsHuamu, "huamuChc", at(27, 8, 50));

  const masksInStock = supplyToWarehouse(
    MASKS,
    5,
    800,
    WAREHOUSE,
    "masks in the Baoshan DC's store at the end, awaiting distribution",
  );

  // 6h. Still on their way at the end: a vaccine and a test-kit shipment at the carrier's Minhang hub overnight,
  //     and an mRNA replenishment the van delivered to Zhongshan Hospital, awaiting the hospital's acceptance.
  const s2 = lotOfKey("S2");
  const vaccineOvernight = newShipment({
    product: vaccineShipmentProduct(s2.product),
    lotNumber: s2.lotNumber,
    vaccineLot: s2,
    quantity: 300,
    createAt: at(1, 13, 0),
    destination: WAREHOUSE,
    story: `replenishment of lot ${s2.lotNumber} for the Baoshan DC, in the carrier's hub cold room overnight (in transit at the end)`,
  });
  const testsOvernight = newShipment({
    product: ANTIGEN_TESTS,
    lotNumber: supplyLot(ANTIGEN_TESTS, at(7, 0)),
    quantity: 240,
    createAt: at(1, 13, 30),
    destination: WAREHOUSE,
    story: "antigen test kits for the Baoshan DC, at the carrier's hub overnight (in transit at the end)",
  });
  {
    const vaccineAtHub =
      drive(
        CARRIER,
        [vaccineOvernight],
        plantToCarrier([vaccineOvernight]) + 10 * MINUTE,
        75,
        "reeferTruck",
        "carrierHub",
      ) +
      5 * MINUTE;
    upload(
      CARRIER,
      vaccineAtHub,
      [entry(vaccineOvernight, "storing", "in_transit", "carrierHubCold", vaccineAtHub - 2 * MINUTE, true)],
      "Minhang hub: into the cold room for tomorrow's run",
    );
    const testsAtHub =
      drive(CARRIER, [testsOvernight], plantToCarrier([testsOvernight]) + 10 * MINUTE, 60, "boxVan", "carrierHub") +
      5 * MINUTE;
    upload(
      CARRIER,
      testsAtHub,
      [entry(testsOvernight, "storing", "in_transit", "carrierHub", testsAtHub - 2 * MINUTE, true)],
      "Minhang hub: staged for tomorrow's run",
    );
    // The hub's sensors report every two hours while the goods wait (as long as the timeline lasts).
    for (
      let r = Math.max(vaccineAtHub, testsAtHub) + 2 * HOUR, k = 0;
      k < 4 && r + MINUTE <= latestPlannable;
      r += 2 * HOUR, k++
    ) {
      upload(
        CARRIER,
        r + MINUTE,
        [
          entry(vaccineOvernight, "sensor_reporting", "in_transit", "carrierHubCold", r, true),
          entry(testsOvernight, "sensor_reporting", "in_transit", "carrierHub", r, true),
        ],
        "Minhang hub sensors: temperature upload",
      );
    }
  }
  const f2 = lotOfKey("F2");
  const awaitingAcceptance = newShipment({
    product: vaccineShipmentProduct(f2.product),
    lotNumber: f2.lotNumber,
    vaccineLot: f2,
    quantity: 200,
    createAt: at(3, 13, 0),
    destination: "zhongshan",
    story: `replenishment of lot ${f2.lotNumber} for Zhongshan Hospital: at its goods-in, awaiting the hospital's acceptance at the end`,
  });
  {
    const carried = plantToCarrier([awaitingAcceptance]);
    const arrived = drive(CARRIER, [awaitingAcceptance], carried + 10 * MINUTE, 110, "freezerTruck", "whDock");
    intoWarehouse([awaitingAcceptance], arrived + 5 * MINUTE);
    outOfWarehouse([awaitingAcceptance], at(1, 14, 30));
    deliver(awaitingAcceptance, "zhongshan", at(1, 15, 20), false);
  }

  // 6i. Suspect scans: the label of the masks delivered to Ruijin Hospital scanned at the carrier's hub weeks
  //     later (already delivered: label re-use or diversion), and a test-kit box whose serial was never issued
  //     scanned at the Gumei centre's goods-in (a counterfeit). The verdict is checked before it is reported.
  interface PlannedScan {
    readonly by: PersonaKey;
    readonly gtin: string;
    readonly lotNumber: string;
    readonly serial: string;
    readonly where: LocationKey;
    readonly at: number;
    readonly verdict: ScanVerdictCode;
    readonly shipment: PlannedShipment | null;
    readonly note: string;
  }
  const scans: PlannedScan[] = [
    {
      by: CARRIER,
      gtin: masksRuijin.product.gtin,
      lotNumber: masksRuijin.lotNumber,
      serial: masksRuijin.serial,
      where: "carrierHub",
      at: at(100, 11, 15),
      verdict: ScanVerdict.AlreadyDelivered,
      shipment: masksRuijin,
      note: "a carton with the label of masks delivered to Ruijin Hospital turns up at the Minhang hub",
    },
    {
      by: "gumeiChc",
      gtin: testsHuamu.product.gtin,
      lotNumber: testsHuamu.lotNumber,
      serial: `${testsHuamu.serial.slice(0, -2)}97`,
      where: "gumeiGoodsIn",
      at: at(15, 10, 40),
      verdict: ScanVerdict.UnknownIdentity,
      shipment: null,
      note: "a box of antigen test kits offered to the Gumei centre carries a serial the registry never issued",
    },
  ];
  if (
    !masksRuijin.delivered ||
    shipments.some((s) => s.serial === scans[1].serial && s.lotNumber === scans[1].lotNumber)
  ) {
    throw planError("the suspect scans do not match the shipments");
  }
  scans.forEach((scan, i) => {
    const gln = BigInt(supplyLocation(scan.where).gln);
    on(
      scan.at,
      `${orgName(scan.by)} reports a suspect scan of ${scan.lotNumber}/${scan.serial}`,
      async () => {
        const [verdict] = await provenance.checkScan(BigInt(scan.gtin), scan.lotNumber, scan.serial, gln);
        if (Number(verdict) !== scan.verdict) {
          throw new SeedError(
            `seed: the scan of ${scan.lotNumber}/${scan.serial} has verdict ${verdict}, planned ${scan.verdict}`,
          );
        }
        await tx(
          addressOf(scan.by),
          addresses.ProvenanceRegistry,
          provenance.interface.encodeFunctionData("reportSuspectScan", [
            BigInt(scan.gtin),
            scan.lotNumber,
            scan.serial,
            gln,
          ]),
        );
      },
      `scan:${i}`,
    );
  });

  // Whole-plan checks: quantities within each lot, and every planned end state reachable.
  for (const lot of lots) {
    const shipped = shipments.filter((s) => s.vaccineLot === lot).reduce((sum, s) => sum + s.quantity, 0);
    if (shipped > lot.doseCount) throw planError(`lot ${lot.lotNumber} ships ${shipped} doses of ${lot.doseCount}`);
  }
  if (
    excursionShipment.excursions.length !== 1 ||
    shipments.some((s) => s !== excursionShipment && s.excursions.length > 0)
  ) {
    throw planError("exactly one shipment, the F3 replenishment, must have a cold-chain excursion");
  }

  const shipmentState = (s: PlannedShipment): ShipmentState => {
    if (s.returned) return "returned";
    if (s.delivered) return "delivered";
    if (s.pending !== null) return "awaiting acceptance";
    if (s.holder === CARRIER) return "in transit";
    if (s.holder === WAREHOUSE) return "in storage";
    return "at origin";
  };

  // ---------------------------------------------------------------------------------------------------------
  // 7. Record anchors (hash of a salted off-chain document; only the hash goes on chain)
  // ---------------------------------------------------------------------------------------------------------

  interface SeededRecord extends RecordDocument {
    readonly contentHash: string;
    readonly subjectKey: PersonaKey;
    readonly issuerKey: PersonaKey;
    readonly at: number;
  }
  const seededRecords: SeededRecord[] = [];

  function anchorAt(
    when: number,
    subjectKey: PersonaKey,
    issuerKey: PersonaKey,
    category: CategoryCode,
    body: (now: number) => RecordBody,
  ): void {
    const doc = makeRecordDocument(addressOf(subjectKey), addressOf(issuerKey), category, when, body(when));
    const record: SeededRecord = {
      ...doc,
      contentHash: recordIdOf(doc.text),
      subjectKey,
      issuerKey,
      at: when,
    };
    seededRecords.push(record);
    on(when, `anchor ${CATEGORY_LABELS[category].en} record of ${subjectKey} by ${issuerKey}`, () =>
      tx(
        addressOf(issuerKey),
        addresses.RecordRegistry,
        records.interface.encodeFunctionData("anchor", [doc.subject, category, record.contentHash]),
      ),
    );
  }

  // The clinic files an immunization record for each persona dose it gave (not for the voided entry).
  for (const d of personaDoses) {
    if (d.voided !== null || d.citizen.personaKey === null) continue;
    const vaccine = {
      atc: d.lot.product.atc,
      display: d.lot.product.name.en,
      manufacturer: persona(d.lot.product.manufacturer).name.en,
      gtin: d.lot.product.gtin,
    };
    anchorAt(d.at + 15 * MINUTE, d.citizen.personaKey, d.clinic, Category.Vaccination, (now) =>
      immunization(now, 0, d.doseNumber, d.lot.lotNumber, vaccine),
    );
  }
  // Citizen A (Pudong): a negative PCR and a green health code before a trip.
  anchorAt(at(12, 9, 15), "citizenA", "lab", Category.LabResult, (now) => pcrResult(now, 0, false));
  anchorAt(at(12, 11, 0), "citizenA", "huamuChc", Category.HealthCodeStatus, (now) =>
    healthCode(now, 0, "green", "negative nucleic-acid test"),
  );
  // Citizen B (Huangpu): COVID-19 pneumonia treated at Ruijin Hospital.
  anchorAt(at(20, 9, 40), "citizenB", "lab", Category.LabResult, (now) => pcrResult(now, 0, true, 24.5));
  anchorAt(at(20, 10, 30), "citizenB", "ruijin", Category.HealthCodeStatus, (now) =>
    healthCode(now, 0, "red", "positive nucleic-acid test"),
  );
  anchorAt(at(19, 9, 10), "citizenB", "ruijin", Category.Diagnosis, (now) =>
    diagnosis(now, 0, "U07.1", "COVID-19, virus identified", "moderate"),
  );
  anchorAt(at(19, 10, 5), "citizenB", "ruijin", Category.Imaging, (now) =>
    imaging(now, 0, "24627-2", "CT Chest", "bilateral peripheral ground-glass opacities"),
  );
  anchorAt(at(19, 11, 20), "citizenB", "ruijin", Category.Prescription, (now) =>
    prescription(now, 0, "J05AE30", "nirmatrelvir and ritonavir", "300 mg/100 mg orally every 12 h for 5 days"),
  );
  // Citizen C (Xuhui): an outpatient diagnosis at Zhongshan Hospital.
  anchorAt(at(30, 14, 0), "citizenC", "zhongshan", Category.Diagnosis, (now) =>
    diagnosis(now, 0, "J06.9", "Acute upper respiratory infection, unspecified", "mild"),
  );
  // Citizen D (Minhang): a negative PCR, then imaging and a prescription at Zhongshan Hospital.
  anchorAt(at(46, 9, 30), "citizenD", "lab", Category.LabResult, (now) => pcrResult(now, 0, false));
  anchorAt(at(45, 10, 45), "citizenD", "zhongshan", Category.Imaging, (now) =>
    imaging(now, 0, "24627-2", "CT Chest", "no acute abnormality"),
  );
  anchorAt(at(44, 9, 20), "citizenD", "zhongshan", Category.Prescription, (now) =>
    prescription(now, 0, "R05CB01", "acetylcysteine", "600 mg orally once daily for 7 days"),
  );
  // Citizen E (Yangpu): a yellow health code lifted after a negative test.
  anchorAt(at(9, 10, 0), "citizenE", "wujiaochangChc", Category.HealthCodeStatus, (now) =>
    healthCode(now, 0, "yellow", "close-contact area visit"),
  );
  anchorAt(at(8, 9, 0), "citizenE", "lab", Category.LabResult, (now) => pcrResult(now, 0, false));
  anchorAt(at(7, 9, 30), "citizenE", "wujiaochangChc", Category.HealthCodeStatus, (now) =>
    healthCode(now, 0, "green", "negative nucleic-acid test"),
  );

  // ---------------------------------------------------------------------------------------------------------
  // 8. Consent grants, revocations and the reads the record vault logs while a grant is live
  // ---------------------------------------------------------------------------------------------------------

  type GrantState = "live" | "expired" | "revoked";
  interface SeededGrant {
    /** Position in `seededGrants`: the key of its timeline events. */
    readonly n: number;
    readonly citizen: PersonaKey;
    readonly grantee: PersonaKey;
    readonly category: CategoryCode;
    readonly purpose: PurposeCode;
    readonly grantedAt: number;
    readonly expiresAt: number;
    readonly relayer: PersonaKey | null;
    readonly revoke: { readonly at: number; readonly relayer: PersonaKey | null } | null;
    readonly state: GrantState;
    reads: number;
  }
  const seededGrants: SeededGrant[] = [];

  const domainFields = await consent.eip712Domain();
  const consentDomain = {
    name: domainFields.name,
    version: domainFields.version,
    chainId: domainFields.chainId,
    verifyingContract: domainFields.verifyingContract,
  };
  const GRANT_TYPES = { Grant: [...CONSENT_TYPES.Grant] };
  const REVOKE_TYPES = { Revoke: [...CONSENT_TYPES.Revoke] };
  /** Nonce key used by the seed's signatures (upper 192 bits of a keyed nonce). */
  const NONCE_KEY = 0n;

  function grant(
    citizen: PersonaKey,
    grantee: PersonaKey,
    category: CategoryCode,
    purpose: PurposeCode,
    grantedAt: number,
    durationDays: number,
    options: { relayer?: PersonaKey; revoke?: { at: number; relayer?: PersonaKey } } = {},
  ): void {
    const expiresAt = grantedAt + durationDays * DAY;
    const relayer = options.relayer ?? null;
    const revoke =
      options.revoke === undefined ? null : { at: options.revoke.at, relayer: options.revoke.relayer ?? null };
    const state: GrantState = revoke !== null ? "revoked" : expiresAt <= end ? "expired" : "live";
    const n = seededGrants.length;
    const g: SeededGrant = {
      n,
      citizen,
      grantee,
      category,
      purpose,
      grantedAt,
      expiresAt,
      relayer,
      revoke,
      state,
      reads: 0,
    };
    seededGrants.push(g);
    const step = `grant ${citizen} → ${grantee} (${CATEGORY_LABELS[category].en}, ${PURPOSE_LABELS[purpose].en})`;
    on(
      grantedAt,
      step,
      async () => {
        if (relayer === null) {
          await tx(
            addressOf(citizen),
            addresses.ConsentRegistry,
            consent.interface.encodeFunctionData("grant", [addressOf(grantee), category, purpose, expiresAt]),
          );
          return;
        }
        const nonce = await consent["nonces(address,uint192)"](addressOf(citizen), NONCE_KEY);
        const deadline = grantedAt + HOUR;
        const signature = await signerOf(citizen).signTypedData(consentDomain, GRANT_TYPES, {
          citizen: addressOf(citizen),
          grantee: addressOf(grantee),
          category,
          purpose,
          expiresAt,
          nonce,
          deadline,
        });
        await tx(
          addressOf(relayer),
          addresses.ConsentRegistry,
          consent.interface.encodeFunctionData("grantBySig", [
            addressOf(citizen),
            addressOf(grantee),
            category,
            purpose,
            expiresAt,
            nonce,
            deadline,
            signature,
          ]),
        );
      },
      `grant:${n}`,
    );
    if (revoke !== null) {
      on(
        revoke.at,
        `revoke ${citizen} → ${grantee} (${CATEGORY_LABELS[category].en})`,
        async () => {
          if (revoke.relayer === null) {
            await tx(
              addressOf(citizen),
              addresses.ConsentRegistry,
              consent.interface.encodeFunctionData("revoke", [addressOf(grantee), category]),
            );
            return;
          }
          const nonce = await consent["nonces(address,uint192)"](addressOf(citizen), NONCE_KEY);
          const deadline = revoke.at + HOUR;
          const signature = await signerOf(citizen).signTypedData(consentDomain, REVOKE_TYPES, {
            citizen: addressOf(citizen),
            grantee: addressOf(grantee),
            category,
            nonce,
            deadline,
          });
          await tx(
            addressOf(revoke.relayer),
            addresses.ConsentRegistry,
            consent.interface.encodeFunctionData("revokeBySig", [
              addressOf(citizen),
              addressOf(grantee),
              category,
              nonce,
              deadline,
              signature,
            ]),
          );
        },
        `grant:${n}:revoke`,
      );
    }
  }

  // Grants that expire along the way.
  grant("citizenB", "zhongshan", Category.LabResult, Purpose.Emergency, at(20, 11, 0), 2);
  grant("citizenA", "regulator", Category.HealthCodeStatus, Purpose.PublicHealthReporting, at(12, 11, 30), 7);
  grant("citizenE", "research", Category.Vaccination, Purpose.Research, at(25, 16, 0), 3);
  // Grants still live at the end: direct, and signed by the citizen and relayed.
  grant("citizenA", "huamuChc", Category.Vaccination, Purpose.Treatment, at(168, 9, 30), 365);
  grant("citizenA", "research", Category.Vaccination, Purpose.Research, at(60, 20, 0), 180);
  grant("citizenB", "ruijin", Category.Diagnosis, Purpose.Treatment, at(19, 8, 50), 90);
  grant("citizenB", "ruijin", Category.Imaging, Purpose.Treatment, at(19, 8, 52), 90);
  grant("citizenB", "regulator", Category.LabResult, Purpose.PublicHealthReporting, at(20, 10, 0), 30);
  // The hospital collects Citizen C's signature at the front desk and pays the gas.
  grant("citizenC", "zhongshan", Category.Vaccination, Purpose.Treatment, at(10, 9, 0), 30, { relayer: "zhongshan" });
  // The record vault relays Citizen D's signed grant for Ruijin (a referral).
  grant("citizenD", "ruijin", Category.Imaging, Purpose.Treatment, at(40, 15, 0), 60, { relayer: "vault" });
  grant("citizenE", "wujiaochangChc", Category.HealthCodeStatus, Purpose.Treatment, at(7, 9, 0), 14);
  // Grants that are revoked: directly, and by a relayed EIP-712 signature.
  grant("citizenD", "research", Category.Imaging, Purpose.Research, at(44, 19, 0), 180, {
    revoke: { at: at(30, 21, 0) },
  });
  grant("citizenC", "ruijin", Category.Diagnosis, Purpose.InsuranceClaim, at(28, 10, 0), 60, {
    revoke: { at: at(15, 20, 30), relayer: "vault" },
  });

  // The vault serves each matching record once while the grant is live (it checks hasAccess first, as the
  // vault service does) and logs the read.
  let readsLogged = 0;
  for (const g of seededGrants) {
    const accessEnds = Math.min(g.expiresAt, g.revoke?.at ?? Infinity, latestPlannable);
    for (const r of seededRecords) {
      if (r.subjectKey !== g.citizen || r.category !== g.category) continue;
      const readAt = Math.max(g.grantedAt, r.at) + 2 * HOUR + randInt(0, 40) * MINUTE;
      if (readAt >= accessEnds - MINUTE) continue;
      g.reads += 1;
      readsLogged += 1;
      on(readAt, `log read of ${g.citizen}'s ${CATEGORY_LABELS[g.category].en} record by ${g.grantee}`, async () => {
        if (!(await consent.hasAccess(addressOf(g.citizen), addressOf(g.grantee), g.category))) {
          throw new SeedError(
            `seed: the vault would refuse ${g.grantee} reading ${g.citizen}'s record at ${iso(readAt)}`,
          );
        }
        await tx(
          addressOf("vault"),
          addresses.ConsentRegistry,
          consent.interface.encodeFunctionData("logAccess", [
            addressOf(g.citizen),
            addressOf(g.grantee),
            g.category,
            r.contentHash,
          ]),
        );
      });
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // 9. Run the timeline, then mine the last block a minute before the wall clock
  // ---------------------------------------------------------------------------------------------------------

  const fundedSynthetic = syntheticCitizens.filter((c) => c.funded);
  for (const c of fundedSynthetic)
    await provider.send("hardhat_setBalance", [c.address, ethers.toQuantity(SYNTHETIC_GAS_MONEY)]);

  timeline.sort((a, b) => a.at - b.at || a.seq - b.seq);
  const timelineStarted = Date.now();
  await provider.send("evm_setAutomine", [false]);
  try {
    for (const event of timeline) {
      currentAt = event.at;
      currentEvent = `${event.what} (planned ${iso(event.at)})`;
      try {
        await event.run();
      } catch (error) {
        // A transaction that reverted earlier explains a later failure better than the failure itself.
        const earlier = await firstFailure();
        if (earlier !== null) throw new SeedError(earlier);
        if (error instanceof SeedError) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new SeedError(`seed: ${currentEvent} failed: ${reason}`);
      }
    }
  } finally {
    await provider.send("evm_setAutomine", [true]);
  }
  const failure = await firstFailure();
  if (failure !== null) throw new SeedError(failure);
  if (end > lastTimestamp) await provider.send("evm_setNextBlockTimestamp", [end]);
  await provider.send("evm_mine", []);
  const timelineSeconds = (Date.now() - timelineStarted) / 1000;
  const chainEnd = await latestTime();

  // ---------------------------------------------------------------------------------------------------------
  // 10. Check the chain against the plan
  // ---------------------------------------------------------------------------------------------------------

  const problems: string[] = [];
  for (const lot of lots) {
    const view = await vaccines.lotOf(lot.id);
    const byNumber = await vaccines.lotIdOf(BigInt(lot.product.gtin), lot.lotNumber);
    if (Number(byNumber) !== lot.id) problems.push(`lotIdOf(${lot.lotNumber}) = ${byNumber}, expected ${lot.id}`);
    if (Number(view.state) !== lot.intended) {
      problems.push(
        `lot ${lot.lotNumber} is in state ${view.state}, expected ${lot.intended} (${LOT_STATE_LABELS[lot.intended].en})`,
      );
    }
    if (Number(view.dosesRecorded) !== lot.recorded)
      problems.push(`lot ${lot.lotNumber} has ${view.dosesRecorded} dose records, expected ${lot.recorded}`);
    if (Number(view.attestations) !== lot.attestations.length || Number(view.quorum) !== PLANNED_RELEASE_QUORUM) {
      problems.push(
        `lot ${lot.lotNumber} has ${view.attestations}/${view.quorum} attestations, expected ${lot.attestations.length}/${PLANNED_RELEASE_QUORUM}`,
      );
    }
    if (view.manufacturer !== addressOf(lot.product.manufacturer))
      problems.push(`lot ${lot.lotNumber} has manufacturer ${view.manufacturer}`);
  }
  const doseViews = await Promise.all(doses.map((d) => vaccines.doseOf(d.id)));
  doses.forEach((d, i) => {
    const v = doseViews[i];
    const expected = {
      citizen: d.citizen.address,
      lotId: d.lot.id,
      sequence: d.sequence,
      doseNumber: d.doseNumber,
      confirmed: d.confirm !== null,
      verified: d.verifyAt !== null && d.voided === null,
      voided: d.voided !== null,
      lotState: d.lot.intended,
    };
    const actual = {
      citizen: v.citizen,
      lotId: Number(v.lotId),
      sequence: Number(v.sequence),
      doseNumber: Number(v.doseNumber),
      confirmed: v.confirmed,
      verified: v.verified,
      voided: v.voided,
      lotState: Number(v.lotState),
    };
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      problems.push(`dose ${d.id}: chain ${JSON.stringify(actual)}, planned ${JSON.stringify(expected)}`);
    }
  });
  for (const g of seededGrants) {
    const live = await consent.hasAccess(addressOf(g.citizen), addressOf(g.grantee), g.category);
    if (live !== (g.state === "live"))
      problems.push(`hasAccess(${g.citizen}, ${g.grantee}, ${g.category}) = ${live}, expected ${g.state}`);
  }
  // Proofs of vaccination (EIP-712 VaccinationProof over a verifier's challenge): valid for a confirmed dose of a
  // usable lot, refused for a dose of the recalled lot.
  async function proofResult(d: PlannedDose): Promise<number> {
    const key = d.citizen.personaKey;
    if (key === null) throw new SeedError("seed: proofs are checked for persona citizens only");
    const challenge = ethers.id(`healthtrace-demo:verifier-challenge:${d.id}`);
    const validUntil = BigInt((await latestTime()) + 120);
    const signature = await signerOf(key).signTypedData(vaccineDomain, PROOF_TYPES, {
      citizen: d.citizen.address,
      doseId: d.id,
      challenge,
      validUntil,
    });
    return Number(await vaccines.checkVaccinationProof(d.citizen.address, d.id, challenge, validUntil, signature));
  }
  const proofCases: { readonly dose: PlannedDose; readonly expected: number; readonly note: string }[] = [];
  const personaDoseOf = (key: PersonaKey, lotKey: string, doseNumber: number): PlannedDose | undefined =>
    personaDoses.find(
      (d) => d.citizen.personaKey === key && d.lot.key === lotKey && d.doseNumber === doseNumber && d.voided === null,
    );
  const cBooster = personaDoseOf("citizenC", "F2", 3);
  const bSecond = personaDoseOf("citizenB", "F1", 2);
  if (cBooster !== undefined)
    proofCases.push({ dose: cBooster, expected: ProofResult.Valid, note: "Citizen C's booster: valid" });
  if (bSecond !== undefined)
    proofCases.push({
      dose: bSecond,
      expected: ProofResult.LotNotUsable,
      note: "Citizen B's dose of the recalled lot: lot not usable",
    });
  for (const p of proofCases) {
    const result = await proofResult(p.dose);
    if (result !== p.expected)
      problems.push(`checkVaccinationProof for ${p.note}: result ${result}, expected ${p.expected}`);
  }
  // Supply provenance: every location's owner, every shipment's id and state, the events of the excursion, the
  // rejections and the scans, and lot F3 non-conformant through the excursion alone (no regulator quarantine).
  const owners = await Promise.all(SUPPLY_LOCATIONS.map((l) => provenance.locationOwner(BigInt(l.gln))));
  SUPPLY_LOCATIONS.forEach((l, i) => {
    if (owners[i] !== addressOf(l.owner)) problems.push(`locationOwner(${l.gln}) = ${owners[i]}, expected ${l.owner}`);
  });
  const [shipmentViews, shipmentIds] = await Promise.all([
    Promise.all(shipments.map((s) => provenance.shipmentOf(s.id))),
    Promise.all(shipments.map((s) => provenance.shipmentIdOf(BigInt(s.product.gtin), s.lotNumber, s.serial))),
  ]);
  shipments.forEach((s, i) => {
    if (shipmentIds[i] !== s.id)
      problems.push(`shipmentIdOf(${s.lotNumber}/${s.serial}) = ${shipmentIds[i]}, planned ${s.id}`);
    const v = shipmentViews[i];
    const range = s.product.storageC;
    const expected = {
      holder: addressOf(s.holder),
      coldChain: range !== null,
      nonConformant: s.nonConformant,
      delivered: s.delivered,
      minTempCentiC: range === null ? 0 : range.min * 100,
      maxTempCentiC: range === null ? 0 : range.max * 100,
      vaccineLotId: s.vaccineLot?.id ?? 0,
      pendingReceiver: s.pending === null ? ethers.ZeroAddress : addressOf(s.pending.to),
      pendingFinal: s.pending?.isFinal ?? false,
    };
    const actual = {
      holder: v.holder,
      coldChain: v.coldChain,
      nonConformant: v.nonConformant,
      delivered: v.delivered,
      minTempCentiC: Number(v.minTempCentiC),
      maxTempCentiC: Number(v.maxTempCentiC),
      vaccineLotId: Number(v.vaccineLotId),
      pendingReceiver: v.pendingReceiver,
      pendingFinal: v.pendingFinal,
    };
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      problems.push(
        `shipmentOf(${s.lotNumber}/${s.serial}): chain ${JSON.stringify(actual)}, planned ${JSON.stringify(expected)}`,
      );
    }
  });
  const [stepLogs, excursionLogs, reportFailedLogs, rejectionLogs, scanLogs, f3NonConformant] = await Promise.all([
    provenance.queryFilter(provenance.filters.CustodyStepRecorded(), 0, "latest"),
    provenance.queryFilter(provenance.filters.ColdChainExcursion(), 0, "latest"),
    provenance.queryFilter(provenance.filters.VaccineLotReportFailed(), 0, "latest"),
    provenance.queryFilter(provenance.filters.HandoverRejected(), 0, "latest"),
    provenance.queryFilter(provenance.filters.SuspectScanReported(), 0, "latest"),
    vaccines.queryFilter(vaccines.filters.LotNonConformant(f3.id), 0, "latest"),
  ]);
  if (stepLogs.length !== stepsPlanned)
    problems.push(`${stepLogs.length} custody steps on chain, planned ${stepsPlanned}`);
  const plannedExcursions = shipments.flatMap((s) => s.excursions.map((x) => ({ s, x })));
  if (
    excursionLogs.length !== plannedExcursions.length ||
    excursionLogs.some(
      (e, i) =>
        e.args.shipmentId !== plannedExcursions[i].s.id ||
        Number(e.args.vaccineLotId) !== (plannedExcursions[i].s.vaccineLot?.id ?? 0) ||
        Number(e.args.temperatureCentiC) !== plannedExcursions[i].x.tempCentiC,
    )
  ) {
    problems.push(`cold-chain excursions on chain differ from the plan (${excursionLogs.length} events)`);
  }
  if (reportFailedLogs.length !== 0)
    problems.push(`${reportFailedLogs.length} excursion reports were refused by the VaccineRegistry`);
  const plannedRejections = shipments
    .flatMap((s) => s.rejections.map((r) => ({ s, r })))
    .sort((a, b) => a.r.at - b.r.at);
  if (
    rejectionLogs.length !== plannedRejections.length ||
    rejectionLogs.some(
      (e, i) =>
        e.args.shipmentId !== plannedRejections[i].s.id ||
        e.args.receiver !== addressOf(plannedRejections[i].r.by) ||
        Number(e.args.reason) !== plannedRejections[i].r.reason,
    )
  ) {
    problems.push(`hand-over rejections on chain differ from the plan (${rejectionLogs.length} events)`);
  }
  if (
    scanLogs.length !== scans.length ||
    scanLogs.some((e, i) => Number(e.args.verdict) !== scans[i].verdict || e.args.reporter !== addressOf(scans[i].by))
  ) {
    problems.push(`suspect scans on chain differ from the plan (${scanLogs.length} events)`);
  }
  const f3State = Number(await vaccines.lotState(f3.id));
  if (f3State !== LotState.NonConformant)
    problems.push(`lot ${f3.lotNumber} (the excursion's lot) is in state ${f3State}, expected 5`);
  if (
    f3NonConformant.length !== 1 ||
    f3NonConformant[0].args.reporter !== addresses.ProvenanceRegistry ||
    f3NonConformant[0].args.evidence !== excursionShipment.id ||
    Number(f3NonConformant[0].args.reason) !== LotReason.ColdChainFailure
  ) {
    problems.push(
      `lot ${f3.lotNumber} should be non-conformant through the excursion of ${excursionShipment.serial} alone`,
    );
  }
  if (problems.length > 0) {
    throw new SeedError(
      `seed: the chain differs from the plan:\n  ${problems.slice(0, 20).join("\n  ")}${problems.length > 20 ? `\n  … ${problems.length - 20} more` : ""}`,
    );
  }

  // ---------------------------------------------------------------------------------------------------------
  // 11. .dev/stack.json and .dev/records.json
  // ---------------------------------------------------------------------------------------------------------

  const devHd = ethers.HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, DEV_HD_PATH_PREFIX);
  const accounts = [];
  const defaultAdmin = await authority.defaultAdmin();
  for (let index = 0; index < Math.min(signers.length, DEV_ACCOUNT_COUNT); index++) {
    const address = signers[index].address;
    const wallet = devHd.deriveChild(index);
    const p: Persona | undefined = PERSONAS.find((q) => q.index === index);
    const roles = [];
    if (defaultAdmin === address) roles.push("DEFAULT_ADMIN_ROLE");
    const held = await Promise.all(ROLE_NAMES.map((name) => authority.hasRole(ROLE_IDS[name], address)));
    roles.push(...ROLE_NAMES.filter((_, i) => held[i]));
    accounts.push({
      index,
      address,
      persona:
        p === undefined
          ? null
          : {
              key: p.key,
              type: p.type,
              name: p.name,
              kind: p.kind,
              kindLabel: p.kind === null ? null : KIND_LABELS[p.kind],
              district: p.district,
              districtName: DISTRICT_NAMES[p.district],
              note: p.note,
            },
      roles,
      // Hardhat's well-known dev keys, only when this node's account is the public test account.
      publicTestPrivateKey: wallet.address === address ? wallet.privateKey : null,
    });
  }

  const byState = (s: GrantState): SeededGrant[] => seededGrants.filter((g) => g.state === s);
  const describeGrant = (g: SeededGrant) => ({
    citizen: g.citizen,
    grantee: g.grantee,
    category: CATEGORY_LABELS[g.category].en,
    purpose: PURPOSE_LABELS[g.purpose].en,
    grantedAt: mined(`grant:${g.n}`),
    expiresAt: iso(g.expiresAt),
    state: g.state,
    via: g.relayer === null ? "citizen's own transaction" : `EIP-712 signature relayed by ${g.relayer}`,
    ...(g.revoke === null
      ? {}
      : {
          revokedAt: mined(`grant:${g.n}:revoke`),
          revokedVia:
            g.revoke.relayer === null
              ? "citizen's own transaction"
              : `EIP-712 signature relayed by ${g.revoke.relayer}`,
        }),
    readsLogged: g.reads,
  });

  const doseState = (d: PlannedDose): "voided" | "confirmed" | "awaiting confirmation" =>
    d.voided !== null ? "voided" : d.confirm !== null ? "confirmed" : "awaiting confirmation";
  const counted = (items: readonly string[]): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const k of items) out[k] = (out[k] ?? 0) + 1;
    return out;
  };
  const live = doses.filter((d) => d.voided === null);
  const districtName = (code: number): string => SHANGHAI_DISTRICTS[code]?.en ?? String(code);
  const month = (unix: number): string => cstDate(unix).slice(0, 7);
  const dosesByMonth = counted(live.map((d) => month(d.at)).sort());
  const dosesByDistrict = counted(live.map((d) => String(d.district)));
  const warned = live.filter((d) => lotStateWarns(d.lot.intended));

  /** The cold-chain excursion that made a lot non-conformant (the ProvenanceRegistry's report), if any. */
  function excursionFacts(lot: PlannedLot) {
    const s = shipments.find((x) => x.vaccineLot === lot && x.excursions.length > 0);
    if (lot.excursion === null || s === undefined) return null;
    const x = s.excursions[0];
    return {
      at: mined(x.key),
      shipmentId: s.id,
      serial: s.serial,
      temperatureC: x.tempCentiC / 100,
      readPoint: supplyLocation(x.where).gln,
      reportedBy: addresses.ProvenanceRegistry,
      reason: LotReason.ColdChainFailure,
      reasonLabel: LOT_REASON_LABELS[LotReason.ColdChainFailure].en,
    };
  }
  const lotFacts = lots.map((lot) => {
    const lotDoses = doses.filter((d) => d.lot === lot);
    const release = releasedAt(lot);
    return {
      key: lot.key,
      id: lot.id,
      gtin: lot.product.gtin,
      lotNumber: lot.lotNumber,
      product: lot.product.key,
      productName: lot.product.name,
      atc: lot.product.atc,
      manufacturer: { persona: lot.product.manufacturer, address: addressOf(lot.product.manufacturer) },
      doseCount: lot.doseCount,
      dosesRecorded: lot.recorded,
      manufacturedAt: iso(lot.manufacturedAt),
      expiresAt: iso(lot.expiresAt),
      storageC: lot.product.storageC,
      dossierHash: lot.dossierHash,
      registeredAt: mined(`lot:${lot.key}:register`),
      attestations: lot.attestations.map((a) => ({
        by: a.by,
        address: addressOf(a.by),
        at: mined(`lot:${lot.key}:attest:${a.by}`),
      })),
      releasedAt:
        release === null ? null : mined(`lot:${lot.key}:attest:${lot.attestations[PLANNED_RELEASE_QUORUM - 1].by}`),
      recall:
        lot.recall === null
          ? null
          : {
              at: mined(`lot:${lot.key}:recall`),
              reason: lot.recall.reason,
              reasonLabel: LOT_REASON_LABELS[lot.recall.reason].en,
            },
      quarantine:
        lot.quarantine === null
          ? null
          : {
              at: mined(`lot:${lot.key}:quarantine`),
              reason: lot.quarantine.reason,
              reasonLabel: LOT_REASON_LABELS[lot.quarantine.reason].en,
              evidence: lot.quarantine.evidence,
            },
      coldChainExcursion: excursionFacts(lot),
      shipments: shipments.filter((s) => s.vaccineLot === lot).map((s) => s.id),
      state: lot.intended,
      stateLabel: LOT_STATE_LABELS[lot.intended].en,
      cbvDisposition: LOT_STATE_LABELS[lot.intended].cbvDisposition,
      story: lot.story,
      doses: counted(lotDoses.map(doseState)),
    };
  });
  const doseFacts = doses.map((d) => ({
    id: d.id,
    lotId: d.lot.id,
    lotKey: d.lot.key,
    lotNumber: d.lot.lotNumber,
    sequence: d.sequence,
    citizen: d.citizen.address,
    citizenPersona: d.citizen.personaKey,
    syntheticCitizen: d.citizen.syntheticIndex,
    clinic: d.clinic,
    clinicAddress: addressOf(d.clinic),
    district: d.district,
    doseNumber: d.doseNumber,
    recordedAt: mined(`dose:${d.n}:record`),
    state: doseState(d),
    confirmedVia:
      d.confirm === null
        ? null
        : d.confirm.via === "signature"
          ? "relayed EIP-712 signature"
          : "citizen's own transaction",
    confirmedAt: d.confirm === null ? null : mined(`dose:${d.n}:confirm`),
    verified: d.verifyAt !== null && d.voided === null,
    verifiedAt: d.verifyAt === null || d.voided !== null ? null : mined(`dose:${d.n}:verify`),
    voidReason: d.voided === null ? null : VOID_REASON_LABELS[d.voided.reason].en,
    voidedAt: d.voided === null ? null : mined(`dose:${d.n}:void`),
    lotState: d.lot.intended,
  }));

  const locationFacts = SUPPLY_LOCATIONS.map((l) => ({
    gln: l.gln,
    key: l.key,
    name: l.name.en,
    nameZh: l.name.zh,
    use: l.use,
    owner: { persona: l.owner, address: addressOf(l.owner), name: orgName(l.owner) },
    registeredAt: mined(`location:${l.key}`),
  }));
  const holderFact = (key: PersonaKey) => ({ persona: key, address: addressOf(key), name: orgName(key) });
  const shipmentFacts = shipments.map((s) => {
    const identity = { gtin: s.product.gtin, lot: s.lotNumber, serial: s.serial };
    const state = shipmentState(s);
    return {
      id: s.id,
      gtin: s.product.gtin,
      lotNumber: s.lotNumber,
      serial: s.serial,
      digitalLink: buildDigitalLink(identity),
      labelUri: buildDigitalLink(identity, { chainId, registry: addresses.ProvenanceRegistry }),
      product: s.product.key,
      productGroup: s.product.group,
      productName: s.product.name,
      quantity: s.quantity,
      unit: s.product.unit,
      vaccineLot:
        s.vaccineLot === null
          ? null
          : {
              id: s.vaccineLot.id,
              key: s.vaccineLot.key,
              lotNumber: s.vaccineLot.lotNumber,
              state: s.vaccineLot.intended,
            },
      coldChainC: s.product.storageC,
      origin: { gln: supplyLocation(s.origin).gln, name: supplyLocation(s.origin).name.en },
      manufacturer: holderFact(s.product.manufacturer),
      destination: holderFact(s.destination),
      createdAt: mined(`ship:${s.n}:create`),
      custody: s.custody.map((c) => ({ ...holderFact(c.holder), since: mined(c.key) })),
      holder: holderFact(s.holder),
      state,
      stateLabel: SHIPMENT_STATE_LABELS[state],
      inTransit: state === "in transit" || state === "awaiting acceptance",
      delivered: s.delivered,
      nonConformant: s.nonConformant,
      pendingHandover: s.pending === null ? null : { ...holderFact(s.pending.to), isFinal: s.pending.isFinal },
      steps: s.steps,
      temperatureReadings: s.readings,
      excursions: s.excursions.map((x) => ({
        at: mined(x.key),
        temperatureC: x.tempCentiC / 100,
        readPoint: supplyLocation(x.where).gln,
      })),
      rejections: s.rejections.map((r, i) => ({
        by: holderFact(r.by),
        reason: r.reason,
        reasonName: rejectReason(r.reason).name,
        reasonLabel: rejectReason(r.reason).en,
        at: mined(`ship:${s.n}:reject:${i}`),
      })),
      story: s.story,
    };
  });
  const scanFacts = scans.map((scan, i) => ({
    at: mined(`scan:${i}`),
    reporter: holderFact(scan.by),
    gtin: scan.gtin,
    lotNumber: scan.lotNumber,
    serial: scan.serial,
    digitalLink: buildDigitalLink({ gtin: scan.gtin, lot: scan.lotNumber, serial: scan.serial }),
    shipmentId: ethers.keccak256(
      abi.encode(["uint64", "string", "string"], [BigInt(scan.gtin), scan.lotNumber, scan.serial]),
    ),
    issued: scan.shipment !== null,
    readPoint: { gln: supplyLocation(scan.where).gln, name: supplyLocation(scan.where).name.en },
    verdict: scan.verdict,
    verdictName: scanVerdict(scan.verdict).name,
    note: scan.note,
  }));
  const shipmentsByGroupAndState: Record<string, Record<string, number>> = {};
  for (const f of shipmentFacts) {
    const row = (shipmentsByGroupAndState[f.productGroup] ??= {});
    row[f.state] = (row[f.state] ?? 0) + 1;
  }
  const supplyFacts = {
    registry: addresses.ProvenanceRegistry,
    digitalLinkForm: "https://id.gs1.org/01/{gtin14}/10/{lot}/21/{serial}",
    labelForm: "https://id.gs1.org/01/{gtin14}/10/{lot}/21/{serial}?chain={chainId}&registry={ProvenanceRegistry}",
    products: [
      ...Object.values(VACCINE_PRODUCTS).map((p) => ({ ...vaccineShipmentProduct(p) })),
      { ...MASKS },
      { ...ANTIGEN_TESTS },
    ].map((p) => ({
      key: p.key,
      group: p.group,
      name: p.name,
      gtin: p.gtin,
      manufacturer: p.manufacturer,
      unit: p.unit,
      coldChainC: p.storageC,
    })),
    locations: locationFacts,
    shipments: shipmentFacts,
    suspectScans: scanFacts,
    summary: {
      locations: locationFacts.length,
      shipments: shipmentFacts.length,
      byProductGroupAndState: shipmentsByGroupAndState,
      inTransit: shipmentFacts.filter((f) => f.inTransit).map((f) => f.id),
      custodySteps: stepsPlanned,
      temperatureReadings: shipments.reduce((n, s) => n + s.readings, 0),
      stepTransactions,
      batchTransactions,
      handoversAccepted,
      excursions: plannedExcursions.length,
      rejections: plannedRejections.length,
      suspectScans: scans.length,
    },
  };

  const stack = {
    note: "Generated by scripts/seed.ts for the local dev chain. Private keys are Hardhat's PUBLIC test keys.",
    network: connection.networkName,
    rpcUrl,
    chainId,
    chainTime: iso(chainEnd),
    contracts: addresses,
    accounts,
    seed: {
      timeline: {
        chainStart: iso(chainStart),
        organisationsAccreditedAt: iso(afterAccreditation),
        firstDay: cstDate(at(HISTORY_DAYS, 0)),
        lastBlock: iso(chainEnd),
        endsInFuture,
        note: "Every seeded transaction is mined at its planned moment (evm_setNextBlockTimestamp); times of day are Shanghai (UTC+8) working hours.",
      },
      organisationsAccredited: accredited + 1,
      rolesGranted,
      records: seededRecords.length,
      grants: seededGrants.map(describeGrant),
      readsLogged,
      vaccines: {
        registry: addresses.VaccineRegistry,
        releaseQuorum,
        lotAttesters: ["lab", "regulator"],
        products: Object.values(VACCINE_PRODUCTS),
        lots: lotFacts,
        summary: {
          doseRecords: doses.length,
          byState: counted(doses.map(doseState)),
          confirmedVia: counted(
            doses.flatMap((d) =>
              d.confirm === null ? [] : [d.confirm.via === "signature" ? "relayed signature" : "citizen"],
            ),
          ),
          verified: doses.filter((d) => d.verifyAt !== null && d.voided === null).length,
          warnedDoses: warned.length,
          byMonth: dosesByMonth,
          byDistrict: dosesByDistrict,
          firstDose: iso(Math.min(...doses.map((d) => d.at))),
          lastDose: iso(Math.max(...doses.map((d) => d.at))),
        },
        syntheticCitizens: {
          count: syntheticCitizens.length,
          mnemonic: SYNTHETIC_CITIZEN_MNEMONIC,
          hdPathPrefix: DEV_HD_PATH_PREFIX,
          note: "PUBLIC demo keys. Wallets that confirmed a dose themselves were given gas money with hardhat_setBalance.",
          funded: fundedSynthetic.map((c) => c.syntheticIndex),
        },
        proofChecks: proofCases.map((p) => ({
          doseId: p.dose.id,
          citizen: p.dose.citizen.personaKey,
          result: p.expected,
          note: p.note,
        })),
        doses: doseFacts,
      },
      supply: supplyFacts,
    },
  };
  const devDir = path.join(root, ".dev");
  await mkdir(devDir, { recursive: true });
  await writeFile(path.join(devDir, "stack.json"), `${JSON.stringify(stack, null, 2)}\n`);
  await writeFile(
    path.join(devDir, "records.json"),
    `${JSON.stringify(
      seededRecords.map((r) => ({
        contentHash: r.contentHash,
        subject: r.subject,
        issuer: r.issuer,
        category: r.category,
        document: r.text,
      })),
      null,
      2,
    )}\n`,
  );

  // ---------------------------------------------------------------------------------------------------------
  // Summary
  // ---------------------------------------------------------------------------------------------------------

  const countBy = <T>(items: readonly T[], key: (t: T) => string): string =>
    Object.entries(counted(items.map(key)))
      .map(([k, n]) => `${n} ${k}`)
      .join(", ");
  const grantLine = (g: SeededGrant): string =>
    `    ${g.state.padEnd(8)}${persona(g.citizen).name.en.padEnd(22)}→ ${persona(g.grantee).name.en.padEnd(44)}` +
    `${CATEGORY_LABELS[g.category].en} · ${PURPOSE_LABELS[g.purpose].en}` +
    (g.relayer !== null ? "  [signed, relayed]" : "") +
    (g.revoke !== null && g.revoke.relayer !== null ? "  [revoked by signature]" : "");
  const table = (rows: readonly (readonly string[])[]): string[] => {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) =>
      `    ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ")}`.trimEnd(),
    );
  };
  const shortDate = (unix: number): string => cstDate(unix);
  const lotEvent = (lot: PlannedLot): string => {
    if (lot.recall !== null) return `recalled ${shortDate(lot.recall.at)} (${LOT_REASON_LABELS[lot.recall.reason].en})`;
    if (lot.quarantine !== null)
      return `quarantined ${shortDate(lot.quarantine.at)} (${LOT_REASON_LABELS[lot.quarantine.reason].en})`;
    if (lot.excursion !== null) return `cold-chain excursion in transit ${shortDate(lot.excursion.at)}`;
    if (lot.intended === LotState.Expired) return `expired ${shortDate(lot.expiresAt)}`;
    const release = releasedAt(lot);
    return release === null
      ? `${lot.attestations.length}/${PLANNED_RELEASE_QUORUM} attestations`
      : `released ${shortDate(release)}`;
  };
  const doseCell = (lot: PlannedLot): string => {
    const mine = doses.filter((d) => d.lot === lot);
    if (mine.length === 0) return "—";
    const c = counted(mine.map(doseState));
    return `${mine.length} (${c.confirmed ?? 0} confirmed, ${c["awaiting confirmation"] ?? 0} awaiting${c.voided === undefined ? "" : `, ${c.voided} voided`})`;
  };

  const elapsed = (Date.now() - startedAt) / 1000;
  const behind = wallNow - chainEnd;
  console.log(`Seeded HealthTrace demo data on chain ${chainId} (${rpcUrl}):`);
  console.log(
    `  timeline       ${cstDate(at(HISTORY_DAYS, 0))} → ${cstDate(end)} (Shanghai dates); last block ${isoMinute(chainEnd)}, ` +
      (endsInFuture
        ? `IN THE FUTURE: this chain did not start 180 days back (npm run dev starts one that does)`
        : `${behind} s before the wall clock`),
  );
  console.log(
    `  organisations  ${accredited} accredited on ${cstDate(afterAccreditation)} (+ ${label(regulatorPersona)}, accredited by the deployment); ${rolesGranted} roles granted`,
  );
  console.log(
    `  vaccine lots   ${lots.length}, released by ${persona("lab").name.en} + ${regulatorPersona.name.en} (quorum ${releaseQuorum}):`,
  );
  for (const line of table([
    ["lot", "product", "storage", "size", "state", "since", "dose records"],
    ...lots.map((l) => [
      l.lotNumber,
      `${l.product.name.en.split(" (")[0]} · ${MANUFACTURER_SHORT[l.product.manufacturer] ?? l.product.manufacturer}`,
      `${l.product.storageC.min}…${l.product.storageC.max} °C`,
      String(l.doseCount),
      LOT_STATE_LABELS[l.intended].en.split(" (")[0],
      lotEvent(l),
      doseCell(l),
    ]),
  ])) {
    console.log(line);
  }
  const byStateAll = counted(doses.map(doseState));
  const viaCounts = counted(doses.flatMap((d) => (d.confirm === null ? [] : [d.confirm.via])));
  console.log(
    `  doses          ${doses.length} records, ${shortDate(Math.min(...doses.map((d) => d.at)))} → ${shortDate(Math.max(...doses.map((d) => d.at)))}: ` +
      `${byStateAll.confirmed ?? 0} confirmed (${viaCounts.signature ?? 0} by relayed EIP-712 signature, ${viaCounts.citizen ?? 0} by the citizen), ` +
      `${byStateAll["awaiting confirmation"] ?? 0} awaiting, ${byStateAll.voided ?? 0} voided; ` +
      `${doses.filter((d) => d.verifyAt !== null && d.voided === null).length} verified by the regulator`,
  );
  console.log(
    `    to           5 citizen personas (${personaDoses.length} records) + ${syntheticCitizens.length} synthetic wallets ` +
      `(${fundedSynthetic.length} given gas to confirm themselves); ${warned.length} doses now warn (recalled or non-conformant lot)` +
      (skippedNoLot > 0 ? `; ${skippedNoLot} planned doses skipped (no lot in use)` : ""),
  );
  console.log(
    `    by district  ${Object.entries(dosesByDistrict)
      .map(([k, n]) => `${districtName(Number(k))} ${n}`)
      .join(" · ")}`,
  );
  console.log(
    `    by month     ${Object.entries(dosesByMonth)
      .map(([k, n]) => `${k} ${n}`)
      .join(" · ")}`,
  );
  console.log(
    `  records        ${seededRecords.length} anchored (${countBy(seededRecords, (r) => CATEGORY_LABELS[r.category].en)})`,
  );
  console.log(
    `  grants         ${seededGrants.length}: ${byState("live").length} live, ${byState("expired").length} expired along the way, ` +
      `${byState("revoked").length} revoked; ${seededGrants.filter((g) => g.relayer !== null).length} by relayed EIP-712 signature`,
  );
  for (const g of seededGrants) console.log(grantLine(g));
  console.log(
    `  reads logged   ${readsLogged} by ${persona("vault").name.en} (gatekeeper), each while its grant was live`,
  );
  // Supply chain
  const stateOrder: readonly ShipmentState[] = [
    "delivered",
    "returned",
    "in storage",
    "in transit",
    "awaiting acceptance",
    "at origin",
  ];
  const groups = [...new Set(shipments.map((s) => s.product.group))];
  const byOwner = counted(SUPPLY_LOCATIONS.map((l) => l.owner));
  console.log(
    `  locations      ${SUPPLY_LOCATIONS.length} GLNs registered by ${Object.keys(byOwner).length} organisations ` +
      `(manufacturers' plants, the carrier's hub and vehicles, the warehouse, hospitals and clinics)`,
  );
  console.log(
    `  shipments      ${shipments.length}: ${groups.map((g) => `${shipments.filter((s) => s.product.group === g).length} ${g}`).join(", ")}; ` +
      `${stepsPlanned} custody steps (${shipments.reduce((n, s) => n + s.readings, 0)} with a temperature) in ${stepTransactions} transactions ` +
      `(${batchTransactions} recordSteps batches), ${handoversAccepted} hand-overs accepted`,
  );
  const usedStates = stateOrder.filter((st) => shipments.some((s) => shipmentState(s) === st));
  for (const line of table([
    ["product", ...usedStates, "non-conformant"],
    ...groups.map((g) => {
      const mine = shipments.filter((s) => s.product.group === g);
      return [
        g,
        ...usedStates.map((st) => String(mine.filter((s) => shipmentState(s) === st).length || "·")),
        String(mine.filter((s) => s.nonConformant).length || "·"),
      ];
    }),
  ])) {
    console.log(line);
  }
  const ref = (s: PlannedShipment): string => `${s.lotNumber}/${s.serial}`;
  for (const { s, x } of plannedExcursions) {
    console.log(
      `    excursion    ${ref(s)} (${s.product.group}, ${s.product.storageC?.min}…${s.product.storageC?.max} °C): ` +
        `${(x.tempCentiC / 100).toFixed(2)} °C at ${supplyLocation(x.where).name.en}, ${cstMinute(x.at)}` +
        (s.vaccineLot === null
          ? ""
          : ` → lot ${s.vaccineLot.lotNumber} non-conformant (state ${f3State}) via the registry hook`),
    );
  }
  for (const { s, r } of plannedRejections) {
    const next = s.custody.at(-1);
    console.log(
      `    rejected     ${ref(s)} (${s.product.group}) by ${orgName(r.by)} on ${shortDate(r.at)}: ${rejectReason(r.reason).en}` +
        (next === undefined ? "" : ` → ${s.returned ? "returned to" : "accepted by"} ${orgName(next.holder)}`),
    );
  }
  for (const scan of scans) {
    console.log(
      `    suspect scan ${scan.lotNumber}/${scan.serial} at ${supplyLocation(scan.where).name.en} on ${shortDate(scan.at)}, ` +
        `reported by ${orgName(scan.by)}: ${scanVerdict(scan.verdict).name}`,
    );
  }
  for (const s of shipments.filter((x) => ["in transit", "awaiting acceptance"].includes(shipmentState(x)))) {
    console.log(
      `    in transit   ${ref(s)} (${s.product.group}, ${s.quantity} ${s.product.unit}): ${shipmentState(s)}, held by ${orgName(s.holder)}` +
        (s.pending === null ? "" : ` → ${orgName(s.pending.to)}`),
    );
  }
  console.log(
    `  checked        ${lots.length} lot states, ${doses.length} doses (doseOf), ${proofCases.length} proofs of vaccination, ` +
      `${seededGrants.length} grants (hasAccess), ${SUPPLY_LOCATIONS.length} locations, ${shipments.length} shipments (shipmentOf), ` +
      `the supply events and lot ${f3.lotNumber}'s state: all as planned`,
  );
  console.log(
    `  took           ${elapsed.toFixed(1)} s (${txCount} timeline transactions in ${timelineSeconds.toFixed(1)} s); wrote ` +
      `${path.relative(process.cwd(), path.join(devDir, "stack.json"))}, ${path.relative(process.cwd(), path.join(devDir, "records.json"))}`,
  );

  await connection.close();
}

try {
  await main();
} catch (error) {
  if (!(error instanceof SeedError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
