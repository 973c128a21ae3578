/**
 * End-to-end harness: Debian's Chromium driven by playwright-core, against the running local stack
 * (`npm run dev`), with an injected EIP-1193 wallet announced through EIP-6963 whose keys stay in this Node
 * process: the page asks, the test's `KeyProvider` signs with the seeded persona's (public Hardhat) key and
 * sends to the node. Switching persona emits `accountsChanged`, as a real wallet does.
 *
 * Used by the `*.e2e.ts` files (node:test), run by scripts/e2e.ts.
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { defineChain, type Hex } from "viem";

import { createKeyProvider, type KeyProvider } from "../../app/src/lib/keyProvider.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SCREENSHOTS = path.join(ROOT, "docs", "screenshots");
export const APP_URL = process.env.E2E_APP_URL ?? `http://localhost:${process.env.HEALTHTRACE_APP_PORT ?? "5173"}`;
export const RPC_URL = process.env.E2E_RPC_URL ?? `http://127.0.0.1:${process.env.HEALTHTRACE_RPC_PORT ?? "8545"}`;
export const INDEXER_URL = process.env.E2E_INDEXER_URL ?? `http://127.0.0.1:${process.env.HEALTHTRACE_INDEXER_PORT ?? "8791"}`;

export interface StackAccount {
  readonly index: number;
  readonly address: `0x${string}`;
  readonly persona: { readonly key: string; readonly name: { readonly en: string; readonly zh: string } } | null;
  readonly roles: readonly string[];
  readonly publicTestPrivateKey: Hex;
}

export interface Stack {
  readonly chainId: number;
  readonly contracts: Readonly<Record<string, `0x${string}`>>;
  readonly accounts: readonly StackAccount[];
}

/** `.dev/stack.json`, written by the seed of the running stack. */
export function readStack(): Stack {
  return JSON.parse(readFileSync(path.join(ROOT, ".dev", "stack.json"), "utf8")) as Stack;
}

export function account(stack: Stack, personaKey: string): StackAccount {
  const found = stack.accounts.find((a) => a.persona?.key === personaKey);
  if (found === undefined) throw new Error(`no seeded persona "${personaKey}" in .dev/stack.json`);
  return found;
}

const chainOf = (stack: Stack) =>
  defineChain({
    id: stack.chainId,
    name: "HealthTrace local",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [RPC_URL] } },
  });

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** The injected wallet of one page: which persona it signs as, and what chain it claims to be on. */
export class TestWallet {
  private provider: KeyProvider | null = null;
  private page: Page | null = null;
  /** When set, the wallet claims this chain id (the wrong-network test). */
  chainIdOverride: number | null = null;
  /** When true, every signature or transaction request is refused as by the user (code 4001). */
  rejectNext = false;
  readonly requests: string[] = [];
  /** Whether the page has asked for accounts (eth_requestAccounts): only then are account changes announced. */
  private authorized = false;

  private readonly stack: Stack;

  constructor(stack: Stack) {
    this.stack = stack;
  }

  get address(): `0x${string}` | null {
    return this.provider?.address ?? null;
  }

  /** Sign as `personaKey` from now on (emits accountsChanged when attached to a page). */
  async use(personaKey: string): Promise<void> {
    const a = account(this.stack, personaKey);
    this.provider = createKeyProvider(a.publicTestPrivateKey, chainOf(this.stack), RPC_URL);
    if (this.authorized) await this.emit("accountsChanged", [a.address]);
  }

  async emit(event: string, payload: unknown): Promise<void> {
    if (this.page === null || this.page.isClosed()) return;
    await this.page.evaluate(([e, p]) => (window as unknown as { __htWalletEmit: (e: string, p: unknown) => void }).__htWalletEmit(e, p), [
      event,
      payload,
    ] as const);
  }

  async attach(page: Page): Promise<void> {
    this.page = page;
    await page.exposeFunction("__htWalletRequest", async (method: string, params: unknown[]) => {
      this.requests.push(method);
      try {
        if (method === "eth_requestAccounts") this.authorized = true;
        if (method === "eth_accounts" && !this.authorized) return { result: [] };
        if (method === "eth_chainId" && this.chainIdOverride !== null) return { result: `0x${this.chainIdOverride.toString(16)}` };
        if (this.provider === null) {
          if (method === "eth_accounts") return { result: [] };
          return { error: { code: 4100, message: "The test wallet has no account selected" } };
        }
        const signing = method === "eth_sendTransaction" || method.startsWith("eth_signTypedData") || method === "personal_sign";
        if (signing && this.rejectNext) {
          this.rejectNext = false;
          return { error: { code: 4001, message: "User rejected the request." } };
        }
        return { result: await this.provider.request({ method, params }) };
      } catch (error) {
        const e = error as { code?: number; message?: string; data?: unknown };
        return { error: { code: e.code ?? -32603, message: e.message ?? String(error), data: e.data } };
      }
    });
    await page.addInitScript(() => {
      type Listener = (payload: unknown) => void;
      const listeners = new Map<string, Set<Listener>>();
      const w = window as unknown as {
        __htWalletRequest: (method: string, params: unknown[]) => Promise<{ result?: unknown; error?: { code: number; message: string; data?: unknown } }>;
        __htWalletEmit: (event: string, payload: unknown) => void;
      };
      const provider = {
        isHealthTraceTestWallet: true,
        async request({ method, params }: { method: string; params?: unknown[] }) {
          const answer = await w.__htWalletRequest(method, params ?? []);
          if (answer.error !== undefined) {
            const error = new Error(answer.error.message) as Error & { code: number; data?: unknown };
            error.code = answer.error.code;
            error.data = answer.error.data;
            throw error;
          }
          return answer.result;
        },
        on(event: string, listener: Listener) {
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event)?.add(listener);
          return provider;
        },
        removeListener(event: string, listener: Listener) {
          listeners.get(event)?.delete(listener);
          return provider;
        },
      };
      w.__htWalletEmit = (event, payload) => listeners.get(event)?.forEach((l) => l(payload));
      const info = {
        uuid: "7d3a1c9e-0000-4000-8000-000000000e2e",
        name: "HealthTrace Test Wallet",
        icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 8 8'%3E%3Crect width='8' height='8' fill='%23137c79'/%3E%3C/svg%3E",
        rdns: "org.healthtrace.testwallet",
      };
      const announce = () =>
        window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
      window.addEventListener("eip6963:requestProvider", announce);
      announce();
    });
  }
}

export interface Session {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly wallet: TestWallet;
}

/** A fresh browser context (own storage) with the test wallet injected, optionally phone-sized, in a language. */
export async function openSession(
  browser: Browser,
  stack: Stack,
  options: { language?: "zh" | "en"; phone?: boolean } = {},
): Promise<Session> {
  const context = await browser.newContext({
    viewport: options.phone === true ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    deviceScaleFactor: options.phone === true ? 2 : 1,
    isMobile: options.phone === true,
    hasTouch: options.phone === true,
    locale: options.language === "en" ? "en-GB" : "zh-CN",
  });
  await context.addInitScript((lng) => window.localStorage.setItem("i18nextLng", lng), options.language ?? "zh");
  const page = await context.newPage();
  const wallet = new TestWallet(stack);
  await wallet.attach(page);
  return { context, page, wallet };
}

/** Connect the injected test wallet through the app's wallet menu (EIP-6963 discovery). */
export async function connectWallet(page: Page): Promise<void> {
  await page.getByTestId("wallet-button").click();
  await page.getByTestId("connector-org.healthtrace.testwallet").click();
  await page.getByTestId("connected-as").waitFor({ timeout: 15_000 });
}

/** A screenshot into docs/screenshots/: the whole page, or only the viewport with `fullPage: false`. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  return file;
}
