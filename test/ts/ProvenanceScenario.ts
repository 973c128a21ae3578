import { expect } from "chai";
import { ZeroAddress } from "ethers";

import { accreditedFixture, networkHelpers, now, role } from "./helpers/fixtures.js";
import {
  BizStep,
  COLD_CHAIN_FAILURE,
  Disposition,
  GLN,
  LOCATION_NAMES,
  LotState,
  RejectReason,
  type Step,
  Verdict,
  digitalLink,
  idOf,
  packStep,
  provenanceState,
  shipmentTuple,
  stepInput,
  toShipmentStruct,
  vaccineLotParams,
  vaccineShipment,
} from "./helpers/provenance.js";

const XUHUI = 310104;
const HUANGPU = 310101;

/** The accredited personas, with the regulator as the second lot attester (release quorum 2: lab + regulator). */
async function scenarioFixture() {
  const f = await accreditedFixture();
  await f.authority.connect(f.regulator).grantRole(role("LOT_ATTESTER_ROLE"), f.regulator.address);
  return { ...f, pr: f.provenanceRegistry, vr: f.vaccineRegistry };
}

describe("ProvenanceScenario", () => {
  it("test_createShipment_toFinalDelivery_storyWithRejectionSuspectScansAndExcursion", async () => {
    const f = await networkHelpers.loadFixture(scenarioFixture);
    const { pr, vr, manufacturer, carrier, warehouse, hospital, clinic, lab, regulator, citizen, citizen2 } = f;
    const registry = await pr.getAddress();
    /** Run refused calls and prove the shipment, the lot and the sites are unchanged. */
    const refused = async (id: string, lot: bigint, calls: () => Promise<void>) => {
      const state = async () => provenanceState(pr, vr, [id], [GLN.plant, GLN.carrierHub, GLN.warehouse, GLN.hospital], [lot]);
      const before = await state();
      await calls();
      expect(await state()).to.deep.equal(before);
    };
    const at = async (readPoint: bigint, bizStep: number, disposition: number, temperature?: number): Promise<Step> => ({
      bizStep,
      disposition,
      readPoint,
      eventTime: BigInt(await now()),
      temperature,
    });

    // --- The vaccine lot is registered by its manufacturer and released by the lab and the regulator. ---
    const t0 = BigInt(await now());
    await expect(vr.connect(manufacturer).registerLot(vaccineLotParams(t0))).to.emit(vr, "LotRegistered");
    const lotId = await vr.lotCount();
    await vr.connect(lab).attestLot(lotId);
    await expect(vr.connect(regulator).attestLot(lotId)).to.emit(vr, "LotReleased").withArgs(lotId, 2);
    expect(await vr.lotState(lotId)).to.equal(BigInt(LotState.Active));

    // --- Every supply organisation registers its site; the manufacturer's plant is the origin. ---
    await expect(pr.connect(manufacturer).registerLocation(GLN.plant, LOCATION_NAMES.plant))
      .to.emit(pr, "LocationRegistered")
      .withArgs(GLN.plant, manufacturer.address, LOCATION_NAMES.plant);
    await pr.connect(carrier).registerLocation(GLN.carrierHub, LOCATION_NAMES.carrierHub);
    await pr.connect(warehouse).registerLocation(GLN.warehouse, LOCATION_NAMES.warehouse);
    await pr.connect(hospital).registerLocation(GLN.hospital, LOCATION_NAMES.hospital);

    // --- The manufacturer creates a 2–8 °C shipment carrying the released lot; its label resolves to its id. ---
    const params = vaccineShipment(lotId, { serial: "PALLET-0001" });
    const shipmentId = idOf(params);
    await expect(pr.connect(manufacturer).createShipment(toShipmentStruct(params)))
      .to.emit(pr, "ShipmentCreated")
      .withArgs(shipmentId, manufacturer.address, params.gtin, params.lotNumber, params.serial, params.quantity, GLN.plant, lotId, true, 200, 800);
    expect(digitalLink(params)).to.equal(`https://id.gs1.org/01/${params.gtin.toString().padStart(14, "0")}/10/SIBP-2022-0412/21/PALLET-0001`);
    expect(await pr.shipmentIdOf(params.gtin, params.lotNumber, params.serial)).to.equal(shipmentId);
    const scan = (gln: bigint, serial: string = params.serial) => pr.checkScan(params.gtin, params.lotNumber, serial, gln);
    expect(await scan(GLN.plant)).to.deep.equal([BigInt(Verdict.Genuine), shipmentId]);

    // --- Commissioning and packing at the plant, in one transaction. ---
    const commissioning = packStep(await at(GLN.plant, BizStep.Commissioning, Disposition.Active, 450));
    const packing = packStep(await at(GLN.plant, BizStep.Packing, Disposition.InProgress, 500));
    await expect(pr.connect(manufacturer).recordSteps([stepInput(shipmentId, commissioning), stepInput(shipmentId, packing)]))
      .to.emit(pr, "CustodyStepRecorded")
      .withArgs(shipmentId, manufacturer.address, packing)
      .and.not.to.emit(pr, "ColdChainExcursion");

    // --- Hand-over to the carrier: proposed (the carrier's dock scan is genuine while pending), then accepted. ---
    await expect(pr.connect(manufacturer).proposeHandover(shipmentId, carrier.address, false))
      .to.emit(pr, "HandoverProposed")
      .withArgs(shipmentId, manufacturer.address, carrier.address, false);
    expect(await scan(GLN.carrierHub)).to.deep.equal([BigInt(Verdict.Genuine), shipmentId]);
    await expect(pr.connect(carrier).acceptHandover(shipmentId))
      .to.emit(pr, "HandoverAccepted")
      .withArgs(shipmentId, manufacturer.address, carrier.address, false);
    expect(await scan(GLN.plant)).to.deep.equal([BigInt(Verdict.WrongLocation), shipmentId]);

    // --- The carrier ships and transports it with in-range readings. ---
    const shipping = packStep(await at(GLN.carrierHub, BizStep.Shipping, Disposition.InTransit, 350));
    await expect(pr.connect(carrier).recordStep(shipmentId, shipping))
      .to.emit(pr, "CustodyStepRecorded")
      .withArgs(shipmentId, carrier.address, shipping)
      .and.not.to.emit(pr, "ColdChainExcursion");
    const transporting = packStep(await at(GLN.carrierHub, BizStep.Transporting, Disposition.InTransit, 780));
    await expect(pr.connect(carrier).recordStep(shipmentId, transporting)).not.to.emit(pr, "ColdChainExcursion");
    expect((await pr.shipmentOf(shipmentId)).nonConformant).to.equal(false);

    // --- The warehouse rejects the first proposal (documents do not match); custody stays with the carrier. ---
    await pr.connect(carrier).proposeHandover(shipmentId, warehouse.address, false);
    await expect(pr.connect(warehouse).rejectHandover(shipmentId, RejectReason.WrongProductOrDocuments))
      .to.emit(pr, "HandoverRejected")
      .withArgs(shipmentId, carrier.address, warehouse.address, RejectReason.WrongProductOrDocuments);
    expect(await shipmentTuple(pr, shipmentId)).to.deep.equal([carrier.address, true, false, false, 200n, 800n, lotId, ZeroAddress, false]);
    expect(await scan(GLN.warehouse)).to.deep.equal([BigInt(Verdict.WrongLocation), shipmentId]);
    const early = packStep(await at(GLN.warehouse, BizStep.Receiving, Disposition.Active));
    await refused(shipmentId, lotId, async () => {
      await expect(pr.connect(warehouse).recordStep(shipmentId, early))
        .to.be.revertedWithCustomError(pr, "ProvenanceRegistryNotHolder")
        .withArgs(shipmentId, warehouse.address);
      await expect(pr.connect(warehouse).acceptHandover(shipmentId))
        .to.be.revertedWithCustomError(pr, "ProvenanceRegistryNotPendingReceiver")
        .withArgs(shipmentId, warehouse.address);
    });

    // --- Re-proposed with the right documents and accepted; the warehouse receives and stores it. ---
    await pr.connect(carrier).proposeHandover(shipmentId, warehouse.address, false);
    await expect(pr.connect(warehouse).acceptHandover(shipmentId))
      .to.emit(pr, "HandoverAccepted")
      .withArgs(shipmentId, carrier.address, warehouse.address, false);
    const receiving = packStep(await at(GLN.warehouse, BizStep.Receiving, Disposition.Active, 520));
    const storing = packStep(await at(GLN.warehouse, BizStep.Storing, Disposition.Active, 480));
    await pr.connect(warehouse).recordSteps([stepInput(shipmentId, receiving), stepInput(shipmentId, storing)]);

    // --- Final hand-over to the hospital: accepted ⇒ delivered. ---
    await pr.connect(warehouse).proposeHandover(shipmentId, hospital.address, true);
    await expect(pr.connect(hospital).acceptHandover(shipmentId))
      .to.emit(pr, "HandoverAccepted")
      .withArgs(shipmentId, warehouse.address, hospital.address, true);
    expect(await shipmentTuple(pr, shipmentId)).to.deep.equal([hospital.address, true, false, true, 200n, 800n, lotId, ZeroAddress, false]);
    const accepting = packStep(await at(GLN.hospital, BizStep.Accepting, Disposition.Active, 450));
    await expect(pr.connect(hospital).recordStep(shipmentId, accepting))
      .to.emit(pr, "CustodyStepRecorded")
      .withArgs(shipmentId, hospital.address, accepting);
    await refused(shipmentId, lotId, async () => {
      await expect(pr.connect(hospital).proposeHandover(shipmentId, clinic.address, false))
        .to.be.revertedWithCustomError(pr, "ProvenanceRegistryShipmentDelivered")
        .withArgs(shipmentId);
    });
    expect(await scan(GLN.hospital)).to.deep.equal([BigInt(Verdict.Genuine), shipmentId]);
    // The lot is still usable: the hospital vaccinates a citizen from it.
    await expect(vr.connect(hospital).recordDose(lotId, citizen.address, 1, HUANGPU)).to.emit(vr, "DoseRecorded");

    // --- The delivered shipment's label turns up at the carrier's hub: suspect (diverted or cloned), reported. ---
    expect(await scan(GLN.carrierHub)).to.deep.equal([BigInt(Verdict.AlreadyDelivered), shipmentId]);
    await expect(pr.connect(carrier).reportSuspectScan(params.gtin, params.lotNumber, params.serial, GLN.carrierHub))
      .to.emit(pr, "SuspectScanReported")
      .withArgs(shipmentId, carrier.address, GLN.carrierHub, Verdict.AlreadyDelivered);

    // --- A label the registry never issued: suspect (counterfeit), reported by a citizen. ---
    const forgedId = idOf({ ...params, serial: "PALLET-0099" });
    expect(await scan(GLN.hospital, "PALLET-0099")).to.deep.equal([BigInt(Verdict.UnknownIdentity), forgedId]);
    await expect(pr.connect(citizen).reportSuspectScan(params.gtin, params.lotNumber, "PALLET-0099", GLN.hospital))
      .to.emit(pr, "SuspectScanReported")
      .withArgs(forgedId, citizen.address, GLN.hospital, Verdict.UnknownIdentity);
    expect((await pr.shipmentOf(forgedId)).holder).to.equal(ZeroAddress);

    // --- The history is rebuilt from events alone: every step's recorder was the holder at that moment. ---
    const steps = await pr.queryFilter(pr.filters.CustodyStepRecorded(shipmentId));
    expect(steps.map((e) => [e.args.recorder, e.args.step])).to.deep.equal([
      [manufacturer.address, commissioning],
      [manufacturer.address, packing],
      [carrier.address, shipping],
      [carrier.address, transporting],
      [warehouse.address, receiving],
      [warehouse.address, storing],
      [hospital.address, accepting],
    ]);
    const custody = await pr.queryFilter(pr.filters.HandoverAccepted(shipmentId));
    expect(custody.map((e) => [e.args.from, e.args.to, e.args.isFinal])).to.deep.equal([
      [manufacturer.address, carrier.address, false],
      [carrier.address, warehouse.address, false],
      [warehouse.address, hospital.address, true],
    ]);

    // --- A second shipment, of a second lot, suffers a cold-chain excursion in the carrier's truck. ---
    const t1 = BigInt(await now());
    await vr.connect(manufacturer).registerLot(vaccineLotParams(t1, { lotNumber: "SIBP-2022-0415" }));
    const lot2 = await vr.lotCount();
    await vr.connect(lab).attestLot(lot2);
    await vr.connect(regulator).attestLot(lot2);
    const params2 = vaccineShipment(lot2, { lotNumber: "SIBP-2022-0415", serial: "PALLET-0002" });
    const shipment2 = idOf(params2);
    await pr.connect(manufacturer).createShipment(toShipmentStruct(params2));
    await pr.connect(manufacturer).proposeHandover(shipment2, carrier.address, false);
    await pr.connect(carrier).acceptHandover(shipment2);
    const hot = packStep(await at(GLN.carrierHub, BizStep.Transporting, Disposition.InTransit, 1150));
    await expect(pr.connect(carrier).recordStep(shipment2, hot))
      .to.emit(pr, "CustodyStepRecorded")
      .withArgs(shipment2, carrier.address, hot)
      .and.to.emit(pr, "ColdChainExcursion")
      .withArgs(shipment2, lot2, 1150)
      .and.to.emit(vr, "LotNonConformant")
      .withArgs(lot2, registry, COLD_CHAIN_FAILURE, shipment2);
    expect((await pr.shipmentOf(shipment2)).nonConformant).to.equal(true);
    expect(await vr.lotState(lot2)).to.equal(BigInt(LotState.NonConformant));
    await refused(shipment2, lot2, async () => {
      await expect(vr.connect(clinic).recordDose(lot2, citizen2.address, 1, XUHUI))
        .to.be.revertedWithCustomError(vr, "VaccineRegistryLotNotUsable")
        .withArgs(lot2, LotState.NonConformant);
    });
    // Back in range: the shipment stays non-conformant; the first lot and shipment are unaffected.
    await pr.connect(carrier).recordStep(shipment2, packStep(await at(GLN.carrierHub, BizStep.Transporting, Disposition.InTransit, 500)));
    expect((await pr.shipmentOf(shipment2)).nonConformant).to.equal(true);
    expect((await pr.shipmentOf(shipmentId)).nonConformant).to.equal(false);
    expect(await vr.lotState(lotId)).to.equal(BigInt(LotState.Active));
    await expect(vr.connect(clinic).recordDose(lotId, citizen2.address, 1, XUHUI)).to.emit(vr, "DoseRecorded");
  });
});
