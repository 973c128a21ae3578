/**
 * The load generator: fills a running local chain that has the HealthTrace deployment with a realistic mix of
 * registry events (1,000,000 by default), in batched transactions, and reports how long it took.
 *
 *   npm run loadgen -- --rpc http://127.0.0.1:8545                  # 1,000,000 events over 180 days
 *   npm run loadgen -- --rpc http://127.0.0.1:8545 --events 100000 --days 60 --seed 7 --json loadgen.json
 *
 * Options: --rpc <url> (required: it starts nothing), --events <n> (exact total, default 1,000,000), --days <n>
 * (history span, default 180, ending about ten minutes before now), --seed <n> (the mix, default 1), --batch <n>
 * (calls or steps per transaction, default 200), --concurrency <n> (transactions in flight, default 8),
 * --json <file> (write the report), --deployment-id <id> (the Ignition deployment, default chain-<id>), --automine (one
 * block per transaction, as the node mines them, instead of each phase of a day in as few full blocks as its gas limit
 * allows).
 *
 * The contracts are the Ignition deployment recorded for the chain (ignition/deployments/chain-<id>); dev account #0
 * funds the generator's senders and account #1, the deployment's first regulator, accredits its organisations, so
 * it is for a local chain only (`npm run dev`, or `hardhat node` + `npm run deploy -- --network localhost`). A chain
 * started 180 days in the past (`hardhat node --network devChain`, as `npm run dev` does) gets the history ending
 * near now; a chain whose clock is already near now gets it ending in the future (a warning says so).
 * The mix and the timing rules are in scripts/lib/loadgen.ts; how it is sent, in scripts/lib/loadgen-run.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import { historyWindow, MIX, planLoad } from "./lib/loadgen.ts";
import { chainFacts, deployedContracts, httpRpc, reportLines, runLoad } from "./lib/loadgen-run.ts";
import { CliError, ROOT } from "./lib/provenance-chain.ts";

const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
const pct = (share: number): string => `${Number((share * 100).toFixed(2))} %`;

function positive(name: string, raw: string, min = 1): number {
  const n = Number(raw.replaceAll("_", "").replaceAll(",", ""));
  if (!Number.isInteger(n) || n < min)
    throw new CliError(`--${name} must be a whole number of at least ${fmt(min)}, not "${raw}".`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rpc: { type: "string" },
      events: { type: "string", default: "1000000" },
      days: { type: "string", default: "180" },
      seed: { type: "string", default: "1" },
      batch: { type: "string", default: "200" },
      concurrency: { type: "string", default: "8" },
      automine: { type: "boolean", default: false },
      json: { type: "string" },
      "deployment-id": { type: "string" },
    },
  });
  if (values.rpc === undefined) {
    throw new CliError(
      "--rpc <url> is required (e.g. --rpc http://127.0.0.1:8545): the load generator starts no node.",
    );
  }
  const events = positive("events", values.events);
  const days = positive("days", values.days);
  const seed = positive("seed", values.seed, 0);
  const batch = positive("batch", values.batch);
  if (batch > 500) throw new CliError("--batch must be at most 500 (recordSteps takes at most 500 steps).");
  const concurrency = positive("concurrency", values.concurrency);

  const rpc = httpRpc(values.rpc);
  let chainId: number;
  try {
    chainId = Number(BigInt((await rpc("eth_chainId")) as string));
  } catch (error) {
    throw new CliError(`Cannot reach a node at ${values.rpc} (${(error as Error).message}). Is it running?`);
  }
  const contracts = deployedContracts(chainId, values["deployment-id"]);
  const chain = await chainFacts(rpc, contracts);
  const window = historyWindow(chain.blockTime, days, Date.now() / 1000);
  if (window.endsInFuture) {
    process.stderr.write(
      `warning: the chain's clock (${new Date(chain.blockTime * 1000).toISOString()}) leaves no room for ${days} days of history ` +
        `before now: the history ends in the future, ${new Date(window.end * 1000).toISOString()}. ` +
        "A chain started in the past (hardhat node --network devChain, as npm run dev does) avoids this.\n",
    );
  }
  const plan = planLoad({
    events,
    days,
    seed,
    releaseQuorum: chain.releaseQuorum,
    startTime: window.start,
    runNumber: chain.blockNumber,
  });
  process.stdout.write(
    `HealthTrace load generator: ${fmt(events)} events over ${days} days (seed ${seed}) on chain ${chainId} at ${values.rpc}\n` +
      `mix: doses ${pct(MIX.doses)}, confirmations ${pct(MIX.confirmations)}, verifications ${pct(MIX.verifications)}, ` +
      `custody steps ${pct(MIX.steps)}, shipments and hand-overs, scans, grants ${pct(MIX.grants)}, revocations ${pct(MIX.revocations)}, ` +
      `the rest record anchors and logged reads; ${plan.lots.length} lots, ${fmt(plan.shipments.length)} shipments, ${fmt(plan.grants.length)} grants\n`,
  );
  const report = await runLoad({
    rpc,
    contracts,
    plan,
    batch,
    concurrency,
    fullBlocks: values.automine !== true,
    log: (line) => process.stdout.write(`  ${line}\n`),
  });
  process.stdout.write(`${reportLines(report).join("\n")}\n`);
  if (values.json !== undefined) {
    const file = path.resolve(process.cwd(), values.json);
    mkdirSync(path.dirname(file), { recursive: true });
    const machine = { cpu: os.cpus()[0]?.model ?? "unknown", cores: os.cpus().length, node: process.versions.node };
    writeFileSync(
      file,
      `${JSON.stringify({ schema: "healthtrace-loadgen/1", date: new Date().toISOString(), rpc: values.rpc, seed, machine, contracts, report }, null, 2)}\n`,
    );
    process.stdout.write(`wrote ${path.relative(ROOT, file)}\n`);
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(
    `error: ${error instanceof CliError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
