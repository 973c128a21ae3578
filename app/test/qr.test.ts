/** Scanned-code parsing: every kind accepted, and malformed codes refused with the right reason. */
import { describe, expect, it } from "vitest";

import { buildDigitalLink } from "../../scripts/lib/digital-link.ts";
import { encodeProof, parseScannedCode, QrError, type VaccinationProof } from "../src/lib/qr.ts";

const ctx = { chainId: 31337, appHosts: ["localhost:5173"] };
const problem = (text: string): string => {
  try {
    parseScannedCode(text, ctx);
  } catch (error) {
    if (error instanceof QrError) return error.problem;
    throw error;
  }
  throw new Error(`accepted: ${text}`);
};

const proof: VaccinationProof = {
  chainId: 31337,
  citizen: "0x71bE63f3384f5fb98995898A86B02Fb2426c5788",
  doseId: `0x${"ab".repeat(32)}`,
  challenge: `0x${"cd".repeat(32)}`,
  validUntil: 1_800_000_000n,
  signature: `0x${"11".repeat(65)}`,
};

describe("parseScannedCode", () => {
  it("test_shipmentLabel_onGs1AndOnTheAppHost", () => {
    const link = buildDigitalLink({ gtin: "09506000134352", lot: "ABC-1", serial: "S001" });
    const code = parseScannedCode(link, ctx);
    expect(code.kind).toBe("shipment");
    if (code.kind === "shipment") expect(code.label.serial).toBe("S001");
    expect(parseScannedCode("http://localhost:5173/01/09506000134352/10/ABC-1/21/S001", ctx).kind).toBe("shipment");
  });

  it("test_lotLink_isALot", () => {
    const code = parseScannedCode("http://localhost:5173/01/09506000134352/10/ABC-1", ctx);
    expect(code).toEqual({ kind: "lot", gtin: "09506000134352", lot: "ABC-1" });
  });

  it("test_wallet_eip681AndBareAddress", () => {
    expect(parseScannedCode("ethereum:0x71bE63f3384f5fb98995898A86B02Fb2426c5788@31337", ctx)).toMatchObject({ kind: "address", chainId: 31337 });
    expect(parseScannedCode("0x71be63f3384f5fb98995898a86b02fb2426c5788", ctx).kind).toBe("address");
  });

  it("test_proof_roundTrips", () => {
    const code = parseScannedCode(encodeProof("http://localhost:5173", proof), ctx);
    expect(code).toEqual({ kind: "proof", proof });
  });

  it("test_malformed_refusedWithReason", () => {
    expect(problem("")).toBe("empty");
    expect(problem("   ")).toBe("empty");
    expect(problem("x".repeat(3000))).toBe("tooLong");
    expect(problem("hello world")).toBe("unrecognised");
    expect(problem("https://id.gs1.org/01/09506000134352/10/ABC-1/21")).toBe("badDigitalLink");
    expect(problem("https://id.gs1.org/01/09506000134353/10/ABC-1/21/S1")).toBe("badDigitalLink");
    expect(problem("https://evil.example/01/09506000134352/10/ABC-1/21/S1")).toBe("badDigitalLink");
    expect(problem("0x71bE63f3384f5fb98995898A86B02Fb2426c5789")).toBe("badAddress");
    expect(problem("0x1234")).toBe("badAddress");
    expect(problem("ethereum:0x71bE63f3384f5fb98995898A86B02Fb2426c5788@1")).toBe("wrongChain");
    expect(problem(encodeProof("http://localhost:5173", { ...proof, chainId: 1 }))).toBe("wrongChain");
    expect(problem("http://localhost:5173/verify?proof=not-json")).toBe("badProof");
    expect(problem(encodeProof("https://evil.example", proof))).toBe("unrecognised");
  });
});
