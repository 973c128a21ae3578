/**
 * The app's record-vault client (lib/vault.ts) and the records page's rules: every vault refusal code has its
 * sentence in both languages, refusals / an unreachable vault / a nonsense answer map to their codes, the
 * EIP-4361 sign-in message carries the right fields, record ids are checked before any request, sessions are
 * kept per account and chain, and the reader's own hash check.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { getAddress, type Hex, keccak256, stringToBytes, zeroAddress } from "viem";
import { parseSiweMessage, validateSiweMessage } from "viem/siwe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import {
  buildSignInMessage,
  dropOtherSessions,
  loadSession,
  noteBody,
  parseRecordId,
  saveSession,
  sessionStorageKey,
  VAULT_ERRORS,
  VaultClient,
  vaultErrorSentence,
  VaultRequestError,
} from "../src/lib/vault.ts";
import { filedAt, verifyRecord } from "../src/pages/records/logic.ts";

const LOCALES = path.join(import.meta.dirname, "..", "src", "locales");
const records = (lng: string) =>
  JSON.parse(readFileSync(path.join(LOCALES, lng, "records.json"), "utf8")) as { vaultErrors: Record<string, string>; vaultUnreachable: string };

const ADDRESS = getAddress("0x71be63f3384f5fb98995898a86b02fb2426c5788");
const ISSUER = getAddress("0x14dc79964da2c08b23698b3d3cc7ca32193d9955");
const VAULT = "http://127.0.0.1:9487";

function fakeFetch(status: number, body: unknown, seen: { url?: string; init?: RequestInit } = {}): typeof fetch {
  return (async (url: string | URL | Request, init?: RequestInit) => {
    seen.url = String(url);
    seen.init = init;
    const text = typeof body === "string" ? body : JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
}

async function refusal(promise: Promise<unknown>): Promise<VaultRequestError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(VaultRequestError);
    return error as VaultRequestError;
  }
  throw new Error("expected a refusal");
}

describe("vault refusals in the user's language", () => {
  it("test_everyVaultCode_hasTheVaultsSentenceInBothLanguages", () => {
    const en = records("en").vaultErrors;
    const zh = records("zh").vaultErrors;
    const codes = Object.keys(VAULT_ERRORS);
    expect(codes.length).toBeGreaterThan(30);
    expect(Object.keys(en).sort()).toEqual([...codes].sort());
    expect(Object.keys(zh).sort()).toEqual([...codes].sort());
    for (const [code, e] of Object.entries(VAULT_ERRORS)) {
      expect(en[code], code).toBe(e.en);
      expect(zh[code], code).toBe(e.zh);
      expect(zh[code], code).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("test_refusalBody_becomesItsCodeAndSentenceKey", async () => {
    const client = new VaultClient(VAULT, fakeFetch(403, { error: { code: "VaultNoGrant", message: "The citizen has not granted…" } }));
    const error = await refusal(client.read("token", `0x${"ab".repeat(32)}`));
    expect(error.code).toBe("VaultNoGrant");
    expect(error.status).toBe(403);
    expect(vaultErrorSentence(error, VAULT)).toEqual({ key: "records:vaultErrors.VaultNoGrant", values: {}, errorName: "VaultNoGrant" });
  });

  it("test_unreachableVault_isItsOwnSentenceWithTheUrl", async () => {
    const client = new VaultClient(VAULT, (async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch);
    const error = await refusal(client.nonce(ADDRESS));
    expect(error.code).toBe("VaultUnreachable");
    expect(vaultErrorSentence(error, VAULT)).toEqual({ key: "records:vaultUnreachable", values: { url: VAULT }, errorName: "VaultUnreachable" });
    expect(records("en").vaultUnreachable).toMatch(/cannot be reached/);
  });

  it("test_unknownCodeOrNotJson_isAnUnexpectedAnswer", async () => {
    expect((await refusal(new VaultClient(VAULT, fakeFetch(500, { error: { code: "Nope" } })).list("t"))).code).toBe("VaultUnexpectedAnswer");
    const html = await refusal(new VaultClient(VAULT, fakeFetch(502, "<html>bad gateway</html>")).list("t"));
    expect(html.code).toBe("VaultUnexpectedAnswer");
    expect(vaultErrorSentence(html, VAULT)).toMatchObject({ key: "records:vaultUnexpected", values: { status: "502" } });
    expect(vaultErrorSentence(new Error("other"), VAULT)).toBeNull();
  });

  it("test_requests_carryTheBearerTokenAndJsonBody", async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const id = `0x${"cd".repeat(32)}` as Hex;
    const answer = { record: { id, status: "awaiting-anchor" }, anchorCall: null };
    await new VaultClient(`${VAULT}/`, fakeFetch(201, answer, seen)).upload("tok123", { subject: ADDRESS, category: 1, body: noteBody(" PCR negative ") });
    expect(seen.url).toBe(`${VAULT}/records`);
    expect(seen.init?.method).toBe("POST");
    expect((seen.init?.headers as Record<string, string>).authorization).toBe("Bearer tok123");
    expect(JSON.parse(String(seen.init?.body))).toEqual({
      subject: ADDRESS,
      category: 1,
      body: { resourceType: "DocumentReference", status: "current", description: "PCR negative" },
    });
    await new VaultClient(VAULT, fakeFetch(200, { record: answer.record }, seen)).anchorCheck("tok123", id);
    expect(seen.url).toBe(`${VAULT}/records/${id}/anchor-check`);
  });
});

describe("sign-in message (EIP-4361)", () => {
  it("test_message_carriesDomainUriChainNonceAndAddress", () => {
    const issuedAt = new Date("2026-11-21T08:00:00.000Z");
    const message = buildSignInMessage({
      address: ADDRESS,
      chainId: 31337,
      nonce: "a1B2c3D4e5F6g7H8",
      domain: "localhost:5773",
      uri: "http://localhost:5773",
      statement: "登录 HealthTrace 健康档案记录库。",
      issuedAt,
    });
    const parsed = parseSiweMessage(message);
    expect(parsed.domain).toBe("localhost:5773");
    expect(parsed.uri).toBe("http://localhost:5773");
    expect(parsed.chainId).toBe(31337);
    expect(parsed.nonce).toBe("a1B2c3D4e5F6g7H8");
    expect(parsed.address).toBe(ADDRESS);
    expect(parsed.version).toBe("1");
    expect(parsed.statement).toBe("登录 HealthTrace 健康档案记录库。");
    expect(parsed.issuedAt?.toISOString()).toBe(issuedAt.toISOString());
    expect(message.startsWith("localhost:5773 wants you to sign in with your Ethereum account:\n")).toBe(true);
    expect(validateSiweMessage({ message: parsed, domain: "localhost:5773", nonce: "a1B2c3D4e5F6g7H8", address: ADDRESS, time: issuedAt })).toBe(true);
    expect(validateSiweMessage({ message: parsed, domain: "evil.example:5773", time: issuedAt })).toBe(false);
  });

  it("test_statementWithNewline_isKeptOnOneLine", () => {
    const message = buildSignInMessage({
      address: ADDRESS,
      chainId: 1,
      nonce: "a1B2c3D4e5F6g7H8",
      domain: "app.example",
      uri: "https://app.example",
      statement: "line one\nline two",
      issuedAt: new Date(),
    });
    expect(parseSiweMessage(message).statement).toBe("line one line two");
  });
});

describe("record ids are checked before any request", () => {
  it("test_validIds_areAcceptedTrimmedAndLowerCased", () => {
    const id = `0x${"Ab".repeat(32)}`;
    expect(parseRecordId(id)).toBe(id.toLowerCase());
    expect(parseRecordId(`  ${id}\n`)).toBe(id.toLowerCase());
  });

  it("test_malformedIds_areRefused", () => {
    for (const bad of ["", "0x", "ab".repeat(32), `0x${"ab".repeat(31)}a`, `0x${"ab".repeat(32)}0`, `0x${"zz".repeat(32)}`, `0x ${"ab".repeat(32)}`, ADDRESS]) {
      expect(parseRecordId(bad), bad).toBeNull();
    }
  });
});

describe("vault sessions in sessionStorage", () => {
  const store = new Map<string, string>();
  const fake = {
    get length() {
      return store.size;
    },
    key: (i: number) => [...store.keys()][i] ?? null,
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
    clear: () => store.clear(),
  };
  beforeEach(() => {
    store.clear();
    (globalThis as { window?: unknown }).window = { sessionStorage: fake };
  });
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it("test_sessionPerAccountAndChain_otherAccountsDroppedOnSwitch", () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    saveSession({ token: "a", address: ADDRESS, chainId: 31337, expiresAt: later });
    saveSession({ token: "b", address: ISSUER, chainId: 31337, expiresAt: later });
    expect(loadSession(ADDRESS.toLowerCase(), 31337)?.token).toBe("a");
    expect(loadSession(ADDRESS, 1)).toBeNull();
    dropOtherSessions(sessionStorageKey(ISSUER, 31337));
    expect(loadSession(ADDRESS, 31337)).toBeNull();
    expect(loadSession(ISSUER, 31337)?.token).toBe("b");
  });

  it("test_expiredSession_isNotUsedAndDropped", () => {
    saveSession({ token: "old", address: ADDRESS, chainId: 31337, expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect(loadSession(ADDRESS, 31337)).toBeNull();
    expect(store.size).toBe(0);
  });
});

describe("the reader's own hash check", () => {
  const document = JSON.stringify({ schema: "healthtrace.record/1", body: { note: "PCR negative" } });
  const id = keccak256(stringToBytes(document));
  const served = { subject: ADDRESS, category: 1, issuer: ISSUER };

  it("test_matchingDocumentAndAnchor_isVerified", () => {
    expect(verifyRecord(document, id, served, { subject: ADDRESS.toLowerCase() as Hex, category: 1, issuer: ISSUER })).toBe(true);
  });

  it("test_anyMismatch_isNotVerified", () => {
    expect(verifyRecord(`${document} `, id, served, served)).toBe(false);
    expect(verifyRecord(document, id, served, { ...served, subject: zeroAddress })).toBe(false);
    expect(verifyRecord(document, id, served, { ...served, category: 2 })).toBe(false);
    expect(verifyRecord(document, id, served, { ...served, issuer: ADDRESS })).toBe(false);
    expect(verifyRecord(document, `0x${"00".repeat(32)}`, served, served)).toBe(false);
  });
});

describe("filing date of a record", () => {
  it("test_filedAt_isTheEarlierOfUploadAndAnchor", () => {
    expect(filedAt({ createdAt: "2026-11-21T10:00:00.000Z", anchoredAt: null })).toBe(Date.parse("2026-11-21T10:00:00Z") / 1000);
    expect(filedAt({ createdAt: "2026-11-21T10:00:00.000Z", anchoredAt: "2026-11-21T10:00:05.000Z" })).toBe(Date.parse("2026-11-21T10:00:00Z") / 1000);
    expect(filedAt({ createdAt: "2026-11-21T10:00:00.000Z", anchoredAt: "2026-06-01T08:00:00.000Z" })).toBe(Date.parse("2026-06-01T08:00:00Z") / 1000);
  });
});
