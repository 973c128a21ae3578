/**
 * The local chain's dev connector: acts as any seeded persona (regulator, manufacturer, clinic, citizen…) with
 * Hardhat's PUBLIC test keys, so a developer can walk every flow without a browser wallet.
 *
 * Only registered when the app is built for chain 31337 (see wagmi.ts). The persona list and the signing code
 * are loaded on demand (a separate chunk), so a production build never contains them.
 */
import { createConnector } from "wagmi";
import { type Address, getAddress, type Hex, SwitchChainError, UserRejectedRequestError } from "viem";

import { chain } from "../config.ts";
import type { KeyProvider } from "../lib/keyProvider.ts";

const STORAGE_KEY = "healthtrace.devPersona";

/** The persona index the dev connector acts as (persisted so a reload keeps it). */
export function selectedPersonaIndex(): number | null {
  const raw = globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  return raw === null || !/^\d+$/.test(raw) ? null : Number(raw);
}

export function selectPersonaIndex(index: number): void {
  globalThis.localStorage?.setItem(STORAGE_KEY, String(index));
}

/** The seeded personas (lazy: their module is only fetched when the wallet menu or the connector needs them). */
export async function loadDevPersonas() {
  const { devPersonas } = await import("../generated/dev-stack.ts");
  return devPersonas;
}

/** The connector type the wallet menu recognises. */
export const DEV_PERSONA_TYPE = "devPersona";

export function devPersona() {
  let provider: KeyProvider | null = null;
  let providerIndex: number | null = null;

  async function providerFor(index: number, rpcUrl: string, chainId: number): Promise<KeyProvider> {
    if (provider !== null && providerIndex === index) return provider;
    const [personas, { createKeyProvider }] = await Promise.all([loadDevPersonas(), import("../lib/keyProvider.ts")]);
    const persona = personas.find((p) => p.index === index);
    if (persona === undefined) throw new UserRejectedRequestError(new Error(`No seeded persona #${String(index)}`));
    if (chain.id !== chainId) throw new SwitchChainError(new Error("The dev connector only serves the local chain"));
    provider = createKeyProvider(persona.privateKey as Hex, chain, rpcUrl);
    providerIndex = index;
    return provider;
  }

  return createConnector<KeyProvider>((config) => ({
    id: "devPersona",
    name: "Dev persona (local chain)",
    type: DEV_PERSONA_TYPE,
    async connect<withCapabilities extends boolean = false>({
      withCapabilities,
    }: { chainId?: number; isReconnecting?: boolean; withCapabilities?: withCapabilities | boolean } = {}) {
      const index = selectedPersonaIndex();
      if (index === null) throw new UserRejectedRequestError(new Error("Choose a persona first"));
      const p = await this.getProvider();
      const accounts = ((await p.request({ method: "eth_requestAccounts" })) as Address[]).map((a) => getAddress(a));
      const chainId = config.chains[0].id;
      return {
        accounts: (withCapabilities === true ? accounts.map((address) => ({ address, capabilities: {} })) : accounts) as never,
        chainId,
      };
    },
    async disconnect() {
      provider = null;
      providerIndex = null;
    },
    async getAccounts() {
      const p = await this.getProvider();
      return ((await p.request({ method: "eth_accounts" })) as Address[]).map((a) => getAddress(a));
    },
    async getChainId() {
      return config.chains[0].id;
    },
    async getProvider() {
      const index = selectedPersonaIndex() ?? 0;
      const chain = config.chains[0];
      return providerFor(index, chain.rpcUrls.default.http[0] ?? "", chain.id);
    },
    async isAuthorized() {
      return selectedPersonaIndex() !== null;
    },
    async switchChain({ chainId }) {
      const chain = config.chains.find((c) => c.id === chainId);
      if (chain === undefined) throw new SwitchChainError(new Error(`Chain ${String(chainId)} is not configured`));
      return chain;
    },
    onAccountsChanged(accounts) {
      config.emitter.emit("change", { accounts: accounts.map((a) => getAddress(a)) });
    },
    onChainChanged(chainId) {
      config.emitter.emit("change", { chainId: Number(chainId) });
    },
    onDisconnect() {
      config.emitter.emit("disconnect");
    },
  }));
}

/** Switch the connected dev connector to another persona (emits an account change). */
export async function switchPersona(
  connector: { getProvider: () => Promise<unknown>; emitter: { emit: (event: "change", data: { accounts: readonly Address[] }) => void } },
  index: number,
): Promise<void> {
  selectPersonaIndex(index);
  const p = (await connector.getProvider()) as KeyProvider;
  connector.emitter.emit("change", { accounts: [getAddress(p.address)] });
}
