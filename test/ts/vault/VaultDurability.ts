import { randomBytes } from "node:crypto";

import { expect } from "chai";
import hre from "hardhat";
import type { Abi, AbiParameter, Hex } from "viem";

import { makeRecordDocument, recordIdOf } from "../../../scripts/lib/records.js";
import { authorityAbi, consentRegistryAbi, recordRegistryAbi } from "../../../vault/src/chain.js";
import { seal } from "../../../vault/src/crypto.js";
import { VAULT_ERRORS } from "../../../vault/src/errors.js";
import type { Vault } from "../../../vault/src/server.js";
import { migrate, type Store } from "../../../vault/src/store.js";
import { Category, networkHelpers, Purpose } from "../helpers/fixtures.js";
import {
  accessLoggedEvents,
  body,
  call,
  count,
  emptyTables,
  expectRefused,
  type Fixture,
  fixture,
  MASTER_KEY,
  marker,
  shared,
  signIn,
  startVault,
  STORE_KIND,
  type TestDatabase,
  testDatabase,
  uploadAndAnchor,
} from "../helpers/vault.js";

const { time } = networkHelpers;
const DAY = 24 * 60 * 60;

interface Served {
  document: string;
  access: { txHash: Hex | null };
}

describe(`Record vault: restart, tampering and the service (store: ${STORE_KIND})`, () => {
  describe("restart", () => {
    let db: TestDatabase;
    before(() => {
      db = testDatabase(true); // PGlite on disk (or a PostgreSQL schema): it outlives the vault process
    });
    after(async () => {
      await db.drop();
    });

    it("test_restart_midRun_nothingStoredIsLost", async () => {
      const f = await fixture();
      let v = await startVault(f, await db.open());
      const marks = [marker(), marker(), marker()];
      const anchored = [
        await uploadAndAnchor(v, f.hospital, f.citizen.address, Category.LabResult, marks[0]),
        await uploadAndAnchor(v, f.clinic, f.citizen.address, Category.Vaccination, marks[1]),
      ];
      // A third one uploaded but not anchored yet when the vault goes down.
      const hospital = await signIn(v, f.hospital);
      const pending = await call(v, hospital, "POST", "/records", { subject: f.citizen.address, category: Category.Diagnosis, body: body(marks[2]) });
      const { record, anchorCall } = pending.json<{ record: { id: Hex }; anchorCall: { to: string; data: string } }>();
      await f.consentRegistry
        .connect(f.citizen)
        .grant(f.research.address, Category.LabResult, Purpose.Research, (await time.latest()) + 30 * DAY);
      const research = await signIn(v, f.research);
      const citizen = await signIn(v, f.citizen);
      const firstRead = (await call(v, research, "GET", `/records/${anchored[0]}`)).json<Served>();
      expect(firstRead.document).to.include(marks[0]);

      await v.close(); // the process stops: app and database closed

      // Meanwhile the hospital's wallet anchors the pending record.
      await (await f.hospital.sendTransaction({ to: anchorCall.to, data: anchorCall.data })).wait();

      v = await startVault(f, await db.open()); // a new process on the same data, the same master key
      try {
        // Sessions, records and the access log are all there.
        const listed = (await call(v, citizen, "GET", "/records")).json<{ records: { id: string; status: string }[] }>().records;
        expect(listed.map((r) => r.id).sort()).to.deep.equal([...anchored, record.id].sort());
        expect(listed.every((r) => r.status === "anchored")).to.equal(true);
        const ids = [...anchored, record.id];
        for (const [i, id] of ids.entries()) {
          const res = await call(v, citizen, "GET", `/records/${id}`);
          expect(res.statusCode, res.body).to.equal(200);
          const served = res.json<Served>();
          expect(served.document).to.include(marks[i]);
          expect(recordIdOf(served.document)).to.equal(id);
        }
        const again = await call(v, research, "GET", `/records/${anchored[0]}`);
        expect(again.statusCode).to.equal(200);
        const log = (await call(v, citizen, "GET", "/access-log")).json<{ entries: { txHash: string | null }[] }>().entries;
        expect(log.filter((e) => e.txHash !== null)).to.have.length(2);
        expect(log.map((e) => e.txHash)).to.include(firstRead.access.txHash);
      } finally {
        await v.close();
      }
    });

    it("test_restart_withAnotherMasterKey_servesNothing", async () => {
      const f = await fixture();
      const other = testDatabase(true);
      let v = await startVault(f, await other.open());
      try {
        const mark = marker();
        const id = await uploadAndAnchor(v, f.hospital, f.citizen.address, Category.LabResult, mark);
        const citizen = await signIn(v, f.citizen);
        await v.close();
        v = await startVault(f, await other.open(), { masterKey: randomBytes(32) });
        expectRefused(await call(v, citizen, "GET", `/records/${id}`), 500, "VaultInternal", mark);
      } finally {
        await v.close();
        await other.drop();
      }
    });
  });

  describe("tampering and the service", () => {
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

    async function logs(): Promise<{ chain: number; local: number }> {
      return { chain: await accessLoggedEvents(f), local: await count(store, "access_log") };
    }

    /** A lab result about the citizen with a live research grant; tokens of the citizen and the researcher. */
    async function setup(): Promise<{ id: Hex; mark: string; citizen: string; research: string }> {
      const mark = marker();
      const id = await uploadAndAnchor(v, f.hospital, f.citizen.address, Category.LabResult, mark);
      await f.consentRegistry
        .connect(f.citizen)
        .grant(f.research.address, Category.LabResult, Purpose.Research, (await time.latest()) + 30 * DAY);
      return { id, mark, citizen: await signIn(v, f.citizen), research: await signIn(v, f.research) };
    }

    async function expectTamperRefused(r: Awaited<ReturnType<typeof setup>>, code = "VaultRecordTampered"): Promise<void> {
      const before = await logs();
      for (const token of [r.citizen, r.research]) {
        expectRefused(await call(v, token, "GET", `/records/${r.id}`), code === "VaultRecordTampered" ? 500 : 409, code, r.mark);
      }
      expect(await logs()).to.deep.equal(before);
    }

    it("test_tamper_ciphertextByteFlipped_detectedAndRefused", async () => {
      const r = await setup();
      const [row] = await store.query<{ ciphertext: Uint8Array }>("SELECT ciphertext FROM records WHERE id = $1", [r.id]);
      const bytes = Buffer.from(row.ciphertext);
      bytes[Math.floor(bytes.length / 2)] ^= 0x01;
      await store.query("UPDATE records SET ciphertext = $2 WHERE id = $1", [r.id, bytes]);
      await expectTamperRefused(r);
    });

    it("test_tamper_documentReplacedAndReEncrypted_hashMismatchRefused", async () => {
      // Even with the master key, an attacker who re-encrypts another document under the record's id is caught:
      // the document no longer hashes to the id anchored on chain.
      const r = await setup();
      const forged = makeRecordDocument(f.citizen.address, f.hospital.address, Category.LabResult, await time.latest(), body("FORGED"));
      const s = seal(MASTER_KEY, r.id, Buffer.from(forged.text, "utf8"));
      await store.query(
        "UPDATE records SET ciphertext = $2, iv = $3, tag = $4, wrapped_key = $5, key_iv = $6, key_tag = $7 WHERE id = $1",
        [r.id, s.ciphertext, s.iv, s.tag, s.wrappedKey, s.keyIv, s.keyTag],
      );
      await expectTamperRefused(r);
    });

    it("test_tamper_ciphertextsSwappedBetweenRecords_refused", async () => {
      const r = await setup();
      const otherId = await uploadAndAnchor(v, f.hospital, f.citizen.address, Category.LabResult, marker());
      await store.query(
        `UPDATE records SET (ciphertext, iv, tag, wrapped_key, key_iv, key_tag) =
           (SELECT ciphertext, iv, tag, wrapped_key, key_iv, key_tag FROM records WHERE id = $2) WHERE id = $1`,
        [r.id, otherId],
      );
      await expectTamperRefused(r);
    });

    it("test_tamper_subjectColumnRewritten_cannotRedirectTheRecord", async () => {
      const r = await setup();
      await store.query("UPDATE records SET subject = $2 WHERE id = $1", [r.id, f.outsider.address.toLowerCase()]);
      const outsider = await signIn(v, f.outsider);
      const before = await logs();
      expectRefused(await call(v, outsider, "GET", `/records/${r.id}`), 409, "VaultAnchorMismatch", r.mark);
      await expectTamperRefused(r, "VaultAnchorMismatch");
      expect(await logs()).to.deep.equal(before);
    });

    it("test_openapi_documentsEveryRoute", async () => {
      const res = await v.app.inject({ method: "GET", url: "/openapi.json" });
      expect(res.statusCode).to.equal(200);
      const doc = res.json<{
        openapi: string;
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
        components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
      }>();
      expect(doc.openapi).to.equal("3.1.0");
      const served = v.routes.filter((r) => r.method !== "HEAD" && r.method !== "OPTIONS");
      const expected = [
        "GET /health",
        "POST /auth/nonce",
        "POST /auth/verify",
        "GET /auth/session",
        "POST /auth/logout",
        "POST /records",
        "GET /records",
        "POST /records/:id/anchor-check",
        "GET /records/:id",
        "GET /access-log",
        "GET /openapi.json",
      ];
      expect(served.map((r) => `${r.method} ${r.url}`).sort()).to.deep.equal([...expected].sort());
      for (const r of served) {
        const oaPath = r.url.replace(/:(\w+)/g, "{$1}");
        const op = doc.paths[oaPath]?.[r.method.toLowerCase()];
        expect(op, `${r.method} ${r.url} is not in the OpenAPI document`).to.not.equal(undefined);
        expect(Object.keys(op.responses).length).to.be.greaterThan(0);
      }
      expect(doc.components.securitySchemes).to.have.property("bearer");
      expect(doc.components.schemas).to.include.keys("VaultErrorBody", "RecordSummary", "AnchorCall");
    });

    it("test_errors_unknownRouteAndEveryCodeHaveSentences", async () => {
      expectRefused(await v.app.inject({ method: "GET", url: "/nothing-here" }), 404, "VaultNotFound");
      for (const [code, e] of Object.entries(VAULT_ERRORS)) {
        expect(e.en, code).to.match(/\.\)?$/);
        expect(e.zh, code).to.not.equal("");
        expect(e.status, code).to.be.within(400, 599);
      }
    });

    it("test_cors_allowsTheAppOriginOnly", async () => {
      const preflight = (origin: string) =>
        v.app.inject({
          method: "OPTIONS",
          url: "/records",
          headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
        });
      for (const origin of ["http://localhost:5173", "http://127.0.0.1:5173"]) {
        const ok = await preflight(origin);
        expect(ok.headers["access-control-allow-origin"]).to.equal(origin);
        expect(String(ok.headers["access-control-allow-headers"])).to.include("authorization");
      }
      const evil = await preflight("http://evil.example");
      expect(evil.headers["access-control-allow-origin"]).to.equal(undefined);
    });

    it("test_health_reportsChainStoreAndGatekeeper", async () => {
      const res = await v.app.inject({ method: "GET", url: "/health" });
      expect(res.statusCode).to.equal(200);
      expect(res.json()).to.deep.include({ status: "ok", store: STORE_KIND });
      expect(res.json().gatekeeper).to.deep.equal({ address: f.vault.address, hasRole: true });
      expect(res.headers["cache-control"]).to.equal("no-store");
    });

    it("test_abi_fragmentsMatchTheCompiledContracts", async () => {
      const strip = (params: readonly AbiParameter[] | undefined): unknown =>
        (params ?? []).map((p) => ({
          name: p.name ?? "",
          type: p.type,
          ...("components" in p ? { components: strip(p.components) } : {}),
          indexed: "indexed" in p ? p.indexed === true : false,
        }));
      const pairs: [Abi, string][] = [
        [recordRegistryAbi, "RecordRegistry"],
        [consentRegistryAbi, "ConsentRegistry"],
        [authorityAbi, "HealthTraceAuthority"],
      ];
      for (const [abi, name] of pairs) {
        const compiled = (await hre.artifacts.readArtifact(name)).abi as Abi;
        for (const item of abi) {
          if (!("name" in item)) continue;
          const match = compiled.find((c) => c.type === item.type && "name" in c && c.name === item.name);
          if (match === undefined) expect.fail(`${name}.${item.name} is not in the compiled ABI`);
          expect(strip("inputs" in match ? match.inputs : []), `${name}.${item.name} inputs`).to.deep.equal(strip(item.inputs));
          if (item.type === "function" && match.type === "function") {
            expect(strip(match.outputs), `${name}.${item.name} outputs`).to.deep.equal(strip(item.outputs));
            expect(match.stateMutability).to.equal(item.stateMutability);
          }
        }
      }
    });

    it("test_importSeed_anchoredDocumentsImportedOthersRefused", async () => {
      const now = await time.latest();
      const docs = [0, 1].map(() => makeRecordDocument(f.citizen.address, f.clinic.address, Category.Vaccination, now, body(marker())));
      for (const d of docs) await f.recordRegistry.connect(f.clinic).anchor(d.subject, d.category, recordIdOf(d.text));
      const entries = docs.map((d) => ({ contentHash: recordIdOf(d.text), subject: d.subject, issuer: d.issuer, category: d.category, document: d.text }));
      expect(await v.vault.importSeed(entries)).to.deep.equal({ imported: 2, skipped: 0 });
      expect(await v.vault.importSeed(entries)).to.deep.equal({ imported: 0, skipped: 2 });
      const citizen = await signIn(v, f.citizen);
      const served = (await call(v, citizen, "GET", `/records/${entries[0].contentHash}`)).json<Served>();
      expect(served.document).to.equal(docs[0].text);

      const unanchored = makeRecordDocument(f.citizen.address, f.clinic.address, Category.Vaccination, now, body(marker()));
      const bad = { ...entries[0], contentHash: recordIdOf(unanchored.text), document: unanchored.text };
      await expectRejected(v.vault.importSeed([bad]), /not anchored/);
      await expectRejected(v.vault.importSeed([{ ...entries[0], contentHash: `0x${"00".repeat(32)}` }]), /hashes to/);
      expect(await count(store, "records")).to.equal(2);
    });

    it("test_migrations_runOnceAndAreRecorded", async () => {
      expect(await migrate(store)).to.deep.equal([]);
      const rows = await store.query<{ version: number; name: string }>("SELECT version, name FROM vault_migrations ORDER BY version");
      expect(rows).to.deep.equal([{ version: 1, name: "001_initial.sql" }]);
    });
  });
});

async function expectRejected(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect((error as Error).message).to.match(pattern);
    return;
  }
  expect.fail("expected a rejection");
}
