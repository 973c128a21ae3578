/**
 * Seed the local HealthTrace chain with realistic demo data.
 *
 *   npx hardhat run scripts/seed.ts --network localhost
 *
 * Expects the Ignition deployment (`ignition/modules/HealthTrace.ts`) on the same chain. Seeds:
 * - every organisation persona of `scripts/lib/personas.ts` accredited with its roles;
 * - record anchors about the citizens (the hash of a salted, synthetic JSON document; only the hash goes
 *   on chain) issued by hospitals, the community clinic and the lab, across all six categories;
 * - consent grants that are live, expired (chain time is advanced past them) and revoked, directly and by
 *   EIP-712 signatures that the citizen signs and another account relays;
 * - reads logged by the record vault (gatekeeper) for readers holding a live grant.
 *
 * Writes `.dev/stack.json` (chain, contracts, accounts with personas and roles) and `.dev/records.json`
 * (the demo record documents, for a local record vault). Both are gitignored. Not idempotent: meant
 * for a fresh dev chain (`npm run dev` starts one on every run).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { CONSENT_TYPES } from "./lib/consent-typed-data.js";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse } from "ethers";
import hre, { network } from "hardhat";

import {
  type ConsentRegistry,
  ConsentRegistry__factory,
  type HealthTraceAuthority,
  HealthTraceAuthority__factory,
  type RecordRegistry,
  RecordRegistry__factory,
} from "../types/ethers-contracts/index.js";
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
  type RecordDocument,
  diagnosis,
  healthCode,
  imaging,
  immunization,
  makeRecordDocument,
  pcrResult,
  prescription,
} from "./lib/records.js";

const DAY = 86_400;
const MODULE_ID = "HealthTrace";
const CONTRACTS = ["HealthTraceAuthority", "RecordRegistry", "ConsentRegistry"] as const;
type ContractName = (typeof CONTRACTS)[number];

class SeedError extends Error {}

async function main(): Promise<void> {
  // ---------------------------------------------------------------------------------------------------------
  // Connection and deployment
  // ---------------------------------------------------------------------------------------------------------

  const connection = await network.create();
  const { ethers } = connection;
  const root = hre.config.paths.root;

  if (connection.networkConfig.type === "edr-simulated") {
    throw new SeedError(
      `seed: network "${connection.networkName}" is an in-process simulated chain that vanishes when this ` +
        `script ends. Start the local node and run: npx hardhat run scripts/seed.ts --network localhost ` +
        `(or just: npm run dev)`,
    );
  }

  const rpcUrl = connection.networkConfig.type === "http" ? await connection.networkConfig.url.get() : "";
  const chainId = Number((await ethers.provider.getNetwork()).chainId);

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
      if ((await ethers.provider.getCode(address)) === "0x") {
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
  if (signers.length < PERSONAS.length) {
    throw new SeedError(`seed: the node exposes ${signers.length} accounts; ${PERSONAS.length} personas need one each.`);
  }
  const signerOf = (key: PersonaKey): HardhatEthersSigner => signers[persona(key).index];
  const addressOf = (key: PersonaKey): string => signerOf(key).address;

  const authority: HealthTraceAuthority = HealthTraceAuthority__factory.connect(addresses.HealthTraceAuthority, signers[0]);
  const records: RecordRegistry = RecordRegistry__factory.connect(addresses.RecordRegistry, signers[0]);
  const consent: ConsentRegistry = ConsentRegistry__factory.connect(addresses.ConsentRegistry, signers[0]);

  /** Send a transaction and wait for it; a failure names the step. */
  async function send(step: string, tx: Promise<ContractTransactionResponse>): Promise<void> {
    try {
      const receipt = await (await tx).wait();
      if (receipt === null || receipt.status !== 1) throw new Error("transaction failed");
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SeedError(`seed: ${step} failed: ${reason}`);
    }
  }

  async function latestTime(): Promise<number> {
    const block = await ethers.provider.getBlock("latest");
    if (block === null) throw new SeedError("seed: the node returned no latest block");
    return block.timestamp;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Sanity checks: role ids, the deployment's own accreditation of the regulator, the admin
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
  if (Number(regulatorOrg.kind) !== regulatorPersona.kind || Number(regulatorOrg.district) !== regulatorPersona.district) {
    throw new SeedError("seed: the deployed regulator's kind/district differ from scripts/lib/personas.ts");
  }
  if ((await authority.defaultAdmin()) !== addressOf("admin")) {
    throw new SeedError(`seed: account 0 is not the default admin of this deployment`);
  }

  // ---------------------------------------------------------------------------------------------------------
  // 1. Organisations and roles
  // ---------------------------------------------------------------------------------------------------------

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
  // 2. Record anchors (hash of a salted off-chain document; only the hash goes on chain)
  // ---------------------------------------------------------------------------------------------------------

  interface SeededRecord extends RecordDocument {
    readonly contentHash: string;
    readonly subjectKey: PersonaKey;
    readonly issuerKey: PersonaKey;
  }

  const seededRecords: SeededRecord[] = [];
  const t0 = await latestTime();

  async function anchor(
    subjectKey: PersonaKey,
    issuerKey: PersonaKey,
    category: CategoryCode,
    body: Readonly<Record<string, unknown>>,
  ): Promise<SeededRecord> {
    const doc = makeRecordDocument(addressOf(subjectKey), addressOf(issuerKey), category, await latestTime(), body);
    const contentHash = ethers.keccak256(ethers.toUtf8Bytes(doc.text));
    await send(
      `anchor ${CATEGORY_LABELS[category].en} record of ${subjectKey} by ${issuerKey}`,
      records.connect(signerOf(issuerKey)).anchor(doc.subject, category, contentHash),
    );
    const seeded = { ...doc, contentHash, subjectKey, issuerKey };
    seededRecords.push(seeded);
    return seeded;
  }

  // Citizen A (Pudong): two doses at the community clinic, a negative PCR, a green health code.
  await anchor("citizenA", "huamuChc", Category.Vaccination, immunization(t0, 420, 1, "202109A112"));
  await anchor("citizenA", "huamuChc", Category.Vaccination, immunization(t0, 392, 2, "202110A047"));
  await anchor("citizenA", "lab", Category.LabResult, pcrResult(t0, 12, false));
  await anchor("citizenA", "huamuChc", Category.HealthCodeStatus, healthCode(t0, 12, "green", "negative nucleic-acid test"));
  // Citizen B (Huangpu): COVID-19 pneumonia treated at Ruijin Hospital.
  await anchor("citizenB", "lab", Category.LabResult, pcrResult(t0, 20, true, 24.5));
  await anchor("citizenB", "ruijin", Category.Diagnosis, diagnosis(t0, 19, "U07.1", "COVID-19, virus identified", "moderate"));
  await anchor(
    "citizenB",
    "ruijin",
    Category.Imaging,
    imaging(t0, 19, "24627-2", "CT Chest", "bilateral peripheral ground-glass opacities"),
  );
  await anchor(
    "citizenB",
    "ruijin",
    Category.Prescription,
    prescription(t0, 19, "J05AE30", "nirmatrelvir and ritonavir", "300 mg/100 mg orally every 12 h for 5 days"),
  );
  await anchor("citizenB", "ruijin", Category.HealthCodeStatus, healthCode(t0, 20, "red", "positive nucleic-acid test"));
  // Citizen C (Xuhui): three doses (booster at Zhongshan Hospital), an outpatient diagnosis.
  await anchor("citizenC", "huamuChc", Category.Vaccination, immunization(t0, 500, 1, "202107A203"));
  await anchor("citizenC", "huamuChc", Category.Vaccination, immunization(t0, 472, 2, "202108A019"));
  await anchor("citizenC", "zhongshan", Category.Vaccination, immunization(t0, 200, 3, "202203B005"));
  await anchor("citizenC", "zhongshan", Category.Diagnosis, diagnosis(t0, 30, "J06.9", "Acute upper respiratory infection, unspecified", "mild"));
  // Citizen D (Minhang): imaging and a prescription at Zhongshan Hospital.
  await anchor("citizenD", "zhongshan", Category.Imaging, imaging(t0, 45, "24627-2", "CT Chest", "no acute abnormality"));
  await anchor(
    "citizenD",
    "zhongshan",
    Category.Prescription,
    prescription(t0, 44, "R05CB01", "acetylcysteine", "600 mg orally once daily for 7 days"),
  );
  await anchor("citizenD", "lab", Category.LabResult, pcrResult(t0, 46, false));
  // Citizen E (Yangpu): a dose and a yellow health code lifted after a test.
  await anchor("citizenE", "huamuChc", Category.Vaccination, immunization(t0, 300, 1, "202201A088"));
  await anchor("citizenE", "huamuChc", Category.HealthCodeStatus, healthCode(t0, 9, "yellow", "close-contact area visit"));
  await anchor("citizenE", "lab", Category.LabResult, pcrResult(t0, 8, false));
  await anchor("citizenE", "huamuChc", Category.HealthCodeStatus, healthCode(t0, 7, "green", "negative nucleic-acid test"));

  // ---------------------------------------------------------------------------------------------------------
  // 3. Consent grants
  // ---------------------------------------------------------------------------------------------------------

  type GrantState = "live" | "expired" | "revoked";
  interface SeededGrant {
    readonly citizen: PersonaKey;
    readonly grantee: PersonaKey;
    readonly category: CategoryCode;
    readonly purpose: PurposeCode;
    readonly expiresAt: number;
    readonly via: string;
    state: GrantState;
    revokedVia?: string;
  }
  const seededGrants: SeededGrant[] = [];

  const domainFields = await consent.eip712Domain();
  const domain = {
    name: domainFields.name,
    version: domainFields.version,
    chainId: domainFields.chainId,
    verifyingContract: domainFields.verifyingContract,
  };
  const GRANT_TYPES = { Grant: [...CONSENT_TYPES.Grant] };
  const REVOKE_TYPES = { Revoke: [...CONSENT_TYPES.Revoke] };
  /** Nonce key used by the seed's signatures (upper 192 bits of a keyed nonce). */
  const NONCE_KEY = 0n;

  async function grant(
    citizen: PersonaKey,
    grantee: PersonaKey,
    category: CategoryCode,
    purpose: PurposeCode,
    durationSeconds: number,
    relayer?: PersonaKey,
  ): Promise<SeededGrant> {
    const now = await latestTime();
    const expiresAt = now + durationSeconds;
    const step = `grant ${citizen} → ${grantee} (${CATEGORY_LABELS[category].en}, ${PURPOSE_LABELS[purpose].en})`;
    if (relayer === undefined) {
      await send(step, consent.connect(signerOf(citizen)).grant(addressOf(grantee), category, purpose, expiresAt));
    } else {
      const nonce = await consent["nonces(address,uint192)"](addressOf(citizen), NONCE_KEY);
      const deadline = now + 3_600;
      const signature = await signerOf(citizen).signTypedData(domain, GRANT_TYPES, {
        citizen: addressOf(citizen),
        grantee: addressOf(grantee),
        category,
        purpose,
        expiresAt,
        nonce,
        deadline,
      });
      await send(
        `${step} by EIP-712 signature relayed by ${relayer}`,
        consent
          .connect(signerOf(relayer))
          .grantBySig(addressOf(citizen), addressOf(grantee), category, purpose, expiresAt, nonce, deadline, signature),
      );
    }
    const seeded: SeededGrant = {
      citizen,
      grantee,
      category,
      purpose,
      expiresAt,
      via: relayer === undefined ? "citizen's own transaction" : `EIP-712 signature relayed by ${relayer}`,
      state: "live",
    };
    seededGrants.push(seeded);
    return seeded;
  }

  async function revoke(g: SeededGrant, relayer?: PersonaKey): Promise<void> {
    const step = `revoke ${g.citizen} → ${g.grantee} (${CATEGORY_LABELS[g.category].en})`;
    if (relayer === undefined) {
      await send(step, consent.connect(signerOf(g.citizen)).revoke(addressOf(g.grantee), g.category));
    } else {
      const nonce = await consent["nonces(address,uint192)"](addressOf(g.citizen), NONCE_KEY);
      const deadline = (await latestTime()) + 3_600;
      const signature = await signerOf(g.citizen).signTypedData(domain, REVOKE_TYPES, {
        citizen: addressOf(g.citizen),
        grantee: addressOf(g.grantee),
        category: g.category,
        nonce,
        deadline,
      });
      await send(
        `${step} by EIP-712 signature relayed by ${relayer}`,
        consent
          .connect(signerOf(relayer))
          .revokeBySig(addressOf(g.citizen), addressOf(g.grantee), g.category, nonce, deadline, signature),
      );
    }
    g.state = "revoked";
    g.revokedVia = relayer === undefined ? "citizen's own transaction" : `EIP-712 signature relayed by ${relayer}`;
  }

  // 3a. Grants with a short expiry, then chain time moves past them.
  const expiring = [
    await grant("citizenB", "zhongshan", Category.LabResult, Purpose.Emergency, 2 * DAY),
    await grant("citizenA", "regulator", Category.HealthCodeStatus, Purpose.PublicHealthReporting, 7 * DAY),
    await grant("citizenE", "research", Category.Vaccination, Purpose.Research, 3 * DAY),
  ];
  const ADVANCE = 10 * DAY;
  await ethers.provider.send("evm_increaseTime", [ADVANCE]);
  await ethers.provider.send("evm_mine", []);
  for (const g of expiring) {
    if (await consent.hasAccess(addressOf(g.citizen), addressOf(g.grantee), g.category)) {
      throw new SeedError(`seed: grant ${g.citizen} → ${g.grantee} should have expired after advancing time`);
    }
    g.state = "expired";
  }

  // 3b. Live grants, relative to the new chain time: direct, and signed by the citizen and relayed.
  await grant("citizenA", "huamuChc", Category.Vaccination, Purpose.Treatment, 365 * DAY);
  await grant("citizenA", "research", Category.Vaccination, Purpose.Research, 180 * DAY);
  await grant("citizenB", "ruijin", Category.Diagnosis, Purpose.Treatment, 90 * DAY);
  await grant("citizenB", "ruijin", Category.Imaging, Purpose.Treatment, 90 * DAY);
  await grant("citizenB", "regulator", Category.LabResult, Purpose.PublicHealthReporting, 30 * DAY);
  // The hospital collects Citizen C's signature at the front desk and pays the gas.
  await grant("citizenC", "zhongshan", Category.Vaccination, Purpose.Treatment, 30 * DAY, "zhongshan");
  // The record vault relays Citizen D's signed grant for Ruijin (a referral).
  await grant("citizenD", "ruijin", Category.Imaging, Purpose.Treatment, 60 * DAY, "vault");
  await grant("citizenE", "huamuChc", Category.HealthCodeStatus, Purpose.Treatment, 14 * DAY);

  // 3c. Grants that are revoked: directly, and by a relayed EIP-712 signature.
  const toRevokeDirect = await grant("citizenD", "research", Category.Imaging, Purpose.Research, 180 * DAY);
  const toRevokeBySig = await grant("citizenC", "ruijin", Category.Diagnosis, Purpose.InsuranceClaim, 60 * DAY);
  await revoke(toRevokeDirect);
  await revoke(toRevokeBySig, "vault");

  // ---------------------------------------------------------------------------------------------------------
  // 4. Reads logged by the record vault (it checks hasAccess first, exactly as the vault service does)
  // ---------------------------------------------------------------------------------------------------------

  const vault = consent.connect(signerOf("vault"));
  let readsLogged = 0;
  const refusedReads: string[] = [];
  for (const g of seededGrants) {
    const citizen = addressOf(g.citizen);
    const reader = addressOf(g.grantee);
    const live = await consent.hasAccess(citizen, reader, g.category);
    if (live !== (g.state === "live")) {
      throw new SeedError(`seed: hasAccess(${g.citizen}, ${g.grantee}, ${g.category}) = ${live}, expected ${g.state}`);
    }
    const wanted = seededRecords.filter((r) => r.subjectKey === g.citizen && r.category === g.category);
    if (!live) {
      if (wanted.length > 0) refusedReads.push(`${g.grantee} → ${g.citizen} ${CATEGORY_LABELS[g.category].en} (${g.state})`);
      continue;
    }
    for (const r of wanted) {
      await send(
        `log read of ${g.citizen}'s ${CATEGORY_LABELS[g.category].en} record by ${g.grantee}`,
        vault.logAccess(citizen, reader, g.category, r.contentHash),
      );
      readsLogged += 1;
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // 5. .dev/stack.json and .dev/records.json
  // ---------------------------------------------------------------------------------------------------------

  const devHd = ethers.HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, DEV_HD_PATH_PREFIX);
  const accounts = [];
  for (let index = 0; index < Math.min(signers.length, DEV_ACCOUNT_COUNT); index++) {
    const address = signers[index].address;
    const wallet = devHd.deriveChild(index);
    const p: Persona | undefined = PERSONAS.find((q) => q.index === index);
    const roles = [];
    if ((await authority.defaultAdmin()) === address) roles.push("DEFAULT_ADMIN_ROLE");
    for (const name of ROLE_NAMES) if (await authority.hasRole(ROLE_IDS[name], address)) roles.push(name);
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
    expiresAt: new Date(g.expiresAt * 1000).toISOString(),
    state: g.state,
    via: g.via,
    ...(g.revokedVia === undefined ? {} : { revokedVia: g.revokedVia }),
  });

  const stack = {
    note: "Generated by scripts/seed.ts for the local dev chain. Private keys are Hardhat's PUBLIC test keys.",
    network: connection.networkName,
    rpcUrl,
    chainId,
    chainTime: new Date((await latestTime()) * 1000).toISOString(),
    contracts: addresses,
    accounts,
    seed: {
      organisationsAccredited: accredited + 1,
      rolesGranted,
      records: seededRecords.length,
      grants: seededGrants.map(describeGrant),
      readsLogged,
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

  const countBy = <T>(items: readonly T[], key: (t: T) => string): string => {
    const counts = new Map<string, number>();
    for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
    return [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
  };
  const bySig = seededGrants.filter((g) => g.via.startsWith("EIP-712")).length;
  const grantLine = (g: SeededGrant): string =>
    `    ${g.state.padEnd(8)}${persona(g.citizen).name.en.padEnd(22)}→ ${persona(g.grantee).name.en.padEnd(42)}` +
    `${CATEGORY_LABELS[g.category].en} · ${PURPOSE_LABELS[g.purpose].en}` +
    (g.via.startsWith("EIP-712") ? "  [signed, relayed]" : "") +
    (g.revokedVia?.startsWith("EIP-712") === true ? "  [revoked by signature]" : "");

  console.log(`Seeded HealthTrace demo data on chain ${chainId} (${rpcUrl}):`);
  console.log(
    `  organisations  ${accredited} accredited (+ ${label(regulatorPersona)}, accredited by the deployment); ${rolesGranted} roles granted`,
  );
  console.log(`  records        ${seededRecords.length} anchored (${countBy(seededRecords, (r) => CATEGORY_LABELS[r.category].en)})`);
  console.log(
    `  grants         ${seededGrants.length}: ${byState("live").length} live, ${byState("expired").length} expired ` +
      `(chain time advanced ${ADVANCE / DAY} days), ${byState("revoked").length} revoked; ${bySig} by relayed EIP-712 signature`,
  );
  for (const g of seededGrants) console.log(grantLine(g));
  console.log(`  reads logged   ${readsLogged} by ${persona("vault").name.en} (gatekeeper) for live grants`);
  if (refusedReads.length > 0) console.log(`  no read logged (no live grant): ${refusedReads.join("; ")}`);
  console.log(`  wrote          ${path.relative(process.cwd(), path.join(devDir, "stack.json"))}, ${path.relative(process.cwd(), path.join(devDir, "records.json"))}`);

  await connection.close();
}


try {
  await main();
} catch (error) {
  if (!(error instanceof SeedError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
