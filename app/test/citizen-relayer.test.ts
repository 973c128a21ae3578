/**
 * The app's relayer client (pages/citizen/relayerClient.ts): a relayed signature returns its transaction hash; a
 * contract refusal (HTTP 422 with revert data) decodes into the custom error's sentence with its arguments; a
 * malformed request, a server failure and an unreachable relayer each get their own sentence.
 */
import { type Abi, encodeErrorResult, getAddress, type Hex } from "viem";
import { describe, expect, it } from "vitest";

import { allAbis, consentRegistry } from "../src/contracts.ts";
import { describeError, type ErrorFormatters } from "../src/lib/errors.ts";
import { RelayError, relayGrant, relayRevoke, type SignedGrant } from "../src/pages/citizen/relayerClient.ts";

const CITIZEN = getAddress("0x71be63f3384f5fb98995898a86b02fb2426c5788");
const GRANTEE = getAddress("0x14dc79964da2c08b23698b3d3cc7ca32193d9955");
const grant: SignedGrant = {
  citizen: CITIZEN,
  grantee: GRANTEE,
  category: 1,
  purpose: 0,
  expiresAt: 1_800_000_000n,
  nonce: (123n << 64n) | 4n,
  deadline: 1_790_000_000n,
  signature: `0x${"11".repeat(65)}` as Hex,
};
const f: ErrorFormatters = {
  address: (a) => `addr:${a.slice(0, 6)}`,
  dateTime: (s) => `time:${String(s)}`,
  role: (r) => r,
  lotState: (s) => String(s),
};

function fakeFetch(status: number, body: unknown, seen: { url?: string; body?: string } = {}): typeof fetch {
  return (async (url: string | URL | Request, init?: RequestInit) => {
    seen.url = String(url);
    seen.body = String(init?.body);
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
}

async function refusal(promise: Promise<unknown>): Promise<RelayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RelayError) return error;
    throw error;
  }
  throw new Error("expected a RelayError");
}

describe("relayer client", () => {
  it("test_relayGrant_postsDecimalStringsAndReturnsTheHash", async () => {
    const seen: { url?: string; body?: string } = {};
    const hash = `0x${"ab".repeat(32)}`;
    await expect(relayGrant("http://relayer.test", grant, fakeFetch(200, { hash }, seen))).resolves.toBe(hash);
    expect(seen.url).toBe("http://relayer.test/v1/consent/grant");
    expect(JSON.parse(seen.body ?? "")).toEqual({
      citizen: CITIZEN,
      grantee: GRANTEE,
      category: 1,
      purpose: 0,
      expiresAt: "1800000000",
      nonce: ((123n << 64n) | 4n).toString(),
      deadline: "1790000000",
      signature: grant.signature,
    });
  });

  it("test_relayRevoke_usesTheRevokeRoute", async () => {
    const seen: { url?: string } = {};
    const hash = `0x${"cd".repeat(32)}`;
    const { purpose: _p, expiresAt: _e, ...revoke } = grant;
    await relayRevoke("http://relayer.test", revoke, fakeFetch(200, { hash }, seen));
    expect(seen.url).toBe("http://relayer.test/v1/consent/revoke");
  });

  it("test_contractRefusal_decodesIntoTheCustomErrorSentence", async () => {
    const data = encodeErrorResult({
      abi: consentRegistry.abi,
      errorName: "ConsentRegistryInvalidNonce",
      args: [CITIZEN, grant.nonce, grant.nonce + 1n],
    });
    const error = await refusal(
      relayGrant("http://relayer.test", grant, fakeFetch(422, { error: "ConsentRegistryInvalidNonce", message: "reverted", data })),
    );
    expect(error.data).toBe(data);
    const sentence = describeError(error, allAbis as unknown as Abi, f);
    expect(sentence.key).toBe("errors:contract.ConsentRegistryInvalidNonce");
    expect(sentence.errorName).toBe("ConsentRegistryInvalidNonce");
    expect(sentence.values.citizen).toBe("addr:0x71bE");
  });

  it("test_malformedRequestServerFailureAndUnreachableRelayer_eachHaveASentence", async () => {
    const bad = await refusal(relayGrant("http://relayer.test", grant, fakeFetch(400, { error: "InvalidRequest", message: "x" })));
    expect(bad.sentence?.key).toBe("citizen:relay.invalidRequest");
    const down = await refusal(relayGrant("http://relayer.test", grant, fakeFetch(502, { error: "ChainUnavailable", message: "x" })));
    expect(down.sentence).toEqual({ key: "citizen:relay.failed", values: { status: "502" } });
    const broken = await refusal(relayGrant("http://relayer.test", grant, fakeFetch(200, { hash: "0x1234" })));
    expect(broken.sentence?.key).toBe("citizen:relay.failed");
    const unreachable = await refusal(
      relayGrant("http://relayer.test", grant, (async () => {
        throw new TypeError("fetch failed");
      }) as typeof fetch),
    );
    expect(unreachable.sentence).toEqual({ key: "citizen:relay.unreachable", values: { url: "http://relayer.test" } });
  });
});
