/**
 * The records page and the record vault (issue 6): a hospital files a record from the app and anchors it from its
 * own wallet; the citizen sees it on their page and grants a research institute; the institute reads it (document,
 * "hash verified", the read logged on chain); after the citizen revokes, the same reader is refused with the
 * no-grant sentence; the citizen's timeline shows the read. Also: a non-provider's upload is refused with the
 * vault's sentence, and a malformed record id or address is refused before any request to the vault.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import type { Browser, Page } from "playwright-core";
import type { Hex } from "viem";

import { recordRegistryAbi } from "../../app/src/generated/healthtrace.ts";
import { Category, Purpose } from "../../scripts/lib/personas.ts";
import { VAULT_ERRORS } from "../../vault/src/errors.ts";
import { chainClients, chooseOrganisation, shanghaiDay } from "./citizen-chain.ts";
import { account, APP_URL, connectWallet, launch, openSession, readStack, screenshot, type Session, type Stack } from "./harness.ts";

/** Requests the page makes to the record vault (any origin other than the app's, on a vault route). */
function watchVaultRequests(page: Page): string[] {
  const seen: string[] = [];
  const app = new URL(APP_URL).origin;
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin !== app && /^\/(auth|records|access-log)/.test(url.pathname)) seen.push(`${request.method()} ${url.pathname}`);
  });
  return seen;
}

async function openRecords(s: Session, persona: string, role: "provider" | "reader" | "citizen"): Promise<void> {
  await s.wallet.use(persona);
  await s.page.goto(`${APP_URL}/records`);
  await connectWallet(s.page);
  await s.page.locator(`[data-testid="records-role"][data-role="${role}"]`).waitFor({ timeout: 20_000 });
}

async function signIn(page: Page): Promise<void> {
  await page.getByTestId("vault-signin-button").click();
  await page.getByTestId("vault-signed-in").waitFor({ timeout: 20_000 });
}

describe("records page and record vault", () => {
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

  it("test_hospitalFilesResearchReadsThenRevoked_refusedAndTimelineShowsRead", async () => {
    const citizen = account(stack, "citizenA").address;
    const ruijin = account(stack, "ruijin").address;
    const research = account(stack, "research").address;
    await chain.ensureNoGrant("citizenA", research, Category.LabResult);
    const text = `SARS-CoV-2 RNA not detected (oropharyngeal swab), e2e ${Date.now().toString(36)}`;

    // 1. The hospital signs in, files the record and anchors it from its own wallet.
    const h = await openSession(browser, stack, { language: "zh" });
    await openRecords(h, "ruijin", "provider");
    await signIn(h.page);
    await h.page.getByTestId("upload-citizen-scanner-input").fill(citizen);
    await h.page.getByTestId("upload-citizen-scanner-submit").click();
    await h.page.locator(`[data-testid="upload-citizen"][data-address="${citizen}"]`).waitFor();
    await h.page.getByTestId("upload-category").selectOption(String(Category.LabResult));
    await h.page.getByTestId("upload-text").fill(text);
    await h.page.getByTestId("upload-submit").click();
    const done = h.page.getByTestId("upload-done");
    await done.waitFor({ timeout: 60_000 });
    const id = (await done.getAttribute("data-record-id")) as Hex;
    assert.match(id, /^0x[0-9a-f]{64}$/);
    assert.match((await done.textContent()) ?? "", /已提交并锚定/);
    assert.ok(h.wallet.requests.includes("personal_sign"), "signed in with the wallet (EIP-4361)");
    assert.ok(h.wallet.requests.includes("eth_sendTransaction"), "the hospital's wallet sent the anchor");
    const anchor = await chain.publicClient.readContract({
      address: stack.contracts.RecordRegistry,
      abi: recordRegistryAbi,
      functionName: "anchorOf",
      args: [id],
    });
    assert.equal(anchor.subject, citizen);
    assert.equal(anchor.issuer, ruijin, "the hospital, not the vault, is the issuer on chain");
    assert.equal(anchor.category, Category.LabResult);
    await h.page.locator(`[data-testid="filed-row"][data-record-id="${id}"][data-status="anchored"]`).waitFor({ timeout: 20_000 });
    await h.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(h.page, "records-upload-zh");
    await h.context.close();

    // 2. The citizen sees the record on their page and grants the research institute lab results.
    const c = await openSession(browser, stack, { language: "en" });
    await c.wallet.use("citizenA");
    await c.page.goto(`${APP_URL}/citizen`);
    await connectWallet(c.page);
    await c.page.locator(`[data-testid="record-row"][data-record-id="${id}"]`).waitFor({ timeout: 20_000 });
    assert.match((await c.page.locator(`[data-testid="record-row"][data-record-id="${id}"]`).textContent()) ?? "", /Ruijin/);
    await chooseOrganisation(c.page, "Fudan", research);
    await c.page.getByTestId("grant-category").selectOption(String(Category.LabResult));
    await c.page.getByTestId("grant-purpose").selectOption(String(Purpose.Research));
    await c.page.getByTestId("grant-expiry").fill(shanghaiDay(30));
    await c.page.getByTestId("grant-submit").click();
    await c.page.locator('[data-testid="grant-status"] [data-tx="confirmed"]').waitFor({ timeout: 30_000 });
    assert.notEqual(await chain.grantExpiry(citizen, research, Category.LabResult), 0n);

    // 3. The research institute signs in, lists the citizen's records and reads this one.
    const r = await openSession(browser, stack, { language: "en" });
    await openRecords(r, "research", "reader");
    await signIn(r.page);
    await r.page.getByTestId("reader-citizen-scanner-input").fill(citizen);
    await r.page.getByTestId("reader-citizen-scanner-submit").click();
    const row = r.page.locator(`[data-testid="anchored-row"][data-record-id="${id}"]`);
    await row.waitFor({ timeout: 20_000 });
    assert.equal(await row.getAttribute("data-category"), String(Category.LabResult));
    await row.getByTestId("anchored-read").click();
    const view = r.page.locator(`[data-testid="record-view"][data-record-id="${id}"]`);
    await view.waitFor({ timeout: 30_000 });
    assert.equal(await view.getAttribute("data-verified"), "true");
    await r.page.getByTestId("hash-verified").waitFor();
    assert.ok(((await r.page.getByTestId("record-document").textContent()) ?? "").includes(text), "the document is shown");
    assert.match((await r.page.getByTestId("record-issuer").textContent()) ?? "", /Ruijin/);
    assert.match((await r.page.getByTestId("record-category").textContent()) ?? "", /[Ll]ab/);
    const logTx = (await r.page.getByTestId("record-logged").getAttribute("data-tx-hash")) as Hex;
    assert.match(logTx, /^0x[0-9a-f]{64}$/);
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: logTx });
    assert.equal(receipt.status, "success");
    const reads = await chain.publicClient.getContractEvents({
      ...chain.contracts.consent,
      eventName: "AccessLogged",
      args: { citizen, reader: research },
      blockHash: receipt.blockHash,
      strict: true,
    });
    assert.equal(reads.length, 1, "the read is logged on chain");
    assert.equal(reads[0]?.args.recordId, id);
    await r.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(r.page, "records-reader-verified-en");

    // 4. The citizen revokes from their page.
    const grant = c.page.locator(`[data-testid="grant-row"][data-grantee="${research}"][data-category="${Category.LabResult}"]`);
    await grant.getByTestId("revoke").click();
    await grant.waitFor({ state: "detached", timeout: 30_000 });
    assert.equal(await chain.grantExpiry(citizen, research, Category.LabResult), 0n);

    // 5. The same reader reads again: refused with the no-grant sentence, nothing served.
    await row.getByTestId("anchored-read").click();
    const refusal = r.page.getByTestId("vault-refusal");
    await refusal.waitFor({ timeout: 20_000 });
    assert.equal(await refusal.getAttribute("data-code"), "VaultNoGrant");
    assert.equal(await refusal.textContent(), VAULT_ERRORS.VaultNoGrant.en);
    assert.equal(await r.page.getByTestId("record-view").count(), 0, "no document after revocation");
    await r.context.close();

    // The same refusal on a phone, in Chinese (a new session: signed in again).
    const p = await openSession(browser, stack, { language: "zh", phone: true });
    await openRecords(p, "research", "reader");
    await signIn(p.page);
    await p.page.getByTestId("read-id").fill(id);
    await p.page.getByTestId("read-id-submit").click();
    const zhRefusal = p.page.getByTestId("vault-refusal");
    await zhRefusal.waitFor({ timeout: 20_000 });
    assert.equal(await zhRefusal.getAttribute("data-code"), "VaultNoGrant");
    assert.equal(await zhRefusal.textContent(), VAULT_ERRORS.VaultNoGrant.zh);
    const width = await p.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling on a phone (${width}px)`);
    await p.page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(p.page, "records-reader-refused-zh-phone");
    await p.context.close();

    // 6. The citizen's timeline: revoked (newest), the read, the grant.
    await c.page.reload();
    await c.page.getByTestId("timeline-entry").first().waitFor({ timeout: 20_000 });
    await c.page.waitForFunction(() => document.querySelector('[data-testid="timeline-entry"]')?.getAttribute("data-kind") === "revoked");
    const entries = c.page.getByTestId("timeline-entry");
    assert.equal(await entries.nth(0).getAttribute("data-party"), research);
    assert.equal(await entries.nth(1).getAttribute("data-kind"), "read");
    assert.equal(await entries.nth(1).getAttribute("data-party"), research);
    assert.equal(await entries.nth(1).getAttribute("data-category"), String(Category.LabResult));
    assert.match((await entries.nth(1).textContent()) ?? "", /Fudan/);
    assert.equal(await entries.nth(2).getAttribute("data-kind"), "granted");
    await c.context.close();
  });

  it("test_anchorRefusedInWallet_recordAwaitsThenAnchoredFromTheList", async () => {
    const citizen = account(stack, "citizenC").address;
    const zhongshan = account(stack, "zhongshan").address;
    const s = await openSession(browser, stack, { language: "en" });
    await openRecords(s, "zhongshan", "provider");
    await signIn(s.page);
    await s.page.getByTestId("upload-citizen-scanner-input").fill(citizen);
    await s.page.getByTestId("upload-citizen-scanner-submit").click();
    await s.page.getByTestId("upload-category").selectOption(String(Category.Diagnosis));
    await s.page.getByTestId("upload-text").fill(`J06.9 acute upper respiratory infection, e2e ${Date.now().toString(36)}`);
    s.wallet.rejectNext = true; // the anchor transaction
    await s.page.getByTestId("upload-submit").click();
    const failed = s.page.locator('[data-testid="upload-tx"] [data-tx="failed"]');
    await failed.waitFor({ timeout: 30_000 });
    assert.equal(await failed.getAttribute("data-error"), "errors:wallet.userRejected");
    assert.equal(await s.page.getByTestId("upload-done").count(), 0);
    await s.page.getByTestId("upload-unanchored").waitFor();

    // The vault holds it, awaiting its anchor; "Anchor now" sends the same anchor call.
    const waiting = s.page.locator('[data-testid="filed-row"][data-status="awaiting-anchor"]').first();
    await waiting.waitFor({ timeout: 20_000 });
    const id = (await waiting.getAttribute("data-record-id")) as Hex;
    assert.equal(await s.page.getByTestId("upload-unanchored").getAttribute("data-record-id"), id);
    const before = await chain.publicClient.readContract({ address: stack.contracts.RecordRegistry, abi: recordRegistryAbi, functionName: "anchorOf", args: [id] });
    assert.equal(before.issuer, "0x0000000000000000000000000000000000000000", "not anchored yet");
    await waiting.getByTestId("filed-anchor").click();
    await s.page.locator(`[data-testid="filed-row"][data-record-id="${id}"][data-status="anchored"]`).waitFor({ timeout: 30_000 });
    const after = await chain.publicClient.readContract({ address: stack.contracts.RecordRegistry, abi: recordRegistryAbi, functionName: "anchorOf", args: [id] });
    assert.equal(after.issuer, zhongshan);
    assert.equal(after.subject, citizen);
    assert.equal(after.category, Category.Diagnosis);
    await s.context.close();
  });

  it("test_citizenSignsIn_readsOwnRecordAndSeesAccessLog", async () => {
    const s = await openSession(browser, stack, { language: "en" });
    // From the citizen's page, its records panel links to the vault page.
    await s.wallet.use("citizenA");
    await s.page.goto(`${APP_URL}/citizen`);
    await connectWallet(s.page);
    await s.page.getByTestId("records-vault-link").click();
    await s.page.locator('[data-testid="records-role"][data-role="citizen"]').waitFor({ timeout: 20_000 });
    assert.equal(new URL(s.page.url()).pathname, "/records");
    await signIn(s.page);
    const first = s.page.getByTestId("my-record-row").first();
    await first.waitFor({ timeout: 20_000 });
    const id = await first.getAttribute("data-record-id");
    await s.page.locator('[data-testid="vault-access-log"] table, [data-testid="log-empty"]').first().waitFor({ timeout: 20_000 });
    const selfReads = s.page.locator(`[data-testid="access-log-row"][data-record-id="${id}"][data-self="true"]`);
    const before = await selfReads.count();
    await first.getByTestId("my-record-read").click();
    const view = s.page.locator(`[data-testid="record-view"][data-record-id="${id}"]`);
    await view.waitFor({ timeout: 30_000 });
    assert.equal(await view.getAttribute("data-verified"), "true");
    await s.page.getByTestId("record-self-read").waitFor();
    // The vault's access log now lists this self read (kept locally, not on chain).
    await s.page.waitForFunction(
      ([sel, n]) => document.querySelectorAll(sel).length > n,
      [`[data-testid="access-log-row"][data-record-id="${id}"][data-self="true"]`, before] as const,
      { timeout: 20_000 },
    );
    await s.context.close();
  });

  it("test_signInRejectedThenAccountSwitched_noSessionKeptForOtherAccount", async () => {
    const s = await openSession(browser, stack, { language: "en" });
    await openRecords(s, "research", "reader");
    s.wallet.rejectNext = true;
    await s.page.getByTestId("vault-signin-button").click();
    const refusal = s.page.getByTestId("vault-signin").getByTestId("vault-refusal");
    await refusal.waitFor({ timeout: 20_000 });
    assert.equal(await refusal.getAttribute("data-code"), "errors:wallet.userRejected");
    assert.equal(await s.page.getByTestId("vault-signed-in").count(), 0, "no session after a refused signature");

    await signIn(s.page);
    const stored = await s.page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith("healthtrace.vaultSession.")));
    assert.equal(stored.length, 1);
    assert.ok(stored[0]?.endsWith(account(stack, "research").address.toLowerCase()));

    // Another account in the wallet: the research institute's session is dropped; the citizen must sign in.
    await s.wallet.use("citizenA");
    await s.page.locator('[data-testid="records-role"][data-role="citizen"]').waitFor({ timeout: 20_000 });
    await s.page.getByTestId("vault-signin-button").waitFor();
    assert.equal(await s.page.getByTestId("vault-signed-in").count(), 0);
    const left = await s.page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith("healthtrace.vaultSession.")));
    assert.deepEqual(left, [], "the other account's session token is gone");
    await s.context.close();
  });

  it("test_nonProviderUploads_refusedWithNotProviderSentence", async () => {
    const s = await openSession(browser, stack, { language: "zh" });
    await openRecords(s, "research", "reader");
    await signIn(s.page);
    await s.page.getByTestId("upload-fold").locator("summary").click();
    await s.page.getByTestId("upload-not-provider-note").waitFor();
    await s.page.getByTestId("upload-citizen-scanner-input").fill(account(stack, "citizenB").address);
    await s.page.getByTestId("upload-citizen-scanner-submit").click();
    await s.page.getByTestId("upload-text").fill("not allowed");
    await s.page.getByTestId("upload-submit").click();
    const refusal = s.page.getByTestId("vault-refusal");
    await refusal.waitFor({ timeout: 20_000 });
    assert.equal(await refusal.getAttribute("data-code"), "VaultNotProvider");
    assert.equal(await refusal.textContent(), VAULT_ERRORS.VaultNotProvider.zh);
    assert.ok(!s.wallet.requests.includes("eth_sendTransaction"), "no transaction");
    await s.context.close();
  });

  it("test_malformedRecordIdOrAddress_refusedBeforeAnyRequest", async () => {
    const s = await openSession(browser, stack, { language: "en" });
    const vaultRequests = watchVaultRequests(s.page);
    await openRecords(s, "research", "reader");
    await signIn(s.page);
    const before = vaultRequests.length;
    assert.ok(before >= 2, "sign-in talked to the vault (nonce, verify)");

    for (const bad of ["0x1234", `0x${"zz".repeat(32)}`, "hello"]) {
      await s.page.getByTestId("read-id").fill(bad);
      await s.page.getByTestId("read-id-submit").click();
      const note = s.page.locator('[data-error="badRecordId"]');
      await note.waitFor();
      assert.equal(await note.textContent(), "A record id is 0x followed by 64 hexadecimal digits.");
    }
    await s.page.getByTestId("reader-citizen-scanner-input").fill("0x12345");
    await s.page.getByTestId("reader-citizen-scanner-submit").click();
    await s.page.getByTestId("reader-citizen-scanner").locator('[data-error="badAddress"]').waitFor();
    assert.equal(await s.page.getByTestId("citizen-records").count(), 0);

    await s.page.getByTestId("upload-fold").locator("summary").click();
    await s.page.getByTestId("upload-text").fill("text without a citizen");
    await s.page.getByTestId("upload-submit").click();
    const noCitizen = s.page.getByTestId("vault-refusal");
    await noCitizen.waitFor();
    assert.equal(await noCitizen.getAttribute("data-code"), "noCitizen");
    await s.page.getByTestId("upload-citizen-scanner-input").fill("0x12ab");
    await s.page.getByTestId("upload-citizen-scanner-submit").click();
    await s.page.getByTestId("upload-citizen-scanner").locator('[data-error="badAddress"]').waitFor();

    assert.deepEqual(vaultRequests.slice(before), [], "nothing was sent to the vault");
    await s.context.close();
  });
});
