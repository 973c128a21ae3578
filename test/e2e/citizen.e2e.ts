/**
 * The citizen's page and the verifier: grant by transaction then revoke (grant list and timeline), grant by a
 * signature the relayer submits, a rejected signature, an expiry in the past refused before any transaction, and
 * a proof of vaccination the verifier page answers YES to (and NO once tampered with).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import type { Browser } from "playwright-core";

import { Category, Purpose } from "../../scripts/lib/personas.ts";
import { LotReason } from "../../scripts/lib/vaccines.ts";
import { chainClients, chooseOrganisation, shanghaiDay } from "./citizen-chain.ts";
import { account, APP_URL, connectWallet, launch, openSession, readStack, screenshot, type Stack } from "./harness.ts";

const ADVERSE_EVENTS = LotReason.AdverseEvents;

const SIGNING = ["eth_sendTransaction", "eth_signTypedData_v4", "eth_signTypedData", "personal_sign"];

describe("citizen page", () => {
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

  it("test_grantByTransactionThenRevoke_grantListAndTimelineShowBoth", async () => {
    const citizen = account(stack, "citizenB").address;
    const ruijin = account(stack, "ruijin").address;
    await chain.ensureNoGrant("citizenB", ruijin, Category.Prescription);

    const s = await openSession(browser, stack, { language: "zh" });
    await s.wallet.use("citizenB");
    await s.page.goto(`${APP_URL}/citizen`);
    await connectWallet(s.page);
    await s.page.getByTestId("dose-row").first().waitFor();

    await chooseOrganisation(s.page, "瑞金", ruijin);
    await s.page.getByTestId("grant-category").selectOption(String(Category.Prescription));
    await s.page.getByTestId("grant-purpose").selectOption(String(Purpose.Treatment));
    await s.page.getByTestId("grant-expiry").fill(shanghaiDay(30));
    await s.page.getByTestId("grant-submit").click();
    await s.page.locator('[data-testid="grant-status"] [data-tx="confirmed"]').waitFor({ timeout: 30_000 });
    assert.ok((await chain.grantExpiry(citizen, ruijin, Category.Prescription)) > 0n, "the grant is on chain");

    const row = s.page.locator(`[data-testid="grant-row"][data-grantee="${ruijin}"][data-category="${Category.Prescription}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute("data-live"), "true");
    assert.match((await row.textContent()) ?? "", /瑞金医院.*处方.*诊疗/s);
    const newest = s.page.getByTestId("timeline-entry").first();
    await s.page.waitForFunction(
      ([party]) => document.querySelector('[data-testid="timeline-entry"]')?.getAttribute("data-party") === party,
      [ruijin],
    );
    assert.equal(await newest.getAttribute("data-kind"), "granted");
    assert.equal(await newest.getAttribute("data-category"), String(Category.Prescription));
    assert.match((await newest.textContent()) ?? "", /您授权瑞金医院出于诊疗查阅您的处方档案/);
    await s.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(s.page, "citizen-zh-desktop");

    await row.getByTestId("revoke").click();
    await row.waitFor({ state: "detached", timeout: 30_000 });
    assert.equal(await chain.grantExpiry(citizen, ruijin, Category.Prescription), 0n, "the grant is revoked on chain");
    await s.page.waitForFunction(() => document.querySelector('[data-testid="timeline-entry"]')?.getAttribute("data-kind") === "revoked");
    const entries = s.page.getByTestId("timeline-entry");
    assert.equal(await entries.nth(0).getAttribute("data-party"), ruijin);
    assert.match((await entries.nth(0).textContent()) ?? "", /您撤销了瑞金医院查阅您处方档案的授权/);
    assert.equal(await entries.nth(1).getAttribute("data-kind"), "granted");
    assert.equal(await entries.nth(1).getAttribute("data-party"), ruijin);
    await s.context.close();
  });

  it("test_grantBySignature_relayerSubmitsItAndTheGrantIsListed", async () => {
    const citizen = account(stack, "citizenC").address;
    const research = account(stack, "research").address;
    await chain.ensureNoGrant("citizenC", research, Category.LabResult);

    const s = await openSession(browser, stack, { language: "en" });
    await s.wallet.use("citizenC");
    await s.page.goto(`${APP_URL}/citizen`);
    await connectWallet(s.page);

    await chooseOrganisation(s.page, "public health", research);
    await s.page.getByTestId("grant-category").selectOption(String(Category.LabResult));
    await s.page.getByTestId("grant-purpose").selectOption(String(Purpose.Research));
    await s.page.getByTestId("grant-expiry").fill(shanghaiDay(90));
    await s.page.getByTestId("grant-mode-sig").check();
    await s.page.getByTestId("grant-submit").click();
    await s.page.locator('[data-testid="grant-status"] [data-tx="confirmed"]').waitFor({ timeout: 30_000 });

    // The citizen only signed: the relayer sent the transaction.
    assert.ok(s.wallet.requests.includes("eth_signTypedData_v4"));
    assert.ok(!s.wallet.requests.includes("eth_sendTransaction"), "the citizen's wallet sent no transaction");
    const logs = await chain.publicClient.getContractEvents({
      ...chain.contracts.consent,
      eventName: "ConsentGranted",
      args: { citizen, grantee: research, category: Category.LabResult },
      fromBlock: 0n,
      strict: true,
    });
    const last = logs.at(-1);
    assert.ok(last !== undefined);
    assert.equal(last.args.purpose, Purpose.Research);
    const tx = await chain.publicClient.getTransaction({ hash: last.transactionHash });
    assert.notEqual(tx.from.toLowerCase(), citizen.toLowerCase(), "relayed by someone else");
    assert.equal(tx.to?.toLowerCase(), stack.contracts.ConsentRegistry.toLowerCase());

    const row = s.page.locator(`[data-testid="grant-row"][data-grantee="${research}"][data-category="${Category.LabResult}"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? "", /Fudan University School of Public Health.*lab result records, for research/s);

    // Revoked the same way: the citizen signs, the relayer submits and pays.
    await row.getByTestId("revoke-sig").click();
    await row.waitFor({ state: "detached", timeout: 30_000 });
    assert.equal(await chain.grantExpiry(citizen, research, Category.LabResult), 0n, "the grant is revoked on chain");
    assert.equal(s.wallet.requests.filter((m) => m === "eth_signTypedData_v4").length, 2, "one signature to grant, one to revoke");
    assert.ok(!s.wallet.requests.includes("eth_sendTransaction"), "the citizen's wallet sent no transaction");
    const revoked = await chain.publicClient.getContractEvents({
      ...chain.contracts.consent,
      eventName: "ConsentRevoked",
      args: { citizen, grantee: research, category: Category.LabResult },
      fromBlock: last.blockNumber,
      strict: true,
    });
    assert.equal(revoked.length, 1);
    const revocation = await chain.publicClient.getTransaction({ hash: revoked[0].transactionHash });
    assert.notEqual(revocation.from.toLowerCase(), citizen.toLowerCase(), "relayed by someone else");
    await s.page.waitForFunction(() => document.querySelector('[data-testid="timeline-entry"]')?.getAttribute("data-kind") === "revoked");
    await s.context.close();
  });

  it("test_grantBySignature_rejectedInTheWalletShowsTheMessageAndChangesNothing", async () => {
    const citizen = account(stack, "citizenD").address;
    const zhongshan = account(stack, "zhongshan").address;
    await chain.ensureNoGrant("citizenD", zhongshan, Category.Diagnosis);
    const height = await chain.publicClient.getBlockNumber();

    const s = await openSession(browser, stack, { language: "en" });
    await s.wallet.use("citizenD");
    await s.page.goto(`${APP_URL}/citizen`);
    await connectWallet(s.page);
    await chooseOrganisation(s.page, "Zhongshan", zhongshan);
    await s.page.getByTestId("grant-category").selectOption(String(Category.Diagnosis));
    await s.page.getByTestId("grant-expiry").fill(shanghaiDay(10));
    await s.page.getByTestId("grant-mode-sig").check();
    s.wallet.rejectNext = true;
    await s.page.getByTestId("grant-submit").click();

    const failed = s.page.locator('[data-testid="grant-status"] [data-tx="failed"]');
    await failed.waitFor();
    assert.equal(await failed.getAttribute("data-error"), "errors:wallet.userRejected");
    assert.equal(await failed.textContent(), "You declined the request in your wallet: nothing was sent.");
    assert.ok(s.wallet.requests.includes("eth_signTypedData_v4"), "the wallet was asked to sign");
    assert.ok(!s.wallet.requests.includes("eth_sendTransaction"));
    assert.equal(await chain.grantExpiry(citizen, zhongshan, Category.Diagnosis), 0n, "no grant was made");
    assert.equal(await chain.publicClient.getBlockNumber(), height, "no block was mined");
    assert.equal(await s.page.locator(`[data-testid="grant-row"][data-grantee="${zhongshan}"][data-category="${Category.Diagnosis}"]`).count(), 0);
    await s.context.close();
  });

  it("test_grant_expiryInThePastOrNoOrganisationRefusedBeforeAnyTransaction", async () => {
    const s = await openSession(browser, stack, { language: "en", phone: true });
    await s.wallet.use("citizenE");
    await s.page.goto(`${APP_URL}/citizen`);
    await connectWallet(s.page);
    await s.page.getByTestId("dose-row").first().waitFor();
    await s.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(s.page, "citizen-en-phone");

    // No organisation chosen.
    await s.page.getByTestId("grant-expiry").fill(shanghaiDay(5));
    await s.page.getByTestId("grant-submit").click();
    await s.page.locator('[data-error="problem.noOrganisation"]').waitFor();

    // An expiry in the past, by transaction and by signature.
    await chooseOrganisation(s.page, "Ruijin", account(stack, "ruijin").address);
    await s.page.getByTestId("grant-expiry").fill(shanghaiDay(-1));
    for (const mode of ["grant-mode-tx", "grant-mode-sig"]) {
      await s.page.getByTestId(mode).check();
      await s.page.getByTestId("grant-submit").click();
      const note = s.page.locator('[data-error="problem.expiry.past"]');
      await note.waitFor();
      assert.match((await note.textContent()) ?? "", /already passed/);
    }
    // Phone-sized: nothing scrolls sideways.
    assert.ok(await s.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
    assert.deepEqual(
      s.wallet.requests.filter((m) => SIGNING.includes(m)),
      [],
      "no transaction and no signature was requested",
    );
    await s.context.close();
  });

  it("test_proofOfVaccination_verifierPageSaysYes", async () => {
    // Set-up: a clinic records a dose from a usable lot for citizen A, who confirms it.
    const lotId = await chain.usableLot();
    const doseId = await chain.recordDose("huamuChc", "citizenA", lotId);
    await chain.confirmDose("citizenA", doseId);

    const s = await openSession(browser, stack, { language: "en" });
    await s.wallet.use("citizenA");
    await s.page.goto(`${APP_URL}/citizen`);
    await connectWallet(s.page);
    await s.page.locator(`[data-testid="proof-dose"] option[value="${doseId}"]`).waitFor({ state: "attached" });
    await s.page.getByTestId("proof-dose").selectOption(doseId);
    await s.page.getByTestId("proof-make").click();
    const qr = s.page.getByTestId("proof-qr");
    await qr.waitFor();
    const link = (await s.page.getByTestId("proof-link").getAttribute("href")) ?? "";
    assert.equal(await qr.getAttribute("data-value"), link);
    assert.match(link, new RegExp(`^${APP_URL.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/verify\\?proof=[A-Za-z0-9_-]+$`));
    assert.match((await s.page.getByTestId("proof-countdown").textContent()) ?? "", /Valid for [45]:\d\d/);
    const photo = await qr.screenshot();
    await s.context.close();

    // The verifier: another browser, no wallet, scans a photo of the QR code.
    const v = await openSession(browser, stack, { language: "en" });
    await v.page.goto(`${APP_URL}/verify`);
    await v.page.getByTestId("proof-scanner-file").setInputFiles({ name: "proof.png", mimeType: "image/png", buffer: photo });
    await v.page.waitForURL(/\/verify\?proof=/);
    assert.equal(new URL(v.page.url()).search, new URL(link).search, "the scanned code is the proof link");
    const result = v.page.getByTestId("verify-result");
    await result.waitFor();
    assert.equal(await result.getAttribute("data-valid"), "true");
    assert.match((await result.textContent()) ?? "", /YES/);
    const lot = await chain.publicClient.readContract({ ...chain.contracts.vaccines, functionName: "lotOf", args: [lotId] });
    assert.ok(lot.doseCount > 0);
    assert.notEqual(await v.page.getByTestId("verify-lot").textContent(), "");
    assert.doesNotMatch((await v.page.textContent("body")) ?? "", new RegExp(account(stack, "citizenA").address, "i"), "no wallet address shown");
    await screenshot(v.page, "verify-yes-en");

    // The same proof with another challenge: the signature no longer matches.
    const url = new URL(link);
    const body = JSON.parse(Buffer.from(url.searchParams.get("proof") ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
    body.challenge = `0x${"ab".repeat(32)}`;
    url.searchParams.set("proof", Buffer.from(JSON.stringify(body)).toString("base64url"));
    await v.page.goto(url.toString());
    await v.page.locator('[data-testid="verify-result"][data-valid="false"]').waitFor();
    assert.equal(await v.page.getByTestId("verify-result").getAttribute("data-result"), "3");
    assert.match((await v.page.getByTestId("verify-reason").textContent()) ?? "", /signature does not match/);
    await v.context.close();
  });

  it("test_recalledLot_doseRowWarnsAndTheDoseCannotProve", async () => {
    const { doseId, lotNumber } = await chain.recalledDose("citizenE", "wujiaochangChc", ADVERSE_EVENTS);

    const s = await openSession(browser, stack, { language: "zh" });
    await s.wallet.use("citizenE");
    await s.page.goto(`${APP_URL}/citizen`);
    await connectWallet(s.page);
    const row = s.page.locator(`[data-testid="dose-row"][data-dose-id="${doseId}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute("data-lot-state"), "3");
    const warning = row.getByTestId("lot-warning");
    assert.equal(await warning.getAttribute("class"), "alert-strong");
    assert.match((await warning.textContent()) ?? "", new RegExp(`批次 ${lotNumber} 已被卫生健康部门召回.*原因：不良反应`, "s"));
    await s.page.getByTestId("lot-warning-summary").waitFor();
    // Unconfirmed and recalled: not offered for a proof of vaccination.
    assert.equal(await s.page.locator(`[data-testid="proof-dose"] option[value="${doseId}"]`).count(), 0);
    await s.context.close();
  });

  it("test_verify_damagedProofLinkSaysNo", async () => {
    const v = await openSession(browser, stack, { language: "zh", phone: true });
    await v.page.goto(`${APP_URL}/verify?proof=not-a-proof`);
    const result = v.page.getByTestId("verify-result");
    await result.waitFor();
    assert.equal(await result.getAttribute("data-valid"), "false");
    assert.match((await result.textContent()) ?? "", /无效.*无法识别此接种证明/s);
    await v.context.close();
  });
});
