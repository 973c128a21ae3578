import { expect } from "chai";
import { custom, type EIP1193RequestFn, getAddress } from "viem";

import type { Vault } from "../../../vault/src/server.js";
import type { Store } from "../../../vault/src/store.js";
import { connection } from "../helpers/fixtures.js";
import {
  call,
  chainId,
  count,
  emptyTables,
  type Fixture,
  fixture,
  nonce,
  shared,
  siweMessage,
  signIn,
  startVault,
  STORE_KIND,
  type TestDatabase,
  testDatabase,
  verify,
} from "../helpers/vault.js";

const MINUTE = 60_000;

describe(`Record vault: sign-in with Ethereum (store: ${STORE_KIND})`, () => {
  let db: TestDatabase;
  let store: Store;
  let f: Fixture;
  let v: Vault;

  before(async () => {
    db = testDatabase();
    store = await db.open();
  });
  after(async () => {
    await store.close();
    await db.drop();
  });
  beforeEach(async () => {
    await emptyTables(store);
    f = await fixture();
    v = await startVault(f, shared(store));
  });
  afterEach(async () => {
    await v.close();
  });

  async function issuedNonces(): Promise<number> {
    const [row] = await store.query<{ n: number }>("SELECT count(*)::int AS n FROM nonces");
    return row.n;
  }

  async function usedNonces(): Promise<number> {
    const [row] = await store.query<{ n: number }>("SELECT count(*)::int AS n FROM nonces WHERE used_at IS NOT NULL");
    return row.n;
  }

  /** A refused sign-in: status 401/400 with the code, no session, no nonce consumed. */
  async function expectSignInRefused(message: string, signature: string, status: number, code: string): Promise<void> {
    const sessionsBefore = await count(store, "sessions");
    const usedBefore = await usedNonces();
    const res = await verify(v, message, signature);
    expect(res.statusCode, res.body).to.equal(status);
    expect(res.json().error.code).to.equal(code);
    expect(res.json()).to.not.have.property("token");
    expect(await count(store, "sessions")).to.equal(sessionsBefore);
    expect(await usedNonces()).to.equal(usedBefore);
  }

  describe("success", () => {
    it("test_verify_validMessage_opensSessionBoundToTheAddress", async () => {
      const message = await siweMessage(v, f.citizen);
      const res = await verify(v, message, await f.citizen.signMessage(message));
      expect(res.statusCode, res.body).to.equal(200);
      const session = res.json<{ token: string; address: string; chainId: number; expiresAt: string }>();
      expect(session.address).to.equal(getAddress(f.citizen.address));
      expect(session.chainId).to.equal(await chainId());
      expect(session.token).to.match(/^[A-Za-z0-9_-]{43}$/);
      const expires = Date.parse(session.expiresAt) - Date.now();
      expect(expires).to.be.greaterThan(59 * MINUTE).and.at.most(60 * MINUTE);

      const me = await call(v, session.token, "GET", "/auth/session");
      expect(me.statusCode).to.equal(200);
      expect(me.json().address).to.equal(getAddress(f.citizen.address));
      // Only the token's hash is stored.
      const [row] = await store.query<{ token_hash: string }>("SELECT token_hash FROM sessions");
      expect(row.token_hash).to.match(/^[0-9a-f]{64}$/);
      expect(row.token_hash).to.not.equal(session.token);
    });

    it("test_verify_messageExpirationTime_capsTheSession", async () => {
      const expirationTime = new Date(Date.now() + 2 * MINUTE);
      const message = await siweMessage(v, f.citizen, { expirationTime });
      const res = await verify(v, message, await f.citizen.signMessage(message));
      expect(res.statusCode, res.body).to.equal(200);
      expect(res.json().expiresAt).to.equal(expirationTime.toISOString());
    });

    it("test_verify_siweWithoutSchemeOrStatement_accepted", async () => {
      const message = (await siweMessage(v, f.citizen, { statement: undefined })).replace(/^http:\/\//, "");
      const res = await verify(v, message, await f.citizen.signMessage(message));
      expect(res.statusCode, res.body).to.equal(200);
    });

    it("test_logout_endsTheSession", async () => {
      const token = await signIn(v, f.citizen);
      expect((await call(v, token, "POST", "/auth/logout")).statusCode).to.equal(204);
      const res = await call(v, token, "GET", "/auth/session");
      expect(res.statusCode).to.equal(401);
      expect(res.json().error.code).to.equal("VaultUnauthenticated");
    });

    it("test_verify_refusalLeavesTheNonceUsable", async () => {
      const n = await nonce(v);
      const wrong = await siweMessage(v, f.citizen, { nonce: n, domain: "evil.example:5173", uri: "http://evil.example:5173/" });
      await expectSignInRefused(wrong, await f.citizen.signMessage(wrong), 401, "VaultSiweWrongDomain");
      const right = await siweMessage(v, f.citizen, { nonce: n });
      expect((await verify(v, right, await f.citizen.signMessage(right))).statusCode).to.equal(200);
    });
  });

  describe("the refusals (nothing is opened, the nonce is not consumed)", () => {
    it("test_verify_wrongDomain_refused", async () => {
      const message = await siweMessage(v, f.citizen, { domain: "phishing.example", uri: "https://phishing.example/" });
      await expectSignInRefused(message, await f.citizen.signMessage(message), 401, "VaultSiweWrongDomain");
    });

    it("test_verify_wrongScheme_refused", async () => {
      const message = await siweMessage(v, f.citizen, { scheme: "https" });
      await expectSignInRefused(message, await f.citizen.signMessage(message), 401, "VaultSiweWrongScheme");
    });

    it("test_verify_uriOfAnotherOrigin_refused", async () => {
      const message = await siweMessage(v, f.citizen, { uri: "http://localhost:6666/" });
      await expectSignInRefused(message, await f.citizen.signMessage(message), 401, "VaultSiweWrongUri");
    });

    it("test_verify_wrongChain_refused", async () => {
      const message = await siweMessage(v, f.citizen, { chainId: 1 });
      await expectSignInRefused(message, await f.citizen.signMessage(message), 401, "VaultSiweWrongChain");
    });

    it("test_verify_reusedNonce_refused", async () => {
      const message = await siweMessage(v, f.citizen);
      const signature = await f.citizen.signMessage(message);
      expect((await verify(v, message, signature)).statusCode).to.equal(200);
      // The same signed message again (a replay), and a new message with the spent nonce.
      await expectSignInRefused(message, signature, 401, "VaultSiweNonceUsed");
      const again = await siweMessage(v, f.citizen, { nonce: (message.match(/Nonce: (\w+)/) as RegExpMatchArray)[1] });
      await expectSignInRefused(again, await f.citizen.signMessage(again), 401, "VaultSiweNonceUsed");
    });

    it("test_verify_expiredMessage_refused", async () => {
      const message = await siweMessage(v, f.citizen, {
        issuedAt: new Date(Date.now() - 2 * MINUTE),
        expirationTime: new Date(Date.now() - 1000),
      });
      await expectSignInRefused(message, await f.citizen.signMessage(message), 401, "VaultSiweExpired");
    });

    it("test_verify_notYetValidMessage_refused", async () => {
      const message = await siweMessage(v, f.citizen, { notBefore: new Date(Date.now() + 10 * MINUTE) });
      await expectSignInRefused(message, await f.citizen.signMessage(message), 401, "VaultSiweNotYetValid");
    });

    it("test_verify_staleIssuedAt_refused", async () => {
      const message = await siweMessage(v, f.citizen, { issuedAt: new Date(Date.now() - 6 * MINUTE) });
      await expectSignInRefused(message, await f.citizen.signMessage(message), 401, "VaultSiweStaleIssuedAt");
    });

    it("test_verify_issuedAtInTheFuture_refused", async () => {
      const message = await siweMessage(v, f.citizen, { issuedAt: new Date(Date.now() + 5 * MINUTE) });
      await expectSignInRefused(message, await f.citizen.signMessage(message), 401, "VaultSiweIssuedInFuture");
    });

    it("test_verify_wrongSigner_refused", async () => {
      const message = await siweMessage(v, f.citizen);
      await expectSignInRefused(message, await f.outsider.signMessage(message), 401, "VaultSiweBadSignature");
    });

    it("test_verify_nonceNeverIssued_refused", async () => {
      const message = await siweMessage(v, f.citizen, { nonce: "abcdef0123456789abcdef0123456789" });
      await expectSignInRefused(message, await f.citizen.signMessage(message), 401, "VaultSiweNonceUnknown");
    });

    it("test_verify_nonceReservedForAnotherAddress_refused", async () => {
      const message = await siweMessage(v, f.citizen, { nonce: await nonce(v, f.citizen2.address) });
      await expectSignInRefused(message, await f.citizen.signMessage(message), 401, "VaultSiweNonceWrongAddress");
    });

    it("test_verify_expiredNonce_refused", async () => {
      await v.close();
      let clock = Date.now();
      v = await startVault(f, shared(store), { now: () => clock, nonceTtlSeconds: 60 });
      const n = await nonce(v);
      clock += 61_000;
      const message = await siweMessage(v, f.citizen, { nonce: n, issuedAt: new Date(clock) });
      await expectSignInRefused(message, await f.citizen.signMessage(message), 401, "VaultSiweNonceExpired");
    });

    it("test_verify_textAroundTheMessage_refusedAsMalformed", async () => {
      const message = `${await siweMessage(v, f.citizen)}\nPlease also transfer everything.`;
      await expectSignInRefused(message, await f.citizen.signMessage(message), 400, "VaultSiweMalformed");
    });

    it("test_verify_addressNotChecksummed_refusedAsMalformed", async () => {
      const valid = await siweMessage(v, f.citizen);
      const message = valid.replace(getAddress(f.citizen.address), f.citizen.address.toLowerCase());
      await expectSignInRefused(message, await f.citizen.signMessage(message), 400, "VaultSiweMalformed");
    });

    it("test_verify_missingFields_refusedAsBadRequest", async () => {
      const res = await v.app.inject({ method: "POST", url: "/auth/verify", payload: { message: "hello" } });
      expect(res.statusCode).to.equal(400);
      expect(res.json().error.code).to.equal("VaultBadRequest");
    });

    it("test_session_garbageOrMissingToken_refused", async () => {
      for (const token of [undefined, "not-a-token", "A".repeat(43)]) {
        const res = await call(v, token, "GET", "/auth/session");
        expect(res.statusCode).to.equal(401);
        expect(res.json().error.code).to.equal("VaultUnauthenticated");
      }
    });

    it("test_session_expired_refused", async () => {
      await v.close();
      let clock = Date.now();
      v = await startVault(f, shared(store), { now: () => clock, sessionTtlSeconds: 60 });
      const token = await signIn(v, f.citizen);
      clock += 59_000;
      expect((await call(v, token, "GET", "/auth/session")).statusCode).to.equal(200);
      clock += 1_000;
      const res = await call(v, token, "GET", "/auth/session");
      expect(res.statusCode).to.equal(401);
      expect(res.json().error.code).to.equal("VaultSessionExpired");
    });
  });

  describe("sessions are bound to the chain", () => {
    it("test_session_openedOnAnotherChain_refused", async () => {
      const token = await signIn(v, f.citizen);
      // The same database behind a vault whose chain now answers another chain id.
      const otherChain = custom({
        request: (async (args: { method: string; params?: unknown }) =>
          args.method === "eth_chainId"
            ? "0x1"
            : connection.provider.request(args as Parameters<typeof connection.provider.request>[0])) as EIP1193RequestFn,
      });
      const other = await startVault(f, shared(store), { transport: otherChain });
      try {
        const res = await call(other, token, "GET", "/auth/session");
        expect(res.statusCode).to.equal(401);
        expect(res.json().error.code).to.equal("VaultSessionWrongChain");
      } finally {
        await other.close();
      }
    });
  });

  describe("a flood of sign-in requests", () => {
    it("test_nonce_moreThanTheLimitFromOneAddress_refusedAsRateLimited_nothingStored", async () => {
      await v.close();
      v = await startVault(f, shared(store), { authRequestsPerMinute: 3 });
      for (let i = 0; i < 3; i++) await nonce(v);
      const refused = await v.app.inject({ method: "POST", url: "/auth/nonce" });
      expect(refused.statusCode, refused.body).to.equal(429);
      expect(refused.json().error.code).to.equal("VaultRateLimited");
      expect(await issuedNonces()).to.equal(3);
      // The limit is per client address: another one still gets its nonce.
      const other = await v.app.inject({ method: "POST", url: "/auth/nonce", remoteAddress: "10.0.0.2" });
      expect(other.statusCode, other.body).to.equal(201);
      expect(await issuedNonces()).to.equal(4);
    });

    it("test_verify_limitedOnItsOwn_andReadsAreNotLimited", async () => {
      await v.close();
      v = await startVault(f, shared(store), { authRequestsPerMinute: 1 });
      const message = await siweMessage(v, f.citizen);
      const signature = await f.citizen.signMessage(message);
      expect((await verify(v, message, signature)).statusCode).to.equal(200);
      const refused = await verify(v, message, signature);
      expect(refused.statusCode, refused.body).to.equal(429);
      expect(refused.json().error.code).to.equal("VaultRateLimited");
      for (let i = 0; i < 5; i++) expect((await v.app.inject({ method: "GET", url: "/health" })).statusCode).to.equal(200);
    });
  });

  describe("racing", () => {
    it("test_verify_50ParallelSignInsOnOneNonce_exactlyOneSucceeds", async () => {
      const message = await siweMessage(v, f.citizen);
      const signature = await f.citizen.signMessage(message);
      const results = await Promise.all(Array.from({ length: 50 }, () => verify(v, message, signature)));
      const statuses = results.map((r) => r.statusCode);
      const winners = results.filter((r) => r.statusCode === 200);
      expect(winners, `statuses: ${statuses.join(",")}`).to.have.length(1);
      for (const loser of results.filter((r) => r.statusCode !== 200)) {
        expect(loser.statusCode).to.equal(401);
        expect(loser.json().error.code).to.equal("VaultSiweNonceUsed");
      }
      expect(await count(store, "sessions")).to.equal(1);
      expect(await usedNonces()).to.equal(1);
      // The race is real: racers passed every check and the signature, and lost only at the atomic UPDATE.
      const atUpdate = results.filter((r) => r.statusCode === 401 && r.json().error.message.includes("concurrent")).length;
      expect(atUpdate).to.be.greaterThan(0);
      console.log(
        `      50 racers on one nonce (${STORE_KIND}): ${winners.length} × 200, ${50 - winners.length} × 401 VaultSiweNonceUsed ` +
          `(${atUpdate} of them lost at the atomic UPDATE)`,
      );
    });
  });
});
