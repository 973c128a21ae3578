/**
 * HealthTrace supplier CLI: what a warehouse terminal scripts against the ProvenanceRegistry.
 *
 *   node scripts/supplier.ts <command> [options]        (Node ≥ 22.18 runs TypeScript natively)
 *   npm run supplier -- <command> [options]
 *
 * Run `node scripts/supplier.ts help` for the commands. Every input is checked before any transaction (GS1 check
 * digits, set-82 lot and serial, CBV names, temperatures, times, who holds the shipment), each transaction is
 * simulated first (ethers estimates its gas), and every refusal of the contract is decoded with the ABI and told
 * as a sentence. Exit codes: 0 done, 1 refused or failed, 2 bad usage, 3 a scan is suspect.
 */
import { parseArgs } from "node:util";

import {
  BaseContract,
  type ContractTransactionResponse,
  getAddress,
  HDNodeWallet,
  type Interface,
  type JsonRpcProvider,
  type TransactionReceipt,
  Wallet,
  ZeroAddress,
} from "ethers";
import QRCode from "qrcode";

import type { ProvenanceRegistry } from "../types/ethers-contracts/index.js";
import {
  aiValueProblem,
  buildDigitalLink,
  DigitalLinkError,
  gln13,
  gs1CheckDigit,
  normalizeGtin,
  type ShipmentIdentity,
} from "./lib/digital-link.ts";
import {
  artifactInterface,
  CliError,
  connect,
  fetchProvenanceEvents,
  refusalSentence,
  resolveRegistry,
  shipmentArgument,
  shipmentIdOf,
} from "./lib/provenance-chain.ts";
import type { ProvenanceEvent, ShipmentCreatedEvent } from "./lib/epcis.ts";
import { LOCAL_CHAIN_ID } from "./lib/local-chain.ts";
import { DEV_MNEMONIC } from "./lib/personas.ts";
import {
  bizStepTerm,
  describeStep,
  dispositionTerm,
  formatCelsius,
  packStep,
  parseBizStep,
  parseCelsius,
  parseDisposition,
  parseRejectReason,
  rejectReason,
  scanVerdict,
  unpackStep,
} from "./lib/steps.ts";

const USAGE = `HealthTrace supplier CLI — shipments, labels, custody steps, hand-overs and scans.

Usage: node scripts/supplier.ts <command> [options]

Commands:
  register-location --gln <GLN> --name <text>
      Register a location (13-digit GLN with a valid check digit; name 1–64 bytes) of your organisation.
  create-shipment --gtin <GTIN> --lot <lot> --serial <serial> --quantity <n> --origin <GLN>
                  [--min-temp <°C> --max-temp <°C>] [--vaccine-lot <id>] [--label <file.png>]
      Create a shipment (manufacturers): its GS1 identity, units, origin location (yours), optional cold-chain
      range in °C and the vaccine lot it carries; --label also writes its QR label.
  label (--shipment <id|Digital Link> | --gtin <GTIN> --lot <lot> --serial <serial>) [--out <file.png>] [--show]
      Write the shipment's QR label as a PNG (default label-<serial>.png) and print its GS1 Digital Link;
      --show also draws the QR code in the terminal. Refused for an identity the registry never issued.
  step --shipment <id|Digital Link> --biz-step <CBV name> --disposition <CBV name> --gln <GLN>
       [--temp <°C>] [--time <ISO 8601 with zone | Unix seconds>]
      Record a custody step as the holder (time defaults to now). bizSteps: commissioning, packing, loading,
      shipping, departing, transporting, arriving, receiving, accepting, inspecting, storing, picking, unloading,
      dispensing, destroying, sensor_reporting, holding. Dispositions: active, in_transit, in_progress,
      non_conformant, recalled, damaged, destroyed, dispensed, expired, container_closed, returned, stolen.
  handover propose --shipment <id|DL> --to <address> [--final]
  handover accept  --shipment <id|DL>
  handover reject  --shipment <id|DL> --reason <damaged|temperature_excursion|wrong_quantity|
                                                wrong_product_or_documents|not_expected|other>
      Hand custody over: the holder proposes, the named receiver accepts or rejects.
  status --shipment <id|Digital Link>
      The shipment's state and its whole history, from the chain.
  scan --payload <scanned Digital Link> --gln <GLN where scanned> [--report]
      Check a scanned label: genuine, or why it is suspect; --report records a suspect scan on chain.

Common options:
  --rpc <url>          JSON-RPC node (default http://127.0.0.1:8545)
  --registry <address> ProvenanceRegistry (default: ignition/deployments/chain-<id>/deployed_addresses.json)
  --account <index>    sign with Hardhat's public dev account <index> (0–19; local chain 31337 only)
                       otherwise the private key in the environment variable SUPPLIER_PRIVATE_KEY signs
  --from-block <n>     first block to read history from (default: the registry's deployment block)
  --help               this text

Negative temperatures need "=": --min-temp=-25 --temp=-18.5`;

const DEV_ACCOUNTS = 20;
const EXIT_SUSPECT = 3;

class UsageError extends Error {}

const OPTIONS = {
  rpc: { type: "string" },
  registry: { type: "string" },
  account: { type: "string" },
  "from-block": { type: "string" },
  gln: { type: "string" },
  name: { type: "string" },
  gtin: { type: "string" },
  lot: { type: "string" },
  serial: { type: "string" },
  quantity: { type: "string" },
  origin: { type: "string" },
  "min-temp": { type: "string" },
  "max-temp": { type: "string" },
  "vaccine-lot": { type: "string" },
  label: { type: "string" },
  out: { type: "string" },
  show: { type: "boolean" },
  shipment: { type: "string" },
  "biz-step": { type: "string" },
  disposition: { type: "string" },
  temp: { type: "string" },
  time: { type: "string" },
  to: { type: "string" },
  final: { type: "boolean" },
  reason: { type: "string" },
  payload: { type: "string" },
  report: { type: "boolean" },
  help: { type: "boolean" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>["values"];

const say = (line = ""): void => {
  process.stdout.write(`${line}\n`);
};

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === "") throw new UsageError(`${flag} is required.`);
  return value;
}

/** A GLN argument: 1–13 digits (left-padded to 13) with a valid GS1 check digit. */
function glnArg(value: string | undefined, flag: string): bigint {
  const text = required(value, flag).trim();
  if (!/^\d{1,13}$/.test(text) || /^0+$/.test(text)) throw new CliError(`${flag} ${text} is not a GLN (13 digits).`);
  const digits = text.padStart(13, "0");
  const check = gs1CheckDigit(digits.slice(0, 12));
  if (check !== Number(digits[12])) {
    throw new CliError(`${flag} ${digits} has a wrong GS1 check digit: the last digit should be ${check}.`);
  }
  return BigInt(digits);
}

function uintArg(value: string | undefined, flag: string, min: number, max: number): number {
  const text = required(value, flag).trim();
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new CliError(`${flag} ${text} must be a whole number from ${min} to ${max}.`);
  }
  return Number(text);
}

function identifierArg(value: string | undefined, flag: string, what: string): string {
  const text = required(value, flag);
  const problem = aiValueProblem(text, what);
  if (problem !== null) throw new CliError(problem);
  return text;
}

function identityArgs(values: Values): ShipmentIdentity {
  return {
    gtin: normalizeGtin(required(values.gtin, "--gtin")),
    lot: identifierArg(values.lot, "--lot", "lot number"),
    serial: identifierArg(values.serial, "--serial", "serial"),
  };
}

/** A time argument: Unix seconds, or ISO 8601 with a zone (Z or ±hh:mm). */
function timeArg(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(t)) {
    throw new CliError(`--time ${t} is not Unix seconds or an ISO 8601 time with a zone (e.g. 2025-03-01T10:30+08:00).`);
  }
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new CliError(`--time ${t} is not a valid date.`);
  return Math.floor(ms / 1000);
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

// ---------------------------------------------------------------------------------------------------------
// Context: node, registry, signer
// ---------------------------------------------------------------------------------------------------------

interface Context {
  readonly provider: JsonRpcProvider;
  readonly chainId: number;
  readonly address: string;
  readonly deploymentBlock: number | null;
  readonly iface: Interface;
  readonly registry: ProvenanceRegistry;
  readonly values: Values;
}

async function context(values: Values): Promise<Context> {
  const iface = artifactInterface("ProvenanceRegistry");
  const { provider, chainId } = await connect(values.rpc ?? "http://127.0.0.1:8545");
  const { address, deploymentBlock } = await resolveRegistry(provider, chainId, values.registry);
  const registry = new BaseContract(address, iface, provider) as ProvenanceRegistry;
  return { provider, chainId, address, deploymentBlock, iface, registry, values };
}

/** The signer: `--account <index>` (dev mnemonic, local chain only) or SUPPLIER_PRIVATE_KEY. */
function signerOf(ctx: Context): Wallet | HDNodeWallet {
  const key = process.env.SUPPLIER_PRIVATE_KEY;
  const account = ctx.values.account;
  if (account !== undefined && key !== undefined && key !== "") {
    throw new UsageError("Both --account and SUPPLIER_PRIVATE_KEY are set: choose one signer.");
  }
  if (account !== undefined) {
    if (ctx.chainId !== LOCAL_CHAIN_ID) {
      throw new CliError(
        `--account signs with Hardhat's public development mnemonic, which is only safe on the local chain (${LOCAL_CHAIN_ID}); ` +
          `this node is chain ${ctx.chainId}. Set SUPPLIER_PRIVATE_KEY instead.`,
      );
    }
    const index = uintArg(account, "--account", 0, DEV_ACCOUNTS - 1);
    return HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`).connect(ctx.provider);
  }
  if (key !== undefined && key !== "") {
    const hex = key.trim().startsWith("0x") ? key.trim() : `0x${key.trim()}`;
    if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new CliError("SUPPLIER_PRIVATE_KEY is not a private key (64 hex digits).");
    return new Wallet(hex, ctx.provider);
  }
  throw new UsageError("This command sends a transaction: pass --account <index> (local chain) or set SUPPLIER_PRIVATE_KEY.");
}

/** Send a transaction (simulated first by ethers); a refusal becomes a sentence and nothing is sent. */
async function send(ctx: Context, what: string, action: () => Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  let tx: ContractTransactionResponse;
  try {
    tx = await action();
  } catch (error) {
    const sentence = refusalSentence(error, ctx.iface);
    if (sentence !== null) throw new CliError(`Refused, nothing was sent. ${sentence}`);
    throw error;
  }
  const receipt = await tx.wait();
  if (receipt === null || receipt.status !== 1) throw new CliError(`${what}: transaction ${tx.hash} failed.`);
  say(`${what}: transaction ${receipt.hash} in block ${receipt.blockNumber} (gas ${receipt.gasUsed}).`);
  return receipt;
}

/** The shipment named by `--shipment` (id or Digital Link); a label must be for this chain and registry. */
function shipmentOption(ctx: Context, value: string | undefined): { shipmentId: string; identity: ShipmentIdentity | null } {
  const { shipmentId, label } = shipmentArgument(required(value, "--shipment"));
  if (label?.registryRef != null) {
    checkLabelChain(ctx, label.registryRef.chainId);
    if (!same(label.registryRef.registry, ctx.address)) {
      throw new CliError(
        `The label names registry ${label.registryRef.registry}, but this terminal uses ${ctx.address}: pass --registry ${label.registryRef.registry} if you trust it.`,
      );
    }
  }
  return { shipmentId, identity: label };
}

function checkLabelChain(ctx: Context, chainId: number): void {
  if (chainId !== ctx.chainId) {
    throw new CliError(`The label is for chain ${chainId}, but ${ctx.values.rpc ?? "the node"} is chain ${ctx.chainId}: connect to its chain (--rpc).`);
  }
}

async function historyOf(ctx: Context, shipmentId: string | null, names?: readonly ProvenanceEvent["name"][]): Promise<ProvenanceEvent[]> {
  const fromBlock =
    ctx.values["from-block"] === undefined ? (ctx.deploymentBlock ?? 0) : uintArg(ctx.values["from-block"], "--from-block", 0, Number.MAX_SAFE_INTEGER);
  const toBlock = await ctx.provider.getBlockNumber();
  return fetchProvenanceEvents(ctx.provider, ctx.address, ctx.iface, { fromBlock, toBlock, shipmentId, ...(names === undefined ? {} : { names }) });
}

async function createdEvent(ctx: Context, shipmentId: string): Promise<ShipmentCreatedEvent | null> {
  const events = await historyOf(ctx, shipmentId, ["ShipmentCreated"]);
  const created = events.find((e) => e.name === "ShipmentCreated");
  return created?.name === "ShipmentCreated" ? created : null;
}

async function requireShipment(ctx: Context, shipmentId: string) {
  const view = await ctx.registry.shipmentOf(shipmentId);
  if (view.holder === ZeroAddress) throw new CliError(`No shipment has the id ${shipmentId} on chain ${ctx.chainId} (registry ${ctx.address}).`);
  return view;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

// ---------------------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------------------

async function registerLocation(ctx: Context): Promise<void> {
  const gln = glnArg(ctx.values.gln, "--gln");
  const name = required(ctx.values.name, "--name").trim();
  const bytes = new TextEncoder().encode(name).length;
  if (bytes === 0 || bytes > 64) throw new CliError(`--name has ${bytes} bytes (UTF-8); a location name has 1 to 64.`);
  const signer = signerOf(ctx);
  const owner = await ctx.registry.locationOwner(gln);
  if (owner !== ZeroAddress) {
    throw new CliError(`Location ${gln13(gln)} is already registered to ${owner}${same(owner, signer.address) ? " (you)" : ""}.`);
  }
  await send(ctx, `Registered location ${gln13(gln)} "${name}" to ${signer.address}`, () =>
    ctx.registry.connect(signer).registerLocation(gln, name),
  );
}

async function writeLabel(file: string, link: string, show: boolean): Promise<void> {
  await QRCode.toFile(file, link, { type: "png", errorCorrectionLevel: "M", margin: 4, scale: 8 });
  say(`Label written to ${file}`);
  say(`Digital Link: ${link}`);
  if (show) say(await QRCode.toString(link, { type: "terminal", small: true }));
}

const labelFile = (serial: string): string => `label-${serial.replace(/[^A-Za-z0-9._-]/g, "_")}.png`;

async function createShipment(ctx: Context): Promise<void> {
  const v = ctx.values;
  const identity = identityArgs(v);
  const quantity = uintArg(v.quantity, "--quantity", 1, 2 ** 32 - 1);
  const origin = glnArg(v.origin, "--origin");
  const vaccineLotId = v["vaccine-lot"] === undefined ? 0 : uintArg(v["vaccine-lot"], "--vaccine-lot", 1, 2 ** 32 - 1);
  if ((v["min-temp"] === undefined) !== (v["max-temp"] === undefined)) {
    throw new CliError("A cold-chain range needs both --min-temp and --max-temp (°C).");
  }
  const coldChain = v["min-temp"] !== undefined;
  const minTempCentiC = coldChain ? parseCelsius(required(v["min-temp"], "--min-temp")) : 0;
  const maxTempCentiC = coldChain ? parseCelsius(required(v["max-temp"], "--max-temp")) : 0;
  if (coldChain && minTempCentiC >= maxTempCentiC) {
    throw new CliError(`The cold-chain range ${formatCelsius(minTempCentiC)} to ${formatCelsius(maxTempCentiC)} is empty: --min-temp must be below --max-temp.`);
  }
  const link = buildDigitalLink(identity, { chainId: ctx.chainId, registry: ctx.address });
  const signer = signerOf(ctx);

  const owner = await ctx.registry.locationOwner(origin);
  if (!same(owner, signer.address)) {
    throw new CliError(
      `The origin ${gln13(origin)} is ${owner === ZeroAddress ? "not a registered location" : `registered to ${owner}, not to you`}: ` +
        "register your location first (register-location).",
    );
  }
  const shipmentId = shipmentIdOf(identity.gtin, identity.lot, identity.serial);
  if ((await ctx.registry.shipmentOf(shipmentId)).holder !== ZeroAddress) {
    throw new CliError(`A shipment with GTIN ${identity.gtin}, lot ${identity.lot} and serial ${identity.serial} already exists (${shipmentId}).`);
  }
  await send(ctx, "Shipment created", () =>
    ctx.registry.connect(signer).createShipment({
      gtin: BigInt(identity.gtin),
      lotNumber: identity.lot,
      serial: identity.serial,
      quantity,
      origin,
      vaccineLotId,
      coldChain,
      minTempCentiC,
      maxTempCentiC,
    }),
  );
  say(`Shipment id: ${shipmentId}`);
  say(`Units: ${quantity}; origin GLN ${gln13(origin)}${coldChain ? `; cold chain ${formatCelsius(minTempCentiC)} to ${formatCelsius(maxTempCentiC)}` : ""}${vaccineLotId === 0 ? "" : `; vaccine lot ${vaccineLotId}`}`);
  if (v.label !== undefined) await writeLabel(v.label, link, v.show === true);
  else say(`Digital Link: ${link}`);
}

async function label(ctx: Context): Promise<void> {
  const v = ctx.values;
  let identity: ShipmentIdentity;
  let shipmentId: string;
  if (v.shipment !== undefined) {
    if (v.gtin !== undefined || v.lot !== undefined || v.serial !== undefined) {
      throw new UsageError("Name the shipment either by --shipment or by --gtin/--lot/--serial, not both.");
    }
    const named = shipmentOption(ctx, v.shipment);
    shipmentId = named.shipmentId;
    await requireShipment(ctx, shipmentId);
    if (named.identity !== null) identity = named.identity;
    else {
      const created = await createdEvent(ctx, shipmentId);
      if (created === null) throw new CliError(`The creation of shipment ${shipmentId} is not in the blocks read: pass --from-block with an earlier block.`);
      identity = { gtin: normalizeGtin(created.gtin), lot: created.lotNumber, serial: created.serial };
    }
  } else {
    identity = identityArgs(v);
    shipmentId = shipmentIdOf(identity.gtin, identity.lot, identity.serial);
    if ((await ctx.registry.shipmentOf(shipmentId)).holder === ZeroAddress) {
      throw new CliError(
        `The registry never issued GTIN ${identity.gtin}, lot ${identity.lot}, serial ${identity.serial}: a label for it would be a counterfeit. Create the shipment first.`,
      );
    }
  }
  const link = buildDigitalLink(identity, { chainId: ctx.chainId, registry: ctx.address });
  say(`Shipment id: ${shipmentId}`);
  await writeLabel(v.out ?? labelFile(identity.serial), link, v.show === true);
}

/**
 * The chain's clock: `block.timestamp` as the next block would see it. A call on the pending block of init code
 * `TIMESTAMP PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN` reads it (Hardhat: its clock, including any time travel); a
 * node that cannot answer gives the latest block's time, a safe lower bound.
 */
async function chainClock(provider: JsonRpcProvider): Promise<number> {
  const latest = await provider.getBlock("latest");
  if (latest === null) throw new CliError("The node returned no latest block.");
  try {
    const raw: unknown = await provider.send("eth_call", [{ data: "0x4260005260206000f3" }, "pending"]);
    if (typeof raw === "string" && /^0x[0-9a-fA-F]{64}$/.test(raw)) return Math.max(latest.timestamp, Number(BigInt(raw)));
  } catch {
    // Fall back to the latest block's time.
  }
  return latest.timestamp;
}

async function step(ctx: Context): Promise<void> {
  const v = ctx.values;
  const { shipmentId } = shipmentOption(ctx, v.shipment);
  const biz = parseBizStep(required(v["biz-step"], "--biz-step"));
  const disposition = parseDisposition(required(v.disposition, "--disposition"));
  const gln = glnArg(v.gln, "--gln");
  const temperatureCentiC = v.temp === undefined ? null : parseCelsius(v.temp);
  const chainTime = await chainClock(ctx.provider);
  const wallClock = Math.floor(Date.now() / 1000);
  let eventTime: number;
  if (v.time === undefined) {
    eventTime = Math.min(wallClock, chainTime);
    if (eventTime < wallClock - 60) say(`note: the chain's clock is behind this computer's; the step is dated ${iso(eventTime)} (chain time).`);
  } else {
    eventTime = timeArg(v.time);
    if (eventTime > chainTime) {
      throw new CliError(`The event time ${iso(eventTime)} is after the chain's current time ${iso(chainTime)}: the registry refuses steps from the future.`);
    }
    if (eventTime <= 0) throw new CliError("The event time must be after 1970-01-01.");
  }
  const stepValue = { bizStep: biz.code, disposition: disposition.code, readPoint: gln, eventTime, temperatureCentiC };
  const word = packStep(stepValue);

  const signer = signerOf(ctx);
  const view = await requireShipment(ctx, shipmentId);
  if (!same(view.holder, signer.address)) {
    throw new CliError(`You (${signer.address}) do not hold shipment ${shipmentId}; its holder is ${view.holder}. Only the holder records steps.`);
  }
  const site = await ctx.registry.locationOwner(gln);
  if (!same(site, signer.address)) {
    say(`note: GLN ${gln13(gln)} is ${site === ZeroAddress ? "not a registered location" : `registered to ${site}, not to you`}; scans there will be flagged as suspect.`);
  }
  if (temperatureCentiC !== null && view.coldChain && (temperatureCentiC < Number(view.minTempCentiC) || temperatureCentiC > Number(view.maxTempCentiC))) {
    say(`warning: ${formatCelsius(temperatureCentiC)} is outside the shipment's range ${formatCelsius(Number(view.minTempCentiC))} to ${formatCelsius(Number(view.maxTempCentiC))}: recording it flags a cold-chain excursion.`);
  }
  const receipt = await send(ctx, `Step recorded (${describeStep(stepValue)})`, () => ctx.registry.connect(signer).recordStep(shipmentId, word));
  for (const log of receipt.logs) {
    const parsed = same(log.address, ctx.address) ? ctx.iface.parseLog(log) : null;
    if (parsed?.name === "ColdChainExcursion") {
      say(`COLD-CHAIN EXCURSION: ${formatCelsius(Number(parsed.args[2]))} is outside the allowed range; the shipment is now non-conformant for good.`);
      if (Number(parsed.args[1]) !== 0) say(`Vaccine lot ${String(parsed.args[1])} is reported non-conformant to the vaccine registry.`);
    } else if (parsed?.name === "VaccineLotReportFailed") {
      say(`warning: the vaccine registry refused the excursion report for lot ${String(parsed.args[1])}: the regulator must quarantine it by hand.`);
    }
  }
}

async function handover(ctx: Context, action: string | undefined): Promise<void> {
  const v = ctx.values;
  if (action !== "propose" && action !== "accept" && action !== "reject") {
    throw new UsageError("handover needs propose, accept or reject (e.g. handover accept --shipment …).");
  }
  const { shipmentId } = shipmentOption(ctx, v.shipment);
  let reasonCode = 0;
  let receiver = ZeroAddress;
  if (action === "reject") reasonCode = parseRejectReason(required(v.reason, "--reason")).code;
  if (action === "propose") {
    try {
      receiver = getAddress(required(v.to, "--to"));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new CliError(`--to ${v.to ?? ""} is not an address (0x + 40 hex digits, with a valid checksum if mixed-case).`);
    }
  }
  const signer = signerOf(ctx);
  const view = await requireShipment(ctx, shipmentId);
  const registry = ctx.registry.connect(signer);

  if (action === "propose") {
    if (!same(view.holder, signer.address)) throw new CliError(`You (${signer.address}) do not hold shipment ${shipmentId}; its holder is ${view.holder}.`);
    if (view.delivered) throw new CliError(`Shipment ${shipmentId} has been delivered: custody never moves again.`);
    if (same(receiver, signer.address)) throw new CliError("You cannot hand a shipment over to yourself.");
    await send(ctx, `Hand-over ${v.final === true ? "(final delivery) " : ""}proposed to ${receiver}`, () =>
      registry.proposeHandover(shipmentId, receiver, v.final === true),
    );
    say("The receiver must now accept it (handover accept) or reject it (handover reject).");
    return;
  }
  if (!same(view.pendingReceiver, signer.address)) {
    throw new CliError(
      view.pendingReceiver === ZeroAddress
        ? `No hand-over of shipment ${shipmentId} is pending.`
        : `The pending hand-over of shipment ${shipmentId} is to ${view.pendingReceiver}, not to you (${signer.address}).`,
    );
  }
  if (action === "accept") {
    await send(ctx, `Custody accepted from ${view.holder}`, () => registry.acceptHandover(shipmentId));
    say(view.pendingFinal ? "This was the final delivery: the shipment is delivered and custody never moves again." : `You now hold shipment ${shipmentId}.`);
  } else {
    await send(ctx, `Hand-over rejected (${rejectReason(reasonCode).en})`, () => registry.rejectHandover(shipmentId, reasonCode));
    say(`Custody stays with ${view.holder}.`);
  }
}

async function status(ctx: Context): Promise<void> {
  const { shipmentId } = shipmentOption(ctx, ctx.values.shipment);
  const view = await requireShipment(ctx, shipmentId);
  const history = await historyOf(ctx, shipmentId);
  const locations = await historyOf(ctx, null, ["LocationRegistered"]);
  const where = (gln: bigint): string => {
    const loc = locations.find((e) => e.name === "LocationRegistered" && e.gln === gln);
    return loc?.name === "LocationRegistered" ? `GLN ${gln13(gln)} (${loc.locationName})` : `GLN ${gln13(gln)}`;
  };
  const created = history.find((e) => e.name === "ShipmentCreated");
  say(`Shipment ${shipmentId}`);
  if (created?.name === "ShipmentCreated") {
    say(`  Digital Link: ${buildDigitalLink({ gtin: created.gtin, lot: created.lotNumber, serial: created.serial }, { chainId: ctx.chainId, registry: ctx.address })}`);
    say(`  ${created.quantity} units, from ${where(created.origin)}${created.vaccineLotId === 0 ? "" : `, vaccine lot ${created.vaccineLotId}`}`);
  }
  say(`  Holder: ${view.holder}${view.delivered ? " (delivered: final)" : ""}`);
  say(`  Cold chain: ${view.coldChain ? `${formatCelsius(Number(view.minTempCentiC))} to ${formatCelsius(Number(view.maxTempCentiC))}` : "none"}`);
  say(`  Conformity: ${view.nonConformant ? "NON-CONFORMANT (an excursion or a non_conformant step)" : "conformant"}`);
  if (view.pendingReceiver !== ZeroAddress) say(`  Pending hand-over to ${view.pendingReceiver}${view.pendingFinal ? " (final delivery)" : ""}`);
  say("History:");
  for (const e of history) {
    // Block time first; a step's own event time follows when it differs by more than a minute.
    const at = iso(e.log.blockTimestamp);
    switch (e.name) {
      case "ShipmentCreated":
        say(`  ${at}  created by ${e.manufacturer}`);
        break;
      case "CustodyStepRecorded": {
        const s = unpackStep(e.step);
        const happened = Math.abs(s.eventTime - e.log.blockTimestamp) > 60 ? ` (event time ${iso(s.eventTime)})` : "";
        say(
          `  ${at}  ${bizStepTerm(s.bizStep).en} · ${dispositionTerm(s.disposition).en} at ${where(s.readPoint)}` +
            `${s.temperatureCentiC === null ? "" : ` · ${formatCelsius(s.temperatureCentiC)}`}${happened} — by ${e.recorder}`,
        );
        break;
      }
      case "ColdChainExcursion":
        say(`  ${at}  COLD-CHAIN EXCURSION at ${formatCelsius(e.temperatureCentiC)}: non-conformant`);
        break;
      case "VaccineLotReportFailed":
        say(`  ${at}  the vaccine registry refused the excursion report for lot ${e.vaccineLotId}`);
        break;
      case "HandoverProposed":
        say(`  ${at}  hand-over ${e.isFinal ? "(final) " : ""}proposed by ${e.holder} to ${e.receiver}`);
        break;
      case "HandoverAccepted":
        say(`  ${at}  ${e.to} accepted custody from ${e.from}${e.isFinal ? " — delivered" : ""}`);
        break;
      case "HandoverRejected":
        say(`  ${at}  ${e.receiver} rejected the hand-over: ${rejectReason(e.reason).en}`);
        break;
      case "SuspectScanReported":
        say(`  ${at}  SUSPECT SCAN at ${where(e.gln)} reported by ${e.reporter}: ${scanVerdict(e.verdict).name}`);
        break;
      case "LocationRegistered":
        break;
    }
  }
}

async function scan(ctx: Context, positional: string | undefined): Promise<number> {
  const v = ctx.values;
  const payload = v.payload ?? positional;
  if (payload === undefined) throw new UsageError("scan needs the scanned payload: --payload <Digital Link>.");
  const gln = glnArg(v.gln, "--gln");
  const { shipmentId, label: parsed } = shipmentArgument(payload);
  if (parsed === null) throw new CliError("scan needs the label's Digital Link, not a shipment id.");
  if (parsed.registryRef !== null) {
    checkLabelChain(ctx, parsed.registryRef.chainId);
    if (!same(parsed.registryRef.registry, ctx.address)) {
      say(`Label: ${payload.trim()}`);
      say(`Verdict: SUSPECT — the label names registry ${parsed.registryRef.registry}, not the registry this terminal trusts (${ctx.address}): a label from another deployment, or a forged one.`);
      return EXIT_SUSPECT;
    }
  } else {
    say("note: the label names no chain and registry; checking it against this terminal's registry.");
  }
  const [verdictCode, onChainId] = await ctx.registry.checkScan(BigInt(parsed.gtin), parsed.lot, parsed.serial, gln);
  if (onChainId.toLowerCase() !== shipmentId) throw new CliError(`The registry computes id ${onChainId} for this identity, not ${shipmentId}: ABI mismatch?`);
  const verdict = scanVerdict(Number(verdictCode));
  say(`Label: GTIN ${parsed.gtin}, lot ${parsed.lot}, serial ${parsed.serial}`);
  say(`Shipment id: ${shipmentId}`);
  say(`Scanned at: GLN ${gln13(gln)}`);
  say(`Verdict: ${verdict.code === 0 ? "GENUINE" : "SUSPECT"} — ${verdict.en}`);
  if (v.report === true) {
    if (verdict.code === 0) say("Nothing to report: the scan is genuine.");
    else {
      const signer = signerOf(ctx);
      await send(ctx, `Suspect scan reported (${verdict.name})`, () =>
        ctx.registry.connect(signer).reportSuspectScan(BigInt(parsed.gtin), parsed.lot, parsed.serial, gln),
      );
    }
  }
  return verdict.code === 0 ? 0 : EXIT_SUSPECT;
}

// ---------------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------------

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help === true || command === undefined || command === "help") {
    say(USAGE);
    return 0;
  }
  const known = ["register-location", "create-shipment", "label", "step", "handover", "status", "scan"];
  if (!known.includes(command)) throw new UsageError(`Unknown command "${command}". Commands: ${known.join(", ")}.`);
  const extra = positionals.slice(command === "handover" || command === "scan" ? 2 : 1);
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);

  const ctx = await context(values);
  switch (command) {
    case "register-location":
      await registerLocation(ctx);
      return 0;
    case "create-shipment":
      await createShipment(ctx);
      return 0;
    case "label":
      await label(ctx);
      return 0;
    case "step":
      await step(ctx);
      return 0;
    case "handover":
      await handover(ctx, positionals[1]);
      return 0;
    case "status":
      await status(ctx);
      return 0;
    default:
      return scan(ctx, positionals[1]);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\nRun "node scripts/supplier.ts help" for the commands.\n`);
    process.exitCode = 2;
  } else if (error instanceof CliError || error instanceof DigitalLinkError || error instanceof RangeError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${reason}\n`);
    if (process.env.DEBUG !== undefined && error instanceof Error) process.stderr.write(`${error.stack ?? ""}\n`);
    process.exitCode = 1;
  }
}
