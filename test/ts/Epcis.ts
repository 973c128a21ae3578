/**
 * EPCIS 2.0 export: chain events made with the real contracts are rebuilt into an EPCISDocument by
 * scripts/lib/epcis.ts and validated against GS1's official JSON Schema (standards/epcis/) with Ajv + ajv-formats;
 * the step word codec of scripts/lib/steps.ts is checked against the contract's own `packStep`; and every
 * ProvenanceRegistry error has a sentence (scripts/lib/provenance-errors.ts).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";

import { buildDigitalLink, glnDigitalLink } from "../../scripts/lib/digital-link.ts";
import {
  buildEpcisDocument,
  decodeProvenanceLog,
  EPCIS_CONTEXT,
  EpcisBuildError,
  type EpcisDocument,
  type EpcisObjectEvent,
  eventIdOf,
  formatTime,
  organisationUri,
  type ProvenanceEvent,
  REJECTION_DISPOSITIONS,
  uuidV5,
} from "../../scripts/lib/epcis.ts";
import { EPCIS_SCHEMA_FILE, validateEpcis } from "../../scripts/lib/epcis-schema.ts";
import { describeProvenanceError, PROVENANCE_ERROR_SENTENCES } from "../../scripts/lib/provenance-errors.ts";
import { fetchProvenanceEvents, refusalSentence, shipmentIdOf } from "../../scripts/lib/provenance-chain.ts";
import {
  BIZ_STEPS,
  bizStepUri,
  DISPOSITIONS,
  dispositionUri,
  packStep,
  parseBizStep,
  parseCelsius,
  parseDisposition,
  parseRejectReason,
  REJECT_REASONS,
  SCAN_VERDICTS,
  unpackStep,
} from "../../scripts/lib/steps.ts";
import { type Actors, accreditedFixture, type Deployed, ethers, networkHelpers, now } from "./helpers/fixtures.js";

type Fixture = Deployed & Actors;

// GS1 identifiers with valid check digits.
const GLN = {
  plant: 6901234000016n,
  hub: 6901234000023n,
  depot: 6901234000030n,
  pharmacy: 6901234000047n,
} as const;
const VACCINE = { gtin: "06923450120019", lot: "B2025/03", serial: "SHP-0001" } as const;
const MASKS = { gtin: "06923450120026", lot: "MASK-7", serial: "SHP-0002" } as const;
const OFFSET = "+08:00";
const CREATED = new Date("2026-01-01T00:00:00Z");

/** The story: a cold-chain vaccine shipment with an excursion and a rejected hand-over; masks delivered, then diverted. */
interface Story extends Fixture {
  registry: string;
  vaccineId: string;
  masksId: string;
  times: { packing: number; transporting: number };
  blocks: { excursion: number; latest: number };
}

async function storyFixture(): Promise<Story> {
  const f = await accreditedFixture();
  const p = f.provenanceRegistry;
  await p.connect(f.manufacturer).registerLocation(GLN.plant, "SIBP Pudong plant, dock 1");
  await p.connect(f.carrier).registerLocation(GLN.hub, "Cold chain hub Minhang");
  await p.connect(f.warehouse).registerLocation(GLN.depot, "Baoshan DC, dock 3");
  await p.connect(f.hospital).registerLocation(GLN.pharmacy, "Ruijin Hospital pharmacy");

  const base = { origin: GLN.plant, vaccineLotId: 0 };
  await p.connect(f.manufacturer).createShipment({
    ...base,
    gtin: BigInt(VACCINE.gtin),
    lotNumber: VACCINE.lot,
    serial: VACCINE.serial,
    quantity: 1200,
    coldChain: true,
    minTempCentiC: 200,
    maxTempCentiC: 800,
  });
  await p.connect(f.manufacturer).createShipment({
    ...base,
    gtin: BigInt(MASKS.gtin),
    lotNumber: MASKS.lot,
    serial: MASKS.serial,
    quantity: 50000,
    coldChain: false,
    minTempCentiC: 0,
    maxTempCentiC: 0,
  });
  const vaccineId = shipmentIdOf(VACCINE.gtin, VACCINE.lot, VACCINE.serial);
  const masksId = shipmentIdOf(MASKS.gtin, MASKS.lot, MASKS.serial);

  // Manufacturer: packing at 5 °C, then one batch with both shipments shipped (the vaccine at 4.5 °C).
  const packing = await now();
  await p.connect(f.manufacturer).recordStep(vaccineId, packStep({ bizStep: 1, disposition: 9, readPoint: GLN.plant, eventTime: packing, temperatureCentiC: 500 }));
  const shipping = await now();
  await p.connect(f.manufacturer).recordSteps([
    { shipmentId: vaccineId, step: packStep({ bizStep: 3, disposition: 1, readPoint: GLN.plant, eventTime: shipping, temperatureCentiC: 450 }) },
    { shipmentId: masksId, step: packStep({ bizStep: 3, disposition: 1, readPoint: GLN.plant, eventTime: shipping, temperatureCentiC: null }) },
  ]);

  // Vaccine: carrier takes custody, reads 9.5 °C (excursion); the warehouse refuses it.
  await p.connect(f.manufacturer).proposeHandover(vaccineId, f.carrier.address, false);
  await p.connect(f.carrier).acceptHandover(vaccineId);
  const transporting = await now();
  const excursionTx = await p
    .connect(f.carrier)
    .recordStep(vaccineId, packStep({ bizStep: 5, disposition: 1, readPoint: GLN.hub, eventTime: transporting, temperatureCentiC: 950 }));
  const excursionReceipt = await excursionTx.wait();
  await p.connect(f.carrier).proposeHandover(vaccineId, f.warehouse.address, false);
  await p.connect(f.warehouse).rejectHandover(vaccineId, 1);

  // Masks: final delivery to the hospital, then scanned at the warehouse (diversion) and a forged label.
  await p.connect(f.manufacturer).proposeHandover(masksId, f.hospital.address, true);
  await p.connect(f.hospital).acceptHandover(masksId);
  await p.connect(f.outsider).reportSuspectScan(BigInt(MASKS.gtin), MASKS.lot, MASKS.serial, GLN.depot);
  await p.connect(f.outsider).reportSuspectScan(BigInt(MASKS.gtin), MASKS.lot, "FAKE-1", GLN.pharmacy);

  return {
    ...f,
    registry: await p.getAddress(),
    vaccineId,
    masksId,
    times: { packing, transporting },
    blocks: { excursion: excursionReceipt?.blockNumber ?? 0, latest: await ethers.provider.getBlockNumber() },
  };
}

const story = (): Promise<Story> => networkHelpers.loadFixture(storyFixture);

async function eventsOf(s: Story, fromBlock = 0, toBlock = s.blocks.latest, shipmentId: string | null = null): Promise<ProvenanceEvent[]> {
  return fetchProvenanceEvents(ethers.provider, s.registry, s.provenanceRegistry.interface, { fromBlock, toBlock, shipmentId });
}

async function documentOf(s: Story): Promise<EpcisDocument> {
  return buildEpcisDocument(await eventsOf(s), {
    chainId: 31337,
    registry: s.registry,
    fromBlock: 0,
    toBlock: s.blocks.latest,
    creationDate: CREATED,
  });
}

function expectValid(document: unknown): void {
  const result = validateEpcis(document);
  expect(result.messages, result.messages.join("\n")).to.deep.equal([]);
  expect(result.valid).to.equal(true);
}

const only = (events: readonly EpcisObjectEvent[], predicate: (e: EpcisObjectEvent) => boolean): EpcisObjectEvent => {
  const found = events.filter(predicate);
  expect(found, "exactly one matching event").to.have.length(1);
  return found[0];
};

const vaccineEpc = buildDigitalLink(VACCINE);
const masksEpc = buildDigitalLink(MASKS);

describe("EPCIS 2.0 export", function () {
  describe("the validator setup (GS1's schema, Ajv + ajv-formats)", function () {
    it("uses the draft-07 schema GS1 publishes, unedited", function () {
      const schema = JSON.parse(readFileSync(EPCIS_SCHEMA_FILE, "utf8")) as { $schema: string; $id: string };
      expect(schema.$schema).to.equal("http://json-schema.org/draft-07/schema#");
      expect(schema.$id).to.equal("https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json");
    });

    const examplesDir = path.join(path.dirname(EPCIS_SCHEMA_FILE), "examples");
    const examples = readdirSync(examplesDir).filter((f) => f.endsWith(".jsonld")).sort();
    it("has GS1's official examples to check against", function () {
      expect(examples.length).to.be.greaterThanOrEqual(4);
    });
    for (const file of examples) {
      it(`accepts GS1's own example ${file}`, function () {
        expectValid(JSON.parse(readFileSync(path.join(examplesDir, file), "utf8")));
      });
    }

    it("refuses broken documents (the validation is not vacuous)", async function () {
      const s = await story();
      const good = await documentOf(s);
      const broken: ((d: Record<string, unknown> & EpcisDocument) => void)[] = [
        (d) => delete (d as Partial<EpcisDocument>).creationDate,
        (d) => delete (d.epcisBody.eventList[0] as Partial<EpcisObjectEvent>).eventTimeZoneOffset,
        (d) => (d.epcisBody.eventList[0].bizStep = "teleporting"),
        (d) => (d.epcisBody.eventList[0].eventTime = "yesterday"),
        (d) => {
          const withSensor = d.epcisBody.eventList.find((e) => e.sensorElementList !== undefined);
          // A reading is a number, not text.
          if (withSensor?.sensorElementList !== undefined) (withSensor.sensorElementList[0].sensorReport[0] as { value: unknown }).value = "9.5";
        },
        (d) => (d.epcisBody.eventList[0].epcList = ["not a uri"]),
        (d) => ((d as Record<string, unknown>).schemaVersion = "two"),
      ];
      for (const mutate of broken) {
        const copy = structuredClone(good) as Record<string, unknown> & EpcisDocument;
        mutate(copy);
        expect(validateEpcis(copy).valid, mutate.toString()).to.equal(false);
      }
    });
  });

  describe("a document rebuilt from chain events", function () {
    it("passes GS1's EPCIS 2.0 JSON Schema", async function () {
      expectValid(await documentOf(await story()));
    });

    it("has the EPCIS header fields and names its source and block range", async function () {
      const s = await story();
      const d = await documentOf(s);
      expect(d["@context"][0]).to.equal(EPCIS_CONTEXT);
      expect(d["@context"][0]).to.equal("https://ref.gs1.org/standards/epcis/epcis-context.jsonld");
      expect(d.type).to.equal("EPCISDocument");
      expect(d.schemaVersion).to.equal("2.0");
      expect(d.creationDate).to.equal("2026-01-01T08:00:00.000+08:00");
      expect(d.epcisHeader["ht:chainId"]).to.equal(31337);
      expect(d.epcisHeader["ht:registry"]).to.equal(s.registry);
      expect(d.epcisHeader["ht:fromBlock"]).to.equal(0);
      expect(d.epcisHeader["ht:toBlock"]).to.equal(s.blocks.latest);
      expect(d.epcisHeader["ht:shipmentId"]).to.equal(undefined);
    });

    it("lists every shipment event in chain order, one EPCIS event per log, with stable unique eventIDs", async function () {
      const s = await story();
      const d = await documentOf(s);
      const events = d.epcisBody.eventList;
      // 2 creations, 4 steps (one tx carries two), 1 excursion, 2 acceptances, 1 rejection, 2 suspect scans.
      expect(events).to.have.length(12);
      const positions = events.map((e) => [Number(e["ht:blockNumber"]), Number(e["ht:logIndex"])]);
      const sorted = [...positions].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      expect(positions).to.deep.equal(sorted);
      const ids = events.map((e) => e.eventID);
      expect(new Set(ids).size).to.equal(ids.length);
      for (const e of events) {
        expect(e.eventID).to.match(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(e.eventID).to.equal(eventIdOf(31337, s.registry, { transactionHash: String(e["ht:transactionHash"]), logIndex: Number(e["ht:logIndex"]) }));
        expect(e.eventTimeZoneOffset).to.equal(OFFSET);
        expect(e.eventTime.endsWith(OFFSET) && e.recordTime.endsWith(OFFSET)).to.equal(true);
      }
      // Rebuilding gives the same document.
      expect(await documentOf(s)).to.deep.equal(d);
    });

    it("commissions each shipment (ADD) with its Digital Link, origin, units and cold-chain range", async function () {
      const s = await story();
      const events = (await documentOf(s)).epcisBody.eventList;
      const vaccine = only(events, (e) => e.action === "ADD" && e.epcList[0] === vaccineEpc);
      expect(vaccine.bizStep).to.equal("commissioning");
      expect(vaccine.disposition).to.equal("active");
      expect(vaccine.epcList).to.deep.equal(["https://id.gs1.org/01/06923450120019/10/B2025%2F03/21/SHP-0001"]);
      expect(vaccine.readPoint).to.deep.equal({ id: glnDigitalLink(GLN.plant) });
      expect(vaccine.ilmd).to.deep.equal({
        "cbvmda:lotNumber": "B2025/03",
        "ht:quantity": 1200,
        "ht:minTemperatureCelsius": 2,
        "ht:maxTemperatureCelsius": 8,
      });
      expect(vaccine["ht:recordedBy"]).to.equal(organisationUri(31337, s.manufacturer.address));
      const masks = only(events, (e) => e.action === "ADD" && e.epcList[0] === masksEpc);
      expect(masks.ilmd).to.deep.equal({ "cbvmda:lotNumber": "MASK-7", "ht:quantity": 50000 });
    });

    it("turns a temperature reading into a sensorElementList (gs1:Temperature, value, CEL) at the step's time", async function () {
      const s = await story();
      const events = (await documentOf(s)).epcisBody.eventList;
      const packing = only(events, (e) => e.bizStep === "packing");
      const at = formatTime(s.times.packing * 1000, OFFSET);
      expect(packing.action).to.equal("OBSERVE");
      expect(packing.disposition).to.equal("container_closed");
      expect(packing.eventTime).to.equal(at);
      expect(packing.readPoint).to.deep.equal({ id: "https://id.gs1.org/414/6901234000016" });
      expect(packing.sensorElementList).to.deep.equal([
        { sensorMetadata: { time: at }, sensorReport: [{ type: "gs1:Temperature", value: 5, uom: "CEL" }] },
      ]);
      // A step without a reading has no sensor data.
      const masksShipping = only(events, (e) => e.bizStep === "shipping" && e.epcList[0] === masksEpc);
      expect(masksShipping.sensorElementList).to.equal(undefined);
      expect(masksShipping.disposition).to.equal("in_transit");
      // The two steps of one batch transaction are two events.
      const vaccineShipping = only(events, (e) => e.bizStep === "shipping" && e.epcList[0] === vaccineEpc);
      expect(vaccineShipping["ht:transactionHash"]).to.equal(masksShipping["ht:transactionHash"]);
      expect(vaccineShipping.sensorElementList?.[0].sensorReport[0].value).to.equal(4.5);
    });

    it("shows a cold-chain excursion: an alarm on the reading and a non_conformant event that persists", async function () {
      const s = await story();
      const events = (await documentOf(s)).epcisBody.eventList;
      const at = formatTime(s.times.transporting * 1000, OFFSET);
      const reading = only(events, (e) => e.bizStep === "transporting");
      expect(reading.sensorElementList?.[0].sensorReport[0]).to.deep.equal({
        type: "gs1:Temperature",
        value: 9.5,
        uom: "CEL",
        exception: "ALARM_CONDITION",
      });
      const excursion = only(events, (e) => e["ht:coldChainExcursion"] === true);
      expect(excursion.action).to.equal("OBSERVE");
      expect(excursion.bizStep).to.equal("inspecting");
      expect(excursion.disposition).to.equal("non_conformant");
      expect(excursion.persistentDisposition).to.deep.equal({ set: ["non_conformant"] });
      expect(excursion.epcList).to.deep.equal([vaccineEpc]);
      expect(excursion.eventTime).to.equal(at);
      expect(excursion.readPoint).to.deep.equal({ id: glnDigitalLink(GLN.hub) });
      expect(excursion["ht:minTemperatureCelsius"]).to.equal(2);
      expect(excursion["ht:maxTemperatureCelsius"]).to.equal(8);
      expect(excursion.sensorElementList?.[0].sensorReport[0].value).to.equal(9.5);
      expect(excursion["ht:transactionHash"]).to.equal(reading["ht:transactionHash"]);
    });

    it("shows hand-overs: accepted (accepting / final receiving) and rejected, with owning and possessing parties", async function () {
      const s = await story();
      const events = (await documentOf(s)).epcisBody.eventList;
      const org = (address: string): string => organisationUri(31337, address);

      const toCarrier = only(events, (e) => e["ht:handover"] === "accepted" && e.epcList[0] === vaccineEpc);
      expect([toCarrier.bizStep, toCarrier.disposition, toCarrier["ht:finalDelivery"]]).to.deep.equal(["accepting", "in_transit", false]);
      expect(toCarrier.sourceList).to.deep.equal([
        { type: "owning_party", source: org(s.manufacturer.address) },
        { type: "possessing_party", source: org(s.manufacturer.address) },
      ]);
      expect(toCarrier.destinationList).to.deep.equal([
        { type: "owning_party", destination: org(s.carrier.address) },
        { type: "possessing_party", destination: org(s.carrier.address) },
      ]);

      const delivered = only(events, (e) => e["ht:handover"] === "accepted" && e.epcList[0] === masksEpc);
      expect([delivered.bizStep, delivered.disposition, delivered["ht:finalDelivery"]]).to.deep.equal(["receiving", "in_progress", true]);
      expect(delivered.destinationList?.[0]).to.deep.equal({ type: "owning_party", destination: org(s.hospital.address) });

      const rejected = only(events, (e) => e["ht:handover"] === "rejected");
      expect(rejected.bizStep).to.equal("receiving");
      expect(rejected.disposition).to.equal("non_conformant");
      expect(rejected["ht:rejectionReason"]).to.equal("temperature_excursion");
      expect(rejected.epcList).to.deep.equal([vaccineEpc]);
      expect(rejected.sourceList?.[0]).to.deep.equal({ type: "owning_party", source: org(s.carrier.address) });
      expect(rejected.destinationList?.[0]).to.deep.equal({ type: "owning_party", destination: org(s.warehouse.address) });
      expect(organisationUri(31337, s.carrier.address)).to.match(/^did:pkh:eip155:31337:0x[0-9a-f]{40}$/);
    });

    it("shows suspect scans: a diverted delivered shipment and an identity never issued", async function () {
      const s = await story();
      const events = (await documentOf(s)).epcisBody.eventList;
      const diverted = only(events, (e) => e["ht:suspectScan"] === "already_delivered");
      expect(diverted.bizStep).to.equal("inspecting");
      expect(diverted.epcList).to.deep.equal([masksEpc]);
      expect(diverted.readPoint).to.deep.equal({ id: glnDigitalLink(GLN.depot) });
      expect(diverted["ht:recordedBy"]).to.equal(organisationUri(31337, s.outsider.address));
      const forged = only(events, (e) => e["ht:suspectScan"] === "unknown_identity");
      expect(forged.epcList).to.deep.equal([]);
      expect(forged["ht:shipmentId"]).to.equal(shipmentIdOf(MASKS.gtin, MASKS.lot, "FAKE-1"));
    });

    it("carries the names of the locations it uses as master data", async function () {
      const s = await story();
      const d = await documentOf(s);
      const vocabulary = d.epcisHeader.epcisMasterData?.vocabularyList[0];
      expect(vocabulary?.type).to.equal("urn:epcglobal:epcis:vtype:ReadPoint");
      const names = Object.fromEntries(
        (vocabulary?.vocabularyElementList ?? []).map((v) => [v.id, v.attributes.find((a) => a.id === "urn:epcglobal:cbv:mda#name")?.attribute]),
      );
      expect(names).to.deep.equal({
        [glnDigitalLink(GLN.plant)]: "SIBP Pudong plant, dock 1",
        [glnDigitalLink(GLN.hub)]: "Cold chain hub Minhang",
        [glnDigitalLink(GLN.depot)]: "Baoshan DC, dock 3",
        [glnDigitalLink(GLN.pharmacy)]: "Ruijin Hospital pharmacy",
      });
    });

    it("exports one shipment, and names it in the header", async function () {
      const s = await story();
      const events = await eventsOf(s, 0, s.blocks.latest, s.vaccineId);
      const d = buildEpcisDocument(events, { chainId: 31337, registry: s.registry, fromBlock: 0, toBlock: s.blocks.latest, shipmentId: s.vaccineId, creationDate: CREATED });
      expectValid(d);
      expect(d.epcisHeader["ht:shipmentId"]).to.equal(s.vaccineId);
      expect(d.epcisBody.eventList).to.have.length(7);
      expect(d.epcisBody.eventList.every((e) => e.epcList[0] === vaccineEpc)).to.equal(true);
      // The builder filters too, whatever the source delivers.
      const filtered = buildEpcisDocument(await eventsOf(s), { chainId: 31337, registry: s.registry, fromBlock: 0, toBlock: s.blocks.latest, shipmentId: s.masksId, creationDate: CREATED });
      expect(filtered.epcisBody.eventList.map((e) => e.bizStep)).to.deep.equal(["commissioning", "shipping", "receiving", "inspecting"]);
    });

    it("covers a later block range with identities looked up from before it", async function () {
      const s = await story();
      const from = s.blocks.excursion;
      const inRange = await eventsOf(s, from);
      const lookups = (await eventsOf(s, 0, from - 1)).filter((e) => e.name === "ShipmentCreated" || e.name === "LocationRegistered");
      const options = { chainId: 31337, registry: s.registry, fromBlock: from, toBlock: s.blocks.latest, creationDate: CREATED };
      const d = buildEpcisDocument(inRange, { ...options, lookups });
      expectValid(d);
      expect(d.epcisHeader["ht:fromBlock"]).to.equal(from);
      expect(d.epcisBody.eventList.every((e) => Number(e["ht:blockNumber"]) >= from)).to.equal(true);
      expect(d.epcisBody.eventList[0].bizStep).to.equal("transporting");
      expect(() => buildEpcisDocument(inRange, options)).to.throw(EpcisBuildError, /ShipmentCreated event is neither in the events nor in the lookups/);
      expect(() => buildEpcisDocument(inRange, { ...options, fromBlock: from + 1, lookups })).to.throw(EpcisBuildError, /outside the document's range/);
    });

    it("decodes only the registry's logs, delivered twice or not, from any source", async function () {
      const s = await story();
      const events = await eventsOf(s);
      const doubled = buildEpcisDocument([...events, ...events].reverse(), { chainId: 31337, registry: s.registry, fromBlock: 0, toBlock: s.blocks.latest, creationDate: CREATED });
      expect(doubled).to.deep.equal(await documentOf(s));
      // An authority log is not a provenance event.
      const authorityLogs = await ethers.provider.getLogs({ address: await s.authority.getAddress(), fromBlock: 0, toBlock: "latest" });
      expect(authorityLogs.length).to.be.greaterThan(0);
      for (const log of authorityLogs) {
        expect(decodeProvenanceLog(log, 0, (l) => s.provenanceRegistry.interface.parseLog(l))).to.equal(null);
      }
    });

    it("refuses bad options", async function () {
      const s = await story();
      const events = await eventsOf(s);
      const good = { chainId: 31337, registry: s.registry, fromBlock: 0, toBlock: s.blocks.latest };
      expect(() => buildEpcisDocument(events, { ...good, chainId: 0 })).to.throw(EpcisBuildError, /chain id/);
      expect(() => buildEpcisDocument(events, { ...good, registry: "0x12" })).to.throw(EpcisBuildError, /not an address/);
      expect(() => buildEpcisDocument(events, { ...good, fromBlock: 5, toBlock: 4 })).to.throw(EpcisBuildError, /block range/);
      expect(() => buildEpcisDocument(events, { ...good, shipmentId: "0x1234" })).to.throw(EpcisBuildError, /shipment id/);
      expect(() => buildEpcisDocument(events, { ...good, timeZoneOffset: "+8" })).to.throw(EpcisBuildError, /offset/);
      const utc = buildEpcisDocument(events, { ...good, timeZoneOffset: "+00:00", creationDate: CREATED });
      expectValid(utc);
      expect(utc.creationDate).to.equal("2026-01-01T00:00:00.000+00:00");
    });
  });

  describe("eventIDs: name-based UUIDs (RFC 9562 v5)", function () {
    it("matches the RFC's SHA-1 construction (known vectors)", function () {
      expect(uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com")).to.equal("2ed6657d-e927-568b-95e1-2665a8aea6a2");
      expect(uuidV5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "eip155:1/tx/0x00/log/0")).to.equal("630158cd-ce45-5abd-828c-5b96a24b1cef");
      // Long names cross SHA-1 block boundaries.
      expect(uuidV5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "x".repeat(200))).to.match(/^[0-9a-f-]{36}$/);
    });
  });
});

describe("Custody step words (scripts/lib/steps.ts)", function () {
  it("packs exactly as the contract's packStep", async function () {
    const s = await story();
    const cases = [
      { bizStep: 0, disposition: 0, readPoint: 1n, eventTime: 1, temperatureCentiC: null },
      { bizStep: 16, disposition: 11, readPoint: 9_999_999_999_999n, eventTime: 2 ** 40 - 1, temperatureCentiC: 32767 },
      { bizStep: 3, disposition: 1, readPoint: GLN.plant, eventTime: 1_767_225_600, temperatureCentiC: -32768 },
      { bizStep: 5, disposition: 3, readPoint: GLN.hub, eventTime: 1_767_225_600, temperatureCentiC: -1850 },
      { bizStep: 10, disposition: 0, readPoint: GLN.depot, eventTime: 1_767_225_600, temperatureCentiC: 0 },
    ];
    for (const c of cases) {
      const onChain = await s.provenanceRegistry.packStep(c.bizStep, c.disposition, c.readPoint, c.eventTime, c.temperatureCentiC !== null, c.temperatureCentiC ?? 0);
      expect(packStep(c)).to.equal(onChain);
      expect(unpackStep(onChain)).to.deep.equal(c);
    }
  });

  it("refuses words the contract refuses, and fields it cannot pack", function () {
    const good = packStep({ bizStep: 3, disposition: 1, readPoint: GLN.plant, eventTime: 1_767_225_600, temperatureCentiC: 450 });
    const word = BigInt(good);
    const hex = (w: bigint): string => `0x${w.toString(16).padStart(64, "0")}`;
    expect(() => unpackStep(hex(word | 1n))).to.throw(RangeError, /reserved bits/);
    expect(() => unpackStep(hex(word | (2n << 112n)))).to.throw(RangeError, /temperature flag/);
    expect(() => unpackStep(hex(word & ~(1n << 112n)))).to.throw(RangeError, /no temperature flag/);
    expect(() => unpackStep(hex((word & ~(0xffn << 248n)) | (17n << 248n)))).to.throw(RangeError, /bizStep code 17/);
    expect(() => unpackStep(hex((word & ~(0xffn << 240n)) | (12n << 240n)))).to.throw(RangeError, /disposition code 12/);
    expect(() => unpackStep(hex(word & ~(((1n << 64n) - 1n) << 176n)))).to.throw(RangeError, /readPoint 0/);
    expect(() => unpackStep(hex(word & ~(((1n << 40n) - 1n) << 136n)))).to.throw(RangeError, /eventTime 0/);
    expect(() => unpackStep("0x1234")).to.throw(RangeError, /64 hex digits/);
    expect(() => packStep({ bizStep: 3, disposition: 1, readPoint: 10n ** 13n, eventTime: 1, temperatureCentiC: null })).to.throw(RangeError);
    expect(() => packStep({ bizStep: 3, disposition: 1, readPoint: 1n, eventTime: 1, temperatureCentiC: 40000 })).to.throw(RangeError);
    expect(() => packStep({ bizStep: 3, disposition: 1, readPoint: 1n, eventTime: 1.5, temperatureCentiC: null })).to.throw(RangeError);
  });

  it("names every code with the CBV name, its ref.gs1.org URI and English / Chinese labels", function () {
    const schema = JSON.parse(readFileSync(EPCIS_SCHEMA_FILE, "utf8")) as {
      definitions: Record<string, { anyOf: { enum?: string[] }[] }>;
    };
    const enumOf = (name: string): string[] => schema.definitions[name].anyOf.find((a) => a.enum !== undefined)?.enum ?? [];
    expect(BIZ_STEPS).to.have.length(17);
    expect(DISPOSITIONS).to.have.length(12);
    for (const t of BIZ_STEPS) {
      expect(enumOf("bizStep"), t.name).to.include(t.name);
      expect(t.en.length > 0 && t.zh.length > 0).to.equal(true);
      expect(bizStepUri(t.code)).to.equal(`https://ref.gs1.org/cbv/BizStep-${t.name}`);
      expect(parseBizStep(t.name)).to.equal(t);
      expect(parseBizStep(bizStepUri(t.code))).to.equal(t);
      expect(parseBizStep(`urn:epcglobal:cbv:bizstep:${t.name}`)).to.equal(t);
      expect(parseBizStep(String(t.code))).to.equal(t);
    }
    for (const t of DISPOSITIONS) {
      expect(enumOf("disposition"), t.name).to.include(t.name);
      expect(t.en.length > 0 && t.zh.length > 0).to.equal(true);
      expect(dispositionUri(t.code)).to.equal(`https://ref.gs1.org/cbv/Disp-${t.name}`);
      expect(parseDisposition(dispositionUri(t.code))).to.equal(t);
    }
    expect(bizStepUri(3)).to.equal("https://ref.gs1.org/cbv/BizStep-shipping");
    expect(dispositionUri(1)).to.equal("https://ref.gs1.org/cbv/Disp-in_transit");
    for (const d of REJECTION_DISPOSITIONS) expect(enumOf("disposition")).to.include(d);
    expect(REJECT_REASONS.map((r) => r.code)).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expect(SCAN_VERDICTS.map((r) => r.name)).to.deep.equal(["genuine", "unknown_identity", "already_delivered", "wrong_location"]);
    expect(parseRejectReason("temperature-excursion").code).to.equal(1);
    expect(() => parseBizStep("teleporting")).to.throw(RangeError, /commissioning, packing/);
    expect(() => parseDisposition("lost")).to.throw(RangeError, /in_transit/);
    expect(() => parseRejectReason("bored")).to.throw(RangeError, /damaged/);
  });

  it("reads temperatures in °C exactly, to the centi-degree", function () {
    expect(parseCelsius("4.5")).to.equal(450);
    expect(parseCelsius("-18")).to.equal(-1800);
    expect(parseCelsius("-0.05")).to.equal(-5);
    expect(parseCelsius("2.1 °C")).to.equal(210);
    expect(parseCelsius("327.67")).to.equal(32767);
    expect(parseCelsius("-327.68")).to.equal(-32768);
    for (const bad of ["", "4.567", "abc", "1e2", "327.68", "-327.69", "4,5"]) expect(() => parseCelsius(bad), bad).to.throw(RangeError);
  });
});

describe("ProvenanceRegistry refusals in words (scripts/lib/provenance-errors.ts)", function () {
  it("has a sentence in English and Chinese for every custom error of the ABI", async function () {
    const s = await story();
    const errors: string[] = [];
    s.provenanceRegistry.interface.forEachError((e) => errors.push(e.name));
    expect(errors.length).to.equal(24);
    expect([...errors].sort()).to.deep.equal(Object.keys(PROVENANCE_ERROR_SENTENCES).sort());
    for (const name of errors) {
      const fragment = s.provenanceRegistry.interface.getError(name);
      const args = (fragment?.inputs ?? []).map((input) =>
        input.type === "address" ? s.outsider.address : input.type === "bytes32" ? s.vaccineId : input.type === "bool" ? true : 1n,
      );
      const sentence = describeProvenanceError(name, args);
      expect(sentence, name).to.not.equal(null);
      expect(sentence?.en, name).to.match(/^[A-Z0-9].*\.$/);
      expect(sentence?.zh, name).to.match(/[\u4e00-\u9fff]/);
    }
  });

  it("decodes a real refusal into its sentence", async function () {
    const s = await story();
    const p = s.provenanceRegistry;
    const attempts: [() => Promise<unknown>, RegExp][] = [
      [
        () => p.connect(s.carrier).createShipment.staticCall({ gtin: BigInt(MASKS.gtin), lotNumber: "L", serial: "S", quantity: 1, origin: GLN.hub, vaccineLotId: 0, coldChain: false, minTempCentiC: 0, maxTempCentiC: 0 }),
        /does not hold MANUFACTURER_ROLE/,
      ],
      [() => p.connect(s.warehouse).acceptHandover.staticCall(s.vaccineId), /No hand-over of shipment 0x[0-9a-f]{8}…[0-9a-f]{6} is pending to 0x/],
      [() => p.connect(s.hospital).proposeHandover.staticCall(s.masksId, s.warehouse.address, false), /has been delivered to its final holder/],
      [() => p.connect(s.outsider).registerLocation.staticCall(GLN.plant, "x"), /is not an accredited, active organisation/],
      [
        () => p.connect(s.carrier).recordStep.staticCall(s.vaccineId, packStep({ bizStep: 5, disposition: 1, readPoint: GLN.hub, eventTime: 2 ** 40 - 1, temperatureCentiC: null })),
        /custody step .* was refused: its event time .* is after the chain's current time/,
      ],
    ];
    for (const [attempt, sentence] of attempts) {
      let caught: unknown = null;
      try {
        await attempt();
      } catch (error) {
        caught = error;
      }
      expect(caught, sentence.source).to.not.equal(null);
      expect(refusalSentence(caught, p.interface)).to.match(sentence);
    }
    expect(refusalSentence(new Error("no data"), p.interface)).to.equal(null);
  });
});
