/**
 * Export supply events as a GS1 EPCIS 2.0 JSON-LD `EPCISDocument`, rebuilt from ProvenanceRegistry events alone.
 *
 *   node scripts/epcis.ts [--shipment <id | Digital Link>] [--out <file>] [--rpc <url>] [--registry <address>]
 *                         [--from-block <n>] [--to-block <n>] [--time-zone <±hh:mm>]
 *   npm run epcis -- --shipment <id> --out shipment.jsonld
 *
 * - `--shipment`: one shipment (its id, `0x` + 64 hex digits, or its label's Digital Link); default all shipments.
 * - `--out`: the file to write (default: standard output).
 * - `--rpc`: the JSON-RPC node (default http://127.0.0.1:8545).
 * - `--registry`: the ProvenanceRegistry; default the Ignition deployment of the node's chain
 *   (`ignition/deployments/chain-<id>/deployed_addresses.json`, "HealthTrace#ProvenanceRegistry").
 * - `--from-block` / `--to-block`: the block range (inclusive); default from the registry's deployment block (from
 *   the Ignition journal, else 0) to the latest block. The document names the range in its header
 *   (`ht:fromBlock`, `ht:toBlock`). Identities and location names created before `--from-block` are read too.
 * - `--time-zone`: `eventTimeZoneOffset` of the events (default +08:00, Shanghai).
 *
 * The ABI comes from `artifacts/` (run `npx hardhat compile` first). The document is validated against GS1's
 * official EPCIS 2.0 JSON Schema (`standards/epcis/`) before it is written; an invalid one is never written. The
 * mapping from chain events to EPCIS events is documented in `scripts/lib/epcis.ts`.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { DigitalLinkError } from "./lib/digital-link.ts";
import { buildEpcisDocument, DEFAULT_TIME_ZONE_OFFSET, EpcisBuildError, type ProvenanceEvent } from "./lib/epcis.ts";
import { validateEpcis } from "./lib/epcis-schema.ts";
import { artifactInterface, CliError, connect, fetchProvenanceEvents, resolveRegistry, shipmentArgument } from "./lib/provenance-chain.ts";

const USAGE = `Usage: node scripts/epcis.ts [--shipment <id|Digital Link>] [--out <file>] [--rpc <url>] [--registry <address>]
                            [--from-block <n>] [--to-block <n>] [--time-zone <±hh:mm>]

Writes an EPCIS 2.0 JSON-LD EPCISDocument of the registry's supply events (all shipments, or one), rebuilt from
chain events alone and validated against GS1's official schema.`;

class UsageError extends Error {}

function blockArg(value: string | undefined, flag: string): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value))) throw new UsageError(`${flag} ${value} is not a block number.`);
  return Number(value);
}

async function main(argv: readonly string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        shipment: { type: "string" },
        out: { type: "string" },
        rpc: { type: "string" },
        registry: { type: "string" },
        "from-block": { type: "string" },
        "to-block": { type: "string" },
        "time-zone": { type: "string" },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  if (v.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const timeZoneOffset = v["time-zone"] ?? DEFAULT_TIME_ZONE_OFFSET;
  const wanted = v.shipment === undefined ? null : shipmentArgument(v.shipment);
  const fromArg = blockArg(v["from-block"], "--from-block");
  const toArg = blockArg(v["to-block"], "--to-block");

  const iface = artifactInterface("ProvenanceRegistry");
  const { provider, chainId } = await connect(v.rpc ?? "http://127.0.0.1:8545");
  const { address, deploymentBlock } = await resolveRegistry(provider, chainId, v.registry);
  if (wanted?.label?.registryRef != null) {
    const ref = wanted.label.registryRef;
    if (ref.chainId !== chainId || ref.registry.toLowerCase() !== address.toLowerCase()) {
      throw new CliError(`The label names chain ${ref.chainId} and registry ${ref.registry}; this export reads chain ${chainId}, registry ${address}.`);
    }
  }
  const latest = await provider.getBlockNumber();
  const firstBlock = deploymentBlock ?? 0;
  const fromBlock = fromArg ?? firstBlock;
  const toBlock = toArg ?? latest;
  if (toBlock > latest) throw new CliError(`--to-block ${toBlock} is after the latest block ${latest}.`);
  if (fromBlock > toBlock) throw new CliError(`--from-block ${fromBlock} is after --to-block ${toBlock}.`);

  const shipmentId = wanted?.shipmentId ?? null;
  if (shipmentId !== null) {
    const view = await provider.call({ to: address, data: iface.encodeFunctionData("shipmentOf", [shipmentId]) });
    const holder = iface.decodeFunctionResult("shipmentOf", view)[0][0];
    if (typeof holder !== "string" || /^0x0{40}$/.test(holder)) {
      throw new CliError(`No shipment has the id ${shipmentId} on chain ${chainId} (registry ${address}).`);
    }
  }

  const events = await fetchProvenanceEvents(provider, address, iface, { fromBlock, toBlock, shipmentId });
  // Identities and location names from before the range.
  let lookups: ProvenanceEvent[] = [];
  if (fromBlock > firstBlock) {
    lookups = await fetchProvenanceEvents(provider, address, iface, {
      fromBlock: firstBlock,
      toBlock: fromBlock - 1,
      shipmentId,
      names: ["ShipmentCreated", "LocationRegistered"],
    });
  }
  const document = buildEpcisDocument(events, { chainId, registry: address, fromBlock, toBlock, shipmentId, lookups, timeZoneOffset });
  const validation = validateEpcis(document);
  if (!validation.valid) {
    throw new CliError(`The rebuilt document does not pass GS1's EPCIS 2.0 schema (nothing written):\n  ${validation.messages.join("\n  ")}`);
  }
  const json = `${JSON.stringify(document, null, 2)}\n`;
  const count = document.epcisBody.eventList.length;
  const what = shipmentId === null ? "all shipments" : `shipment ${shipmentId}`;
  if (v.out === undefined) process.stdout.write(json);
  else writeFileSync(v.out, json);
  process.stderr.write(
    `EPCIS 2.0: ${count} event${count === 1 ? "" : "s"} of ${what}, blocks ${fromBlock}–${toBlock}, chain ${chainId}, registry ${address}` +
      `${v.out === undefined ? "" : ` → ${v.out}`} (valid against GS1's schema)\n`,
  );
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else if (error instanceof CliError || error instanceof DigitalLinkError || error instanceof EpcisBuildError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.DEBUG !== undefined && error instanceof Error) process.stderr.write(`${error.stack ?? ""}\n`);
    process.exitCode = 1;
  }
}
