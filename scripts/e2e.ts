/**
 * End-to-end tests: `npm run test:e2e` (and the last part of `npm test`).
 *
 * Starts its own local stack (`scripts/dev.ts`: chain, deploy, seed, app; on ports of its own so a running
 * `npm run dev` is not disturbed), waits until it is up, runs every `test/e2e/*.e2e.ts` with node:test in
 * Debian's headless Chromium (playwright-core), then stops the stack. Screenshots go to docs/screenshots/.
 *
 *   E2E_APP_URL=http://localhost:5173 node scripts/e2e.ts   use an already running stack instead
 *   node scripts/e2e.ts citizen                            only the files whose name contains "citizen"
 *   E2E_RPC_PORT / E2E_APP_PORT / E2E_VAULT_PORT / E2E_RELAYER_PORT / E2E_INDEXER_PORT   the ports of the stack it starts
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const E2E_DIR = path.join(ROOT, "test", "e2e");
const READY_FILE = path.join(ROOT, ".dev", "e2e-ready.json");
const PORTS = {
  rpc: process.env.E2E_RPC_PORT ?? "8645",
  app: process.env.E2E_APP_PORT ?? "5273",
  vault: process.env.E2E_VAULT_PORT ?? "8887",
  relayer: process.env.E2E_RELAYER_PORT ?? "8890",
  indexer: process.env.E2E_INDEXER_PORT ?? "8891",
};

const log = (line: string): void => {
  process.stdout.write(`[e2e] ${line}\n`);
};

// Debian's Chromium (and CJK fonts, so Chinese screenshots have glyphs): installed here when missing, so that
// `npm test` on a fresh machine needs nothing else. Needs root (or password-less sudo) for apt-get.
function ensureChromium(): void {
  if (process.env.CHROMIUM_PATH !== undefined || (existsSync("/usr/bin/chromium") && existsSync("/usr/share/fonts/opentype/noto"))) {
    return;
  }
  log("installing Debian's chromium and fonts-noto-cjk with apt-get");
  const root = process.getuid?.() === 0;
  const apt = (args: string[]) =>
    spawnSync(root ? "apt-get" : "sudo", root ? args : ["-n", "apt-get", ...args], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    }).status === 0;
  const packages = ["install", "-y", "--no-install-recommends", "chromium", "fonts-noto-cjk"];
  if (!apt(packages) && !(apt(["update"]) && apt(packages))) {
    process.stderr.write("[e2e] could not install chromium: run apt-get install -y chromium fonts-noto-cjk as root\n");
    process.exit(1);
  }
}
ensureChromium();

const files = readdirSync(E2E_DIR)
  .filter((f) => f.endsWith(".e2e.ts"))
  .sort()
  .map((f) => path.join(E2E_DIR, f));
const only = process.argv.slice(2);
const selected = only.length === 0 ? files : files.filter((f) => only.some((o) => f.includes(o)));

let stack: ReturnType<typeof spawn> | null = null;
const env: NodeJS.ProcessEnv = { ...process.env };

async function startStack(): Promise<void> {
  rmSync(READY_FILE, { force: true });
  log(`starting the local stack on ports rpc ${PORTS.rpc}, app ${PORTS.app} (log: .dev/e2e-stack.log)`);
  const { mkdirSync, openSync } = await import("node:fs");
  mkdirSync(path.join(ROOT, ".dev"), { recursive: true });
  const out = openSync(path.join(ROOT, ".dev", "e2e-stack.log"), "w");
  stack = spawn(process.execPath, [path.join(ROOT, "scripts", "dev.ts")], {
    cwd: ROOT,
    env: {
      ...process.env,
      HEALTHTRACE_RPC_PORT: PORTS.rpc,
      HEALTHTRACE_APP_PORT: PORTS.app,
      HEALTHTRACE_VAULT_PORT: PORTS.vault,
      HEALTHTRACE_RELAYER_PORT: PORTS.relayer,
      HEALTHTRACE_INDEXER_PORT: PORTS.indexer,
      HEALTHTRACE_READY_FILE: READY_FILE,
      NO_COLOR: "1",
    },
    stdio: ["ignore", out, out],
    detached: true,
  });
  const started = Date.now();
  while (!existsSync(READY_FILE)) {
    if (stack.exitCode !== null) throw new Error(`the stack exited with code ${String(stack.exitCode)}: see .dev/e2e-stack.log`);
    if (Date.now() - started > 240_000) throw new Error("the stack was not up after 240 s: see .dev/e2e-stack.log");
    await new Promise((r) => setTimeout(r, 500));
  }
  log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  env.E2E_APP_URL = `http://localhost:${PORTS.app}`;
  env.E2E_RPC_URL = `http://127.0.0.1:${PORTS.rpc}`;
  env.HEALTHTRACE_RPC_PORT = PORTS.rpc;
  env.HEALTHTRACE_APP_PORT = PORTS.app;
  env.HEALTHTRACE_VAULT_PORT = PORTS.vault;
  env.HEALTHTRACE_RELAYER_PORT = PORTS.relayer;
  env.HEALTHTRACE_INDEXER_PORT = PORTS.indexer;
  env.E2E_INDEXER_URL = `http://127.0.0.1:${PORTS.indexer}`;
}

async function stopStack(): Promise<void> {
  const child = stack;
  if (child === null || child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((r) => child.once("exit", r));
  process.kill(-child.pid, "SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
}

let code = 1;
try {
  if (process.env.E2E_APP_URL === undefined) await startStack();
  else log(`using the running stack at ${process.env.E2E_APP_URL}`);
  code = await new Promise<number>((resolve) => {
    const t = spawn(process.execPath, ["--test", "--test-concurrency=1", "--test-reporter=spec", ...selected], {
      cwd: ROOT,
      env,
      stdio: "inherit",
    });
    t.on("exit", (c) => resolve(c ?? 1));
  });
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
} finally {
  await stopStack();
  rmSync(READY_FILE, { force: true });
}
process.exit(code);
