/**
 * The rules of the citizen, verifier and clinic pages (pages/citizen/logic.ts), checked before any transaction:
 * grant expiry from a date, organisation search, consent timeline order, keyed nonces, proof lifetime, which lots
 * a clinic may use, which doses await confirmation, the record-dose form.
 */
import { type Address, getAddress, keccak256, encodeAbiParameters, hexToBigInt } from "viem";
import { describe, expect, it } from "vitest";

import { LotState } from "../../scripts/lib/vaccines.ts";
import { ProofResult } from "../../scripts/lib/vaccine-typed-data.ts";
import { parseScannedCode } from "../src/lib/qr.ts";
import {
  awaitingConfirmation,
  checkDoseForm,
  consentNonceKey,
  deriveCurrentGrantKeys,
  doseCanProve,
  expiryFromDate,
  formatCountdown,
  grantIsLive,
  lotIsUsable,
  proofResultKey,
  proofValidUntil,
  searchOrganisations,
  shanghaiDate,
  sortTimeline,
  type TimelineEntry,
  walletUri,
} from "../src/pages/citizen/logic.ts";

const A = getAddress("0x71be63f3384f5fb98995898a86b02fb2426c5788");
const B = getAddress("0x14dc79964da2c08b23698b3d3cc7ca32193d9955");

// 2026-11-20 12:00 Shanghai = 04:00 UTC.
const NOON_CST = Date.UTC(2026, 10, 20, 4, 0, 0) / 1000;

describe("grant expiry", () => {
  it("test_expiryFromDate_endsAtTheLastSecondOfThatDayInShanghai", () => {
    const check = expiryFromDate("2026-11-20", NOON_CST);
    expect(check).toEqual({ ok: true, expiresAt: Date.UTC(2026, 10, 20, 15, 59, 59) / 1000 });
  });

  it("test_expiryFromDate_todayIsAcceptedYesterdayRefusedAsPast", () => {
    expect(expiryFromDate("2026-11-20", NOON_CST).ok).toBe(true);
    expect(expiryFromDate("2026-11-19", NOON_CST)).toEqual({ ok: false, problem: "past" });
    // Just after midnight in Shanghai (16:00 UTC), "today" is already the 21st.
    expect(expiryFromDate("2026-11-20", Date.UTC(2026, 10, 20, 16, 0, 0) / 1000)).toEqual({ ok: false, problem: "past" });
  });

  it("test_expiryFromDate_emptyMalformedAndTooFarRefused", () => {
    expect(expiryFromDate("", NOON_CST)).toEqual({ ok: false, problem: "empty" });
    expect(expiryFromDate("  ", NOON_CST)).toEqual({ ok: false, problem: "empty" });
    expect(expiryFromDate("20/11/2026", NOON_CST)).toEqual({ ok: false, problem: "invalid" });
    expect(expiryFromDate("2026-02-30", NOON_CST)).toEqual({ ok: false, problem: "invalid" });
    expect(expiryFromDate("2040-01-01", NOON_CST)).toEqual({ ok: false, problem: "tooFar" });
    expect(expiryFromDate("2036-11-01", NOON_CST).ok).toBe(true);
  });

  it("test_shanghaiDate_usesChinaStandardTime", () => {
    expect(shanghaiDate(Date.UTC(2026, 10, 20, 15, 59, 59) / 1000)).toBe("2026-11-20");
    expect(shanghaiDate(Date.UTC(2026, 10, 20, 16, 0, 0) / 1000)).toBe("2026-11-21");
  });

  it("test_grantIsLive_untilItsExclusiveExpiry", () => {
    expect(grantIsLive(100, 99)).toBe(true);
    expect(grantIsLive(100, 100)).toBe(false);
  });
});

describe("organisations and consent history", () => {
  const orgs = [
    { name: "Ruijin Hospital", localName: "瑞金医院", status: 1 },
    { name: "Zhongshan Hospital, Fudan University", localName: "复旦大学附属中山医院", status: 1 },
    { name: "Suspended Clinic", localName: "暂停诊所", status: 2 },
  ];

  it("test_searchOrganisations_matchesEitherLanguageCaseInsensitiveActiveOnly", () => {
    expect(searchOrganisations(orgs, "ruijin").map((o) => o.localName)).toEqual(["瑞金医院"]);
    expect(searchOrganisations(orgs, "中山").map((o) => o.name)).toEqual(["Zhongshan Hospital, Fudan University"]);
    expect(searchOrganisations(orgs, "HOSPITAL")).toHaveLength(2);
    expect(searchOrganisations(orgs, "")).toHaveLength(2);
    expect(searchOrganisations(orgs, "suspended")).toEqual([]);
  });

  it("test_deriveCurrentGrantKeys_eachPairOnceWhateverTheAddressCase", () => {
    const keys = deriveCurrentGrantKeys([
      { grantee: A, category: 1 },
      { grantee: A.toLowerCase() as Address, category: 1 },
      { grantee: A, category: 2 },
      { grantee: B, category: 1 },
    ]);
    expect(keys).toEqual([
      { grantee: A, category: 1 },
      { grantee: A, category: 2 },
      { grantee: B, category: 1 },
    ]);
  });

  it("test_sortTimeline_newestFirstByBlockThenLogIndex", () => {
    const e = (kind: "granted" | "revoked" | "read", blockNumber: bigint, logIndex: number): TimelineEntry =>
      kind === "granted"
        ? { kind, blockNumber, logIndex, time: Number(blockNumber), party: A, category: 0, purpose: 0, expiresAt: 0 }
        : { kind, blockNumber, logIndex, time: Number(blockNumber), party: A, category: 0 };
    const sorted = sortTimeline([e("granted", 5n, 0), e("read", 9n, 1), e("revoked", 9n, 3), e("read", 7n, 0)]);
    expect(sorted.map((x) => [x.kind, x.blockNumber, x.logIndex])).toEqual([
      ["revoked", 9n, 3],
      ["read", 9n, 1],
      ["read", 7n, 0],
      ["granted", 5n, 0],
    ]);
  });

  it("test_consentNonceKey_upper192BitsPerGranteeAndCategory", () => {
    const key = consentNonceKey(A, 1);
    expect(key).toBe(hexToBigInt(keccak256(encodeAbiParameters([{ type: "address" }, { type: "uint8" }], [A, 1]))) >> 64n);
    expect(key < 2n ** 192n).toBe(true);
    expect(consentNonceKey(A, 2)).not.toBe(key);
    expect(consentNonceKey(B, 1)).not.toBe(key);
  });
});

describe("proof of vaccination", () => {
  it("test_proofValidUntil_withinTheContractsMaximumFromChainTime", () => {
    expect(proofValidUntil(1_000, 300)).toBe(1_295n);
    expect(proofValidUntil(1_000, 300) - 1_000n <= 300n).toBe(true);
    expect(proofValidUntil(1_000, 3)).toBe(1_001n);
  });

  it("test_proofResultKey_everyResultHasItsReason", () => {
    expect(Object.values(ProofResult).map(proofResultKey)).toEqual([
      "result.valid",
      "result.notCurrent",
      "result.tooLong",
      "result.badSignature",
      "result.noConfirmedDose",
      "result.lotNotUsable",
    ]);
    expect(proofResultKey(42)).toBe("result.unknown");
  });

  it("test_doseCanProve_onlyConfirmedUnvoidedFromAGoodLot", () => {
    const ok = { confirmed: true, voided: false, lotState: LotState.Active };
    expect(doseCanProve(ok)).toBe(true);
    expect(doseCanProve({ ...ok, lotState: LotState.Expired })).toBe(true);
    expect(doseCanProve({ ...ok, confirmed: false })).toBe(false);
    expect(doseCanProve({ ...ok, voided: true })).toBe(false);
    expect(doseCanProve({ ...ok, lotState: LotState.Recalled })).toBe(false);
    expect(doseCanProve({ ...ok, lotState: LotState.NonConformant })).toBe(false);
  });

  it("test_formatCountdown_minutesAndSecondsNeverNegative", () => {
    expect(formatCountdown(295)).toBe("4:55");
    expect(formatCountdown(9.7)).toBe("0:09");
    expect(formatCountdown(-3)).toBe("0:00");
  });
});

describe("clinic", () => {
  const lot = { state: LotState.Active, expiresAt: 2_000, doseCount: 10, dosesRecorded: 3 };

  it("test_lotIsUsable_activeUnexpiredWithDosesLeft", () => {
    expect(lotIsUsable(lot, 1_000)).toBe(true);
    expect(lotIsUsable({ ...lot, state: LotState.PendingRelease }, 1_000)).toBe(false);
    expect(lotIsUsable({ ...lot, state: LotState.Recalled }, 1_000)).toBe(false);
    expect(lotIsUsable({ ...lot, state: LotState.NonConformant }, 1_000)).toBe(false);
    expect(lotIsUsable(lot, 2_000)).toBe(false);
    expect(lotIsUsable({ ...lot, dosesRecorded: 10 }, 1_000)).toBe(false);
  });

  it("test_awaitingConfirmation_excludesConfirmedAndVoided", () => {
    const doses = [
      { id: 1, confirmed: false, voided: false },
      { id: 2, confirmed: true, voided: false },
      { id: 3, confirmed: false, voided: true },
    ];
    expect(awaitingConfirmation(doses).map((d) => d.id)).toEqual([1]);
  });

  it("test_checkDoseForm_everyFieldCheckedBeforeAnyTransaction", () => {
    const good = { citizen: A, clinic: B, lotId: 2, doseNumber: "2", district: "310115" };
    expect(checkDoseForm(good)).toEqual({ ok: true, citizen: A, lotId: 2, doseNumber: 2, district: 310115 });
    expect(checkDoseForm({ ...good, citizen: null })).toEqual({ ok: false, problem: "noCitizen" });
    expect(checkDoseForm({ ...good, citizen: "0x1234" })).toEqual({ ok: false, problem: "badCitizen" });
    expect(checkDoseForm({ ...good, citizen: A.replace("bE", "Be") })).toEqual({ ok: false, problem: "badCitizen" });
    expect(checkDoseForm({ ...good, citizen: B })).toEqual({ ok: false, problem: "selfCitizen" });
    expect(checkDoseForm({ ...good, lotId: null })).toEqual({ ok: false, problem: "noLot" });
    for (const n of ["0", "11", "1.5", "", "-1", "abc"]) {
      expect(checkDoseForm({ ...good, doseNumber: n })).toEqual({ ok: false, problem: "badDoseNumber" });
    }
    expect(checkDoseForm({ ...good, district: "31011" })).toEqual({ ok: false, problem: "badDistrict" });
  });

  it("test_walletUri_isAnEip681CodeTheClinicScannerAccepts", () => {
    const uri = walletUri(A, 31337);
    expect(uri).toBe(`ethereum:${A}@31337`);
    expect(parseScannedCode(uri, { chainId: 31337, appHosts: [] })).toEqual({ kind: "address", address: A, chainId: 31337 });
  });
});
