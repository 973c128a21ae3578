/**
 * Any error from a read, a simulation, a signature or a transaction → one sentence key of the `errors`
 * namespace and its values, so the UI shows it in the user's language.
 *
 * Contract refusals are decoded from their custom error (viem walks the error chain to the
 * `ContractFunctionRevertedError`, or the raw revert data is decoded against every HealthTrace ABI); the
 * arguments are formatted by their ABI names (addresses, times, roles, temperatures, lot states) so a sentence
 * reads "expiry 2026-11-20 14:00 is not in the future", not "1763647200".
 */
import { type Abi, BaseError, ContractFunctionRevertedError, decodeErrorResult, type Hex } from "viem";

import { describeWalletError, type ErrorSentence } from "./walletErrors.ts";

export type { ErrorSentence } from "./walletErrors.ts";

type AbiError = Extract<Abi[number], { type: "error" }>;

import { ROLE_IDS } from "../../../scripts/lib/personas.ts";
import { formatCelsius } from "../../../scripts/lib/steps.ts";

/** How values are shown: the caller supplies language-dependent formatters. */
export interface ErrorFormatters {
  address: (address: string) => string;
  dateTime: (unixSeconds: number) => string;
  role: (roleName: string) => string;
  lotState: (state: number) => string;
}

const TIME_ARGS = new Set(["expiresAt", "currentTime", "deadline", "manufacturedAt", "validUntil"]);
const ROLE_ARGS = new Set(["neededRole", "role"]);
const TEMP_ARGS = new Set(["minTempCentiC", "maxTempCentiC"]);

function roleName(id: string): string {
  const hit = Object.entries(ROLE_IDS).find(([, v]) => v.toLowerCase() === id.toLowerCase());
  return hit === undefined ? `${id.slice(0, 10)}…` : hit[0];
}

/** One argument of a custom error, formatted by its ABI name and type. */
export function formatErrorArg(name: string, type: string, value: unknown, f: ErrorFormatters): string {
  if (type === "address" && typeof value === "string") return f.address(value);
  if (TIME_ARGS.has(name) && (typeof value === "bigint" || typeof value === "number")) return f.dateTime(Number(value));
  if (ROLE_ARGS.has(name) && typeof value === "string") return f.role(roleName(value));
  if (TEMP_ARGS.has(name)) return formatCelsius(Number(value));
  if (name === "state") return f.lotState(Number(value));
  if (name === "gtin") return String(value).padStart(14, "0");
  if (name === "gln") return String(value).padStart(13, "0");
  if (type === "bytes32" && typeof value === "string") return `${value.slice(0, 10)}…${value.slice(-6)}`;
  if (typeof value === "bigint" || typeof value === "number") return value.toString();
  return String(value);
}

function contractSentence(abi: Abi, errorName: string, args: readonly unknown[], f: ErrorFormatters): ErrorSentence {
  const item = abi.find((x): x is AbiError => x.type === "error" && x.name === errorName);
  const values: Record<string, string> = { name: errorName };
  item?.inputs.forEach((input, i) => {
    if (input.name !== undefined && input.name !== "") values[input.name] = formatErrorArg(input.name, input.type, args[i], f);
  });
  return { key: `errors:contract.${errorName}`, values, errorName };
}

/** Revert data found anywhere in an error chain (wallets put it in different places). */
function revertData(error: unknown): Hex | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 8 && typeof e === "object" && e !== null; depth++) {
    const data = (e as { data?: unknown }).data;
    if (typeof data === "string" && /^0x[0-9a-fA-F]{8,}$/.test(data)) return data as Hex;
    if (typeof data === "object" && data !== null) {
      const inner = (data as { data?: unknown }).data;
      if (typeof inner === "string" && /^0x[0-9a-fA-F]{8,}$/.test(inner)) return inner as Hex;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The sentence for `error`, decoding custom errors against `abi` (all HealthTrace ABIs merged). */
export function describeError(error: unknown, abi: Abi, f: ErrorFormatters): ErrorSentence {
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName !== undefined) {
      return contractSentence(abi, reverted.data.errorName, reverted.data.args ?? [], f);
    }
  }
  const wallet = describeWalletError(error);
  if (wallet !== null) return wallet;
  const data = revertData(error);
  if (data !== undefined) {
    try {
      const decoded = decodeErrorResult({ abi, data });
      return contractSentence(abi, decoded.errorName, (decoded.args ?? []) as readonly unknown[], f);
    } catch {
      // not one of ours: fall through
    }
  }
  const message = error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  return { key: "errors:fallback.unknown", values: { message } };
}
