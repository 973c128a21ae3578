/**
 * Error decoding: every custom error of every contract has a sentence in both languages, and real revert data
 * (encoded from the ABI, as the node returns it) decodes into the right key with formatted arguments.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import {
  BaseError,
  encodeErrorResult,
  HttpRequestError,
  type Abi,
  UserRejectedRequestError,
  zeroAddress,
} from "viem";
import { describe, expect, it } from "vitest";

import { ROLE_IDS } from "../../scripts/lib/personas.ts";
import { chain } from "../src/config.ts";
import { allAbis } from "../src/contracts.ts";
import { connectedAccount } from "../src/hooks/useContractTx.ts";
import { describeError, type ErrorFormatters } from "../src/lib/errors.ts";

const LOCALES = path.join(import.meta.dirname, "..", "src", "locales");
const sentences = (lng: string) =>
  (JSON.parse(readFileSync(path.join(LOCALES, lng, "errors.json"), "utf8")) as { contract: Record<string, string> }).contract;

const f: ErrorFormatters = {
  address: (a) => (a === zeroAddress ? "nobody" : `addr:${a.slice(0, 6)}`),
  dateTime: (s) => `time:${String(s)}`,
  role: (r) => `role:${r}`,
  lotState: (s) => `state:${String(s)}`,
};

const abi = allAbis as unknown as Abi;
const errorItems = abi.filter((x): x is Extract<Abi[number], { type: "error" }> => x.type === "error");

describe("describeError", () => {
  it("test_everyCustomError_hasASentenceInBothLanguages", () => {
    const en = sentences("en");
    const zh = sentences("zh");
    expect(errorItems.length).toBeGreaterThan(60);
    for (const e of errorItems) {
      expect(en[e.name], `en ${e.name}`).toBeTypeOf("string");
      expect(zh[e.name], `zh ${e.name}`).toBeTypeOf("string");
      const names = new Set(e.inputs.map((i) => i.name));
      for (const m of `${en[e.name]} ${zh[e.name]}`.matchAll(/\{\{\s*(\w+)/g)) expect(names.has(m[1]), `${e.name} uses {{${m[1]}}}`).toBe(true);
    }
  });

  it("test_revertData_decodesToTheErrorWithFormattedArgs", () => {
    const data = encodeErrorResult({
      abi,
      errorName: "ConsentRegistryExpiryNotInFuture",
      args: [1_700_000_000n, 1_700_000_500n],
    });
    const wrapped = new BaseError("execution reverted", { cause: Object.assign(new Error("reverted"), { data }) });
    const s = describeError(wrapped, abi, f);
    expect(s.key).toBe("errors:contract.ConsentRegistryExpiryNotInFuture");
    expect(s.values.expiresAt).toBe("time:1700000000");
    expect(s.values.currentTime).toBe("time:1700000500");
  });

  it("test_roleArgument_isNamed", () => {
    const data = encodeErrorResult({
      abi,
      errorName: "AccessControlUnauthorizedAccount",
      args: ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", ROLE_IDS.CLINIC_ROLE as `0x${string}`],
    });
    const s = describeError({ code: 3, message: "reverted", data }, abi, f);
    expect(s.key).toBe("errors:contract.AccessControlUnauthorizedAccount");
    expect(s.values.neededRole).toBe("role:CLINIC_ROLE");
    expect(s.values.account).toBe("addr:0x7099");
  });

  it("test_userRejection_andUnreachableRpc_haveTheirOwnSentences", () => {
    expect(describeError(new UserRejectedRequestError(new Error("no")), abi, f).key).toBe("errors:wallet.userRejected");
    expect(describeError({ code: 4001, message: "User rejected" }, abi, f).key).toBe("errors:wallet.userRejected");
    const down = new HttpRequestError({ url: "http://127.0.0.1:8545", details: "fetch failed" });
    expect(describeError(down, abi, f)).toEqual({ key: "errors:wallet.rpcUnreachable", values: { url: "http://127.0.0.1:8545" } });
  });

  it("test_unknownRevertData_fallsBackWithoutInventingAnError", () => {
    const s = describeError({ data: "0xdeadbeef00" }, abi, f);
    expect(s.key).toBe("errors:fallback.unknown");
  });
});

describe("a write's starting point", () => {
  const me = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const;
  it("test_connectedAccount_connectedOnTheAppsChain_givesTheAccount", () => {
    expect(connectedAccount("connected", me, chain.id)).toEqual({ account: me });
  });
  it("test_connectedAccount_noAccountOrAnotherChain_givesTheSentence", () => {
    expect(connectedAccount("disconnected", undefined, undefined)).toEqual({ error: { key: "errors:wallet.notConnected", values: {} } });
    expect(connectedAccount("reconnecting", me, chain.id)).toEqual({ error: { key: "errors:wallet.notConnected", values: {} } });
    expect(connectedAccount("connected", me, 1)).toEqual({
      error: { key: "errors:wallet.wrongNetwork", values: { actual: "1", expected: String(chain.id) } },
    });
  });
});
