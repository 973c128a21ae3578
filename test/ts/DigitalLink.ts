/**
 * GS1 Digital Link labels (scripts/lib/digital-link.ts): round trips, percent-encoding, and every refusal of a
 * malformed payload — plus a label of a shipment made with the real contracts, scanned back into its on-chain id.
 */
import { expect } from "chai";

import {
  aiValueProblem,
  buildDigitalLink,
  DIGITAL_LINK_ERROR_LABELS,
  DigitalLinkError,
  type DigitalLinkErrorCode,
  encodeAiValue,
  glnDigitalLink,
  gs1CheckDigit,
  isValidGln,
  isValidGtin,
  lgtinDigitalLink,
  MAX_PAYLOAD_LENGTH,
  normalizeGtin,
  parseDigitalLink,
  type ParseOptions,
} from "../../scripts/lib/digital-link.ts";
import { shipmentArgument, shipmentIdOf } from "../../scripts/lib/provenance-chain.ts";
import { accreditedFixture, networkHelpers } from "./helpers/fixtures.js";

const GTIN = "06923450120019";
const REGISTRY = "0xa513E6E4b8f2a923D98304ec87F64353C4D5C853";
const REF = { chainId: 31337, registry: REGISTRY } as const;
const BASE = `https://id.gs1.org/01/${GTIN}/10/LOT1/21/SER1`;

/** Expect `parseDigitalLink(payload)` to refuse with `code` (and, optionally, a message matching `message`). */
function refuses(payload: string, code: DigitalLinkErrorCode, message?: RegExp, options?: ParseOptions): void {
  let caught: unknown = null;
  try {
    parseDigitalLink(payload, options);
  } catch (error) {
    caught = error;
  }
  expect(caught, `${payload} should be refused`).to.be.instanceOf(DigitalLinkError);
  const error = caught as DigitalLinkError;
  expect(error.code, `${payload}: ${error.message}`).to.equal(code);
  expect(error.message.length).to.be.greaterThan(10);
  if (message !== undefined) expect(error.message).to.match(message);
}

describe("GS1 Digital Link labels", function () {
  describe("building", function () {
    it("writes /01/{gtin14}/10/{lot}/21/{serial} with the chain and registry as query parameters", function () {
      expect(buildDigitalLink({ gtin: GTIN, lot: "LOT1", serial: "SER1" }, REF)).to.equal(`${BASE}?chain=31337&registry=${REGISTRY}`);
      expect(buildDigitalLink({ gtin: GTIN, lot: "LOT1", serial: "SER1" })).to.equal(BASE);
      expect(buildDigitalLink({ gtin: GTIN, lot: "LOT1", serial: "SER1" }, null, "https://resolver.example.org")).to.equal(
        `https://resolver.example.org/01/${GTIN}/10/LOT1/21/SER1`,
      );
    });

    it("writes every GTIN as 14 digits (GTIN-8/12/13, numbers and bigints)", function () {
      expect(normalizeGtin("6923450120019")).to.equal(GTIN);
      expect(normalizeGtin(6923450120019n)).to.equal(GTIN);
      expect(normalizeGtin(6923450120019)).to.equal(GTIN);
      expect(normalizeGtin("96385074")).to.equal("00000096385074"); // GTIN-8
      expect(normalizeGtin("036000291452")).to.equal("00036000291452"); // GTIN-12 (UPC-A)
      expect(buildDigitalLink({ gtin: 6923450120019n, lot: "L", serial: "S" })).to.equal(`https://id.gs1.org/01/${GTIN}/10/L/21/S`);
      expect(isValidGtin(GTIN)).to.equal(true);
      expect(isValidGtin("06923450120018")).to.equal(false);
      expect(gs1CheckDigit("0692345012001")).to.equal(9);
    });

    it("percent-encodes everything outside the URI unreserved set", function () {
      expect(encodeAiValue("A/B%C&D+E")).to.equal("A%2FB%25C%26D%2BE");
      expect(encodeAiValue(`!"'()*,:;<=>?`)).to.equal("%21%22%27%28%29%2A%2C%3A%3B%3C%3D%3E%3F");
      expect(encodeAiValue("Az09-._")).to.equal("Az09-._");
      expect(buildDigitalLink({ gtin: GTIN, lot: "B2025/03", serial: "S 1".replace(" ", "%") })).to.equal(
        `https://id.gs1.org/01/${GTIN}/10/B2025%2F03/21/S%251`,
      );
    });

    it("round-trips every character GS1 allows in a lot or serial", function () {
      const set82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
      const values: string[] = [];
      for (let i = 0; i < set82.length; i += 20) values.push(set82.slice(i, i + 20));
      values.push("A", "x".repeat(20), "%25", "..a", "?chain=1", "a/../b", "%", "#".replace("#", "&&"));
      for (const lot of values) {
        for (const serial of [values[0], "SER-1", lot]) {
          const link = buildDigitalLink({ gtin: GTIN, lot, serial }, REF);
          expect(link.length).to.be.lessThan(MAX_PAYLOAD_LENGTH);
          expect(parseDigitalLink(link), link).to.deep.equal({ gtin: GTIN, lot, serial, registryRef: REF });
        }
      }
    });

    it("writes class-level (AI 01 + 10) and GLN (AI 414) Digital Links", function () {
      expect(lgtinDigitalLink(GTIN, "B2025/03")).to.equal(`https://id.gs1.org/01/${GTIN}/10/B2025%2F03`);
      expect(glnDigitalLink(6901234000016n)).to.equal("https://id.gs1.org/414/6901234000016");
      expect(glnDigitalLink("123")).to.equal("https://id.gs1.org/414/0000000000123");
      expect(isValidGln("6901234000016")).to.equal(true);
      expect(isValidGln("6901234000013")).to.equal(false);
      expect(() => glnDigitalLink(0n)).to.throw(RangeError);
      expect(() => glnDigitalLink(10n ** 13n)).to.throw(RangeError);
    });

    it("refuses to build a label for an identity the contract would refuse", function () {
      const build = (identity: { gtin: string | bigint; lot: string; serial: string }, ref?: { chainId: number; registry: string }): (() => string) =>
        () => buildDigitalLink(identity, ref);
      expect(build({ gtin: "06923450120018", lot: "L", serial: "S" })).to.throw(DigitalLinkError, /check digit/);
      expect(build({ gtin: "123", lot: "L", serial: "S" })).to.throw(DigitalLinkError, /8, 12, 13 or 14 digits/);
      expect(build({ gtin: 10n ** 14n, lot: "L", serial: "S" })).to.throw(DigitalLinkError, /at most 14 digits/);
      expect(build({ gtin: "00000000000000", lot: "L", serial: "S" })).to.throw(DigitalLinkError, /not a GTIN/);
      expect(build({ gtin: GTIN, lot: "", serial: "S" })).to.throw(DigitalLinkError, /lot number is empty/);
      expect(build({ gtin: GTIN, lot: "L".repeat(21), serial: "S" })).to.throw(DigitalLinkError, /21 characters; GS1 allows at most 20/);
      expect(build({ gtin: GTIN, lot: "批号", serial: "S" })).to.throw(DigitalLinkError, /not in the GS1 character set/);
      expect(build({ gtin: GTIN, lot: "L", serial: "S 1" })).to.throw(DigitalLinkError, /serial "S 1" contains " "/);
      expect(build({ gtin: GTIN, lot: "L", serial: "~" })).to.throw(DigitalLinkError, /serial/);
      expect(build({ gtin: GTIN, lot: "..", serial: "S" })).to.throw(DigitalLinkError, /URL path/);
      expect(build({ gtin: GTIN, lot: "L", serial: "S" }, { chainId: 0, registry: REGISTRY })).to.throw(DigitalLinkError, /Chain id 0/);
      expect(build({ gtin: GTIN, lot: "L", serial: "S" }, { chainId: 1, registry: "0x1234" })).to.throw(DigitalLinkError, /40 hex digits/);
      expect(build({ gtin: GTIN, lot: "L", serial: "S" }, { chainId: 1, registry: `0x${"0".repeat(40)}` })).to.throw(DigitalLinkError, /zero address/);
      expect(() => buildDigitalLink({ gtin: GTIN, lot: "L", serial: "S" }, null, "https://id.gs1.org/path")).to.throw(DigitalLinkError, /bare origin/);
      expect(aiValueProblem("ok", "lot")).to.equal(null);
    });
  });

  describe("parsing", function () {
    it("reads what a scanner delivers: trailing line ends, GTIN-13, other GS1 query attributes, http", function () {
      const expected = { gtin: GTIN, lot: "LOT1", serial: "SER1", registryRef: REF };
      expect(parseDigitalLink(`${BASE}?chain=31337&registry=${REGISTRY}\r\n`)).to.deep.equal(expected);
      expect(parseDigitalLink(`https://id.gs1.org/01/6923450120019/10/LOT1/21/SER1?17=261231&chain=31337&registry=${REGISTRY}`)).to.deep.equal(expected);
      expect(parseDigitalLink(`HTTPS://ID.GS1.ORG/01/${GTIN}/10/LOT1/21/SER1`)).to.deep.equal({ ...expected, registryRef: null });
      expect(parseDigitalLink(`http://id.gs1.org/01/${GTIN}/10/LOT1/21/SER1#top`).registryRef).to.equal(null);
      expect(parseDigitalLink(`https://id.gs1.org/01/${GTIN}/10/L%2fx/21/S`).lot).to.equal("L/x");
    });

    it("accepts this project's own resolver when told to", function () {
      const link = `https://resolver.healthtrace.example/01/${GTIN}/10/LOT1/21/SER1`;
      refuses(link, "wrong_host", /resolver\.healthtrace\.example is not an accepted resolver/);
      expect(parseDigitalLink(link, { resolverHosts: ["id.gs1.org", "resolver.healthtrace.example"] }).serial).to.equal("SER1");
    });

    it("resolves a label to the shipment id the contract computes", async function () {
      const f = await networkHelpers.loadFixture(accreditedFixture);
      const p = f.provenanceRegistry;
      await p.connect(f.manufacturer).registerLocation(6901234000016n, "SIBP Pudong plant, dock 1");
      const identity = { gtin: GTIN, lot: "B2025/03", serial: `S%"'<>` };
      await p.connect(f.manufacturer).createShipment({
        gtin: BigInt(identity.gtin),
        lotNumber: identity.lot,
        serial: identity.serial,
        quantity: 10,
        origin: 6901234000016n,
        vaccineLotId: 0,
        coldChain: false,
        minTempCentiC: 0,
        maxTempCentiC: 0,
      });
      const registry = await p.getAddress();
      const label = buildDigitalLink(identity, { chainId: 31337, registry });
      const scanned = parseDigitalLink(label, { requireRegistryRef: true });
      expect(scanned.registryRef).to.deep.equal({ chainId: 31337, registry });
      const id = await p.shipmentIdOf(BigInt(scanned.gtin), scanned.lot, scanned.serial);
      expect(shipmentIdOf(scanned.gtin, scanned.lot, scanned.serial)).to.equal(id);
      expect(shipmentArgument(label).shipmentId).to.equal(id);
      expect((await p.shipmentOf(id)).holder).to.equal(f.manufacturer.address);
      const [verdict] = await p.checkScan(BigInt(scanned.gtin), scanned.lot, scanned.serial, 6901234000016n);
      expect(verdict).to.equal(0n);
    });

    describe("refuses malformed payloads with a clear reason", function () {
      it("too long, empty, or not a URL", function () {
        refuses(`${BASE}?x=${"a".repeat(MAX_PAYLOAD_LENGTH)}`, "too_long", /at most 512/);
        refuses("", "empty");
        refuses(" \n ", "empty");
        refuses("hello", "not_a_url", /not a URL/);
        refuses(`id.gs1.org/01/${GTIN}/10/LOT1/21/SER1`, "not_a_url");
        refuses(`${BASE} trailing`, "not_a_url", /white space/);
        refuses(`https://user:pw@id.gs1.org/01/${GTIN}/10/LOT1/21/SER1`, "not_a_url", /credentials/);
      });

      it("wrong scheme or host", function () {
        refuses(`ftp://id.gs1.org/01/${GTIN}/10/LOT1/21/SER1`, "bad_scheme", /ftp:/);
        refuses("urn:epc:id:sgtin:0614141.107346.2017", "bad_scheme");
        refuses("javascript:alert(1)", "bad_scheme");
        refuses(`https://evil.example/01/${GTIN}/10/LOT1/21/SER1`, "wrong_host", /evil\.example/);
        refuses(`https://id.gs1.org.evil.example/01/${GTIN}/10/LOT1/21/SER1`, "wrong_host");
        refuses(`https://id.gs1.org:8443/01/${GTIN}/10/LOT1/21/SER1`, "wrong_host");
      });

      it("wrong path", function () {
        refuses("https://id.gs1.org", "missing_gtin", /no path/);
        refuses("https://id.gs1.org/", "missing_gtin");
        refuses("https://id.gs1.org/10/LOT1/21/SER1", "missing_gtin", /starts with AI 10/);
        refuses(`https://id.gs1.org/01/${GTIN}/10/LOT1/21`, "bad_path", /pairs/);
        refuses(`https://id.gs1.org/01/${GTIN}//10/LOT1/21/SER1`, "bad_path");
        refuses(`https://id.gs1.org/01/${GTIN}/10/LOT1/21/SER1/`, "bad_path");
        refuses(`https://id.gs1.org/01/${GTIN}/21/SER1/10/LOT1`, "bad_path", /AI 10 \(lot\) must come before AI 21/);
        refuses(`https://id.gs1.org/01/${GTIN}/10/LOT1/10/LOT2/21/SER1`, "bad_path", /appears twice/);
        refuses(`https://id.gs1.org/01/${GTIN}/10/LOT1/21/SER1/21/SER2`, "bad_path", /appears twice/);
        refuses(`https://id.gs1.org/01/${GTIN}/22/V1/10/LOT1/21/SER1`, "unsupported_ai", /AI 22/);
        refuses("https://id.gs1.org/414/6901234000016", "unsupported_ai", /AI 414/);
        refuses("https://id.gs1.org/00/006141411234567890", "unsupported_ai");
      });

      it("bad GTIN", function () {
        refuses(`https://id.gs1.org/01/123/10/LOT1/21/SER1`, "bad_gtin", /8, 12, 13 or 14 digits/);
        refuses(`https://id.gs1.org/01/069234501200190/10/LOT1/21/SER1`, "bad_gtin");
        refuses(`https://id.gs1.org/01/0692345012001X/10/LOT1/21/SER1`, "bad_gtin", /digits only/);
        refuses(`https://id.gs1.org/01/00000000000000/10/LOT1/21/SER1`, "bad_gtin");
        refuses(`https://id.gs1.org/01/06923450120018/10/LOT1/21/SER1`, "bad_gtin_check_digit", /should be 9/);
      });

      it("missing AI 10 or AI 21", function () {
        refuses(`https://id.gs1.org/01/${GTIN}/21/SER1`, "missing_lot", /AI 10/);
        refuses(`https://id.gs1.org/01/${GTIN}`, "missing_lot");
        refuses(`https://id.gs1.org/01/${GTIN}/10/LOT1`, "missing_serial", /AI 21/);
        refuses(`https://id.gs1.org/01/${GTIN}/10/LOT1?chain=31337&registry=${REGISTRY}`, "missing_serial");
      });

      it("bad percent-encoding, oversized or non-GS1 lot and serial", function () {
        refuses(`https://id.gs1.org/01/${GTIN}/10/LOT%ZZ/21/SER1`, "bad_encoding", /percent-encoding/);
        refuses(`https://id.gs1.org/01/${GTIN}/10/LOT1/21/SER%`, "bad_encoding");
        refuses(`https://id.gs1.org/01/${GTIN}/10/${"L".repeat(21)}/21/SER1`, "bad_lot", /21 characters/);
        refuses(`https://id.gs1.org/01/${GTIN}/10/%E6%89%B9/21/SER1`, "bad_lot", /not in the GS1 character set/);
        refuses(`https://id.gs1.org/01/${GTIN}/10/LOT%201/21/SER1`, "bad_lot");
        refuses(`https://id.gs1.org/01/${GTIN}/10/./21/SER1`, "bad_lot", /URL path/);
        refuses(`https://id.gs1.org/01/${GTIN}/10/%2E%2E/21/SER1`, "bad_lot");
        refuses(`https://id.gs1.org/01/${GTIN}/10/LOT1/21/${"S".repeat(21)}`, "bad_serial", /21 characters/);
        refuses(`https://id.gs1.org/01/${GTIN}/10/LOT1/21/SER~1`, "bad_serial", /"~"/);
        refuses(`https://id.gs1.org/01/${GTIN}/10/LOT1/21/SER%00`, "bad_serial");
      });

      it("bad or half-given chain id and registry address", function () {
        refuses(`${BASE}?chain=0&registry=${REGISTRY}`, "bad_chain");
        refuses(`${BASE}?chain=-1&registry=${REGISTRY}`, "bad_chain");
        refuses(`${BASE}?chain=0x7a69&registry=${REGISTRY}`, "bad_chain", /positive decimal integer/);
        refuses(`${BASE}?chain=99999999999999999&registry=${REGISTRY}`, "bad_chain");
        refuses(`${BASE}?chain=1&chain=2&registry=${REGISTRY}`, "bad_chain", /more than once/);
        refuses(`${BASE}?chain=31337&registry=0x1234`, "bad_registry", /40 hex digits/);
        refuses(`${BASE}?chain=31337&registry=${REGISTRY}00`, "bad_registry");
        refuses(`${BASE}?chain=31337&registry=0xZZ13E6E4b8f2a923D98304ec87F64353C4D5C853`, "bad_registry");
        refuses(`${BASE}?chain=31337&registry=0x${"0".repeat(40)}`, "bad_registry", /zero address/);
        refuses(`${BASE}?chain=31337&registry=${REGISTRY}&registry=${REGISTRY}`, "bad_registry", /more than once/);
        refuses(`${BASE}?chain=31337`, "incomplete_registry_ref", /chain but no registry/);
        refuses(`${BASE}?registry=${REGISTRY}`, "incomplete_registry_ref", /registry but no chain/);
        refuses(BASE, "incomplete_registry_ref", /cannot be resolved offline/, { requireRegistryRef: true });
      });

      it("has a short English and Chinese label for every refusal", function () {
        for (const [code, label] of Object.entries(DIGITAL_LINK_ERROR_LABELS)) {
          expect(label.en, code).to.match(/\.$/);
          expect(label.zh, code).to.match(/[\u4e00-\u9fff]/);
        }
      });
    });
  });
});
