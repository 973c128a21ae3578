/**
 * Which chain this build of the app talks to, where its contracts are, and where the vault is.
 *
 * Addresses come only from the export of the Ignition deployments (`scripts/export-app.ts` →
 * `src/generated/healthtrace.ts`); nothing is pasted. A build for a chain without a deployment fails here at
 * start with a clear message rather than sending transactions to nowhere.
 */
import { type Address, type Chain, defineChain, zeroAddress } from "viem";
import { baseSepolia, sepolia } from "viem/chains";

import { type ContractName, deployments } from "./generated/healthtrace.ts";

/** The local stack's chain (`npm run dev`): Hardhat's chain id, served by our node. */
export const localChain = defineChain({
  id: 31337,
  name: "HealthTrace local",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [import.meta.env.VITE_RPC_URL] } },
  testnet: true,
});

const KNOWN_CHAINS: readonly Chain[] = [localChain, sepolia, baseSepolia];

export const CHAIN_ID = Number(import.meta.env.VITE_CHAIN_ID);
export const RPC_URL = import.meta.env.VITE_RPC_URL;
export const VAULT_URL = import.meta.env.VITE_VAULT_URL;
/** The consent relayer (relayer/): submits a citizen's signed grant or revocation and pays its gas. */
export const RELAYER_URL = import.meta.env.VITE_RELAYER_URL;
/** The indexer (indexer/, Ponder): the public dashboard's aggregates and exports. */
export const INDEXER_URL = import.meta.env.VITE_INDEXER_URL;

const found = KNOWN_CHAINS.find((c) => c.id === CHAIN_ID);
if (found === undefined) throw new Error(`VITE_CHAIN_ID=${String(CHAIN_ID)} is not one of the chains the app knows`);

/** The chain of this build, with the configured RPC URL. */
export const chain: Chain = { ...found, rpcUrls: { default: { http: [RPC_URL] } } };

/**
 * True on the local dev chain: the dev persona connector and demo helpers exist only there. A build-time
 * constant (VITE_CHAIN_ID is replaced by its value), so a build for any other chain drops the dev connector and
 * the seeded personas' module altogether.
 */
export const IS_LOCAL: boolean = __HEALTHTRACE_LOCAL_CHAIN__;

// The export lists only the chains deployed so far (none on a fresh clone): read it as a partial map.
const chainDeployment = (deployments as Partial<Record<number, Partial<Record<ContractName, Address>>>>)[chain.id];

/**
 * Address of a deployed HealthTrace contract on this build's chain; the zero address when this chain has no
 * deployment (the app then shows its "no deployment" notice instead of any page that reads the chain).
 */
export function contractAddress(name: ContractName): Address {
  return chainDeployment?.[name] ?? zeroAddress;
}

/** Whether this build has a deployment (the app shows a setup page instead of failing on each read). */
export const HAS_DEPLOYMENT = chainDeployment !== undefined;
