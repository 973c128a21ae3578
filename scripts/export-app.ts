/**
 * Export typed (`as const`) ABIs and deployed addresses for the app.
 *
 *   node scripts/export-app.ts            (Node ≥ 22.18 runs TypeScript natively; no Hardhat needed)
 *
 * Reads the compiled artifacts (`artifacts/contracts/<File>.sol/<Name>.json`, from `npx hardhat compile`)
 * of the core contracts and of every contract found in any Ignition deployment
 * (`ignition/deployments/chain-<id>/deployed_addresses.json`), and writes `app/src/generated/healthtrace.ts`:
 *
 *   export const healthTraceAuthorityAbi = [...] as const;   // one per contract
 *   export const deployments = { 31337: { HealthTraceAuthority: "0x…", … } } as const;
 *
 * The output is deterministic (sorted, no timestamps), so re-running without changes rewrites the same
 * bytes. Uses only erasable TypeScript syntax, so Node's type stripping can run it directly.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ARTIFACTS_DIR = path.join(ROOT, "artifacts");
const DEPLOYMENTS_DIR = path.join(ROOT, "ignition", "deployments");
const OUT_FILE = path.join(ROOT, "app", "src", "generated", "healthtrace.ts");

/** Contracts exported even when nothing is deployed yet. */
const CORE_CONTRACTS = [
  "HealthTraceAuthority",
  "RecordRegistry",
  "ConsentRegistry",
  "VaccineRegistry",
  "ProvenanceRegistry",
];

/** The local stack's personas (written by the seed) and the app module that lists them for the dev connector. */
const STACK_FILE = path.join(ROOT, ".dev", "stack.json");
const DEV_STACK_OUT = path.join(ROOT, "app", "src", "generated", "dev-stack.ts");

interface Artifact {
  readonly contractName: string;
  readonly sourceName: string;
  readonly abi: readonly unknown[];
}

class ExportError extends Error {}

const rel = (file: string): string => path.relative(ROOT, file).split(path.sep).join("/");

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ExportError(`cannot read ${rel(file)}: ${reason}`);
  }
}

function asArtifact(value: unknown, file: string): Artifact {
  if (typeof value === "object" && value !== null) {
    const v = value as Record<string, unknown>;
    if (typeof v.contractName === "string" && typeof v.sourceName === "string" && Array.isArray(v.abi)) {
      return { contractName: v.contractName, sourceName: v.sourceName, abi: v.abi };
    }
  }
  throw new ExportError(`${rel(file)} is not a Hardhat artifact (contractName, sourceName, abi)`);
}

/** Every compiled contract artifact under artifacts/ (not build-info, not debug files), by contract name. */
function compiledArtifacts(): Map<string, { file: string; artifact: Artifact }[]> {
  if (!existsSync(ARTIFACTS_DIR)) {
    throw new ExportError(`no ${rel(ARTIFACTS_DIR)}/ directory: compile first (npx hardhat compile)`);
  }
  const found = new Map<string, { file: string; artifact: Artifact }[]>();
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "build-info") walk(full);
      } else if (entry.name.endsWith(".json") && !entry.name.endsWith(".dbg.json") && path.basename(dir).endsWith(".sol")) {
        const name = entry.name.slice(0, -".json".length);
        const artifact = asArtifact(readJson(full), full);
        if (artifact.contractName !== name) continue;
        const list = found.get(name) ?? [];
        list.push({ file: full, artifact });
        found.set(name, list);
      }
    }
  };
  walk(ARTIFACTS_DIR);
  return found;
}

interface DeployedContract {
  /** The name under which the app finds it: the future id without its module prefix. */
  readonly key: string;
  readonly futureId: string;
  readonly contractName: string;
  readonly sourceName: string | undefined;
  readonly address: string;
  /** The ABI Ignition recorded at deployment time, to detect a stale deployment. */
  readonly deployedAbi: readonly unknown[] | undefined;
}

/** Every Ignition deployment, by chain id. */
function ignitionDeployments(): { chainId: number; file: string; contracts: DeployedContract[] }[] {
  if (!existsSync(DEPLOYMENTS_DIR)) return [];
  const result: { chainId: number; file: string; contracts: DeployedContract[] }[] = [];
  for (const dir of readdirSync(DEPLOYMENTS_DIR)) {
    const match = /^chain-(\d+)$/.exec(dir);
    const file = path.join(DEPLOYMENTS_DIR, dir, "deployed_addresses.json");
    if (match === null || !existsSync(file)) continue;
    const raw = readJson(file);
    if (typeof raw !== "object" || raw === null) throw new ExportError(`${rel(file)} is not a JSON object`);
    const contracts: DeployedContract[] = [];
    for (const [futureId, address] of Object.entries(raw)) {
      if (typeof address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(address)) {
        throw new ExportError(`${rel(file)}: "${futureId}" is not an address`);
      }
      const key = futureId.slice(futureId.lastIndexOf("#") + 1);
      const deploymentArtifact = path.join(DEPLOYMENTS_DIR, dir, "artifacts", `${futureId}.json`);
      const artifact = existsSync(deploymentArtifact) ? asArtifact(readJson(deploymentArtifact), deploymentArtifact) : undefined;
      contracts.push({
        key,
        futureId,
        contractName: artifact?.contractName ?? key,
        sourceName: artifact?.sourceName,
        address,
        deployedAbi: artifact?.abi,
      });
    }
    const keys = new Set<string>();
    for (const c of contracts) {
      if (keys.has(c.key)) {
        throw new ExportError(`${rel(file)}: two futures are named "${c.key}" in different modules; give one an id`);
      }
      keys.add(c.key);
    }
    result.push({ chainId: Number(match[1]), file, contracts });
  }
  return result.sort((a, b) => a.chainId - b.chainId);
}

/** An object key: bare when it is an identifier, quoted otherwise. */
const objectKey = (key: string): string => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key));

const lowerFirst = (name: string): string => {
  // HealthTraceAuthority → healthTraceAuthority; ERC20Token → erc20Token.
  const leadingCaps = /^[A-Z]+(?=[A-Z][a-z]|\d|$)/.exec(name)?.[0] ?? name.charAt(0);
  return leadingCaps.toLowerCase() + name.slice(leadingCaps.length);
};

function main(): void {
  const compiled = compiledArtifacts();
  const deployments = ignitionDeployments();
  const warnings: string[] = [];

  // The contracts to export: the core ones plus everything deployed anywhere.
  const wanted = new Map<string, string | undefined>(); // contract name → preferred source name
  for (const name of CORE_CONTRACTS) wanted.set(name, undefined);
  for (const d of deployments) for (const c of d.contracts) wanted.set(c.contractName, c.sourceName ?? wanted.get(c.contractName));

  const abis = new Map<string, { file: string; abi: readonly unknown[] }>();
  for (const [name, sourceName] of [...wanted].sort(([a], [b]) => a.localeCompare(b))) {
    const candidates = compiled.get(name) ?? [];
    const pick =
      candidates.find((c) => sourceName !== undefined && c.artifact.sourceName === sourceName) ??
      (candidates.length === 1 ? candidates[0] : undefined);
    if (pick === undefined) {
      throw new ExportError(
        candidates.length === 0
          ? `no compiled artifact for ${name} under ${rel(ARTIFACTS_DIR)}/: compile first (npx hardhat compile)`
          : `several artifacts are named ${name} (${candidates.map((c) => rel(c.file)).join(", ")}); cannot choose`,
      );
    }
    abis.set(name, { file: pick.file, abi: pick.artifact.abi });
  }

  for (const d of deployments) {
    for (const c of d.contracts) {
      const compiledAbi = abis.get(c.contractName)?.abi;
      if (c.deployedAbi !== undefined && JSON.stringify(c.deployedAbi) !== JSON.stringify(compiledAbi)) {
        warnings.push(
          `${c.futureId} on chain ${d.chainId} was deployed with a different ABI than ${c.contractName} compiles to ` +
            `now; redeploy (npm run dev) or the app will call it with the wrong ABI`,
        );
      }
    }
  }

  const lines: string[] = [];
  lines.push("// Generated by scripts/export-app.ts. DO NOT EDIT: re-run `node scripts/export-app.ts` (npm run dev does).");
  lines.push("//");
  lines.push("// ABIs from:");
  for (const [, { file }] of abis) lines.push(`//   ${rel(file)}`);
  lines.push("// Addresses from:");
  if (deployments.length === 0) lines.push("//   (no Ignition deployment found)");
  for (const d of deployments) lines.push(`//   ${rel(d.file)}`);
  lines.push("");
  lines.push("/* eslint-disable */");
  lines.push("");
  for (const [name, { abi }] of abis) {
    lines.push(`/** ABI of ${name}. */`);
    lines.push(`export const ${lowerFirst(name)}Abi = ${JSON.stringify(abi, null, 2)} as const;`);
    lines.push("");
  }
  lines.push("/** Every exported ABI, by contract name. */");
  lines.push("export const abis = {");
  for (const [name] of abis) lines.push(`  ${name}: ${lowerFirst(name)}Abi,`);
  lines.push("} as const;");
  lines.push("");
  lines.push("/** Deployed addresses by chain id, then by Ignition future name (the contract name unless given an id). */");
  lines.push("export const deployments = {");
  for (const d of deployments) {
    lines.push(`  ${d.chainId}: {`);
    for (const c of [...d.contracts].sort((a, b) => a.key.localeCompare(b.key))) {
      lines.push(`    ${objectKey(c.key)}: ${JSON.stringify(c.address)},`);
    }
    lines.push("  },");
  }
  lines.push("} as const;");
  lines.push("");
  lines.push("/** Which contract (ABI) each deployed name is, by chain id. */");
  lines.push("export const deployedContracts = {");
  for (const d of deployments) {
    lines.push(`  ${d.chainId}: {`);
    for (const c of [...d.contracts].sort((a, b) => a.key.localeCompare(b.key))) {
      lines.push(`    ${objectKey(c.key)}: ${JSON.stringify(c.contractName)},`);
    }
    lines.push("  },");
  }
  lines.push("} as const;");
  lines.push("");
  lines.push("export type ContractName = keyof typeof abis;");
  lines.push("export type DeployedChainId = keyof typeof deployments;");
  lines.push("");

  const output = lines.join("\n");
  mkdirSync(path.dirname(OUT_FILE), { recursive: true });
  const previous = existsSync(OUT_FILE) ? readFileSync(OUT_FILE, "utf8") : undefined;
  if (previous !== output) writeFileSync(OUT_FILE, output);

  writeDevStack(deployments);

  const chains = deployments.map((d) => `${d.chainId} (${d.contracts.length} contracts)`).join(", ");
  console.log(
    `export-app: ${rel(OUT_FILE)} ${previous === output ? "unchanged" : "written"}: ` +
      `${abis.size} ABIs (${[...abis.keys()].join(", ")}); deployments: ${chains === "" ? "none" : chains}`,
  );
  for (const w of warnings) console.warn(`export-app: warning: ${w}`);
}

interface StackAccount {
  readonly index: number;
  readonly address: string;
  readonly persona: {
    readonly key: string;
    readonly type: string;
    readonly name: { readonly en: string; readonly zh: string };
    readonly kindLabel: { readonly en: string; readonly zh: string } | null;
  } | null;
  readonly roles: readonly string[];
  readonly publicTestPrivateKey: string;
}

/**
 * `app/src/generated/dev-stack.ts`: the seeded personas of the local chain with Hardhat's PUBLIC test keys, for
 * the app's dev connector (loaded only on chain 31337, in its own chunk). Written only when `.dev/stack.json`
 * describes the chain-31337 deployment that was just exported; otherwise the list is empty.
 */
function writeDevStack(deployments: ReturnType<typeof ignitionDeployments>): void {
  let accounts: StackAccount[] = [];
  const local = deployments.find((d) => d.chainId === 31337);
  if (local !== undefined && existsSync(STACK_FILE)) {
    const stack = readJson(STACK_FILE) as { chainId?: number; contracts?: Record<string, string>; accounts?: StackAccount[] };
    const same =
      stack.chainId === 31337 &&
      local.contracts.every((c) => stack.contracts?.[c.contractName]?.toLowerCase() === c.address.toLowerCase());
    if (same && Array.isArray(stack.accounts)) accounts = stack.accounts.filter((a) => a.persona !== null);
  }
  const rows = accounts.map((a) =>
    JSON.stringify({
      index: a.index,
      address: a.address,
      key: a.persona?.key ?? `account${a.index}`,
      type: a.persona?.type ?? "citizen",
      name: a.persona?.name ?? { en: `Account ${a.index}`, zh: `账户 ${a.index}` },
      kind: a.persona?.kindLabel ?? null,
      roles: a.roles,
      privateKey: a.publicTestPrivateKey,
    }),
  );
  const output = [
    "// Generated by scripts/export-app.ts from .dev/stack.json. DO NOT EDIT. Local chain only:",
    "// the keys are Hardhat's PUBLIC test keys (mnemonic \"test test … junk\"), never used on a real chain.",
    "",
    "export interface DevPersona {",
    "  readonly index: number;",
    "  readonly address: `0x${string}`;",
    "  readonly key: string;",
    "  readonly type: string;",
    "  readonly name: { readonly en: string; readonly zh: string };",
    "  readonly kind: { readonly en: string; readonly zh: string } | null;",
    "  readonly roles: readonly string[];",
    "  readonly privateKey: `0x${string}`;",
    "}",
    "",
    "export const devPersonas: readonly DevPersona[] = [",
    ...rows.map((r) => `  ${r},`),
    "];",
    "",
  ].join("\n");
  const previous = existsSync(DEV_STACK_OUT) ? readFileSync(DEV_STACK_OUT, "utf8") : undefined;
  if (previous !== output) writeFileSync(DEV_STACK_OUT, output);
  console.log(`export-app: ${rel(DEV_STACK_OUT)}: ${accounts.length} dev personas`);
}

try {
  main();
} catch (error) {
  if (!(error instanceof ExportError)) throw error;
  console.error(`export-app: ${error.message}`);
  process.exitCode = 1;
}
