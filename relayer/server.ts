/**
 * The consent relayer process (see app.ts):
 *
 *   RELAYER_PRIVATE_KEY=0x… node relayer/server.ts
 *
 * Environment (see .env.example):
 *   RELAYER_PRIVATE_KEY        the key that signs and pays for relayed transactions (required; never in the repo)
 *   RELAYER_RPC_URL            JSON-RPC URL (default http://127.0.0.1:$HEALTHTRACE_RPC_PORT, i.e. :8545)
 *   RELAYER_CHAIN_ID           chain id (default 31337, the local stack); the RPC must answer it
 *   RELAYER_CONSENT_REGISTRY   ConsentRegistry address (default: the exported deployment of that chain)
 *   HEALTHTRACE_RELAYER_PORT   port to listen on (default 8790); RELAYER_HOST (default 127.0.0.1)
 *   RELAYER_ALLOWED_ORIGINS    comma-separated browser origins allowed by CORS (default the local app's)
 *
 * `npm run dev` starts it with Hardhat's dev account #20, which no seeded persona uses.
 */
import { type Address, createPublicClient, defineChain, getAddress, type Hex, http, isAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { getChainId } from "viem/actions";

import { deployments } from "../app/src/generated/healthtrace.ts";
import { buildRelayer } from "./app.ts";

function fail(message: string): never {
  process.stderr.write(`relayer: ${message}\n`);
  process.exit(2);
}

const env = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value === "" ? undefined : value;
};

const key = env("RELAYER_PRIVATE_KEY");
if (key === undefined || !/^0x[0-9a-fA-F]{64}$/.test(key)) {
  fail("RELAYER_PRIVATE_KEY must be set to a 32-byte hex private key (0x…); see .env.example");
}
const account = privateKeyToAccount(key as Hex);

const chainId = Number(env("RELAYER_CHAIN_ID") ?? "31337");
if (!Number.isInteger(chainId) || chainId <= 0) fail(`RELAYER_CHAIN_ID=${String(env("RELAYER_CHAIN_ID"))} is not a chain id`);
const rpcUrl = env("RELAYER_RPC_URL") ?? `http://127.0.0.1:${env("HEALTHTRACE_RPC_PORT") ?? "8545"}`;

const exported = (deployments as Partial<Record<number, Partial<Record<string, Address>>>>)[chainId]?.ConsentRegistry;
const registryText = env("RELAYER_CONSENT_REGISTRY") ?? exported;
if (registryText === undefined || !isAddress(registryText)) {
  fail(`no ConsentRegistry for chain ${chainId}: set RELAYER_CONSENT_REGISTRY or deploy and run npm run export-app`);
}
const consentRegistry = getAddress(registryText);

const port = Number(env("HEALTHTRACE_RELAYER_PORT") ?? "8790");
if (!Number.isInteger(port) || port < 1 || port > 65_535) fail(`HEALTHTRACE_RELAYER_PORT is not a TCP port`);
const host = env("RELAYER_HOST") ?? "127.0.0.1";
const appPort = env("HEALTHTRACE_APP_PORT") ?? "5173";
const allowedOrigins = (env("RELAYER_ALLOWED_ORIGINS") ?? `http://localhost:${appPort},http://127.0.0.1:${appPort}`)
  .split(",")
  .map((o) => o.trim())
  .filter((o) => o !== "");

const chain = defineChain({
  id: chainId,
  name: `chain ${chainId}`,
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [rpcUrl] } },
});
const transport = http(rpcUrl, { retryCount: 1, timeout: 15_000 });

// Refuse to start against the wrong chain rather than relay signatures to nowhere.
let answered: number;
try {
  answered = await getChainId(createPublicClient({ chain, transport }));
} catch (error) {
  fail(`cannot reach ${rpcUrl}: ${error instanceof Error ? error.message : String(error)}`);
}
if (answered !== chainId) fail(`${rpcUrl} answers chain id ${answered}, expected ${chainId}`);

const app = await buildRelayer({ transport, chain, account, consentRegistry, allowedOrigins, logger: { level: "info" } });
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
await app.listen({ host, port });
app.log.info({ relayer: account.address, chainId, consentRegistry, allowedOrigins }, "consent relayer ready");
