/**
 * Helpers for the ProvenanceRegistry tests: GS1 identifiers (GTIN-14 and GLN check digits), shipment-parameter
 * builders, the shipment id scheme, a step packer that mirrors the contract's documented step-word layout (see
 * contracts/interfaces/IProvenanceRegistry.sol), the CBV / reason / verdict codes, state snapshots that prove a
 * refused call changed nothing, and the shared fixtures (locations, released vaccine lots, shipments).
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { AbiCoder, id, keccak256, toBeHex } from "ethers";
import { gs1CheckDigit, gtinOf } from "./vaccine.js";

import type { IProvenanceRegistry, IVaccineRegistry, ProvenanceRegistry, VaccineRegistry } from "../../../types/ethers-contracts/index.js";
import { Kind, accreditedFixture, ethers, now, role } from "./fixtures.js";

// ---------------------------------------------------------------------------------------------------------------
// Codes (IProvenanceRegistry)
// ---------------------------------------------------------------------------------------------------------------

/** CBV bizStep codes. */
export const BizStep = {
  Commissioning: 0,
  Packing: 1,
  Loading: 2,
  Shipping: 3,
  Departing: 4,
  Transporting: 5,
  Arriving: 6,
  Receiving: 7,
  Accepting: 8,
  Inspecting: 9,
  Storing: 10,
  Picking: 11,
  Unloading: 12,
  Dispensing: 13,
  Destroying: 14,
  SensorReporting: 15,
  Holding: 16,
} as const;

/** CBV disposition codes. */
export const Disposition = {
  Active: 0,
  InTransit: 1,
  InProgress: 2,
  NonConformant: 3,
  Recalled: 4,
  Damaged: 5,
  Destroyed: 6,
  Dispensed: 7,
  Expired: 8,
  ContainerClosed: 9,
  Returned: 10,
  Stolen: 11,
} as const;

// Rejection reasons, scan verdicts and lot states have one source, shared with the seed and the app.
export { RejectReason, ScanVerdict as Verdict } from "../../../scripts/lib/supplies.js";
export { LotState } from "../../../scripts/lib/vaccines.js";

/** The vaccine registry's reason code for cold-chain failure (used by excursion reports). */
export const COLD_CHAIN_FAILURE = 3;

export const MAX_BATCH_STEPS = 500;
export const MAX_GLN = 9_999_999_999_999n;
export const MAX_GTIN = 99_999_999_999_999n;

// ---------------------------------------------------------------------------------------------------------------
// GS1 identifiers
// ---------------------------------------------------------------------------------------------------------------

// GS1 check digits: one helper for all test suites (left-padding does not change the digit, so it serves GLN-13 too).
export { gs1CheckDigit, gtinOf, gtinWithWrongCheckDigit } from "./vaccine.js";

/** A 13-digit GLN from a 12-digit body (company prefix + location reference) and its check digit. */
export function glnOf(body: bigint): bigint {
  if (body < 100_000_000_000n || body > 999_999_999_999n) throw new Error(`GLN body must have 12 digits: ${body}`);
  return body * 10n + BigInt(gs1CheckDigit(body));
}

/** Products (illustrative GS1 China company prefixes 690–699, valid check digits). */
export const GTIN_VACCINE_BODY = 1_690_123_456_789n;
export const GTIN_VACCINE = gtinOf(GTIN_VACCINE_BODY);
export const GTIN_MASKS = gtinOf(690_123_400_050n);
export const GTIN_TEST_KITS = gtinOf(692_555_000_017n);

/** Locations (13-digit GLNs with check digits). */
export const GLN = {
  plant: glnOf(690_123_400_001n), // manufacturer: Shanghai Institute of Biological Products, Minhang plant
  plant2: glnOf(693_000_100_001n), // second manufacturer's plant
  carrierHub: glnOf(691_777_000_002n), // carrier: Pudong cold-chain hub
  warehouse: glnOf(692_888_000_003n), // warehouse: Baoshan DC, dock 3
  hospital: glnOf(694_101_000_004n), // hospital: Ruijin Hospital pharmacy
  clinic: glnOf(694_104_000_005n), // clinic: Xuhui community health centre
  unregistered: glnOf(699_999_000_009n), // nobody's
} as const;

export const LOCATION_NAMES: Readonly<Record<keyof typeof GLN, string>> = {
  plant: "SIBP Minhang plant, finished goods",
  plant2: "Second manufacturer, Songjiang plant",
  carrierHub: "Pudong cold-chain hub",
  warehouse: "Baoshan DC, dock 3",
  hospital: "Ruijin Hospital pharmacy",
  clinic: "Xuhui CHC vaccination room",
  unregistered: "",
};

// ---------------------------------------------------------------------------------------------------------------
// Shipments
// ---------------------------------------------------------------------------------------------------------------

/** Plain TypeScript shape of `IProvenanceRegistry.ShipmentParams`. */
export interface ShipmentParams {
  lotNumber: string;
  serial: string;
  gtin: bigint;
  origin: bigint;
  quantity: bigint;
  vaccineLotId: bigint;
  coldChain: boolean;
  minTempCentiC: bigint;
  maxTempCentiC: bigint;
}

/** A shipment of masks from the manufacturer's plant: no cold chain, no vaccine lot. */
export function plainShipment(overrides: Partial<ShipmentParams> = {}): ShipmentParams {
  return {
    lotNumber: "MASK-2022-04",
    serial: "SSCC-000001",
    gtin: GTIN_MASKS,
    origin: GLN.plant,
    quantity: 5_000n,
    vaccineLotId: 0n,
    coldChain: false,
    minTempCentiC: 0n,
    maxTempCentiC: 0n,
    ...overrides,
  };
}

/** A 2–8 °C vaccine shipment from the manufacturer's plant carrying vaccine lot `vaccineLotId`. */
export function vaccineShipment(vaccineLotId: bigint, overrides: Partial<ShipmentParams> = {}): ShipmentParams {
  return {
    lotNumber: "SIBP-2022-0412",
    serial: "PALLET-0001",
    gtin: GTIN_VACCINE,
    origin: GLN.plant,
    quantity: 1_000n,
    vaccineLotId,
    coldChain: true,
    minTempCentiC: 200n,
    maxTempCentiC: 800n,
    ...overrides,
  };
}

/** The parameters as the TypeChain struct type. */
export function toShipmentStruct(p: ShipmentParams): IProvenanceRegistry.ShipmentParamsStruct {
  return { ...p };
}

/** The documented shipment id: `keccak256(abi.encode(gtin, lotNumber, serial))`. */
export function shipmentIdOf(gtin: bigint, lotNumber: string, serial: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["uint64", "string", "string"], [gtin, lotNumber, serial]));
}

/** The id of a shipment built from `p`. */
export function idOf(p: ShipmentParams): string {
  return shipmentIdOf(p.gtin, p.lotNumber, p.serial);
}

/** The arguments `ShipmentCreated` is emitted with. */
export function shipmentCreatedArgs(manufacturer: string, p: ShipmentParams) {
  return [
    idOf(p),
    manufacturer,
    p.gtin,
    p.lotNumber,
    p.serial,
    p.quantity,
    p.origin,
    p.vaccineLotId,
    p.coldChain,
    p.minTempCentiC,
    p.maxTempCentiC,
  ] as const;
}

/** The GS1 Digital Link URI a shipment's QR label encodes. */
export function digitalLink(p: Pick<ShipmentParams, "gtin" | "lotNumber" | "serial">): string {
  const gtin = p.gtin.toString().padStart(14, "0");
  return `https://id.gs1.org/01/${gtin}/10/${encodeURIComponent(p.lotNumber)}/21/${encodeURIComponent(p.serial)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Step words
// ---------------------------------------------------------------------------------------------------------------

/** A well-formed custody step. */
export interface Step {
  bizStep: number;
  disposition: number;
  readPoint: bigint;
  eventTime: bigint;
  /** centi-°C; omitted = no reading. */
  temperature?: number;
}

/**
 * The raw fields of a step word, any of which may be out of range (for malformed-step tests).
 * `flag` is the byte at bits 119–112, `tempBits` the 16 bits at 135–120, `reserved` bits 111–0.
 */
export interface RawStep {
  bizStep: bigint;
  disposition: bigint;
  readPoint: bigint;
  eventTime: bigint;
  tempBits: bigint;
  flag: bigint;
  reserved: bigint;
}

const mask = (bits: number): bigint => (1n << BigInt(bits)) - 1n;

/** Pack raw fields at their documented bit positions (each masked to its width). */
export function packRawStep(raw: RawStep): string {
  const word =
    ((raw.bizStep & mask(8)) << 248n) |
    ((raw.disposition & mask(8)) << 240n) |
    ((raw.readPoint & mask(64)) << 176n) |
    ((raw.eventTime & mask(40)) << 136n) |
    ((raw.tempBits & mask(16)) << 120n) |
    ((raw.flag & mask(8)) << 112n) |
    (raw.reserved & mask(112));
  return toBeHex(word, 32);
}

/** The raw fields of a well-formed step. */
export function rawOf(step: Step): RawStep {
  const hasTemperature = step.temperature !== undefined;
  return {
    bizStep: BigInt(step.bizStep),
    disposition: BigInt(step.disposition),
    readPoint: step.readPoint,
    eventTime: step.eventTime,
    tempBits: hasTemperature ? BigInt.asUintN(16, BigInt(step.temperature ?? 0)) : 0n,
    flag: hasTemperature ? 1n : 0n,
    reserved: 0n,
  };
}

/**
 * Pack a step as the contract's `packStep` does: bizStep 255–248, disposition 247–240, readPoint 239–176,
 * eventTime 175–136, temperature (int16 two's complement) 135–120, temperature flag 119–112, zero below.
 */
export function packStep(step: Step): string {
  if (step.temperature !== undefined && (step.temperature < -32768 || step.temperature > 32767)) {
    throw new Error(`temperature out of int16 range: ${step.temperature}`);
  }
  return packRawStep(rawOf(step));
}

/** A well-formed step word with some raw fields overridden. */
export function malformedStep(step: Step, overrides: Partial<RawStep>): string {
  return packRawStep({ ...rawOf(step), ...overrides });
}

/** Decode a step word back into its raw fields. */
export function unpackStep(word: string): RawStep {
  const w = BigInt(word);
  return {
    bizStep: (w >> 248n) & mask(8),
    disposition: (w >> 240n) & mask(8),
    readPoint: (w >> 176n) & mask(64),
    eventTime: (w >> 136n) & mask(40),
    tempBits: (w >> 120n) & mask(16),
    flag: (w >> 112n) & mask(8),
    reserved: w & mask(112),
  };
}

/** A `StepInput` for `recordSteps`. */
export function stepInput(shipmentId: string, step: Step | string): IProvenanceRegistry.StepInputStruct {
  return { shipmentId, step: typeof step === "string" ? step : packStep(step) };
}

// ---------------------------------------------------------------------------------------------------------------
// State snapshots
// ---------------------------------------------------------------------------------------------------------------

/** A shipment view as a plain tuple. */
export async function shipmentTuple(registry: ProvenanceRegistry, shipmentId: string) {
  const s = await registry.shipmentOf(shipmentId);
  return [
    s.holder,
    s.coldChain,
    s.nonConformant,
    s.delivered,
    s.minTempCentiC,
    s.maxTempCentiC,
    s.vaccineLotId,
    s.pendingReceiver,
    s.pendingFinal,
  ] as const;
}

/** A vaccine lot view as a plain tuple. */
export async function lotTuple(registry: VaccineRegistry, lotId: bigint) {
  const l = await registry.lotOf(lotId);
  return [l.manufacturer, l.doseCount, l.dosesRecorded, l.attestations, l.quorum, l.expiresAt, l.state] as const;
}

/**
 * Everything a refused call could have touched: the given shipments, the owners of the given locations and the
 * given vaccine lots (including their state). Compare two snapshots with deep equality.
 */
export async function provenanceState(
  registry: ProvenanceRegistry,
  vaccines: VaccineRegistry,
  shipmentIds: readonly string[],
  glns: readonly bigint[],
  lotIds: readonly bigint[],
) {
  return {
    shipments: await Promise.all(shipmentIds.map((s) => shipmentTuple(registry, s))),
    locations: await Promise.all(glns.map((g) => registry.locationOwner(g))),
    lots: await Promise.all(lotIds.map((l) => lotTuple(vaccines, l))),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Vaccine lots
// ---------------------------------------------------------------------------------------------------------------

const ONE_DAY = 24n * 60n * 60n;

/** A well-formed vaccine lot registration (2–8 °C, 1,000 doses, expiring in a year). */
export function vaccineLotParams(
  nowTs: bigint,
  overrides: Partial<IVaccineRegistry.LotParamsStruct> = {},
): IVaccineRegistry.LotParamsStruct {
  return {
    dossierHash: id("lot-release dossier: SIBP-2022-0412"),
    lotNumber: "SIBP-2022-0412",
    gtin: GTIN_VACCINE,
    manufacturedAt: nowTs - 30n * ONE_DAY,
    doseCount: 1_000n,
    expiresAt: nowTs + 365n * ONE_DAY,
    minTempCentiC: 200n,
    maxTempCentiC: 800n,
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------------------------

/** Vaccine lot ids created by `provenanceFixture`. */
export const LOT = {
  released: 1n, // the manufacturer's, released (active)
  otherManufacturer: 2n, // the second manufacturer's, released
  pending: 3n, // the manufacturer's, pending release
  released2: 4n, // the manufacturer's second released lot
} as const;

/**
 * The accredited personas plus: a second manufacturer (account 14, MANUFACTURER_ROLE), the regulator as a second
 * lot attester, one registered location per supply organisation (see `GLN`), and four vaccine lots (`LOT`).
 */
export async function provenanceFixture() {
  const f = await accreditedFixture();
  const signers = await ethers.getSigners();
  const manufacturer2: HardhatEthersSigner = signers[14];
  const reg = f.authority.connect(f.regulator);
  await reg.accredit(manufacturer2.address, Kind.Manufacturer, 310117, "Songjiang Biologics", "松江生物制品");
  await reg.grantRole(role("MANUFACTURER_ROLE"), manufacturer2.address);
  await reg.grantRole(role("LOT_ATTESTER_ROLE"), f.regulator.address);

  const pr = f.provenanceRegistry;
  const sites: [HardhatEthersSigner, keyof typeof GLN][] = [
    [f.manufacturer, "plant"],
    [manufacturer2, "plant2"],
    [f.carrier, "carrierHub"],
    [f.warehouse, "warehouse"],
    [f.hospital, "hospital"],
    [f.clinic, "clinic"],
  ];
  for (const [signer, key] of sites) await pr.connect(signer).registerLocation(GLN[key], LOCATION_NAMES[key]);

  const vr = f.vaccineRegistry;
  const t = BigInt(await now());
  const release = async (lotId: bigint) => {
    await vr.connect(f.lab).attestLot(lotId);
    await vr.connect(f.regulator).attestLot(lotId);
  };
  await vr.connect(f.manufacturer).registerLot(vaccineLotParams(t));
  await release(LOT.released);
  await vr
    .connect(manufacturer2)
    .registerLot(vaccineLotParams(t, { lotNumber: "SJB-2022-0077", gtin: gtinOf(1_693_000_100_002n) }));
  await release(LOT.otherManufacturer);
  await vr.connect(f.manufacturer).registerLot(vaccineLotParams(t, { lotNumber: "SIBP-2022-0413" }));
  await vr.connect(f.manufacturer).registerLot(vaccineLotParams(t, { lotNumber: "SIBP-2022-0414" }));
  await release(LOT.released2);

  return { ...f, manufacturer2, pr, vr };
}

/** `provenanceFixture` plus two shipments held by the manufacturer: masks (`plain`) and vaccines (`cold`, lot 1). */
export async function shipmentsFixture() {
  const f = await provenanceFixture();
  const plain = plainShipment();
  const cold = vaccineShipment(LOT.released);
  await f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(plain));
  await f.pr.connect(f.manufacturer).createShipment(toShipmentStruct(cold));
  return { ...f, plain, cold, plainId: idOf(plain), coldId: idOf(cold) };
}

export type ProvenanceFixture = Awaited<ReturnType<typeof provenanceFixture>>;
export type ShipmentsFixture = Awaited<ReturnType<typeof shipmentsFixture>>;
