import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";

import { RecordRegistry__factory } from "../../types/ethers-contracts/index.js";
import {
  type Actors,
  accreditedFixture,
  Category,
  type Deployed,
  deployFixture,
  emittedBy,
  ethers,
  networkHelpers,
  role,
} from "./helpers/fixtures.js";

type Fixture = Deployed & Actors;

const RECORD_ISSUER_ROLE = role("RECORD_ISSUER_ROLE");
const MAX_CATEGORY = Category.HealthCodeStatus;

/** Personas that hold RECORD_ISSUER_ROLE in the accredited fixture. */
const ISSUERS = ["lab", "hospital", "clinic"] as const;
/** Every other persona: none of them may anchor. */
const NON_ISSUERS = [
  "admin",
  "regulator",
  "manufacturer",
  "carrier",
  "warehouse",
  "research",
  "vault",
  "citizen",
  "outsider",
] as const;

/** A record id as the vault computes it: keccak-256 of a salted document. */
const recordHash = (label: string): string =>
  ethers.keccak256(ethers.toUtf8Bytes(JSON.stringify({ label, salt: ethers.id(label) })));

const ZERO_ANCHOR = {
  subject: ethers.ZeroAddress,
  category: 0n,
  anchoredAt: 0n,
  issuer: ethers.ZeroAddress,
};

async function anchorOf(f: Fixture, contentHash: string) {
  const a = await f.recordRegistry.anchorOf(contentHash);
  return { subject: a.subject, category: a.category, anchoredAt: a.anchoredAt, issuer: a.issuer };
}

async function blockTimestamp(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  const block = await ethers.provider.getBlock(receipt!.blockNumber);
  return BigInt(block!.timestamp);
}

/** The accredited fixture with one vaccination record anchored by the hospital about the citizen. */
async function anchoredFixture(): Promise<Fixture & { contentHash: string; anchored: Awaited<ReturnType<typeof anchorOf>> }> {
  const f = await accreditedFixture();
  const contentHash = recordHash("ruijin-vaccination-1");
  await f.recordRegistry.connect(f.hospital).anchor(f.citizen.address, Category.Vaccination, contentHash);
  return { ...f, contentHash, anchored: await anchorOf(f, contentHash) };
}

describe("RecordRegistry", () => {
  describe("constructor / authority", () => {
    it("test_authority_isTheDeployedAuthority", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      expect(await f.recordRegistry.authority()).to.equal(await f.authority.getAddress());
    });

    it("test_constructor_storesGivenAuthority", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const other = ethers.Wallet.createRandom().address;
      const registry = await new RecordRegistry__factory(f.admin).deploy(other);
      expect(await registry.authority()).to.equal(other);
    });
  });

  describe("anchor", () => {
    it("test_anchor_storesAnchorAndEmits", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const contentHash = recordHash("ruijin-lab-1");
      const tx = f.recordRegistry.connect(f.hospital).anchor(f.citizen.address, Category.LabResult, contentHash);
      await expect(tx)
        .to.emit(f.recordRegistry, "RecordAnchored")
        .withArgs(contentHash, f.citizen.address, f.hospital.address, Category.LabResult);
      expect(await anchorOf(f, contentHash)).to.deep.equal({
        subject: f.citizen.address,
        category: BigInt(Category.LabResult),
        anchoredAt: await blockTimestamp(tx),
        issuer: f.hospital.address,
      });
    });

    it("test_anchor_acceptsEveryRecordIssuer", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      for (const name of ISSUERS) {
        const issuer: HardhatEthersSigner = f[name];
        expect(await f.authority.hasRole(RECORD_ISSUER_ROLE, issuer.address), name).to.equal(true);
        const contentHash = recordHash(`record-by-${name}`);
        await expect(f.recordRegistry.connect(issuer).anchor(f.citizen2.address, Category.Diagnosis, contentHash))
          .to.emit(f.recordRegistry, "RecordAnchored")
          .withArgs(contentHash, f.citizen2.address, issuer.address, Category.Diagnosis);
        expect((await anchorOf(f, contentHash)).issuer).to.equal(issuer.address);
      }
    });

    it("test_anchor_acceptsEveryCategoryFrom0To5", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      for (const category of Object.values(Category)) {
        const contentHash = recordHash(`category-${category}`);
        await expect(f.recordRegistry.connect(f.clinic).anchor(f.citizen.address, category, contentHash))
          .to.emit(f.recordRegistry, "RecordAnchored")
          .withArgs(contentHash, f.citizen.address, f.clinic.address, category);
        expect((await anchorOf(f, contentHash)).category).to.equal(BigInt(category));
      }
      expect(MAX_CATEGORY).to.equal(5);
    });

    it("test_anchor_refusesUnknownCategory", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const contentHash = recordHash("bad-category");
      for (const category of [MAX_CATEGORY + 1, 255]) {
        await expect(f.recordRegistry.connect(f.hospital).anchor(f.citizen.address, category, contentHash))
          .to.be.revertedWithCustomError(f.recordRegistry, "RecordRegistryUnknownCategory")
          .withArgs(category);
      }
      expect(await anchorOf(f, contentHash)).to.deep.equal(ZERO_ANCHOR);
    });

    it("test_anchor_refusesZeroSubject", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const contentHash = recordHash("no-subject");
      await expect(
        f.recordRegistry.connect(f.hospital).anchor(ethers.ZeroAddress, Category.Vaccination, contentHash),
      ).to.be.revertedWithCustomError(f.recordRegistry, "RecordRegistryZeroSubject");
      expect(await anchorOf(f, contentHash)).to.deep.equal(ZERO_ANCHOR);
    });

    it("test_anchor_refusesZeroHash", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      await expect(
        f.recordRegistry.connect(f.hospital).anchor(f.citizen.address, Category.Vaccination, ethers.ZeroHash),
      ).to.be.revertedWithCustomError(f.recordRegistry, "RecordRegistryZeroHash");
      expect(await anchorOf(f, ethers.ZeroHash)).to.deep.equal(ZERO_ANCHOR);
    });

    it("test_anchor_refusesAlreadyAnchored", async () => {
      const f = await networkHelpers.loadFixture(anchoredFixture);
      const attempts: [HardhatEthersSigner, string, number][] = [
        [f.hospital, f.citizen.address, Category.Vaccination], // same issuer, same data
        [f.clinic, f.citizen.address, Category.Vaccination], // another issuer
        [f.lab, f.citizen2.address, Category.Imaging], // another subject and category
      ];
      for (const [issuer, subject, category] of attempts) {
        await expect(f.recordRegistry.connect(issuer).anchor(subject, category, f.contentHash))
          .to.be.revertedWithCustomError(f.recordRegistry, "RecordRegistryAlreadyAnchored")
          .withArgs(f.contentHash);
      }
      expect(await anchorOf(f, f.contentHash)).to.deep.equal(f.anchored);
      expect(f.anchored.issuer).to.equal(f.hospital.address);
    });

    it("test_anchor_refusesEveryNonIssuer", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const contentHash = recordHash("unauthorised");
      for (const name of NON_ISSUERS) {
        const signer: HardhatEthersSigner = f[name];
        expect(await f.authority.hasRole(RECORD_ISSUER_ROLE, signer.address), name).to.equal(false);
        await expect(
          f.recordRegistry.connect(signer).anchor(f.citizen.address, Category.Vaccination, contentHash),
          name,
        )
          .to.be.revertedWithCustomError(f.recordRegistry, "RecordRegistryUnauthorized")
          .withArgs(signer.address);
      }
      expect(await anchorOf(f, contentHash)).to.deep.equal(ZERO_ANCHOR);
    });

    it("test_anchor_checksRoleBeforeInput", async () => {
      const f = await networkHelpers.loadFixture(anchoredFixture);
      // every input is bad as well; the missing role is reported first
      await expect(f.recordRegistry.connect(f.outsider).anchor(ethers.ZeroAddress, 6, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.recordRegistry, "RecordRegistryUnauthorized")
        .withArgs(f.outsider.address);
      await expect(f.recordRegistry.connect(f.outsider).anchor(f.citizen.address, Category.Vaccination, f.contentHash))
        .to.be.revertedWithCustomError(f.recordRegistry, "RecordRegistryUnauthorized")
        .withArgs(f.outsider.address);
      expect(await anchorOf(f, f.contentHash)).to.deep.equal(f.anchored);
    });

    it("test_anchor_checksInputInOrderCategorySubjectHash", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      await expect(f.recordRegistry.connect(f.hospital).anchor(ethers.ZeroAddress, 6, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.recordRegistry, "RecordRegistryUnknownCategory")
        .withArgs(6);
      await expect(
        f.recordRegistry.connect(f.hospital).anchor(ethers.ZeroAddress, Category.Vaccination, ethers.ZeroHash),
      ).to.be.revertedWithCustomError(f.recordRegistry, "RecordRegistryZeroSubject");
      expect(await anchorOf(f, ethers.ZeroHash)).to.deep.equal(ZERO_ANCHOR);
    });

    it("test_anchor_refusesSuspendedIssuerUntilRestored", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      await f.authority.connect(f.regulator).suspend(f.hospital.address);
      expect(await f.authority.hasRole(RECORD_ISSUER_ROLE, f.hospital.address)).to.equal(false);
      const contentHash = recordHash("while-suspended");
      await expect(f.recordRegistry.connect(f.hospital).anchor(f.citizen.address, Category.Diagnosis, contentHash))
        .to.be.revertedWithCustomError(f.recordRegistry, "RecordRegistryUnauthorized")
        .withArgs(f.hospital.address);
      expect(await anchorOf(f, contentHash)).to.deep.equal(ZERO_ANCHOR);

      await f.authority.connect(f.regulator).restore(f.hospital.address);
      await expect(f.recordRegistry.connect(f.hospital).anchor(f.citizen.address, Category.Diagnosis, contentHash))
        .to.emit(f.recordRegistry, "RecordAnchored")
        .withArgs(contentHash, f.citizen.address, f.hospital.address, Category.Diagnosis);
    });

    it("test_anchor_refusesAfterRoleRevokedAndAcceptsAfterRegrant", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      await f.authority.connect(f.regulator).revokeRole(RECORD_ISSUER_ROLE, f.clinic.address);
      const contentHash = recordHash("after-revoke");
      await expect(f.recordRegistry.connect(f.clinic).anchor(f.citizen.address, Category.Prescription, contentHash))
        .to.be.revertedWithCustomError(f.recordRegistry, "RecordRegistryUnauthorized")
        .withArgs(f.clinic.address);
      expect(await anchorOf(f, contentHash)).to.deep.equal(ZERO_ANCHOR);

      await f.authority.connect(f.regulator).grantRole(RECORD_ISSUER_ROLE, f.clinic.address);
      await expect(f.recordRegistry.connect(f.clinic).anchor(f.citizen.address, Category.Prescription, contentHash))
        .to.emit(f.recordRegistry, "RecordAnchored")
        .withArgs(contentHash, f.citizen.address, f.clinic.address, Category.Prescription);
    });

    it("test_anchor_refusesAfterRoleRenounced", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      await f.authority.connect(f.lab).renounceRole(RECORD_ISSUER_ROLE, f.lab.address);
      const contentHash = recordHash("after-renounce");
      await expect(f.recordRegistry.connect(f.lab).anchor(f.citizen.address, Category.LabResult, contentHash))
        .to.be.revertedWithCustomError(f.recordRegistry, "RecordRegistryUnauthorized")
        .withArgs(f.lab.address);
      expect(await anchorOf(f, contentHash)).to.deep.equal(ZERO_ANCHOR);
    });

    it("test_anchor_newlyGrantedIssuerCanAnchor", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const contentHash = recordHash("research-cohort-record");
      await expect(f.recordRegistry.connect(f.research).anchor(f.citizen.address, Category.Imaging, contentHash))
        .to.be.revertedWithCustomError(f.recordRegistry, "RecordRegistryUnauthorized")
        .withArgs(f.research.address);
      await f.authority.connect(f.regulator).grantRole(RECORD_ISSUER_ROLE, f.research.address);
      await expect(f.recordRegistry.connect(f.research).anchor(f.citizen.address, Category.Imaging, contentHash))
        .to.emit(f.recordRegistry, "RecordAnchored")
        .withArgs(contentHash, f.citizen.address, f.research.address, Category.Imaging);
    });

    it("test_anchor_manyRecordsAboutOneCitizenAreIndependent", async () => {
      const f = await networkHelpers.loadFixture(anchoredFixture);
      const second = recordHash("ruijin-health-code-1");
      const tx = f.recordRegistry.connect(f.hospital).anchor(f.citizen.address, Category.HealthCodeStatus, second);
      const anchoredAt = await blockTimestamp(tx);
      expect(await anchorOf(f, second)).to.deep.equal({
        subject: f.citizen.address,
        category: BigInt(Category.HealthCodeStatus),
        anchoredAt,
        issuer: f.hospital.address,
      });
      expect(await anchorOf(f, f.contentHash)).to.deep.equal(f.anchored);
    });
  });

  describe("anchorOf", () => {
    it("test_anchorOf_zeroForUnknownHash", async () => {
      const f = await networkHelpers.loadFixture(anchoredFixture);
      expect(await anchorOf(f, recordHash("never-anchored"))).to.deep.equal(ZERO_ANCHOR);
      expect(await anchorOf(f, ethers.ZeroHash)).to.deep.equal(ZERO_ANCHOR);
    });

    it("test_anchorOf_returnsStoredFields", async () => {
      const f = await networkHelpers.loadFixture(anchoredFixture);
      const [log] = await f.recordRegistry.queryFilter(f.recordRegistry.filters.RecordAnchored(f.contentHash));
      const anchoredAt = BigInt((await ethers.provider.getBlock(log.blockNumber))!.timestamp);
      expect(f.anchored).to.deep.equal({
        subject: f.citizen.address,
        category: BigInt(Category.Vaccination),
        anchoredAt,
        issuer: f.hospital.address,
      });
    });
  });

  describe("multicall", () => {
    /** A hospital's batch: `count` records about the two citizens, every category in turn. */
    function batch(f: Fixture, count: number) {
      const records = Array.from({ length: count }, (_, i) => ({
        subject: i % 2 === 0 ? f.citizen.address : f.citizen2.address,
        category: i % (MAX_CATEGORY + 1),
        contentHash: recordHash(`ruijin-batch-${i}`),
      }));
      const calls = records.map((r) =>
        f.recordRegistry.interface.encodeFunctionData("anchor", [r.subject, r.category, r.contentHash]),
      );
      return { records, calls };
    }

    it("test_multicall_batchOfN_allEventsEmitted", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const { records, calls } = batch(f, 12);
      const tx = f.recordRegistry.connect(f.hospital).multicall(calls);
      const anchoredAt = await blockTimestamp(tx);
      expect(await emittedBy(tx, f.recordRegistry)).to.deep.equal(
        records.map((r) => ["RecordAnchored", r.contentHash, r.subject, f.hospital.address, BigInt(r.category)]),
      );
      for (const r of records) {
        expect(await anchorOf(f, r.contentHash)).to.deep.equal({
          subject: r.subject,
          category: BigInt(r.category),
          anchoredAt,
          issuer: f.hospital.address,
        });
      }
    });

    it("test_multicall_oneCallRefused_wholeBatchRevertsWithItsError", async () => {
      const f = await networkHelpers.loadFixture(anchoredFixture);
      const { records, calls } = batch(f, 5);
      // The fourth call anchors a record that is already anchored.
      calls[3] = f.recordRegistry.interface.encodeFunctionData("anchor", [f.citizen.address, 0, f.contentHash]);
      await expect(f.recordRegistry.connect(f.hospital).multicall(calls))
        .to.be.revertedWithCustomError(f.recordRegistry, "RecordRegistryAlreadyAnchored")
        .withArgs(f.contentHash);
      for (const r of records) expect(await anchorOf(f, r.contentHash)).to.deep.equal(ZERO_ANCHOR);
      expect(await anchorOf(f, f.contentHash)).to.deep.equal(f.anchored);
    });

    it("test_multicall_roleCheckedPerCall", async () => {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const { records, calls } = batch(f, 3);
      for (const name of NON_ISSUERS) {
        const caller: HardhatEthersSigner = f[name];
        await expect(f.recordRegistry.connect(caller).multicall(calls), name)
          .to.be.revertedWithCustomError(f.recordRegistry, "RecordRegistryUnauthorized")
          .withArgs(caller.address);
      }
      for (const r of records) expect(await anchorOf(f, r.contentHash)).to.deep.equal(ZERO_ANCHOR);
    });
  });
});
