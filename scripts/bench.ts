/**
 * HealthTrace benchmark: gas of every user-facing write beside its physical floor, amortised custody-step gas in
 * batches, the Ethereum Attestation Service reference, sustained throughput on a local Hardhat node over HTTP, and
 * what 1,000 recorded events/s would take on an L2. Prints tables and writes `bench/results.json`.
 *
 *   npm run bench                  # full run (30 s per throughput scenario, about 3 minutes in all)
 *   npm run bench -- --quick       # 5 s per throughput scenario
 *   npm run bench -- --seconds 10  # any duration per throughput scenario
 *   npm run bench -- --no-write    # do not write bench/results.json
 *
 * It compiles, then starts its own `hardhat node` on 127.0.0.1:8565 (loopback only; `--port` to change) as a
 * child process, deploys with ethers factories from the compiled artifacts and stops the node when done. It is a
 * measurement, not a test: it never runs in CI or `npm test`.
 *
 * Floors (see /work/shared/reference/gas-physics.md, mirrored in the README's Performance section):
 *   standard = 21,000 + calldata (EIP-2028: 4 per zero byte, 16 per non-zero byte) + LOG cost of the receipt's
 *              logs (375 + 375 × topics + 8 × data bytes; memory expansion ignored) + the storage writes the
 *              operation cannot avoid (listed per write below) + other unavoidable work (ecrecover), minus the
 *              refund those writes earn (capped at a fifth of the gas used, EIP-3529);
 *   EIP-7623   = 21,000 + 10 × (zero bytes + 4 × non-zero bytes);
 *   floor      = max(standard, EIP-7623), and the table says which one applied.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import {
  AbiCoder,
  Contract,
  ContractFactory,
  type ContractTransactionResponse,
  HDNodeWallet,
  type InterfaceAbi,
  JsonRpcProvider,
  type TransactionReceipt,
  Wallet,
  getBytes,
  id,
  keccak256,
  parseEther,
  toUtf8Bytes,
} from "ethers";

import { CONSENT_TYPES } from "./lib/consent-typed-data.ts";
import { gs1CheckDigit } from "./lib/digital-link.ts";
import { HARDHAT_CLI, startHardhatNode } from "./lib/local-chain.ts";
import { Kind, ROLE_IDS } from "./lib/personas.ts";
import { fmt, git, machineInfo, table, versionOf } from "./lib/bench-report.ts";
import { packStep } from "./lib/steps.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MNEMONIC = "test test test test test test test test test test test junk";
const EAS_PACKAGE = "@ethereum-attestation-service/eas-contracts";
const EAS_VERSION = "1.9.0";
const EAS_SCHEMA =
  "bytes32 shipmentId,uint8 bizStep,uint8 disposition,uint64 readPoint,uint40 eventTime,int16 temperatureCentiC";
const L2_TARGETS = [
  { chain: "Base", mgasPerSecond: 25, note: "2 s blocks, 200 M limit, elasticity 4" },
  { chain: "OP Superchain", mgasPerSecond: 27, note: "" },
  { chain: "Ethereum L1", mgasPerSecond: 5, note: "" },
] as const;
const REFERENCE_FILE = "/work/shared/reference/gas-physics.md";

// ---------------------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------------------

const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    seconds: { type: "string" },
    port: { type: "string", default: "8565" },
    "no-write": { type: "boolean", default: false },
    out: { type: "string", default: "bench/results.json" },
  },
});
const SECONDS = opts.seconds !== undefined ? Number(opts.seconds) : opts.quick ? 5 : 30;
if (!Number.isFinite(SECONDS) || SECONDS <= 0 || SECONDS > 600) throw new RangeError("--seconds must be 1–600");
const PORT = Number(opts.port);
const RPC = `http://127.0.0.1:${PORT}`;
const TX_SENDERS = [1, 16, 32] as const;
const BATCH_SIZES = [1, 10, 100, 500] as const;
const THROUGHPUT_BATCHES = [100, 200] as const;
const BATCH_SENDERS = 4;

// ---------------------------------------------------------------------------------------------------------
// The node
// ---------------------------------------------------------------------------------------------------------

function log(msg: string): void {
  process.stderr.write(`\x1b[2m[bench]\x1b[0m ${msg}\n`);
}

let rpcId = 0;
async function rpc<T>(method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(RPC, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

// ---------------------------------------------------------------------------------------------------------
// Artifacts and accounts
// ---------------------------------------------------------------------------------------------------------

interface Artifact {
  abi: InterfaceAbi;
  bytecode: string;
}

function artifact(name: string): Artifact {
  const file = path.join(ROOT, "artifacts", "contracts", `${name}.sol`, `${name}.json`);
  const json = JSON.parse(readFileSync(file, "utf8")) as Artifact;
  return { abi: json.abi, bytecode: json.bytecode };
}

async function deploy(a: Artifact, signer: Wallet, args: unknown[]): Promise<Contract> {
  const c = await new ContractFactory(a.abi, a.bytecode, signer).deploy(...args);
  await c.waitForDeployment();
  return new Contract(await c.getAddress(), a.abi, signer);
}

/**
 * The EAS artifacts compiled by the package itself (a devDependency; its own Hardhat 2 dependency is overridden
 * to this project's Hardhat in package.json, so it adds no second toolchain). Its Solidity pins 0.8.29, so it is
 * deployed from these artifacts rather than compiled here.
 */
function easArtifacts(): { eas: Artifact; schemaRegistry: Artifact } {
  const pkg = path.join(ROOT, "node_modules", ...EAS_PACKAGE.split("/"));
  const installed = JSON.parse(readFileSync(path.join(pkg, "package.json"), "utf8")) as { version: string };
  if (installed.version !== EAS_VERSION) {
    throw new Error(`${EAS_PACKAGE} ${installed.version} is installed, the bench expects ${EAS_VERSION}`);
  }
  const load = (n: string): Artifact => {
    const json = JSON.parse(readFileSync(path.join(pkg, "artifacts", "contracts", `${n}.sol`, `${n}.json`), "utf8"));
    return { abi: json.abi, bytecode: json.bytecode };
  };
  return { eas: load("EAS"), schemaRegistry: load("SchemaRegistry") };
}

function hdWallet(index: number, provider: JsonRpcProvider): Wallet {
  const hd = HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
  return new Wallet(hd.privateKey, provider);
}

function benchWallet(label: string, i: number, provider: JsonRpcProvider): Wallet {
  return new Wallet(keccak256(toUtf8Bytes(`healthtrace-bench:${label}:${i}`)), provider);
}

// ---------------------------------------------------------------------------------------------------------
// GS1 helpers (valid check digits)
// ---------------------------------------------------------------------------------------------------------

const withCheck = (body: bigint): bigint => body * 10n + BigInt(gs1CheckDigit(body.toString()));
const GTIN_VACCINE = withCheck(1_690_123_456_789n);
const GTIN_MASKS = withCheck(690_123_400_050n);
const glnFor = (i: number): bigint => withCheck(690_123_400_001n + BigInt(i));

// ---------------------------------------------------------------------------------------------------------
// Floors
// ---------------------------------------------------------------------------------------------------------

/** What an operation cannot avoid besides calldata and logs. */
interface Unavoidable {
  /** Gas of the storage writes (cold access included). */
  storage: number;
  /** Refund those writes earn (before the EIP-3529 cap). */
  refund: number;
  /** Other unavoidable execution (e.g. ecrecover 3,000). */
  other: number;
  /** What they are, in words. */
  why: string;
}

const NEW_SLOT = 22_100; // zero → non-zero, cold: 20,000 + 2,100
const UPDATE_SLOT = 5_000; // non-zero → non-zero, cold: 2,900 + 2,100
const CLEAR_REFUND = 4_800; // non-zero → zero refund (EIP-3529)

interface Floor {
  gasUsed: number;
  calldataBytes: number;
  zeroBytes: number;
  nonZeroBytes: number;
  calldataStandard: number;
  logs: number;
  logGas: number;
  storage: number;
  refund: number;
  other: number;
  standardFloor: number;
  eip7623Floor: number;
  floor: number;
  rule: "standard" | "EIP-7623";
  ratio: number;
}

function floorOf(data: string, receipt: TransactionReceipt, u: Unavoidable): Floor {
  const bytes = getBytes(data);
  const zeroBytes = bytes.filter((b) => b === 0).length;
  const nonZeroBytes = bytes.length - zeroBytes;
  const calldataStandard = 4 * zeroBytes + 16 * nonZeroBytes;
  let logGas = 0;
  for (const l of receipt.logs) logGas += 375 + 375 * l.topics.length + 8 * getBytes(l.data).length;
  const beforeRefund = 21_000 + calldataStandard + logGas + u.storage + u.other;
  const refund = Math.min(u.refund, Math.floor(beforeRefund / 5));
  const standardFloor = beforeRefund - refund;
  const eip7623Floor = 21_000 + 10 * (zeroBytes + 4 * nonZeroBytes);
  const floor = Math.max(standardFloor, eip7623Floor);
  const gasUsed = Number(receipt.gasUsed);
  return {
    gasUsed,
    calldataBytes: bytes.length,
    zeroBytes,
    nonZeroBytes,
    calldataStandard,
    logs: receipt.logs.length,
    logGas,
    storage: u.storage,
    refund,
    other: u.other,
    standardFloor,
    eip7623Floor,
    floor,
    rule: standardFloor >= eip7623Floor ? "standard" : "EIP-7623",
    ratio: gasUsed / floor,
  };
}

interface WriteResult extends Floor {
  write: string;
  unavoidable: string;
}

async function measure(
  write: string,
  u: Unavoidable,
  send: Promise<ContractTransactionResponse>,
): Promise<{ row: WriteResult; receipt: TransactionReceipt }> {
  const tx = await send;
  const receipt = await tx.wait();
  if (receipt === null || receipt.status !== 1) throw new Error(`${write}: transaction failed`);
  return { row: { write, unavoidable: u.why, ...floorOf(tx.data, receipt, u) }, receipt };
}

// ---------------------------------------------------------------------------------------------------------
// Throughput: raw signed transactions over HTTP, one closed loop per sender
// ---------------------------------------------------------------------------------------------------------

interface Sender {
  wallet: Wallet;
  nonce: number;
}

interface ThroughputResult {
  scenario: string;
  senders: number;
  stepsPerTx: number;
  seconds: number;
  transactions: number;
  events: number;
  txPerSecond: number;
  eventsPerSecond: number;
  failed: number;
  receiptsChecked: number;
}

async function sustained(
  scenario: string,
  senders: Sender[],
  stepsPerTx: number,
  seconds: number,
  chainId: bigint,
  dataFor: (senderIndex: number, round: number) => string,
  to: string,
  gasLimit: bigint,
): Promise<ThroughputResult> {
  const end = Date.now() + seconds * 1000;
  const start = Date.now();
  const hashes: string[][] = senders.map(() => []);
  let failed = 0;
  await Promise.all(
    senders.map(async (s, i) => {
      let round = 0;
      while (Date.now() < end) {
        const raw = await s.wallet.signTransaction({
          to,
          data: dataFor(i, round),
          nonce: s.nonce,
          gasLimit,
          maxFeePerGas: 10_000_000_000n,
          maxPriorityFeePerGas: 1n,
          chainId,
          type: 2,
        });
        try {
          hashes[i].push(await rpc<string>("eth_sendRawTransaction", [raw]));
          s.nonce++;
        } catch (e) {
          failed++;
          if (failed > 10) throw e;
          // A failed submission does not consume the nonce: resync from the chain.
          s.nonce = Number(await rpc<string>("eth_getTransactionCount", [s.wallet.address, "pending"]));
        }
        round++;
      }
    }),
  );
  const elapsed = (Date.now() - start) / 1000;
  // Every sender's last transaction plus an even sample of the rest must have succeeded with the expected events.
  const all = hashes.flat();
  const step = Math.max(1, Math.floor(all.length / 200));
  const sample = new Set<string>([...hashes.map((h) => h[h.length - 1]).filter((h) => h !== undefined)]);
  for (let k = 0; k < all.length; k += step) sample.add(all[k]);
  let checked = 0;
  for (const h of sample) {
    const r = await rpc<{ status: string; logs: unknown[] } | null>("eth_getTransactionReceipt", [h]);
    if (r === null || r.status !== "0x1" || r.logs.length !== stepsPerTx) {
      throw new Error(`${scenario}: transaction ${h} failed or recorded ${r?.logs.length} events`);
    }
    checked++;
  }
  const transactions = all.length;
  return {
    scenario,
    senders: senders.length,
    stepsPerTx,
    seconds: Math.round(elapsed * 100) / 100,
    transactions,
    events: transactions * stepsPerTx,
    txPerSecond: Math.round((transactions / elapsed) * 10) / 10,
    eventsPerSecond: Math.round(((transactions * stepsPerTx) / elapsed) * 10) / 10,
    failed,
    receiptsChecked: checked,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  log("compiling (hardhat compile)");
  execFileSync(process.execPath, [HARDHAT_CLI, "compile", "--quiet"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  let easError: string | null = null;
  let easArt: { eas: Artifact; schemaRegistry: Artifact } | null = null;
  try {
    easArt = easArtifacts();
  } catch (e) {
    easError = `could not obtain ${EAS_PACKAGE}@${EAS_VERSION} from the npm registry: ${(e as Error).message}`;
    log(easError);
  }

  log(`starting hardhat node on ${RPC}`);
  const node = await startHardhatNode(PORT);
  const stop = () => {
    void node.stop();
  };
  process.once("SIGINT", () => {
    stop();
    process.exit(130);
  });
  try {
    await run(easArt, easError);
  } finally {
    stop();
  }
}

async function run(easArt: { eas: Artifact; schemaRegistry: Artifact } | null, easErrorIn: string | null): Promise<void> {
  let easError = easErrorIn;
  const provider = new JsonRpcProvider(RPC, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  const { chainId } = await provider.getNetwork();
  const clientVersion = await rpc<string>("web3_clientVersion");
  const [admin, regulator, manufacturer, lab, lab2, carrier, warehouse, clinic, vault, citizen, citizen2, relayer] =
    Array.from({ length: 12 }, (_, i) => hdWallet(i, provider));

  // --- deployment, as ignition/modules/HealthTrace.ts (account 0 admin, account 1 first regulator, quorum 2) ---
  log("deploying HealthTrace");
  const authority = await deploy(artifact("HealthTraceAuthority"), admin, [
    2n * 24n * 60n * 60n,
    admin.address,
    regulator.address,
    310000n,
    "Shanghai Municipal Health Commission",
    "上海市卫生健康委员会",
  ]);
  const consent = await deploy(artifact("ConsentRegistry"), admin, [await authority.getAddress()]);
  const vaccines = await deploy(artifact("VaccineRegistry"), admin, [await authority.getAddress(), 2n]);
  const provenance = await deploy(artifact("ProvenanceRegistry"), admin, [
    await authority.getAddress(),
    await vaccines.getAddress(),
  ]);
  const reg = authority.connect(regulator) as Contract;
  const vaccinesAsRegulator = vaccines.connect(regulator) as Contract;
  await (await vaccinesAsRegulator.getFunction("setColdChainReporter")(await provenance.getAddress())).wait();

  const accredit = async (w: Wallet, kind: number, name: string, roles: (keyof typeof ROLE_IDS)[]) => {
    await (await reg.getFunction("accredit")(w.address, kind, 310104, name, name)).wait();
    for (const r of roles) await (await reg.getFunction("grantRole")(ROLE_IDS[r], w.address)).wait();
  };
  log("accrediting organisations");
  await accredit(manufacturer, Kind.Manufacturer, "Shanghai Institute of Biological Products", ["MANUFACTURER_ROLE"]);
  await accredit(lab, Kind.Lab, "Shanghai Institute for Food and Drug Control", ["LOT_ATTESTER_ROLE"]);
  await accredit(lab2, Kind.Lab, "Second release lab", ["LOT_ATTESTER_ROLE"]);
  await accredit(carrier, Kind.Carrier, "Shanghai Cold Chain Logistics", ["CARRIER_ROLE"]);
  await accredit(warehouse, Kind.Warehouse, "Baoshan Medical Warehouse", ["WAREHOUSE_ROLE"]);
  await accredit(clinic, Kind.Clinic, "Xuhui Community Health Center", ["CLINIC_ROLE"]);
  await accredit(vault, Kind.Regulator, "Shanghai Health Record Vault", ["GATEKEEPER_ROLE"]);

  const as = (c: Contract, w: Wallet) => c.connect(w) as Contract;
  const now = async (): Promise<number> => (await provider.getBlock("latest"))?.timestamp ?? 0;
  const { chainId: cid } = await provider.getNetwork();
  const rows: WriteResult[] = [];

  // --- 1. every user-facing write ---
  log("measuring user-facing writes");
  const t0 = BigInt(await now());
  const expiry = t0 + 365n * 86_400n;
  rows.push(
    (
      await measure(
        "consent: grant (first)",
        { storage: NEW_SLOT, refund: 0, other: 0, why: "one new grant slot (22,100)" },
        as(consent, citizen).getFunction("grant")(clinic.address, 0, 0, expiry),
      )
    ).row,
  );
  rows.push(
    (
      await measure(
        "consent: revoke",
        { storage: UPDATE_SLOT, refund: CLEAR_REFUND, other: 0, why: "clear the grant slot (5,000, refund 4,800)" },
        as(consent, citizen).getFunction("revoke")(clinic.address, 0),
      )
    ).row,
  );
  const consentDomain = { name: "HealthTrace Consent", version: "1", chainId: cid, verifyingContract: await consent.getAddress() };
  const grantMsg = {
    citizen: citizen2.address,
    grantee: clinic.address,
    category: 1,
    purpose: 0,
    expiresAt: expiry,
    nonce: 0n,
    deadline: expiry,
  };
  const grantSig = await citizen2.signTypedData(consentDomain, { Grant: [...CONSENT_TYPES.Grant] }, grantMsg);
  rows.push(
    (
      await measure(
        "consent: grantBySig (relayed)",
        {
          storage: 2 * NEW_SLOT,
          refund: 0,
          other: 3_000,
          why: "new grant slot + first nonce of its key (2 × 22,100) + ecrecover 3,000",
        },
        as(consent, relayer).getFunction("grantBySig")(
          grantMsg.citizen,
          grantMsg.grantee,
          grantMsg.category,
          grantMsg.purpose,
          grantMsg.expiresAt,
          grantMsg.nonce,
          grantMsg.deadline,
          grantSig,
        ),
      )
    ).row,
  );
  rows.push(
    (
      await measure(
        "consent: logAccess (read log)",
        { storage: 0, refund: 0, other: 0, why: "none: an event" },
        as(consent, vault).getFunction("logAccess")(citizen2.address, clinic.address, 1, id("record-1")),
      )
    ).row,
  );

  const lot = {
    dossierHash: id("lot-release dossier: SIBP-2022-0412"),
    lotNumber: "SIBP-2022-0412",
    gtin: GTIN_VACCINE,
    manufacturedAt: t0 - 30n * 86_400n,
    doseCount: 1_000n,
    expiresAt: t0 + 365n * 86_400n,
    minTempCentiC: 200n,
    maxTempCentiC: 800n,
  };
  rows.push(
    (
      await measure(
        "vaccine: registerLot",
        {
          storage: 2 * NEW_SLOT + UPDATE_SLOT,
          refund: 0,
          other: 0,
          why: "new lot slot + (GTIN, lot) uniqueness index (2 × 22,100) + lot counter (5,000)",
        },
        as(vaccines, manufacturer).getFunction("registerLot")(lot),
      )
    ).row,
  );
  const attestU: Unavoidable = {
    storage: NEW_SLOT + UPDATE_SLOT,
    refund: 0,
    other: 0,
    why: "new per-attester flag (22,100) + lot slot count (5,000)",
  };
  rows.push((await measure("vaccine: attestLot (1 of 2)", attestU, as(vaccines, lab).getFunction("attestLot")(1))).row);
  rows.push(
    (await measure("vaccine: attestLot (releasing)", attestU, as(vaccines, lab2).getFunction("attestLot")(1))).row,
  );
  const dose = await measure(
    "vaccine: recordDose",
    { storage: NEW_SLOT + UPDATE_SLOT, refund: 0, other: 0, why: "new dose slot (22,100) + lot dose counter (5,000)" },
    as(vaccines, clinic).getFunction("recordDose")(1, citizen.address, 1, 310104),
  );
  rows.push(dose.row);
  const doseId = dose.receipt.logs[0].topics[1];
  rows.push(
    (
      await measure(
        "vaccine: confirmDose",
        { storage: UPDATE_SLOT, refund: 0, other: 0, why: "dose flags update (5,000)" },
        as(vaccines, citizen).getFunction("confirmDose")(doseId),
      )
    ).row,
  );

  // Locations and shipments
  const mfg = as(provenance, manufacturer);
  await (await mfg.getFunction("registerLocation")(glnFor(0), "SIBP Minhang plant")).wait();
  const shipment = (serial: string, vaccineLotId = 0n) => ({
    lotNumber: vaccineLotId === 0n ? "MASK-2022-04" : "SIBP-2022-0412",
    serial,
    gtin: vaccineLotId === 0n ? GTIN_MASKS : GTIN_VACCINE,
    origin: glnFor(0),
    quantity: 1_000n,
    vaccineLotId,
    coldChain: true,
    minTempCentiC: 200n,
    maxTempCentiC: 800n,
  });
  const shipmentId = (p: { gtin: bigint; lotNumber: string; serial: string }) =>
    keccak256(AbiCoder.defaultAbiCoder().encode(["uint64", "string", "string"], [p.gtin, p.lotNumber, p.serial]));
  const created = await measure(
    "provenance: createShipment",
    { storage: NEW_SLOT, refund: 0, other: 0, why: "new shipment slot (22,100)" },
    mfg.getFunction("createShipment")(shipment("PALLET-0001", 1n)),
  );
  rows.push(created.row);
  const sid = shipmentId(shipment("PALLET-0001", 1n));
  const eventTime = Number(t0) - 60;
  const step = (bizStep: number, disposition: number, readPoint: bigint, temp: number | null) =>
    packStep({ bizStep, disposition, readPoint, eventTime, temperatureCentiC: temp });
  const stepWord = step(3, 1, glnFor(0), 450); // shipping, in_transit, at the plant, 4.50 °C
  const stepRow = await measure(
    "provenance: recordStep",
    { storage: 0, refund: 0, other: 0, why: "none: an event" },
    mfg.getFunction("recordStep")(sid, stepWord),
  );
  rows.push(stepRow.row);
  rows.push(
    (
      await measure(
        "provenance: proposeHandover",
        { storage: NEW_SLOT, refund: 0, other: 0, why: "new hand-over slot (22,100)" },
        mfg.getFunction("proposeHandover")(sid, carrier.address, false),
      )
    ).row,
  );
  rows.push(
    (
      await measure(
        "provenance: acceptHandover",
        {
          storage: 2 * UPDATE_SLOT,
          refund: CLEAR_REFUND,
          other: 0,
          why: "holder update (5,000) + clear the proposal (5,000, refund 4,800)",
        },
        as(provenance, carrier).getFunction("acceptHandover")(sid),
      )
    ).row,
  );

  // --- 2. batches of distinct shipments held by the manufacturer ---
  log("creating shipments for the batches");
  const pipelined = async (w: Wallet, datas: { to: string; data: string; value?: bigint }[], gasLimit: bigint) => {
    let nonce = await provider.getTransactionCount(w.address, "pending");
    const sent: Promise<string>[] = [];
    for (const d of datas) {
      const raw = await w.signTransaction({
        ...d,
        nonce: nonce++,
        gasLimit,
        maxFeePerGas: 10_000_000_000n,
        maxPriorityFeePerGas: 1n,
        chainId: cid,
        type: 2,
      });
      sent.push(rpc<string>("eth_sendRawTransaction", [raw]));
    }
    const hashes = await Promise.all(sent);
    for (const h of hashes) {
      const r = await provider.getTransactionReceipt(h);
      if (r === null || r.status !== 1) throw new Error(`setup transaction ${h} failed`);
    }
  };
  const provAddr = await provenance.getAddress();
  const createShipments = async (w: Wallet, prefix: string, count: number): Promise<string[]> => {
    const params = Array.from({ length: count }, (_, i) => ({ ...shipment(`${prefix}-${i}`), coldChain: false, minTempCentiC: 0n, maxTempCentiC: 0n }));
    const origin = params[0].origin;
    const withOrigin = params.map((p) => ({ ...p, origin }));
    await pipelined(
      w,
      withOrigin.map((p) => ({ to: provAddr, data: provenance.interface.encodeFunctionData("createShipment", [p]) })),
      500_000n,
    );
    return withOrigin.map(shipmentId);
  };
  const batchShipments = await createShipments(manufacturer, "BATCH", 500);
  const batches: (Floor & { steps: number; gasPerStep: number; floorPerStep: number })[] = [];
  for (const n of BATCH_SIZES) {
    const inputs = batchShipments.slice(0, n).map((s) => ({ shipmentId: s, step: stepWord }));
    const r = await measure(
      `recordSteps ×${n}`,
      { storage: 0, refund: 0, other: 0, why: "none: events" },
      mfg.getFunction("recordSteps")(inputs),
    );
    batches.push({ ...r.row, steps: n, gasPerStep: r.row.gasUsed / n, floorPerStep: r.row.floor / n });
  }

  // --- 3. EAS reference ---
  let easResult: (Floor & { schema: string; version: string; vsRecordStep: number }) | null = null;
  if (easArt !== null) {
    try {
      log(`deploying EAS ${EAS_VERSION} from the package's compiled artifacts`);
      const schemaRegistry = await deploy(easArt.schemaRegistry, admin, []);
      const eas = await deploy(easArt.eas, admin, [await schemaRegistry.getAddress()]);
      const regTx = await schemaRegistry.getFunction("register")(EAS_SCHEMA, "0x" + "00".repeat(20), true);
      const regReceipt = await regTx.wait();
      const schemaUid = regReceipt?.logs[0]?.topics[1];
      if (schemaUid === undefined) throw new Error("schema registration emitted no uid");
      const data = AbiCoder.defaultAbiCoder().encode(
        ["bytes32", "uint8", "uint8", "uint64", "uint40", "int16"],
        [sid, 3, 1, glnFor(0), eventTime, 450],
      );
      const att = await measure(
        "EAS attest()",
        { storage: 0, refund: 0, other: 0, why: "same information as a custody step: none needed (EAS stores it)" },
        as(eas, manufacturer).getFunction("attest")({
          schema: schemaUid,
          data: {
            recipient: "0x" + "00".repeat(20),
            expirationTime: 0n,
            revocable: true,
            refUID: "0x" + "00".repeat(32),
            data,
            value: 0n,
          },
        }),
      );
      easResult = { ...att.row, schema: EAS_SCHEMA, version: EAS_VERSION, vsRecordStep: att.row.gasUsed / stepRow.row.gasUsed };
    } catch (e) {
      easError = `EAS deployment or attest failed: ${(e as Error).message}`;
      log(easError);
    }
  }

  // --- 4. throughput ---
  log("funding and accrediting 32 carriers, handing each its own shipment");
  const maxSenders = Math.max(...TX_SENDERS);
  const carriers = Array.from({ length: maxSenders }, (_, i) => benchWallet("carrier", i, provider));
  const batchers = Array.from({ length: BATCH_SENDERS }, (_, i) => benchWallet("manufacturer", i, provider));
  await pipelined(
    admin,
    [...carriers, ...batchers].map((w) => ({ to: w.address, data: "0x", value: parseEther("100") })),
    21_000n,
  );
  const authAddr = await authority.getAddress();
  const accreditData = (w: Wallet, kind: number, i: number) =>
    authority.interface.encodeFunctionData("accredit", [w.address, kind, 310104, `Bench org ${i}`, `Bench org ${i}`]);
  const grantData = (w: Wallet, roleName: keyof typeof ROLE_IDS) =>
    authority.interface.encodeFunctionData("grantRole", [ROLE_IDS[roleName], w.address]);
  await pipelined(
    regulator,
    [
      ...carriers.flatMap((w, i) => [
        { to: authAddr, data: accreditData(w, Kind.Carrier, i) },
        { to: authAddr, data: grantData(w, "CARRIER_ROLE") },
      ]),
      ...batchers.flatMap((w, i) => [
        { to: authAddr, data: accreditData(w, Kind.Manufacturer, 100 + i) },
        { to: authAddr, data: grantData(w, "MANUFACTURER_ROLE") },
      ]),
    ],
    500_000n,
  );
  const carrierShipments = await createShipments(manufacturer, "CARRIER", maxSenders);
  await pipelined(
    manufacturer,
    carriers.map((w, i) => ({
      to: provAddr,
      data: provenance.interface.encodeFunctionData("proposeHandover", [carrierShipments[i], w.address, false]),
    })),
    500_000n,
  );
  for (const [i, w] of carriers.entries()) {
    await pipelined(
      w,
      [{ to: provAddr, data: provenance.interface.encodeFunctionData("acceptHandover", [carrierShipments[i]]) }],
      500_000n,
    );
  }
  log(`creating ${BATCH_SENDERS} × ${Math.max(...THROUGHPUT_BATCHES)} shipments for the batch senders`);
  const batcherShipments: string[][] = [];
  for (const [i, w] of batchers.entries()) {
    await pipelined(
      w,
      [{ to: provAddr, data: provenance.interface.encodeFunctionData("registerLocation", [glnFor(10 + i), `Bench plant ${i}`]) }],
      500_000n,
    );
    const n = Math.max(...THROUGHPUT_BATCHES);
    const params = Array.from({ length: n }, (_, k) => ({ ...shipment(`B${i}-${k}`), origin: glnFor(10 + i), coldChain: false, minTempCentiC: 0n, maxTempCentiC: 0n }));
    await pipelined(
      w,
      params.map((p) => ({ to: provAddr, data: provenance.interface.encodeFunctionData("createShipment", [p]) })),
      500_000n,
    );
    batcherShipments.push(params.map(shipmentId));
  }

  const throughput: ThroughputResult[] = [];
  const singleData = carriers.map((_, i) =>
    provenance.interface.encodeFunctionData("recordStep", [carrierShipments[i], stepWord]),
  );
  for (const n of TX_SENDERS) {
    log(`throughput: single custody steps, ${n} sender(s), ${SECONDS} s`);
    const senders: Sender[] = [];
    for (const w of carriers.slice(0, n)) senders.push({ wallet: w, nonce: await provider.getTransactionCount(w.address, "pending") });
    throughput.push(
      await sustained(`recordStep, ${n} sender${n > 1 ? "s" : ""}`, senders, 1, SECONDS, chainId, (i) => singleData[i], provAddr, 200_000n),
    );
  }
  for (const size of THROUGHPUT_BATCHES) {
    log(`throughput: batches of ${size}, ${BATCH_SENDERS} senders, ${SECONDS} s`);
    const datas = batchers.map((_, i) =>
      provenance.interface.encodeFunctionData("recordSteps", [
        batcherShipments[i].slice(0, size).map((s) => ({ shipmentId: s, step: stepWord })),
      ]),
    );
    const senders: Sender[] = [];
    for (const w of batchers) senders.push({ wallet: w, nonce: await provider.getTransactionCount(w.address, "pending") });
    throughput.push(
      await sustained(`recordSteps ×${size}, ${BATCH_SENDERS} senders`, senders, size, SECONDS, chainId, (i) => datas[i], provAddr, BigInt(size) * 12_000n + 100_000n),
    );
  }

  // --- 5. L2 ---
  const per100 = batches.find((b) => b.steps === 100);
  if (per100 === undefined) throw new Error("no batch of 100");
  const gasPerSecond = per100.gasPerStep * 1000;
  const l2 = L2_TARGETS.map((t) => ({
    ...t,
    gasPerSecondNeeded: Math.round(gasPerSecond),
    share: gasPerSecond / (t.mgasPerSecond * 1e6),
  }));

  // --- output ---
  const writesTable = table(
    ["write", "gas", "floor", "rule", "gas/floor", "calldata B (0/≠0)", "logs gas", "storage", "unavoidable beyond calldata and logs"],
    rows.map((r) => [
      r.write,
      fmt(r.gasUsed),
      fmt(r.floor),
      r.rule,
      r.ratio.toFixed(2),
      `${r.calldataBytes} (${r.zeroBytes}/${r.nonZeroBytes})`,
      fmt(r.logGas),
      fmt(r.storage + r.other - r.refund),
      r.unavoidable,
    ]),
  );
  const batchTable = table(
    ["batch (distinct shipments)", "gas", "gas/step", "floor/step", "rule", "gas/floor"],
    batches.map((b) => [String(b.steps), fmt(b.gasUsed), fmt(b.gasPerStep), fmt(b.floorPerStep), b.rule, b.ratio.toFixed(2)]),
  );
  const easTable =
    easResult === null
      ? `EAS reference not measured: ${easError}`
      : table(
          ["reference", "gas", "floor", "rule", "gas/floor", "× recordStep"],
          [
            ["HealthTrace recordStep", fmt(stepRow.row.gasUsed), fmt(stepRow.row.floor), stepRow.row.rule, stepRow.row.ratio.toFixed(2), "1.00"],
            [`EAS ${EAS_VERSION} attest() (6-field schema, no resolver)`, fmt(easResult.gasUsed), fmt(easResult.floor), easResult.rule, easResult.ratio.toFixed(2), easResult.vsRecordStep.toFixed(2)],
          ],
        );
  const tpTable = table(
    ["scenario (HTTP, automine)", "senders", "s", "tx", "tx/s", "events/s", "receipts checked"],
    throughput.map((t) => [t.scenario, String(t.senders), t.seconds.toFixed(1), fmt(t.transactions), t.txPerSecond.toFixed(1), t.eventsPerSecond.toFixed(1), String(t.receiptsChecked)]),
  );
  const l2Table = table(
    ["target", "Mgas/s", "needed for 1,000 events/s", "share"],
    l2.map((t) => [t.chain, String(t.mgasPerSecond), `${(t.gasPerSecondNeeded / 1e6).toFixed(2)} Mgas/s`, `${(t.share * 100).toFixed(1)} %`]),
  );

  const machine = machineInfo();
  const versions = {
    hardhat: versionOf("hardhat"),
    edr: versionOf("@nomicfoundation/edr"),
    solc: versionOf("solc"),
    ethers: versionOf("ethers"),
    clientVersion,
    optimizer: "enabled, 200 runs, evmVersion prague (hardhat.config.ts)",
  };
  const header = [
    `HealthTrace benchmark — ${new Date().toISOString()}`,
    `${machine.cpu} × ${machine.cores}, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}`,
    `Hardhat ${versions.hardhat}, EDR ${versions.edr} (${clientVersion}), solc ${versions.solc}; git ${git(["rev-parse", "--short", "HEAD"])}${git(["status", "--porcelain", "contracts"]) === "" ? "" : " (contracts modified)"}`,
  ].join("\n");
  const output = [
    header,
    "",
    "1. User-facing writes (floor = max(standard, EIP-7623); standard = 21,000 + calldata + LOG + unavoidable storage − capped refund)",
    writesTable,
    "",
    "2. Custody steps batched with recordSteps (one step per distinct shipment)",
    batchTable,
    "",
    "3. Reference: the same custody step as an Ethereum Attestation Service attestation",
    easTable,
    "",
    `4. Sustained throughput, local hardhat node over HTTP (${SECONDS} s per scenario, loopback)`,
    tpTable,
    "",
    `5. 1,000 recorded events/s at ${fmt(per100.gasPerStep)} gas per step (batch of 100) — targets from ${REFERENCE_FILE}`,
    l2Table,
  ].join("\n");
  process.stdout.write(`${output}\n`);

  if (!opts["no-write"]) {
    const out = path.resolve(ROOT, opts.out);
    mkdirSync(path.dirname(out), { recursive: true });
    const results = {
      schema: "healthtrace-bench/1",
      date: new Date().toISOString(),
      mode: opts.quick ? "quick" : "full",
      throughputSeconds: SECONDS,
      git: { commit: git(["rev-parse", "HEAD"]), contractsModified: git(["status", "--porcelain", "contracts"]) !== "" },
      machine,
      versions,
      chainId: Number(chainId),
      floorModel: {
        intrinsic: 21_000,
        calldata: "EIP-2028: 4 per zero byte, 16 per non-zero byte",
        eip7623: "21,000 + 10 × (zero + 4 × non-zero); the transaction pays at least this",
        log: "375 + 375 × topics + 8 × data bytes (memory expansion ignored)",
        storage: { newSlotCold: NEW_SLOT, updateSlotCold: UPDATE_SLOT, clearRefund: CLEAR_REFUND, refundCap: "gas/5 (EIP-3529)" },
        reference: REFERENCE_FILE,
      },
      writes: rows,
      batches,
      eas: easResult ?? { error: easError },
      easSourceSha256: easArt === null ? null : createHash("sha256").update(easArt.eas.bytecode).digest("hex"),
      throughput,
      l2: { perStepGasAtBatch100: per100.gasPerStep, eventsPerSecond: 1000, targets: l2 },
    };
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    log(`wrote ${path.relative(ROOT, out)}`);
  }
}

await main();
