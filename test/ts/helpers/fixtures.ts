import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { BaseContract, ContractTransactionResponse } from "ethers";
import { network } from "hardhat";

import { Kind, type RoleName } from "../../../scripts/lib/personas.js";

import HealthTraceModule from "../../../ignition/modules/HealthTrace.js";
import {
  type ConsentRegistry,
  ConsentRegistry__factory,
  type HealthTraceAuthority,
  HealthTraceAuthority__factory,
  type RecordRegistry,
  RecordRegistry__factory,
  type ProvenanceRegistry,
  ProvenanceRegistry__factory,
  type VaccineRegistry,
  VaccineRegistry__factory,
} from "../../../types/ethers-contracts/index.js";

/** One network connection per test file importing this module (Hardhat 3: `network.create()`). */
export const connection = await network.create();
export const { ethers, ignition, networkHelpers } = connection;

// The code sets and the closed role list have one source: the personas module shared with the scripts.
export { Category, Kind, Purpose, ROLE_NAMES } from "../../../scripts/lib/personas.js";
export type { RoleName } from "../../../scripts/lib/personas.js";
export const role = (name: RoleName): string => ethers.id(name);

export const ADMIN_DELAY = 2n * 24n * 60n * 60n;

export interface Actors {
  admin: HardhatEthersSigner;
  regulator: HardhatEthersSigner;
  manufacturer: HardhatEthersSigner;
  lab: HardhatEthersSigner;
  carrier: HardhatEthersSigner;
  warehouse: HardhatEthersSigner;
  hospital: HardhatEthersSigner;
  clinic: HardhatEthersSigner;
  research: HardhatEthersSigner;
  vault: HardhatEthersSigner;
  citizen: HardhatEthersSigner;
  citizen2: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
  relayer: HardhatEthersSigner;
}

export interface Deployed {
  authority: HealthTraceAuthority;
  recordRegistry: RecordRegistry;
  consentRegistry: ConsentRegistry;
  vaccineRegistry: VaccineRegistry;
  provenanceRegistry: ProvenanceRegistry;
}

async function actors(): Promise<Actors> {
  const [
    admin,
    regulator,
    manufacturer,
    lab,
    carrier,
    warehouse,
    hospital,
    clinic,
    research,
    vault,
    citizen,
    citizen2,
    outsider,
    relayer,
  ] = await ethers.getSigners();
  return {
    admin,
    regulator,
    manufacturer,
    lab,
    carrier,
    warehouse,
    hospital,
    clinic,
    research,
    vault,
    citizen,
    citizen2,
    outsider,
    relayer,
  };
}

/** Just the Ignition deployment: the authority with its admin (account 0) and first regulator (account 1). */
export async function deployFixture(): Promise<Deployed & Actors> {
  const deployed = await ignition.deploy(HealthTraceModule);
  // Ignition returns untyped ethers contracts; re-attach the TypeChain types by address.
  const [admin] = await ethers.getSigners();
  return {
    authority: HealthTraceAuthority__factory.connect(await deployed.authority.getAddress(), admin),
    recordRegistry: RecordRegistry__factory.connect(await deployed.recordRegistry.getAddress(), admin),
    consentRegistry: ConsentRegistry__factory.connect(await deployed.consentRegistry.getAddress(), admin),
    vaccineRegistry: VaccineRegistry__factory.connect(await deployed.vaccineRegistry.getAddress(), admin),
    provenanceRegistry: ProvenanceRegistry__factory.connect(await deployed.provenanceRegistry.getAddress(), admin),
    ...(await actors()),
  };
}

/**
 * The deployment plus one accredited organisation of each kind with its usual roles:
 * manufacturer (MANUFACTURER), lab (LOT_ATTESTER, RECORD_ISSUER), carrier (CARRIER), warehouse (WAREHOUSE),
 * hospital (RECORD_ISSUER, CLINIC), clinic (CLINIC, RECORD_ISSUER), research institute (no role),
 * vault (GATEKEEPER, accredited as a regulator-kind body). Citizens, the outsider and the relayer are plain wallets.
 */
export async function accreditedFixture(): Promise<Deployed & Actors> {
  const f = await deployFixture();
  const reg = f.authority.connect(f.regulator);
  const orgs: [HardhatEthersSigner, number, number, string, string, RoleName[]][] = [
    [f.manufacturer, Kind.Manufacturer, 310115, "Shanghai Institute of Biological Products", "上海生物制品研究所", ["MANUFACTURER_ROLE"]],
    [f.lab, Kind.Lab, 310104, "Shanghai Institute for Food and Drug Control", "上海市食品药品检验研究院", ["LOT_ATTESTER_ROLE", "RECORD_ISSUER_ROLE"]],
    [f.carrier, Kind.Carrier, 310112, "Shanghai Cold Chain Logistics", "上海冷链物流", ["CARRIER_ROLE"]],
    [f.warehouse, Kind.Warehouse, 310113, "Baoshan Medical Warehouse", "宝山医药仓库", ["WAREHOUSE_ROLE"]],
    [f.hospital, Kind.Hospital, 310101, "Ruijin Hospital", "瑞金医院", ["RECORD_ISSUER_ROLE", "CLINIC_ROLE"]],
    [f.clinic, Kind.Clinic, 310104, "Xuhui Community Health Center", "徐汇区社区卫生服务中心", ["CLINIC_ROLE", "RECORD_ISSUER_ROLE"]],
    [f.research, Kind.ResearchInstitute, 310110, "Fudan School of Public Health", "复旦大学公共卫生学院", []],
    [f.vault, Kind.Regulator, 310000, "Shanghai Health Record Vault", "上海健康档案库", ["GATEKEEPER_ROLE"]],
  ];
  for (const [signer, kind, district, name, localName, roles] of orgs) {
    await reg.accredit(signer.address, kind, district, name, localName);
    for (const r of roles) await reg.grantRole(role(r), signer.address);
  }
  return f;
}

/** Block timestamp of the latest block. */
export const now = async (): Promise<number> => networkHelpers.time.latest();

/**
 * The events `contract` emitted in a transaction, in log order, each as `[name, ...args]` (what a batch test compares
 * call for call). Fails when the transaction reverted.
 */
export async function emittedBy(
  tx: Promise<ContractTransactionResponse>,
  contract: BaseContract,
): Promise<unknown[][]> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  const address = (await contract.getAddress()).toLowerCase();
  return receipt.logs
    .filter((log) => log.address.toLowerCase() === address)
    .map((log) => {
      const parsed = contract.interface.parseLog(log);
      if (parsed === null) throw new Error(`a log of ${address} that its ABI does not describe`);
      return [parsed.name, ...parsed.args.toArray()];
    });
}
