/**
 * The regulator's page and the public lot page: attest a new lot to release in the UI (regulator + lab, quorum 2),
 * recall it after a dose was given → the public lot page (no wallet) and the citizen's page warn; accredit an
 * organisation with names in both languages, suspend and restore it; bad input refused before any transaction;
 * a non-regulator sees the role message and a forced action is refused by the chain with a sentence; a dose record
 * looked up by its id and verified (multi-party verification), bad, unknown and voided ids answered in words; the
 * release quorum raised for new lots and set back.
 *
 * Each test sets up what it needs with direct contract calls from this process (viem + the seeded persona's key):
 * its own lot (unique lot number) and its own organisation (fresh random address), so no other test is touched.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import type { Browser, Page } from "playwright-core";
import {
  type Abi,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  type Hex,
  http,
  keccak256,
  toBytes,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { healthTraceAuthorityAbi, vaccineRegistryAbi } from "../../app/src/generated/healthtrace.ts";
import { LotReason, LotState } from "../../scripts/lib/vaccines.ts";
import { ROLE_IDS } from "../../scripts/lib/personas.ts";
import { MAX_RELEASE_QUORUM } from "../../app/src/pages/regulator/validation.ts";
import { account, APP_URL, connectWallet, launch, openSession, readStack, RPC_URL, screenshot, type Stack } from "./harness.ts";

const DAY = 86_400n;


/** What the seed wrote about its lots (`.dev/stack.json` → seed.vaccines.lots). */
interface SeededLot {
  readonly gtin: string;
  readonly lotNumber: string;
  readonly manufacturer: { readonly persona: string };
  readonly storageC: { readonly min: number; readonly max: number };
}

/** A product that manufacturerB makes (GTIN and storage range), from the seeded lots. */
function productOfManufacturerB(stack: Stack): SeededLot {
  const seeded = stack as Stack & { readonly seed: { readonly vaccines: { readonly lots: readonly SeededLot[] } } };
  const lot = seeded.seed.vaccines.lots.find((l) => l.manufacturer.persona === "manufacturerB");
  if (lot === undefined) throw new Error("the seed has no lot of manufacturerB");
  return lot;
}

const makeChain = (chainId: number) =>
  defineChain({
    id: chainId,
    name: "HealthTrace local",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [RPC_URL] } },
  });
const makePublicClient = (chain: Chain) => createPublicClient({ chain, transport: http(RPC_URL) });

describe("regulator and public lot page", () => {
  let browser: Browser;
  let stack: Stack;
  let chain: Chain;
  let publicClient: ReturnType<typeof makePublicClient>;

  before(async () => {
    browser = await launch();
    stack = readStack();
    chain = makeChain(stack.chainId);
    publicClient = makePublicClient(chain);
  });
  after(async () => {
    await browser.close();
  });

  /** Send a contract write as a seeded persona, directly (not through the UI), and wait for it. */
  async function direct(persona: string, address: Address, abi: Abi, functionName: string, args: readonly unknown[]): Promise<void> {
    const wallet = createWalletClient({ chain, transport: http(RPC_URL), account: privateKeyToAccount(account(stack, persona).publicTestPrivateKey) });
    const hash = await wallet.sendTransaction({ to: address, data: encodeFunctionData({ abi, functionName, args }) });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success", `${persona} ${functionName}`);
  }

  const vaccines = () => stack.contracts.VaccineRegistry;
  const authorityAddress = () => stack.contracts.HealthTraceAuthority;

  /** A new pending mRNA lot registered by manufacturerB; returns its id and lot number. */
  async function registerLot(): Promise<{ lotId: number; lotNumber: string; gtin: string }> {
    const lotNumber = `E2E${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1296).toString(36).toUpperCase()}`;
    const product = productOfManufacturerB(stack);
    const now = (await publicClient.getBlock()).timestamp;
    await direct("manufacturerB", vaccines(), vaccineRegistryAbi, "registerLot", [
      {
        dossierHash: keccak256(toBytes(`e2e lot-release dossier ${lotNumber}`)),
        lotNumber,
        gtin: BigInt(product.gtin),
        manufacturedAt: Number(now - 20n * DAY),
        doseCount: 50,
        expiresAt: Number(now + 200n * DAY),
        minTempCentiC: product.storageC.min * 100,
        maxTempCentiC: product.storageC.max * 100,
      },
    ]);
    const lotId = await publicClient.readContract({
      address: vaccines(),
      abi: vaccineRegistryAbi,
      functionName: "lotIdOf",
      args: [BigInt(product.gtin), lotNumber],
    });
    assert.ok(lotId > 0, "the lot is registered");
    return { lotId, lotNumber, gtin: product.gtin };
  }

  /** Scroll back to the top, so the sticky header sits at the top of a full-page screenshot. */
  const top = (page: Page) => page.evaluate(() => window.scrollTo(0, 0));
  const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  const sentTransactions = (requests: readonly string[]) => requests.filter((m) => m === "eth_sendTransaction").length;

  async function openRegulator(page: Page, tab: "organisations" | "lots" | "doses"): Promise<void> {
    await page.goto(`${APP_URL}/regulator?tab=${tab}`);
    await connectWallet(page);
  }

  it("test_recall_regulatorAndLabReleaseThenRecall_publicLotPageAndCitizenWarned", async () => {
    const { lotId, lotNumber, gtin } = await registerLot();
    const s = await openSession(browser, stack, { language: "zh" });
    await s.wallet.use("regulator");
    await openRegulator(s.page, "lots");
    await s.page.getByTestId("acting-as").waitFor();
    const card = s.page.getByTestId(`lot-${lotId}`);
    await card.waitFor();
    assert.equal(await card.getByTestId("lot-state").getAttribute("data-state"), String(LotState.PendingRelease));
    assert.equal(await card.getByTestId("lot-attestations").getAttribute("data-quorum"), "2");

    // The regulator attests: 1 of 2.
    await card.getByTestId("lot-attest").click();
    await card.locator('[data-testid="lot-attestations"][data-attestations="1"]').waitFor({ timeout: 20_000 });
    assert.equal(await card.getByTestId("lot-attest").count(), 0, "the regulator cannot attest twice");

    // The lab (the other lot-attester) attests in the same page: 2 of 2, released.
    await s.wallet.use("lab");
    await s.page.getByTestId("role-needed").waitFor();
    assert.equal(await s.page.getByTestId("role-needed").getAttribute("data-reason"), "attester");
    await card.getByTestId("lot-attest").click();
    await card.locator(`[data-testid="lot-state"][data-state="${LotState.Active}"]`).waitFor({ timeout: 20_000 });
    assert.match((await card.getByTestId("lot-attestations").textContent()) ?? "", /2 \/ 需 2/);

    // A clinic gives a dose from it to citizen B, who confirms it (direct calls: not this page's UI).
    const citizenB = account(stack, "citizenB").address;
    await direct("ruijin", vaccines(), vaccineRegistryAbi, "recordDose", [lotId, citizenB, 3, 310101]);
    const [doseLog] = await publicClient.getContractEvents({
      address: vaccines(),
      abi: vaccineRegistryAbi,
      eventName: "DoseRecorded",
      args: { citizen: citizenB },
      fromBlock: (await publicClient.getBlockNumber()) - 1n,
      strict: true,
    });
    assert.equal(doseLog.args.lotId, lotId);
    await direct("citizenB", vaccines(), vaccineRegistryAbi, "confirmDose", [doseLog.args.doseId]);
    // A second record from it, to citizen C, is voided by the clinic (a data-entry error).
    await direct("ruijin", vaccines(), vaccineRegistryAbi, "recordDose", [lotId, account(stack, "citizenC").address, 1, 310101]);
    const [mistake] = await publicClient.getContractEvents({
      address: vaccines(),
      abi: vaccineRegistryAbi,
      eventName: "DoseRecorded",
      args: { citizen: account(stack, "citizenC").address },
      fromBlock: (await publicClient.getBlockNumber()) - 1n,
      strict: true,
    });
    await direct("ruijin", vaccines(), vaccineRegistryAbi, "voidDose", [mistake.args.doseId, 1]);

    // The regulator recalls it with a reason.
    await s.wallet.use("regulator");
    await s.page.getByTestId("acting-as").waitFor();
    await card.getByTestId("lot-recall").click();
    await card.getByTestId("lot-confirm-recall").click();
    await card.locator('[data-error="input"]').waitFor(); // no reason chosen: refused before any transaction
    await card.getByTestId("lot-reason").selectOption(String(LotReason.QualityDefect));
    await card.getByTestId("lot-confirm-recall").click();
    await card.locator(`[data-testid="lot-state"][data-state="${LotState.Recalled}"]`).waitFor({ timeout: 20_000 });
    assert.match((await card.getByTestId("lot-flag").textContent()) ?? "", /已召回：质量缺陷/);
    const state = await publicClient.readContract({ address: vaccines(), abi: vaccineRegistryAbi, functionName: "lotState", args: [lotId] });
    assert.equal(state, LotState.Recalled);
    await top(s.page);
    await screenshot(s.page, "regulator-lots-zh");
    await s.context.close();

    // Anyone, without a wallet, on a phone, from the lot's Digital Link: the recall warning.
    const p = await openSession(browser, stack, { language: "zh", phone: true });
    await p.page.goto(`${APP_URL}/01/${gtin}/10/${lotNumber}`);
    const warning = p.page.getByTestId("lot-warning");
    await warning.waitFor({ timeout: 20_000 });
    assert.match((await warning.getAttribute("class")) ?? "", /alert-strong/);
    assert.match((await warning.textContent()) ?? "", /已于 .+ 召回：质量缺陷/);
    // Counted from the lot's own counter and its voided doses (no DoseRecorded log is read): 2 recorded, 1 voided.
    assert.equal(await p.page.getByTestId("lot-doses").getAttribute("data-recorded"), "2");
    assert.equal(await p.page.getByTestId("lot-doses").getAttribute("data-voided"), "1");
    assert.match((await p.page.getByTestId("lot-doses").textContent()) ?? "", /^1 \/ 共 \d+ ?（1 条记录已作废）$/);
    const history = p.page.getByTestId("lot-history");
    assert.deepEqual(await history.locator("li").evaluateAll((items) => items.map((li) => li.getAttribute("data-event"))), [
      "registered",
      "attested",
      "attested",
      "released",
      "recalled",
    ]);
    const qr = p.page.getByTestId("lot-qr");
    await qr.waitFor();
    assert.equal(await qr.getAttribute("data-value"), `${APP_URL}/01/${gtin}/10/${lotNumber}`);
    assert.equal(p.wallet.requests.includes("eth_requestAccounts"), false, "no wallet was asked for");
    assert.equal(await noHorizontalScroll(p.page), true, "no horizontal scrolling on a phone");
    await screenshot(p.page, "lot-recalled-zh-phone");
    await p.context.close();

    // Citizen B's own page: the row of the dose from this lot carries the warning (the citizen page's dose rows are
    // `data-testid="dose-row"` with `data-dose-id`).
    const c = await openSession(browser, stack, { language: "zh" });
    await c.wallet.use("citizenB");
    await c.page.goto(`${APP_URL}/citizen`);
    await connectWallet(c.page);
    const row = c.page.locator(`[data-testid="dose-row"][data-dose-id="${doseLog.args.doseId}" i]`);
    await row.getByTestId("lot-warning").waitFor({ timeout: 20_000 });
    assert.match((await row.textContent()) ?? "", new RegExp(lotNumber));
    await c.context.close();
  });

  it("test_accredit_newOrganisationWithBothNames_thenSuspendAndRestore", async () => {
    const org = privateKeyToAccount(generatePrivateKey()).address;
    const suffix = org.slice(2, 6).toUpperCase();
    const s = await openSession(browser, stack, { language: "en" });
    await s.wallet.use("regulator");
    await openRegulator(s.page, "organisations");
    const form = s.page.getByTestId("accredit-form");
    await form.waitFor();
    await s.page.getByTestId("accredit-address").fill(org);
    await s.page.getByTestId("accredit-kind").selectOption("3");
    await s.page.getByTestId("accredit-district").selectOption("310104");
    await s.page.getByTestId("accredit-name").fill(`Xujiahui Street Community Health Center ${suffix}`);
    await s.page.getByTestId("accredit-local-name").fill(`徐家汇街道社区卫生服务中心${suffix}`);
    assert.match((await s.page.getByTestId("accredit-local-name-bytes").textContent()) ?? "", /^43 \/ 64 bytes$/);
    await s.page.getByTestId("accredit-role-CLINIC_ROLE").check();
    await s.page.getByTestId("accredit-role-RECORD_ISSUER_ROLE").check();
    await s.page.getByTestId("accredit-submit").click();
    const done = s.page.getByTestId("accredit-done");
    await done.waitFor({ timeout: 30_000 });
    assert.match((await done.textContent()) ?? "", /is accredited and holds: vaccination clinic, record issuer/);
    assert.equal(sentTransactions(s.wallet.requests), 3, "accredit + two grantRole");

    const read = (fn: "hasRole", role: string) =>
      publicClient.readContract({ address: authorityAddress(), abi: healthTraceAuthorityAbi, functionName: fn, args: [role as Hex, org] });
    assert.equal(await read("hasRole", ROLE_IDS.CLINIC_ROLE), true);

    await s.page.getByTestId("org-search").fill(suffix);
    const card = s.page.getByTestId(`org-${org.toLowerCase()}`);
    await card.waitFor();
    assert.equal(await s.page.locator(".org-list > li").count(), 1, "the search finds it");
    assert.equal(await card.getByTestId("org-status").textContent(), "active");
    assert.match((await card.textContent()) ?? "", /徐家汇街道社区卫生服务中心/);
    assert.match((await card.textContent()) ?? "", /clinic · Xuhui/);
    await card.locator('[data-role="CLINIC_ROLE"]:not([data-parked])').waitFor();
    await s.page.getByTestId("org-search").fill("");
    await top(s.page);
    await screenshot(s.page, "regulator-organisations-en");

    // Suspend (with a confirmation step): its roles are parked.
    await card.getByTestId("org-suspend").click();
    assert.match((await card.locator(".confirm").textContent()) ?? "", /Suspend Xujiahui Street .*vaccination clinic, record issuer/);
    await card.getByTestId("org-confirm-suspend").click();
    await s.page.locator(`[data-testid="org-${org.toLowerCase()}"][data-status="suspended"]`).waitFor({ timeout: 20_000 });
    await card.locator('[data-role="CLINIC_ROLE"][data-parked="true"]').waitFor();
    assert.equal(await read("hasRole", ROLE_IDS.CLINIC_ROLE), false);

    // Restore: the parked roles come back.
    await card.getByTestId("org-restore").click();
    await card.getByTestId("org-confirm-restore").click();
    await s.page.locator(`[data-testid="org-${org.toLowerCase()}"][data-status="active"]`).waitFor({ timeout: 20_000 });
    await card.locator('[data-role="CLINIC_ROLE"]:not([data-parked])').waitFor();
    assert.equal(await read("hasRole", ROLE_IDS.CLINIC_ROLE), true);
    assert.equal(await read("hasRole", ROLE_IDS.RECORD_ISSUER_ROLE), true);

    // Revoke one role (confirmed), then grant it again from the card.
    await card.getByTestId("org-manage-roles").click();
    await card.getByTestId("org-revoke-RECORD_ISSUER_ROLE").click();
    await card.getByTestId("org-confirm-revoke").click();
    await card.locator('[data-role="RECORD_ISSUER_ROLE"]').waitFor({ state: "detached", timeout: 20_000 });
    assert.equal(await read("hasRole", ROLE_IDS.RECORD_ISSUER_ROLE), false);
    await card.getByTestId("org-grant-role").selectOption("RECORD_ISSUER_ROLE");
    await card.getByTestId("org-grant-submit").click();
    await card.locator('[data-role="RECORD_ISSUER_ROLE"]').waitFor({ timeout: 20_000 });
    assert.equal(await read("hasRole", ROLE_IDS.RECORD_ISSUER_ROLE), true);
    await s.context.close();
  });

  it("test_quarantine_onlyTheEvidenceHashGoesOnChain_lotPageWarns", async () => {
    const { lotId, lotNumber } = await registerLot();
    const s = await openSession(browser, stack, { language: "en" });
    await s.wallet.use("regulator");
    await openRegulator(s.page, "lots");
    await s.page.getByTestId("lot-search").fill(lotNumber);
    const card = s.page.getByTestId(`lot-${lotId}`);
    await card.getByTestId("lot-quarantine").click();
    await card.getByTestId("lot-reason").selectOption(String(LotReason.AdverseEvents));
    const reference = `AEFI signal review ${lotNumber}`;
    await card.getByTestId("lot-evidence").fill(reference);
    const expected = keccak256(toBytes(reference));
    assert.equal(await card.getByTestId("lot-evidence-hash").getAttribute("data-hash"), expected);
    await card.getByTestId("lot-confirm-quarantine").click();
    await card.locator('[data-testid="lot-state"][data-state="5"]').waitFor({ timeout: 20_000 });
    const [report] = await publicClient.getContractEvents({
      address: vaccines(),
      abi: vaccineRegistryAbi,
      eventName: "LotNonConformant",
      args: { lotId },
      fromBlock: 0n,
      strict: true,
    });
    assert.equal(report.args.evidence, expected);
    assert.equal(report.args.reason, LotReason.AdverseEvents);

    await card.getByTestId("lot-open").click();
    const warning = s.page.getByTestId("lot-warning");
    await warning.waitFor();
    assert.match((await warning.textContent()) ?? "", /non-conformant and quarantined on .+: adverse events/);
    assert.equal(await s.page.locator('[data-testid="lot-history"] li').last().getAttribute("data-event"), "nonConformant");
    await s.context.close();
  });

  it("test_accredit_badInputRefusedBeforeAnyTransaction", async () => {
    const s = await openSession(browser, stack, { language: "en" });
    await s.wallet.use("regulator");
    await openRegulator(s.page, "organisations");
    await s.page.getByTestId("accredit-form").waitFor();
    const error = (field: string) => s.page.getByTestId(`accredit-${field}-error`);
    const submit = () => s.page.getByTestId("accredit-submit").click();

    // Malformed address, nothing else filled in.
    await s.page.getByTestId("accredit-address").fill("0x12345");
    await submit();
    assert.equal(await error("address").getAttribute("data-error"), "malformed");
    assert.match((await error("address").textContent()) ?? "", /0x followed by 40 hexadecimal digits/);
    assert.equal(await error("name").getAttribute("data-error"), "empty");
    assert.equal(await error("localName").getAttribute("data-error"), "empty");
    assert.equal(await error("kind").getAttribute("data-error"), "missing");
    assert.equal(await error("district").getAttribute("data-error"), "empty");

    // A wrong EIP-55 checksum; an organisation already accredited.
    const fresh = privateKeyToAccount(generatePrivateKey()).address;
    const flipped = fresh.slice(0, 2) + [...fresh.slice(2)].map((ch) => (/[a-f]/.test(ch) ? ch.toUpperCase() : /[A-F]/.test(ch) ? ch.toLowerCase() : ch)).join("");
    if (/[a-fA-F]/.test(fresh.slice(2))) {
      await s.page.getByTestId("accredit-address").fill(flipped);
      assert.equal(await error("address").getAttribute("data-error"), "checksum");
    }
    await s.page.getByTestId("accredit-address").fill(account(stack, "zhongshan").address);
    assert.equal(await error("address").getAttribute("data-error"), "alreadyAccredited");

    // Names: empty, then over the 64-byte limit (UTF-8: 22 Chinese characters are 66 bytes), English with Chinese.
    await s.page.getByTestId("accredit-address").fill(fresh);
    await s.page.getByTestId("accredit-kind").selectOption("4");
    await s.page.getByTestId("accredit-district").selectOption("other");
    await s.page.getByTestId("accredit-district-code").fill("31011");
    assert.equal(await error("district").getAttribute("data-error"), "malformed");
    await s.page.getByTestId("accredit-district-code").fill("310115");
    await s.page.getByTestId("accredit-name").fill("   ");
    await s.page.getByTestId("accredit-local-name").fill("浦".repeat(22));
    await submit();
    assert.equal(await error("name").getAttribute("data-error"), "empty");
    assert.equal(await error("localName").getAttribute("data-error"), "tooLong");
    assert.match((await s.page.getByTestId("accredit-local-name-bytes").textContent()) ?? "", /^66 \/ 64 bytes$/);
    await s.page.getByTestId("accredit-name").fill("P".repeat(65));
    await s.page.getByTestId("accredit-local-name").fill("浦".repeat(21));
    await submit();
    assert.equal(await error("name").getAttribute("data-error"), "tooLong");
    assert.equal(await error("localName").count(), 0, "63 bytes fit");
    await s.page.getByTestId("accredit-name").fill("浦东 Clinic");
    await submit();
    assert.equal(await error("name").getAttribute("data-error"), "notLatin");
    assert.equal(await error("address").count(), 0);

    // A quarantine without an evidence reference is refused too.
    await s.page.getByTestId("tab-lots").click();
    const lot = s.page.locator('.lot-list > li[data-state="2"]').first();
    await lot.getByTestId("lot-quarantine").click();
    await lot.getByTestId("lot-reason").selectOption(String(LotReason.AdverseEvents));
    await lot.getByTestId("lot-confirm-quarantine").click();
    await lot.locator('[data-error="input"]').waitFor();
    assert.match((await lot.locator('[data-error="input"]').textContent()) ?? "", /reference of the document/);

    assert.equal(sentTransactions(s.wallet.requests), 0, "nothing was sent");
    await s.context.close();
  });

  it("test_lotPage_unknownOrMalformedLotGetsAMessage", async () => {
    const s = await openSession(browser, stack, { language: "en", phone: true });
    const problem = s.page.getByTestId("lot-problem");
    await s.page.goto(`${APP_URL}/lot/999999`);
    await problem.waitFor();
    assert.equal(await problem.getAttribute("data-error"), "unknownLot");
    await s.page.goto(`${APP_URL}/lot/abc`);
    await s.page.locator('[data-testid="lot-problem"][data-error="badId"]').waitFor();
    await s.page.goto(`${APP_URL}/01/06938120200015/10/FOSUN20260430A`);
    await s.page.locator('[data-testid="lot-problem"][data-error="bad_gtin_check_digit"]').waitFor();
    assert.match((await problem.textContent()) ?? "", /check digit/);
    await s.page.goto(`${APP_URL}/01/${productOfManufacturerB(stack).gtin}/10/NOSUCHLOT1`);
    await s.page.locator('[data-testid="lot-problem"][data-error="unknownLot"]').waitFor();
    assert.match((await problem.textContent()) ?? "", /No vaccine lot NOSUCHLOT1/);
    await s.context.close();
  });

  /** Record a dose from an active lot to `citizen` as ruijin (directly); returns its id. */
  async function recordDose(lotId: number, citizen: string): Promise<Hex> {
    await direct("ruijin", vaccines(), vaccineRegistryAbi, "recordDose", [lotId, account(stack, citizen).address, 1, 310101]);
    const [log] = await publicClient.getContractEvents({
      address: vaccines(),
      abi: vaccineRegistryAbi,
      eventName: "DoseRecorded",
      args: { citizen: account(stack, citizen).address },
      fromBlock: (await publicClient.getBlockNumber()) - 1n,
      strict: true,
    });
    assert.equal(log.args.lotId, lotId);
    return log.args.doseId;
  }

  it("test_verifyDose_lookedUpByIdAndVerified_refusalsInWords", async () => {
    // A released lot (regulator and lab attest directly), a dose confirmed by its citizen, and one voided by the clinic.
    const { lotId } = await registerLot();
    await direct("regulator", vaccines(), vaccineRegistryAbi, "attestLot", [lotId]);
    await direct("lab", vaccines(), vaccineRegistryAbi, "attestLot", [lotId]);
    const doseId = await recordDose(lotId, "citizenD");
    await direct("citizenD", vaccines(), vaccineRegistryAbi, "confirmDose", [doseId]);
    const voidedId = await recordDose(lotId, "citizenC");
    await direct("ruijin", vaccines(), vaccineRegistryAbi, "voidDose", [voidedId, 1]);

    const s = await openSession(browser, stack, { language: "en" });
    await s.wallet.use("ruijin");
    await openRegulator(s.page, "doses");
    const lookUp = async (id: string) => {
      await s.page.getByTestId("dose-id").fill(id);
      await s.page.getByTestId("dose-look-up").click();
    };

    // Not an id, then an id no record has: a sentence each, nothing read as a record.
    await lookUp("0x1234");
    await s.page.locator('[data-error="input"]').waitFor();
    assert.match((await s.page.locator('[data-error="input"]').textContent()) ?? "", /64 hexadecimal characters/);
    await lookUp(keccak256(toBytes(`no such dose ${Date.now()}`)));
    await s.page.locator('[data-error="VaccineRegistryUnknownDose"]').waitFor({ timeout: 20_000 });
    assert.equal(await s.page.getByTestId("dose-card").count(), 0);

    // The voided record: its state, and no verify button.
    await lookUp(voidedId);
    await s.page.locator('[data-testid="dose-card"][data-state="voided"]').waitFor({ timeout: 20_000 });
    assert.equal(await s.page.getByTestId("dose-verify").count(), 0, "a voided record cannot be verified");

    // The confirmed record, pasted without 0x in capitals: its lot and state, never its citizen.
    await lookUp(doseId.slice(2).toUpperCase());
    const card = s.page.locator('[data-testid="dose-card"][data-state="confirmed"]');
    await card.waitFor({ timeout: 20_000 });
    assert.equal(await card.getAttribute("data-lot-id"), String(lotId));
    assert.equal(await card.getByTestId("dose-confirmed").getAttribute("data-confirmed"), "true");
    const text = (await card.textContent()) ?? "";
    assert.equal(text.toLowerCase().includes(account(stack, "citizenD").address.slice(2, 12).toLowerCase()), false, "the citizen is not shown");

    // A clinic forcing the verification: the chain refuses it before the wallet opens, in words.
    await card.getByTestId("dose-verify").click({ force: true });
    const refused = card.locator('[data-tx="failed"]');
    await refused.waitFor({ timeout: 20_000 });
    assert.equal(await refused.getAttribute("data-error"), "VaccineRegistryUnauthorized");
    assert.equal(sentTransactions(s.wallet.requests), 0, "nothing was sent");

    // The regulator verifies it: the chain says verified, the card too, and the button is gone.
    await s.wallet.use("regulator");
    await s.page.getByTestId("acting-as").waitFor();
    await card.getByTestId("dose-verify").click();
    await s.page.locator('[data-testid="dose-card"][data-state="verified"]').waitFor({ timeout: 20_000 });
    const view = await publicClient.readContract({ address: vaccines(), abi: vaccineRegistryAbi, functionName: "doseOf", args: [doseId] });
    assert.equal(view.verified, true);
    assert.equal(await s.page.getByTestId("dose-verify").count(), 0);
    await top(s.page);
    await screenshot(s.page, "regulator-dose-verified-en");
    await s.context.close();
  });

  it("test_releaseQuorum_raisedForNewLots_badInputRefused_thenSetBack", async () => {
    const readQuorum = () => publicClient.readContract({ address: vaccines(), abi: vaccineRegistryAbi, functionName: "releaseQuorum" });
    assert.equal(
      await publicClient.readContract({ address: vaccines(), abi: vaccineRegistryAbi, functionName: "MAX_QUORUM" }),
      MAX_RELEASE_QUORUM,
      "the app's bound is the contract's",
    );
    const before = await readQuorum();
    const s = await openSession(browser, stack, { language: "en" });
    try {
      await s.wallet.use("regulator");
      await openRegulator(s.page, "lots");
      await s.page.getByTestId("acting-as").waitFor();
      const shown = s.page.getByTestId("release-quorum");
      await shown.waitFor();
      assert.equal(await shown.getAttribute("data-quorum"), String(before));

      // Refused before any transaction: out of range, and no change.
      const set = async (value: string) => {
        await s.page.getByTestId("quorum-value").fill(value);
        await s.page.getByTestId("quorum-submit").click();
      };
      await s.page.getByTestId("quorum-change").click();
      await set("0");
      const note = s.page.locator('[data-testid="release-quorum-panel"] [data-error="input"]');
      await note.waitFor();
      assert.match((await note.textContent()) ?? "", new RegExp(`1 to ${MAX_RELEASE_QUORUM} attestations`));
      await set(String(before));
      assert.match((await note.textContent()) ?? "", new RegExp(`already ${before}`));
      assert.equal(sentTransactions(s.wallet.requests), 0, "nothing was sent");

      // Raised by one: the chain says so, and a lot registered now needs that many.
      await set(String(before + 1));
      await s.page.locator(`[data-testid="release-quorum"][data-quorum="${before + 1}"]`).waitFor({ timeout: 20_000 });
      assert.equal(await readQuorum(), before + 1);
      const { lotId } = await registerLot();
      const lot = await publicClient.readContract({ address: vaccines(), abi: vaccineRegistryAbi, functionName: "lotOf", args: [lotId] });
      assert.equal(lot.quorum, before + 1);

      // Set back.
      await s.page.getByTestId("quorum-change").click();
      await set(String(before));
      await s.page.locator(`[data-testid="release-quorum"][data-quorum="${before}"]`).waitFor({ timeout: 20_000 });
      assert.equal(sentTransactions(s.wallet.requests), 2);
    } finally {
      // The other tests expect the seeded quorum, whatever happened above.
      if ((await readQuorum()) !== before) await direct("regulator", vaccines(), vaccineRegistryAbi, "setReleaseQuorum", [before]);
      await s.context.close();
    }
    assert.equal(await readQuorum(), before);
  });

  it("test_nonRegulator_seesRoleMessage_forcedActionRefusedWithASentence", async () => {
    const s = await openSession(browser, stack, { language: "zh", phone: true });
    await s.wallet.use("citizenA");
    await openRegulator(s.page, "organisations");
    const notice = s.page.getByTestId("role-needed");
    await notice.waitFor();
    assert.equal(await notice.getAttribute("data-reason"), "none");
    assert.match((await notice.textContent()) ?? "", /本页需要监管角色/);
    assert.equal(await s.page.getByTestId("accredit-form").count(), 0, "no accreditation form without the role");
    await s.page.locator(".org-list > li").first().waitFor();
    assert.equal(await noHorizontalScroll(s.page), true, "no horizontal scrolling on a phone");

    // Forcing a suspension: the chain refuses it (simulated before the wallet opens), in words.
    const target = s.page.getByTestId(`org-${account(stack, "manufacturerC").address.toLowerCase()}`);
    await target.getByTestId("org-suspend").click({ force: true });
    await target.getByTestId("org-confirm-suspend").click();
    const failed = target.locator('[data-tx="failed"]');
    await failed.waitFor({ timeout: 20_000 });
    assert.equal(await failed.getAttribute("data-error"), "AccessControlUnauthorizedAccount");
    assert.match((await failed.textContent()) ?? "", /不具备此操作所需的“监管”角色/);

    // Forcing a recall: same.
    await s.page.getByTestId("tab-lots").click();
    const lot = s.page.locator('.lot-list > li[data-state="2"]').first();
    await lot.getByTestId("lot-recall").click({ force: true });
    await lot.getByTestId("lot-reason").selectOption(String(LotReason.Other));
    await lot.getByTestId("lot-confirm-recall").click();
    const refused = lot.locator('[data-tx="failed"]');
    await refused.waitFor({ timeout: 20_000 });
    assert.equal(await refused.getAttribute("data-error"), "VaccineRegistryUnauthorized");
    assert.match((await refused.textContent()) ?? "", /不具备此操作所需的“监管”角色/);
    assert.equal(await noHorizontalScroll(s.page), true, "no horizontal scrolling on a phone");
    assert.equal(sentTransactions(s.wallet.requests), 0, "nothing was sent");
    await s.context.close();
  });
});
