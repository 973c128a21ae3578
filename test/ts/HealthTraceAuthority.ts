import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";

import { type HealthTraceAuthority, HealthTraceAuthority__factory } from "../../types/ethers-contracts/index.js";
import {
  type Actors,
  ADMIN_DELAY,
  accreditedFixture,
  type Deployed,
  deployFixture,
  ethers,
  Kind,
  networkHelpers,
  ROLE_NAMES,
  type RoleName,
  role,
} from "./helpers/fixtures.js";

type Fixture = Deployed & Actors;

const { time } = networkHelpers;

const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
const REGULATOR_ROLE = role("REGULATOR_ROLE");
const ALL_ROLES = ROLE_NAMES.map((name) => role(name));
/** Every role that the regulator administers (all but REGULATOR_ROLE). */
const OPERATIONAL_ROLES = ROLE_NAMES.filter((name) => name !== "REGULATOR_ROLE");
const UNKNOWN_ROLE = ethers.id("UNKNOWN_ROLE");
const STATUS_ACTIVE = 1n;
const STATUS_SUSPENDED = 2n;
const DAY = 24n * 60n * 60n;
const REGULATOR_NAME = "Shanghai Municipal Health Commission";
const REGULATOR_LOCAL_NAME = "上海市卫生健康委员会";

/** Bit of a role in `parkedRoles` (its index in `Roles.all()`). */
const bit = (name: RoleName): bigint => 1n << BigInt(ROLE_NAMES.indexOf(name));
const mask = (...names: RoleName[]): bigint => names.reduce((m, n) => m | bit(n), 0n);

/** The personas a role-gated function is tried by. */
const PERSONAS = [
  "admin",
  "regulator",
  "manufacturer",
  "lab",
  "carrier",
  "warehouse",
  "hospital",
  "clinic",
  "research",
  "vault",
  "citizen",
  "outsider",
] as const;
type Persona = (typeof PERSONAS)[number];

function personasExcept(f: Fixture, ...except: Persona[]): [Persona, HardhatEthersSigner][] {
  return PERSONAS.filter((p) => !except.includes(p)).map((p) => [p, f[p]]);
}

/** Every account the fixture knows, for state snapshots. */
function allAccounts(f: Fixture): string[] {
  return [
    f.admin,
    f.regulator,
    f.manufacturer,
    f.lab,
    f.carrier,
    f.warehouse,
    f.hospital,
    f.clinic,
    f.research,
    f.vault,
    f.citizen,
    f.citizen2,
    f.outsider,
    f.relayer,
  ].map((s) => s.address);
}

async function orgOf(authority: HealthTraceAuthority, account: string) {
  const o = await authority.organisationOf(account);
  return {
    kind: o.kind,
    status: o.status,
    district: o.district,
    parkedRoles: o.parkedRoles,
    accreditedAt: o.accreditedAt,
  };
}

async function heldRoles(authority: HealthTraceAuthority, account: string): Promise<RoleName[]> {
  const held = await Promise.all(ROLE_NAMES.map((name) => authority.hasRole(role(name), account)));
  return ROLE_NAMES.filter((_, i) => held[i]);
}

/** Everything the authority stores about the known accounts: organisations, roles, admin state. */
async function snapshot(f: Fixture, extra: string[] = []) {
  const a = f.authority;
  const accounts = [...allAccounts(f), ...extra];
  const roles = [DEFAULT_ADMIN_ROLE, ...ALL_ROLES];
  const [orgs, held, active, defaultAdmin, pendingAdmin, delay, pendingDelay] = await Promise.all([
    Promise.all(accounts.map((acc) => orgOf(a, acc))),
    Promise.all(accounts.flatMap((acc) => roles.map((r) => a.hasRole(r, acc)))),
    Promise.all(accounts.map((acc) => a.isActive(acc))),
    a.defaultAdmin(),
    a.pendingDefaultAdmin(),
    a.defaultAdminDelay(),
    a.pendingDefaultAdminDelay(),
  ]);
  return {
    orgs,
    held,
    active,
    defaultAdmin,
    pendingAdmin: [...pendingAdmin],
    delay,
    pendingDelay: [...pendingDelay],
  };
}

async function blockTimestamp(tx: Promise<ContractTransactionResponse> | ContractTransactionResponse): Promise<bigint> {
  const receipt = await (await tx).wait();
  const block = await ethers.provider.getBlock(receipt!.blockNumber);
  return BigInt(block!.timestamp);
}

/** A fresh random address that nobody has touched. */
const freshAddress = (): string => ethers.Wallet.createRandom().address;

/** XOR of the function selectors: an ERC-165 interface id. */
function interfaceId(signatures: string[]): string {
  let id = 0n;
  for (const sig of signatures) id ^= BigInt(ethers.id(sig).slice(0, 10));
  return "0x" + id.toString(16).padStart(8, "0");
}

/** The accredited fixture plus `vault` holding REGULATOR_ROLE (a second regulator). */
async function twoRegulatorsFixture(): Promise<Fixture> {
  const f = await accreditedFixture();
  await f.authority.connect(f.admin).grantRole(REGULATOR_ROLE, f.vault.address);
  return f;
}

/** The accredited fixture with the hospital suspended. */
async function suspendedHospitalFixture(): Promise<Fixture> {
  const f = await accreditedFixture();
  await f.authority.connect(f.regulator).suspend(f.hospital.address);
  return f;
}

/** The accredited fixture with the research institute holding all eight roles. */
async function allRolesFixture(): Promise<Fixture> {
  const f = await accreditedFixture();
  await f.authority.connect(f.admin).grantRole(REGULATOR_ROLE, f.research.address);
  for (const name of OPERATIONAL_ROLES) {
    await f.authority.connect(f.regulator).grantRole(role(name), f.research.address);
  }
  return f;
}

/** The deployment with a default-admin transfer to `outsider` begun; returns its accept schedule. */
async function pendingTransferFixture(): Promise<Fixture & { schedule: bigint }> {
  const f = await deployFixture();
  await f.authority.connect(f.admin).beginDefaultAdminTransfer(f.outsider.address);
  const [, schedule] = await f.authority.pendingDefaultAdmin();
  return { ...f, schedule };
}

describe("HealthTraceAuthority", () => {
  describe("constructor", () => {
    it("test_constructor_accreditsRegulatorWithKind7AndDistrict310000", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const [log] = await f.authority.queryFilter(f.authority.filters.OrganisationAccredited(f.regulator.address));
      expect(log, "OrganisationAccredited emitted at deployment").to.not.equal(undefined);
      expect(log.args.kind).to.equal(BigInt(Kind.Regulator));
      expect(log.args.district).to.equal(310000n);
      expect(log.args.name).to.equal(REGULATOR_NAME);
      expect(log.args.localName).to.equal(REGULATOR_LOCAL_NAME);
      const deployedAt = BigInt((await ethers.provider.getBlock(log.blockNumber))!.timestamp);
      expect(await orgOf(f.authority, f.regulator.address)).to.deep.equal({
        kind: 7n,
        status: STATUS_ACTIVE,
        district: 310000n,
        parkedRoles: 0n,
        accreditedAt: deployedAt,
      });
      expect(await f.authority.isActive(f.regulator.address)).to.equal(true);
    });

    it("test_constructor_grantsRegulatorRoleAndDefaultAdmin", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      expect(await heldRoles(f.authority, f.regulator.address)).to.deep.equal(["REGULATOR_ROLE"]);
      expect(await f.authority.hasRole(DEFAULT_ADMIN_ROLE, f.regulator.address)).to.equal(false);
      expect(await f.authority.hasRole(DEFAULT_ADMIN_ROLE, f.admin.address)).to.equal(true);
      expect(await heldRoles(f.authority, f.admin.address)).to.deep.equal([]);
      expect(await f.authority.defaultAdmin()).to.equal(f.admin.address);
      expect(await f.authority.owner()).to.equal(f.admin.address);
      expect(await f.authority.defaultAdminDelay()).to.equal(ADMIN_DELAY);
      expect(await f.authority.isActive(f.admin.address)).to.equal(false);
    });

    it("test_constructor_emitsAccreditationRoleAndRoleAdminEvents", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const factory = new HealthTraceAuthority__factory(f.citizen);
      const c = await factory.deploy(DAY, f.admin.address, f.outsider.address, 310104, "Xuhui CDC", "徐汇区疾控中心");
      const tx = c.deploymentTransaction();
      await expect(tx)
        .to.emit(c, "OrganisationAccredited")
        .withArgs(f.outsider.address, Kind.Regulator, 310104, "Xuhui CDC", "徐汇区疾控中心");
      await expect(tx).to.emit(c, "RoleGranted").withArgs(DEFAULT_ADMIN_ROLE, f.admin.address, f.citizen.address);
      await expect(tx).to.emit(c, "RoleGranted").withArgs(REGULATOR_ROLE, f.outsider.address, f.citizen.address);
      for (const name of OPERATIONAL_ROLES) {
        await expect(tx).to.emit(c, "RoleAdminChanged").withArgs(role(name), DEFAULT_ADMIN_ROLE, REGULATOR_ROLE);
      }
      expect(await c.defaultAdminDelay()).to.equal(DAY);
      expect(await c.defaultAdmin()).to.equal(f.admin.address);
      expect(await c.hasRole(REGULATOR_ROLE, f.outsider.address)).to.equal(true);
      expect((await c.organisationOf(f.outsider.address)).district).to.equal(310104n);
    });

    it("test_constructor_refusesZeroAdmin", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const factory = new HealthTraceAuthority__factory(f.admin);
      await expect(factory.deploy(DAY, ethers.ZeroAddress, f.regulator.address, 310000, "A", "甲"))
        .to.be.revertedWithCustomError(factory, "AccessControlInvalidDefaultAdmin")
        .withArgs(ethers.ZeroAddress);
    });

    it("test_constructor_refusesZeroRegulator", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const factory = new HealthTraceAuthority__factory(f.admin);
      await expect(
        factory.deploy(DAY, f.admin.address, ethers.ZeroAddress, 310000, "A", "甲"),
      ).to.be.revertedWithCustomError(factory, "AuthorityZeroAddress");
    });

    it("test_constructor_refusesInvalidDistrict", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const factory = new HealthTraceAuthority__factory(f.admin);
      await expect(factory.deploy(DAY, f.admin.address, f.regulator.address, 99999, "A", "甲"))
        .to.be.revertedWithCustomError(factory, "AuthorityInvalidDistrict")
        .withArgs(99999);
    });

    it("test_constructor_refusesInvalidNames", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const factory = new HealthTraceAuthority__factory(f.admin);
      await expect(factory.deploy(DAY, f.admin.address, f.regulator.address, 310000, "", "甲"))
        .to.be.revertedWithCustomError(factory, "AuthorityInvalidName")
        .withArgs(0);
      await expect(factory.deploy(DAY, f.admin.address, f.regulator.address, 310000, "A", "甲".repeat(22)))
        .to.be.revertedWithCustomError(factory, "AuthorityInvalidName")
        .withArgs(66);
    });
  });

  describe("role constants", () => {
    it("test_roleConstants_equalKeccakOfTheirNames", async () => {
      const { authority } = await networkHelpers.loadFixture(deployFixture);
      const getters: Record<RoleName, () => Promise<string>> = {
        REGULATOR_ROLE: () => authority.REGULATOR_ROLE(),
        MANUFACTURER_ROLE: () => authority.MANUFACTURER_ROLE(),
        CARRIER_ROLE: () => authority.CARRIER_ROLE(),
        WAREHOUSE_ROLE: () => authority.WAREHOUSE_ROLE(),
        CLINIC_ROLE: () => authority.CLINIC_ROLE(),
        RECORD_ISSUER_ROLE: () => authority.RECORD_ISSUER_ROLE(),
        LOT_ATTESTER_ROLE: () => authority.LOT_ATTESTER_ROLE(),
        GATEKEEPER_ROLE: () => authority.GATEKEEPER_ROLE(),
      };
      for (const name of ROLE_NAMES) {
        expect(await getters[name](), name).to.equal(ethers.keccak256(ethers.toUtf8Bytes(name)));
      }
      expect(new Set(ALL_ROLES).size).to.equal(8);
    });

    it("test_DEFAULT_ADMIN_ROLE_isZero", async () => {
      const { authority } = await networkHelpers.loadFixture(deployFixture);
      expect(await authority.DEFAULT_ADMIN_ROLE()).to.equal(ethers.ZeroHash);
    });

    it("test_MAX_NAME_BYTES_is64", async () => {
      const { authority } = await networkHelpers.loadFixture(deployFixture);
      expect(await authority.MAX_NAME_BYTES()).to.equal(64n);
    });
  });

  describe("supportsInterface", () => {
    const IERC165 = interfaceId(["supportsInterface(bytes4)"]);
    const IAccessControl = interfaceId([
      "hasRole(bytes32,address)",
      "getRoleAdmin(bytes32)",
      "grantRole(bytes32,address)",
      "revokeRole(bytes32,address)",
      "renounceRole(bytes32,address)",
    ]);
    const IAccessControlDefaultAdminRules = interfaceId([
      "defaultAdmin()",
      "pendingDefaultAdmin()",
      "defaultAdminDelay()",
      "pendingDefaultAdminDelay()",
      "beginDefaultAdminTransfer(address)",
      "cancelDefaultAdminTransfer()",
      "acceptDefaultAdminTransfer()",
      "changeDefaultAdminDelay(uint48)",
      "rollbackDefaultAdminDelay()",
      "defaultAdminDelayIncreaseWait()",
    ]);

    const IHealthTraceAuthority = interfaceId([
      "accredit(address,uint8,uint32,string,string)",
      "suspend(address)",
      "restore(address)",
      "isActive(address)",
      "organisationOf(address)",
      "MAX_NAME_BYTES()",
      "REGULATOR_ROLE()",
      "MANUFACTURER_ROLE()",
      "CARRIER_ROLE()",
      "WAREHOUSE_ROLE()",
      "CLINIC_ROLE()",
      "RECORD_ISSUER_ROLE()",
      "LOT_ATTESTER_ROLE()",
      "GATEKEEPER_ROLE()",
    ]);

    it("test_supportsInterface_acceptsIHealthTraceAuthority", async () => {
      const { authority } = await networkHelpers.loadFixture(deployFixture);
      expect(await authority.supportsInterface(IHealthTraceAuthority)).to.equal(true);
    });

    it("test_supportsInterface_computedIdsMatchKnownIds", () => {
      expect(IERC165).to.equal("0x01ffc9a7");
      expect(IAccessControl).to.equal("0x7965db0b");
      expect(IAccessControlDefaultAdminRules).to.equal("0x31498786");
    });

    it("test_supportsInterface_acceptsErc165AccessControlAndDefaultAdminRules", async () => {
      const { authority } = await networkHelpers.loadFixture(deployFixture);
      expect(await authority.supportsInterface(IERC165)).to.equal(true);
      expect(await authority.supportsInterface(IAccessControl)).to.equal(true);
      expect(await authority.supportsInterface(IAccessControlDefaultAdminRules)).to.equal(true);
    });

    it("test_supportsInterface_refusesOtherIds", async () => {
      const { authority } = await networkHelpers.loadFixture(deployFixture);
      expect(await authority.supportsInterface("0xffffffff")).to.equal(false);
      expect(await authority.supportsInterface("0x00000000")).to.equal(false);
      expect(await authority.supportsInterface("0x12345678")).to.equal(false);
    });
  });

  describe("getRoleAdmin", () => {
    it("test_getRoleAdmin_regulatorAdministersAllRolesButRegulator", async () => {
      const { authority } = await networkHelpers.loadFixture(deployFixture);
      for (const name of OPERATIONAL_ROLES) {
        expect(await authority.getRoleAdmin(role(name)), name).to.equal(REGULATOR_ROLE);
      }
    });

    it("test_getRoleAdmin_defaultAdminAdministersRegulatorRole", async () => {
      const { authority } = await networkHelpers.loadFixture(deployFixture);
      expect(await authority.getRoleAdmin(REGULATOR_ROLE)).to.equal(DEFAULT_ADMIN_ROLE);
      expect(await authority.getRoleAdmin(DEFAULT_ADMIN_ROLE)).to.equal(DEFAULT_ADMIN_ROLE);
      expect(await authority.getRoleAdmin(UNKNOWN_ROLE)).to.equal(DEFAULT_ADMIN_ROLE);
    });
  });

  describe("hasRole", () => {
    it("test_hasRole_reflectsFixtureRoles", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const expected: [HardhatEthersSigner, RoleName[]][] = [
        [f.regulator, ["REGULATOR_ROLE"]],
        [f.manufacturer, ["MANUFACTURER_ROLE"]],
        [f.lab, ["RECORD_ISSUER_ROLE", "LOT_ATTESTER_ROLE"]],
        [f.carrier, ["CARRIER_ROLE"]],
        [f.warehouse, ["WAREHOUSE_ROLE"]],
        [f.hospital, ["CLINIC_ROLE", "RECORD_ISSUER_ROLE"]],
        [f.clinic, ["CLINIC_ROLE", "RECORD_ISSUER_ROLE"]],
        [f.research, []],
        [f.vault, ["GATEKEEPER_ROLE"]],
        [f.citizen, []],
        [f.outsider, []],
        [f.admin, []],
      ];
      for (const [signer, roles] of expected) {
        expect(await heldRoles(f.authority, signer.address), signer.address).to.deep.equal(roles);
      }
      expect(await f.authority.hasRole(UNKNOWN_ROLE, f.regulator.address)).to.equal(false);
    });
  });

  describe("accredit", () => {
    it("test_accredit_storesOrganisationAndEmits", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const tx = f.authority
        .connect(f.regulator)
        .accredit(f.outsider.address, Kind.Hospital, 310106, "Jing'an District Central Hospital", "静安区中心医院");
      await expect(tx)
        .to.emit(f.authority, "OrganisationAccredited")
        .withArgs(f.outsider.address, Kind.Hospital, 310106, "Jing'an District Central Hospital", "静安区中心医院");
      await expect(tx).to.not.emit(f.authority, "RoleGranted");
      expect(await orgOf(f.authority, f.outsider.address)).to.deep.equal({
        kind: BigInt(Kind.Hospital),
        status: STATUS_ACTIVE,
        district: 310106n,
        parkedRoles: 0n,
        accreditedAt: await blockTimestamp(tx),
      });
      expect(await f.authority.isActive(f.outsider.address)).to.equal(true);
      expect(await heldRoles(f.authority, f.outsider.address)).to.deep.equal([]);
    });

    it("test_accredit_acceptsEveryKindFrom0To7", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      for (let kind = 0; kind <= 7; kind++) {
        const org = freshAddress();
        await expect(f.authority.connect(f.regulator).accredit(org, kind, 310101, `Org ${kind}`, `机构${kind}`))
          .to.emit(f.authority, "OrganisationAccredited")
          .withArgs(org, kind, 310101, `Org ${kind}`, `机构${kind}`);
        expect((await f.authority.organisationOf(org)).kind).to.equal(BigInt(kind));
      }
    });

    it("test_accredit_refusesInvalidKind", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      for (const kind of [8, 255]) {
        await expect(f.authority.connect(f.regulator).accredit(f.outsider.address, kind, 310101, "X", "某"))
          .to.be.revertedWithCustomError(f.authority, "AuthorityInvalidKind")
          .withArgs(kind);
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_accredit_refusesZeroAddress", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f, [ethers.ZeroAddress]);
      await expect(
        f.authority.connect(f.regulator).accredit(ethers.ZeroAddress, Kind.Clinic, 310101, "X", "某"),
      ).to.be.revertedWithCustomError(f.authority, "AuthorityZeroAddress");
      expect(await snapshot(f, [ethers.ZeroAddress])).to.deep.equal(before);
    });

    it("test_accredit_refusesInvalidDistrict", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      for (const district of [0, 99999, 1000000, 2 ** 32 - 1]) {
        await expect(f.authority.connect(f.regulator).accredit(f.outsider.address, Kind.Clinic, district, "X", "某"))
          .to.be.revertedWithCustomError(f.authority, "AuthorityInvalidDistrict")
          .withArgs(district);
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_accredit_acceptsDistrictBounds100000And999999", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      for (const district of [100000, 999999]) {
        const org = freshAddress();
        await expect(f.authority.connect(f.regulator).accredit(org, Kind.Clinic, district, "X", "某"))
          .to.emit(f.authority, "OrganisationAccredited")
          .withArgs(org, Kind.Clinic, district, "X", "某");
        expect((await f.authority.organisationOf(org)).district).to.equal(BigInt(district));
      }
    });

    it("test_accredit_refusesEmptyName", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      await expect(f.authority.connect(f.regulator).accredit(f.outsider.address, Kind.Clinic, 310101, "", "某"))
        .to.be.revertedWithCustomError(f.authority, "AuthorityInvalidName")
        .withArgs(0);
      await expect(f.authority.connect(f.regulator).accredit(f.outsider.address, Kind.Clinic, 310101, "X", ""))
        .to.be.revertedWithCustomError(f.authority, "AuthorityInvalidName")
        .withArgs(0);
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_accredit_refusesNameOf65Bytes", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      await expect(
        f.authority.connect(f.regulator).accredit(f.outsider.address, Kind.Clinic, 310101, "A".repeat(65), "某"),
      )
        .to.be.revertedWithCustomError(f.authority, "AuthorityInvalidName")
        .withArgs(65);
      await expect(
        f.authority.connect(f.regulator).accredit(f.outsider.address, Kind.Clinic, 310101, "X", "A".repeat(65)),
      )
        .to.be.revertedWithCustomError(f.authority, "AuthorityInvalidName")
        .withArgs(65);
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_accredit_refusesLocalNameOver64Utf8Bytes", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      // 22 Chinese characters: 22 UTF-16 code units, but 66 UTF-8 bytes.
      const chinese22 = "卫".repeat(22);
      const chinese21Plus2 = "卫".repeat(21) + "AB";
      expect(chinese22.length).to.equal(22);
      expect(Buffer.byteLength(chinese22, "utf8")).to.equal(66);
      expect(Buffer.byteLength(chinese21Plus2, "utf8")).to.equal(65);
      const before = await snapshot(f);
      await expect(f.authority.connect(f.regulator).accredit(f.outsider.address, Kind.Clinic, 310101, "X", chinese22))
        .to.be.revertedWithCustomError(f.authority, "AuthorityInvalidName")
        .withArgs(66);
      await expect(
        f.authority.connect(f.regulator).accredit(f.outsider.address, Kind.Clinic, 310101, "X", chinese21Plus2),
      )
        .to.be.revertedWithCustomError(f.authority, "AuthorityInvalidName")
        .withArgs(65);
      await expect(f.authority.connect(f.regulator).accredit(f.outsider.address, Kind.Clinic, 310101, chinese22, "某"))
        .to.be.revertedWithCustomError(f.authority, "AuthorityInvalidName")
        .withArgs(66);
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_accredit_accepts64ByteNames", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const name = "A".repeat(64);
      const localName = "卫".repeat(21) + "A";
      expect(Buffer.byteLength(localName, "utf8")).to.equal(64);
      await expect(f.authority.connect(f.regulator).accredit(f.outsider.address, Kind.Clinic, 310101, name, localName))
        .to.emit(f.authority, "OrganisationAccredited")
        .withArgs(f.outsider.address, Kind.Clinic, 310101, name, localName);
      expect(await f.authority.isActive(f.outsider.address)).to.equal(true);
    });

    it("test_accredit_refusesAlreadyAccredited", async () => {
      const f = await networkHelpers.loadFixture(suspendedHospitalFixture);
      const before = await snapshot(f);
      // active, the deploy-time regulator, and a suspended organisation are all already accredited
      for (const org of [f.clinic, f.regulator, f.hospital]) {
        await expect(f.authority.connect(f.regulator).accredit(org.address, Kind.Lab, 310101, "X", "某"))
          .to.be.revertedWithCustomError(f.authority, "AuthorityAlreadyAccredited")
          .withArgs(org.address);
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_accredit_refusesEveryNonRegulator", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      for (const [name, signer] of personasExcept(f, "regulator")) {
        await expect(
          f.authority.connect(signer).accredit(f.outsider.address, Kind.Clinic, 310101, "X", "某"),
          name,
        )
          .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
          .withArgs(signer.address, REGULATOR_ROLE);
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_accredit_refusesSuspendedRegulator", async () => {
      const f = await networkHelpers.loadFixture(twoRegulatorsFixture);
      await f.authority.connect(f.regulator).suspend(f.vault.address);
      const before = await snapshot(f);
      await expect(f.authority.connect(f.vault).accredit(f.outsider.address, Kind.Clinic, 310101, "X", "某"))
        .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
        .withArgs(f.vault.address, REGULATOR_ROLE);
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_accredit_secondRegulatorCanAccredit", async () => {
      const f = await networkHelpers.loadFixture(twoRegulatorsFixture);
      await expect(f.authority.connect(f.vault).accredit(f.outsider.address, Kind.Lab, 310110, "Lab", "实验室"))
        .to.emit(f.authority, "OrganisationAccredited")
        .withArgs(f.outsider.address, Kind.Lab, 310110, "Lab", "实验室");
    });
  });

  describe("grantRole", () => {
    it("test_grantRole_regulatorGrantsEveryOperationalRole", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      for (const name of OPERATIONAL_ROLES) {
        await expect(f.authority.connect(f.regulator).grantRole(role(name), f.research.address))
          .to.emit(f.authority, "RoleGranted")
          .withArgs(role(name), f.research.address, f.regulator.address);
      }
      expect(await heldRoles(f.authority, f.research.address)).to.deep.equal(OPERATIONAL_ROLES);
    });

    it("test_grantRole_adminGrantsRegulatorRole", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      await expect(f.authority.connect(f.admin).grantRole(REGULATOR_ROLE, f.research.address))
        .to.emit(f.authority, "RoleGranted")
        .withArgs(REGULATOR_ROLE, f.research.address, f.admin.address);
      expect(await f.authority.hasRole(REGULATOR_ROLE, f.research.address)).to.equal(true);
      // the new regulator can act as one
      await expect(f.authority.connect(f.research).grantRole(role("CLINIC_ROLE"), f.research.address))
        .to.emit(f.authority, "RoleGranted")
        .withArgs(role("CLINIC_ROLE"), f.research.address, f.research.address);
    });

    it("test_grantRole_alreadyHeldIsNoOp", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      await expect(f.authority.connect(f.regulator).grantRole(role("CLINIC_ROLE"), f.hospital.address)).to.not.emit(
        f.authority,
        "RoleGranted",
      );
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_grantRole_refusesDefaultAdminRole", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      for (const [name, signer] of personasExcept(f)) {
        await expect(f.authority.connect(signer).grantRole(DEFAULT_ADMIN_ROLE, f.outsider.address), name)
          .to.be.revertedWithCustomError(f.authority, "AccessControlEnforcedDefaultAdminRules");
      }
      await expect(
        f.authority.connect(f.admin).grantRole(DEFAULT_ADMIN_ROLE, f.regulator.address),
      ).to.be.revertedWithCustomError(f.authority, "AccessControlEnforcedDefaultAdminRules");
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_grantRole_refusesUnknownRole", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      // unknown roles are administered by DEFAULT_ADMIN_ROLE: the admin passes the role check, the closed set refuses
      await expect(f.authority.connect(f.admin).grantRole(UNKNOWN_ROLE, f.hospital.address))
        .to.be.revertedWithCustomError(f.authority, "AuthorityUnknownRole")
        .withArgs(UNKNOWN_ROLE);
      await expect(f.authority.connect(f.regulator).grantRole(UNKNOWN_ROLE, f.hospital.address))
        .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
        .withArgs(f.regulator.address, DEFAULT_ADMIN_ROLE);
      expect(await f.authority.hasRole(UNKNOWN_ROLE, f.hospital.address)).to.equal(false);
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_grantRole_refusesUnaccreditedAccount", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f, [ethers.ZeroAddress]);
      for (const name of OPERATIONAL_ROLES) {
        await expect(f.authority.connect(f.regulator).grantRole(role(name), f.outsider.address))
          .to.be.revertedWithCustomError(f.authority, "AuthorityNotAccredited")
          .withArgs(f.outsider.address);
      }
      await expect(f.authority.connect(f.admin).grantRole(REGULATOR_ROLE, f.citizen.address))
        .to.be.revertedWithCustomError(f.authority, "AuthorityNotAccredited")
        .withArgs(f.citizen.address);
      await expect(f.authority.connect(f.admin).grantRole(REGULATOR_ROLE, f.admin.address))
        .to.be.revertedWithCustomError(f.authority, "AuthorityNotAccredited")
        .withArgs(f.admin.address);
      await expect(f.authority.connect(f.regulator).grantRole(role("CLINIC_ROLE"), ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.authority, "AuthorityNotAccredited")
        .withArgs(ethers.ZeroAddress);
      expect(await snapshot(f, [ethers.ZeroAddress])).to.deep.equal(before);
    });

    it("test_grantRole_refusesSuspendedOrganisation", async () => {
      const f = await networkHelpers.loadFixture(suspendedHospitalFixture);
      const before = await snapshot(f);
      for (const name of OPERATIONAL_ROLES) {
        await expect(f.authority.connect(f.regulator).grantRole(role(name), f.hospital.address))
          .to.be.revertedWithCustomError(f.authority, "AuthorityOrganisationSuspended")
          .withArgs(f.hospital.address);
      }
      await expect(f.authority.connect(f.admin).grantRole(REGULATOR_ROLE, f.hospital.address))
        .to.be.revertedWithCustomError(f.authority, "AuthorityOrganisationSuspended")
        .withArgs(f.hospital.address);
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_grantRole_refusesEveryNonRegulatorForOperationalRoles", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      for (const roleName of OPERATIONAL_ROLES) {
        for (const [name, signer] of personasExcept(f, "regulator")) {
          await expect(
            f.authority.connect(signer).grantRole(role(roleName), f.research.address),
            `${name} ${roleName}`,
          )
            .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
            .withArgs(signer.address, REGULATOR_ROLE);
        }
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_grantRole_refusesEveryNonAdminForRegulatorRole", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      for (const [name, signer] of personasExcept(f, "admin")) {
        await expect(f.authority.connect(signer).grantRole(REGULATOR_ROLE, f.research.address), name)
          .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
          .withArgs(signer.address, DEFAULT_ADMIN_ROLE);
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });
  });

  describe("revokeRole", () => {
    it("test_revokeRole_regulatorRevokesOperationalRole", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      await expect(f.authority.connect(f.regulator).revokeRole(role("CLINIC_ROLE"), f.hospital.address))
        .to.emit(f.authority, "RoleRevoked")
        .withArgs(role("CLINIC_ROLE"), f.hospital.address, f.regulator.address);
      expect(await heldRoles(f.authority, f.hospital.address)).to.deep.equal(["RECORD_ISSUER_ROLE"]);
      expect(await f.authority.isActive(f.hospital.address)).to.equal(true);
    });

    it("test_revokeRole_regulatorRevokesEveryOperationalRole", async () => {
      const f = await networkHelpers.loadFixture(allRolesFixture);
      for (const name of OPERATIONAL_ROLES) {
        await expect(f.authority.connect(f.regulator).revokeRole(role(name), f.research.address))
          .to.emit(f.authority, "RoleRevoked")
          .withArgs(role(name), f.research.address, f.regulator.address);
      }
      expect(await heldRoles(f.authority, f.research.address)).to.deep.equal(["REGULATOR_ROLE"]);
    });

    it("test_revokeRole_adminRevokesRegulatorRole", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      await expect(f.authority.connect(f.admin).revokeRole(REGULATOR_ROLE, f.regulator.address))
        .to.emit(f.authority, "RoleRevoked")
        .withArgs(REGULATOR_ROLE, f.regulator.address, f.admin.address);
      expect(await f.authority.hasRole(REGULATOR_ROLE, f.regulator.address)).to.equal(false);
      await expect(f.authority.connect(f.regulator).accredit(f.outsider.address, Kind.Clinic, 310101, "X", "某"))
        .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
        .withArgs(f.regulator.address, REGULATOR_ROLE);
    });

    it("test_revokeRole_notHeldIsNoOp", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      await expect(f.authority.connect(f.regulator).revokeRole(role("CARRIER_ROLE"), f.hospital.address)).to.not.emit(
        f.authority,
        "RoleRevoked",
      );
      await expect(f.authority.connect(f.regulator).revokeRole(role("CLINIC_ROLE"), f.outsider.address)).to.not.emit(
        f.authority,
        "RoleRevoked",
      );
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_revokeRole_onSuspendedOrganisation_removesParkedRoleForGood", async () => {
      const f = await networkHelpers.loadFixture(suspendedHospitalFixture);
      const recordIssuer = role("RECORD_ISSUER_ROLE");
      expect((await orgOf(f.authority, f.hospital.address)).parkedRoles).to.equal(mask("CLINIC_ROLE", "RECORD_ISSUER_ROLE"));
      await expect(f.authority.connect(f.regulator).revokeRole(recordIssuer, f.hospital.address))
        .to.emit(f.authority, "ParkedRoleRevoked")
        .withArgs(f.hospital.address, recordIssuer, f.regulator.address);
      const org = await orgOf(f.authority, f.hospital.address);
      expect(org.status).to.equal(STATUS_SUSPENDED);
      expect(org.parkedRoles).to.equal(mask("CLINIC_ROLE"));
      expect(await heldRoles(f.authority, f.hospital.address)).to.deep.equal([]);
      // restore hands back only what is still parked
      await expect(f.authority.connect(f.regulator).restore(f.hospital.address))
        .to.emit(f.authority, "OrganisationRestored")
        .withArgs(f.hospital.address, f.regulator.address, mask("CLINIC_ROLE"));
      expect(await heldRoles(f.authority, f.hospital.address)).to.deep.equal(["CLINIC_ROLE"]);
    });

    it("test_revokeRole_onSuspendedOrganisation_roleNotParked_changesNothing", async () => {
      const f = await networkHelpers.loadFixture(suspendedHospitalFixture);
      const before = await snapshot(f);
      const tx = f.authority.connect(f.regulator).revokeRole(role("MANUFACTURER_ROLE"), f.hospital.address);
      await expect(tx).to.not.emit(f.authority, "ParkedRoleRevoked");
      await expect(tx).to.not.emit(f.authority, "RoleRevoked");
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_revokeRole_onSuspendedOrganisation_refusesCallerWithoutAdminRole", async () => {
      const f = await networkHelpers.loadFixture(suspendedHospitalFixture);
      const before = await snapshot(f);
      for (const [, signer] of personasExcept(f, "regulator", "admin")) {
        await expect(f.authority.connect(signer).revokeRole(role("CLINIC_ROLE"), f.hospital.address))
          .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
          .withArgs(signer.address, REGULATOR_ROLE);
      }
      // the regulator role is administered by the default admin, not by a regulator
      await expect(f.authority.connect(f.regulator).revokeRole(REGULATOR_ROLE, f.hospital.address))
        .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
        .withArgs(f.regulator.address, DEFAULT_ADMIN_ROLE);
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_revokeRole_onSuspendedOrganisation_refusesUnknownRole", async () => {
      const f = await networkHelpers.loadFixture(suspendedHospitalFixture);
      const before = await snapshot(f);
      // an unknown role's admin is the default admin, so only the admin gets as far as the role check
      await expect(f.authority.connect(f.admin).revokeRole(UNKNOWN_ROLE, f.hospital.address))
        .to.be.revertedWithCustomError(f.authority, "AuthorityUnknownRole")
        .withArgs(UNKNOWN_ROLE);
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_revokeRole_refusesDefaultAdminRole", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      await expect(
        f.authority.connect(f.admin).revokeRole(DEFAULT_ADMIN_ROLE, f.admin.address),
      ).to.be.revertedWithCustomError(f.authority, "AccessControlEnforcedDefaultAdminRules");
      await expect(
        f.authority.connect(f.regulator).revokeRole(DEFAULT_ADMIN_ROLE, f.admin.address),
      ).to.be.revertedWithCustomError(f.authority, "AccessControlEnforcedDefaultAdminRules");
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_revokeRole_refusesEveryNonRegulatorForOperationalRoles", async () => {
      const f = await networkHelpers.loadFixture(allRolesFixture);
      const before = await snapshot(f);
      for (const roleName of OPERATIONAL_ROLES) {
        // research holds every role (including REGULATOR_ROLE) but is the target, so exclude it as a caller
        for (const [name, signer] of personasExcept(f, "regulator", "research")) {
          await expect(
            f.authority.connect(signer).revokeRole(role(roleName), f.research.address),
            `${name} ${roleName}`,
          )
            .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
            .withArgs(signer.address, REGULATOR_ROLE);
        }
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_revokeRole_refusesEveryNonAdminForRegulatorRole", async () => {
      const f = await networkHelpers.loadFixture(twoRegulatorsFixture);
      const before = await snapshot(f);
      for (const [name, signer] of personasExcept(f, "admin")) {
        await expect(f.authority.connect(signer).revokeRole(REGULATOR_ROLE, f.vault.address), name)
          .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
          .withArgs(signer.address, DEFAULT_ADMIN_ROLE);
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });
  });

  describe("renounceRole", () => {
    it("test_renounceRole_holderRenouncesOwnRole", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      await expect(f.authority.connect(f.hospital).renounceRole(role("CLINIC_ROLE"), f.hospital.address))
        .to.emit(f.authority, "RoleRevoked")
        .withArgs(role("CLINIC_ROLE"), f.hospital.address, f.hospital.address);
      expect(await heldRoles(f.authority, f.hospital.address)).to.deep.equal(["RECORD_ISSUER_ROLE"]);
      expect(await f.authority.isActive(f.hospital.address)).to.equal(true);
    });

    it("test_renounceRole_regulatorRenouncesRegulatorRole", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      await expect(f.authority.connect(f.regulator).renounceRole(REGULATOR_ROLE, f.regulator.address))
        .to.emit(f.authority, "RoleRevoked")
        .withArgs(REGULATOR_ROLE, f.regulator.address, f.regulator.address);
      expect(await f.authority.hasRole(REGULATOR_ROLE, f.regulator.address)).to.equal(false);
    });

    it("test_renounceRole_suspendedOrganisationRenouncesParkedRoleForGood", async () => {
      const f = await networkHelpers.loadFixture(suspendedHospitalFixture);
      await expect(f.authority.connect(f.hospital).renounceRole(role("CLINIC_ROLE"), f.hospital.address))
        .to.emit(f.authority, "ParkedRoleRevoked")
        .withArgs(f.hospital.address, role("CLINIC_ROLE"), f.hospital.address);
      expect((await orgOf(f.authority, f.hospital.address)).parkedRoles).to.equal(mask("RECORD_ISSUER_ROLE"));
      await f.authority.connect(f.regulator).restore(f.hospital.address);
      expect(await heldRoles(f.authority, f.hospital.address)).to.deep.equal(["RECORD_ISSUER_ROLE"]);
    });

    it("test_renounceRole_refusesOthersRenouncingForSuspendedOrganisation", async () => {
      const f = await networkHelpers.loadFixture(suspendedHospitalFixture);
      const before = await snapshot(f);
      for (const [name, signer] of personasExcept(f, "hospital")) {
        await expect(
          f.authority.connect(signer).renounceRole(role("CLINIC_ROLE"), f.hospital.address),
          name,
        ).to.be.revertedWithCustomError(f.authority, "AccessControlBadConfirmation");
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_renounceRole_notHeldIsNoOp", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      await expect(f.authority.connect(f.outsider).renounceRole(role("CLINIC_ROLE"), f.outsider.address)).to.not.emit(
        f.authority,
        "RoleRevoked",
      );
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_renounceRole_refusesEveryOtherAccount", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      for (const [name, signer] of personasExcept(f, "hospital")) {
        await expect(
          f.authority.connect(signer).renounceRole(role("CLINIC_ROLE"), f.hospital.address),
          name,
        ).to.be.revertedWithCustomError(f.authority, "AccessControlBadConfirmation");
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_renounceRole_refusesOthersRenouncingTheDefaultAdmin", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      // without a scheduled renounce, OpenZeppelin refuses on the delay rule before checking the caller
      for (const [name, signer] of personasExcept(f, "admin")) {
        await expect(f.authority.connect(signer).renounceRole(DEFAULT_ADMIN_ROLE, f.admin.address), name)
          .to.be.revertedWithCustomError(f.authority, "AccessControlEnforcedDefaultAdminDelay")
          .withArgs(0);
      }
      // once a renounce is scheduled and due, the caller check refuses everyone but the admin
      await f.authority.connect(f.admin).beginDefaultAdminTransfer(ethers.ZeroAddress);
      const [, schedule] = await f.authority.pendingDefaultAdmin();
      await time.increaseTo(schedule + 1n);
      const scheduled = await snapshot(f);
      for (const [name, signer] of personasExcept(f, "admin")) {
        await expect(
          f.authority.connect(signer).renounceRole(DEFAULT_ADMIN_ROLE, f.admin.address),
          name,
        ).to.be.revertedWithCustomError(f.authority, "AccessControlBadConfirmation");
      }
      expect(await snapshot(f)).to.deep.equal(scheduled);
      expect(scheduled.held).to.deep.equal(before.held);
      expect(await f.authority.defaultAdmin()).to.equal(f.admin.address);
    });

    it("test_renounceRole_refusesDefaultAdminWithoutScheduledRenounce", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      await expect(f.authority.connect(f.admin).renounceRole(DEFAULT_ADMIN_ROLE, f.admin.address))
        .to.be.revertedWithCustomError(f.authority, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(0);
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_renounceRole_refusesDefaultAdminWhilePendingAdminIsNotZero", async () => {
      const f = await networkHelpers.loadFixture(pendingTransferFixture);
      await time.increaseTo(f.schedule + 1n);
      const before = await snapshot(f);
      await expect(f.authority.connect(f.admin).renounceRole(DEFAULT_ADMIN_ROLE, f.admin.address))
        .to.be.revertedWithCustomError(f.authority, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(f.schedule);
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_renounceRole_defaultAdminRenouncesAfterScheduledDelay", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const tx = f.authority.connect(f.admin).beginDefaultAdminTransfer(ethers.ZeroAddress);
      const schedule = (await blockTimestamp(tx)) + ADMIN_DELAY;
      await expect(tx).to.emit(f.authority, "DefaultAdminTransferScheduled").withArgs(ethers.ZeroAddress, schedule);

      await time.setNextBlockTimestamp(schedule);
      await expect(
        f.authority.connect(f.admin).renounceRole(DEFAULT_ADMIN_ROLE, f.admin.address, { gasLimit: 200_000 }),
      )
        .to.be.revertedWithCustomError(f.authority, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
      expect(await f.authority.defaultAdmin()).to.equal(f.admin.address);

      await time.setNextBlockTimestamp(schedule + 1n);
      await expect(f.authority.connect(f.admin).renounceRole(DEFAULT_ADMIN_ROLE, f.admin.address))
        .to.emit(f.authority, "RoleRevoked")
        .withArgs(DEFAULT_ADMIN_ROLE, f.admin.address, f.admin.address);
      expect(await f.authority.defaultAdmin()).to.equal(ethers.ZeroAddress);
      expect(await f.authority.owner()).to.equal(ethers.ZeroAddress);
      expect(await f.authority.hasRole(DEFAULT_ADMIN_ROLE, f.admin.address)).to.equal(false);
      expect([...(await f.authority.pendingDefaultAdmin())]).to.deep.equal([ethers.ZeroAddress, 0n]);
      // nobody can hand out REGULATOR_ROLE any more
      await expect(f.authority.connect(f.admin).grantRole(REGULATOR_ROLE, f.regulator.address))
        .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
        .withArgs(f.admin.address, DEFAULT_ADMIN_ROLE);
    });
  });

  describe("suspend", () => {
    it("test_suspend_parksRolesAndEmits", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await orgOf(f.authority, f.hospital.address);
      const tx = f.authority.connect(f.regulator).suspend(f.hospital.address);
      const parked = mask("CLINIC_ROLE", "RECORD_ISSUER_ROLE");
      expect(parked).to.equal(48n);
      await expect(tx)
        .to.emit(f.authority, "OrganisationSuspended")
        .withArgs(f.hospital.address, f.regulator.address, parked);
      await expect(tx)
        .to.emit(f.authority, "RoleRevoked")
        .withArgs(role("CLINIC_ROLE"), f.hospital.address, f.regulator.address);
      await expect(tx)
        .to.emit(f.authority, "RoleRevoked")
        .withArgs(role("RECORD_ISSUER_ROLE"), f.hospital.address, f.regulator.address);
      expect(await heldRoles(f.authority, f.hospital.address)).to.deep.equal([]);
      expect(await f.authority.isActive(f.hospital.address)).to.equal(false);
      expect(await orgOf(f.authority, f.hospital.address)).to.deep.equal({
        ...before,
        status: STATUS_SUSPENDED,
        parkedRoles: parked,
      });
    });

    it("test_suspend_leavesOtherOrganisationsUntouched", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      await f.authority.connect(f.regulator).suspend(f.hospital.address);
      const after = await snapshot(f);
      const hospitalIndex = allAccounts(f).indexOf(f.hospital.address);
      const rolesPerAccount = ALL_ROLES.length + 1;
      for (let i = 0; i < before.orgs.length; i++) {
        if (i !== hospitalIndex) expect(after.orgs[i], `org ${i}`).to.deep.equal(before.orgs[i]);
      }
      for (let i = 0; i < before.held.length; i++) {
        if (Math.floor(i / rolesPerAccount) !== hospitalIndex) expect(after.held[i], `role ${i}`).to.equal(before.held[i]);
      }
    });

    it("test_suspend_parkedRolesBitmaskPerOrganisation", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const cases: [HardhatEthersSigner, bigint][] = [
        [f.manufacturer, 2n],
        [f.carrier, 4n],
        [f.warehouse, 8n],
        [f.clinic, 48n],
        [f.lab, 96n],
        [f.vault, 128n],
        [f.research, 0n],
      ];
      for (const [org, expected] of cases) {
        await expect(f.authority.connect(f.regulator).suspend(org.address))
          .to.emit(f.authority, "OrganisationSuspended")
          .withArgs(org.address, f.regulator.address, expected);
        expect((await f.authority.organisationOf(org.address)).parkedRoles).to.equal(expected);
        expect(await heldRoles(f.authority, org.address)).to.deep.equal([]);
      }
    });

    it("test_suspend_parksAllEightRoles", async () => {
      const f = await networkHelpers.loadFixture(allRolesFixture);
      expect(await heldRoles(f.authority, f.research.address)).to.deep.equal([...ROLE_NAMES]);
      await expect(f.authority.connect(f.regulator).suspend(f.research.address))
        .to.emit(f.authority, "OrganisationSuspended")
        .withArgs(f.research.address, f.regulator.address, 255);
      expect((await f.authority.organisationOf(f.research.address)).parkedRoles).to.equal(255n);
      expect(await heldRoles(f.authority, f.research.address)).to.deep.equal([]);
    });

    it("test_suspend_regulatorSuspendsAnotherRegulator", async () => {
      const f = await networkHelpers.loadFixture(twoRegulatorsFixture);
      await expect(f.authority.connect(f.regulator).suspend(f.vault.address))
        .to.emit(f.authority, "OrganisationSuspended")
        .withArgs(f.vault.address, f.regulator.address, mask("REGULATOR_ROLE", "GATEKEEPER_ROLE"));
      expect(await f.authority.hasRole(REGULATOR_ROLE, f.vault.address)).to.equal(false);
      await expect(f.authority.connect(f.vault).suspend(f.hospital.address))
        .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
        .withArgs(f.vault.address, REGULATOR_ROLE);
    });

    it("test_suspend_refusesSelfSuspension", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      await expect(f.authority.connect(f.regulator).suspend(f.regulator.address))
        .to.be.revertedWithCustomError(f.authority, "AuthoritySelfSuspension")
        .withArgs(f.regulator.address);
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_suspend_refusesUnaccredited", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f, [ethers.ZeroAddress]);
      for (const account of [f.outsider.address, f.citizen.address, f.admin.address, ethers.ZeroAddress]) {
        await expect(f.authority.connect(f.regulator).suspend(account))
          .to.be.revertedWithCustomError(f.authority, "AuthorityNotAccredited")
          .withArgs(account);
      }
      expect(await snapshot(f, [ethers.ZeroAddress])).to.deep.equal(before);
    });

    it("test_suspend_refusesAlreadySuspended", async () => {
      const f = await networkHelpers.loadFixture(suspendedHospitalFixture);
      const before = await snapshot(f);
      await expect(f.authority.connect(f.regulator).suspend(f.hospital.address))
        .to.be.revertedWithCustomError(f.authority, "AuthorityOrganisationSuspended")
        .withArgs(f.hospital.address);
      expect(await snapshot(f)).to.deep.equal(before);
      expect((await f.authority.organisationOf(f.hospital.address)).parkedRoles).to.equal(48n);
    });

    it("test_suspend_refusesEveryNonRegulator", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      for (const [name, signer] of personasExcept(f, "regulator")) {
        await expect(f.authority.connect(signer).suspend(f.hospital.address), name)
          .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
          .withArgs(signer.address, REGULATOR_ROLE);
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });
  });

  describe("restore", () => {
    it("test_restore_givesBackExactlyTheParkedRoles", async () => {
      const f = await networkHelpers.loadFixture(suspendedHospitalFixture);
      const tx = f.authority.connect(f.regulator).restore(f.hospital.address);
      await expect(tx).to.emit(f.authority, "OrganisationRestored").withArgs(f.hospital.address, f.regulator.address, 48);
      await expect(tx)
        .to.emit(f.authority, "RoleGranted")
        .withArgs(role("CLINIC_ROLE"), f.hospital.address, f.regulator.address);
      await expect(tx)
        .to.emit(f.authority, "RoleGranted")
        .withArgs(role("RECORD_ISSUER_ROLE"), f.hospital.address, f.regulator.address);
      expect(await heldRoles(f.authority, f.hospital.address)).to.deep.equal(["CLINIC_ROLE", "RECORD_ISSUER_ROLE"]);
      expect(await f.authority.isActive(f.hospital.address)).to.equal(true);
      const o = await orgOf(f.authority, f.hospital.address);
      expect(o.status).to.equal(STATUS_ACTIVE);
      expect(o.parkedRoles).to.equal(0n);
      expect(o.kind).to.equal(BigInt(Kind.Hospital));
      expect(o.district).to.equal(310101n);
    });

    it("test_restore_givesBackAllEightRoles", async () => {
      const f = await networkHelpers.loadFixture(allRolesFixture);
      await f.authority.connect(f.regulator).suspend(f.research.address);
      await expect(f.authority.connect(f.regulator).restore(f.research.address))
        .to.emit(f.authority, "OrganisationRestored")
        .withArgs(f.research.address, f.regulator.address, 255);
      expect(await heldRoles(f.authority, f.research.address)).to.deep.equal([...ROLE_NAMES]);
    });

    it("test_restore_organisationWithoutRoles", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      await f.authority.connect(f.regulator).suspend(f.research.address);
      const tx = f.authority.connect(f.regulator).restore(f.research.address);
      await expect(tx).to.emit(f.authority, "OrganisationRestored").withArgs(f.research.address, f.regulator.address, 0);
      await expect(tx).to.not.emit(f.authority, "RoleGranted");
      expect(await f.authority.isActive(f.research.address)).to.equal(true);
      expect(await heldRoles(f.authority, f.research.address)).to.deep.equal([]);
    });

    it("test_restore_doesNotGiveBackRoleRenouncedBeforeSuspension", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      await f.authority.connect(f.hospital).renounceRole(role("CLINIC_ROLE"), f.hospital.address);
      await expect(f.authority.connect(f.regulator).suspend(f.hospital.address))
        .to.emit(f.authority, "OrganisationSuspended")
        .withArgs(f.hospital.address, f.regulator.address, mask("RECORD_ISSUER_ROLE"));
      await expect(f.authority.connect(f.regulator).restore(f.hospital.address))
        .to.emit(f.authority, "OrganisationRestored")
        .withArgs(f.hospital.address, f.regulator.address, mask("RECORD_ISSUER_ROLE"));
      expect(await heldRoles(f.authority, f.hospital.address)).to.deep.equal(["RECORD_ISSUER_ROLE"]);
    });

    it("test_restore_byAnotherRegulator", async () => {
      const f = await networkHelpers.loadFixture(twoRegulatorsFixture);
      await f.authority.connect(f.regulator).suspend(f.hospital.address);
      await expect(f.authority.connect(f.vault).restore(f.hospital.address))
        .to.emit(f.authority, "OrganisationRestored")
        .withArgs(f.hospital.address, f.vault.address, 48);
      expect(await f.authority.isActive(f.hospital.address)).to.equal(true);
    });

    it("test_restore_suspendAgainParksSameRoles", async () => {
      const f = await networkHelpers.loadFixture(suspendedHospitalFixture);
      await f.authority.connect(f.regulator).restore(f.hospital.address);
      await expect(f.authority.connect(f.regulator).suspend(f.hospital.address))
        .to.emit(f.authority, "OrganisationSuspended")
        .withArgs(f.hospital.address, f.regulator.address, 48);
    });

    it("test_restore_refusesUnaccredited", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f, [ethers.ZeroAddress]);
      for (const account of [f.outsider.address, f.citizen.address, ethers.ZeroAddress]) {
        await expect(f.authority.connect(f.regulator).restore(account))
          .to.be.revertedWithCustomError(f.authority, "AuthorityNotAccredited")
          .withArgs(account);
      }
      expect(await snapshot(f, [ethers.ZeroAddress])).to.deep.equal(before);
    });

    it("test_restore_refusesActiveOrganisation", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      for (const org of [f.hospital, f.regulator, f.research]) {
        await expect(f.authority.connect(f.regulator).restore(org.address))
          .to.be.revertedWithCustomError(f.authority, "AuthorityOrganisationNotSuspended")
          .withArgs(org.address);
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_restore_refusesRestoringTwice", async () => {
      const f = await networkHelpers.loadFixture(suspendedHospitalFixture);
      await f.authority.connect(f.regulator).restore(f.hospital.address);
      const before = await snapshot(f);
      await expect(f.authority.connect(f.regulator).restore(f.hospital.address))
        .to.be.revertedWithCustomError(f.authority, "AuthorityOrganisationNotSuspended")
        .withArgs(f.hospital.address);
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_restore_refusesEveryNonRegulator", async () => {
      const f = await networkHelpers.loadFixture(suspendedHospitalFixture);
      const before = await snapshot(f);
      for (const [name, signer] of personasExcept(f, "regulator")) {
        await expect(f.authority.connect(signer).restore(f.hospital.address), name)
          .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
          .withArgs(signer.address, REGULATOR_ROLE);
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });
  });

  describe("isActive", () => {
    it("test_isActive_followsTheOrganisationLifecycle", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      expect(await f.authority.isActive(f.outsider.address)).to.equal(false);
      await f.authority.connect(f.regulator).accredit(f.outsider.address, Kind.Clinic, 310101, "X", "某");
      expect(await f.authority.isActive(f.outsider.address)).to.equal(true);
      await f.authority.connect(f.regulator).suspend(f.outsider.address);
      expect(await f.authority.isActive(f.outsider.address)).to.equal(false);
      await f.authority.connect(f.regulator).restore(f.outsider.address);
      expect(await f.authority.isActive(f.outsider.address)).to.equal(true);
    });

    it("test_isActive_falseForWalletsThatAreNotOrganisations", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      for (const account of [f.admin, f.citizen, f.citizen2, f.relayer]) {
        expect(await f.authority.isActive(account.address)).to.equal(false);
      }
      expect(await f.authority.isActive(ethers.ZeroAddress)).to.equal(false);
    });
  });

  describe("organisationOf", () => {
    it("test_organisationOf_zeroForUnknown", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      expect(await orgOf(f.authority, f.outsider.address)).to.deep.equal({
        kind: 0n,
        status: 0n,
        district: 0n,
        parkedRoles: 0n,
        accreditedAt: 0n,
      });
    });

    it("test_organisationOf_fieldsOfAccreditedOrganisations", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const expected: [HardhatEthersSigner, number, number][] = [
        [f.manufacturer, Kind.Manufacturer, 310115],
        [f.lab, Kind.Lab, 310104],
        [f.carrier, Kind.Carrier, 310112],
        [f.warehouse, Kind.Warehouse, 310113],
        [f.hospital, Kind.Hospital, 310101],
        [f.clinic, Kind.Clinic, 310104],
        [f.research, Kind.ResearchInstitute, 310110],
        [f.vault, Kind.Regulator, 310000],
      ];
      for (const [org, kind, district] of expected) {
        const [log] = await f.authority.queryFilter(f.authority.filters.OrganisationAccredited(org.address));
        const accreditedAt = BigInt((await ethers.provider.getBlock(log.blockNumber))!.timestamp);
        expect(await orgOf(f.authority, org.address), org.address).to.deep.equal({
          kind: BigInt(kind),
          status: STATUS_ACTIVE,
          district: BigInt(district),
          parkedRoles: 0n,
          accreditedAt,
        });
      }
    });
  });

  describe("beginDefaultAdminTransfer", () => {
    it("test_beginDefaultAdminTransfer_schedulesAfterDelay", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const tx = f.authority.connect(f.admin).beginDefaultAdminTransfer(f.outsider.address);
      const schedule = (await blockTimestamp(tx)) + ADMIN_DELAY;
      await expect(tx).to.emit(f.authority, "DefaultAdminTransferScheduled").withArgs(f.outsider.address, schedule);
      await expect(tx).to.not.emit(f.authority, "DefaultAdminTransferCanceled");
      expect([...(await f.authority.pendingDefaultAdmin())]).to.deep.equal([f.outsider.address, schedule]);
      expect(await f.authority.defaultAdmin()).to.equal(f.admin.address);
      expect(await f.authority.hasRole(DEFAULT_ADMIN_ROLE, f.outsider.address)).to.equal(false);
    });

    it("test_beginDefaultAdminTransfer_replacesPendingTransfer", async () => {
      const f = await networkHelpers.loadFixture(pendingTransferFixture);
      const tx = f.authority.connect(f.admin).beginDefaultAdminTransfer(f.citizen.address);
      const schedule = (await blockTimestamp(tx)) + ADMIN_DELAY;
      await expect(tx).to.emit(f.authority, "DefaultAdminTransferCanceled");
      await expect(tx).to.emit(f.authority, "DefaultAdminTransferScheduled").withArgs(f.citizen.address, schedule);
      expect([...(await f.authority.pendingDefaultAdmin())]).to.deep.equal([f.citizen.address, schedule]);
      await time.increaseTo(schedule + 1n);
      await expect(f.authority.connect(f.outsider).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(f.authority, "AccessControlInvalidDefaultAdmin")
        .withArgs(f.outsider.address);
    });

    it("test_beginDefaultAdminTransfer_refusesEveryNonAdmin", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      for (const [name, signer] of personasExcept(f, "admin")) {
        await expect(f.authority.connect(signer).beginDefaultAdminTransfer(signer.address), name)
          .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
          .withArgs(signer.address, DEFAULT_ADMIN_ROLE);
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });
  });

  describe("acceptDefaultAdminTransfer", () => {
    it("test_acceptDefaultAdminTransfer_refusedBeforeDelayAcceptedAfter", async () => {
      const f = await networkHelpers.loadFixture(pendingTransferFixture);
      const before = await snapshot(f);

      // delay − 1 s: refused (gasLimit set so that the refused call is mined at exactly that timestamp)
      await time.setNextBlockTimestamp(f.schedule - 1n);
      await expect(f.authority.connect(f.outsider).acceptDefaultAdminTransfer({ gasLimit: 200_000 }))
        .to.be.revertedWithCustomError(f.authority, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(f.schedule);
      expect(BigInt(await time.latest())).to.equal(f.schedule - 1n);
      expect(await snapshot(f)).to.deep.equal(before);

      // exactly at the schedule: still refused (OpenZeppelin requires the schedule to have passed)
      await time.setNextBlockTimestamp(f.schedule);
      await expect(f.authority.connect(f.outsider).acceptDefaultAdminTransfer({ gasLimit: 200_000 }))
        .to.be.revertedWithCustomError(f.authority, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(f.schedule);
      expect(BigInt(await time.latest())).to.equal(f.schedule);
      expect(await snapshot(f)).to.deep.equal(before);

      // delay + 1 s: accepted
      await time.setNextBlockTimestamp(f.schedule + 1n);
      const tx = f.authority.connect(f.outsider).acceptDefaultAdminTransfer();
      await expect(tx)
        .to.emit(f.authority, "RoleRevoked")
        .withArgs(DEFAULT_ADMIN_ROLE, f.admin.address, f.outsider.address);
      await expect(tx)
        .to.emit(f.authority, "RoleGranted")
        .withArgs(DEFAULT_ADMIN_ROLE, f.outsider.address, f.outsider.address);
      expect(await f.authority.defaultAdmin()).to.equal(f.outsider.address);
      expect(await f.authority.owner()).to.equal(f.outsider.address);
      expect(await f.authority.hasRole(DEFAULT_ADMIN_ROLE, f.outsider.address)).to.equal(true);
      expect(await f.authority.hasRole(DEFAULT_ADMIN_ROLE, f.admin.address)).to.equal(false);
      expect([...(await f.authority.pendingDefaultAdmin())]).to.deep.equal([ethers.ZeroAddress, 0n]);
    });

    it("test_acceptDefaultAdminTransfer_newAdminAdministersRegulatorRole", async () => {
      const f = await networkHelpers.loadFixture(pendingTransferFixture);
      await time.increaseTo(f.schedule + 1n);
      await f.authority.connect(f.outsider).acceptDefaultAdminTransfer();
      await expect(f.authority.connect(f.admin).revokeRole(REGULATOR_ROLE, f.regulator.address))
        .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
        .withArgs(f.admin.address, DEFAULT_ADMIN_ROLE);
      await expect(f.authority.connect(f.outsider).revokeRole(REGULATOR_ROLE, f.regulator.address))
        .to.emit(f.authority, "RoleRevoked")
        .withArgs(REGULATOR_ROLE, f.regulator.address, f.outsider.address);
    });

    it("test_acceptDefaultAdminTransfer_refusesEveryoneButThePendingAdmin", async () => {
      const f = await networkHelpers.loadFixture(pendingTransferFixture);
      await time.increaseTo(f.schedule + 1n);
      const before = await snapshot(f);
      for (const [name, signer] of personasExcept(f, "outsider")) {
        await expect(f.authority.connect(signer).acceptDefaultAdminTransfer(), name)
          .to.be.revertedWithCustomError(f.authority, "AccessControlInvalidDefaultAdmin")
          .withArgs(signer.address);
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });

    it("test_acceptDefaultAdminTransfer_refusesWithoutPendingTransfer", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const before = await snapshot(f);
      for (const [name, signer] of personasExcept(f)) {
        await expect(f.authority.connect(signer).acceptDefaultAdminTransfer(), name)
          .to.be.revertedWithCustomError(f.authority, "AccessControlInvalidDefaultAdmin")
          .withArgs(signer.address);
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });
  });

  describe("cancelDefaultAdminTransfer", () => {
    it("test_cancelDefaultAdminTransfer_clearsPendingTransfer", async () => {
      const f = await networkHelpers.loadFixture(pendingTransferFixture);
      await expect(f.authority.connect(f.admin).cancelDefaultAdminTransfer()).to.emit(
        f.authority,
        "DefaultAdminTransferCanceled",
      );
      expect([...(await f.authority.pendingDefaultAdmin())]).to.deep.equal([ethers.ZeroAddress, 0n]);
      await time.increaseTo(f.schedule + 1n);
      await expect(f.authority.connect(f.outsider).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(f.authority, "AccessControlInvalidDefaultAdmin")
        .withArgs(f.outsider.address);
      expect(await f.authority.defaultAdmin()).to.equal(f.admin.address);
    });

    it("test_cancelDefaultAdminTransfer_withoutPendingEmitsNothing", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      await expect(f.authority.connect(f.admin).cancelDefaultAdminTransfer()).to.not.emit(
        f.authority,
        "DefaultAdminTransferCanceled",
      );
      expect([...(await f.authority.pendingDefaultAdmin())]).to.deep.equal([ethers.ZeroAddress, 0n]);
    });

    it("test_cancelDefaultAdminTransfer_refusesEveryNonAdmin", async () => {
      const f = await networkHelpers.loadFixture(pendingTransferFixture);
      const before = await snapshot(f);
      for (const [name, signer] of personasExcept(f, "admin")) {
        await expect(f.authority.connect(signer).cancelDefaultAdminTransfer(), name)
          .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
          .withArgs(signer.address, DEFAULT_ADMIN_ROLE);
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });
  });

  describe("changeDefaultAdminDelay", () => {
    it("test_changeDefaultAdminDelay_increaseTakesEffectAfterNewDelay", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const newDelay = 3n * DAY;
      const tx = f.authority.connect(f.admin).changeDefaultAdminDelay(newDelay);
      const schedule = (await blockTimestamp(tx)) + newDelay;
      await expect(tx).to.emit(f.authority, "DefaultAdminDelayChangeScheduled").withArgs(newDelay, schedule);
      expect([...(await f.authority.pendingDefaultAdminDelay())]).to.deep.equal([newDelay, schedule]);
      expect(await f.authority.defaultAdminDelay()).to.equal(ADMIN_DELAY);
      await time.increaseTo(schedule + 1n);
      expect(await f.authority.defaultAdminDelay()).to.equal(newDelay);
      expect([...(await f.authority.pendingDefaultAdminDelay())]).to.deep.equal([0n, 0n]);
    });

    it("test_changeDefaultAdminDelay_increaseIsCappedByIncreaseWait", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const newDelay = 30n * DAY;
      const tx = f.authority.connect(f.admin).changeDefaultAdminDelay(newDelay);
      const schedule = (await blockTimestamp(tx)) + 5n * DAY;
      await expect(tx).to.emit(f.authority, "DefaultAdminDelayChangeScheduled").withArgs(newDelay, schedule);
    });

    it("test_changeDefaultAdminDelay_decreaseWaitsTheDifference", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const newDelay = DAY;
      const tx = f.authority.connect(f.admin).changeDefaultAdminDelay(newDelay);
      const schedule = (await blockTimestamp(tx)) + (ADMIN_DELAY - newDelay);
      await expect(tx).to.emit(f.authority, "DefaultAdminDelayChangeScheduled").withArgs(newDelay, schedule);
      await time.increaseTo(schedule + 1n);
      expect(await f.authority.defaultAdminDelay()).to.equal(newDelay);
      // a transfer begun now waits the new delay
      const begin = f.authority.connect(f.admin).beginDefaultAdminTransfer(f.outsider.address);
      await expect(begin)
        .to.emit(f.authority, "DefaultAdminTransferScheduled")
        .withArgs(f.outsider.address, (await blockTimestamp(begin)) + newDelay);
    });

    it("test_changeDefaultAdminDelay_refusesEveryNonAdmin", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const before = await snapshot(f);
      for (const [name, signer] of personasExcept(f, "admin")) {
        await expect(f.authority.connect(signer).changeDefaultAdminDelay(0), name)
          .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
          .withArgs(signer.address, DEFAULT_ADMIN_ROLE);
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });
  });

  describe("rollbackDefaultAdminDelay", () => {
    it("test_rollbackDefaultAdminDelay_cancelsPendingChange", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      await f.authority.connect(f.admin).changeDefaultAdminDelay(3n * DAY);
      await expect(f.authority.connect(f.admin).rollbackDefaultAdminDelay()).to.emit(
        f.authority,
        "DefaultAdminDelayChangeCanceled",
      );
      expect([...(await f.authority.pendingDefaultAdminDelay())]).to.deep.equal([0n, 0n]);
      await time.increase(10n * DAY);
      expect(await f.authority.defaultAdminDelay()).to.equal(ADMIN_DELAY);
    });

    it("test_rollbackDefaultAdminDelay_refusesEveryNonAdmin", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      await f.authority.connect(f.admin).changeDefaultAdminDelay(3n * DAY);
      const before = await snapshot(f);
      for (const [name, signer] of personasExcept(f, "admin")) {
        await expect(f.authority.connect(signer).rollbackDefaultAdminDelay(), name)
          .to.be.revertedWithCustomError(f.authority, "AccessControlUnauthorizedAccount")
          .withArgs(signer.address, DEFAULT_ADMIN_ROLE);
      }
      expect(await snapshot(f)).to.deep.equal(before);
    });
  });

  describe("defaultAdminDelayIncreaseWait", () => {
    it("test_defaultAdminDelayIncreaseWait_isFiveDays", async () => {
      const { authority } = await networkHelpers.loadFixture(deployFixture);
      expect(await authority.defaultAdminDelayIncreaseWait()).to.equal(5n * DAY);
    });
  });

  describe("defaultAdmin / owner / pendingDefaultAdmin / pendingDefaultAdminDelay", () => {
    it("test_defaultAdminViews_initialState", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      expect(await f.authority.defaultAdmin()).to.equal(f.admin.address);
      expect(await f.authority.owner()).to.equal(f.admin.address);
      expect([...(await f.authority.pendingDefaultAdmin())]).to.deep.equal([ethers.ZeroAddress, 0n]);
      expect([...(await f.authority.pendingDefaultAdminDelay())]).to.deep.equal([0n, 0n]);
      expect(await f.authority.defaultAdminDelay()).to.equal(ADMIN_DELAY);
    });
  });

  describe("events", () => {
    it("test_events_suspendEmitsOneRoleRevokedPerParkedRole", async () => {
      const f = await networkHelpers.loadFixture(allRolesFixture);
      const receipt = await (await f.authority.connect(f.regulator).suspend(f.research.address)).wait();
      const revoked = receipt!.logs
        .map((l) => f.authority.interface.parseLog(l))
        .filter((l) => l?.name === "RoleRevoked")
        .map((l) => l!.args.role as string);
      expect(revoked).to.deep.equal(ALL_ROLES);
      await expect(f.authority.connect(f.regulator).restore(f.research.address))
        .to.emit(f.authority, "RoleGranted")
        .withArgs(anyValue, f.research.address, f.regulator.address);
    });
  });
});
