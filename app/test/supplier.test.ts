/** The supplier pages' model: history from events, excursions, state, and every check before a transaction. */
import { describe, expect, it } from "vitest";

import { aiValueProblem } from "../../scripts/lib/digital-link.ts";
import { Kind } from "../../scripts/lib/personas.ts";
import { unpackStep } from "../../scripts/lib/steps.ts";
import {
  buildHistory,
  type CreateForm,
  historySummary,
  newSerial,
  outOfRange,
  type PositionedEvent,
  productOfGtin,
  searchOrganisations,
  shipmentIdOf,
  shipmentState,
  type ShipmentView,
  temperatureCheck,
  temperatureSeries,
  validateCreate,
  validateStep,
  ZERO_ADDRESS,
} from "../src/pages/supplier/model.ts";

const MAKER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const CARRIER = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const WAREHOUSE = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
const ID = "0x794df6df796f0cb598b004270641ae813012450a350b878fd5a789d808cd590a";
const TX = `0x${"ab".repeat(32)}` as const;

/** A step word as the contract packs it (checked against packStep below through unpackStep). */
function word(bizStep: number, disposition: number, gln: bigint, time: number, centi: number | null): `0x${string}` {
  let w = (BigInt(bizStep) << 248n) | (BigInt(disposition) << 240n) | (gln << 176n) | (BigInt(time) << 136n);
  if (centi !== null) w |= (BigInt(centi & 0xffff) << 120n) | (1n << 112n);
  return `0x${w.toString(16).padStart(64, "0")}`;
}

const at = (blockNumber: number, logIndex: number, blockTime: number) => ({ blockNumber: BigInt(blockNumber), logIndex, transactionHash: TX, blockTime });

const created: PositionedEvent = {
  eventName: "ShipmentCreated",
  args: {
    shipmentId: ID,
    manufacturer: MAKER,
    gtin: 6923450120019n,
    lotNumber: "SIBP20250907A",
    serial: "C26052801",
    quantity: 50,
    origin: 6923450000304n,
    vaccineLotId: 1,
    coldChain: true,
    minTempCentiC: 200,
    maxTempCentiC: 800,
  },
  ...at(10, 0, 1_000),
};

const events: PositionedEvent[] = [
  // Out of order on purpose: the history sorts by block, then log index.
  { eventName: "HandoverAccepted", args: { shipmentId: ID, from: MAKER, to: CARRIER, isFinal: false }, ...at(13, 0, 1_400) },
  { eventName: "CustodyStepRecorded", args: { shipmentId: ID, recorder: CARRIER, step: word(5, 1, 6944012000303n, 1_700, 950) }, ...at(14, 0, 1_800) },
  { eventName: "ColdChainExcursion", args: { shipmentId: ID, vaccineLotId: 1, temperatureCentiC: 950 }, ...at(14, 1, 1_800) },
  created,
  { eventName: "CustodyStepRecorded", args: { shipmentId: ID, recorder: MAKER, step: word(3, 1, 6923450000304n, 1_100, 450) }, ...at(11, 0, 1_150) },
  { eventName: "HandoverProposed", args: { shipmentId: ID, holder: MAKER, receiver: CARRIER, isFinal: false }, ...at(12, 0, 1_300) },
  { eventName: "SuspectScanReported", args: { shipmentId: ID, reporter: WAREHOUSE, gln: 6955310000100n, verdict: 3 }, ...at(15, 0, 1_900) },
  { eventName: "CustodyStepRecorded", args: { shipmentId: ID, recorder: CARRIER, step: word(15, 1, 6944012000303n, 1_950, null) }, ...at(16, 0, 1_960) },
];

const view = (over: Partial<ShipmentView> = {}): ShipmentView => ({
  holder: CARRIER,
  coldChain: true,
  nonConformant: false,
  delivered: false,
  minTempCentiC: 200,
  maxTempCentiC: 800,
  vaccineLotId: 0,
  pendingReceiver: ZERO_ADDRESS,
  pendingFinal: false,
  ...over,
});

describe("shipment identity", () => {
  it("test_shipmentIdOf_matchesTheContractsKeccakOfAbiEncode", () => {
    // The id the seeded registry gave SIBP20250907A/C26052801 (keccak256(abi.encode(uint64, string, string))).
    expect(shipmentIdOf({ gtin: "06923450120019", lot: "SIBP20250907A", serial: "C26052801" })).toBe(ID);
    expect(shipmentIdOf({ gtin: "06923450120019", lot: "SIBP20250907A", serial: "C26052802" })).not.toBe(ID);
  });

  it("test_productOfGtin_findsVaccinesAndSupplies", () => {
    expect(productOfGtin("06923450120019")?.vaccine).toBe(true);
    expect(productOfGtin(6921973001013n)?.key).toBe("medicalMask");
    expect(productOfGtin("09506000134352")).toBeNull();
  });
});

describe("history", () => {
  const { created: c, entries } = buildHistory(events);

  it("test_buildHistory_sortsByBlockThenLogIndex", () => {
    expect(c?.lot).toBe("SIBP20250907A");
    expect(c?.gtin).toBe("06923450120019");
    expect(entries.map((e) => e.kind)).toEqual(["created", "step", "proposed", "accepted", "step", "excursion", "suspectScan", "step"]);
  });

  it("test_buildHistory_stepTimeIsItsEventTime_blockTimeKept", () => {
    const step = entries[1];
    expect(step.kind).toBe("step");
    expect(step.time).toBe(1_100);
    expect(step.blockTime).toBe(1_150);
  });

  it("test_buildHistory_flagsExcursionsAndSuspectScansOnly", () => {
    const flagged = entries.filter((e) => e.flagged).map((e) => e.kind);
    expect(flagged).toEqual(["step", "excursion", "suspectScan"]);
    const hot = entries[4];
    expect(hot.kind === "step" && hot.excursion).toBe(true);
    expect(historySummary(entries)).toEqual({ excursions: 1, suspectScans: 1, steps: 3 });
  });

  it("test_buildHistory_readingOutsideRangeFlaggedEvenWithoutTheContractsEvent", () => {
    const onlyStep = buildHistory([created, events[1]]).entries;
    expect(onlyStep[1].flagged).toBe(true);
    expect(historySummary(onlyStep).excursions).toBe(1);
  });

  it("test_buildHistory_withoutColdChainNothingIsAnExcursion", () => {
    const noColdChain: PositionedEvent = { ...created, eventName: "ShipmentCreated", args: { ...created.args, coldChain: false, minTempCentiC: 0, maxTempCentiC: 0 } } as PositionedEvent;
    const result = buildHistory([noColdChain, events[1]]).entries;
    expect(result.some((e) => e.flagged)).toBe(false);
  });

  it("test_temperatureSeries_onlyReadingsByEventTime", () => {
    const series = temperatureSeries(entries);
    expect(series.map((p) => [p.time, p.celsius, p.outOfRange])).toEqual([
      [1_100, 4.5, false],
      [1_700, 9.5, true],
    ]);
  });

  it("test_outOfRange_boundsAreInside", () => {
    const r = { coldChain: true, minTempCentiC: 200, maxTempCentiC: 800 };
    expect(outOfRange(200, r)).toBe(false);
    expect(outOfRange(800, r)).toBe(false);
    expect(outOfRange(199, r)).toBe(true);
    expect(outOfRange(801, r)).toBe(true);
    expect(outOfRange(null, r)).toBe(false);
  });
});

describe("shipment state", () => {
  const kinds = new Map<string, number>([
    [MAKER.toLowerCase(), Kind.Manufacturer],
    [CARRIER.toLowerCase(), Kind.Carrier],
    [WAREHOUSE.toLowerCase(), Kind.Warehouse],
  ]);
  const kindOf = (a: string) => kinds.get(a.toLowerCase());

  it("test_shipmentState_asTheSeedSummarisesIt", () => {
    expect(shipmentState(view({ holder: MAKER }), MAKER, kindOf)).toBe("at origin");
    expect(shipmentState(view({ holder: CARRIER }), MAKER, kindOf)).toBe("in transit");
    expect(shipmentState(view({ holder: WAREHOUSE }), MAKER, kindOf)).toBe("in storage");
    expect(shipmentState(view({ holder: WAREHOUSE, pendingReceiver: CARRIER }), MAKER, kindOf)).toBe("awaiting acceptance");
    expect(shipmentState(view({ holder: WAREHOUSE, delivered: true }), MAKER, kindOf)).toBe("delivered");
    expect(shipmentState(view({ holder: MAKER, delivered: true }), MAKER, kindOf)).toBe("returned");
  });
});

describe("checks before a transaction", () => {
  const own = [6923450000106n, 6923450000304n];
  const good: CreateForm = {
    gtin: "06921973001013",
    vaccine: false,
    vaccineLotId: null,
    lot: "DS20261121",
    serial: "P0001",
    quantity: "40",
    origin: "6923450000304",
    coldChain: true,
    minC: "2",
    maxC: "8.5",
  };

  it("test_validateCreate_goodFormGivesTheContractParams", () => {
    const r = validateCreate(good, own);
    expect("params" in r && r.params).toEqual({
      lotNumber: "DS20261121",
      serial: "P0001",
      gtin: 6921973001013n,
      origin: 6923450000304n,
      quantity: 40,
      vaccineLotId: 0,
      coldChain: true,
      minTempCentiC: 200,
      maxTempCentiC: 850,
    });
  });

  it("test_validateCreate_refusesEachBadField", () => {
    const problems = (form: Partial<CreateForm>) => {
      const r = validateCreate({ ...good, ...form }, own);
      return "problems" in r ? r.problems : {};
    };
    expect(problems({ gtin: "06921973001014" }).gtin).toEqual({ key: "create.problem.gtin", values: { reason: "bad_gtin_check_digit" } });
    expect(problems({ gtin: "123" }).gtin?.values?.reason).toBe("bad_gtin");
    expect(problems({ gtin: " " }).gtin?.key).toBe("create.problem.gtinEmpty");
    expect(problems({ lot: "" }).lot?.key).toBe("create.problem.lotEmpty");
    expect(problems({ lot: "L".repeat(21) }).lot).toEqual({ key: "create.problem.lotTooLong", values: { max: 20, length: 21 } });
    expect(problems({ serial: "S 1" }).serial?.key).toBe("create.problem.serialChars");
    expect(problems({ serial: "批号" }).serial?.key).toBe("create.problem.serialChars");
    expect(problems({ quantity: "0" }).quantity?.key).toBe("create.problem.quantity");
    expect(problems({ quantity: "1.5" }).quantity?.key).toBe("create.problem.quantity");
    expect(problems({ quantity: "4294967296" }).quantity?.key).toBe("create.problem.quantity");
    expect(problems({ origin: "6944012000105" }).origin?.key).toBe("create.problem.origin");
    expect(problems({ minC: "8", maxC: "8" }).maxC?.key).toBe("create.problem.range");
    expect(problems({ minC: "warm" }).minC?.key).toBe("temperature.malformed");
    expect(problems({ vaccine: true, vaccineLotId: null }).vaccineLot?.key).toBe("create.problem.vaccineLot");
    // Without a cold chain the range is not read at all.
    expect(problems({ coldChain: false, minC: "x", maxC: "" })).toEqual({});
  });

  it("test_validateStep_packsTheWordTheContractReads", () => {
    const r = validateStep({ bizStep: "3", disposition: "1", gln: "6923450000304", temperature: "-18.25" }, own, 1_790_000_000);
    expect("word" in r).toBe(true);
    if (!("word" in r)) return;
    expect(unpackStep(r.word)).toEqual({ bizStep: 3, disposition: 1, readPoint: 6923450000304n, eventTime: 1_790_000_000, temperatureCentiC: -1825 });
    const noReading = validateStep({ bizStep: "16", disposition: "3", gln: "6923450000106", temperature: " " }, own, 5);
    expect("word" in noReading && unpackStep(noReading.word).temperatureCentiC).toBeNull();
  });

  it("test_validateStep_refusesMalformedTemperatureAndForeignLocation", () => {
    const r = validateStep({ bizStep: "3", disposition: "1", gln: "6944012000105", temperature: "5,0" }, own, 1);
    expect("problems" in r && r.problems).toEqual({
      gln: { key: "step.problem.location" },
      temperature: { key: "temperature.malformed", values: { value: "5,0" } },
    });
    const codes = validateStep({ bizStep: "17", disposition: "12", gln: "6923450000304", temperature: "" }, own, 1);
    expect("problems" in codes && Object.keys(codes.problems).sort()).toEqual(["bizStep", "disposition"]);
  });

  it("test_temperatureCheck_exactCentiDegrees", () => {
    expect(temperatureCheck("4.5", false)).toEqual({ centi: 450 });
    expect(temperatureCheck("-0.05 °C", false)).toEqual({ centi: -5 });
    expect(temperatureCheck("", true)).toEqual({ centi: null });
    expect(temperatureCheck("", false)).toEqual({ problem: { key: "temperature.empty" } });
    expect("problem" in temperatureCheck("4.555", false)).toBe(true);
    expect("problem" in temperatureCheck("400", false)).toBe(true);
  });

  it("test_searchOrganisations_byEitherNameActiveOnlyNotMe", () => {
    const orgs = [
      { address: MAKER, name: "Shanghai Institute of Biological Products", localName: "上海生物制品研究所", status: 1 },
      { address: CARRIER, name: "Shanghai Pharma Logistics", localName: "上药物流", status: 1 },
      { address: WAREHOUSE, name: "Baoshan Medical Supplies Warehouse", localName: "宝山区医疗物资仓库", status: 2 },
    ] as const;
    expect(searchOrganisations(orgs, "logistics", MAKER).map((o) => o.address)).toEqual([CARRIER]);
    expect(searchOrganisations(orgs, "上药", MAKER).map((o) => o.address)).toEqual([CARRIER]);
    expect(searchOrganisations(orgs, "shanghai", MAKER).map((o) => o.address)).toEqual([CARRIER]);
    expect(searchOrganisations(orgs, "宝山", undefined)).toEqual([]);
    expect(searchOrganisations(orgs, CARRIER.toLowerCase(), MAKER).map((o) => o.address)).toEqual([CARRIER]);
  });

  it("test_newSerial_isAValidGs1SerialOfAtMost20", () => {
    const serial = newSerial(new Date("2026-11-21T08:00:00Z"), () => 0.5);
    expect(serial).toMatch(/^S261121[0-9A-Z]{5}$/);
    expect(aiValueProblem(serial, "serial")).toBeNull();
    expect(newSerial(new Date(), () => 0.999999).length).toBeLessThanOrEqual(20);
  });
});
