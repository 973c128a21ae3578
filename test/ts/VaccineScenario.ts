import { expect } from "chai";

import { accreditedFixture, ethers, networkHelpers, now, role } from "./helpers/fixtures.js";
import {
  ACCOUNT_INDEX,
  GTIN_VACCINE,
  HUANGPU,
  LotState,
  ONE_DAY,
  ProofResult,
  Reason,
  XUHUI,
  checkProof,
  defaultAccountWallet,
  doseIdOf,
  doseTuple,
  lotParams,
  lotRegisteredArgs,
  signConfirmDose,
  signVaccinationProof,
  toStruct,
  vaccineDomain,
} from "./helpers/vaccine.js";

describe("Vaccine scenario", () => {
  it("test_vaccineLotLifecycle_recallReachesEveryVaccinatedCitizen", async () => {
    const f = await networkHelpers.loadFixture(accreditedFixture);
    const vr = f.vaccineRegistry;
    const domain = await vaccineDomain(vr);
    const citizenKey = defaultAccountWallet(ACCOUNT_INDEX.citizen).privateKey;
    const citizen2Key = defaultAccountWallet(ACCOUNT_INDEX.citizen2).privateKey;

    // The health commission attests lots itself, next to the independent lab: it is given the attester role.
    await f.authority.connect(f.regulator).grantRole(role("LOT_ATTESTER_ROLE"), f.regulator.address);

    // 1. The Shanghai Institute of Biological Products registers lot SIBP-2022-0412: 500 doses, made 20 days
    //    ago, expiring in a year, stored at 2–8 °C, with the hash of its lot-release dossier.
    const lot = lotParams(BigInt(await now()), {
      doseCount: 500n,
      manufacturedAt: BigInt(await now()) - 20n * ONE_DAY,
    });
    await expect(vr.connect(f.manufacturer).registerLot(toStruct(lot)))
      .to.emit(vr, "LotRegistered")
      .withArgs(...lotRegisteredArgs(1, f.manufacturer.address, lot));
    const lotId = await vr.lotIdOf(GTIN_VACCINE, lot.lotNumber);
    expect(lotId).to.equal(1n);
    expect(await vr.lotState(lotId)).to.equal(BigInt(LotState.PendingRelease));

    // Until it is released, no clinic can give a dose from it.
    await expect(vr.connect(f.clinic).recordDose(lotId, f.citizen.address, 1, XUHUI))
      .to.be.revertedWithCustomError(vr, "VaccineRegistryLotNotUsable")
      .withArgs(lotId, LotState.PendingRelease);

    // 2. The drug-control lab reviews the dossier and attests the lot: one of the two attestations it needs.
    await expect(vr.connect(f.lab).attestLot(lotId)).to.emit(vr, "LotAttested").withArgs(lotId, f.lab.address, 1);
    expect(await vr.lotState(lotId)).to.equal(BigInt(LotState.PendingRelease));

    // 3. The health commission attests it too: the quorum of two is reached and the lot is released.
    await expect(vr.connect(f.regulator).attestLot(lotId)).to.emit(vr, "LotReleased").withArgs(lotId, 2);
    expect(await vr.lotState(lotId)).to.equal(BigInt(LotState.Active));

    // 4. The Xuhui community health center vaccinates the citizen; Ruijin Hospital vaccinates citizen2.
    const doseA = doseIdOf(f.clinic.address, lotId, 1);
    const doseB = doseIdOf(f.hospital.address, lotId, 2);
    await expect(vr.connect(f.clinic).recordDose(lotId, f.citizen.address, 1, XUHUI))
      .to.emit(vr, "DoseRecorded")
      .withArgs(doseA, f.citizen.address, f.clinic.address, lotId, 1, XUHUI);
    await expect(vr.connect(f.hospital).recordDose(lotId, f.citizen2.address, 1, HUANGPU))
      .to.emit(vr, "DoseRecorded")
      .withArgs(doseB, f.citizen2.address, f.hospital.address, lotId, 1, HUANGPU);

    // 5. The citizen confirms the dose from their own wallet.
    await expect(vr.connect(f.citizen).confirmDose(doseA))
      .to.emit(vr, "DoseConfirmed")
      .withArgs(doseA, f.citizen.address, f.citizen.address);

    // 6. Citizen2 has no gas: they sign a ConfirmDose at the hospital desk, and the hospital relays it.
    const confirmB = { doseId: doseB, deadline: BigInt(await now()) + 15n * 60n };
    const signatureB = signConfirmDose(citizen2Key, domain, confirmB);
    await expect(vr.connect(f.hospital).confirmDoseBySig(doseB, confirmB.deadline, signatureB))
      .to.emit(vr, "DoseConfirmed")
      .withArgs(doseB, f.citizen2.address, f.hospital.address);
    // The same signature cannot be relayed a second time.
    await expect(vr.connect(f.hospital).confirmDoseBySig(doseB, confirmB.deadline, signatureB))
      .to.be.revertedWithCustomError(vr, "VaccineRegistryDoseAlreadyConfirmed")
      .withArgs(doseB);

    // 7. The health commission verifies the citizen's dose record.
    await expect(vr.connect(f.regulator).verifyDose(doseA))
      .to.emit(vr, "DoseVerified")
      .withArgs(doseA, f.regulator.address);
    expect(await doseTuple(vr, doseA)).to.deep.equal([
      f.citizen.address,
      lotId,
      1n,
      1n,
      true,
      true,
      false,
      BigInt(LotState.Active),
    ]);
    expect(await doseTuple(vr, doseB)).to.deep.equal([
      f.citizen2.address,
      lotId,
      2n,
      1n,
      true,
      false,
      false,
      BigInt(LotState.Active),
    ]);

    // 8. At a metro gate, both citizens prove vaccination by signing the verifier's challenge: valid.
    const proof = async (citizen: string, doseId: string, key: string) => {
      const message = {
        citizen,
        doseId,
        challenge: ethers.id(`metro gate challenge for ${citizen}`),
        validUntil: BigInt(await now()) + 120n,
      };
      return checkProof(vr, message, signVaccinationProof(key, domain, message));
    };
    expect(await proof(f.citizen.address, doseA, citizenKey)).to.equal(BigInt(ProofResult.Valid));
    expect(await proof(f.citizen2.address, doseB, citizen2Key)).to.equal(BigInt(ProofResult.Valid));

    // 9. Adverse events are reported: the health commission recalls the lot. One event for the whole lot.
    const receipt = await (await vr.connect(f.regulator).recallLot(lotId, Reason.AdverseEvents)).wait();
    expect(receipt?.logs.length).to.equal(1);
    const recalled = vr.interface.parseLog(receipt!.logs[0]);
    expect(recalled?.name).to.equal("LotRecalled");
    expect(recalled?.args.toArray()).to.deep.equal([lotId, f.regulator.address, BigInt(Reason.AdverseEvents)]);

    // 10. Each citizen's dose now reports the recall, so their view can warn them …
    expect((await vr.doseOf(doseA)).lotState).to.equal(BigInt(LotState.Recalled));
    expect((await vr.doseOf(doseB)).lotState).to.equal(BigInt(LotState.Recalled));
    // … and a fresh proof of vaccination now says the dose's lot is not usable.
    expect(await proof(f.citizen.address, doseA, citizenKey)).to.equal(BigInt(ProofResult.LotNotUsable));
    expect(await proof(f.citizen2.address, doseB, citizen2Key)).to.equal(BigInt(ProofResult.LotNotUsable));

    // 11. No clinic can record another dose from the recalled lot; the lot still counts the two given.
    await expect(vr.connect(f.clinic).recordDose(lotId, f.citizen.address, 2, XUHUI))
      .to.be.revertedWithCustomError(vr, "VaccineRegistryLotNotUsable")
      .withArgs(lotId, LotState.Recalled);
    const lotView = await vr.lotOf(lotId);
    expect([lotView.state, lotView.dosesRecorded, lotView.doseCount]).to.deep.equal([
      BigInt(LotState.Recalled),
      2n,
      500n,
    ]);
  });
});
