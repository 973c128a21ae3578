/**
 * What the benchmarks (`scripts/bench.ts`, `scripts/bench-analytics.ts`) print and record beside their figures: the
 * machine, installed package versions, the git commit, and Markdown tables. Node only; erasable TypeScript.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { ROOT } from "./provenance-chain.ts";

/** A whole number with thousands separators. */
export const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");

/** A Markdown table; columns from `rightFrom` on are right-aligned. */
export function table(headers: string[], rows: string[][], rightFrom = 1): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i >= rightFrom ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(" | ")} |`;
  const sep = `|${widths.map((w, i) => (i >= rightFrom ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(headers), sep, ...rows.map(line)].join("\n");
}

/** The installed version of a package of the project's node_modules. */
export function versionOf(pkg: string): string {
  return (JSON.parse(readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string })
    .version;
}

/** `git <args>` in the repository, trimmed ("unknown" if git fails). */
export function git(args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

/** The machine a benchmark ran on. */
export function machineInfo(): { cpu: string; cores: number; memoryGiB: number; platform: string; node: string } {
  return {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.versions.node,
  };
}
