/**
 * The one wagmi config of the app.
 *
 * - Wallets: EIP-6963 discovery of every injected wallet (MetaMask, Rabby, OKX…: `multiInjectedProviderDiscovery`),
 *   plus the legacy `window.ethereum` as a fallback `injected()` connector. No wallet SDK is bundled.
 * - On the local chain only, the dev connector that acts as a seeded persona.
 * - One chain per build (config.ts); reads go through its JSON-RPC URL.
 */
import { http, createConfig } from "wagmi";
import { injected } from "wagmi/connectors";

import { chain, RPC_URL } from "./config.ts";
import { devPersona } from "./connectors/devPersona.ts";

export const config = createConfig({
  chains: [chain],
  connectors: __HEALTHTRACE_LOCAL_CHAIN__ ? [injected(), devPersona()] : [injected()],
  multiInjectedProviderDiscovery: true,
  transports: { [chain.id]: http(RPC_URL, { retryCount: 1, timeout: 10_000 }) },
});

declare module "wagmi" {
  interface Register {
    config: typeof config;
  }
}
