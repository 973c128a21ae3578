/**
 * `npm run dev`: the local HealthTrace stack in one command.
 *
 *   node scripts/dev.ts          start everything, print what runs where, run until Ctrl-C / SIGTERM
 *   node scripts/dev.ts --once   start everything, print, then stop everything and exit (CI smoke test)
 *
 * Run by the `npm run dev` wrapper, which has already put Node ≥ 22.18 on PATH (this file is TypeScript run
 * natively, erasable syntax only) and installed node_modules. The stack is described by `PLAN` below: an
 * ordered list of one-shot steps and long-running services. Later issues add services (the app on :5173,
 * the record vault, the indexer) as entries of that list; everything else (port checks, readiness, logs,
 * shutdown of every process group, failure reporting) comes with it.
 *
 * Logs: `.dev/<name>.log` per step or service (the node's in `.dev/hardhat-node.log`). Machine-readable
 * state: `.dev/stack.json` (written by the seed). The chain is new on each run, so re-running works.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, type WriteStream } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";

import { describeIndexerDatabase } from "./lib/indexer.ts";
import { HARDHAT_CLI, IGNITION_ENV, ignitionDeployArgs, LOCAL_CHAIN_ID } from "./lib/local-chain.ts";
import { DEV_MNEMONIC } from "./lib/personas.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DEV_DIR = path.join(ROOT, ".dev");
const NODE = process.execPath;

const RPC_HOST = "127.0.0.1";
/** Ports of the stack; each can be moved by an environment variable (see .env.example). */
function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    process.stderr.write(`error: ${name}=${raw} is not a TCP port (1-65535)\n`);
    process.exit(2);
  }
  return port;
}
const RPC_PORT = portFromEnv("HEALTHTRACE_RPC_PORT", 8545);
const RPC_URL = `http://${RPC_HOST}:${RPC_PORT}`;
const APP_HOST = process.env.HEALTHTRACE_APP_HOST ?? "127.0.0.1";
const APP_PORT = portFromEnv("HEALTHTRACE_APP_PORT", 5173);
const APP_URL = `http://${APP_HOST === "127.0.0.1" || APP_HOST === "0.0.0.0" ? "localhost" : APP_HOST}:${APP_PORT}`;
const APP_PROBE_URL = `http://${APP_HOST === "0.0.0.0" ? "127.0.0.1" : APP_HOST}:${APP_PORT}`;
const VITE = path.join(ROOT, "node_modules", "vite", "bin", "vite.js");
const RELAYER_PORT = portFromEnv("HEALTHTRACE_RELAYER_PORT", 8790);
const RELAYER_URL = `http://${RPC_HOST}:${RELAYER_PORT}`;
/** The consent relayer's dev key: Hardhat's account #20 (PUBLIC test key), funded on devChain, used by no persona. */
const RELAYER_ACCOUNT_INDEX = 20;
const relayerAccount = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: RELAYER_ACCOUNT_INDEX });
const RELAYER_PRIVATE_KEY = process.env.RELAYER_PRIVATE_KEY || toHex(relayerAccount.getHdKey().privateKey ?? new Uint8Array());
/** Who pays for relayed signatures: account #20, unless RELAYER_PRIVATE_KEY names another key. */
const relayerLabel = (): string =>
  RELAYER_PRIVATE_KEY === toHex(relayerAccount.getHdKey().privateKey ?? new Uint8Array())
    ? `account #${RELAYER_ACCOUNT_INDEX} ${relayerAccount.address}`
    : "the key in RELAYER_PRIVATE_KEY";
const VAULT_PORT = portFromEnv("HEALTHTRACE_VAULT_PORT", 8787);
const VAULT_URL = `http://${RPC_HOST}:${VAULT_PORT}`;
const INDEXER_PORT = portFromEnv("HEALTHTRACE_INDEXER_PORT", 8791);
const INDEXER_URL = `http://${RPC_HOST}:${INDEXER_PORT}`;
/** Per indexer port, so a second stack of this checkout (the e2e run's) never shares the database of the first. */
const INDEXER_DB_DIR = path.join(DEV_DIR, `indexer-db-${INDEXER_PORT}`);
const CHAIN_ID = LOCAL_CHAIN_ID;
const DEPLOYMENT_DIR = path.join(ROOT, "ignition", "deployments", `chain-${CHAIN_ID}`);

const ONCE = process.argv.includes("--once");

// ---------------------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------------------

const COLOR = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
const paint = (code: string) => (text: string) => (COLOR ? `\u001b[${code}m${text}\u001b[0m` : text);
const bold = paint("1");
const dim = paint("2");
const green = paint("32");
const red = paint("31");
const yellow = paint("33");
const cyan = paint("36");

const rel = (file: string): string => path.relative(ROOT, file).split(path.sep).join("/");
const log = (line = ""): void => {
  process.stdout.write(`${line}\n`);
};

/** Terminal columns of a string: CJK and full-width characters take two. */
function width(text: string): number {
  let w = 0;
  for (const ch of text.replace(/\u001b\[[0-9;]*m/g, "")) {
    const c = ch.codePointAt(0) ?? 0;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6);
    w += wide ? 2 : 1;
  }
  return w;
}
const pad = (text: string, columns: number): string => text + " ".repeat(Math.max(0, columns - width(text)));

function table(header: readonly string[], rows: readonly (readonly string[])[], indent = "  "): string[] {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: readonly string[]): string =>
    (indent + cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]))).join("  ")).trimEnd();
  return [line(header.map((h) => bold(h))), ...rows.map(line)];
}

// ---------------------------------------------------------------------------------------------------------
// The plan: steps (run to completion) and services (keep running), in order
// ---------------------------------------------------------------------------------------------------------

interface Step {
  readonly kind: "step";
  readonly name: string;
  /** Log file base name under .dev/. */
  readonly logName: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Echo the step's output to the console (indented) as well as to its log. */
  readonly echo?: boolean;
  /** Runs before the command. */
  readonly before?: () => void;
}

interface Service {
  readonly kind: "service";
  readonly name: string;
  readonly logName: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Ports the service binds; checked free before anything starts. */
  readonly ports: readonly { readonly host: string; readonly port: number }[];
  /** Resolves when the service is ready; rejects with a reason. */
  readonly ready: (signal: AbortSignal) => Promise<void>;
  readonly readyTimeoutMs: number;
  /** Lines for the "what runs where" summary. */
  readonly describe: () => string[];
}

type Task = Step | Service;

const hardhat = (...args: string[]): { command: string; args: string[] } => ({ command: NODE, args: [HARDHAT_CLI, ...args] });

const PLAN: readonly Task[] = [
  {
    kind: "step",
    name: "compile",
    logName: "compile",
    // The contracts only (Solidity tests are `npm test`'s business), with the default build profile that the
    // tests and TypeChain types use; the deploy below uses the same profile, so it does not rebuild.
    ...hardhat("compile", "--no-tests"),
  },
  {
    kind: "service",
    name: "hardhat node",
    logName: "hardhat-node",
    ...hardhat("node", "--network", "devChain", "--hostname", RPC_HOST, "--port", String(RPC_PORT)),
    ports: [{ host: RPC_HOST, port: RPC_PORT }],
    ready: (signal) => waitForChainId(RPC_URL, CHAIN_ID, signal),
    readyTimeoutMs: 90_000,
    describe: () => [
      `${bold("JSON-RPC")}   ${cyan(RPC_URL)}   chain id ${CHAIN_ID} (0x${CHAIN_ID.toString(16)})   ${dim("log: .dev/hardhat-node.log")}`,
    ],
  },
  {
    kind: "step",
    name: "deploy (Hardhat Ignition)",
    logName: "deploy",
    // The chain is new on each run: an old deployment journal for chain 31337 would not match it, nor would the
    // indexer's database of the previous chain (a restart of the indexer alone resumes; a new chain starts over).
    before: () => {
      rmSync(DEPLOYMENT_DIR, { recursive: true, force: true });
      rmSync(INDEXER_DB_DIR, { recursive: true, force: true });
    },
    ...hardhat(...ignitionDeployArgs()),
    env: IGNITION_ENV,
  },
  {
    kind: "step",
    name: "seed demo data",
    logName: "seed",
    ...hardhat("run", "--no-compile", "--network", "localhost", "scripts/seed.ts"),
    echo: true,
  },
  {
    kind: "step",
    name: "export ABIs and addresses for the app",
    logName: "export-app",
    command: NODE,
    args: ["scripts/export-app.ts"],
    echo: true,
  },
  {
    kind: "service",
    name: "consent relayer",
    logName: "relayer",
    command: NODE,
    args: ["relayer/server.ts"],
    env: {
      HEALTHTRACE_RPC_PORT: String(RPC_PORT),
      HEALTHTRACE_APP_PORT: String(APP_PORT),
      HEALTHTRACE_RELAYER_PORT: String(RELAYER_PORT),
      RELAYER_PRIVATE_KEY,
      RELAYER_ALLOWED_ORIGINS: [...new Set([APP_URL, APP_PROBE_URL, `http://127.0.0.1:${APP_PORT}`])].join(","),
    },
    ports: [{ host: RPC_HOST, port: RELAYER_PORT }],
    ready: (signal) => waitForHttp(`${RELAYER_URL}/health`, signal),
    readyTimeoutMs: 30_000,
    describe: () => [
      `${bold("Relayer")}    ${cyan(RELAYER_URL)}   consent signatures (grantBySig/revokeBySig), pays gas from ${relayerLabel()}   ${dim("log: .dev/relayer.log")}`,
    ],
  },
  {
    kind: "service",
    name: "app (Vite)",
    logName: "app",
    command: NODE,
    args: [VITE, "--config", "app/vite.config.ts", "--clearScreen", "false"],
    env: {
      HEALTHTRACE_RPC_PORT: String(RPC_PORT),
      HEALTHTRACE_APP_PORT: String(APP_PORT),
      HEALTHTRACE_APP_HOST: APP_HOST,
      HEALTHTRACE_RELAYER_PORT: String(RELAYER_PORT),
      HEALTHTRACE_VAULT_PORT: String(VAULT_PORT),
      HEALTHTRACE_INDEXER_PORT: String(INDEXER_PORT),
    },
    ports: [{ host: APP_HOST, port: APP_PORT }],
    ready: (signal) => waitForHttp(APP_PROBE_URL, signal),
    readyTimeoutMs: 60_000,
    describe: () => [`${bold("App")}        ${cyan(APP_URL)}   ${dim("log: .dev/app.log")}`],
  },
  {
    kind: "service",
    name: "record vault",
    logName: "vault",
    // --dev-stack: addresses and the vault persona's public test key from .dev/stack.json, a fresh embedded database
    // in .dev/vault-db, a random master key per run (unless VAULT_MASTER_KEY is set), the seed's records imported.
    command: NODE,
    args: ["vault/src/main.ts", "--dev-stack", ".dev"],
    env: {
      VAULT_RPC_URL: RPC_URL,
      VAULT_HOST: RPC_HOST,
      VAULT_PORT: String(VAULT_PORT),
      // Sign-in messages and requests come from the app on this stack's port.
      VAULT_SIWE_DOMAIN: process.env.VAULT_SIWE_DOMAIN ?? `localhost:${APP_PORT},127.0.0.1:${APP_PORT}`,
      VAULT_ALLOWED_ORIGINS:
        process.env.VAULT_ALLOWED_ORIGINS ?? [...new Set([APP_URL, APP_PROBE_URL, `http://127.0.0.1:${APP_PORT}`])].join(","),
    },
    ports: [{ host: RPC_HOST, port: VAULT_PORT }],
    ready: (signal) => waitForHttp(`${VAULT_URL}/health`, signal),
    readyTimeoutMs: 90_000,
    describe: () => [
      `${bold("Vault")}      ${cyan(VAULT_URL)}   API: ${cyan(`${VAULT_URL}/openapi.json`)}   ${dim("log: .dev/vault.log")}`,
    ],
  },
  {
    kind: "service",
    name: "indexer (Ponder)",
    logName: "indexer",
    // Every registry event from the deployment block into PGlite in .dev/indexer-db-<port> (PostgreSQL with DATABASE_URL);
    // it follows new blocks and re-indexes by itself if this chain is restarted under it. Ready when the backfill is done.
    command: NODE,
    args: ["scripts/indexer.ts", "--rpc", RPC_URL, "--port", String(INDEXER_PORT), "--db-dir", INDEXER_DB_DIR],
    ports: [{ host: RPC_HOST, port: INDEXER_PORT }],
    ready: (signal) => waitForHttp(`${INDEXER_URL}/ready`, signal),
    readyTimeoutMs: 180_000,
    describe: () => [
      `${bold("Indexer")}    ${cyan(INDEXER_URL)}   GraphQL: ${cyan(`${INDEXER_URL}/graphql`)}   stats: ${cyan(`${INDEXER_URL}/stats/doses`)}   ${dim("log: .dev/indexer.log")}`,
      `             ${dim(`database: ${describeIndexerDatabase(process.env.DATABASE_URL, INDEXER_DB_DIR)}`)}`,
    ],
  },
];

// ---------------------------------------------------------------------------------------------------------
// Readiness helpers
// ---------------------------------------------------------------------------------------------------------

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

async function rpc(url: string, method: string, params: readonly unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(2_000),
  });
  const body: unknown = await response.json();
  if (typeof body !== "object" || body === null || !("result" in body)) {
    throw new Error(`${method}: unexpected answer ${JSON.stringify(body)}`);
  }
  return body.result;
}

/** Poll eth_chainId until it answers `chainId`. */
async function waitForChainId(url: string, chainId: number, signal: AbortSignal): Promise<void> {
  const expected = `0x${chainId.toString(16)}`;
  while (!signal.aborted) {
    try {
      const answer = await rpc(url, "eth_chainId");
      if (answer === expected) return;
      throw new Error(`${url} answers chain id ${String(answer)}, expected ${expected}`);
    } catch (error) {
      if (error instanceof Error && error.message.includes("answers chain id")) throw error;
    }
    await sleep(250, signal);
  }
}

/** Poll an HTTP URL until it answers 2xx/3xx (for services such as the app or the vault). */
async function waitForHttp(url: string, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000), redirect: "manual" });
      if (response.status < 400) return;
    } catch {
      // not up yet
    }
    await sleep(250, signal);
  }
}

/** Whether host:port can be bound now. */
function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

// ---------------------------------------------------------------------------------------------------------
// Child processes: each in its own process group, so that stopping it stops everything it started
// ---------------------------------------------------------------------------------------------------------

interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pgid: number;
  readonly logFile: string;
  /** Resolves with the exit code (or 128 + signal number) once the process has exited. */
  readonly exited: Promise<number>;
  done: boolean;
}

const children = new Set<Child>();
let stopping = false;

const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

function startChild(task: Task): Child {
  mkdirSync(DEV_DIR, { recursive: true });
  const logFile = path.join(DEV_DIR, `${task.logName}.log`);
  const out: WriteStream = createWriteStream(logFile, { flags: "w" });
  out.write(`# ${task.name}: ${[task.command, ...task.args].join(" ")}\n`);
  const proc = spawn(task.command, [...task.args], {
    cwd: ROOT,
    env: { ...process.env, FORCE_COLOR: "0", ...task.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // a new process group (setsid): signals to the group reach every descendant
  });
  if (proc.pid === undefined) throw new Error(`could not start ${task.name}`);
  const echo = task.kind === "step" && task.echo === true;
  const forward = (chunk: Buffer): void => {
    out.write(chunk);
    if (echo) {
      const text = chunk.toString("utf8").replace(/^\n+/, "");
      if (text !== "") process.stdout.write(text.replace(/^(?=.)/gm, "    "));
    }
  };
  proc.stdout?.on("data", forward);
  proc.stderr?.on("data", forward);
  const child: Child = {
    name: task.name,
    process: proc,
    pgid: proc.pid,
    logFile,
    done: false,
    exited: new Promise((resolve) => {
      proc.once("error", () => {
        child.done = true;
        out.end();
        resolve(127);
      });
      proc.once("close", (code, signal) => {
        child.done = true;
        out.end();
        resolve(code ?? 128 + (signal === null ? 0 : (SIGNAL_NUMBERS[signal] ?? 0)));
      });
    }),
  };
  children.add(child);
  return child;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone
  }
}

/** Stop a child's whole process group: SIGTERM, then SIGKILL after a grace period. */
async function stopChild(child: Child, graceMs = 5_000): Promise<void> {
  signalGroup(child.pgid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while ((groupAlive(child.pgid) || !child.done) && Date.now() < deadline) await sleep(100);
  if (groupAlive(child.pgid)) signalGroup(child.pgid, "SIGKILL");
  while (groupAlive(child.pgid) && Date.now() < deadline + 2_000) await sleep(100);
  children.delete(child);
}

/** Stop everything started, newest first. */
async function stopAll(): Promise<void> {
  for (const child of [...children].reverse()) await stopChild(child);
}

function tail(file: string, lines = 25): string[] {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines);
  } catch {
    return [];
  }
}

class StepFailure extends Error {
  readonly logFile: string | undefined;
  constructor(message: string, logFile?: string) {
    super(message);
    this.logFile = logFile;
  }
}

async function shutdown(exitCode: number, reason?: string): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (reason !== undefined) log(reason);
    const running = [...children].filter((c) => !c.done).map((c) => c.name);
    if (running.length > 0) log(dim(`Stopping ${running.join(", ")}…`));
    await stopAll();
    if (exitCode === 0) log(dim("Everything stopped."));
  }
  process.exit(exitCode);
}

// ---------------------------------------------------------------------------------------------------------
// Running the plan
// ---------------------------------------------------------------------------------------------------------

async function runStep(step: Step): Promise<void> {
  step.before?.();
  const child = startChild(step);
  const code = await child.exited;
  signalGroup(child.pgid, "SIGKILL"); // anything the step left behind
  children.delete(child);
  if (stopping) return;
  if (code !== 0) throw new StepFailure(`exit code ${code}`, child.logFile);
}

async function startService(service: Service): Promise<Child> {
  const child = startChild(service);
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), service.readyTimeoutMs);
  try {
    const outcome = await Promise.race([
      service.ready(controller.signal).then(() => (controller.signal.aborted ? "timeout" : "ready")),
      child.exited.then((code) => `exited with code ${code}`),
    ]);
    if (outcome === "timeout") {
      throw new StepFailure(`not ready after ${service.readyTimeoutMs / 1000} s`, child.logFile);
    }
    if (outcome !== "ready") throw new StepFailure(`${outcome} before it was ready`, child.logFile);
  } catch (error) {
    if (error instanceof StepFailure) throw error;
    throw new StepFailure(error instanceof Error ? error.message : String(error), child.logFile);
  } finally {
    clearTimeout(timeout);
    controller.abort();
  }
  // From now on, a service that dies takes the whole stack down with a clear message.
  void child.exited.then((code) => {
    if (!stopping) {
      void shutdown(1, red(`✗ ${service.name} exited unexpectedly (code ${code}); see ${rel(child.logFile)}`));
    }
  });
  return child;
}

async function preflight(): Promise<void> {
  if (!existsSync(HARDHAT_CLI)) {
    throw new StepFailure(`Hardhat is not installed (${rel(HARDHAT_CLI)} missing): run npm install`);
  }
  for (const task of PLAN) {
    if (task.kind !== "service") continue;
    for (const { host, port } of task.ports) {
      if (await portFree(host, port)) continue;
      let who = "";
      if (port === RPC_PORT) {
        try {
          who = ` (it answers eth_chainId with ${String(await rpc(`http://${host}:${port}`, "eth_chainId"))})`;
        } catch {
          // not a JSON-RPC server
        }
      }
      throw new StepFailure(
        `${host}:${port} is already in use${who}: another HealthTrace stack (npm run dev) or another node may be ` +
          `running. Stop it (Ctrl-C in its terminal) and run npm run dev again.`,
      );
    }
  }
}

interface StackAccount {
  index: number;
  address: string;
  persona: { name: { en: string; zh: string } } | null;
  roles: string[];
  publicTestPrivateKey: string | null;
}

function printSummary(services: readonly Service[]): void {
  const stackFile = path.join(DEV_DIR, "stack.json");
  const stack = JSON.parse(readFileSync(stackFile, "utf8")) as {
    contracts: Record<string, string>;
    accounts: StackAccount[];
    seed?: {
      timeline?: { chainStart?: string; lastBlock?: string; endsInFuture?: boolean };
      grants?: unknown[];
      vaccines?: { lots?: unknown[]; summary?: { doseRecords?: number } };
      supply?: { summary?: { locations?: number; shipments?: number; inTransit?: unknown[]; excursions?: number } };
    };
  };
  const deployed = JSON.parse(readFileSync(path.join(DEPLOYMENT_DIR, "deployed_addresses.json"), "utf8")) as Record<
    string,
    string
  >;

  log();
  log(green(bold("HealthTrace local stack is running.")) + (ONCE ? "" : dim("  Ctrl-C stops everything it started.")));
  log();
  for (const s of services) for (const line of s.describe()) log(`  ${line}`);
  log();
  log(`  ${bold("Contracts")} ${dim(`(Ignition: ${rel(path.join(DEPLOYMENT_DIR, "deployed_addresses.json"))})`)}`);
  for (const line of table(
    ["name", "address"],
    Object.entries(deployed).map(([id, address]) => [id.slice(id.indexOf("#") + 1), address]),
    "    ",
  )) {
    log(line);
  }
  log();
  log(`  ${bold("Accounts")} ${dim("(Hardhat's default dev accounts, 10000 ETH each)")}`);
  const short = (role: string): string => role.replace(/_ROLE$/, "");
  for (const line of table(
    ["#", "address", "persona", "中文", "roles"],
    stack.accounts.map((a) => [
      String(a.index),
      a.address,
      a.persona?.name.en ?? dim("(unassigned)"),
      a.persona?.name.zh ?? "",
      a.roles.map(short).join(", "),
    ]),
    "    ",
  )) {
    log(line);
  }
  log();
  log(
    `  ${bold("Private keys")} ${yellow("PUBLIC test keys (Hardhat's well-known dev mnemonic): anyone can use them. Never send real funds to these accounts or use them on a real network.")}`,
  );
  const keyed = stack.accounts.filter((a) => a.publicTestPrivateKey !== null);
  const half = Math.ceil(keyed.length / 2);
  for (let i = 0; i < half; i++) {
    const cell = (a: StackAccount | undefined): string =>
      a === undefined ? "" : `${String(a.index).padStart(2)}  ${a.publicTestPrivateKey ?? ""}`;
    log(`    ${cell(keyed[i])}    ${cell(keyed[i + half])}`.trimEnd());
  }
  log();
  const seeded = stack.seed;
  if (seeded?.timeline?.chainStart !== undefined && seeded.timeline.lastBlock !== undefined) {
    const behind = Math.round((Date.now() - Date.parse(seeded.timeline.lastBlock)) / 60_000);
    log(
      `  ${bold("Demo data")}  history ${seeded.timeline.chainStart.slice(0, 10)} → ${seeded.timeline.lastBlock.slice(0, 10)}` +
        (seeded.timeline.endsInFuture === true
          ? yellow(" (chain time is AHEAD of the wall clock)")
          : dim(` (chain time ≈ ${Math.max(behind, 1)} min behind the wall clock)`)) +
        ` · ${seeded.vaccines?.lots?.length ?? 0} vaccine lots · ${seeded.vaccines?.summary?.doseRecords ?? 0} dose records` +
        ` · ${seeded.grants?.length ?? 0} consent grants` +
        (seeded.supply?.summary === undefined
          ? ""
          : ` · ${seeded.supply.summary.shipments ?? 0} shipments (${seeded.supply.summary.inTransit?.length ?? 0} in transit, ` +
            `${seeded.supply.summary.excursions ?? 0} cold-chain excursion${seeded.supply.summary.excursions === 1 ? "" : "s"}) at ${seeded.supply.summary.locations ?? 0} locations`) +
        ` ${dim("(details: .dev/stack.json → seed)")}`,
    );
    log();
  }
  log(
    `  ${bold("Files")}  ${rel(stackFile)} (this table as JSON) · .dev/records.json (demo record documents) · ` +
      `app/src/generated/healthtrace.ts (ABIs + addresses) · logs in .dev/*.log`,
  );
  log();
}

async function main(): Promise<void> {
  // A closed console (EPIPE) must not crash us before the children are stopped.
  process.stdout.on("error", () => undefined);
  process.stderr.on("error", () => undefined);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (stopping) {
        // A second Ctrl-C: do not wait for the grace period.
        for (const child of children) signalGroup(child.pgid, "SIGKILL");
        process.exit(1);
      }
      void shutdown(0, dim(`\nReceived ${signal}.`));
    });
  }

  // `npm run dev` runs this file under `sh -c`; when npm itself is sent SIGTERM it does not reach us, and we are
  // re-parented instead. Treat the loss of the parent like a SIGTERM, so no process is left behind.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent && !stopping) void shutdown(0, dim("\nParent process exited."));
  }, 500).unref();

  log(bold("HealthTrace dev stack") + dim(`  (node ${process.version}, logs in .dev/)`));
  const started: Service[] = [];
  let current = "preflight";
  try {
    await preflight();
    for (const task of PLAN) {
      if (stopping) return;
      current = task.name;
      const t0 = Date.now();
      log(`${cyan("▶")} ${task.name}${dim(` …  (.dev/${task.logName}.log)`)}`);
      if (task.kind === "step") await runStep(task);
      else {
        await startService(task);
        started.push(task);
      }
      if (stopping) return;
      log(`${green("✓")} ${task.name} ${dim(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`)}`);
    }
    printSummary(started);
    // For tools that start the stack and wait for it (the end-to-end runner): everything is up.
    const readyFile = process.env.HEALTHTRACE_READY_FILE;
    if (readyFile !== undefined && readyFile !== "") {
      writeFileSync(readyFile, `${JSON.stringify({ pid: process.pid, rpcUrl: RPC_URL, appUrl: APP_URL, indexerUrl: INDEXER_URL })}\n`);
    }
  } catch (error) {
    if (stopping) return;
    const message = error instanceof Error ? error.message : String(error);
    log(red(`✗ ${current} failed: ${message}`));
    if (error instanceof StepFailure && error.logFile !== undefined) {
      log(dim(`  last lines of ${rel(error.logFile)}:`));
      for (const line of tail(error.logFile)) log(dim(`  │ ${line}`));
    }
    await shutdown(1);
    return;
  }
  if (ONCE) await shutdown(0, dim("--once: stopping."));
  // Otherwise the services keep the event loop alive until a signal arrives.
}

await main();
