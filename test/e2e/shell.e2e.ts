/**
 * The shell: EIP-6963 discovery of the injected wallet, connection, language switch, the wrong-network
 * prompt, and refusal of a malformed code before anything is sent.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import type { Browser } from "playwright-core";

import { APP_URL, connectWallet, launch, openSession, readStack, RPC_URL, screenshot, type Stack } from "./harness.ts";

describe("app shell", () => {
  let browser: Browser;
  let stack: Stack;
  before(async () => {
    browser = await launch();
    stack = readStack();
  });
  after(async () => {
    await browser.close();
  });

  it("test_connect_injectedWalletFoundByEip6963ShowsTheOrganisationName", async () => {
    const s = await openSession(browser, stack, { language: "en" });
    await s.wallet.use("regulator");
    await s.page.goto(APP_URL);
    await connectWallet(s.page);
    assert.equal(await s.page.getByTestId("connected-as").textContent(), "Shanghai Municipal Health Commission");
    await s.page.getByTestId("language-switch").click();
    await s.page.getByText("上海市卫生健康委员会").first().waitFor();
    assert.equal(await s.page.evaluate(() => document.documentElement.lang), "zh-CN");
    await s.context.close();
  });

  it("test_devPersonas_localChainConnectorActsAsAnySeededPersona", async () => {
    const s = await openSession(browser, stack, { language: "en" });
    await s.page.goto(APP_URL);
    await s.page.getByTestId("wallet-button").click();
    await s.page.getByTestId("persona-regulator").click();
    await s.page.getByTestId("connected-as").waitFor();
    assert.equal(await s.page.getByTestId("connected-as").textContent(), "Shanghai Municipal Health Commission");
    assert.equal(await s.page.locator(".dev-tag").textContent(), "dev");
    // Switch persona while connected: the app follows the account change.
    await s.page.getByTestId("wallet-button").click();
    await s.page.getByTestId("persona-ruijin").click();
    await s.page.getByText("Ruijin Hospital", { exact: false }).first().waitFor();
    const ruijin = stack.accounts.find((a) => a.persona?.key === "ruijin");
    await s.page.getByTestId("wallet-button").click();
    assert.equal(await s.page.getByTestId("connected-address").textContent(), ruijin?.address);
    assert.equal(await s.page.getByTestId("persona-ruijin").getAttribute("aria-pressed"), "true");
    // The injected test wallet was never asked for anything: the dev connector signs in the page.
    assert.deepEqual(s.wallet.requests.filter((m) => m !== "eth_chainId" && m !== "eth_accounts"), []);
    await s.context.close();
  });

  it("test_wrongNetwork_showsSwitchPrompt", async () => {
    const s = await openSession(browser, stack, { language: "en" });
    s.wallet.chainIdOverride = 1;
    await s.wallet.use("citizenA");
    await s.page.goto(APP_URL);
    await connectWallet(s.page);
    const banner = s.page.getByTestId("wrong-network");
    await banner.waitFor();
    assert.match((await banner.textContent()) ?? "", /chain 1\b.*31337/s);
    await screenshot(s.page, "wrong-network-en");
    await s.context.close();
  });

  it("test_rpcUnreachable_showsItsBanner", async () => {
    const s = await openSession(browser, stack, { language: "en" });
    // Every request of the page to the chain's JSON-RPC fails, as when the node is down.
    await s.context.route(`${RPC_URL}/**`, (route) => route.abort("connectionrefused"));
    await s.context.route(RPC_URL, (route) => route.abort("connectionrefused"));
    await s.page.goto(APP_URL);
    const banner = s.page.getByTestId("rpc-unreachable");
    await banner.waitFor({ timeout: 30_000 });
    assert.match((await banner.textContent()) ?? "", /cannot be reached/);
    await s.context.close();
  });

  it("test_scan_malformedCodeIsRefusedWithAMessage", async () => {
    const s = await openSession(browser, stack, { language: "zh", phone: true });
    await s.page.goto(`${APP_URL}/scan`);
    await s.page.getByTestId("scanner-input").fill("https://id.gs1.org/01/09506000134353/10/LOT/21");
    await s.page.getByTestId("scanner-submit").click();
    const alert = s.page.getByRole("alert");
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? "", /该标签格式错误/);
    assert.equal(new URL(s.page.url()).pathname, "/scan");
    await s.page.getByTestId("scanner-input").fill("0x71bE63f3384f5fb98995898A86B02Fb2426c5789");
    await s.page.getByTestId("scanner-submit").click();
    await s.page.locator('[data-error="badAddress"]').waitFor();
    await screenshot(s.page, "scan-malformed-zh-phone");
    await s.context.close();
  });
});
