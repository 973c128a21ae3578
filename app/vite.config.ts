/**
 * Vite config of the HealthTrace app (`app/`). `npm run dev` serves it on 127.0.0.1:5173 against the local
 * chain; `npm run app:build` builds it for the chain named by VITE_CHAIN_ID (see .env.example).
 *
 * The chain, RPC, vault, relayer and indexer URLs are fixed at build time: VITE_* variables win; otherwise the local
 * stack's ports (HEALTHTRACE_RPC_PORT, HEALTHTRACE_VAULT_PORT, HEALTHTRACE_RELAYER_PORT, HEALTHTRACE_INDEXER_PORT)
 * give the local defaults.
 */
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

const env = (name: string, fallback: string): string => {
  const value = process.env[name];
  return value === undefined || value === "" ? fallback : value;
};

const rpcUrl = env("VITE_RPC_URL", `http://127.0.0.1:${env("HEALTHTRACE_RPC_PORT", "8545")}`);
const vaultUrl = env("VITE_VAULT_URL", `http://127.0.0.1:${env("HEALTHTRACE_VAULT_PORT", "8787")}`);
const relayerUrl = env("VITE_RELAYER_URL", `http://127.0.0.1:${env("HEALTHTRACE_RELAYER_PORT", "8790")}`);
const indexerUrl = env("VITE_INDEXER_URL", `http://127.0.0.1:${env("HEALTHTRACE_INDEXER_PORT", "8791")}`);
const chainId = env("VITE_CHAIN_ID", "31337");
const appPort = Number(env("HEALTHTRACE_APP_PORT", "5173"));
const appHost = env("HEALTHTRACE_APP_HOST", "127.0.0.1");

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  define: {
    "import.meta.env.VITE_RPC_URL": JSON.stringify(rpcUrl),
    "import.meta.env.VITE_VAULT_URL": JSON.stringify(vaultUrl),
    "import.meta.env.VITE_RELAYER_URL": JSON.stringify(relayerUrl),
    "import.meta.env.VITE_INDEXER_URL": JSON.stringify(indexerUrl),
    "import.meta.env.VITE_CHAIN_ID": JSON.stringify(chainId),
    // A literal true/false, so a build for a real chain drops the dev connector and the seeded personas entirely.
    __HEALTHTRACE_LOCAL_CHAIN__: JSON.stringify(chainId === "31337"),
  },
  server: { host: appHost, port: appPort, strictPort: true },
  preview: { host: appHost, port: appPort, strictPort: true },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    // The initial bundle is budgeted (README "Bundle"); pages, charts, the QR decoder and the dev connector
    // are separate chunks loaded on demand.
    chunkSizeWarningLimit: 600,
  },
  test: {
    root: import.meta.dirname,
    include: ["test/**/*.test.{ts,tsx}"],
    environment: "node",
  },
});
