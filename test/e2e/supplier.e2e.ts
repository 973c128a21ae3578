/**
 * Supplier and shipment pages: a manufacturer creates a shipment and gets its QR label, the REAL label image is
 * decoded by the bundled zxing wasm (scan from a photo), a custody step and a hand-over are recorded; the carrier
 * accepts it; the public page (no wallet) shows the timeline and the temperature chart; malformed input is
 * refused before any transaction; the seeded excursion and suspect scan are flagged; a label checked at the wrong
 * place is reported as suspect.
 *
 * Each test makes its own shipment (unique serial), set up through the UI under test or by direct contract calls
 * from the test process with the persona's (public Hardhat) key.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import type { Browser, Page } from "playwright-core";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeAbiParameters,
  type Hex,
  http,
  keccak256,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { provenanceRegistryAbi } from "../../app/src/generated/healthtrace.ts";
import { account, APP_URL, connectWallet, launch, openSession, readStack, RPC_URL, SCREENSHOTS, screenshot, type Stack } from "./harness.ts";

const MASKS_GTIN = "06921973001013";
const COVID_GTIN = "06923450120019";
const SIBP_LINE = 6923450000106n; // manufacturerA's packaging line
const SIBP_COLD_STORE = 6923450000205n; // manufacturerA's cold store
const SIBP_DISPATCH = 6923450000304n; // manufacturerA's dispatch bay
const REEFER_TRUCK = 6944012000303n; // the carrier's reefer truck
const CARRIER_HUB = 6944012000105n; // the carrier's cross-dock

const idOf = (gtin: string, lot: string, serial: string): Hex =>
  keccak256(encodeAbiParameters([{ type: "uint64" }, { type: "string" }, { type: "string" }], [BigInt(gtin), lot, serial]));

let counter = 0;
/** A serial no other test (or run) uses: ≤ 20 characters of GS1 set 82. */
const uniqueSerial = (prefix: string): string => `${prefix}${Date.now().toString(36).toUpperCase()}${(counter++).toString(36).toUpperCase()}`;

function chainOf(stack: Stack) {
  return defineChain({
    id: stack.chainId,
    name: "HealthTrace local",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [RPC_URL] } },
  });
}

/** Direct contract calls as a persona (set-up the UI under test does not cover, and checks of the outcome). */
function asPersona(stack: Stack, persona: string) {
  const chain = chainOf(stack);
  const wallet = createWalletClient({ account: privateKeyToAccount(account(stack, persona).publicTestPrivateKey), chain, transport: http(RPC_URL) });
  const reader = createPublicClient({ chain, transport: http(RPC_URL) });
  const registry = stack.contracts.ProvenanceRegistry;
  const send = async (hash: Promise<Hex>) => {
    const receipt = await reader.waitForTransactionReceipt({ hash: await hash });
    assert.equal(receipt.status, "success");
  };
  return {
    reader,
    registry,
    createMasks: async (lot: string, serial: string, origin: bigint) =>
      send(
        wallet.writeContract({
          address: registry,
          abi: provenanceRegistryAbi,
          functionName: "createShipment",
          args: [{ lotNumber: lot, serial, gtin: BigInt(MASKS_GTIN), origin, quantity: 40, vaccineLotId: 0, coldChain: true, minTempCentiC: 200, maxTempCentiC: 800 }],
        }),
      ),
    /** A step dated `ago` seconds before the latest block. */
    step: async (shipmentId: Hex, bizStep: number, disposition: number, gln: bigint, centi: number, ago = 0) => {
      const latest = await reader.getBlock({ blockTag: "latest" });
      const word = await reader.readContract({
        address: registry,
        abi: provenanceRegistryAbi,
        functionName: "packStep",
        args: [bizStep, disposition, gln, Number(latest.timestamp) - ago, true, centi],
      });
      await send(wallet.writeContract({ address: registry, abi: provenanceRegistryAbi, functionName: "recordStep", args: [shipmentId, word] }));
    },
    propose: async (shipmentId: Hex, receiver: Address, isFinal: boolean) =>
      send(wallet.writeContract({ address: registry, abi: provenanceRegistryAbi, functionName: "proposeHandover", args: [shipmentId, receiver, isFinal] })),
    view: (shipmentId: Hex) => reader.readContract({ address: registry, abi: provenanceRegistryAbi, functionName: "shipmentOf", args: [shipmentId] }),
  };
}

/** The app's own Digital Link of a shipment (what its printed label carries). */
const appLink = (stack: Stack, gtin: string, lot: string, serial: string): string =>
  `${APP_URL}/01/${gtin}/10/${lot}/21/${serial}?chain=${stack.chainId}&registry=${stack.contracts.ProvenanceRegistry}`;

/** Wait for the transaction shown inside `scope` to finish; fail with its sentence when it was refused. */
async function confirmed(page: Page, scopeTestId: string): Promise<void> {
  const done = page.getByTestId(scopeTestId).locator('[data-tx="confirmed"], [data-tx="failed"]').first();
  await done.waitFor({ timeout: 30_000 });
  assert.equal(await done.getAttribute("data-tx"), "confirmed", `transaction refused: ${(await done.textContent()) ?? ""}`);
}

async function openSupplier(page: Page): Promise<void> {
  await page.goto(`${APP_URL}/supplier`);
  await connectWallet(page);
  await page.getByTestId("who").waitFor({ timeout: 20_000 });
}

describe("supplier and shipment pages", () => {
  let browser: Browser;
  let stack: Stack;
  let work: string;
  before(async () => {
    browser = await launch();
    stack = readStack();
    work = mkdtempSync(path.join(tmpdir(), "ht-supplier-e2e-"));
  });
  after(async () => {
    await browser.close();
  });

  it("test_createShipment_realLabelImageScannedOpensIt_stepAndHandoverRecorded", async () => {
    const s = await openSession(browser, stack, { language: "zh" });
    await s.wallet.use("manufacturerA");
    await openSupplier(s.page);

    // Create: the COVID-19 vaccine, one of manufacturerA's usable lots, a fresh serial.
    const form = s.page.getByTestId("create-form");
    await form.waitFor();
    await s.page.getByTestId("create-product").selectOption("covidInactivated");
    const lotSelect = s.page.getByTestId("create-vaccine-lot");
    const lotId = await lotSelect.locator('option:not([disabled]):not([value=""])').first().getAttribute("value");
    assert.ok(lotId !== null, "manufacturerA has a usable COVID-19 vaccine lot");
    await lotSelect.selectOption(lotId);
    const lotText = (await lotSelect.locator(`option[value="${lotId}"]`).textContent()) ?? "";
    const lot = lotText.split(" · ")[0].trim();
    const serial = uniqueSerial("E2E");
    await s.page.getByTestId("create-serial").fill(serial);
    await s.page.getByTestId("create-quantity").fill("120");
    await s.page.getByTestId("create-origin").selectOption(SIBP_DISPATCH.toString());
    assert.equal(await s.page.getByTestId("create-min").inputValue(), "2");
    assert.equal(await s.page.getByTestId("create-max").inputValue(), "8");
    await s.page.getByTestId("create-submit").click();
    await confirmed(s.page, "create-section");

    // The label: the app's own origin as resolver, with chain and registry.
    const label = s.page.getByTestId("shipment-label");
    await label.waitFor();
    const link = await label.getAttribute("data-value");
    assert.equal(link, appLink(stack, COVID_GTIN, lot, serial));
    assert.match((await s.page.getByTestId("shipment-label-hri").textContent()) ?? "", new RegExp(`${COVID_GTIN}.*${lot}.*${serial}`, "s"));
    const shipmentId = idOf(COVID_GTIN, lot, serial);
    const chain = asPersona(stack, "manufacturerA");
    assert.equal((await chain.view(shipmentId)).holder, account(stack, "manufacturerA").address);
    await s.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(s.page, "supplier-label-zh");

    // Print: only the label, on one page.
    await s.page.evaluate(() => {
      const w = window as unknown as { printed: number };
      w.printed = 0;
      window.print = () => {
        w.printed += 1;
      };
    });
    await s.page.getByTestId("shipment-label-print").click();
    assert.equal(await s.page.evaluate(() => (window as unknown as { printed: number }).printed), 1);
    await s.page.emulateMedia({ media: "print" });
    assert.ok(await s.page.getByTestId("shipment-label").isVisible());
    assert.ok(!(await s.page.getByTestId("create-form").isVisible()));
    assert.ok(!(await s.page.getByTestId("scanner").isVisible()));
    const pdf = (await s.page.pdf()).toString("latin1");
    assert.equal((pdf.match(/\/Type\s*\/Page[^s]/g) ?? []).length, 1, "the label prints on one page");
    await s.page.emulateMedia({ media: "screen" });
    await s.page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
    assert.ok(await s.page.getByTestId("create-form").isVisible());

    // The REAL label image, decoded in the page by the bundled zxing wasm.
    const png = path.join(work, `label-${serial}.png`);
    await s.page.getByTestId("shipment-label-card").screenshot({ path: png });
    await s.page.getByTestId("scanner-file").setInputFiles(png);
    const panel = s.page.getByTestId("work-panel");
    await panel.waitFor({ timeout: 20_000 });
    assert.equal(await s.page.getByTestId("work-shipment-id").textContent(), shipmentId);
    await s.page.getByTestId("step-form").waitFor();

    // Next custody step: shipping · in transit, 5.0 °C, at its own dispatch bay.
    await s.page.getByTestId("step-bizstep").selectOption("3");
    await s.page.getByTestId("step-disposition").selectOption("1");
    await s.page.getByTestId("step-location").selectOption(SIBP_DISPATCH.toString());
    await s.page.getByTestId("step-temperature-input").fill("5.0");
    await s.page.getByTestId("step-submit").click();
    await confirmed(s.page, "step-form");
    await s.page.getByTestId("work-timeline").locator('li[data-kind="step"]').filter({ hasText: "5.00 °C" }).waitFor({ timeout: 15_000 });

    // Hand-over to the carrier, found by name.
    const carrier = account(stack, "carrier").address;
    await s.page.getByTestId("handover-search").fill("上药");
    await s.page.getByTestId(`receiver-${carrier.toLowerCase()}`).check();
    await s.page.getByTestId("handover-submit").click();
    await confirmed(s.page, "handover-form");
    const view = await chain.view(shipmentId);
    assert.equal(view.pendingReceiver, carrier);
    assert.equal(view.pendingFinal, false);
    await s.page.getByTestId("work-pending").waitFor({ timeout: 15_000 });
    await s.context.close();
  });

  it("test_carrierAcceptsIncomingHandover_publicPageShowsTimelineAndChart", async () => {
    const lot = "E2EHO";
    const serial = uniqueSerial("HO");
    const shipmentId = idOf(MASKS_GTIN, lot, serial);
    const maker = asPersona(stack, "manufacturerA");
    await maker.createMasks(lot, serial, SIBP_DISPATCH);
    await maker.step(shipmentId, 1, 9, SIBP_LINE, 420, 3 * 3600); // packing · container closed · 4.20 °C
    await maker.step(shipmentId, 10, 0, SIBP_COLD_STORE, 380, 2 * 3600); // storing · active · 3.80 °C
    await maker.step(shipmentId, 3, 1, SIBP_DISPATCH, 500, 3600); // shipping · in transit · 5.00 °C
    const carrier = account(stack, "carrier").address;
    await maker.propose(shipmentId, carrier, false);

    // The carrier sees it among its incoming hand-overs and accepts it.
    const s = await openSession(browser, stack, { language: "en" });
    await s.wallet.use("carrier");
    await openSupplier(s.page);
    const item = s.page.getByTestId("incoming").locator(`li[data-shipment="${shipmentId}"]`);
    await item.waitFor({ timeout: 20_000 });
    await item.getByTestId("incoming-open").click();
    await s.page.getByTestId("respond-panel").waitFor();
    await s.page.getByTestId("handover-accept").click();
    await confirmed(s.page, "respond-panel");
    assert.equal((await maker.view(shipmentId)).holder, carrier);
    // It is no longer awaiting the carrier; the carrier records the next step from its truck.
    await s.page.getByTestId("step-form").waitFor({ timeout: 15_000 });
    await s.page.getByTestId("step-bizstep").selectOption("5");
    await s.page.getByTestId("step-disposition").selectOption("1");
    await s.page.getByTestId("step-location").selectOption(REEFER_TRUCK.toString());
    await s.page.getByTestId("step-temperature-input").fill("6.25");
    await s.page.getByTestId("step-submit").click();
    await confirmed(s.page, "step-form");
    await s.page.getByTestId("incoming").locator(`li[data-shipment="${shipmentId}"]`).waitFor({ state: "detached", timeout: 20_000 });
    await s.context.close();

    // Anyone, without a wallet, from the label's Digital Link.
    const pub = await openSession(browser, stack, { language: "en" });
    await pub.page.goto(appLink(stack, MASKS_GTIN, lot, serial));
    await pub.page.getByTestId("shipment-page").waitFor({ timeout: 20_000 });
    assert.equal(await pub.page.getByTestId("shipment-holder").textContent(), "Shanghai Pharma Logistics");
    assert.equal(await pub.page.getByTestId("shipment-state").getAttribute("data-state"), "in transit");
    const timeline = pub.page.getByTestId("timeline");
    await timeline.locator('li[data-kind="created"]').waitFor();
    const steps = timeline.locator('li[data-kind="step"]');
    assert.equal(await steps.count(), 4);
    assert.match((await steps.nth(2).textContent()) ?? "", /shipping · in transit.*Pudong plant, dispatch bay.*5\.00 °C/s);
    assert.match((await steps.nth(3).textContent()) ?? "", /transporting · in transit.*Reefer truck R07.*Shanghai Pharma Logistics.*6\.25 °C/s);
    assert.match((await timeline.locator('li[data-kind="proposed"]').textContent()) ?? "", /Shanghai Pharma Logistics/);
    assert.match((await timeline.locator('li[data-kind="accepted"]').textContent()) ?? "", /Shanghai Pharma Logistics accepted custody/);
    assert.equal(await timeline.locator("li.flag").count(), 0);
    await pub.page.getByTestId("temperature-chart").locator("svg.recharts-surface").waitFor();
    assert.equal(await pub.page.getByTestId("temperature-chart").locator(".recharts-reference-area").count(), 1);
    const rows = pub.page.getByTestId("temperature-table").locator("tbody tr");
    assert.equal(await rows.count(), 4);
    assert.match((await rows.nth(0).textContent()) ?? "", /4\.20 °C/);
    assert.match((await rows.nth(3).textContent()) ?? "", /6\.25 °C/);
    assert.equal(await pub.page.getByTestId("temperature-chart").locator(".recharts-line-dots circle").count(), 4);
    assert.ok(
      !pub.wallet.requests.some((m) => m === "eth_requestAccounts" || m === "eth_sendTransaction"),
      `the public page never asks a wallet (${pub.wallet.requests.join(", ")})`,
    );
    await screenshot(pub.page, "shipment-page-en");
    await pub.context.close();

    const phone = await openSession(browser, stack, { language: "zh", phone: true });
    await phone.page.goto(`${APP_URL}/shipment/${shipmentId}`);
    await phone.page.getByTestId("temperature-chart").locator("svg.recharts-surface").waitFor({ timeout: 20_000 });
    assert.match((await phone.page.getByTestId("timeline").textContent()) ?? "", /签收/);
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
    await screenshot(phone.page, "shipment-page-zh-phone");
    await phone.context.close();
  });

  it("test_malformedTemperatureLabelAndAddress_refusedBeforeAnyTransaction", async () => {
    const lot = "E2EBAD";
    const serial = uniqueSerial("BD");
    await asPersona(stack, "manufacturerA").createMasks(lot, serial, SIBP_DISPATCH);

    const s = await openSession(browser, stack, { language: "en", phone: true });
    await s.wallet.use("manufacturerA");
    await openSupplier(s.page);

    // A malformed label: refused by the scanner, no panel.
    await s.page.getByTestId("scanner-input").fill("https://id.gs1.org/01/09506000134353/10/LOT/21");
    await s.page.getByTestId("scanner-submit").click();
    await s.page.locator('.scanner [data-error="badDigitalLink"]').waitFor();
    assert.equal(await s.page.getByTestId("work-panel").count(), 0);

    // A well-formed label the registry never issued: a message, nothing else.
    await s.page.getByTestId("scanner-input").fill(appLink(stack, MASKS_GTIN, lot, uniqueSerial("NEVER")));
    await s.page.getByTestId("scanner-submit").click();
    await s.page.getByTestId("unknown-shipment").waitFor({ timeout: 15_000 });
    assert.equal(await s.page.getByTestId("step-form").count(), 0);

    // The real shipment: a malformed temperature is refused with a sentence.
    await s.page.getByTestId("scanner-input").fill(appLink(stack, MASKS_GTIN, lot, serial));
    await s.page.getByTestId("scanner-submit").click();
    await s.page.getByTestId("step-form").waitFor({ timeout: 15_000 });
    await s.page.getByTestId("step-temperature-input").fill("5,0 warm");
    await s.page.getByTestId("step-submit").click();
    const tempError = s.page.getByTestId("step-form").locator('[data-error="temperature.malformed"]');
    await tempError.waitFor();
    assert.match((await tempError.textContent()) ?? "", /is not a temperature in °C/);

    // An invalid receiver address, and no receiver at all.
    await s.page.getByTestId("handover-search").fill("0x1234");
    await s.page.getByTestId("handover-submit").click();
    await s.page.getByTestId("handover-form").locator('[data-error="handover.problem.badAddress"]').waitFor();

    // Create-shipment checks: a wrong GTIN check digit, an empty lot, a zero quantity, an empty range.
    await s.page.getByTestId("create-product").selectOption("other");
    await s.page.getByTestId("create-gtin").fill("06921973001014");
    await s.page.getByTestId("create-lot").fill("");
    await s.page.getByTestId("create-quantity").fill("0");
    await s.page.getByTestId("create-cold-chain").check();
    await s.page.getByTestId("create-min").fill("8");
    await s.page.getByTestId("create-max").fill("2");
    await s.page.getByTestId("create-submit").click();
    const create = s.page.getByTestId("create-form");
    await create.locator('[data-error="create.problem.gtin"]').waitFor();
    assert.match((await create.locator('[data-error="create.problem.gtin"]').textContent()) ?? "", /check digit/);
    await create.locator('[data-error="create.problem.lotEmpty"]').waitFor();
    await create.locator('[data-error="create.problem.quantity"]').waitFor();
    await create.locator('[data-error="create.problem.range"]').waitFor();

    assert.ok(!s.wallet.requests.includes("eth_sendTransaction"), `nothing was sent (${s.wallet.requests.join(", ")})`);
    // The sticky header would be stitched into an element screenshot: let it scroll away for this one.
    await s.page.addStyleTag({ content: ".topbar { position: static !important; }" });
    await s.page.getByTestId("work-panel").screenshot({ path: path.join(SCREENSHOTS, "supplier-refusals-en-phone.png") });
    await s.context.close();
  });

  it("test_seededColdChainExcursionAndSuspectScan_flaggedOnPublicPages", async () => {
    interface SeededShipment {
      readonly id: string;
      readonly gtin: string;
      readonly lotNumber: string;
      readonly serial: string;
      readonly excursions: readonly { readonly temperatureC: number }[];
    }
    const seed = (stack as unknown as { seed: { supply: { shipments: SeededShipment[]; suspectScans: { shipmentId: string; issued: boolean }[] } } }).seed.supply;
    const excursion = seed.shipments.find((x) => x.excursions.length > 0);
    assert.ok(excursion !== undefined, "the seed has a shipment with a cold-chain excursion");

    const s = await openSession(browser, stack, { language: "en" });
    await s.page.goto(appLink(stack, excursion.gtin, excursion.lotNumber, excursion.serial));
    await s.page.getByTestId("shipment-page").waitFor({ timeout: 20_000 });
    const timeline = s.page.getByTestId("timeline");
    await timeline.locator('li.flag[data-kind="excursion"]').waitFor();
    const reading = excursion.excursions[0].temperatureC.toFixed(2);
    assert.match((await timeline.locator('li.flag[data-kind="step"]').first().textContent()) ?? "", new RegExp(`${reading} °C`));
    assert.match((await s.page.getByTestId("badge-excursion").textContent()) ?? "", /excursions: 1/);
    assert.match((await s.page.getByTestId("shipment-flags").textContent()) ?? "", /non-conformant/);
    assert.equal(await timeline.locator('li[data-kind="rejected"]').count(), 1);
    assert.ok((await s.page.getByTestId("temperature-table").locator("tr.row-flag").count()) >= 1);

    // The delivered label scanned at the carrier's hub: its suspect scan is flagged.
    const scanned = seed.suspectScans.find((x) => x.issued);
    assert.ok(scanned !== undefined);
    await s.page.goto(`${APP_URL}/shipment/${scanned.shipmentId}`);
    await s.page.getByTestId("timeline").locator('li.flag[data-kind="suspectScan"]').waitFor({ timeout: 20_000 });
    assert.match((await s.page.getByTestId("badge-suspect").textContent()) ?? "", /1/);

    // A malformed shipment id and an identity never issued: clear messages.
    await s.page.goto(`${APP_URL}/shipment/0x1234`);
    await s.page.getByTestId("shipment-bad-address").waitFor();
    await s.page.goto(appLink(stack, MASKS_GTIN, "NOPE", uniqueSerial("NX")));
    await s.page.getByTestId("shipment-unknown").waitFor({ timeout: 20_000 });
    await s.context.close();
  });

  it("test_labelCheckedAwayFromHolder_suspectVerdictReportedAndFlagged", async () => {
    const lot = "E2ESCAN";
    const serial = uniqueSerial("SC");
    const shipmentId = idOf(MASKS_GTIN, lot, serial);
    await asPersona(stack, "manufacturerA").createMasks(lot, serial, SIBP_DISPATCH);

    // The carrier, which neither holds it nor is expected to receive it, scans the label at its hub.
    const s = await openSession(browser, stack, { language: "zh", phone: true });
    await s.wallet.use("carrier");
    await openSupplier(s.page);
    await s.page.getByTestId("scanner-input").fill(appLink(stack, MASKS_GTIN, lot, serial));
    await s.page.getByTestId("scanner-submit").click();
    await s.page.getByTestId("work-not-holder").waitFor({ timeout: 15_000 });
    await s.page.getByTestId("scan-check-location").selectOption(CARRIER_HUB.toString());
    await s.page.getByTestId("scan-check-run").click();
    const verdict = s.page.getByTestId("scan-verdict");
    await verdict.waitFor();
    assert.equal(await verdict.getAttribute("data-verdict"), "3");
    assert.match((await verdict.textContent()) ?? "", /可疑/);
    await s.page.getByTestId("scan-report").click();
    await confirmed(s.page, "scan-check");
    await s.page.getByTestId("work-timeline").locator('li.flag[data-kind="suspectScan"]').waitFor({ timeout: 15_000 });
    await s.context.close();

    const logs = await asPersona(stack, "carrier").reader.getContractEvents({
      address: stack.contracts.ProvenanceRegistry,
      abi: provenanceRegistryAbi,
      eventName: "SuspectScanReported",
      args: { shipmentId },
      fromBlock: 0n,
    });
    assert.equal(logs.length, 1);
    assert.equal(logs[0].args.gln, CARRIER_HUB);
    assert.equal(logs[0].args.verdict, 3);
  });
});
