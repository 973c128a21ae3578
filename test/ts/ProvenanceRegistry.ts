import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { ZeroAddress, ZeroHash, toUtf8Bytes } from "ethers";
import hre from "hardhat";

import { type Actors, emittedBy, ethers, networkHelpers, now } from "./helpers/fixtures.js";
import {
  BizStep,
  COLD_CHAIN_FAILURE,
  Disposition,
  GLN,
  GTIN_MASKS,
  GTIN_VACCINE,
  GTIN_VACCINE_BODY,
  LOCATION_NAMES,
  LOT,
  LotState,
  MAX_BATCH_STEPS,
  MAX_GLN,
  MAX_GTIN,
  type ProvenanceFixture,
  RejectReason,
  type ShipmentParams,
  type ShipmentsFixture,
  type Step,
  Verdict,
  digitalLink,
  glnOf,
  gs1CheckDigit,
  gtinOf,
  gtinWithWrongCheckDigit,
  idOf,
  malformedStep,
  packRawStep,
  packStep,
  plainShipment,
  provenanceFixture,
  provenanceState,
  shipmentCreatedArgs,
  shipmentIdOf,
  shipmentTuple,
  shipmentsFixture,
  stepInput,
  toShipmentStruct,
  unpackStep,
  vaccineShipment,
} from "./helpers/provenance.js";

const { time } = networkHelpers;

type Persona = keyof Actors;

/** Accredited, active organisations of `accreditedFixture`. */
const ORGANISATIONS = [
  "regulator",
  "manufacturer",
  "lab",
  "carrier",
  "warehouse",
  "hospital",
  "clinic",
  "research",
  "vault",
] as const satisfies readonly Persona[];
/** Plain wallets: not organisations. */
const NON_ORGANISATIONS = ["admin", "citizen", "citizen2", "outsider", "relayer"] as const satisfies readonly Persona[];
const ALL_PERSONAS: readonly Persona[] = [...ORGANISATIONS, ...NON_ORGANISATIONS];

const MANUFACTURER_ROLE = ethers.id("MANUFACTURER_ROLE");
const XUHUI = 310104;
/** A GLN nobody registers in the fixtures, for registration tests. */
const NEW_GLN = glnOf(695_000_000_001n);
const ALL_GLNS: readonly bigint[] = [...Object.values(GLN), NEW_GLN, 0n, MAX_GLN, MAX_GLN + 1n];
const ALL_LOTS: readonly bigint[] = [0n, 1n, 2n, 3n, 4n, 5n];

async function base(): Promise<ProvenanceFixture> {
  return networkHelpers.loadFixture(provenanceFixture);
}

async function shipped(): Promise<ShipmentsFixture> {
  return networkHelpers.loadFixture(shipmentsFixture);
}

/** 100 cold-chain shipments of vaccine lot 4 held by the manufacturer. */
async function hundredShipmentsFixture() {
  const f = await provenanceFixture();
  const params: ShipmentParams[] = [];
  for (let i = 0; i < 100; i++) {
    const p = vaccineShipment(LOT.released2, { lotNumber: "SIBP-2022-0414", serial: `PALLET-${1000 + i}` });
    await f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(p));
    params.push(p);
  }
  return { ...f, ids: params.map(idOf) };
}

async function hundred() {
  return networkHelpers.loadFixture(hundredShipmentsFixture);
}

async function nowBig(): Promise<bigint> {
  return BigInt(await now());
}

/** A well-formed step at `readPoint` (shipping, in transit) with the latest block's time. */
async function stepAt(readPoint: bigint, overrides: Partial<Step> = {}): Promise<Step> {
  return {
    bizStep: BizStep.Shipping,
    disposition: Disposition.InTransit,
    readPoint,
    eventTime: await nowBig(),
    ...overrides,
  };
}

/** What a refused call could have changed: the given shipments, every known location, every fixture lot. */
async function snapshot(f: ProvenanceFixture, shipmentIds: readonly string[]) {
  return provenanceState(f.pr, f.vr, shipmentIds, ALL_GLNS, ALL_LOTS);
}

/** Snapshot including both fixture shipments. */
async function snap(f: ShipmentsFixture, extra: readonly string[] = []) {
  return snapshot(f, [f.plainId, f.coldId, ...extra]);
}

/** Run refused calls and prove they changed nothing a refusal could touch (the given shipments, locations, lots). */
async function unchanged(f: ProvenanceFixture, shipmentIds: readonly string[], refused: () => Promise<void>) {
  const before = await snapshot(f, shipmentIds);
  await refused();
  expect(await snapshot(f, shipmentIds)).to.deep.equal(before);
}

/** Number of `CustodyStepRecorded` events ever emitted. */
async function stepEventCount(f: ProvenanceFixture): Promise<number> {
  return (await f.pr.queryFilter(f.pr.filters.CustodyStepRecorded())).length;
}

/** Propose and accept a hand-over. */
async function handOver(
  f: ProvenanceFixture,
  shipmentId: string,
  from: HardhatEthersSigner,
  to: HardhatEthersSigner,
  isFinal: boolean = false,
) {
  await f.pr.connect(from).proposeHandover(shipmentId, to.address, isFinal);
  await f.pr.connect(to).acceptHandover(shipmentId);
}

/** The cold shipment delivered to the hospital: manufacturer → carrier → hospital (final). */
async function deliveredFixture() {
  const f = await shipmentsFixture();
  await handOver(f, f.coldId, f.manufacturer, f.carrier);
  await handOver(f, f.coldId, f.carrier, f.hospital, true);
  return f;
}

async function delivered(): Promise<ShipmentsFixture> {
  return networkHelpers.loadFixture(deliveredFixture);
}

function scan(f: ProvenanceFixture, p: ShipmentParams, gln: bigint) {
  return f.pr.checkScan(p.gtin, p.lotNumber, p.serial, gln);
}

function report(f: ProvenanceFixture, who: HardhatEthersSigner, p: ShipmentParams, gln: bigint) {
  return f.pr.connect(who).reportSuspectScan(p.gtin, p.lotNumber, p.serial, gln);
}

describe("ProvenanceRegistry", () => {
  describe("views, constants and deployment", () => {
    it("test_authority_returnsTheAuthority", async () => {
      const f = await base();
      expect(await f.pr.authority()).to.equal(await f.authority.getAddress());
    });

    it("test_vaccineRegistry_returnsTheVaccineRegistry", async () => {
      const f = await base();
      expect(await f.pr.vaccineRegistry()).to.equal(await f.vr.getAddress());
    });

    it("test_vaccineRegistry_namesThisRegistryItsColdChainReporter", async () => {
      const f = await base();
      expect(await f.vr.coldChainReporter()).to.equal(await f.pr.getAddress());
    });

    it("test_constants_matchDocumentedValues", async () => {
      const f = await base();
      expect(await f.pr.MAX_BATCH_STEPS()).to.equal(500n);
      expect(await f.pr.MAX_BIZ_STEP()).to.equal(16n);
      expect(await f.pr.MAX_DISPOSITION()).to.equal(11n);
      expect(await f.pr.DISPOSITION_NON_CONFORMANT()).to.equal(3n);
      expect(await f.pr.MAX_REJECT_REASON()).to.equal(5n);
      expect(await f.pr.MAX_NAME_BYTES()).to.equal(64n);
      expect(Object.keys(BizStep)).to.have.length(17);
      expect(Object.keys(Disposition)).to.have.length(12);
      expect(Object.keys(RejectReason)).to.have.length(6);
    });

    it("test_shipmentIdOf_isKeccakOfAbiEncodedIdentity", async () => {
      const f = await base();
      const cases: [bigint, string, string][] = [
        [GTIN_VACCINE, "SIBP-2022-0412", "PALLET-0001"],
        [GTIN_MASKS, "A", "1"],
        [MAX_GTIN, "x".repeat(20), "y".repeat(20)],
        [0n, "", ""], // never issued, still resolvable
        [GTIN_VACCINE, "批次七", "序列"],
      ];
      for (const [gtin, lot, serial] of cases) {
        expect(await f.pr.shipmentIdOf(gtin, lot, serial)).to.equal(shipmentIdOf(gtin, lot, serial));
      }
    });

    it("test_shipmentIdOf_distinguishesFieldBoundaries", async () => {
      const f = await base();
      const a = await f.pr.shipmentIdOf(GTIN_VACCINE, "AB", "C");
      const b = await f.pr.shipmentIdOf(GTIN_VACCINE, "A", "BC");
      const c = await f.pr.shipmentIdOf(GTIN_MASKS, "AB", "C");
      expect(new Set([a, b, c]).size).to.equal(3);
    });

    it("test_shipmentOf_unknownShipment_returnsZeroView", async () => {
      const f = await base();
      expect(await shipmentTuple(f.pr, ZeroHash)).to.deep.equal([ZeroAddress, false, false, false, 0n, 0n, 0n, ZeroAddress, false]);
      expect(await shipmentTuple(f.pr, idOf(plainShipment()))).to.deep.equal([
        ZeroAddress,
        false,
        false,
        false,
        0n,
        0n,
        0n,
        ZeroAddress,
        false,
      ]);
    });

    it("test_locationOwner_registeredAndUnregistered", async () => {
      const f = await base();
      expect(await f.pr.locationOwner(GLN.plant)).to.equal(f.manufacturer.address);
      expect(await f.pr.locationOwner(GLN.plant2)).to.equal(f.manufacturer2.address);
      expect(await f.pr.locationOwner(GLN.carrierHub)).to.equal(f.carrier.address);
      expect(await f.pr.locationOwner(GLN.warehouse)).to.equal(f.warehouse.address);
      expect(await f.pr.locationOwner(GLN.hospital)).to.equal(f.hospital.address);
      expect(await f.pr.locationOwner(GLN.clinic)).to.equal(f.clinic.address);
      expect(await f.pr.locationOwner(GLN.unregistered)).to.equal(ZeroAddress);
      expect(await f.pr.locationOwner(0n)).to.equal(ZeroAddress);
    });

    it("test_packStep_matchesHelperForEveryField", async () => {
      const f = await base();
      const t = await nowBig();
      const steps: Step[] = [
        { bizStep: BizStep.Commissioning, disposition: Disposition.Active, readPoint: GLN.plant, eventTime: t },
        { bizStep: BizStep.Holding, disposition: Disposition.Stolen, readPoint: MAX_GLN, eventTime: (1n << 40n) - 1n },
        { bizStep: BizStep.Transporting, disposition: Disposition.InTransit, readPoint: GLN.carrierHub, eventTime: t, temperature: 450 },
        { bizStep: BizStep.SensorReporting, disposition: Disposition.InTransit, readPoint: 1n, eventTime: 1n, temperature: -2000 },
        { bizStep: BizStep.Storing, disposition: Disposition.Active, readPoint: GLN.warehouse, eventTime: t, temperature: 0 },
        { bizStep: BizStep.Storing, disposition: Disposition.Active, readPoint: GLN.warehouse, eventTime: t, temperature: -32768 },
        { bizStep: BizStep.Storing, disposition: Disposition.Active, readPoint: GLN.warehouse, eventTime: t, temperature: 32767 },
      ];
      for (const s of steps) {
        const word = await f.pr.packStep(s.bizStep, s.disposition, s.readPoint, s.eventTime, s.temperature !== undefined, s.temperature ?? 0);
        expect(word).to.equal(packStep(s));
        const raw = unpackStep(word);
        expect(raw.bizStep).to.equal(BigInt(s.bizStep));
        expect(raw.disposition).to.equal(BigInt(s.disposition));
        expect(raw.readPoint).to.equal(s.readPoint);
        expect(raw.eventTime).to.equal(s.eventTime);
        expect(raw.flag).to.equal(s.temperature === undefined ? 0n : 1n);
        expect(BigInt.asIntN(16, raw.tempBits)).to.equal(BigInt(s.temperature ?? 0));
        expect(raw.reserved).to.equal(0n);
      }
    });

    it("test_packStep_fieldsAtDocumentedBitPositions", async () => {
      const f = await base();
      // bizStep 0x0a · disposition 0x01 · readPoint 0x0000000000000123 · eventTime 0x0000000456 · temp -1 · flag 1
      const word = await f.pr.packStep(10, 1, 0x123n, 0x456n, true, -1);
      expect(word).to.equal("0x0a01" + "0000000000000123" + "0000000456" + "ffff" + "01" + "00".repeat(14));
    });

    it("test_packStep_withoutTemperature_ignoresReading", async () => {
      const f = await base();
      const withReading = await f.pr.packStep(BizStep.Storing, Disposition.Active, GLN.warehouse, 1_650_000_000n, false, 777);
      const without = await f.pr.packStep(BizStep.Storing, Disposition.Active, GLN.warehouse, 1_650_000_000n, false, 0);
      expect(withReading).to.equal(without);
      expect(unpackStep(withReading).tempBits).to.equal(0n);
      expect(unpackStep(withReading).flag).to.equal(0n);
    });

    it("test_packStep_outOfRangeCodesPackedVerbatimForTheContractToRefuse", async () => {
      const f = await base();
      const word = await f.pr.packStep(255, 255, (1n << 64n) - 1n, 0n, false, 0);
      expect(word).to.equal(
        packRawStep({ bizStep: 255n, disposition: 255n, readPoint: (1n << 64n) - 1n, eventTime: 0n, tempBits: 0n, flag: 0n, reserved: 0n }),
      );
    });
  });

  describe("GS1 helpers (independent of the contract)", () => {
    it("test_gs1CheckDigit_matchesPublishedExamples", () => {
      // GTIN-8 96385074, EAN-13 4006381333931, GTIN-14 10614141000415 (GS1 examples).
      expect(gtinOf(9_638_507n)).to.equal(96_385_074n);
      expect(gtinOf(400_638_133_393n)).to.equal(4_006_381_333_931n);
      expect(gtinOf(1_061_414_100_041n)).to.equal(10_614_141_000_415n);
      expect(gs1CheckDigit(0n)).to.equal(0);
      for (const gln of Object.values(GLN)) expect(gln.toString()).to.have.length(13);
      expect(digitalLink(plainShipment())).to.equal(
        `https://id.gs1.org/01/${GTIN_MASKS.toString().padStart(14, "0")}/10/MASK-2022-04/21/SSCC-000001`,
      );
    });
  });

  describe("registerLocation", () => {
    it("test_registerLocation_storesOwnerAndEmitsLocationRegistered", async () => {
      const f = await base();
      await expect(f.pr.connect(f.warehouse).registerLocation(NEW_GLN, "Baoshan DC, dock 4"))
        .to.emit(f.pr, "LocationRegistered")
        .withArgs(NEW_GLN, f.warehouse.address, "Baoshan DC, dock 4");
      expect(await f.pr.locationOwner(NEW_GLN)).to.equal(f.warehouse.address);
    });

    it("test_registerLocation_fixtureLocationsEmittedWithNames", async () => {
      const f = await base();
      const events = await f.pr.queryFilter(f.pr.filters.LocationRegistered());
      expect(events.map((e) => [e.args.gln, e.args.owner, e.args.name])).to.deep.equal([
        [GLN.plant, f.manufacturer.address, LOCATION_NAMES.plant],
        [GLN.plant2, f.manufacturer2.address, LOCATION_NAMES.plant2],
        [GLN.carrierHub, f.carrier.address, LOCATION_NAMES.carrierHub],
        [GLN.warehouse, f.warehouse.address, LOCATION_NAMES.warehouse],
        [GLN.hospital, f.hospital.address, LOCATION_NAMES.hospital],
        [GLN.clinic, f.clinic.address, LOCATION_NAMES.clinic],
      ]);
    });

    it("test_registerLocation_everyActiveOrganisationMayRegister", async () => {
      const f = await base();
      let body = 695_100_000_000n;
      for (const persona of ORGANISATIONS) {
        const gln = glnOf(body++);
        await expect(f.pr.connect(f[persona]).registerLocation(gln, `${persona} site`))
          .to.emit(f.pr, "LocationRegistered")
          .withArgs(gln, f[persona].address, `${persona} site`);
        expect(await f.pr.locationOwner(gln)).to.equal(f[persona].address);
      }
    });

    it("test_registerLocation_severalLocationsPerOrganisation", async () => {
      const f = await base();
      await f.pr.connect(f.manufacturer).registerLocation(NEW_GLN, "SIBP Minhang plant, cold store 2");
      expect(await f.pr.locationOwner(NEW_GLN)).to.equal(f.manufacturer.address);
      expect(await f.pr.locationOwner(GLN.plant)).to.equal(f.manufacturer.address);
    });

    for (const persona of NON_ORGANISATIONS) {
      it(`test_registerLocation_by_${persona}_revertsNotActive`, async () => {
        const f = await base();
        const before = await snapshot(f, []);
        await expect(f.pr.connect(f[persona]).registerLocation(NEW_GLN, "kiosk"))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotActive")
          .withArgs(f[persona].address);
        expect(await snapshot(f, [])).to.deep.equal(before);
      });
    }

    it("test_registerLocation_suspendedOrganisation_revertsNotActiveUntilRestored", async () => {
      const f = await base();
      await f.authority.connect(f.regulator).suspend(f.carrier.address);
      const before = await snapshot(f, []);
      await expect(f.pr.connect(f.carrier).registerLocation(NEW_GLN, "Pudong hub 2"))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotActive")
        .withArgs(f.carrier.address);
      expect(await snapshot(f, [])).to.deep.equal(before);
      await f.authority.connect(f.regulator).restore(f.carrier.address);
      await expect(f.pr.connect(f.carrier).registerLocation(NEW_GLN, "Pudong hub 2"))
        .to.emit(f.pr, "LocationRegistered")
        .withArgs(NEW_GLN, f.carrier.address, "Pudong hub 2");
    });

    it("test_registerLocation_activityCheckedBeforeInput", async () => {
      const f = await base();
      await unchanged(f, [], async () => {
        await expect(f.pr.connect(f.outsider).registerLocation(0n, ""))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotActive")
          .withArgs(f.outsider.address);
      });
    });

    for (const [label, gln] of [
      ["Zero", 0n],
      ["14Digits", 10n ** 13n],
      ["MaxUint64", (1n << 64n) - 1n],
    ] as const) {
      it(`test_registerLocation_gln${label}_revertsInvalidGln`, async () => {
        const f = await base();
        const before = await snapshot(f, []);
        await expect(f.pr.connect(f.warehouse).registerLocation(gln, "dock"))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryInvalidGln")
          .withArgs(gln);
        expect(await snapshot(f, [])).to.deep.equal(before);
        expect(await f.pr.locationOwner(gln)).to.equal(ZeroAddress);
      });
    }

    it("test_registerLocation_largest13DigitGlnAndSmallestGln_accepted", async () => {
      const f = await base();
      const largest = glnOf(999_999_999_999n);
      const smallest = 17n; // body 000000000001, check digit 7
      await expect(f.pr.connect(f.warehouse).registerLocation(largest, "max")).to.emit(f.pr, "LocationRegistered");
      await expect(f.pr.connect(f.warehouse).registerLocation(smallest, "one")).to.emit(f.pr, "LocationRegistered");
      expect(await f.pr.locationOwner(largest)).to.equal(f.warehouse.address);
      expect(await f.pr.locationOwner(smallest)).to.equal(f.warehouse.address);
    });

    it("test_registerLocation_wrongCheckDigit_revertsInvalidGln", async () => {
      const f = await base();
      const before = await snapshot(f, []);
      const valid = glnOf(690_123_400_001n);
      const wrong = valid - (valid % 10n) + ((valid + 1n) % 10n);
      await expect(f.pr.connect(f.warehouse).registerLocation(wrong, "wrong"))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryInvalidGln")
        .withArgs(wrong);
      expect(await f.pr.locationOwner(wrong)).to.equal(ZeroAddress);
      expect(await snapshot(f, [])).to.deep.equal(before);
    });

    for (const [label, name] of [
      ["Empty", ""],
      ["65Bytes", "x".repeat(65)],
      ["22ChineseCharacters66Bytes", "宝山医药仓库三号码头冷库宝山医药仓库三号码头"],
    ] as const) {
      it(`test_registerLocation_name${label}_revertsInvalidName`, async () => {
        const f = await base();
        const before = await snapshot(f, []);
        await expect(f.pr.connect(f.warehouse).registerLocation(NEW_GLN, name))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryInvalidName")
          .withArgs(toUtf8Bytes(name).length);
        expect(await snapshot(f, [])).to.deep.equal(before);
      });
    }

    it("test_registerLocation_name64BytesAndOneByte_accepted", async () => {
      const f = await base();
      await expect(f.pr.connect(f.warehouse).registerLocation(NEW_GLN, "x".repeat(64)))
        .to.emit(f.pr, "LocationRegistered")
        .withArgs(NEW_GLN, f.warehouse.address, "x".repeat(64));
      const other = glnOf(695_000_000_002n);
      await expect(f.pr.connect(f.warehouse).registerLocation(other, "宝山仓库"))
        .to.emit(f.pr, "LocationRegistered")
        .withArgs(other, f.warehouse.address, "宝山仓库");
    });

    it("test_registerLocation_invalidGlnReportedBeforeInvalidName", async () => {
      const f = await base();
      await unchanged(f, [], async () => {
        await expect(f.pr.connect(f.warehouse).registerLocation(0n, ""))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryInvalidGln")
          .withArgs(0n);
      });
    });

    it("test_registerLocation_registeredByAnother_revertsLocationExists", async () => {
      const f = await base();
      const before = await snapshot(f, []);
      await expect(f.pr.connect(f.warehouse).registerLocation(GLN.plant, "squatting"))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryLocationExists")
        .withArgs(GLN.plant, f.manufacturer.address);
      expect(await snapshot(f, [])).to.deep.equal(before);
    });

    it("test_registerLocation_registeredBySelf_revertsLocationExists", async () => {
      const f = await base();
      const before = await snapshot(f, []);
      await expect(f.pr.connect(f.manufacturer).registerLocation(GLN.plant, "again"))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryLocationExists")
        .withArgs(GLN.plant, f.manufacturer.address);
      expect(await snapshot(f, [])).to.deep.equal(before);
    });
  });

  describe("createShipment", () => {
    it("test_createShipment_plain_storesViewAndEmitsShipmentCreated", async () => {
      const f = await base();
      const p = plainShipment();
      await expect(f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(p)))
        .to.emit(f.pr, "ShipmentCreated")
        .withArgs(...shipmentCreatedArgs(f.manufacturer.address, p));
      expect(await shipmentTuple(f.pr, idOf(p))).to.deep.equal([
        f.manufacturer.address,
        false,
        false,
        false,
        0n,
        0n,
        0n,
        ZeroAddress,
        false,
      ]);
    });

    it("test_createShipment_coldChainWithVaccineLot_storesRangeAndLot", async () => {
      const f = await base();
      const p = vaccineShipment(LOT.released);
      await expect(f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(p)))
        .to.emit(f.pr, "ShipmentCreated")
        .withArgs(...shipmentCreatedArgs(f.manufacturer.address, p));
      expect(await shipmentTuple(f.pr, idOf(p))).to.deep.equal([
        f.manufacturer.address,
        true,
        false,
        false,
        200n,
        800n,
        LOT.released,
        ZeroAddress,
        false,
      ]);
      // Creating a shipment does not touch the lot.
      expect(await f.vr.lotState(LOT.released)).to.equal(BigInt(LotState.Active));
    });

    it("test_createShipment_returnsTheDocumentedId", async () => {
      const f = await base();
      const p = vaccineShipment(LOT.released);
      const returned = await f.pr.connect(f.manufacturer).createShipment.staticCall(toShipmentStruct(p));
      expect(returned).to.equal(idOf(p));
      expect(returned).to.equal(await f.pr.shipmentIdOf(p.gtin, p.lotNumber, p.serial));
    });

    it("test_createShipment_sameLotDifferentSerials_distinctShipments", async () => {
      const f = await base();
      const a = vaccineShipment(LOT.released, { serial: "PALLET-0001" });
      const b = vaccineShipment(LOT.released, { serial: "PALLET-0002" });
      await f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(a));
      await f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(b));
      expect(idOf(a)).to.not.equal(idOf(b));
      expect((await f.pr.shipmentOf(idOf(a))).holder).to.equal(f.manufacturer.address);
      expect((await f.pr.shipmentOf(idOf(b))).holder).to.equal(f.manufacturer.address);
    });

    it("test_createShipment_secondManufacturerWithOwnLotAndSite_succeeds", async () => {
      const f = await base();
      const p = vaccineShipment(LOT.otherManufacturer, { origin: GLN.plant2, lotNumber: "SJB-2022-0077" });
      await expect(f.pr.connect(f.manufacturer2).createShipment(toShipmentStruct(p)))
        .to.emit(f.pr, "ShipmentCreated")
        .withArgs(...shipmentCreatedArgs(f.manufacturer2.address, p));
      expect((await f.pr.shipmentOf(idOf(p))).holder).to.equal(f.manufacturer2.address);
    });

    it("test_createShipment_ownPendingLot_accepted", async () => {
      // The contract checks who made the lot, not its release state: a shipment may leave before release.
      const f = await base();
      const p = vaccineShipment(LOT.pending, { lotNumber: "SIBP-2022-0413" });
      await expect(f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(p))).to.emit(f.pr, "ShipmentCreated");
      expect((await f.pr.shipmentOf(idOf(p))).vaccineLotId).to.equal(LOT.pending);
    });

    it("test_createShipment_coldChainFalse_rangeNotCheckedAndStoredAsZero", async () => {
      const f = await base();
      const p = plainShipment({ coldChain: false, minTempCentiC: 800n, maxTempCentiC: 200n });
      // Without a cold chain the range does not apply: the event and storage both carry zero.
      await expect(f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(p)))
        .to.emit(f.pr, "ShipmentCreated")
        .withArgs(...shipmentCreatedArgs(f.manufacturer.address, { ...p, minTempCentiC: 0n, maxTempCentiC: 0n }));
      const s = await f.pr.shipmentOf(idOf(p));
      expect([s.coldChain, s.minTempCentiC, s.maxTempCentiC]).to.deep.equal([false, 0n, 0n]);
    });

    it("test_createShipment_narrowestAndWidestRanges_accepted", async () => {
      const f = await base();
      const narrow = vaccineShipment(LOT.released, { serial: "N", minTempCentiC: 499n, maxTempCentiC: 500n });
      const wide = vaccineShipment(LOT.released, { serial: "W", minTempCentiC: -32768n, maxTempCentiC: 32767n });
      const frozen = plainShipment({ serial: "F", coldChain: true, minTempCentiC: -2500n, maxTempCentiC: -1500n });
      for (const p of [narrow, wide, frozen]) {
        await f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(p));
        const s = await f.pr.shipmentOf(idOf(p));
        expect([s.minTempCentiC, s.maxTempCentiC]).to.deep.equal([p.minTempCentiC, p.maxTempCentiC]);
      }
    });

    it("test_createShipment_identifiersOf1And20Bytes_accepted", async () => {
      const f = await base();
      const shortest = plainShipment({ lotNumber: "L", serial: "S" });
      const longest = plainShipment({ lotNumber: "L".repeat(20), serial: "S".repeat(20) });
      const chinese = plainShipment({ lotNumber: "批次二零二二", serial: "序列号" }); // 18 and 9 bytes
      for (const p of [shortest, longest, chinese]) {
        await expect(f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(p)))
          .to.emit(f.pr, "ShipmentCreated")
          .withArgs(...shipmentCreatedArgs(f.manufacturer.address, p));
      }
    });

    it("test_createShipment_shortGtinsLeftPaddedAccepted", async () => {
      const f = await base();
      const gtin8 = plainShipment({ gtin: 96_385_074n, serial: "G8" });
      const gtin13 = plainShipment({ gtin: 4_006_381_333_931n, serial: "G13" });
      for (const p of [gtin8, gtin13]) {
        await expect(f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(p))).to.emit(f.pr, "ShipmentCreated");
      }
    });

    it("test_createShipment_quantityOne_accepted", async () => {
      const f = await base();
      const p = plainShipment({ quantity: 1n });
      await expect(f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(p)))
        .to.emit(f.pr, "ShipmentCreated")
        .withArgs(...shipmentCreatedArgs(f.manufacturer.address, p));
    });

    const nonManufacturers: readonly Persona[] = ALL_PERSONAS.filter((p) => p !== "manufacturer");
    for (const persona of nonManufacturers) {
      it(`test_createShipment_by_${persona}_revertsUnauthorized`, async () => {
        const f = await base();
        const p = plainShipment();
        const before = await snapshot(f, [idOf(p)]);
        await expect(f.pr.connect(f[persona]).createShipment(toShipmentStruct(p)))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryUnauthorized")
          .withArgs(f[persona].address, MANUFACTURER_ROLE);
        expect(await snapshot(f, [idOf(p)])).to.deep.equal(before);
      });
    }

    it("test_createShipment_suspendedManufacturer_revertsUnauthorizedUntilRestored", async () => {
      const f = await base();
      const p = plainShipment();
      await f.authority.connect(f.regulator).suspend(f.manufacturer.address);
      const before = await snapshot(f, [idOf(p)]);
      await expect(f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(p)))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryUnauthorized")
        .withArgs(f.manufacturer.address, MANUFACTURER_ROLE);
      expect(await snapshot(f, [idOf(p)])).to.deep.equal(before);
      await f.authority.connect(f.regulator).restore(f.manufacturer.address);
      await expect(f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(p))).to.emit(f.pr, "ShipmentCreated");
    });

    it("test_createShipment_manufacturerRoleRevoked_revertsUnauthorized", async () => {
      const f = await base();
      await f.authority.connect(f.regulator).revokeRole(MANUFACTURER_ROLE, f.manufacturer.address);
      await unchanged(f, [idOf(plainShipment())], async () => {
        await expect(f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(plainShipment())))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryUnauthorized")
          .withArgs(f.manufacturer.address, MANUFACTURER_ROLE);
      });
    });

    it("test_createShipment_roleCheckedBeforeInput", async () => {
      const f = await base();
      const p = plainShipment({ gtin: 0n, lotNumber: "", quantity: 0n, origin: 0n });
      await unchanged(f, [idOf(p)], async () => {
        await expect(f.pr.connect(f.carrier).createShipment(toShipmentStruct(p)))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryUnauthorized")
          .withArgs(f.carrier.address, MANUFACTURER_ROLE);
      });
    });

    /** Refusal cases: label, parameters, error, arguments. */
    const invalid: [string, (f: ProvenanceFixture) => ShipmentParams, string, (f: ProvenanceFixture, p: ShipmentParams) => unknown[]][] = [
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map(
        (offset) =>
          [
            `GtinCheckDigitOff${offset}`,
            () => plainShipment({ gtin: gtinWithWrongCheckDigit(GTIN_VACCINE_BODY, offset) }),
            "ProvenanceRegistryInvalidGtin",
            (_f: ProvenanceFixture, p: ShipmentParams) => [p.gtin],
          ] as [string, (f: ProvenanceFixture) => ShipmentParams, string, (f: ProvenanceFixture, p: ShipmentParams) => unknown[]],
      ),
      ["GtinZero", () => plainShipment({ gtin: 0n }), "ProvenanceRegistryInvalidGtin", (_f, p) => [p.gtin]],
      // 15 digits whose last 14 carry a valid check digit: only the length check refuses it.
      ["Gtin15Digits", () => plainShipment({ gtin: 10n ** 14n + GTIN_VACCINE }), "ProvenanceRegistryInvalidGtin", (_f, p) => [p.gtin]],
      ["GtinMaxUint64", () => plainShipment({ gtin: (1n << 64n) - 1n }), "ProvenanceRegistryInvalidGtin", (_f, p) => [p.gtin]],
      ["LotEmpty", () => plainShipment({ lotNumber: "" }), "ProvenanceRegistryInvalidIdentifier", () => [0n]],
      ["Lot21Bytes", () => plainShipment({ lotNumber: "L".repeat(21) }), "ProvenanceRegistryInvalidIdentifier", () => [21n]],
      ["Lot7ChineseCharacters21Bytes", () => plainShipment({ lotNumber: "批次二零二二年" }), "ProvenanceRegistryInvalidIdentifier", () => [21n]],
      ["SerialEmpty", () => plainShipment({ serial: "" }), "ProvenanceRegistryInvalidIdentifier", () => [0n]],
      ["Serial21Bytes", () => plainShipment({ serial: "S".repeat(21) }), "ProvenanceRegistryInvalidIdentifier", () => [21n]],
      ["QuantityZero", () => plainShipment({ quantity: 0n }), "ProvenanceRegistryInvalidQuantity", () => []],
      [
        "ColdRangeMinEqualsMax",
        () => vaccineShipment(LOT.released, { minTempCentiC: 500n, maxTempCentiC: 500n }),
        "ProvenanceRegistryInvalidTemperatureRange",
        () => [500n, 500n],
      ],
      [
        "ColdRangeMinAboveMax",
        () => vaccineShipment(LOT.released, { minTempCentiC: 800n, maxTempCentiC: 200n }),
        "ProvenanceRegistryInvalidTemperatureRange",
        () => [800n, 200n],
      ],
      ["OriginUnregistered", () => plainShipment({ origin: GLN.unregistered }), "ProvenanceRegistryNotLocationOwner", (f, p) => [p.origin, f.manufacturer.address]],
      ["OriginZero", () => plainShipment({ origin: 0n }), "ProvenanceRegistryNotLocationOwner", (f) => [0n, f.manufacturer.address]],
      ["OriginOfCarrier", () => plainShipment({ origin: GLN.carrierHub }), "ProvenanceRegistryNotLocationOwner", (f) => [GLN.carrierHub, f.manufacturer.address]],
      ["OriginOfOtherManufacturer", () => plainShipment({ origin: GLN.plant2 }), "ProvenanceRegistryNotLocationOwner", (f) => [GLN.plant2, f.manufacturer.address]],
      ["UnknownVaccineLot", () => vaccineShipment(99n), "ProvenanceRegistryUnknownVaccineLot", () => [99n]],
      ["VaccineLotNextId", () => vaccineShipment(5n), "ProvenanceRegistryUnknownVaccineLot", () => [5n]],
      [
        "VaccineLotOfAnotherManufacturer",
        () => vaccineShipment(LOT.otherManufacturer),
        "ProvenanceRegistryNotLotManufacturer",
        (f) => [LOT.otherManufacturer, f.manufacturer.address],
      ],
    ];
    for (const [label, build, error, args] of invalid) {
      it(`test_createShipment_${label}_reverts${error.replace("ProvenanceRegistry", "")}`, async () => {
        const f = await base();
        const p = build(f);
        const before = await snapshot(f, [idOf(p)]);
        const assertion = expect(f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(p))).to.be.revertedWithCustomError(f.pr, error);
        const expected = args(f, p);
        await (expected.length > 0 ? assertion.withArgs(...expected) : assertion);
        expect(await snapshot(f, [idOf(p)])).to.deep.equal(before);
      });
    }

    it("test_createShipment_otherManufacturerUsingOurLotAndSite_reverts", async () => {
      const f = await base();
      const p = vaccineShipment(LOT.released, { origin: GLN.plant2 });
      const q = vaccineShipment(LOT.otherManufacturer);
      await unchanged(f, [idOf(p), idOf(q)], async () => {
        await expect(f.pr.connect(f.manufacturer2).createShipment(toShipmentStruct(p)))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotLotManufacturer")
          .withArgs(LOT.released, f.manufacturer2.address);
        await expect(f.pr.connect(f.manufacturer2).createShipment(toShipmentStruct(q)))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotLocationOwner")
          .withArgs(GLN.plant, f.manufacturer2.address);
      });
    });

    it("test_createShipment_existingIdentity_revertsShipmentExists", async () => {
      const f = await shipped();
      const before = await snap(f);
      await expect(f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(f.cold)))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryShipmentExists")
        .withArgs(f.coldId);
      // Same identity with a different quantity, range and no lot: the identity alone decides.
      const same = plainShipment({ gtin: f.cold.gtin, lotNumber: f.cold.lotNumber, serial: f.cold.serial });
      await expect(f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(same)))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryShipmentExists")
        .withArgs(f.coldId);
      expect(await snap(f)).to.deep.equal(before);
    });

    it("test_createShipment_identityIssuedByOtherManufacturer_revertsShipmentExists", async () => {
      const f = await shipped();
      const before = await snap(f);
      const copy = plainShipment({ origin: GLN.plant2 });
      await expect(f.pr.connect(f.manufacturer2).createShipment(toShipmentStruct(copy)))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryShipmentExists")
        .withArgs(f.plainId);
      expect(await snap(f)).to.deep.equal(before);
    });

    it("test_createShipment_existingIdentityAfterHandover_stillRevertsShipmentExists", async () => {
      const f = await delivered();
      await unchanged(f, [f.plainId, f.coldId], async () => {
        await expect(f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(f.cold)))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryShipmentExists")
          .withArgs(f.coldId);
      });
      expect((await f.pr.shipmentOf(f.coldId)).holder).to.equal(f.hospital.address);
    });
  });

  describe("recordStep", () => {
    it("test_recordStep_holderRecords_emitsCustodyStepRecorded", async () => {
      const f = await shipped();
      const before = await snap(f);
      const word = packStep(await stepAt(GLN.plant, { bizStep: BizStep.Commissioning, disposition: Disposition.Active }));
      await expect(f.pr.connect(f.manufacturer).recordStep(f.plainId, word))
        .to.emit(f.pr, "CustodyStepRecorded")
        .withArgs(f.plainId, f.manufacturer.address, word)
        .and.not.to.emit(f.pr, "ColdChainExcursion");
      // A step writes nothing.
      expect(await snap(f)).to.deep.equal(before);
    });

    it("test_recordStep_everyBizStepAndDisposition_accepted", async () => {
      const f = await shipped();
      const t = await nowBig();
      for (let bizStep = 0; bizStep <= 16; bizStep++) {
        const word = packStep({ bizStep, disposition: Disposition.Active, readPoint: GLN.plant, eventTime: t });
        await expect(f.pr.connect(f.manufacturer).recordStep(f.plainId, word))
          .to.emit(f.pr, "CustodyStepRecorded")
          .withArgs(f.plainId, f.manufacturer.address, word);
      }
      for (let disposition = 0; disposition <= 11; disposition++) {
        const word = packStep({ bizStep: BizStep.Inspecting, disposition, readPoint: GLN.plant, eventTime: t });
        await expect(f.pr.connect(f.manufacturer).recordStep(f.plainId, word))
          .to.emit(f.pr, "CustodyStepRecorded")
          .withArgs(f.plainId, f.manufacturer.address, word);
      }
    });

    it("test_recordStep_boundaryFieldValues_accepted", async () => {
      const f = await shipped();
      const words = [
        packStep({ bizStep: 16, disposition: 11, readPoint: MAX_GLN, eventTime: 1n }),
        packStep({ bizStep: 0, disposition: 0, readPoint: 1n, eventTime: await nowBig(), temperature: -32768 }),
        packStep({ bizStep: 0, disposition: 0, readPoint: 1n, eventTime: await nowBig(), temperature: 32767 }),
        packStep({ bizStep: 0, disposition: 0, readPoint: 1n, eventTime: await nowBig(), temperature: 0 }),
      ];
      for (const word of words) {
        await expect(f.pr.connect(f.manufacturer).recordStep(f.plainId, word))
          .to.emit(f.pr, "CustodyStepRecorded")
          .withArgs(f.plainId, f.manufacturer.address, word);
      }
    });

    it("test_recordStep_readPointOfAnotherOrganisation_accepted", async () => {
      // The readPoint is the holder's claim; locations are checked by scans.
      const f = await shipped();
      const word = packStep(await stepAt(GLN.warehouse));
      await expect(f.pr.connect(f.manufacturer).recordStep(f.plainId, word))
        .to.emit(f.pr, "CustodyStepRecorded")
        .withArgs(f.plainId, f.manufacturer.address, word);
    });

    it("test_recordStep_eventTimeEqualToBlockTime_accepted", async () => {
      const f = await shipped();
      const t = (await nowBig()) + 100n;
      await time.setNextBlockTimestamp(t);
      const word = packStep({ bizStep: BizStep.Packing, disposition: Disposition.InProgress, readPoint: GLN.plant, eventTime: t });
      await expect(f.pr.connect(f.manufacturer).recordStep(f.plainId, word, { gasLimit: 200_000n }))
        .to.emit(f.pr, "CustodyStepRecorded")
        .withArgs(f.plainId, f.manufacturer.address, word);
      expect(await nowBig()).to.equal(t);
    });

    it("test_recordStep_eventTimeOneSecondAfterBlockTime_revertsInvalidStep", async () => {
      const f = await shipped();
      const before = await snap(f);
      const events = await stepEventCount(f);
      const t = (await nowBig()) + 100n;
      await time.setNextBlockTimestamp(t);
      const word = packStep({ bizStep: BizStep.Packing, disposition: Disposition.InProgress, readPoint: GLN.plant, eventTime: t + 1n });
      await expect(f.pr.connect(f.manufacturer).recordStep(f.plainId, word, { gasLimit: 200_000n }))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryInvalidStep")
        .withArgs(f.plainId, word);
      expect(await nowBig()).to.equal(t);
      expect(await snap(f)).to.deep.equal(before);
      expect(await stepEventCount(f)).to.equal(events);
    });

    const malformed: [string, Partial<Parameters<typeof malformedStep>[1]>][] = [
      ["bizStep17", { bizStep: 17n }],
      ["bizStep255", { bizStep: 255n }],
      ["disposition12", { disposition: 12n }],
      ["disposition255", { disposition: 255n }],
      ["readPointZero", { readPoint: 0n }],
      ["readPoint14Digits", { readPoint: 10n ** 13n }],
      ["readPointMaxUint64", { readPoint: (1n << 64n) - 1n }],
      ["eventTimeZero", { eventTime: 0n }],
      ["eventTimeMaxUint40", { eventTime: (1n << 40n) - 1n }],
      ["temperatureFlag2", { flag: 2n, tempBits: 500n }],
      ["temperatureFlag255", { flag: 255n, tempBits: 0n }],
      ["reservedBit0Set", { reserved: 1n }],
      ["reservedBit111Set", { reserved: 1n << 111n }],
      ["reservedBitsAllSet", { reserved: (1n << 112n) - 1n }],
      ["temperatureBitsWithoutFlag", { flag: 0n, tempBits: 500n }],
      ["temperatureSignBitWithoutFlag", { flag: 0n, tempBits: 0x8000n }],
    ];
    for (const [label, overrides] of malformed) {
      it(`test_recordStep_${label}_revertsInvalidStep`, async () => {
        const f = await shipped();
        const word = malformedStep(await stepAt(GLN.plant), overrides);
        const before = await snap(f);
        const events = await stepEventCount(f);
        await expect(f.pr.connect(f.manufacturer).recordStep(f.coldId, word))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryInvalidStep")
          .withArgs(f.coldId, word);
        expect(await snap(f)).to.deep.equal(before);
        expect(await stepEventCount(f)).to.equal(events);
      });
    }

    it("test_recordStep_stepCheckedBeforeShipment", async () => {
      const f = await shipped();
      const word = malformedStep(await stepAt(GLN.plant), { bizStep: 17n });
      await unchanged(f, [f.plainId, f.coldId, ZeroHash], async () => {
        await expect(f.pr.connect(f.carrier).recordStep(ZeroHash, word))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryInvalidStep")
          .withArgs(ZeroHash, word);
      });
    });

    it("test_recordStep_unknownShipment_revertsUnknownShipment", async () => {
      const f = await shipped();
      const unknown = shipmentIdOf(GTIN_VACCINE, "SIBP-2022-0412", "PALLET-9999");
      const before = await snap(f, [unknown]);
      await expect(f.pr.connect(f.manufacturer).recordStep(unknown, packStep(await stepAt(GLN.plant))))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryUnknownShipment")
        .withArgs(unknown);
      expect(await snap(f, [unknown])).to.deep.equal(before);
    });

    for (const persona of ORGANISATIONS.filter((p) => p !== "manufacturer")) {
      it(`test_recordStep_by_${persona}_revertsNotHolder`, async () => {
        const f = await shipped();
        const before = await snap(f);
        await expect(f.pr.connect(f[persona]).recordStep(f.coldId, packStep(await stepAt(GLN.plant))))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotHolder")
          .withArgs(f.coldId, f[persona].address);
        expect(await snap(f)).to.deep.equal(before);
      });
    }

    it("test_recordStep_by_manufacturer2_revertsNotHolder", async () => {
      const f = await shipped();
      const word = packStep(await stepAt(GLN.plant2));
      await unchanged(f, [f.plainId, f.coldId], async () => {
        await expect(f.pr.connect(f.manufacturer2).recordStep(f.coldId, word))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotHolder")
          .withArgs(f.coldId, f.manufacturer2.address);
      });
    });

    for (const persona of NON_ORGANISATIONS) {
      it(`test_recordStep_by_${persona}_revertsNotActive`, async () => {
        const f = await shipped();
        const before = await snap(f);
        await expect(f.pr.connect(f[persona]).recordStep(f.coldId, packStep(await stepAt(GLN.plant))))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotActive")
          .withArgs(f[persona].address);
        expect(await snap(f)).to.deep.equal(before);
      });
    }

    it("test_recordStep_suspendedHolder_revertsNotActiveUntilRestored", async () => {
      const f = await shipped();
      await handOver(f, f.coldId, f.manufacturer, f.carrier);
      await f.authority.connect(f.regulator).suspend(f.carrier.address);
      const word = packStep(await stepAt(GLN.carrierHub, { temperature: 100 })); // would be an excursion
      const before = await snap(f);
      await expect(f.pr.connect(f.carrier).recordStep(f.coldId, word))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotActive")
        .withArgs(f.carrier.address);
      expect(await snap(f)).to.deep.equal(before);
      await f.authority.connect(f.regulator).restore(f.carrier.address);
      await expect(f.pr.connect(f.carrier).recordStep(f.coldId, word))
        .to.emit(f.pr, "CustodyStepRecorded")
        .withArgs(f.coldId, f.carrier.address, word);
    });

    it("test_recordStep_holderWithoutSupplyRole_stillRecords", async () => {
      // Recording needs an active holder, not a role: a manufacturer whose role was revoked keeps its custody.
      const f = await shipped();
      await f.authority.connect(f.regulator).revokeRole(MANUFACTURER_ROLE, f.manufacturer.address);
      const word = packStep(await stepAt(GLN.plant));
      await expect(f.pr.connect(f.manufacturer).recordStep(f.plainId, word))
        .to.emit(f.pr, "CustodyStepRecorded")
        .withArgs(f.plainId, f.manufacturer.address, word);
    });
  });

  describe("cold chain", () => {
    for (const [label, temperature] of [
      ["AtMinimum", 200],
      ["AtMaximum", 800],
      ["InsideRange", 450],
    ] as const) {
      it(`test_recordStep_reading${label}_noExcursion`, async () => {
        const f = await shipped();
        const before = await snap(f);
        const word = packStep(await stepAt(GLN.plant, { bizStep: BizStep.SensorReporting, temperature }));
        await expect(f.pr.connect(f.manufacturer).recordStep(f.coldId, word))
          .to.emit(f.pr, "CustodyStepRecorded")
          .withArgs(f.coldId, f.manufacturer.address, word)
          .and.not.to.emit(f.pr, "ColdChainExcursion");
        expect(await snap(f)).to.deep.equal(before);
        expect(await f.vr.lotState(LOT.released)).to.equal(BigInt(LotState.Active));
      });
    }

    for (const [label, temperature] of [
      ["OneBelowMinimum", 199],
      ["OneAboveMaximum", 801],
      ["FarBelowMinimum", -32768],
      ["FarAboveMaximum", 32767],
    ] as const) {
      it(`test_recordStep_reading${label}_excursionMakesShipmentAndLotNonConformant`, async () => {
        const f = await shipped();
        const word = packStep(await stepAt(GLN.plant, { bizStep: BizStep.SensorReporting, temperature }));
        await expect(f.pr.connect(f.manufacturer).recordStep(f.coldId, word))
          .to.emit(f.pr, "CustodyStepRecorded")
          .withArgs(f.coldId, f.manufacturer.address, word)
          .and.to.emit(f.pr, "ColdChainExcursion")
          .withArgs(f.coldId, LOT.released, temperature)
          .and.to.emit(f.vr, "LotNonConformant")
          .withArgs(LOT.released, await f.pr.getAddress(), COLD_CHAIN_FAILURE, f.coldId)
          .and.not.to.emit(f.pr, "VaccineLotReportFailed");
        const s = await f.pr.shipmentOf(f.coldId);
        expect(s.nonConformant).to.equal(true);
        expect(s.holder).to.equal(f.manufacturer.address);
        expect(await f.vr.lotState(LOT.released)).to.equal(BigInt(LotState.NonConformant));
        // Other lots untouched.
        expect(await f.vr.lotState(LOT.released2)).to.equal(BigInt(LotState.Active));
      });
    }

    it("test_recordStep_excursion_lotNoLongerUsableForDoses", async () => {
      const f = await shipped();
      await expect(f.vr.connect(f.clinic).recordDose(LOT.released, f.citizen.address, 1, XUHUI)).to.emit(f.vr, "DoseRecorded");
      await f.pr.connect(f.manufacturer).recordStep(f.coldId, packStep(await stepAt(GLN.plant, { temperature: 1200 })));
      await unchanged(f, [f.plainId, f.coldId], async () => {
        await expect(f.vr.connect(f.clinic).recordDose(LOT.released, f.citizen2.address, 1, XUHUI))
          .to.be.revertedWithCustomError(f.vr, "VaccineRegistryLotNotUsable")
          .withArgs(LOT.released, LotState.NonConformant);
        await expect(f.vr.connect(f.hospital).recordDose(LOT.released, f.citizen2.address, 1, XUHUI))
          .to.be.revertedWithCustomError(f.vr, "VaccineRegistryLotNotUsable")
          .withArgs(LOT.released, LotState.NonConformant);
      });
      expect((await f.vr.lotOf(LOT.released)).dosesRecorded).to.equal(1n);
    });

    it("test_recordStep_nonConformantStaysAfterInRangeReadings", async () => {
      const f = await shipped();
      await f.pr.connect(f.manufacturer).recordStep(f.coldId, packStep(await stepAt(GLN.plant, { temperature: 900 })));
      for (const temperature of [200, 500, 800]) {
        await expect(f.pr.connect(f.manufacturer).recordStep(f.coldId, packStep(await stepAt(GLN.plant, { temperature }))))
          .not.to.emit(f.pr, "ColdChainExcursion");
        expect((await f.pr.shipmentOf(f.coldId)).nonConformant).to.equal(true);
      }
      // Also after a hand-over and an active-disposition step by the next holder.
      await handOver(f, f.coldId, f.manufacturer, f.carrier);
      await f.pr.connect(f.carrier).recordStep(f.coldId, packStep(await stepAt(GLN.carrierHub, { disposition: Disposition.Active })));
      expect((await f.pr.shipmentOf(f.coldId)).nonConformant).to.equal(true);
      expect(await f.vr.lotState(LOT.released)).to.equal(BigInt(LotState.NonConformant));
    });

    it("test_recordStep_secondExcursion_reportedAgain", async () => {
      const f = await shipped();
      await f.pr.connect(f.manufacturer).recordStep(f.coldId, packStep(await stepAt(GLN.plant, { temperature: 900 })));
      await expect(f.pr.connect(f.manufacturer).recordStep(f.coldId, packStep(await stepAt(GLN.plant, { temperature: 100 }))))
        .to.emit(f.pr, "ColdChainExcursion")
        .withArgs(f.coldId, LOT.released, 100)
        .and.to.emit(f.vr, "LotNonConformant")
        .withArgs(LOT.released, await f.pr.getAddress(), COLD_CHAIN_FAILURE, f.coldId);
      expect(await f.vr.lotState(LOT.released)).to.equal(BigInt(LotState.NonConformant));
    });

    it("test_recordStep_nonConformantDisposition_setsFlagWithoutExcursion", async () => {
      const f = await shipped();
      const word = packStep(await stepAt(GLN.plant, { bizStep: BizStep.Inspecting, disposition: Disposition.NonConformant }));
      await expect(f.pr.connect(f.manufacturer).recordStep(f.plainId, word))
        .to.emit(f.pr, "CustodyStepRecorded")
        .withArgs(f.plainId, f.manufacturer.address, word)
        .and.not.to.emit(f.pr, "ColdChainExcursion");
      expect((await f.pr.shipmentOf(f.plainId)).nonConformant).to.equal(true);
      // Only the flag changed; repeating the step keeps it.
      await f.pr.connect(f.manufacturer).recordStep(f.plainId, word);
      expect(await shipmentTuple(f.pr, f.plainId)).to.deep.equal([
        f.manufacturer.address,
        false,
        true,
        false,
        0n,
        0n,
        0n,
        ZeroAddress,
        false,
      ]);
    });

    it("test_recordStep_nonConformantDispositionOnVaccineShipment_flagsShipmentOnly", async () => {
      // Only a temperature excursion is passed on to the vaccine registry (see the report).
      const f = await shipped();
      const word = packStep(await stepAt(GLN.plant, { bizStep: BizStep.Inspecting, disposition: Disposition.NonConformant, temperature: 500 }));
      await expect(f.pr.connect(f.manufacturer).recordStep(f.coldId, word))
        .to.emit(f.pr, "CustodyStepRecorded")
        .and.not.to.emit(f.vr, "LotNonConformant");
      expect((await f.pr.shipmentOf(f.coldId)).nonConformant).to.equal(true);
      expect(await f.vr.lotState(LOT.released)).to.equal(BigInt(LotState.Active));
    });

    it("test_recordStep_noTemperatureOnColdChain_noCheck", async () => {
      const f = await shipped();
      const before = await snap(f);
      await expect(f.pr.connect(f.manufacturer).recordStep(f.coldId, packStep(await stepAt(GLN.plant))))
        .to.emit(f.pr, "CustodyStepRecorded")
        .and.not.to.emit(f.pr, "ColdChainExcursion");
      expect(await snap(f)).to.deep.equal(before);
    });

    it("test_recordStep_coldChainFalse_extremeReadingsNoCheck", async () => {
      const f = await shipped();
      const before = await snap(f);
      for (const temperature of [-32768, -1, 0, 32767]) {
        await expect(f.pr.connect(f.manufacturer).recordStep(f.plainId, packStep(await stepAt(GLN.plant, { temperature }))))
          .to.emit(f.pr, "CustodyStepRecorded")
          .and.not.to.emit(f.pr, "ColdChainExcursion");
      }
      expect(await snap(f)).to.deep.equal(before);
    });

    it("test_recordStep_coldChainFalseWithRangeGiven_noCheck", async () => {
      const f = await shipped();
      const p = plainShipment({ serial: "RANGE-IGNORED", coldChain: false, minTempCentiC: 200n, maxTempCentiC: 800n });
      await f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(p));
      await expect(f.pr.connect(f.manufacturer).recordStep(idOf(p), packStep(await stepAt(GLN.plant, { temperature: 3000 }))))
        .not.to.emit(f.pr, "ColdChainExcursion");
      expect((await f.pr.shipmentOf(idOf(p))).nonConformant).to.equal(false);
    });

    it("test_recordStep_excursionWithoutVaccineLot_reportsLotZeroAndCallsNoRegistry", async () => {
      const f = await shipped();
      const frozen = plainShipment({ serial: "FROZEN-1", coldChain: true, minTempCentiC: -2500n, maxTempCentiC: -1500n });
      await f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(frozen));
      const id = idOf(frozen);
      await expect(f.pr.connect(f.manufacturer).recordStep(id, packStep(await stepAt(GLN.plant, { temperature: -1600 }))))
        .not.to.emit(f.pr, "ColdChainExcursion");
      const before = await snap(f);
      await expect(f.pr.connect(f.manufacturer).recordStep(id, packStep(await stepAt(GLN.plant, { temperature: -1499 }))))
        .to.emit(f.pr, "ColdChainExcursion")
        .withArgs(id, 0n, -1499)
        .and.not.to.emit(f.vr, "LotNonConformant")
        .and.not.to.emit(f.pr, "VaccineLotReportFailed");
      expect(await snap(f)).to.deep.equal(before); // the lots (and the two fixture shipments) are unchanged
      expect((await f.pr.shipmentOf(id)).nonConformant).to.equal(true);
    });

    it("test_recordStep_excursionReportRefused_emitsVaccineLotReportFailedAndKeepsStep", async () => {
      const f = await shipped();
      await f.vr.connect(f.regulator).setColdChainReporter(ZeroAddress);
      const word = packStep(await stepAt(GLN.plant, { temperature: 1500 }));
      await expect(f.pr.connect(f.manufacturer).recordStep(f.coldId, word))
        .to.emit(f.pr, "CustodyStepRecorded")
        .withArgs(f.coldId, f.manufacturer.address, word)
        .and.to.emit(f.pr, "ColdChainExcursion")
        .withArgs(f.coldId, LOT.released, 1500)
        .and.to.emit(f.pr, "VaccineLotReportFailed")
        .withArgs(f.coldId, LOT.released)
        .and.not.to.emit(f.vr, "LotNonConformant");
      expect((await f.pr.shipmentOf(f.coldId)).nonConformant).to.equal(true);
      // The regulator must quarantine the lot by hand.
      expect(await f.vr.lotState(LOT.released)).to.equal(BigInt(LotState.Active));
    });

    it("test_recordStep_excursionReporterIsAnotherContract_emitsVaccineLotReportFailed", async () => {
      const f = await shipped();
      await f.vr.connect(f.regulator).setColdChainReporter(f.outsider.address);
      await expect(f.pr.connect(f.manufacturer).recordStep(f.coldId, packStep(await stepAt(GLN.plant, { temperature: 100 }))))
        .to.emit(f.pr, "VaccineLotReportFailed")
        .withArgs(f.coldId, LOT.released);
      expect(await f.vr.lotState(LOT.released)).to.equal(BigInt(LotState.Active));
    });

    it("test_recordStep_excursionOnRecalledLot_lotStaysRecalled", async () => {
      const f = await shipped();
      await f.vr.connect(f.regulator).recallLot(LOT.released, 0);
      await expect(f.pr.connect(f.manufacturer).recordStep(f.coldId, packStep(await stepAt(GLN.plant, { temperature: 100 }))))
        .to.emit(f.pr, "ColdChainExcursion")
        .and.to.emit(f.vr, "LotNonConformant")
        .withArgs(LOT.released, await f.pr.getAddress(), COLD_CHAIN_FAILURE, f.coldId)
        .and.not.to.emit(f.pr, "VaccineLotReportFailed");
      expect(await f.vr.lotState(LOT.released)).to.equal(BigInt(LotState.Recalled));
      expect((await f.pr.shipmentOf(f.coldId)).nonConformant).to.equal(true);
    });

    it("test_recordStep_excursionOnPendingLot_lotBecomesNonConformant", async () => {
      const f = await shipped();
      const p = vaccineShipment(LOT.pending, { lotNumber: "SIBP-2022-0413" });
      await f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(p));
      await f.pr.connect(f.manufacturer).recordStep(idOf(p), packStep(await stepAt(GLN.plant, { temperature: 900 })));
      expect(await f.vr.lotState(LOT.pending)).to.equal(BigInt(LotState.NonConformant));
      await unchanged(f, [f.plainId, f.coldId, idOf(p)], async () => {
        await expect(f.vr.connect(f.lab).attestLot(LOT.pending))
          .to.be.revertedWithCustomError(f.vr, "VaccineRegistryLotNotPending")
          .withArgs(LOT.pending, LotState.NonConformant);
      });
    });

    it("test_recordStep_excursionByLaterHolder_reportedWithRecorder", async () => {
      const f = await shipped();
      await handOver(f, f.coldId, f.manufacturer, f.carrier);
      const word = packStep(await stepAt(GLN.carrierHub, { bizStep: BizStep.Transporting, temperature: 950 }));
      await expect(f.pr.connect(f.carrier).recordStep(f.coldId, word))
        .to.emit(f.pr, "CustodyStepRecorded")
        .withArgs(f.coldId, f.carrier.address, word)
        .and.to.emit(f.pr, "ColdChainExcursion")
        .withArgs(f.coldId, LOT.released, 950);
      expect(await f.vr.lotState(LOT.released)).to.equal(BigInt(LotState.NonConformant));
    });

    it("test_recordStep_negativeRangeBoundaries", async () => {
      const f = await shipped();
      const frozen = plainShipment({ serial: "FROZEN-2", coldChain: true, minTempCentiC: -2500n, maxTempCentiC: -1500n });
      await f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(frozen));
      const id = idOf(frozen);
      for (const temperature of [-2500, -1500]) {
        await expect(f.pr.connect(f.manufacturer).recordStep(id, packStep(await stepAt(GLN.plant, { temperature })))).not.to.emit(
          f.pr,
          "ColdChainExcursion",
        );
      }
      await expect(f.pr.connect(f.manufacturer).recordStep(id, packStep(await stepAt(GLN.plant, { temperature: -2501 }))))
        .to.emit(f.pr, "ColdChainExcursion")
        .withArgs(id, 0n, -2501);
    });
  });

  describe("recordSteps", () => {
    it("test_recordSteps_100StepsOn100Shipments_allRecorded", async () => {
      const f = await hundred();
      const t = await nowBig();
      const inputs = f.ids.map((id, i) =>
        stepInput(id, { bizStep: BizStep.Shipping, disposition: Disposition.InTransit, readPoint: GLN.plant, eventTime: t, temperature: 300 + i }),
      );
      const receipt = await (await f.pr.connect(f.manufacturer).recordSteps(inputs)).wait();
      const logs = (receipt?.logs ?? []).map((l) => f.pr.interface.parseLog(l));
      expect(logs.map((l) => l?.name)).to.deep.equal(Array(100).fill("CustodyStepRecorded"));
      expect(logs.map((l) => [l?.args.shipmentId, l?.args.recorder, l?.args.step])).to.deep.equal(
        inputs.map((s) => [s.shipmentId, f.manufacturer.address, s.step]),
      );
      for (const id of [f.ids[0], f.ids[99]]) expect((await f.pr.shipmentOf(id)).nonConformant).to.equal(false);
    });

    it("test_recordSteps_sameShipmentSeveralTimes_recordedInOrder", async () => {
      const f = await shipped();
      const t = await nowBig();
      const steps: Step[] = [
        { bizStep: BizStep.Commissioning, disposition: Disposition.Active, readPoint: GLN.plant, eventTime: t - 3n },
        { bizStep: BizStep.Packing, disposition: Disposition.InProgress, readPoint: GLN.plant, eventTime: t - 2n, temperature: 450 },
        { bizStep: BizStep.Loading, disposition: Disposition.InProgress, readPoint: GLN.plant, eventTime: t - 1n, temperature: 500 },
      ];
      const inputs = [
        stepInput(f.coldId, steps[0]),
        stepInput(f.plainId, steps[0]),
        stepInput(f.coldId, steps[1]),
        stepInput(f.coldId, steps[2]),
      ];
      const receipt = await (await f.pr.connect(f.manufacturer).recordSteps(inputs)).wait();
      const logs = (receipt?.logs ?? []).map((l) => f.pr.interface.parseLog(l));
      expect(logs.map((l) => [l?.name, l?.args.shipmentId, l?.args.step])).to.deep.equal(
        inputs.map((s) => ["CustodyStepRecorded", s.shipmentId, s.step]),
      );
    });

    it("test_recordSteps_500Steps_accepted", async () => {
      const f = await shipped();
      const word = packStep(await stepAt(GLN.plant, { bizStep: BizStep.SensorReporting, temperature: 500 }));
      const inputs = Array.from({ length: MAX_BATCH_STEPS }, (_, i) => stepInput(i % 2 === 0 ? f.coldId : f.plainId, word));
      const receipt = await (await f.pr.connect(f.manufacturer).recordSteps(inputs)).wait();
      expect(receipt?.logs).to.have.length(MAX_BATCH_STEPS);
    });

    for (const size of [0, MAX_BATCH_STEPS + 1]) {
      it(`test_recordSteps_size${size}_revertsInvalidBatchSize`, async () => {
        const f = await shipped();
        const word = packStep(await stepAt(GLN.plant));
        const inputs = Array.from({ length: size }, () => stepInput(f.plainId, word));
        const before = await snap(f);
        const events = await stepEventCount(f);
        await expect(f.pr.connect(f.manufacturer).recordSteps(inputs))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryInvalidBatchSize")
          .withArgs(size);
        expect(await snap(f)).to.deep.equal(before);
        expect(await stepEventCount(f)).to.equal(events);
      });
    }

    it("test_recordSteps_sizeCheckedBeforeActivity", async () => {
      const f = await shipped();
      await unchanged(f, [f.plainId, f.coldId], async () => {
        await expect(f.pr.connect(f.outsider).recordSteps([]))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryInvalidBatchSize")
          .withArgs(0);
      });
    });

    for (const persona of NON_ORGANISATIONS) {
      it(`test_recordSteps_by_${persona}_revertsNotActive`, async () => {
        const f = await shipped();
        const before = await snap(f);
        await expect(f.pr.connect(f[persona]).recordSteps([stepInput(f.coldId, await stepAt(GLN.plant))]))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotActive")
          .withArgs(f[persona].address);
        expect(await snap(f)).to.deep.equal(before);
      });
    }

    it("test_recordSteps_suspendedHolder_revertsNotActive", async () => {
      const f = await shipped();
      await f.authority.connect(f.regulator).suspend(f.manufacturer.address);
      const inputs = [stepInput(f.coldId, await stepAt(GLN.plant, { temperature: 100 }))];
      await unchanged(f, [f.plainId, f.coldId], async () => {
        await expect(f.pr.connect(f.manufacturer).recordSteps(inputs))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotActive")
          .withArgs(f.manufacturer.address);
      });
    });

    it("test_recordSteps_oneMalformedStepLast_revertsWholeBatchNothingEmitted", async () => {
      const f = await shipped();
      const good = await stepAt(GLN.plant, { temperature: 100 }); // an excursion, which must be undone too
      const bad = malformedStep(good, { disposition: 12n });
      const inputs = [stepInput(f.coldId, good), stepInput(f.plainId, good), stepInput(f.plainId, bad)];
      const before = await snap(f);
      const events = await stepEventCount(f);
      const excursions = (await f.pr.queryFilter(f.pr.filters.ColdChainExcursion())).length;
      await expect(f.pr.connect(f.manufacturer).recordSteps(inputs))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryInvalidStep")
        .withArgs(f.plainId, bad);
      expect(await snap(f)).to.deep.equal(before);
      expect(await stepEventCount(f)).to.equal(events);
      expect((await f.pr.queryFilter(f.pr.filters.ColdChainExcursion())).length).to.equal(excursions);
      expect(await f.vr.lotState(LOT.released)).to.equal(BigInt(LotState.Active));
    });

    it("test_recordSteps_stepOfShipmentHeldByAnother_revertsWholeBatch", async () => {
      const f = await shipped();
      await handOver(f, f.plainId, f.manufacturer, f.carrier);
      const good = await stepAt(GLN.plant);
      const before = await snap(f);
      const events = await stepEventCount(f);
      await expect(f.pr.connect(f.manufacturer).recordSteps([stepInput(f.coldId, good), stepInput(f.plainId, good)]))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotHolder")
        .withArgs(f.plainId, f.manufacturer.address);
      expect(await snap(f)).to.deep.equal(before);
      expect(await stepEventCount(f)).to.equal(events);
    });

    it("test_recordSteps_unknownShipmentInBatch_revertsUnknownShipment", async () => {
      const f = await shipped();
      const unknown = shipmentIdOf(GTIN_MASKS, "MASK-2022-04", "SSCC-999999");
      const good = await stepAt(GLN.plant);
      const before = await snap(f, [unknown]);
      await expect(f.pr.connect(f.manufacturer).recordSteps([stepInput(f.plainId, good), stepInput(unknown, good)]))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryUnknownShipment")
        .withArgs(unknown);
      expect(await snap(f, [unknown])).to.deep.equal(before);
    });

    it("test_recordSteps_excursionInsideBatch_flagsAndReports", async () => {
      const f = await shipped();
      const t = await nowBig();
      const inputs = [
        stepInput(f.coldId, { bizStep: BizStep.Transporting, disposition: Disposition.InTransit, readPoint: GLN.plant, eventTime: t, temperature: 500 }),
        stepInput(f.coldId, { bizStep: BizStep.Transporting, disposition: Disposition.InTransit, readPoint: GLN.plant, eventTime: t, temperature: 850 }),
        stepInput(f.plainId, { bizStep: BizStep.Transporting, disposition: Disposition.NonConformant, readPoint: GLN.plant, eventTime: t }),
        stepInput(f.coldId, { bizStep: BizStep.Transporting, disposition: Disposition.InTransit, readPoint: GLN.plant, eventTime: t, temperature: 500 }),
      ];
      await expect(f.pr.connect(f.manufacturer).recordSteps(inputs))
        .to.emit(f.pr, "ColdChainExcursion")
        .withArgs(f.coldId, LOT.released, 850)
        .and.to.emit(f.vr, "LotNonConformant")
        .withArgs(LOT.released, await f.pr.getAddress(), COLD_CHAIN_FAILURE, f.coldId);
      expect((await f.pr.shipmentOf(f.coldId)).nonConformant).to.equal(true);
      expect((await f.pr.shipmentOf(f.plainId)).nonConformant).to.equal(true);
      expect(await f.vr.lotState(LOT.released)).to.equal(BigInt(LotState.NonConformant));
    });
  });

  describe("proposeHandover", () => {
    it("test_proposeHandover_holderProposes_storesPendingAndEmits", async () => {
      const f = await shipped();
      await expect(f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, false))
        .to.emit(f.pr, "HandoverProposed")
        .withArgs(f.coldId, f.manufacturer.address, f.carrier.address, false);
      const s = await f.pr.shipmentOf(f.coldId);
      expect([s.holder, s.pendingReceiver, s.pendingFinal, s.delivered]).to.deep.equal([
        f.manufacturer.address,
        f.carrier.address,
        false,
        false,
      ]);
    });

    it("test_proposeHandover_replacesPendingProposal", async () => {
      const f = await shipped();
      await f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, false);
      await expect(f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.hospital.address, true))
        .to.emit(f.pr, "HandoverProposed")
        .withArgs(f.coldId, f.manufacturer.address, f.hospital.address, true);
      const s = await f.pr.shipmentOf(f.coldId);
      expect([s.pendingReceiver, s.pendingFinal]).to.deep.equal([f.hospital.address, true]);
      await unchanged(f, [f.plainId, f.coldId], async () => {
        await expect(f.pr.connect(f.carrier).acceptHandover(f.coldId))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotPendingReceiver")
          .withArgs(f.coldId, f.carrier.address);
      });
      // Back to a non-final proposal to the same receiver.
      await f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.hospital.address, false);
      expect((await f.pr.shipmentOf(f.coldId)).pendingFinal).to.equal(false);
    });

    it("test_proposeHandover_anyActiveOrganisationMayBeProposed", async () => {
      const f = await shipped();
      for (const persona of ORGANISATIONS.filter((p) => p !== "manufacturer")) {
        await expect(f.pr.connect(f.manufacturer).proposeHandover(f.plainId, f[persona].address, false))
          .to.emit(f.pr, "HandoverProposed")
          .withArgs(f.plainId, f.manufacturer.address, f[persona].address, false);
      }
    });

    it("test_proposeHandover_holderMayStillRecordWhilePending", async () => {
      const f = await shipped();
      await f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, false);
      await expect(f.pr.connect(f.manufacturer).recordStep(f.coldId, packStep(await stepAt(GLN.plant)))).to.emit(f.pr, "CustodyStepRecorded");
      const word = packStep(await stepAt(GLN.carrierHub));
      await unchanged(f, [f.plainId, f.coldId], async () => {
        await expect(f.pr.connect(f.carrier).recordStep(f.coldId, word))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotHolder")
          .withArgs(f.coldId, f.carrier.address);
      });
    });

    for (const persona of ORGANISATIONS.filter((p) => p !== "manufacturer")) {
      it(`test_proposeHandover_by_${persona}_revertsNotHolder`, async () => {
        const f = await shipped();
        const before = await snap(f);
        const receiver = persona === "carrier" ? f.warehouse : f.carrier;
        await expect(f.pr.connect(f[persona]).proposeHandover(f.coldId, receiver.address, false))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotHolder")
          .withArgs(f.coldId, f[persona].address);
        expect(await snap(f)).to.deep.equal(before);
      });
    }

    for (const persona of NON_ORGANISATIONS) {
      it(`test_proposeHandover_by_${persona}_revertsNotActive`, async () => {
        const f = await shipped();
        const before = await snap(f);
        await expect(f.pr.connect(f[persona]).proposeHandover(f.coldId, f.carrier.address, false))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotActive")
          .withArgs(f[persona].address);
        expect(await snap(f)).to.deep.equal(before);
      });
    }

    it("test_proposeHandover_suspendedHolder_revertsNotActive", async () => {
      const f = await shipped();
      await f.authority.connect(f.regulator).suspend(f.manufacturer.address);
      const before = await snap(f);
      await expect(f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, false))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotActive")
        .withArgs(f.manufacturer.address);
      expect(await snap(f)).to.deep.equal(before);
    });

    it("test_proposeHandover_unknownShipment_revertsUnknownShipment", async () => {
      const f = await shipped();
      const unknown = shipmentIdOf(GTIN_MASKS, "MASK-2022-04", "SSCC-999999");
      const before = await snap(f, [unknown]);
      await expect(f.pr.connect(f.manufacturer).proposeHandover(unknown, f.carrier.address, false))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryUnknownShipment")
        .withArgs(unknown);
      expect(await snap(f, [unknown])).to.deep.equal(before);
    });

    for (const [label, receiver] of [
      ["Self", (f: ShipmentsFixture) => f.manufacturer.address],
      ["Citizen", (f: ShipmentsFixture) => f.citizen.address],
      ["Admin", (f: ShipmentsFixture) => f.admin.address],
      ["ZeroAddress", () => ZeroAddress],
      ["ProvenanceRegistryItself", () => "registry"],
    ] as const) {
      it(`test_proposeHandover_receiver${label}_revertsInvalidReceiver`, async () => {
        const f = await shipped();
        const r = receiver(f);
        const address = r === "registry" ? await f.pr.getAddress() : r;
        const before = await snap(f);
        await expect(f.pr.connect(f.manufacturer).proposeHandover(f.coldId, address, false))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryInvalidReceiver")
          .withArgs(address);
        expect(await snap(f)).to.deep.equal(before);
      });
    }

    it("test_proposeHandover_suspendedReceiver_revertsInvalidReceiver", async () => {
      const f = await shipped();
      await f.authority.connect(f.regulator).suspend(f.carrier.address);
      const before = await snap(f);
      await expect(f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, true))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryInvalidReceiver")
        .withArgs(f.carrier.address);
      expect(await snap(f)).to.deep.equal(before);
    });

    it("test_proposeHandover_invalidReceiverKeepsEarlierProposal", async () => {
      const f = await shipped();
      await f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, false);
      const before = await snap(f);
      await expect(f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.citizen.address, false))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryInvalidReceiver")
        .withArgs(f.citizen.address);
      expect(await snap(f)).to.deep.equal(before);
      expect((await f.pr.shipmentOf(f.coldId)).pendingReceiver).to.equal(f.carrier.address);
    });

    it("test_proposeHandover_afterFinalDelivery_revertsShipmentDelivered", async () => {
      const f = await delivered();
      const before = await snap(f);
      for (const [receiver, isFinal] of [
        [f.clinic, false],
        [f.clinic, true],
        [f.carrier, false],
      ] as const) {
        await expect(f.pr.connect(f.hospital).proposeHandover(f.coldId, receiver.address, isFinal))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryShipmentDelivered")
          .withArgs(f.coldId);
      }
      // Delivery is checked before the receiver.
      await expect(f.pr.connect(f.hospital).proposeHandover(f.coldId, f.hospital.address, false))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryShipmentDelivered")
        .withArgs(f.coldId);
      expect(await snap(f)).to.deep.equal(before);
    });

    it("test_proposeHandover_formerHolderAfterDelivery_revertsNotHolder", async () => {
      const f = await delivered();
      await unchanged(f, [f.plainId, f.coldId], async () => {
        for (const former of [f.manufacturer, f.carrier]) {
          await expect(f.pr.connect(former).proposeHandover(f.coldId, f.clinic.address, false))
            .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotHolder")
            .withArgs(f.coldId, former.address);
        }
      });
    });
  });

  describe("acceptHandover", () => {
    it("test_acceptHandover_receiverAccepts_custodyMovesAndPendingCleared", async () => {
      const f = await shipped();
      await f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, false);
      await expect(f.pr.connect(f.carrier).acceptHandover(f.coldId))
        .to.emit(f.pr, "HandoverAccepted")
        .withArgs(f.coldId, f.manufacturer.address, f.carrier.address, false);
      expect(await shipmentTuple(f.pr, f.coldId)).to.deep.equal([
        f.carrier.address,
        true,
        false,
        false,
        200n,
        800n,
        LOT.released,
        ZeroAddress,
        false,
      ]);
    });

    it("test_acceptHandover_newHolderRecordsFormerHolderCannot", async () => {
      const f = await shipped();
      await handOver(f, f.coldId, f.manufacturer, f.carrier);
      const word = packStep(await stepAt(GLN.carrierHub, { bizStep: BizStep.Transporting, temperature: 500 }));
      await expect(f.pr.connect(f.carrier).recordStep(f.coldId, word))
        .to.emit(f.pr, "CustodyStepRecorded")
        .withArgs(f.coldId, f.carrier.address, word);
      await unchanged(f, [f.plainId, f.coldId], async () => {
        await expect(f.pr.connect(f.manufacturer).recordStep(f.coldId, word))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotHolder")
          .withArgs(f.coldId, f.manufacturer.address);
        await expect(f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.warehouse.address, false))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotHolder")
          .withArgs(f.coldId, f.manufacturer.address);
      });
    });

    it("test_acceptHandover_finalAccept_delivered", async () => {
      const f = await shipped();
      await handOver(f, f.coldId, f.manufacturer, f.carrier);
      await f.pr.connect(f.carrier).proposeHandover(f.coldId, f.hospital.address, true);
      expect((await f.pr.shipmentOf(f.coldId)).pendingFinal).to.equal(true);
      await expect(f.pr.connect(f.hospital).acceptHandover(f.coldId))
        .to.emit(f.pr, "HandoverAccepted")
        .withArgs(f.coldId, f.carrier.address, f.hospital.address, true);
      expect(await shipmentTuple(f.pr, f.coldId)).to.deep.equal([
        f.hospital.address,
        true,
        false,
        true,
        200n,
        800n,
        LOT.released,
        ZeroAddress,
        false,
      ]);
    });

    it("test_acceptHandover_afterDelivery_finalHolderStillRecordsFormerHoldersCannot", async () => {
      const f = await delivered();
      const word = packStep(await stepAt(GLN.hospital, { bizStep: BizStep.Dispensing, disposition: Disposition.Dispensed, temperature: 400 }));
      await expect(f.pr.connect(f.hospital).recordStep(f.coldId, word))
        .to.emit(f.pr, "CustodyStepRecorded")
        .withArgs(f.coldId, f.hospital.address, word);
      await expect(f.pr.connect(f.hospital).recordSteps([stepInput(f.coldId, word)])).to.emit(f.pr, "CustodyStepRecorded");
      await unchanged(f, [f.plainId, f.coldId], async () => {
        for (const former of [f.manufacturer, f.carrier]) {
          await expect(f.pr.connect(former).recordStep(f.coldId, word))
            .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotHolder")
            .withArgs(f.coldId, former.address);
        }
      });
      // Still subject to the cold chain after delivery.
      await expect(f.pr.connect(f.hospital).recordStep(f.coldId, packStep(await stepAt(GLN.hospital, { temperature: 1000 }))))
        .to.emit(f.pr, "ColdChainExcursion")
        .withArgs(f.coldId, LOT.released, 1000);
      const s = await f.pr.shipmentOf(f.coldId);
      expect([s.holder, s.delivered, s.nonConformant]).to.deep.equal([f.hospital.address, true, true]);
    });

    it("test_acceptHandover_receiverMayHandBackToFormerHolder", async () => {
      const f = await shipped();
      await handOver(f, f.coldId, f.manufacturer, f.carrier);
      await handOver(f, f.coldId, f.carrier, f.manufacturer);
      expect((await f.pr.shipmentOf(f.coldId)).holder).to.equal(f.manufacturer.address);
    });

    for (const persona of ALL_PERSONAS.filter((p) => p !== "carrier")) {
      it(`test_acceptHandover_by_${persona}_revertsNotPendingReceiver`, async () => {
        const f = await shipped();
        await f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, false);
        const before = await snap(f);
        await expect(f.pr.connect(f[persona]).acceptHandover(f.coldId))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotPendingReceiver")
          .withArgs(f.coldId, f[persona].address);
        expect(await snap(f)).to.deep.equal(before);
      });
    }

    it("test_acceptHandover_noPendingProposal_revertsNotPendingReceiver", async () => {
      const f = await shipped();
      const before = await snap(f);
      await expect(f.pr.connect(f.carrier).acceptHandover(f.coldId))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotPendingReceiver")
        .withArgs(f.coldId, f.carrier.address);
      expect(await snap(f)).to.deep.equal(before);
    });

    it("test_acceptHandover_twice_secondRevertsNotPendingReceiver", async () => {
      const f = await shipped();
      await handOver(f, f.coldId, f.manufacturer, f.carrier);
      const before = await snap(f);
      await expect(f.pr.connect(f.carrier).acceptHandover(f.coldId))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotPendingReceiver")
        .withArgs(f.coldId, f.carrier.address);
      expect(await snap(f)).to.deep.equal(before);
    });

    it("test_acceptHandover_unknownShipment_revertsUnknownShipment", async () => {
      const f = await shipped();
      const unknown = shipmentIdOf(GTIN_MASKS, "MASK-2022-04", "SSCC-999999");
      const before = await snap(f, [unknown]);
      await expect(f.pr.connect(f.carrier).acceptHandover(unknown))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryUnknownShipment")
        .withArgs(unknown);
      expect(await snap(f, [unknown])).to.deep.equal(before);
    });

    it("test_acceptHandover_receiverSuspendedAfterProposal_revertsNotActiveUntilRestored", async () => {
      const f = await shipped();
      await f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, false);
      await f.authority.connect(f.regulator).suspend(f.carrier.address);
      const before = await snap(f);
      await expect(f.pr.connect(f.carrier).acceptHandover(f.coldId))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotActive")
        .withArgs(f.carrier.address);
      expect(await snap(f)).to.deep.equal(before);
      await f.authority.connect(f.regulator).restore(f.carrier.address);
      await expect(f.pr.connect(f.carrier).acceptHandover(f.coldId))
        .to.emit(f.pr, "HandoverAccepted")
        .withArgs(f.coldId, f.manufacturer.address, f.carrier.address, false);
    });

    it("test_acceptHandover_holderSuspendedAfterProposal_receiverStillAccepts", async () => {
      const f = await shipped();
      await f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, false);
      await f.authority.connect(f.regulator).suspend(f.manufacturer.address);
      await expect(f.pr.connect(f.carrier).acceptHandover(f.coldId))
        .to.emit(f.pr, "HandoverAccepted")
        .withArgs(f.coldId, f.manufacturer.address, f.carrier.address, false);
    });
  });

  describe("rejectHandover", () => {
    for (const reason of Object.values(RejectReason)) {
      it(`test_rejectHandover_reason${reason}_custodyStaysAndPendingCleared`, async () => {
        const f = await shipped();
        await f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, true);
        await expect(f.pr.connect(f.carrier).rejectHandover(f.coldId, reason))
          .to.emit(f.pr, "HandoverRejected")
          .withArgs(f.coldId, f.manufacturer.address, f.carrier.address, reason);
        expect(await shipmentTuple(f.pr, f.coldId)).to.deep.equal([
          f.manufacturer.address,
          true,
          false,
          false,
          200n,
          800n,
          LOT.released,
          ZeroAddress,
          false,
        ]);
      });
    }

    it("test_rejectHandover_afterReject_receiverCannotAcceptHolderKeepsCustody", async () => {
      const f = await shipped();
      await f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, false);
      await f.pr.connect(f.carrier).rejectHandover(f.coldId, RejectReason.Damaged);
      await unchanged(f, [f.plainId, f.coldId], async () => {
        await expect(f.pr.connect(f.carrier).acceptHandover(f.coldId))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotPendingReceiver")
          .withArgs(f.coldId, f.carrier.address);
        await expect(f.pr.connect(f.carrier).rejectHandover(f.coldId, RejectReason.Damaged))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotPendingReceiver")
          .withArgs(f.coldId, f.carrier.address);
      });
      await expect(f.pr.connect(f.manufacturer).recordStep(f.coldId, packStep(await stepAt(GLN.plant)))).to.emit(
        f.pr,
        "CustodyStepRecorded",
      );
      // Re-proposed and accepted.
      await handOver(f, f.coldId, f.manufacturer, f.carrier);
      expect((await f.pr.shipmentOf(f.coldId)).holder).to.equal(f.carrier.address);
    });

    for (const reason of [6, 255]) {
      it(`test_rejectHandover_reason${reason}_revertsInvalidReason`, async () => {
        const f = await shipped();
        await f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, false);
        const before = await snap(f);
        await expect(f.pr.connect(f.carrier).rejectHandover(f.coldId, reason))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryInvalidReason")
          .withArgs(reason);
        expect(await snap(f)).to.deep.equal(before);
      });
    }

    it("test_rejectHandover_reasonCheckedBeforeReceiver", async () => {
      const f = await shipped();
      await unchanged(f, [f.plainId, f.coldId], async () => {
        await expect(f.pr.connect(f.outsider).rejectHandover(ZeroHash, 6))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryInvalidReason")
          .withArgs(6);
      });
    });

    for (const persona of ALL_PERSONAS.filter((p) => p !== "carrier")) {
      it(`test_rejectHandover_by_${persona}_revertsNotPendingReceiver`, async () => {
        const f = await shipped();
        await f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, false);
        const before = await snap(f);
        await expect(f.pr.connect(f[persona]).rejectHandover(f.coldId, RejectReason.Other))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotPendingReceiver")
          .withArgs(f.coldId, f[persona].address);
        expect(await snap(f)).to.deep.equal(before);
      });
    }

    it("test_rejectHandover_noPendingProposal_revertsNotPendingReceiver", async () => {
      const f = await shipped();
      await unchanged(f, [f.plainId, f.coldId], async () => {
        await expect(f.pr.connect(f.carrier).rejectHandover(f.coldId, RejectReason.NotExpected))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotPendingReceiver")
          .withArgs(f.coldId, f.carrier.address);
      });
    });

    it("test_rejectHandover_unknownShipment_revertsUnknownShipment", async () => {
      const f = await shipped();
      const unknown = shipmentIdOf(GTIN_MASKS, "MASK-2022-04", "SSCC-999999");
      await unchanged(f, [f.plainId, f.coldId, unknown], async () => {
        await expect(f.pr.connect(f.carrier).rejectHandover(unknown, RejectReason.NotExpected))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryUnknownShipment")
          .withArgs(unknown);
      });
    });

    it("test_rejectHandover_suspendedReceiver_mayStillReject", async () => {
      // Refusing custody needs no accreditation: a suspended receiver can clear a proposal made to it.
      const f = await shipped();
      await f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, false);
      await f.authority.connect(f.regulator).suspend(f.carrier.address);
      await expect(f.pr.connect(f.carrier).rejectHandover(f.coldId, RejectReason.NotExpected))
        .to.emit(f.pr, "HandoverRejected")
        .withArgs(f.coldId, f.manufacturer.address, f.carrier.address, RejectReason.NotExpected);
      expect((await f.pr.shipmentOf(f.coldId)).pendingReceiver).to.equal(ZeroAddress);
    });

    it("test_rejectHandover_finalProposalRejected_notDelivered", async () => {
      const f = await shipped();
      await handOver(f, f.coldId, f.manufacturer, f.carrier);
      await f.pr.connect(f.carrier).proposeHandover(f.coldId, f.hospital.address, true);
      await expect(f.pr.connect(f.hospital).rejectHandover(f.coldId, RejectReason.TemperatureExcursion))
        .to.emit(f.pr, "HandoverRejected")
        .withArgs(f.coldId, f.carrier.address, f.hospital.address, RejectReason.TemperatureExcursion);
      const s = await f.pr.shipmentOf(f.coldId);
      expect([s.holder, s.delivered, s.pendingReceiver, s.pendingFinal]).to.deep.equal([f.carrier.address, false, ZeroAddress, false]);
      await expect(f.pr.connect(f.carrier).proposeHandover(f.coldId, f.clinic.address, true)).to.emit(f.pr, "HandoverProposed");
    });
  });

  describe("checkScan", () => {
    it("test_checkScan_atHoldersLocation_genuine", async () => {
      const f = await shipped();
      expect(await scan(f, f.cold, GLN.plant)).to.deep.equal([BigInt(Verdict.Genuine), f.coldId]);
      expect(await scan(f, f.plain, GLN.plant)).to.deep.equal([BigInt(Verdict.Genuine), f.plainId]);
    });

    it("test_checkScan_atAnyOfTheHoldersLocations_genuine", async () => {
      const f = await shipped();
      await f.pr.connect(f.manufacturer).registerLocation(NEW_GLN, "SIBP cold store 2");
      expect(await scan(f, f.cold, NEW_GLN)).to.deep.equal([BigInt(Verdict.Genuine), f.coldId]);
    });

    it("test_checkScan_unknownIdentity_verdict1", async () => {
      const f = await shipped();
      const forged = { ...f.cold, serial: "PALLET-9999" };
      for (const gln of [GLN.plant, GLN.hospital, GLN.unregistered, 0n]) {
        expect(await scan(f, forged, gln)).to.deep.equal([BigInt(Verdict.UnknownIdentity), idOf(forged)]);
      }
      const wrongGtin = { ...f.cold, gtin: GTIN_MASKS };
      expect(await scan(f, wrongGtin, GLN.plant)).to.deep.equal([BigInt(Verdict.UnknownIdentity), idOf(wrongGtin)]);
    });

    it("test_checkScan_atAnotherOrganisationsLocation_verdict3", async () => {
      const f = await shipped();
      for (const gln of [GLN.carrierHub, GLN.warehouse, GLN.hospital, GLN.plant2]) {
        expect(await scan(f, f.cold, gln)).to.deep.equal([BigInt(Verdict.WrongLocation), f.coldId]);
      }
    });

    it("test_checkScan_atUnregisteredLocation_verdict3", async () => {
      const f = await shipped();
      expect(await scan(f, f.cold, GLN.unregistered)).to.deep.equal([BigInt(Verdict.WrongLocation), f.coldId]);
      expect(await scan(f, f.cold, 0n)).to.deep.equal([BigInt(Verdict.WrongLocation), f.coldId]);
    });

    it("test_checkScan_atPendingReceiversLocation_genuine", async () => {
      const f = await shipped();
      await f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, false);
      expect(await scan(f, f.cold, GLN.carrierHub)).to.deep.equal([BigInt(Verdict.Genuine), f.coldId]);
      expect(await scan(f, f.cold, GLN.plant)).to.deep.equal([BigInt(Verdict.Genuine), f.coldId]);
      expect(await scan(f, f.cold, GLN.warehouse)).to.deep.equal([BigInt(Verdict.WrongLocation), f.coldId]);
      expect(await scan(f, f.cold, GLN.unregistered)).to.deep.equal([BigInt(Verdict.WrongLocation), f.coldId]);
    });

    it("test_checkScan_afterRejection_receiversLocationVerdict3", async () => {
      const f = await shipped();
      await f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, false);
      await f.pr.connect(f.carrier).rejectHandover(f.coldId, RejectReason.WrongQuantity);
      expect(await scan(f, f.cold, GLN.carrierHub)).to.deep.equal([BigInt(Verdict.WrongLocation), f.coldId]);
      expect(await scan(f, f.cold, GLN.plant)).to.deep.equal([BigInt(Verdict.Genuine), f.coldId]);
    });

    it("test_checkScan_afterAcceptance_formerHoldersLocationVerdict3", async () => {
      const f = await shipped();
      await handOver(f, f.coldId, f.manufacturer, f.carrier);
      expect(await scan(f, f.cold, GLN.carrierHub)).to.deep.equal([BigInt(Verdict.Genuine), f.coldId]);
      expect(await scan(f, f.cold, GLN.plant)).to.deep.equal([BigInt(Verdict.WrongLocation), f.coldId]);
    });

    it("test_checkScan_deliveredAtFinalHoldersLocation_genuine", async () => {
      const f = await delivered();
      expect(await scan(f, f.cold, GLN.hospital)).to.deep.equal([BigInt(Verdict.Genuine), f.coldId]);
    });

    it("test_checkScan_deliveredElsewhere_verdict2", async () => {
      const f = await delivered();
      for (const gln of [GLN.carrierHub, GLN.plant, GLN.clinic, GLN.unregistered, 0n]) {
        expect(await scan(f, f.cold, gln)).to.deep.equal([BigInt(Verdict.AlreadyDelivered), f.coldId]);
      }
    });

    it("test_checkScan_nonFinalAcceptanceAtHospital_notDelivered", async () => {
      const f = await shipped();
      await handOver(f, f.coldId, f.manufacturer, f.hospital, false);
      expect((await f.pr.shipmentOf(f.coldId)).delivered).to.equal(false);
      expect(await scan(f, f.cold, GLN.carrierHub)).to.deep.equal([BigInt(Verdict.WrongLocation), f.coldId]);
    });
  });

  describe("reportSuspectScan", () => {
    it("test_reportSuspectScan_unknownIdentity_emitsVerdict1", async () => {
      const f = await shipped();
      const forged = { ...f.cold, serial: "PALLET-FAKE" };
      const before = await snap(f, [idOf(forged)]);
      await expect(report(f, f.citizen, forged, GLN.clinic))
        .to.emit(f.pr, "SuspectScanReported")
        .withArgs(idOf(forged), f.citizen.address, GLN.clinic, Verdict.UnknownIdentity);
      expect(await snap(f, [idOf(forged)])).to.deep.equal(before);
    });

    it("test_reportSuspectScan_deliveredElsewhere_emitsVerdict2", async () => {
      const f = await delivered();
      const before = await snap(f);
      await expect(report(f, f.warehouse, f.cold, GLN.warehouse))
        .to.emit(f.pr, "SuspectScanReported")
        .withArgs(f.coldId, f.warehouse.address, GLN.warehouse, Verdict.AlreadyDelivered);
      expect(await snap(f)).to.deep.equal(before);
    });

    it("test_reportSuspectScan_wrongLocation_emitsVerdict3", async () => {
      const f = await shipped();
      const before = await snap(f);
      await expect(report(f, f.outsider, f.cold, GLN.unregistered))
        .to.emit(f.pr, "SuspectScanReported")
        .withArgs(f.coldId, f.outsider.address, GLN.unregistered, Verdict.WrongLocation);
      expect(await snap(f)).to.deep.equal(before);
    });

    it("test_reportSuspectScan_anyoneMayReport", async () => {
      const f = await shipped();
      for (const persona of ALL_PERSONAS) {
        await expect(report(f, f[persona], f.cold, GLN.warehouse))
          .to.emit(f.pr, "SuspectScanReported")
          .withArgs(f.coldId, f[persona].address, GLN.warehouse, Verdict.WrongLocation);
      }
    });

    it("test_reportSuspectScan_atHoldersLocation_revertsScanNotSuspect", async () => {
      const f = await shipped();
      const before = await snap(f);
      await expect(report(f, f.citizen, f.cold, GLN.plant))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryScanNotSuspect")
        .withArgs(f.coldId, GLN.plant);
      expect(await snap(f)).to.deep.equal(before);
    });

    it("test_reportSuspectScan_atPendingReceiversLocation_revertsScanNotSuspect", async () => {
      const f = await shipped();
      await f.pr.connect(f.manufacturer).proposeHandover(f.coldId, f.carrier.address, false);
      await unchanged(f, [f.plainId, f.coldId], async () => {
        await expect(report(f, f.carrier, f.cold, GLN.carrierHub))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryScanNotSuspect")
          .withArgs(f.coldId, GLN.carrierHub);
      });
    });

    it("test_reportSuspectScan_deliveredAtFinalHoldersLocation_revertsScanNotSuspect", async () => {
      const f = await delivered();
      const before = await snap(f);
      await expect(report(f, f.citizen, f.cold, GLN.hospital))
        .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryScanNotSuspect")
        .withArgs(f.coldId, GLN.hospital);
      expect(await snap(f)).to.deep.equal(before);
    });
  });

  describe("hand-over lifecycle", () => {
    it("test_acceptHandover_chainOfCustody_eventsRebuildHistory", async () => {
      const f = await shipped();
      await handOver(f, f.coldId, f.manufacturer, f.carrier);
      await f.pr.connect(f.carrier).proposeHandover(f.coldId, f.warehouse.address, false);
      await f.pr.connect(f.warehouse).rejectHandover(f.coldId, RejectReason.WrongProductOrDocuments);
      await handOver(f, f.coldId, f.carrier, f.warehouse);
      await handOver(f, f.coldId, f.warehouse, f.clinic, true);
      const accepted = await f.pr.queryFilter(f.pr.filters.HandoverAccepted(f.coldId));
      expect(accepted.map((e) => [e.args.from, e.args.to, e.args.isFinal])).to.deep.equal([
        [f.manufacturer.address, f.carrier.address, false],
        [f.carrier.address, f.warehouse.address, false],
        [f.warehouse.address, f.clinic.address, true],
      ]);
      const rejected = await f.pr.queryFilter(f.pr.filters.HandoverRejected(f.coldId));
      expect(rejected.map((e) => [e.args.holder, e.args.receiver, e.args.reason])).to.deep.equal([
        [f.carrier.address, f.warehouse.address, BigInt(RejectReason.WrongProductOrDocuments)],
      ]);
      const s = await f.pr.shipmentOf(f.coldId);
      expect([s.holder, s.delivered]).to.deep.equal([f.clinic.address, true]);
    });
  });

  describe("multicall", () => {
    /** A day's dispatch: `count` mask shipments from the manufacturer's plant. */
    const dispatch = (count: number): ShipmentParams[] =>
      Array.from({ length: count }, (_, i) => plainShipment({ serial: `SSCC-BATCH-${i}` }));
    const create = (f: ProvenanceFixture, p: ShipmentParams) =>
      f.pr.interface.encodeFunctionData("createShipment", [toShipmentStruct(p)]);
    const propose = (f: ProvenanceFixture, p: ShipmentParams, to: HardhatEthersSigner) =>
      f.pr.interface.encodeFunctionData("proposeHandover", [idOf(p), to.address, false]);
    const accept = (f: ProvenanceFixture, p: ShipmentParams) =>
      f.pr.interface.encodeFunctionData("acceptHandover", [idOf(p)]);
    /** The view of a mask shipment (no cold chain, no lot) held by `holder`, pending to `pending`. */
    const masks = (holder: string, pending: string) => [holder, false, false, false, 0n, 0n, 0n, pending, false];

    it("test_multicall_batchOfN_allEventsEmitted", async () => {
      const f = await base();
      const shipments = dispatch(8);
      // The manufacturer creates the day's shipments and proposes each to the carrier in one transaction …
      const created = f.pr.connect(f.manufacturer).multicall([
        ...shipments.map((p) => create(f, p)),
        ...shipments.map((p) => propose(f, p, f.carrier)),
      ]);
      expect(await emittedBy(created, f.pr)).to.deep.equal([
        ...shipments.map((p) => ["ShipmentCreated", ...shipmentCreatedArgs(f.manufacturer.address, p)]),
        ...shipments.map((p) => ["HandoverProposed", idOf(p), f.manufacturer.address, f.carrier.address, false]),
      ]);
      for (const p of shipments) expect(await shipmentTuple(f.pr, idOf(p))).to.deep.equal(masks(f.manufacturer.address, f.carrier.address));
      // … and the carrier accepts the truckload in one transaction.
      expect(await emittedBy(f.pr.connect(f.carrier).multicall(shipments.map((p) => accept(f, p))), f.pr)).to.deep.equal(
        shipments.map((p) => ["HandoverAccepted", idOf(p), f.manufacturer.address, f.carrier.address, false]),
      );
      for (const p of shipments) expect(await shipmentTuple(f.pr, idOf(p))).to.deep.equal(masks(f.carrier.address, ZeroAddress));
    });

    it("test_multicall_oneCallRefused_wholeBatchRevertsWithItsError", async () => {
      const f = await base();
      const shipments = dispatch(4);
      // The last call creates the first shipment a second time.
      const calls = [...shipments.map((p) => create(f, p)), create(f, shipments[0])];
      await unchanged(f, shipments.map(idOf), async () => {
        await expect(f.pr.connect(f.manufacturer).multicall(calls))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryShipmentExists")
          .withArgs(idOf(shipments[0]));
      });
      expect((await f.pr.shipmentOf(idOf(shipments[0]))).holder).to.equal(ZeroAddress);
    });

    it("test_multicall_roleCheckedPerCall", async () => {
      const f = await base();
      const shipments = dispatch(3);
      await unchanged(f, shipments.map(idOf), async () => {
        // A caller without the manufacturer role cannot create shipments by batching them.
        await expect(f.pr.connect(f.carrier).multicall(shipments.map((p) => create(f, p))))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryUnauthorized")
          .withArgs(f.carrier.address, MANUFACTURER_ROLE);
      });
      await f.pr.connect(f.manufacturer).multicall([
        ...shipments.map((p) => create(f, p)),
        ...shipments.map((p) => propose(f, p, f.carrier)),
      ]);
      // Each call is checked as the caller: hand-overs proposed to the carrier cannot be accepted by the warehouse.
      await unchanged(f, shipments.map(idOf), async () => {
        await expect(f.pr.connect(f.warehouse).multicall(shipments.map((p) => accept(f, p))))
          .to.be.revertedWithCustomError(f.pr, "ProvenanceRegistryNotPendingReceiver")
          .withArgs(idOf(shipments[0]), f.warehouse.address);
      });
    });
  });


  // Gas budgets from the issue (whole transaction, from the receipt): a custody step ≤ 35,000; a step in a batch
  // of 100 steps on 100 different shipments ≤ 7,000 amortised; shipment creation ≤ 90,000.
  // Coverage instrumentation adds gas to every statement, so the budgets are only asserted on the real bytecode.
  if (!hre.globalOptions.coverage) {
    describe("gas budget", () => {
      it("test_recordStep_coldChainReadingWithin35000Gas", async () => {
        const f = await shipped();
        const word = packStep(await stepAt(GLN.plant, { bizStep: BizStep.Transporting, temperature: 450 }));
        const receipt = await (await f.pr.connect(f.manufacturer).recordStep(f.coldId, word)).wait();
        expect(receipt?.gasUsed).to.be.lessThanOrEqual(35_000n);
      });

      it("test_recordStep_withoutReadingWithin35000Gas", async () => {
        const f = await shipped();
        const word = packStep(await stepAt(GLN.plant, { bizStep: BizStep.Commissioning, disposition: Disposition.Active }));
        const receipt = await (await f.pr.connect(f.manufacturer).recordStep(f.plainId, word)).wait();
        expect(receipt?.gasUsed).to.be.lessThanOrEqual(35_000n);
      });

      it("test_recordSteps_100ShipmentsWithin7000GasPerStep", async () => {
        const f = await hundred();
        const t = await nowBig();
        const inputs = f.ids.map((id) =>
          stepInput(id, { bizStep: BizStep.Transporting, disposition: Disposition.InTransit, readPoint: GLN.carrierHub, eventTime: t, temperature: 450 }),
        );
        const receipt = await (await f.pr.connect(f.manufacturer).recordSteps(inputs)).wait();
        expect(receipt?.logs).to.have.length(100);
        expect((receipt?.gasUsed ?? 0n) / 100n).to.be.lessThanOrEqual(7_000n);
      });

      it("test_createShipment_withoutVaccineLotWithin90000Gas", async () => {
        const f = await base();
        const p = plainShipment({ lotNumber: "L".repeat(20), serial: "S".repeat(20) });
        const receipt = await (await f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(p))).wait();
        expect(receipt?.gasUsed).to.be.lessThanOrEqual(90_000n);
      });

      it("test_createShipment_withVaccineLotWithin90000Gas", async () => {
        const f = await base();
        const p = vaccineShipment(LOT.released, { lotNumber: "L".repeat(20), serial: "S".repeat(20) });
        const receipt = await (await f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(p))).wait();
        expect(receipt?.gasUsed).to.be.lessThanOrEqual(90_000n);
      });
    });
  }
});
