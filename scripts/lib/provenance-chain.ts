/**
 * Chain access shared by the provenance CLIs (`scripts/supplier.ts`, `scripts/epcis.ts`) and their tests: the
 * ProvenanceRegistry ABI from `artifacts/`, its address from the Ignition deployment of the connected chain, event
 * logs read in block chunks and decoded into `ProvenanceEvent`s, shipment ids, and contract refusals in words.
 *
 * Node only (reads files, uses ethers). Plain `node` runs it (erasable TypeScript; local imports end in `.ts`).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import {
  AbiCoder,
  getAddress,
  Interface,
  type InterfaceAbi,
  JsonRpcProvider,
  keccak256,
  type Log,
  Network,
  type Provider,
} from "ethers";

import { parseDigitalLink, type LabelPayload, type ParseOptions } from "./digital-link.ts";
import { decodeProvenanceLog, PROVENANCE_EVENT_NAMES, type ProvenanceEvent } from "./epcis.ts";
import { describeProvenanceError } from "./provenance-errors.ts";

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The Ignition future id of the registry in `deployed_addresses.json`. */
export const REGISTRY_FUTURE_ID = "HealthTrace#ProvenanceRegistry";

/** A refusal of the command line: the message is shown as is, without a stack trace. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

const rel = (file: string): string => path.relative(ROOT, file).split(path.sep).join("/");

/** The ABI interface of a compiled contract (`artifacts/contracts/<Name>.sol/<Name>.json`). */
export function artifactInterface(contractName: string): Interface {
  const file = path.join(ROOT, "artifacts", "contracts", `${contractName}.sol`, `${contractName}.json`);
  if (!existsSync(file)) throw new CliError(`${rel(file)} is missing: compile first (npx hardhat compile).`);
  const artifact: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (typeof artifact !== "object" || artifact === null || !Array.isArray((artifact as { abi?: unknown }).abi)) {
    throw new CliError(`${rel(file)} is not a Hardhat artifact with an ABI.`);
  }
  return new Interface((artifact as { abi: InterfaceAbi }).abi);
}

/**
 * Every contract of an Ignition deployment (default: Ignition's own id for the chain, `chain-<id>`): future id
 * (`HealthTrace#<Contract>`) → address and the block of its deployment transaction (null when the journal does not
 * say). Empty when there is no such deployment.
 */
export function ignitionDeployments(
  chainId: number,
  deploymentId: string = `chain-${chainId}`,
): Map<string, { address: string; deploymentBlock: number | null }> {
  const out = new Map<string, { address: string; deploymentBlock: number | null }>();
  const dir = path.join(ROOT, "ignition", "deployments", deploymentId);
  const addressesFile = path.join(dir, "deployed_addresses.json");
  if (!existsSync(addressesFile)) return out;
  const addresses: unknown = JSON.parse(readFileSync(addressesFile, "utf8"));
  if (typeof addresses !== "object" || addresses === null) return out;
  for (const [futureId, address] of Object.entries(addresses)) {
    if (typeof address === "string") out.set(futureId, { address, deploymentBlock: null });
  }
  const journal = path.join(dir, "journal.jsonl");
  if (!existsSync(journal)) return out;
  for (const line of readFileSync(journal, "utf8").split("\n")) {
    if (!line.includes("TRANSACTION_CONFIRM")) continue;
    try {
      const entry = JSON.parse(line) as { futureId?: unknown; receipt?: { blockNumber?: unknown } };
      const known = typeof entry.futureId === "string" ? out.get(entry.futureId) : undefined;
      if (known !== undefined && typeof entry.receipt?.blockNumber === "number") known.deploymentBlock = entry.receipt.blockNumber;
    } catch {
      // A torn last line of a journal being written: ignore it.
    }
  }
  return out;
}

/** The registry's address and deployment block recorded by Ignition for a chain, or null. */
export function ignitionDeployment(chainId: number): { address: string; deploymentBlock: number | null } | null {
  return ignitionDeployments(chainId).get(REGISTRY_FUTURE_ID) ?? null;
}

/** Connect to a JSON-RPC node, failing fast (ethers would otherwise retry forever) when it is not there. */
export async function connect(rpcUrl: string): Promise<{ provider: JsonRpcProvider; chainId: number }> {
  let url: URL;
  try {
    url = new URL(rpcUrl);
  } catch {
    throw new CliError(`--rpc ${rpcUrl} is not a URL (e.g. http://127.0.0.1:8545).`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new CliError(`--rpc ${rpcUrl} must be an http(s) URL.`);
  let chainHex: unknown;
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(10_000),
    });
    chainHex = ((await response.json()) as { result?: unknown }).result;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`Cannot reach a node at ${rpcUrl} (${reason}). Is it running? (npm run dev, or npx hardhat node)`);
  }
  if (typeof chainHex !== "string" || !/^0x[0-9a-fA-F]+$/.test(chainHex)) {
    throw new CliError(`${rpcUrl} did not answer eth_chainId like an Ethereum node.`);
  }
  const chainId = Number(BigInt(chainHex));
  const provider = new JsonRpcProvider(rpcUrl, Network.from(chainId), { staticNetwork: true, cacheTimeout: -1 });
  return { provider, chainId };
}

/** The registry a command works with: `--registry`, else the Ignition deployment of the chain; checked to have code. */
export async function resolveRegistry(
  provider: Provider,
  chainId: number,
  override: string | undefined,
): Promise<{ address: string; deploymentBlock: number | null }> {
  let address: string;
  let deploymentBlock: number | null = null;
  if (override !== undefined) {
    try {
      address = getAddress(override);
    } catch {
      throw new CliError(`--registry ${override} is not an address (0x + 40 hex digits, with a valid checksum if mixed-case).`);
    }
  } else {
    const deployment = ignitionDeployment(chainId);
    if (deployment === null) {
      throw new CliError(
        `No ProvenanceRegistry deployment for chain ${chainId} in ignition/deployments/chain-${chainId}/deployed_addresses.json: ` +
          "deploy it (npm run deploy -- --network <name>) or pass --registry <address>.",
      );
    }
    address = getAddress(deployment.address);
    deploymentBlock = deployment.deploymentBlock;
  }
  if ((await provider.getCode(address)) === "0x") {
    throw new CliError(
      `There is no contract at ${address} on chain ${chainId}` +
        (override === undefined ? " (the node was restarted since the deployment was recorded?): redeploy, or pass --registry." : "."),
    );
  }
  if (deploymentBlock !== null && deploymentBlock > (await provider.getBlockNumber())) deploymentBlock = null;
  return { address, deploymentBlock };
}

/** A shipment id as the contract computes it: `keccak256(abi.encode(uint64 gtin, string lot, string serial))`. */
export function shipmentIdOf(gtin: string | bigint, lot: string, serial: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["uint64", "string", "string"], [BigInt(gtin), lot, serial]));
}

/**
 * A shipment named on the command line: a shipment id (`0x` + 64 hex digits) or a label's Digital Link (then also
 * its identity and the chain / registry it names).
 */
export function shipmentArgument(
  value: string,
  parseOptions: ParseOptions = {},
): { shipmentId: string; label: LabelPayload | null } {
  const text = value.trim();
  if (/^0x[0-9a-fA-F]{64}$/.test(text)) return { shipmentId: text.toLowerCase(), label: null };
  if (/^0x/i.test(text)) throw new CliError(`Shipment id ${text} is not 0x followed by 64 hex digits.`);
  const label = parseDigitalLink(text, parseOptions);
  return { shipmentId: shipmentIdOf(label.gtin, label.lot, label.serial), label };
}

/** Options of `fetchProvenanceEvents`. */
export interface FetchOptions {
  readonly fromBlock: number;
  readonly toBlock: number;
  /** Only events of this shipment (LocationRegistered, which names no shipment, is still read when asked for). */
  readonly shipmentId?: string | null;
  /** Which events (default all). */
  readonly names?: readonly ProvenanceEvent["name"][];
  /** Blocks per `eth_getLogs` request (halved when a node refuses a range); default 10,000. */
  readonly chunkSize?: number;
}

async function getLogsChunked(
  provider: Provider,
  filter: { address: string; topics: (string | string[] | null)[] },
  fromBlock: number,
  toBlock: number,
  chunkSize: number,
): Promise<Log[]> {
  const logs: Log[] = [];
  let start = fromBlock;
  let size = Math.max(1, chunkSize);
  while (start <= toBlock) {
    const end = Math.min(toBlock, start + size - 1);
    try {
      logs.push(...(await provider.getLogs({ ...filter, fromBlock: start, toBlock: end })));
      start = end + 1;
    } catch (error) {
      if (size === 1) throw error;
      size = Math.max(1, Math.floor(size / 2)); // a node limiting the range or the result size: ask for less
    }
  }
  return logs;
}

/** Read and decode the registry's events in a block range, in chain order, with their block times. */
export async function fetchProvenanceEvents(
  provider: Provider,
  registry: string,
  iface: Interface,
  options: FetchOptions,
): Promise<ProvenanceEvent[]> {
  const names = options.names ?? PROVENANCE_EVENT_NAMES;
  const topicOf = (name: string): string => {
    const fragment = iface.getEvent(name);
    if (fragment === null) throw new CliError(`The ProvenanceRegistry ABI has no event ${name}: recompile (npx hardhat compile).`);
    return fragment.topicHash;
  };
  const chunk = options.chunkSize ?? 10_000;
  const logs: Log[] = [];
  const shipmentId = options.shipmentId ?? null;
  const shipmentNames = names.filter((n) => n !== "LocationRegistered");
  if (shipmentNames.length > 0) {
    const topics = [shipmentNames.map(topicOf), ...(shipmentId === null ? [] : [shipmentId])];
    logs.push(...(await getLogsChunked(provider, { address: registry, topics }, options.fromBlock, options.toBlock, chunk)));
  }
  if (names.includes("LocationRegistered")) {
    const topics = [topicOf("LocationRegistered")];
    logs.push(...(await getLogsChunked(provider, { address: registry, topics }, options.fromBlock, options.toBlock, chunk)));
  }

  const times = new Map<number, number>();
  const blocks = [...new Set(logs.map((l) => l.blockNumber))];
  for (let i = 0; i < blocks.length; i += 8) {
    await Promise.all(
      blocks.slice(i, i + 8).map(async (n) => {
        const block = await provider.getBlock(n);
        if (block === null) throw new CliError(`Block ${n} is not available from the node.`);
        times.set(n, block.timestamp);
      }),
    );
  }
  const events: ProvenanceEvent[] = [];
  for (const log of logs) {
    const event = decodeProvenanceLog(log, times.get(log.blockNumber) ?? 0, (l) => iface.parseLog(l));
    if (event !== null) events.push(event);
  }
  return events.sort((a, b) => a.log.blockNumber - b.log.blockNumber || a.log.logIndex - b.log.logIndex);
}

// ---------------------------------------------------------------------------------------------------------
// Contract refusals in words
// ---------------------------------------------------------------------------------------------------------

/** The first revert-data hex string found in an error thrown by ethers or a node (depth-limited search). */
function revertData(error: unknown, depth = 0): string | null {
  if (depth > 6 || typeof error !== "object" || error === null) return null;
  const record = error as Record<string, unknown>;
  for (const k of ["data", "revertData"]) {
    const v = record[k];
    if (typeof v === "string" && /^0x[0-9a-fA-F]{8}/.test(v)) return v;
  }
  for (const k of ["data", "error", "info", "cause"]) {
    const found = revertData(record[k], depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/**
 * A contract refusal in words: the registry's custom errors as sentences (`provenance-errors.ts`), `Error(string)`
 * and panics as such; null when `error` carries no revert data.
 */
export function refusalSentence(error: unknown, iface: Interface): string | null {
  const data = revertData(error);
  if (data === null) return null;
  let parsed;
  try {
    parsed = iface.parseError(data);
  } catch {
    parsed = null;
  }
  if (parsed === null) return `The contract refused the transaction with data the registry's ABI does not describe (${data.slice(0, 10)}…).`;
  if (parsed.name === "Error") return `The contract refused: ${String(parsed.args[0])}.`;
  if (parsed.name === "Panic") return `The contract failed with panic code ${String(parsed.args[0])}.`;
  const sentence = describeProvenanceError(parsed.name, [...parsed.args]);
  if (sentence !== null) return sentence.en;
  return `The contract refused: ${parsed.name}(${[...parsed.args].map(String).join(", ")}).`;
}
