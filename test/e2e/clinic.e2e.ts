/**
 * The clinic's page: a clinic records a dose for a citizen whose address it pastes, from a usable lot; the
 * citizen (the same browser, switching persona) confirms it; the clinic's "awaiting confirmation" list no longer
 * has it. A malformed address is refused before any transaction.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import type { Browser } from "playwright-core";

import { chainClients } from "./citizen-chain.ts";
import { account, APP_URL, connectWallet, launch, openSession, readStack, screenshot, type Stack } from "./harness.ts";

describe("clinic page", () => {
  let browser: Browser;
  let stack: Stack;
  let chain: ReturnType<typeof chainClients>;
  before(async () => {
    browser = await launch();
    stack = readStack();
    chain = chainClients(stack);
  });
  after(async () => {
    await browser.close();
  });

  it("test_recordDose_citizenConfirmsIt_andItLeavesTheAwaitingList", async () => {
    const clinic = account(stack, "gumeiChc").address;
    const citizen = account(stack, "citizenD").address;
    const before = await chain.newestDose(clinic, citizen);

    const s = await openSession(browser, stack, { language: "zh" });
    await s.wallet.use("gumeiChc");
    await s.page.goto(`${APP_URL}/clinic`);
    await connectWallet(s.page);
    await s.page.getByTestId("clinic-name").waitFor();

    await s.page.getByTestId("citizen-scanner-input").fill(citizen);
    await s.page.getByTestId("citizen-scanner-submit").click();
    await s.page.locator(`[data-testid="citizen-chosen"][data-address="${citizen}"]`).waitFor();

    // Only usable lots are offered; pick the first.
    const options = s.page.locator('[data-testid="lot-select"] option:not([value=""])');
    await options.first().waitFor({ state: "attached" });
    const lotId = Number(await options.first().getAttribute("value"));
    const lot = await chain.publicClient.readContract({ ...chain.contracts.vaccines, functionName: "lotOf", args: [lotId] });
    assert.equal(lot.state, 2, "an offered lot is active");
    assert.ok(lot.dosesRecorded < lot.doseCount, "an offered lot has doses left");
    await s.page.getByTestId("lot-select").selectOption(String(lotId));
    await s.page.getByTestId("lot-details").waitFor();
    await s.page.getByTestId("dose-number").fill("2");
    // The clinic's own district is the default.
    const org = await chain.publicClient.readContract({ ...chain.contracts.authority, functionName: "organisationOf", args: [clinic] });
    assert.equal(await s.page.getByTestId("dose-district").inputValue(), String(org.district));
    await s.page.getByTestId("record-submit").click();
    await s.page.locator('[data-testid="record-dose"] [data-tx="confirmed"]').waitFor({ timeout: 30_000 });

    const doseId = await chain.newestDose(clinic, citizen);
    assert.ok(doseId !== null && doseId !== before, "a new dose was recorded");
    const dose = await chain.dose(doseId);
    assert.equal(dose.lotId, lotId);
    assert.equal(dose.doseNumber, 2);
    assert.equal(dose.confirmed, false);
    const awaiting = s.page.locator(`[data-testid="awaiting-row"][data-dose-id="${doseId}"]`);
    await awaiting.waitFor();
    await s.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(s.page, "clinic-zh-desktop");

    // The citizen, on the same browser, confirms it.
    await s.wallet.use("citizenD");
    await s.page.goto(`${APP_URL}/citizen`);
    const row = s.page.locator(`[data-testid="dose-row"][data-dose-id="${doseId}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute("data-confirmed"), "false");
    await row.getByTestId("confirm-dose").click();
    await s.page.locator(`[data-testid="dose-row"][data-dose-id="${doseId}"][data-confirmed="true"]`).waitFor({ timeout: 30_000 });
    assert.equal((await chain.dose(doseId)).confirmed, true);

    // Back at the clinic: no longer awaiting.
    await s.wallet.use("gumeiChc");
    await s.page.goto(`${APP_URL}/clinic`);
    await s.page.getByTestId("awaiting").locator("table, [data-testid='awaiting-empty']").first().waitFor();
    assert.equal(await s.page.locator(`[data-testid="awaiting-row"][data-dose-id="${doseId}"]`).count(), 0);
    await s.context.close();
  });

  it("test_recordDose_malformedAddressRefusedBeforeAnyTransaction", async () => {
    const s = await openSession(browser, stack, { language: "en", phone: true });
    await s.wallet.use("huamuChc");
    await s.page.goto(`${APP_URL}/clinic`);
    await connectWallet(s.page);
    await s.page.getByTestId("clinic-name").waitFor();

    // Too short, then a wrong checksum: both refused by the scanner with a message.
    for (const bad of ["0x71bE63f3384f5fb98995898A86B02Fb2426c57", "0x71bE63f3384f5fb98995898A86B02Fb2426c5789"]) {
      await s.page.getByTestId("citizen-scanner-input").fill(bad);
      await s.page.getByTestId("citizen-scanner-submit").click();
      const note = s.page.locator('[data-testid="citizen-scanner"] [data-error="badAddress"]');
      await note.waitFor();
      assert.match((await note.textContent()) ?? "", /not a valid wallet address/);
      assert.equal(await s.page.getByTestId("citizen-chosen").count(), 0);
    }
    // A shipment label is not a wallet.
    await s.page.getByTestId("citizen-scanner-input").fill("https://id.gs1.org/01/09506000134352/10/LOT1/21/S1");
    await s.page.getByTestId("citizen-scanner-submit").click();
    await s.page.locator('[data-testid="citizen-scanner"] [data-error="wrongKind"]').waitFor();

    // Recording without a citizen is refused by the form.
    await s.page.getByTestId("record-submit").click();
    await s.page.locator('[data-error="problem.noCitizen"]').waitFor();

    // The clinic's own wallet is not a citizen's.
    await s.page.getByTestId("citizen-scanner-input").fill(account(stack, "huamuChc").address);
    await s.page.getByTestId("citizen-scanner-submit").click();
    await s.page.getByTestId("record-submit").click();
    await s.page.locator('[data-error="problem.selfCitizen"]').waitFor();

    // A bad dose number, with a real citizen.
    await s.page.getByTestId("citizen-change").click();
    await s.page.getByTestId("citizen-scanner-input").fill(`ethereum:${account(stack, "citizenE").address}@${stack.chainId}`);
    await s.page.getByTestId("citizen-scanner-submit").click();
    await s.page.getByTestId("citizen-chosen").waitFor();
    const first = s.page.locator('[data-testid="lot-select"] option:not([value=""])').first();
    await first.waitFor({ state: "attached" });
    await s.page.getByTestId("lot-select").selectOption((await first.getAttribute("value")) ?? "");
    await s.page.getByTestId("dose-number").fill("11");
    await s.page.getByTestId("record-submit").click();
    await s.page.locator('[data-error="problem.badDoseNumber"]').waitFor();

    assert.ok(await s.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no sideways scrolling");
    assert.ok(!s.wallet.requests.includes("eth_sendTransaction"), "no transaction was sent");
    await s.context.close();
  });

  it("test_clinicPage_walletWithoutClinicRoleIsTold", async () => {
    const s = await openSession(browser, stack, { language: "en" });
    await s.wallet.use("carrier");
    await s.page.goto(`${APP_URL}/clinic`);
    await connectWallet(s.page);
    const note = s.page.getByTestId("not-clinic");
    await note.waitFor();
    assert.match((await note.textContent()) ?? "", /Shanghai Pharma Logistics does not hold the vaccination-clinic role/);
    assert.equal(await s.page.getByTestId("record-dose").count(), 0);
    await s.context.close();
  });
});
