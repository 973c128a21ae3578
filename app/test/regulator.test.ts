/** The regulator's and the lot page's input checks (refused before anything is sent) and small read helpers. */
import { keccak256, toBytes } from "viem";
import { describe, expect, it } from "vitest";

import { productName, stateBadgeClass } from "../src/pages/regulator/display.ts";
import { rolesOfMask } from "../src/pages/regulator/reads.ts";
import {
  addressProblem,
  checkAccreditInput,
  districtProblem,
  evidenceHash,
  MAX_EVIDENCE_LENGTH,
  nameProblem,
  parseDoseId,
  MAX_RELEASE_QUORUM,
  quorumProblem,
  parseLotId,
  parseLotLinkPath,
  utf8ByteLength,
} from "../src/pages/regulator/validation.ts";

const CHECKSUMMED = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const context = { maxNameBytes: 64, accredited: new Set<string>() };
const good = { address: CHECKSUMMED, kind: "3", district: "310104", name: "Xujiahui CHC", localName: "徐家汇社区卫生服务中心" };

describe("accreditation input", () => {
  it("test_utf8ByteLength_countsBytesNotCharacters", () => {
    expect(utf8ByteLength("abc")).toBe(3);
    expect(utf8ByteLength("浦东")).toBe(6);
    expect(utf8ByteLength("é")).toBe(2);
    expect(utf8ByteLength("😷")).toBe(4);
  });

  it("test_address_malformedChecksumZeroAndEmptyRefused", () => {
    expect(addressProblem("")).toBe("empty");
    expect(addressProblem("0x1234")).toBe("malformed");
    expect(addressProblem("70997970C51812dc3A010C7d01b50e0d17dc79C8")).toBe("malformed");
    expect(addressProblem("0x70997970C51812dc3A010C7d01b50e0d17dc79c8")).toBe("checksum");
    expect(addressProblem("0x0000000000000000000000000000000000000000")).toBe("zero");
    expect(addressProblem(CHECKSUMMED)).toBeNull();
    expect(addressProblem(CHECKSUMMED.toLowerCase())).toBeNull();
    expect(addressProblem(`  ${CHECKSUMMED} `)).toBeNull();
  });

  it("test_name_emptyOverTheByteLimitOrChineseInTheEnglishFieldRefused", () => {
    expect(nameProblem("  ", 64, true)).toBe("empty");
    expect(nameProblem("A".repeat(64), 64, true)).toBeNull();
    expect(nameProblem("A".repeat(65), 64, true)).toBe("tooLong");
    // 21 Chinese characters are 63 bytes; 22 are 66: over the limit although only 22 characters.
    expect(nameProblem("浦".repeat(21), 64, false)).toBeNull();
    expect(nameProblem("浦".repeat(22), 64, false)).toBe("tooLong");
    expect(nameProblem("浦东 Clinic", 64, true)).toBe("notLatin");
    expect(nameProblem("浦东 Clinic", 64, false)).toBeNull();
  });

  it("test_district_sixDigitsFrom100000", () => {
    expect(districtProblem("")).toBe("empty");
    expect(districtProblem("31010")).toBe("malformed");
    expect(districtProblem("3101040")).toBe("malformed");
    expect(districtProblem("010104")).toBe("malformed");
    expect(districtProblem("31o104")).toBe("malformed");
    expect(districtProblem("310104")).toBeNull();
  });

  it("test_checkAccreditInput_valuesTrimmedAndChecksummed", () => {
    const result = checkAccreditInput({ ...good, address: ` ${CHECKSUMMED.toLowerCase()} `, name: " Xujiahui CHC " }, context);
    expect(result).toEqual({
      ok: true,
      values: { org: CHECKSUMMED, kind: 3, district: 310104, name: "Xujiahui CHC", localName: "徐家汇社区卫生服务中心" },
    });
  });

  it("test_checkAccreditInput_everyProblemReportedAtOnce", () => {
    const result = checkAccreditInput({ address: "0x12", kind: "", district: "31", name: "", localName: "浦".repeat(30) }, context);
    expect(result).toEqual({
      ok: false,
      problems: { address: "malformed", kind: "missing", district: "malformed", name: "empty", localName: "tooLong" },
    });
    expect(checkAccreditInput({ ...good, kind: "8" }, context)).toMatchObject({ ok: false, problems: { kind: "missing" } });
  });

  it("test_checkAccreditInput_alreadyAccreditedRefused", () => {
    const result = checkAccreditInput(good, { maxNameBytes: 64, accredited: new Set([CHECKSUMMED.toLowerCase()]) });
    expect(result).toEqual({ ok: false, problems: { address: "alreadyAccredited" } });
  });

  it("test_checkAccreditInput_limitComesFromTheContract", () => {
    expect(checkAccreditInput({ ...good, name: "A".repeat(40) }, { ...context, maxNameBytes: 32 })).toMatchObject({
      ok: false,
      problems: { name: "tooLong" },
    });
  });
});

describe("quarantine evidence", () => {
  it("test_evidenceHash_isKeccakOfTheTrimmedReference", () => {
    expect(evidenceHash("  SH-2026-117 ")).toBe(keccak256(toBytes("SH-2026-117")));
    expect(evidenceHash("检查报告 2026-117")).toBe(keccak256(toBytes("检查报告 2026-117")));
  });

  it("test_evidenceHash_emptyOrTooLongRefused", () => {
    expect(evidenceHash("   ")).toBeNull();
    expect(evidenceHash("x".repeat(MAX_EVIDENCE_LENGTH))).not.toBeNull();
    expect(evidenceHash("x".repeat(MAX_EVIDENCE_LENGTH + 1))).toBeNull();
  });
});

describe("lot addresses", () => {
  it("test_parseLotId_positiveUint32Only", () => {
    expect(parseLotId("1")).toBe(1);
    expect(parseLotId("4294967295")).toBe(4_294_967_295);
    expect(parseLotId("4294967296")).toBeNull();
    expect(parseLotId("0")).toBeNull();
    expect(parseLotId("-3")).toBeNull();
    expect(parseLotId("1e3")).toBeNull();
    expect(parseLotId("abc")).toBeNull();
    expect(parseLotId("")).toBeNull();
  });

  it("test_parseLotLinkPath_gtinCheckedAndLotDecodedOnce", () => {
    expect(parseLotLinkPath("/01/06938120200014/10/FOSUN20260430A")).toEqual({ ok: true, gtin: "06938120200014", lot: "FOSUN20260430A" });
    // GTIN-13 is padded; a "/" and a "%" in the lot travel percent-encoded and are decoded exactly once.
    expect(parseLotLinkPath("/01/6938120200014/10/A%2FB%2525")).toEqual({ ok: true, gtin: "06938120200014", lot: "A/B%25" });
    expect(parseLotLinkPath("/01/06938120200015/10/X")).toEqual({ ok: false, problem: "bad_gtin_check_digit" });
    expect(parseLotLinkPath("/01/123/10/X")).toEqual({ ok: false, problem: "bad_gtin" });
    expect(parseLotLinkPath("/01/06938120200014/10/%E4")).toEqual({ ok: false, problem: "bad_encoding" });
    expect(parseLotLinkPath("/01/06938120200014/10/%E6%B5%A6")).toEqual({ ok: false, problem: "bad_lot" });
    expect(parseLotLinkPath(`/01/06938120200014/10/${"A".repeat(21)}`)).toEqual({ ok: false, problem: "bad_lot" });
  });
});

describe("display helpers", () => {
  it("test_rolesOfMask_followsTheContractsBitOrder", () => {
    expect(rolesOfMask(0)).toEqual([]);
    expect(rolesOfMask(0b1010000)).toEqual(["CLINIC_ROLE", "LOT_ATTESTER_ROLE"]);
    expect(rolesOfMask(0b1)).toEqual(["REGULATOR_ROLE"]);
  });

  it("test_productName_fromTheCatalogueInTheUiLanguage", () => {
    expect(productName("06938120200014", "en")).toBe("COVID-19 mRNA vaccine (BNT162b2)");
    expect(productName("06938120200014", "zh")).toBe("新冠病毒mRNA疫苗（BNT162b2）");
    expect(productName("09506000134352", "en")).toBeNull();
  });

  it("test_stateBadge_warnsForRecalledAndNonConformant", () => {
    expect(stateBadgeClass(3)).toBe("badge err");
    expect(stateBadgeClass(5)).toBe("badge err");
    expect(stateBadgeClass(2)).toBe("badge ok");
    expect(stateBadgeClass(4)).toBe("badge warn");
  });
});

describe("dose record ids", () => {
  const id = keccak256(toBytes("a dose"));
  it("test_parseDoseId_acceptsThirtyTwoBytesWithOrWithout0x", () => {
    expect(parseDoseId(id)).toBe(id);
    expect(parseDoseId(`  ${id.slice(2).toUpperCase()} `)).toBe(id);
  });
  it("test_parseDoseId_refusesOtherLengthsAndNonHex", () => {
    expect(parseDoseId("")).toBeNull();
    expect(parseDoseId(id.slice(0, -2))).toBeNull();
    expect(parseDoseId(`${id}00`)).toBeNull();
    expect(parseDoseId(`0x${"g".repeat(64)}`)).toBeNull();
    expect(parseDoseId("0x0x" + id.slice(4))).toBeNull();
  });
});

describe("release quorum", () => {
  it("test_quorumProblem_acceptsAnotherWholeNumberFromOneToTheMaximum", () => {
    expect(quorumProblem("3", 2)).toBeNull();
    expect(quorumProblem(" 1 ", 2)).toBeNull();
    expect(quorumProblem(String(MAX_RELEASE_QUORUM), 2)).toBeNull();
  });
  it("test_quorumProblem_refusesWhatTheContractWouldRefuseOrWhatChangesNothing", () => {
    expect(quorumProblem("", 2)).toBe("notANumber");
    expect(quorumProblem("2.5", 2)).toBe("notANumber");
    expect(quorumProblem("-1", 2)).toBe("notANumber");
    expect(quorumProblem("0", 2)).toBe("outOfRange");
    expect(quorumProblem(String(MAX_RELEASE_QUORUM + 1), 2)).toBe("outOfRange");
    expect(quorumProblem("2", 2)).toBe("unchanged");
  });
});
