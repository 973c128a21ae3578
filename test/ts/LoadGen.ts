/**
 * The load generator (scripts/lib/loadgen.ts, scripts/lib/loadgen-run.ts): the plan is exact and deterministic, the
 * hand-made calldata and EIP-712 digests equal viem's, and a run of 2,000 events on the in-process Hardhat network
 * reports per-event-name counts equal to what eth_getLogs finds.
 */
import { expect } from "chai";
import { type Abi, type Address, encodeFunctionData, type Hex, hashTypedData, toEventSelector } from "viem";

import { CONSENT_DOMAIN, CONSENT_TYPES } from "../../scripts/lib/consent-typed-data.ts";
import {
  apportion,
  countOps,
  EVENT_SOURCES,
  type EventName,
  historyWindow,
  type LoadgenConfig,
  MIN_DAYS,
  MIN_EVENTS,
  planLoad,
  totalOf,
} from "../../scripts/lib/loadgen.ts";
import {
  artifactAbi,
  calldataEncoders,
  chainFacts,
  confirmDoseDigest,
  CONTRACT_NAMES,
  type Contracts,
  domainSeparator,
  grantDigest,
  providerRpc,
  revokeDigest,
  runLoad,
} from "../../scripts/lib/loadgen-run.ts";
import { VACCINE_DOMAIN, VACCINE_TYPES } from "../../scripts/lib/vaccine-typed-data.ts";
import { connection, deployFixture, networkHelpers } from "./helpers/fixtures.js";

const config = (overrides: Partial<LoadgenConfig> = {}): LoadgenConfig => ({
  events: 20_000,
  days: 30,
  seed: 1,
  releaseQuorum: 2,
  startTime: 1_700_000_000,
  runNumber: 7,
  ...overrides,
});

const abis = Object.fromEntries(CONTRACT_NAMES.map((n) => [n, artifactAbi(n)])) as Record<
  (typeof CONTRACT_NAMES)[number],
  Abi
>;
const encode = (contract: (typeof CONTRACT_NAMES)[number], functionName: string, args: readonly unknown[]): Hex =>
  encodeFunctionData({ abi: abis[contract], functionName, args } as Parameters<typeof encodeFunctionData>[0]);

const CITIZEN: Address = "0x00000000000000000000000000000000000c171e";
const READER: Address = "0x000000000000000000000000000000000000beef";
const ID: Hex = "0x1111111111111111111111111111111111111111111111111111111111111111";
const WORD: Hex = "0x0300000000000000000000000000000000000000000000000000000000000002";
const SIGNATURE: Hex = `0x${"ab".repeat(64)}1b`;

describe("Load generator", () => {
  describe("the plan (pure)", () => {
    it("test_planLoad_countsAddUpToTheRequestedTotal", () => {
      for (const c of [
        config({ events: MIN_EVENTS, days: MIN_DAYS }),
        config(),
        config({ events: 100_000, days: 60, seed: 9 }),
      ]) {
        const plan = planLoad(c);
        expect(totalOf(plan.expected), `${c.events} events`).to.equal(c.events);
        // The table is what the ops produce, op by op.
        expect(countOps(plan.days.flatMap((d) => d.phases.flat()))).to.deep.equal(plan.expected);
        expect(plan.days).to.have.length(c.days);
      }
    });

    it("test_planLoad_sameSeedSamePlan_otherSeedOtherPlan", () => {
      const a = planLoad(config({ seed: 5 }));
      expect(JSON.stringify(planLoad(config({ seed: 5 })))).to.equal(JSON.stringify(a));
      expect(JSON.stringify(planLoad(config({ seed: 6 })).days)).to.not.equal(JSON.stringify(a.days));
    });

    it("test_planLoad_mixFollowsTheDocumentedShares", () => {
      const { expected: e } = planLoad(config({ events: 100_000, days: 60 }));
      expect(e.DoseRecorded).to.equal(40_000);
      expect(e.DoseConfirmed).to.equal(5_000);
      expect(e.DoseVerified).to.equal(1_000);
      expect(e.CustodyStepRecorded).to.equal(30_000);
      expect(e.ConsentGranted).to.equal(3_500);
      expect(e.ConsentRevoked).to.equal(400);
      expect(e.SuspectScanReported).to.equal(100);
      expect(e.ColdChainExcursion).to.be.greaterThan(0);
      expect(e.LotRecalled).to.be.greaterThan(0);
      expect(e.LotNonConformant).to.be.greaterThan(0);
      expect(e.LotReleased).to.equal(e.LotRegistered);
      expect(e.LotAttested).to.equal(2 * e.LotRegistered);
      // Every shipment is created, proposed to its carrier and most travel on; reads and anchors share the rest.
      expect(e.HandoverProposed).to.be.within(2.5 * e.ShipmentCreated, 3.2 * e.ShipmentCreated);
      expect(Math.abs(e.AccessLogged - e.RecordAnchored)).to.be.lessThanOrEqual(1);
      // 16 district clinics, 3 hospitals, a research institute, 3 manufacturers, 3 carriers, 2 warehouses, 2 labs, 2 gatekeepers.
      expect(e.OrganisationAccredited).to.equal(32);
    });

    it("test_planLoad_tooFewEventsOrDays_refused", () => {
      expect(() => planLoad(config({ events: MIN_EVENTS - 1 }))).to.throw(RangeError, /--events/);
      expect(() => planLoad(config({ days: MIN_DAYS - 1 }))).to.throw(RangeError, /--days/);
      expect(() => planLoad(config({ seed: -1 }))).to.throw(RangeError, /--seed/);
    });

    it("test_apportion_partsAddUpAndFollowWeights", () => {
      expect(apportion(10, [1, 1, 1])).to.deep.equal([4, 3, 3]);
      expect(apportion(7, [0, 2, 5])).to.deep.equal([0, 2, 5]);
      expect(apportion(0, [0, 0])).to.deep.equal([0, 0]);
      expect(() => apportion(1, [0, 0])).to.throw(RangeError);
    });

    it("test_historyWindow_endsBeforeNow_orInTheFutureOnALateChain", () => {
      const now = 1_800_000_000;
      const old = historyWindow(now - 200 * 86_400, 180, now);
      expect(old.endsInFuture).to.equal(false);
      expect(old.end).to.equal(now - 600);
      expect(old.start).to.equal(old.end - 179 * 86_400);
      const late = historyWindow(now, 30, now);
      expect(late.start).to.equal(now + 60);
      expect(late.endsInFuture).to.equal(true);
    });
  });

  describe("calldata and typed data (hand-made, checked against viem)", () => {
    const enc = calldataEncoders(abis);

    it("test_calldataEncoders_equalViemsEncoding", () => {
      const recordDose = encode("VaccineRegistry", "recordDose", [12, CITIZEN, 3, 310115]);
      expect(enc.recordDose(12, CITIZEN, 3, 310115)).to.equal(recordDose);
      expect(enc.confirmDoseBySig(ID, 1_900_000_000, SIGNATURE)).to.equal(
        encode("VaccineRegistry", "confirmDoseBySig", [ID, 1_900_000_000n, SIGNATURE]),
      );
      expect(enc.verifyDose(ID)).to.equal(encode("VaccineRegistry", "verifyDose", [ID]));
      expect(
        enc.recordSteps([
          [ID, WORD],
          [WORD, ID],
        ]),
      ).to.equal(
        encode("ProvenanceRegistry", "recordSteps", [
          [
            { shipmentId: ID, step: WORD },
            { shipmentId: WORD, step: ID },
          ],
        ]),
      );
      expect(enc.proposeHandover(ID, READER, true)).to.equal(
        encode("ProvenanceRegistry", "proposeHandover", [ID, READER, true]),
      );
      expect(enc.acceptHandover(ID)).to.equal(encode("ProvenanceRegistry", "acceptHandover", [ID]));
      expect(enc.rejectHandover(ID, 4)).to.equal(encode("ProvenanceRegistry", "rejectHandover", [ID, 4]));
      expect(enc.grantBySig(CITIZEN, READER, 2, 1, 1_900_000_000, 5n << 64n, 1_800_000_000, SIGNATURE)).to.equal(
        encode("ConsentRegistry", "grantBySig", [
          CITIZEN,
          READER,
          2,
          1,
          1_900_000_000n,
          5n << 64n,
          1_800_000_000n,
          SIGNATURE,
        ]),
      );
      expect(enc.revokeBySig(CITIZEN, READER, 2, 7n << 64n, 1_800_000_000, SIGNATURE)).to.equal(
        encode("ConsentRegistry", "revokeBySig", [CITIZEN, READER, 2, 7n << 64n, 1_800_000_000n, SIGNATURE]),
      );
      expect(enc.logAccess(CITIZEN, READER, 5, ID)).to.equal(
        encode("ConsentRegistry", "logAccess", [CITIZEN, READER, 5, ID]),
      );
      expect(enc.anchor(CITIZEN, 1, ID)).to.equal(encode("RecordRegistry", "anchor", [CITIZEN, 1, ID]));
      // multicall of calls of odd lengths (padding) and of none.
      const calls = [recordDose, "0x12345678" as Hex, enc.anchor(CITIZEN, 1, ID)];
      expect(enc.multicall(calls)).to.equal(encode("VaccineRegistry", "multicall", [calls]));
      expect(enc.multicall([])).to.equal(encode("VaccineRegistry", "multicall", [[]]));
    });

    it("test_typedDataDigests_equalViemsHashTypedData", () => {
      const vaccines: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
      const consent: Address = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
      const vaccineDomain = { ...VACCINE_DOMAIN, chainId: 31337, verifyingContract: vaccines };
      const consentDomain = { ...CONSENT_DOMAIN, chainId: 31337, verifyingContract: consent };
      expect(confirmDoseDigest(domainSeparator(VACCINE_DOMAIN, 31337, vaccines), ID, 1_900_000_000)).to.equal(
        hashTypedData({
          domain: vaccineDomain,
          types: VACCINE_TYPES,
          primaryType: "ConfirmDose",
          message: { doseId: ID, deadline: 1_900_000_000n },
        }),
      );
      const grant = {
        citizen: CITIZEN,
        grantee: READER,
        category: 2,
        purpose: 1,
        expiresAt: 1_900_000_000,
        nonce: 5n << 64n,
        deadline: 1_800_000_000,
      };
      expect(grantDigest(domainSeparator(CONSENT_DOMAIN, 31337, consent), grant)).to.equal(
        hashTypedData({
          domain: consentDomain,
          types: CONSENT_TYPES,
          primaryType: "Grant",
          message: { ...grant, expiresAt: BigInt(grant.expiresAt), deadline: BigInt(grant.deadline) },
        }),
      );
      const revoke = { citizen: CITIZEN, grantee: READER, category: 2, nonce: 7n << 64n, deadline: 1_800_000_000 };
      expect(revokeDigest(domainSeparator(CONSENT_DOMAIN, 31337, consent), revoke)).to.equal(
        hashTypedData({
          domain: consentDomain,
          types: CONSENT_TYPES,
          primaryType: "Revoke",
          message: { ...revoke, deadline: BigInt(revoke.deadline) },
        }),
      );
    });
  });

  describe("a run on the in-process Hardhat network", () => {
    it("test_runLoad_2000Events_reportedCountsEqualGetLogs", async function () {
      this.timeout(60_000);
      const f = await networkHelpers.loadFixture(deployFixture);
      const contracts = Object.fromEntries(
        await Promise.all(
          [
            ["HealthTraceAuthority", f.authority],
            ["ConsentRegistry", f.consentRegistry],
            ["RecordRegistry", f.recordRegistry],
            ["VaccineRegistry", f.vaccineRegistry],
            ["ProvenanceRegistry", f.provenanceRegistry],
          ].map(async ([name, c]) => [name, (await (c as { getAddress(): Promise<string> }).getAddress()) as Address]),
        ),
      ) as unknown as Contracts;
      const rpc = providerRpc(connection.provider);
      const chain = await chainFacts(rpc, contracts);
      const window = historyWindow(chain.blockTime, 8, Date.now() / 1000);
      const plan = planLoad({
        events: 2_000,
        days: 8,
        seed: 3,
        releaseQuorum: chain.releaseQuorum,
        startTime: window.start,
        runNumber: chain.blockNumber,
      });
      const report = await runLoad({ rpc, contracts, plan, abis, batch: 100, concurrency: 4 });
      expect(report.events).to.equal(2_000);
      expect(totalOf(report.counts)).to.equal(2_000);
      expect(report.blocks.first).to.equal(chain.blockNumber + 1);
      // Full blocks: a day's transactions share a block or a few, not one block each.
      expect(report.blocks.last - report.blocks.first + 1).to.be.below(report.transactions / 4);
      expect(await rpc("eth_getBlockTransactionCountByNumber", ["pending"])).to.equal("0x0");

      // Every event of the five contracts in the run's blocks, by name.
      const names = new Map<string, string>();
      for (const abi of Object.values(abis)) {
        for (const item of abi) if (item.type === "event") names.set(toEventSelector(item), item.name);
      }
      const found: Record<string, number> = {};
      const logs = (await rpc("eth_getLogs", [
        {
          address: Object.values(contracts),
          fromBlock: `0x${report.blocks.first.toString(16)}`,
          toBlock: `0x${report.blocks.last.toString(16)}`,
        },
      ])) as { topics: Hex[] }[];
      for (const log of logs) {
        const name = names.get(log.topics[0]) ?? log.topics[0];
        found[name] = (found[name] ?? 0) + 1;
      }
      const reported = Object.fromEntries(Object.entries(report.counts).filter(([, n]) => n > 0));
      expect(found).to.deep.equal(reported);
      for (const name of Object.keys(found)) expect(EVENT_SOURCES[name as EventName], name).to.be.a("string");
    });
  });
});
