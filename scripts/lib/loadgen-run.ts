/**
 * Sends a load plan (`scripts/lib/loadgen.ts`) to a chain that has the HealthTrace deployment, over any JSON-RPC
 * transport: an HTTP URL (`npm run loadgen`, the analytics benchmark) or an EIP-1193 provider (the in-process Hardhat
 * network of the tests).
 *
 * How it goes fast: each transaction carries a batch — a registry `multicall` of up to `batch` calls, or
 * `recordSteps` for custody steps — signed locally and sent raw; several senders (the clinics, carriers, relayers …
 * of the plan) send at once, each one transaction at a time in nonce order. A day's transactions never depend on
 * another sender's of the same day (the plan's timing rules), so a day is one concurrent burst; the next day starts
 * once it is mined, at its own block time (`evm_setNextBlockTimestamp`). While a day is being mined the next one is
 * prepared: calldata, EIP-712 signatures (`ConfirmDose`, `Grant`, `Revoke`, signed with viem's secp256k1, i.e.
 * @noble/curves) and the signed transactions.
 *
 * Keys: account #0 of the dev mnemonic funds everyone, account #1 (the first regulator of the deployment) accredits
 * the plan's organisations; every other key is derived from the seed and the run number (PUBLIC test keys: a local
 * chain only).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";

import {
  type Abi,
  type Address,
  encodeFunctionData,
  encodeAbiParameters,
  getAbiItem,
  type Hex,
  keccak256,
  parseAbiParameters,
  parseTransaction,
  toEventSelector,
  toFunctionSelector,
  toHex,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";

import { CONSENT_DOMAIN } from "./consent-typed-data.ts";
import {
  type DayPlan,
  type EventCounts,
  type LoadPlan,
  memberGln,
  type Op,
  PRODUCTS,
  type PlannedStep,
  countOps,
  EVENT_SOURCES,
  type EventName,
  totalOf,
} from "./loadgen.ts";
import { handle, type SignerAnswer, type SignerRequest } from "./loadgen-signer.ts";
import { DEV_MNEMONIC, ROLE_IDS } from "./personas.ts";
import { ignitionDeployments, ROOT } from "./provenance-chain.ts";
import { packStep } from "./steps.ts";
import { VACCINE_DOMAIN } from "./vaccine-typed-data.ts";

// ---------------------------------------------------------------------------------------------------------
// JSON-RPC
// ---------------------------------------------------------------------------------------------------------

/** One JSON-RPC request. */
export type Rpc = (method: string, params?: readonly unknown[]) => Promise<unknown>;

/** A JSON-RPC error answer (a refused or reverted transaction, a bad request). */
export class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(method: string, error: { code?: number; message?: string; data?: unknown }) {
    super(`${method}: ${error.message ?? "error"}`);
    this.name = "RpcError";
    this.code = error.code ?? 0;
    this.data = error.data;
  }
}

/** JSON-RPC over HTTP (fetch keeps connections alive). */
export function httpRpc(url: string): Rpc {
  let id = 0;
  return async (method, params = []) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
    });
    const body = (await response.json()) as {
      result?: unknown;
      error?: { code?: number; message?: string; data?: unknown };
    };
    if (body.error !== undefined) throw new RpcError(method, body.error);
    return body.result;
  };
}

/** JSON-RPC through an EIP-1193 provider (e.g. Hardhat's in-process network). */
export function providerRpc(provider: {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}): Rpc {
  return async (method, params = []) => {
    try {
      return await provider.request({ method, params: [...params] });
    } catch (error) {
      const e = error as { code?: number; message?: string; data?: unknown };
      throw new RpcError(method, { code: e.code, message: e.message ?? String(error), data: e.data });
    }
  };
}

// ---------------------------------------------------------------------------------------------------------
// Contracts and calldata
// ---------------------------------------------------------------------------------------------------------

/** The five contracts, by name. */
export interface Contracts {
  readonly HealthTraceAuthority: Address;
  readonly ConsentRegistry: Address;
  readonly RecordRegistry: Address;
  readonly VaccineRegistry: Address;
  readonly ProvenanceRegistry: Address;
}
type ContractName = keyof Contracts;
export const CONTRACT_NAMES: readonly ContractName[] = [
  "HealthTraceAuthority",
  "ConsentRegistry",
  "RecordRegistry",
  "VaccineRegistry",
  "ProvenanceRegistry",
];

/** The contracts Ignition recorded for a chain (ignition/deployments/<deploymentId>, default `chain-<id>`). */
export function deployedContracts(chainId: number, deploymentId: string = `chain-${chainId}`): Contracts {
  const deployed = ignitionDeployments(chainId, deploymentId);
  const entries = CONTRACT_NAMES.map((name) => {
    const entry = deployed.get(`HealthTrace#${name}`);
    if (entry === undefined)
      throw new Error(`no ${name} in ignition/deployments/${deploymentId}: deploy HealthTrace first`);
    return [name, entry.address as Address] as const;
  });
  return Object.fromEntries(entries) as unknown as Contracts;
}

/** The on-chain ids of a plan's shipments: `keccak256(abi.encode(uint64 gtin, string lot, string serial))`. */
export function plannedShipmentIds(plan: Pick<LoadPlan, "shipments">): Hex[] {
  return plan.shipments.map((s) =>
    keccak256(
      encodeAbiParameters(parseAbiParameters("uint64, string, string"), [
        PRODUCTS[s.product].gtin,
        s.lotNumber,
        s.serial,
      ]),
    ),
  );
}

/** What a plan needs to know of the chain: its id, the release quorum, the latest block's number and time. */
export async function chainFacts(
  rpc: Rpc,
  contracts: Contracts,
): Promise<{ chainId: number; releaseQuorum: number; blockNumber: number; blockTime: number }> {
  const abi = artifactAbi("VaccineRegistry");
  const data = encodeFunctionData({ abi, functionName: "releaseQuorum", args: [] } as Parameters<
    typeof encodeFunctionData
  >[0]);
  const latest = (await rpc("eth_getBlockByNumber", ["latest", false])) as { number: string; timestamp: string };
  return {
    chainId: hexNumber(await rpc("eth_chainId")),
    releaseQuorum: hexNumber(await rpc("eth_call", [{ to: contracts.VaccineRegistry, data }, "latest"])),
    blockNumber: hexNumber(latest.number),
    blockTime: hexNumber(latest.timestamp),
  };
}

/** The ABI of a compiled contract (`artifacts/contracts/<Name>.sol/<Name>.json`: run `hardhat compile` first). */
export function artifactAbi(name: ContractName): Abi {
  const file = path.join(ROOT, "artifacts", "contracts", `${name}.sol`, `${name}.json`);
  return (JSON.parse(readFileSync(file, "utf8")) as { abi: Abi }).abi;
}

const word = (n: bigint | number): string => BigInt(n).toString(16).padStart(64, "0");
const addressWord = (a: string): string => a.slice(2).toLowerCase().padStart(64, "0");
/** A 65-byte signature as the tail of a `bytes` argument: length word and the bytes padded to 96. */
const signatureTail = (signature: Hex): string => `${word(65)}${signature.slice(2)}${"0".repeat(62)}`;

/**
 * The hot encoders, by hand (viem's generic encoder costs ~50 µs a call, i.e. most of a minute for a million), with
 * selectors from the compiled ABIs. `test/ts/LoadGen.ts` checks each against viem's `encodeFunctionData`.
 */
export function calldataEncoders(abis: Readonly<Record<ContractName, Abi>>) {
  const selector = (contract: ContractName, name: string): string =>
    toFunctionSelector(getAbiItem({ abi: abis[contract], name }) as Parameters<typeof toFunctionSelector>[0]);
  const s = {
    multicall: selector("VaccineRegistry", "multicall"),
    recordDose: selector("VaccineRegistry", "recordDose"),
    confirmDoseBySig: selector("VaccineRegistry", "confirmDoseBySig"),
    verifyDose: selector("VaccineRegistry", "verifyDose"),
    recordSteps: selector("ProvenanceRegistry", "recordSteps"),
    proposeHandover: selector("ProvenanceRegistry", "proposeHandover"),
    acceptHandover: selector("ProvenanceRegistry", "acceptHandover"),
    rejectHandover: selector("ProvenanceRegistry", "rejectHandover"),
    grantBySig: selector("ConsentRegistry", "grantBySig"),
    revokeBySig: selector("ConsentRegistry", "revokeBySig"),
    logAccess: selector("ConsentRegistry", "logAccess"),
    anchor: selector("RecordRegistry", "anchor"),
  };
  return {
    /** `multicall(bytes[])` of already encoded calls. */
    multicall(calls: readonly Hex[]): Hex {
      const offsets: string[] = [];
      const tails: string[] = [];
      let offset = 32 * calls.length;
      for (const call of calls) {
        const hex = call.slice(2);
        const padded = hex.padEnd(Math.ceil(hex.length / 64) * 64, "0");
        offsets.push(word(offset));
        tails.push(word(hex.length / 2), padded);
        offset += 32 + padded.length / 2;
      }
      return `${s.multicall}${word(32)}${word(calls.length)}${offsets.join("")}${tails.join("")}` as Hex;
    },
    recordDose: (lotId: number, citizen: string, doseNumber: number, district: number): Hex =>
      `${s.recordDose}${word(lotId)}${addressWord(citizen)}${word(doseNumber)}${word(district)}` as Hex,
    confirmDoseBySig: (doseId: Hex, deadline: number, signature: Hex): Hex =>
      `${s.confirmDoseBySig}${doseId.slice(2)}${word(deadline)}${word(96)}${signatureTail(signature)}` as Hex,
    verifyDose: (doseId: Hex): Hex => `${s.verifyDose}${doseId.slice(2)}` as Hex,
    /** `recordSteps((bytes32 shipmentId, bytes32 step)[])`. */
    recordSteps: (steps: readonly (readonly [Hex, Hex])[]): Hex =>
      `${s.recordSteps}${word(32)}${word(steps.length)}${steps.map(([id, w]) => id.slice(2) + w.slice(2)).join("")}` as Hex,
    proposeHandover: (shipmentId: Hex, receiver: string, isFinal: boolean): Hex =>
      `${s.proposeHandover}${shipmentId.slice(2)}${addressWord(receiver)}${word(isFinal ? 1 : 0)}` as Hex,
    acceptHandover: (shipmentId: Hex): Hex => `${s.acceptHandover}${shipmentId.slice(2)}` as Hex,
    rejectHandover: (shipmentId: Hex, reason: number): Hex =>
      `${s.rejectHandover}${shipmentId.slice(2)}${word(reason)}` as Hex,
    grantBySig: (
      citizen: string,
      grantee: string,
      category: number,
      purpose: number,
      expiresAt: number,
      nonce: bigint,
      deadline: number,
      signature: Hex,
    ): Hex =>
      `${s.grantBySig}${addressWord(citizen)}${addressWord(grantee)}${word(category)}${word(purpose)}${word(expiresAt)}${word(nonce)}${word(deadline)}${word(256)}${signatureTail(signature)}` as Hex,
    revokeBySig: (
      citizen: string,
      grantee: string,
      category: number,
      nonce: bigint,
      deadline: number,
      signature: Hex,
    ): Hex =>
      `${s.revokeBySig}${addressWord(citizen)}${addressWord(grantee)}${word(category)}${word(nonce)}${word(deadline)}${word(192)}${signatureTail(signature)}` as Hex,
    logAccess: (citizen: string, reader: string, category: number, recordId: Hex): Hex =>
      `${s.logAccess}${addressWord(citizen)}${addressWord(reader)}${word(category)}${recordId.slice(2)}` as Hex,
    anchor: (subject: string, category: number, contentHash: Hex): Hex =>
      `${s.anchor}${addressWord(subject)}${word(category)}${contentHash.slice(2)}` as Hex,
  };
}
export type Encoders = ReturnType<typeof calldataEncoders>;

// ---------------------------------------------------------------------------------------------------------
// EIP-712 digests (the contracts' typed data, hashed without viem's generic encoder)
// ---------------------------------------------------------------------------------------------------------

const EIP712_DOMAIN_TYPEHASH = keccak256(
  toHex("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
);
const typeHash = (type: string): string => keccak256(toHex(type)).slice(2);
const CONFIRM_DOSE_TYPEHASH = typeHash("ConfirmDose(bytes32 doseId,uint256 deadline)");
const GRANT_TYPEHASH = typeHash(
  "Grant(address citizen,address grantee,uint8 category,uint8 purpose,uint64 expiresAt,uint256 nonce,uint256 deadline)",
);
const REVOKE_TYPEHASH = typeHash(
  "Revoke(address citizen,address grantee,uint8 category,uint256 nonce,uint256 deadline)",
);

/** The EIP-712 domain separator of a contract. */
export function domainSeparator(
  domain: { name: string; version: string },
  chainId: number,
  verifyingContract: Address,
): Hex {
  return keccak256(
    `${EIP712_DOMAIN_TYPEHASH}${typeHash(domain.name)}${typeHash(domain.version)}${word(chainId)}${addressWord(verifyingContract)}` as Hex,
  );
}
const digest = (separator: Hex, structHash: Hex): Hex => keccak256(`0x1901${separator.slice(2)}${structHash.slice(2)}`);

/** The digest a citizen signs to confirm a dose (`ConfirmDose`). */
export const confirmDoseDigest = (separator: Hex, doseId: Hex, deadline: number): Hex =>
  digest(separator, keccak256(`0x${CONFIRM_DOSE_TYPEHASH}${doseId.slice(2)}${word(deadline)}`));

/** The digest a citizen signs to grant access (`Grant`). */
export const grantDigest = (
  separator: Hex,
  m: {
    citizen: string;
    grantee: string;
    category: number;
    purpose: number;
    expiresAt: number;
    nonce: bigint;
    deadline: number;
  },
): Hex =>
  digest(
    separator,
    keccak256(
      `0x${GRANT_TYPEHASH}${addressWord(m.citizen)}${addressWord(m.grantee)}${word(m.category)}${word(m.purpose)}${word(m.expiresAt)}${word(m.nonce)}${word(m.deadline)}`,
    ),
  );

/** The digest a citizen signs to revoke access (`Revoke`). */
export const revokeDigest = (
  separator: Hex,
  m: { citizen: string; grantee: string; category: number; nonce: bigint; deadline: number },
): Hex =>
  digest(
    separator,
    keccak256(
      `0x${REVOKE_TYPEHASH}${addressWord(m.citizen)}${addressWord(m.grantee)}${word(m.category)}${word(m.nonce)}${word(m.deadline)}`,
    ),
  );

// ---------------------------------------------------------------------------------------------------------
// Running a plan
// ---------------------------------------------------------------------------------------------------------

/** How to run a plan. */
export interface RunOptions {
  readonly rpc: Rpc;
  readonly contracts: Contracts;
  readonly plan: LoadPlan;
  /** Most events (calls, or steps) per transaction; default 200. */
  readonly batch?: number;
  /** Transactions in flight at once (from different senders); default 8. */
  readonly concurrency?: number;
  /** Worker threads for the secp256k1 work (0: on the main thread); default 1. */
  readonly workers?: number;
  /** Ether each of the plan's senders is funded with by account #0; default 20. */
  readonly fundEther?: number;
  /**
   * Mine each phase of a day as few, full blocks (automine off during the run; default) rather than one block per
   * transaction (false: the node's automine).
   */
  readonly fullBlocks?: boolean;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
  /** ABIs (default: read from `artifacts/`). */
  readonly abis?: Readonly<Record<ContractName, Abi>>;
}

/** What a run did. */
export interface LoadReport {
  readonly chainId: number;
  readonly events: number;
  /** Events by name, exactly as the plan produced them (all of its transactions succeeded). */
  readonly counts: EventCounts;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** Seconds of day 0 (funding, accreditation, locations, first lots). */
  readonly setupSeconds: number;
  readonly transactions: number;
  readonly senders: number;
  /** First and last block of the run. */
  readonly blocks: { readonly first: number; readonly last: number };
  /** Chain time of day 0 and of the last block. */
  readonly chainTime: { readonly first: number; readonly last: number };
  readonly days: number;
  readonly batch: number;
  readonly concurrency: number;
  readonly workers: number;
  /** EIP-712 signatures made (ConfirmDose, Grant, Revoke) and the CPU time they took. */
  readonly signing: {
    readonly signatures: number;
    readonly seconds: number;
    readonly microsecondsEach: number;
    /** Citizen addresses derived from keys (secp256k1 public keys). */
    readonly addresses: number;
    readonly addressSeconds: number;
    /** CPU time of signing the run's transactions. */
    readonly transactionSeconds: number;
  };
}

/** One transaction to send. */
interface Tx {
  readonly to: Address;
  readonly data: Hex;
  readonly gas: bigint;
  readonly value?: bigint;
  /** Keyed doses in it, in call order, whose ids are read from its receipt: `${clinic}:${day}` each. */
  readonly keyed?: readonly string[];
}

/** One call of a sender's day, before batching. */
interface Call {
  readonly to: ContractName;
  readonly data: Hex;
  /** Gas budget of the call itself. */
  readonly gas: number;
  readonly events: number;
  /** Authority calls cannot be batched (the authority has no `multicall`). */
  readonly alone?: boolean;
  /** A keyed dose (`${clinic}:${day}`): it goes in a transaction of keyed doses only, whose receipt is read. */
  readonly keyed?: string;
  /** Custody steps (shipment id, step word, out of range?): merged with neighbouring ones into `recordSteps` batches. */
  readonly steps?: readonly Step[];
}
type Step = readonly [Hex, Hex, boolean];

/** Most gas one transaction may ask for (below Osaka's 2^24 per-transaction cap). */
const TX_GAS_CAP = 16_000_000;
const GAS = {
  multicallBase: 40_000,
  perBatchedCall: 4_000,
  calldataByte: 40,
  recordDose: 60_000,
  confirmDoseBySig: 40_000,
  verifyDose: 25_000,
  step: 9_000,
  excursion: 25_000,
  recordSteps: 30_000,
  create: 110_000,
  propose: 60_000,
  accept: 40_000,
  reject: 30_000,
  scan: 50_000,
  grantBySig: 90_000,
  revokeBySig: 60_000,
  logAccess: 15_000,
  anchor: 75_000,
  registerLot: 160_000,
  attest: 90_000,
  incident: 70_000,
  accredit: 150_000,
  grantRole: 100_000,
  location: 120_000,
} as const;
const DAY = 86_400;
const GWEI = 1_000_000_000n;

/** Where the secp256k1 work runs: `workers` worker threads (requests split among them), or this thread. */
interface Signer {
  run(request: SignerRequest): Promise<SignerAnswer>;
  close(): Promise<void>;
}

function signerPool(workers: number): Signer {
  if (workers <= 0) return { run: handle, close: async () => undefined };
  const pending = new Map<number, { resolve: (a: SignerAnswer) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const pool = Array.from({ length: workers }, () => {
    const worker = new Worker(new URL("./loadgen-signer.ts", import.meta.url));
    worker.on("message", (m: { id: number; answer?: SignerAnswer; error?: string }) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.answer !== undefined) p?.resolve(m.answer);
      else p?.reject(new Error(`signer: ${m.error}`));
    });
    worker.on("error", (error) => {
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });
    return worker;
  });
  const one = (worker: Worker, request: SignerRequest): Promise<SignerAnswer> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, request });
    });
  let turn = 0;
  return {
    async run(request) {
      const items: readonly unknown[] = request.kind === "addresses" ? request.keys : request.items;
      // Small requests go to one worker in turn; large ones are split among all.
      const parts = items.length < 64 ? 1 : pool.length;
      const size = Math.ceil(items.length / parts);
      const answers = await Promise.all(
        Array.from({ length: parts }, (_, i) => {
          const slice = items.slice(i * size, (i + 1) * size);
          const part = (
            request.kind === "addresses" ? { kind: "addresses", keys: slice } : { kind: request.kind, items: slice }
          ) as SignerRequest;
          return one(pool[(turn + i) % pool.length], part);
        }),
      );
      turn++;
      return { results: answers.flatMap((a) => a.results), seconds: answers.reduce((a, b) => a + b.seconds, 0) };
    },
    async close() {
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const hexNumber = (value: unknown): number => Number(BigInt(value as string));

/** Run a plan against a chain that has the HealthTrace deployment `contracts`. Throws on the first refused transaction. */
export async function runLoad(options: RunOptions): Promise<LoadReport> {
  const { rpc, contracts, plan } = options;
  const batch = options.batch ?? 200;
  const concurrency = options.concurrency ?? 8;
  const fullBlocks = options.fullBlocks ?? true;
  const log = options.log ?? (() => undefined);
  const abis =
    options.abis ?? (Object.fromEntries(CONTRACT_NAMES.map((n) => [n, artifactAbi(n)])) as Record<ContractName, Abi>);
  const enc = calldataEncoders(abis);
  const { config } = plan;
  const call = (contract: ContractName, functionName: string, args: readonly unknown[]): Hex =>
    encodeFunctionData({ abi: abis[contract], functionName, args } as Parameters<typeof encodeFunctionData>[0]);
  const view = async (contract: ContractName, functionName: string, args: readonly unknown[]): Promise<Hex> =>
    (await rpc("eth_call", [{ to: contracts[contract], data: call(contract, functionName, args) }, "latest"])) as Hex;

  // --- the chain ---
  const chainId = hexNumber(await rpc("eth_chainId"));
  for (const name of CONTRACT_NAMES) {
    if (((await rpc("eth_getCode", [contracts[name], "latest"])) as string).length <= 2) {
      throw new Error(`no ${name} at ${contracts[name]} on chain ${chainId}: deploy HealthTrace first`);
    }
  }
  const devKey = (index: number): Hex =>
    toHex(mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index }).getHdKey().privateKey ?? new Uint8Array());
  const admin = { key: devKey(0), address: mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 0 }).address };
  const regulator = { key: devKey(1), address: mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 1 }).address };
  const isRegulator = await view("HealthTraceAuthority", "hasRole", [ROLE_IDS.REGULATOR_ROLE, regulator.address]);
  if (BigInt(isRegulator) !== 1n)
    throw new Error(`dev account #1 (${regulator.address}) is not a regulator of this deployment`);
  const quorum = Number(BigInt(await view("VaccineRegistry", "releaseQuorum", [])));
  if (quorum !== config.releaseQuorum)
    throw new Error(`the plan is for a release quorum of ${config.releaseQuorum}, the chain's is ${quorum}`);
  const latest = (await rpc("eth_getBlockByNumber", ["latest", false])) as {
    number: string;
    timestamp: string;
    baseFeePerGas?: string;
  };
  const firstBlock = hexNumber(latest.number) + 1;
  const baseFee = BigInt(latest.baseFeePerGas ?? "0x0");
  const maxFeePerGas = 2n * baseFee + 2n * GWEI;
  const fund = BigInt(Math.round((options.fundEther ?? 20) * 1e6)) * 10n ** 12n;
  const adminBalance = BigInt((await rpc("eth_getBalance", [admin.address, "latest"])) as string);
  if (adminBalance < fund * BigInt(plan.cast.length) + 10n ** 18n) {
    throw new Error(
      `dev account #0 has too little ether to fund ${plan.cast.length} senders with ${options.fundEther ?? 20} each`,
    );
  }

  // --- keys and addresses: the secp256k1 work goes to the signer ---
  const signer = signerPool(options.workers ?? 1);
  if (fullBlocks) await rpc("evm_setAutomine", [false]);
  try {
    const keyOf = (what: string): Hex =>
      keccak256(toHex(`healthtrace-loadgen ${what}:${config.seed}:${config.runNumber}`));
    const memberKeys = plan.cast.map((m) => keyOf(`member ${m.label}`));
    const memberAddresses = (await signer.run({ kind: "addresses", keys: memberKeys })).results as Address[];
    const memberAddress = (i: number): Address => memberAddresses[i];
    const citizenAddresses = new Map<number, Address>();
    const citizenKey = (position: number): Hex => keyOf(`citizen ${position % plan.keyedCitizens}`);
    const keyedAddress = (position: number): Address => {
      const address = citizenAddresses.get(position % plan.keyedCitizens);
      if (address === undefined) throw new Error(`citizen ${position % plan.keyedCitizens} has no address yet`);
      return address;
    };
    let addressSeconds = 0;
    const deriveCitizens = async (positions: Iterable<number>): Promise<void> => {
      const missing = [...new Set([...positions].map((p) => p % plan.keyedCitizens))].filter(
        (i) => !citizenAddresses.has(i),
      );
      if (missing.length === 0) return;
      const answer = await signer.run({ kind: "addresses", keys: missing.map(citizenKey) });
      addressSeconds += answer.seconds;
      missing.forEach((i, k) => citizenAddresses.set(i, answer.results[k] as Address));
    };
    const resident = (position: number): string =>
      `0x${keccak256(toHex(`healthtrace-loadgen resident:${config.seed}:${config.runNumber}:${position % plan.residents}`)).slice(26)}`;
    const doseNumberOf = (position: number, pool: number): number => Math.min(10, 1 + Math.floor(position / pool));
    let signatures = 0;
    let signingSeconds = 0;
    let transactionSeconds = 0;
    const vaccineDomain = domainSeparator(VACCINE_DOMAIN, chainId, contracts.VaccineRegistry);
    const consentDomain = domainSeparator(CONSENT_DOMAIN, chainId, contracts.ConsentRegistry);

    // --- what the chain tells us along the way ---
    const lotIds = new Map<number, number>(); // plan lot → on-chain id
    const keyedPositions = new Map<string, number[]>(); // `${clinic}:${day}` → keyed pool positions, in call order
    const doseIds = new Map<string, Hex[]>(); // `${clinic}:${day}` → dose ids, in call order
    const doseRecordedTopic = toEventSelector(
      getAbiItem({ abi: abis.VaccineRegistry, name: "DoseRecorded" }) as Parameters<typeof toEventSelector>[0],
    );
    const shipmentIds = plannedShipmentIds(plan);
    const gln = (member: number): bigint => memberGln(config.runNumber, member);
    const lotId = (lot: number): number => {
      const id = lotIds.get(lot);
      if (id === undefined) throw new Error(`lot ${plan.lots[lot].lotNumber} has no on-chain id yet`);
      return id;
    };

    // --- senders ---
    interface Sender {
      readonly key: Hex;
      readonly address: Address;
      nonce: number;
    }
    const senders = new Map<string, Sender>();
    const senderOf = async (by: Op["by"]): Promise<Sender> => {
      const key = String(by);
      let sender = senders.get(key);
      if (sender === undefined) {
        const account =
          by === "admin"
            ? admin
            : by === "regulator"
              ? regulator
              : { key: memberKeys[by], address: memberAddresses[by] };
        const nonce = hexNumber(await rpc("eth_getTransactionCount", [account.address, "pending"]));
        sender = { key: account.key, address: account.address, nonce };
        senders.set(key, sender);
      }
      return sender;
    };

    // --- ops → calls ---
    const stepWord = (st: PlannedStep): Hex =>
      packStep({
        bizStep: st.bizStep,
        disposition: st.disposition,
        readPoint: gln(st.at),
        eventTime: st.eventTime,
        temperatureCentiC: st.temperatureCentiC,
      }) as Hex;
    /** A call that is a transaction's worth of one function (encoded with viem from the ABI). */
    const single = (
      to: ContractName,
      functionName: string,
      args: readonly unknown[],
      gas: number,
      extra: { events?: number; alone?: boolean } = {},
    ): Call[] => [
      {
        to,
        data: call(to, functionName, args),
        gas,
        events: extra.events ?? 1,
        ...(extra.alone === true ? { alone: true } : {}),
      },
    ];
    /** Digests the op needs signed by citizens (confirmations, grants, revocations), in call order. */
    const digestsOf = (op: Op, day: DayPlan): { hash: Hex; key: Hex }[] => {
      const deadline = day.time + 7 * DAY;
      if (op.t === "confirm") {
        const key = `${op.by}:${op.ofDay}`;
        const ids = doseIds.get(key) ?? [];
        const positions = keyedPositions.get(key) ?? [];
        if (ids.length !== op.n || positions.length !== op.n) {
          throw new Error(
            `clinic ${plan.cast[op.by].label}: ${ids.length} dose ids of day ${op.ofDay} known, ${op.n} to confirm`,
          );
        }
        return ids.map((doseId, k) => ({
          hash: confirmDoseDigest(vaccineDomain, doseId, deadline),
          key: citizenKey(positions[k]),
        }));
      }
      if (op.t === "grant")
        return [
          {
            hash: grantDigest(consentDomain, grantMessage(op.grant, deadline)),
            key: citizenKey(plan.grants[op.grant].citizen),
          },
        ];
      if (op.t === "revoke") {
        return [
          {
            hash: revokeDigest(consentDomain, revokeMessage(op.grant, op.nonceKey, deadline)),
            key: citizenKey(plan.grants[op.grant].citizen),
          },
        ];
      }
      return [];
    };
    const grantMessage = (index: number, deadline: number) => {
      const g = plan.grants[index];
      return {
        citizen: keyedAddress(g.citizen),
        grantee: memberAddress(g.grantee),
        category: g.category,
        purpose: g.purpose,
        expiresAt: g.expiresAt,
        nonce: BigInt(g.index + 1) << 64n,
        deadline,
      };
    };
    const revokeMessage = (index: number, nonceKey: number, deadline: number) => {
      const g = plan.grants[index];
      const nonce = ((1n << 128n) + BigInt(nonceKey)) << 64n; // a key range of its own, apart from the grants'
      return {
        citizen: keyedAddress(g.citizen),
        grantee: memberAddress(g.grantee),
        category: g.category,
        nonce,
        deadline,
      };
    };
    /** Keyed citizens (pool positions) the op names. */
    const citizensOf = (op: Op): number[] => {
      switch (op.t) {
        case "doses":
          return Array.from({ length: op.keyed }, (_, k) => op.keyedFrom + k);
        case "grant":
        case "revoke":
          return [plan.grants[op.grant].citizen];
        case "reads":
          return op.grants.map((g, k) => (g >= 0 ? plan.grants[g].citizen : op.first + k));
        case "anchors":
          return Array.from({ length: op.count }, (_, k) => op.first + k).filter((n) => n % 3 === 0);
        default:
          return [];
      }
    };
    /** The calls of an op; `signed` are its digests' signatures (`digestsOf`), in order. */
    const callsOf = (op: Op, day: DayPlan, signed: readonly Hex[]): Call[] => {
      const deadline = day.time + 7 * DAY;
      switch (op.t) {
        case "fund":
          return []; // a plain transfer: see `prepare`
        case "accredit": {
          const m = plan.cast[op.member];
          const args = [memberAddress(m.index), m.kind, m.district, m.name.en, m.name.zh];
          return single("HealthTraceAuthority", "accredit", args, GAS.accredit, { alone: true });
        }
        case "grantRole":
          return single(
            "HealthTraceAuthority",
            "grantRole",
            [ROLE_IDS[op.role], memberAddress(op.member)],
            GAS.grantRole,
            {
              alone: true,
            },
          );
        case "location": {
          const site = plan.cast[op.by].site ?? "";
          return single("ProvenanceRegistry", "registerLocation", [gln(op.by), site], GAS.location);
        }
        case "registerLot": {
          const lot = plan.lots[op.lot];
          const product = PRODUCTS[lot.product];
          const params = {
            dossierHash: lot.dossier,
            lotNumber: lot.lotNumber,
            gtin: product.gtin,
            manufacturedAt: lot.manufacturedAt,
            doseCount: lot.doseCount,
            expiresAt: lot.expiresAt,
            minTempCentiC: product.range?.min ?? 0,
            maxTempCentiC: product.range?.max ?? 1,
          };
          return single("VaccineRegistry", "registerLot", [params], GAS.registerLot);
        }
        case "attest":
          return single("VaccineRegistry", "attestLot", [lotId(op.lot)], GAS.attest, { events: op.releases ? 2 : 1 });
        case "recall":
          return single("VaccineRegistry", "recallLot", [lotId(op.lot), op.reason], GAS.incident, { alone: true });
        case "quarantine": {
          const evidence = keccak256(toHex(`inspection report ${plan.lots[op.lot].lotNumber}`));
          const args = [lotId(op.lot), op.reason, evidence];
          return single("VaccineRegistry", "quarantineLot", args, GAS.incident, { alone: true });
        }
        case "doses": {
          const id = lotId(op.lot);
          const district = plan.cast[op.by].district;
          const key = `${op.by}:${day.day}`;
          const calls: Call[] = [];
          const positions = keyedPositions.get(key) ?? [];
          keyedPositions.set(key, positions);
          for (let k = 0; k < op.keyed; k++) {
            const position = op.keyedFrom + k;
            positions.push(position);
            const data = enc.recordDose(
              id,
              keyedAddress(position),
              doseNumberOf(position, plan.keyedCitizens),
              district,
            );
            calls.push({ to: "VaccineRegistry", data, gas: GAS.recordDose, events: 1, keyed: key });
          }
          for (let k = 0; k < op.residents; k++) {
            const position = op.residentFrom + k;
            calls.push({
              to: "VaccineRegistry",
              data: enc.recordDose(id, resident(position), doseNumberOf(position, plan.residents), district),
              gas: GAS.recordDose,
              events: 1,
            });
          }
          return calls;
        }
        case "confirm":
          return (doseIds.get(`${op.by}:${op.ofDay}`) ?? []).map((doseId, k) => ({
            to: "VaccineRegistry",
            data: enc.confirmDoseBySig(doseId, deadline, signed[k]),
            gas: GAS.confirmDoseBySig,
            events: 1,
          }));
        case "verify":
          return op.doses.map(([clinic, d, k]) => {
            const doseId = doseIds.get(`${clinic}:${d}`)?.[k];
            if (doseId === undefined) throw new Error(`no dose id for keyed dose ${k} of clinic ${clinic} on day ${d}`);
            return { to: "VaccineRegistry", data: enc.verifyDose(doseId), gas: GAS.verifyDose, events: 1 };
          });
        case "create": {
          const s = plan.shipments[op.shipment];
          const product = PRODUCTS[s.product];
          const params = {
            lotNumber: s.lotNumber,
            serial: s.serial,
            gtin: product.gtin,
            origin: gln(s.manufacturer),
            quantity: s.quantity,
            vaccineLotId: s.lot >= 0 ? lotId(s.lot) : 0,
            coldChain: product.range !== null,
            minTempCentiC: product.range?.min ?? 0,
            maxTempCentiC: product.range?.max ?? 0,
          };
          return single("ProvenanceRegistry", "createShipment", [params], GAS.create);
        }
        case "steps": {
          const id = shipmentIds[op.shipment];
          return [stepsCall(op.steps.map((st) => [id, stepWord(st), st.excursion] as const))];
        }
        case "propose":
          return [
            {
              to: "ProvenanceRegistry",
              data: enc.proposeHandover(shipmentIds[op.shipment], memberAddress(op.to), op.final),
              gas: GAS.propose,
              events: 1,
            },
          ];
        case "accept":
          return [
            {
              to: "ProvenanceRegistry",
              data: enc.acceptHandover(shipmentIds[op.shipment]),
              gas: GAS.accept,
              events: 1,
            },
          ];
        case "reject":
          return [
            {
              to: "ProvenanceRegistry",
              data: enc.rejectHandover(shipmentIds[op.shipment], op.reason),
              gas: GAS.reject,
              events: 1,
            },
          ];
        case "scan": {
          const s = op.shipment >= 0 ? plan.shipments[op.shipment] : null;
          const args =
            s === null
              ? [PRODUCTS[0].gtin, "UNKNOWN", op.unknownSerial, gln(op.by)]
              : [PRODUCTS[s.product].gtin, s.lotNumber, s.serial, gln(op.by)];
          return single("ProvenanceRegistry", "reportSuspectScan", args, GAS.scan);
        }
        case "grant": {
          const m = grantMessage(op.grant, deadline);
          const data = enc.grantBySig(
            m.citizen,
            m.grantee,
            m.category,
            m.purpose,
            m.expiresAt,
            m.nonce,
            m.deadline,
            signed[0],
          );
          return [{ to: "ConsentRegistry", data, gas: GAS.grantBySig, events: 1 }];
        }
        case "revoke": {
          const m = revokeMessage(op.grant, op.nonceKey, deadline);
          const data = enc.revokeBySig(m.citizen, m.grantee, m.category, m.nonce, m.deadline, signed[0]);
          return [{ to: "ConsentRegistry", data, gas: GAS.revokeBySig, events: 1 }];
        }
        case "reads":
          return op.grants.map((grant, k) => {
            const g = grant >= 0 ? plan.grants[grant] : null;
            const citizen = keyedAddress(g === null ? op.first + k : g.citizen);
            const reader = memberAddress(g === null ? plan.cast.findIndex((m) => m.part === "hospital") : g.grantee);
            const recordId = keccak256(
              toHex(`healthtrace-loadgen read:${config.seed}:${config.runNumber}:${op.first + k}`),
            );
            return {
              to: "ConsentRegistry",
              data: enc.logAccess(citizen, reader, g?.category ?? 0, recordId),
              gas: GAS.logAccess,
              events: 1,
            } as const;
          });
        case "anchors":
          return Array.from({ length: op.count }, (_, k) => {
            const n = op.first + k;
            const hash = keccak256(toHex(`healthtrace-loadgen record:${config.seed}:${config.runNumber}:${n}`));
            const subject = n % 3 === 0 ? keyedAddress(n) : resident(n);
            return {
              to: "RecordRegistry",
              data: enc.anchor(subject, Number.parseInt(hash.slice(2, 4), 16) % 6, hash),
              gas: GAS.anchor,
              events: 1,
            } as const;
          });
        default:
          throw new Error(`unknown op ${JSON.stringify(op satisfies never)}`);
      }
    };

    // --- calls → transactions: consecutive calls to one registry share a multicall (steps share a recordSteps) ---
    const stepsCall = (steps: readonly Step[]): Call => {
      const excursions = steps.filter((st) => st[2]).length;
      return {
        to: "ProvenanceRegistry",
        data: "0x",
        gas: GAS.recordSteps + steps.length * GAS.step + excursions * GAS.excursion,
        events: steps.length + excursions,
        steps,
      };
    };
    const bytesOf = (c: Call): number =>
      c.steps !== undefined ? 100 + 64 * c.steps.length : (c.data.length - 2) / 2 + 64;
    const txsOf = (calls: readonly Call[]): Tx[] => {
      const txs: Tx[] = [];
      let group: Call[] = [];
      const sum = (f: (c: Call) => number): number => group.reduce((a, c) => a + f(c), 0);
      const gasOf = (list: readonly Call[], bytes: number): number =>
        list.reduce((a, c) => a + c.gas, 0) +
        bytes * GAS.calldataByte +
        GAS.multicallBase +
        GAS.perBatchedCall * list.length;
      const flush = (): void => {
        if (group.length === 0) return;
        const datas = group.map((c) =>
          c.steps !== undefined ? enc.recordSteps(c.steps.map(([id, w]) => [id, w] as const)) : c.data,
        );
        const data = datas.length === 1 ? datas[0] : enc.multicall(datas);
        const keyed = group.flatMap((c) => (c.keyed === undefined ? [] : [c.keyed]));
        const gas = gasOf(group, (data.length - 2) / 2);
        txs.push({
          to: contracts[group[0].to],
          data,
          gas: BigInt(Math.min(TX_GAS_CAP, gas)),
          ...(keyed.length > 0 ? { keyed } : {}),
        });
        group = [];
      };
      // Calls to one registry go together (keyed doses apart), keeping their order: within a sender's day nothing
      // depends on a call to another registry (the plan's timing rules). Steps beyond a batch are cut into pieces.
      const bucket = (c: Call): string => `${c.to}${c.keyed === undefined ? "" : ":keyed"}`;
      const buckets = new Map<string, Call[]>();
      for (const c of calls) buckets.set(bucket(c), [...(buckets.get(bucket(c)) ?? []), c]);
      const pieces = [...buckets.values()].flat().flatMap((c) => {
        if (c.steps === undefined || c.steps.length <= batch) return [c];
        const out: Call[] = [];
        for (let i = 0; i < c.steps.length; i += batch) out.push(stepsCall(c.steps.slice(i, i + batch)));
        return out;
      });
      for (const c of pieces) {
        const first = group[0];
        const last = group[group.length - 1];
        const joins =
          first !== undefined &&
          c.alone !== true &&
          first.alone !== true &&
          first.to === c.to &&
          (first.keyed !== undefined) === (c.keyed !== undefined) &&
          sum((x) => x.events) + c.events <= batch &&
          gasOf([...group, c], sum(bytesOf) + bytesOf(c)) <= TX_GAS_CAP - 1_000_000;
        if (!joins) flush();
        if (joins && c.steps !== undefined && last?.steps !== undefined && last.steps.length + c.steps.length <= 500) {
          group[group.length - 1] = stepsCall([...last.steps, ...c.steps]);
        } else group.push(c);
      }
      flush();
      return txs;
    };

    // --- a day, prepared: each sender's signed transactions in order ---
    interface Prepared {
      readonly day: DayPlan;
      readonly phases: { readonly sender: Sender; readonly txs: { readonly raw: Hex; readonly tx: Tx }[] }[][];
    }
    const prepare = async (day: DayPlan): Promise<Prepared> => {
      const ops = day.phases.flat();
      await deriveCitizens(ops.flatMap(citizensOf));
      // The day's citizen signatures in one request; the main thread goes on serving the day being sent meanwhile.
      const digests = ops.map((op) => digestsOf(op, day));
      const items = digests.flat();
      const answer = items.length === 0 ? { results: [], seconds: 0 } : await signer.run({ kind: "digests", items });
      signatures += items.length;
      signingSeconds += answer.seconds;
      const signed = new Map<Op, Hex[]>();
      let cursor = 0;
      ops.forEach((op, i) => {
        signed.set(op, answer.results.slice(cursor, cursor + digests[i].length));
        cursor += digests[i].length;
      });
      const unsigned: { sender: Sender; phase: number; tx: Tx; nonce: number }[] = [];
      for (const [phase, phaseOps] of day.phases.entries()) {
        const bySender = new Map<string, Op[]>();
        for (const op of phaseOps) bySender.set(String(op.by), [...(bySender.get(String(op.by)) ?? []), op]);
        for (const list of bySender.values()) {
          const sender = await senderOf(list[0].by);
          // Funding is plain transfers from account #0; everything else goes through the registries.
          const txs: Tx[] = list.flatMap((op) =>
            op.t === "fund" ? [{ to: memberAddress(op.member), data: "0x" as Hex, gas: 21_000n, value: fund }] : [],
          );
          txs.push(...txsOf(list.flatMap((op) => callsOf(op, day, signed.get(op) ?? []))));
          for (const tx of txs) unsigned.push({ sender, phase, tx, nonce: sender.nonce++ });
          await yieldToEventLoop();
        }
      }
      const signedTxs = await signer.run({
        kind: "transactions",
        items: unsigned.map(({ sender, tx, nonce }) => ({
          key: sender.key,
          tx: {
            chainId,
            type: "eip1559",
            to: tx.to,
            data: tx.data,
            value: tx.value ?? 0n,
            nonce,
            gas: tx.gas,
            maxFeePerGas,
            maxPriorityFeePerGas: 1n,
          },
        })),
      });
      transactionSeconds += signedTxs.seconds;
      const phases: Prepared["phases"] = day.phases.map(() => []);
      unsigned.forEach(({ sender, phase, tx }, k) => {
        const jobs = phases[phase];
        let job = jobs.find((j) => j.sender === sender);
        if (job === undefined) {
          job = { sender, txs: [] };
          jobs.push(job);
        }
        job.txs.push({ raw: signedTxs.results[k], tx });
      });
      return { day, phases };
    };

    // --- sending: up to `concurrency` transactions in flight, one per sender ---
    // With `fullBlocks` the node's automine is off while the run lasts: a phase's transactions wait in the mempool and
    // are then mined together, as many per block as its gas limit takes (a real chain carries hundreds of transactions
    // per block; one per block made the chain, and every indexer reading it, pay a block per transaction). The base fee
    // is held at its starting value: full blocks would otherwise raise it 12.5 % a block, past the transactions' fee cap.
    let transactions = 0;
    const execute = async (prepared: Prepared): Promise<void> => {
      const latestTime = hexNumber(
        ((await rpc("eth_getBlockByNumber", ["latest", false])) as { timestamp: string }).timestamp,
      );
      if (prepared.day.time > latestTime) await rpc("evm_setNextBlockTimestamp", [toHex(prepared.day.time)]);
      for (const jobs of prepared.phases) {
        const queue = [...jobs].sort((a, b) => b.txs.length - a.txs.length);
        const sent: { hash: Hex; tx: Tx }[] = [];
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < queue.length) {
            const job = queue[next++];
            for (const { raw, tx } of job.txs) {
              let hash: Hex;
              try {
                hash = (await rpc("eth_sendRawTransaction", [raw])) as Hex;
              } catch (error) {
                const data = error instanceof RpcError ? ` ${JSON.stringify(error.data)?.slice(0, 300)}` : "";
                const nonce = parseTransaction(raw).nonce;
                throw new Error(
                  `day ${prepared.day.day}: a transaction of ${job.sender.address} (nonce ${nonce}) to ${tx.to} was refused: ${(error as Error).message}${data}`,
                );
              }
              transactions++;
              if (fullBlocks) sent.push({ hash, tx });
              else if (tx.keyed !== undefined) await readDoseIds(hash, tx.keyed);
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
        if (!fullBlocks || sent.length === 0) continue;
        // Mined block after block until every transaction has its receipt (a block takes what its gas limit allows). A
        // refusal now shows only in a receipt, so every one is read for its status.
        const receipts: (Receipt | null)[] = sent.map(() => null);
        for (let blocks = 0; receipts.includes(null); blocks++) {
          if (blocks > sent.length) throw new Error(`day ${prepared.day.day}: transactions left unmined in the mempool`);
          await rpc("hardhat_setNextBlockBaseFeePerGas", [toHex(baseFee)]);
          await rpc("evm_mine");
          let read = 0;
          const reader = async (): Promise<void> => {
            while (read < sent.length) {
              const k = read++;
              if (receipts[k] === null) receipts[k] = await receiptOf(sent[k].hash);
            }
          };
          await Promise.all(Array.from({ length: Math.min(concurrency, sent.length) }, reader));
        }
        // The keyed doses' ids in sending order (each sender's in nonce order, as with automine).
        sent.forEach(({ hash, tx }, k) => {
          const receipt = receipts[k];
          if (tx.keyed !== undefined && receipt !== null) takeDoseIds(hash, receipt, tx.keyed);
        });
      }
    };
    interface Receipt {
      readonly status: string;
      readonly logs: readonly { readonly address: string; readonly topics: readonly Hex[] }[];
    }
    /** A transaction's receipt, or null while it waits in the mempool; throws if it reverted. */
    const receiptOf = async (hash: Hex): Promise<Receipt | null> => {
      const receipt = (await rpc("eth_getTransactionReceipt", [hash])) as Receipt | null;
      if (receipt !== null && receipt.status !== "0x1") throw new Error(`transaction ${hash} failed`);
      return receipt;
    };
    const readDoseIds = async (hash: Hex, keyed: readonly string[]): Promise<void> => {
      const receipt = await receiptOf(hash);
      if (receipt === null) throw new Error(`transaction ${hash} was not mined`);
      takeDoseIds(hash, receipt, keyed);
    };
    const takeDoseIds = (hash: Hex, receipt: Receipt, keyed: readonly string[]): void => {
      const ids = receipt.logs
        .filter(
          (l) =>
            l.address.toLowerCase() === contracts.VaccineRegistry.toLowerCase() && l.topics[0] === doseRecordedTopic,
        )
        .map((l) => l.topics[1]);
      if (ids.length !== keyed.length)
        throw new Error(`transaction ${hash}: ${ids.length} doses recorded, ${keyed.length} expected`);
      ids.forEach((id, k) => {
        const list = doseIds.get(keyed[k]) ?? [];
        list.push(id);
        doseIds.set(keyed[k], list);
      });
    };
    const resolveLots = async (day: DayPlan): Promise<void> => {
      for (const lot of plan.lots.filter((l) => l.registeredDay === day.day)) {
        const id = Number(
          BigInt(await view("VaccineRegistry", "lotIdOf", [PRODUCTS[lot.product].gtin, lot.lotNumber])),
        );
        if (id === 0) throw new Error(`lot ${lot.lotNumber} was not registered`);
        lotIds.set(lot.index, id);
      }
    };

    // --- the run: day d is sent while day d+1 is prepared ---
    const started = performance.now();
    let setupSeconds = 0;
    let done = 0;
    let prepared = await prepare(plan.days[0]);
    for (const day of plan.days) {
      const following = day.day + 1 < plan.days.length ? plan.days[day.day + 1] : null;
      // Day d+1 may use what days up to d-1 told (lot ids, dose ids): start preparing it while day d is mined.
      const nextPrepared = following === null || day.day === 0 ? null : prepare(following);
      await execute(prepared);
      await resolveLots(day);
      if (day.day === 0) setupSeconds = (performance.now() - started) / 1000;
      done += totalOf(dayCounts(day));
      if (following !== null) prepared = nextPrepared === null ? await prepare(following) : await nextPrepared;
      const elapsed = (performance.now() - started) / 1000;
      if (day.day % Math.max(1, Math.floor(plan.days.length / 20)) === 0 || following === null) {
        log(
          `day ${day.day + 1}/${plan.days.length}: ${done.toLocaleString("en-US")} events, ${transactions.toLocaleString("en-US")} transactions, ${Math.round(done / elapsed).toLocaleString("en-US")} events/s`,
        );
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const last = (await rpc("eth_getBlockByNumber", ["latest", false])) as { number: string; timestamp: string };
    return {
      chainId,
      events: totalOf(plan.expected),
      counts: { ...plan.expected },
      seconds,
      eventsPerSecond: totalOf(plan.expected) / seconds,
      setupSeconds,
      transactions,
      senders: senders.size,
      blocks: { first: firstBlock, last: hexNumber(last.number) },
      chainTime: { first: plan.days[0].time, last: hexNumber(last.timestamp) },
      days: plan.days.length,
      batch,
      concurrency,
      workers: options.workers ?? 1,
      signing: {
        signatures,
        seconds: signingSeconds,
        microsecondsEach: signatures === 0 ? 0 : (signingSeconds * 1e6) / signatures,
        addresses: citizenAddresses.size,
        addressSeconds,
        transactionSeconds,
      },
    };
  } finally {
    await signer.close();
    // The node is left as it was found: mining each transaction as it comes.
    if (fullBlocks) await rpc("evm_setAutomine", [true]);
  }
}

/** Events a day of the plan produces. */
const dayCounts = (day: DayPlan): EventCounts => countOps(day.phases.flat());

const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");

/** The report as a table: events by name and registry, then the totals. */
export function reportLines(report: LoadReport): string[] {
  const names = (Object.keys(report.counts) as EventName[]).filter((n) => report.counts[n] > 0);
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map(
    (n) =>
      `  ${n.padEnd(width)}  ${EVENT_SOURCES[n].padEnd(20)}  ${fmt(report.counts[n]).padStart(9)}  ${((100 * report.counts[n]) / report.events).toFixed(2).padStart(6)} %`,
  );
  const s = report.signing;
  return [
    ...lines,
    `  ${"total".padEnd(width)}  ${"".padEnd(20)}  ${fmt(report.events).padStart(9)}`,
    "",
    `${fmt(report.events)} events in ${report.seconds.toFixed(1)} s: ${fmt(report.eventsPerSecond)} events/s ` +
      `(${fmt(report.transactions)} transactions from ${report.senders} senders, batches of up to ${report.batch}, ` +
      `${report.concurrency} in flight; set-up ${report.setupSeconds.toFixed(1)} s)`,
    `blocks ${fmt(report.blocks.first)}–${fmt(report.blocks.last)} (${fmt(report.blocks.last - report.blocks.first + 1)}), chain time ${new Date(report.chainTime.first * 1000).toISOString()} → ` +
      `${new Date(report.chainTime.last * 1000).toISOString()} (${report.days} days)`,
    `signing: ${fmt(s.signatures)} EIP-712 signatures in ${s.seconds.toFixed(1)} s (${fmt(s.microsecondsEach)} µs each); ` +
      `${fmt(s.addresses)} citizen addresses derived in ${s.addressSeconds.toFixed(1)} s`,
  ];
}
