/**
 * A local Hardhat node with the HealthTrace deployment, for the scripts that start a chain of their own (`npm run dev`,
 * the benchmarks): the Hardhat CLI of the project, `hardhat node` on a loopback port, and `hardhat ignition deploy` of
 * the HealthTrace module to it.
 *
 * Node only; erasable TypeScript (local imports end in `.ts`).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createConnection } from "node:net";
import path from "node:path";

import { ROOT } from "./provenance-chain.ts";

/** Hardhat's CLI, run with this process's Node (which the toolchain made ≥ 22.18). */
export const HARDHAT_CLI = path.join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");

/** Hardhat's chain id: the local chain, which can be restarted with other blocks at the same heights. */
export const LOCAL_CHAIN_ID = 31337;

/** Ignition never prompts for chain 31337; this makes sure it never waits on stdin elsewhere either. */
export const IGNITION_ENV = { HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "true" } as const;

/**
 * The arguments of `hardhat ignition deploy` for the HealthTrace module on the `localhost` network (whose port is
 * `HEALTHTRACE_RPC_PORT`, hardhat.config.ts), with the build profile the tests use. `deploymentId` names the folder
 * under ignition/deployments/ (default `chain-<id>`); `reset` starts that deployment afresh.
 */
export function ignitionDeployArgs(
  options: { readonly deploymentId?: string; readonly reset?: boolean } = {},
): string[] {
  return [
    "ignition",
    "deploy",
    "ignition/modules/HealthTrace.ts",
    "--network",
    "localhost",
    "--build-profile",
    "default",
    ...(options.deploymentId === undefined ? [] : ["--deployment-id", options.deploymentId]),
    ...(options.reset === true ? ["--reset"] : []),
  ];
}

/** Deploy HealthTrace with Ignition to the node on 127.0.0.1:`port`; throws with Ignition's output when it fails. */
export function deployHealthTrace(
  port: number,
  options: { readonly deploymentId?: string; readonly reset?: boolean } = {},
): void {
  try {
    execFileSync(process.execPath, [HARDHAT_CLI, ...ignitionDeployArgs(options)], {
      cwd: ROOT,
      env: { ...process.env, ...IGNITION_ENV, HEALTHTRACE_RPC_PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`Ignition deployment failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

/** Whether something listens on 127.0.0.1:`port`. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A running `hardhat node`. */
export interface LocalNode {
  readonly process: ChildProcess;
  readonly url: string;
  /** SIGTERM, and wait until it has exited. */
  stop(): Promise<void>;
}

/**
 * Start `hardhat node` on 127.0.0.1:`port` (with `--network <network>` if given, e.g. `devChain`, whose clock starts
 * 180 days in the past) and wait until it answers `eth_chainId`. Refuses a port in use.
 */
export async function startHardhatNode(
  port: number,
  options: { readonly network?: string; readonly timeoutMs?: number } = {},
): Promise<LocalNode> {
  if (await portInUse(port)) throw new Error(`port ${port} is in use: stop what listens there or choose another port`);
  const args = [HARDHAT_CLI, "node", ...(options.network === undefined ? [] : ["--network", options.network])];
  const child = spawn(process.execPath, [...args, "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited (${child.exitCode}): ${stderr}`);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) return { process: child, url, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`hardhat node did not answer on ${url} in time: ${stderr}`);
}
