import { expect } from "chai";
import { decodeFunctionData, getAddress, type Hex, keccak256, stringToBytes } from "viem";

import { makeRecordDocument, recordIdOf } from "../../../scripts/lib/records.js";
import { recordRegistryAbi } from "../../../vault/src/chain.js";
import type { Vault } from "../../../vault/src/server.js";
import type { Store } from "../../../vault/src/store.js";
import { Category, networkHelpers, Purpose, role } from "../helpers/fixtures.js";
import {
  accessLoggedEvents,
  body,
  call,
  chainId,
  count,
  emptyTables,
  expectRefused,
  type Fixture,
  fixture,
  marker,
  shared,
  signIn,
  startVault,
  STORE_KIND,
  switchableTransport,
  type TestDatabase,
  testDatabase,
  uploadAndAnchor,
} from "../helpers/vault.js";

const { time } = networkHelpers;
const DAY = 24 * 60 * 60;

interface Served {
  record: { id: Hex; subject: string; issuer: string; category: number; status: string };
  document: string;
  anchor: { registry: string; chainId: number; subject: string; category: number; issuer: string; anchoredAt: string };
  access: { reader: string; self: boolean; block: string; txHash: Hex | null; logBlockNumber: string | null };
}

describe(`Record vault: records, consent and the access log (store: ${STORE_KIND})`, () => {
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

  /** What a refused read must leave unchanged: the on-chain access log and the local one. */
  async function logs(): Promise<{ chain: number; local: number }> {
    return { chain: await accessLoggedEvents(f), local: await count(store, "access_log") };
  }

  /** The hospital files and anchors a lab result about the citizen; returns its id and the payload marker. */
  async function labResult(): Promise<{ id: Hex; mark: string }> {
    const mark = marker();
    const id = await uploadAndAnchor(v, f.hospital, f.citizen.address, Category.LabResult, mark);
    return { id, mark };
  }

  async function grantLabResults(expiresIn = 30 * DAY): Promise<number> {
    const expiresAt = (await time.latest()) + expiresIn;
    await f.consentRegistry.connect(f.citizen).grant(f.research.address, Category.LabResult, Purpose.Research, expiresAt);
    return expiresAt;
  }

  describe("upload", () => {
    it("test_upload_byProvider_storedEncryptedAwaitingAnchorWithTheAnchorCall", async () => {
      const token = await signIn(v, f.hospital);
      const mark = marker();
      const res = await call(v, token, "POST", "/records", { subject: f.citizen.address, category: Category.LabResult, body: body(mark) });
      expect(res.statusCode, res.body).to.equal(201);
      const { record, anchorCall } = res.json();
      expect(record).to.include({
        subject: getAddress(f.citizen.address),
        issuer: getAddress(f.hospital.address),
        category: Category.LabResult,
        categoryName: "lab result",
        status: "awaiting-anchor",
        source: "upload",
        anchoredAt: null,
      });
      expect(res.body).to.not.include(mark);
      expect(anchorCall.to).to.equal(await f.recordRegistry.getAddress());
      expect(anchorCall.chainId).to.equal(await chainId());
      expect(anchorCall.args).to.deep.equal([getAddress(f.citizen.address), Category.LabResult, record.id]);
      const decoded = decodeFunctionData({ abi: recordRegistryAbi, data: anchorCall.data });
      expect(decoded.functionName).to.equal("anchor");
      expect(decoded.args).to.deep.equal([getAddress(f.citizen.address), Category.LabResult, record.id]);

      // At rest: ciphertext only; the payload is nowhere in the row.
      const [row] = await store.query<{ ciphertext: Uint8Array; status: string }>("SELECT ciphertext, status FROM records");
      expect(Buffer.from(row.ciphertext).toString("latin1")).to.not.include(mark);
      expect(row.status).to.equal("awaiting-anchor");

      // The provider's wallet anchors it; the vault sees it.
      await (await f.hospital.sendTransaction({ to: anchorCall.to, data: anchorCall.data })).wait();
      const check = await call(v, token, "POST", `/records/${record.id}/anchor-check`);
      expect(check.statusCode, check.body).to.equal(200);
      expect(check.json().record.status).to.equal("anchored");
      const anchor = await f.recordRegistry.anchorOf(record.id);
      expect(anchor.issuer).to.equal(f.hospital.address);
      expect(anchor.subject).to.equal(f.citizen.address);
    });

    it("test_upload_documentBuiltByTheProviderAlreadyAnchored_storedAsAnchored", async () => {
      const doc = makeRecordDocument(f.citizen.address, f.clinic.address, Category.Vaccination, await time.latest(), body(marker()), {
        synthetic: false,
      });
      const id = recordIdOf(doc.text);
      await f.recordRegistry.connect(f.clinic).anchor(f.citizen.address, Category.Vaccination, id);
      const token = await signIn(v, f.clinic);
      const res = await call(v, token, "POST", "/records", { document: doc.text });
      expect(res.statusCode, res.body).to.equal(201);
      expect(res.json().record).to.include({ id, status: "anchored" });
      expect(res.json().anchorCall).to.equal(null);
      // The same document again: nothing new, the same record.
      const again = await call(v, token, "POST", "/records", { document: doc.text });
      expect(again.statusCode).to.equal(200);
      expect(again.json().record.id).to.equal(id);
      expect(await count(store, "records")).to.equal(1);
    });

    it("test_upload_hashAlreadyAnchoredDifferently_refusedNothingStored", async () => {
      const doc = makeRecordDocument(f.citizen.address, f.hospital.address, Category.Diagnosis, await time.latest(), body(marker()));
      // The same hash anchored about another citizen (or category): the document cannot be that record.
      await f.recordRegistry.connect(f.hospital).anchor(f.citizen2.address, Category.Diagnosis, recordIdOf(doc.text));
      const token = await signIn(v, f.hospital);
      expectRefused(await call(v, token, "POST", "/records", { document: doc.text }), 409, "VaultAnchorConflict");
      expect(await count(store, "records")).to.equal(0);
    });

    it("test_upload_byNonProvider_refusedNothingStored", async () => {
      // A citizen, an accredited organisation without the role, a manufacturer, the vault itself.
      for (const signer of [f.citizen, f.research, f.manufacturer, f.vault]) {
        const token = await signIn(v, signer);
        const mark = marker();
        const res = await call(v, token, "POST", "/records", { subject: f.citizen.address, category: Category.LabResult, body: body(mark) });
        expectRefused(res, 403, "VaultNotProvider", mark);
      }
      expect(await count(store, "records")).to.equal(0);
    });

    it("test_upload_bySuspendedProvider_refused", async () => {
      const token = await signIn(v, f.hospital);
      await f.authority.connect(f.regulator).suspend(f.hospital.address);
      const res = await call(v, token, "POST", "/records", { subject: f.citizen.address, category: 0, body: body(marker()) });
      expectRefused(res, 403, "VaultNotProvider");
      expect(await count(store, "records")).to.equal(0);
    });

    it("test_upload_documentNamingAnotherIssuer_refused", async () => {
      const doc = makeRecordDocument(f.citizen.address, f.clinic.address, Category.LabResult, await time.latest(), body(marker()));
      const token = await signIn(v, f.hospital);
      expectRefused(await call(v, token, "POST", "/records", { document: doc.text }), 403, "VaultDocumentIssuerMismatch");
      expect(await count(store, "records")).to.equal(0);
    });

    it("test_upload_malformedInput_refusedNothingStored", async () => {
      const token = await signIn(v, f.hospital);
      const valid = JSON.parse(
        makeRecordDocument(f.citizen.address, f.hospital.address, Category.LabResult, await time.latest(), body(marker())).text,
      );
      const cases: [unknown, number, string][] = [
        [{ document: "not json" }, 400, "VaultDocumentInvalid"],
        [{ document: JSON.stringify({ ...valid, salt: "0x00" }) }, 400, "VaultDocumentInvalid"],
        [{ document: JSON.stringify({ ...valid, extra: 1 }) }, 400, "VaultDocumentInvalid"],
        [{ document: JSON.stringify({ ...valid, category: 9 }) }, 400, "VaultDocumentInvalid"],
        [{ document: JSON.stringify({ ...valid, subject: "0x0000000000000000000000000000000000000000" }) }, 400, "VaultDocumentInvalid"],
        [{ subject: f.citizen.address, category: 6, body: {} }, 400, "VaultBadRequest"],
        [{ subject: "0x1234", category: 1, body: {} }, 400, "VaultBadRequest"],
        [{ subject: f.citizen.address, category: 1, body: {}, issuer: f.clinic.address }, 400, "VaultBadRequest"],
        [{ subject: f.citizen.address, category: "1", body: {} }, 400, "VaultBadRequest"],
        [{}, 400, "VaultBadRequest"],
      ];
      for (const [payload, status, code] of cases) expectRefused(await call(v, token, "POST", "/records", payload), status, code);
      const huge = await call(v, token, "POST", "/records", { subject: f.citizen.address, category: 1, body: { note: "x".repeat(400_000) } });
      expectRefused(huge, 413, "VaultPayloadTooLarge");
      expect(await count(store, "records")).to.equal(0);
    });

    it("test_anchorCheck_byNeitherCitizenNorIssuer_refused", async () => {
      const res = await call(v, await signIn(v, f.hospital), "POST", "/records", {
        subject: f.citizen.address,
        category: Category.LabResult,
        body: body(marker()),
      });
      const { id } = res.json().record;
      expectRefused(await call(v, await signIn(v, f.clinic), "POST", `/records/${id}/anchor-check`), 403, "VaultNotYourRecord");
      expect((await call(v, await signIn(v, f.citizen), "POST", `/records/${id}/anchor-check`)).json().record.status).to.equal(
        "awaiting-anchor",
      );
    });

    it("test_upload_unauthenticated_refused", async () => {
      const res = await call(v, undefined, "POST", "/records", { subject: f.citizen.address, category: 1, body: {} });
      expectRefused(res, 401, "VaultUnauthenticated");
      expect(await count(store, "records")).to.equal(0);
    });
  });

  describe("read: served", () => {
    it("test_read_citizenSelf_servedWithTheAnchorNotLoggedOnChain", async () => {
      const { id, mark } = await labResult();
      const before = await logs();
      const token = await signIn(v, f.citizen);
      const res = await call(v, token, "GET", `/records/${id}`);
      expect(res.statusCode, res.body).to.equal(200);
      const served = res.json<Served>();
      expect(served.document).to.include(mark);
      // The reader can check the payload against the chain: keccak-256 of the document is the anchored id.
      expect(keccak256(stringToBytes(served.document))).to.equal(id);
      const onChain = await f.recordRegistry.anchorOf(id);
      expect(served.anchor).to.include({
        registry: await f.recordRegistry.getAddress(),
        subject: onChain.subject,
        issuer: onChain.issuer,
        category: Number(onChain.category),
      });
      expect(served.access).to.include({ self: true, txHash: null });
      // A citizen's own read: not on chain, kept locally.
      expect(await logs()).to.deep.equal({ chain: before.chain, local: before.local + 1 });
    });

    it("test_read_grantedReader_servedAfterAccessLoggedOnChain", async () => {
      const { id, mark } = await labResult();
      await grantLabResults();
      const before = await logs();
      const token = await signIn(v, f.research);
      const res = await call(v, token, "GET", `/records/${id}`);
      expect(res.statusCode, res.body).to.equal(200);
      const served = res.json<Served>();
      expect(served.document).to.include(mark);
      expect(recordIdOf(served.document)).to.equal(id);
      expect(served.access.self).to.equal(false);

      // The AccessLogged event, with the right arguments, was mined before the response.
      const receipt = await f.consentRegistry.runner!.provider!.getTransactionReceipt(served.access.txHash!);
      expect(receipt?.status).to.equal(1);
      const events = await f.consentRegistry.queryFilter(f.consentRegistry.filters.AccessLogged(), receipt!.blockNumber, receipt!.blockNumber);
      expect(events).to.have.length(1);
      expect(events[0].args.citizen).to.equal(f.citizen.address);
      expect(events[0].args.reader).to.equal(f.research.address);
      expect(events[0].args.recordId).to.equal(id);
      expect(events[0].args.category).to.equal(BigInt(Category.LabResult));
      expect(receipt!.from).to.equal(f.vault.address);
      expect(await logs()).to.deep.equal({ chain: before.chain + 1, local: before.local + 1 });
    });

    it("test_list_citizenSeesRecordsAboutThemProviderSeesWhatItFiled", async () => {
      const a = await labResult();
      const b = await uploadAndAnchor(v, f.clinic, f.citizen.address, Category.Vaccination, marker());
      const c = await uploadAndAnchor(v, f.clinic, f.citizen2.address, Category.Vaccination, marker());
      const list = async (signer: typeof f.citizen): Promise<string[]> => {
        const res = await call(v, await signIn(v, signer), "GET", "/records");
        expect(res.statusCode, res.body).to.equal(200);
        expect(res.body).to.not.include("PAYLOAD-");
        for (const r of res.json().records) expect(r.status).to.equal("anchored");
        return res.json().records.map((r: { id: string }) => r.id).sort();
      };
      expect(await list(f.citizen)).to.deep.equal([a.id, b].sort());
      expect(await list(f.citizen2)).to.deep.equal([c]);
      expect(await list(f.clinic)).to.deep.equal([b, c].sort());
      expect(await list(f.hospital)).to.deep.equal([a.id]);
      expect(await list(f.research)).to.deep.equal([]);
    });

    it("test_accessLog_citizenSeesReadsOfTheirDataReaderSeesTheirReads", async () => {
      const { id } = await labResult();
      await grantLabResults();
      const research = await signIn(v, f.research);
      const served = (await call(v, research, "GET", `/records/${id}`)).json<Served>();
      const citizen = await signIn(v, f.citizen);
      await call(v, citizen, "GET", `/records/${id}`);

      const mine = (await call(v, citizen, "GET", "/access-log")).json().entries;
      expect(mine).to.have.length(2);
      expect(mine[0]).to.include({ recordId: id, reader: getAddress(f.citizen.address), self: true, txHash: null });
      expect(mine[1]).to.include({
        recordId: id,
        citizen: getAddress(f.citizen.address),
        reader: getAddress(f.research.address),
        category: Category.LabResult,
        self: false,
        txHash: served.access.txHash,
      });
      const theirs = (await call(v, research, "GET", "/access-log")).json().entries;
      expect(theirs).to.have.length(1);
      expect(theirs[0].txHash).to.equal(served.access.txHash);
      const nobody = (await call(v, await signIn(v, f.outsider), "GET", "/access-log")).json().entries;
      expect(nobody).to.deep.equal([]);
    });

    it("test_read_grantExpiry_servedAtOneSecondBeforeRefusedAtExpiry", async () => {
      const { id, mark } = await labResult();
      const expiresAt = await grantLabResults(DAY);
      const token = await signIn(v, f.research);
      // The latest block is at expiresAt - 1: the grant is live (expiry is exclusive).
      await time.increaseTo(expiresAt - 1);
      const first = await call(v, token, "GET", `/records/${id}`);
      expect(first.statusCode, first.body).to.equal(200);
      expect((await f.consentRegistry.runner!.provider!.getBlock(Number(first.json<Served>().access.block)))!.timestamp).to.equal(
        expiresAt - 1,
      );
      // The logAccess transaction was mined at expiresAt: from this block on, the grant is over.
      expect((await f.consentRegistry.runner!.provider!.getBlock("latest"))!.timestamp).to.equal(expiresAt);
      const before = await logs();
      expectRefused(await call(v, token, "GET", `/records/${id}`), 403, "VaultGrantExpired", mark);
      await time.increaseTo(expiresAt + 1);
      expectRefused(await call(v, token, "GET", `/records/${id}`), 403, "VaultGrantExpired", mark);
      expect(await logs()).to.deep.equal(before);
    });
  });

  describe("read: the refusals serve nothing and log nothing", () => {
    it("test_read_noGrant_refused", async () => {
      const { id, mark } = await labResult();
      const before = await logs();
      for (const reader of [f.research, f.clinic, f.outsider, f.citizen2]) {
        expectRefused(await call(v, await signIn(v, reader), "GET", `/records/${id}`), 403, "VaultNoGrant", mark);
      }
      expect(await logs()).to.deep.equal(before);
    });

    it("test_read_expiredGrant_refused", async () => {
      const { id, mark } = await labResult();
      const expiresAt = await grantLabResults(DAY);
      await time.increaseTo(expiresAt + 60);
      const before = await logs();
      expectRefused(await call(v, await signIn(v, f.research), "GET", `/records/${id}`), 403, "VaultGrantExpired", mark);
      expect(await logs()).to.deep.equal(before);
    });

    it("test_read_revokedGrant_refused", async () => {
      const { id, mark } = await labResult();
      await grantLabResults();
      const token = await signIn(v, f.research);
      expect((await call(v, token, "GET", `/records/${id}`)).statusCode).to.equal(200);
      await f.consentRegistry.connect(f.citizen).revoke(f.research.address, Category.LabResult);
      const before = await logs();
      expectRefused(await call(v, token, "GET", `/records/${id}`), 403, "VaultNoGrant", mark);
      expect(await logs()).to.deep.equal(before);
    });

    it("test_read_grantForAnotherCategory_refused", async () => {
      const { id, mark } = await labResult();
      const expiresAt = (await time.latest()) + 30 * DAY;
      for (const category of [Category.Vaccination, Category.Diagnosis, Category.HealthCodeStatus]) {
        await f.consentRegistry.connect(f.citizen).grant(f.research.address, category, Purpose.Research, expiresAt);
      }
      const before = await logs();
      expectRefused(await call(v, await signIn(v, f.research), "GET", `/records/${id}`), 403, "VaultNoGrant", mark);
      expect(await logs()).to.deep.equal(before);
    });

    it("test_read_grantFromAnotherCitizen_refused", async () => {
      const { id, mark } = await labResult();
      const expiresAt = (await time.latest()) + 30 * DAY;
      await f.consentRegistry.connect(f.citizen2).grant(f.research.address, Category.LabResult, Purpose.Research, expiresAt);
      expectRefused(await call(v, await signIn(v, f.research), "GET", `/records/${id}`), 403, "VaultNoGrant", mark);
    });

    it("test_read_suspendedReader_refused", async () => {
      const { id, mark } = await labResult();
      await grantLabResults();
      const token = await signIn(v, f.research);
      await f.authority.connect(f.regulator).suspend(f.research.address);
      const before = await logs();
      expectRefused(await call(v, token, "GET", `/records/${id}`), 403, "VaultReaderNotActive", mark);
      expect(await logs()).to.deep.equal(before);
    });

    it("test_read_issuerWithoutGrant_refused", async () => {
      // Filing a record does not entitle the hospital to read it back: only a grant does.
      const { id, mark } = await labResult();
      expectRefused(await call(v, await signIn(v, f.hospital), "GET", `/records/${id}`), 403, "VaultNoGrant", mark);
    });

    it("test_read_notAnchoredYet_refusedEvenToTheCitizen", async () => {
      const mark = marker();
      const res = await call(v, await signIn(v, f.hospital), "POST", "/records", {
        subject: f.citizen.address,
        category: Category.LabResult,
        body: body(mark),
      });
      const { id } = res.json().record;
      const before = await logs();
      expectRefused(await call(v, await signIn(v, f.citizen), "GET", `/records/${id}`), 409, "VaultRecordNotAnchored", mark);
      expect(await logs()).to.deep.equal(before);
    });

    it("test_read_unknownRecordOrBadId_refused", async () => {
      const token = await signIn(v, f.citizen);
      expectRefused(await call(v, token, "GET", `/records/0x${"ab".repeat(32)}`), 404, "VaultRecordNotFound");
      expectRefused(await call(v, token, "GET", "/records/0x1234"), 400, "VaultBadRequest");
    });

    it("test_read_unauthenticated_refused", async () => {
      const { id, mark } = await labResult();
      expectRefused(await call(v, undefined, "GET", `/records/${id}`), 401, "VaultUnauthenticated", mark);
      expectRefused(await call(v, "x".repeat(43), "GET", `/records/${id}`), 401, "VaultUnauthenticated", mark);
    });

    it("test_read_chainUnreachable_servesNothing", async () => {
      const { id, mark } = await labResult();
      await grantLabResults();
      await v.close();
      const link = switchableTransport();
      v = await startVault(f, shared(store), { transport: link.transport });
      const research = await signIn(v, f.research);
      const citizen = await signIn(v, f.citizen);
      const hospital = await signIn(v, f.hospital);
      const before = await logs();
      link.set(false);
      expectRefused(await call(v, research, "GET", `/records/${id}`), 503, "VaultChainUnavailable", mark);
      expectRefused(await call(v, citizen, "GET", `/records/${id}`), 503, "VaultChainUnavailable", mark);
      expectRefused(await call(v, citizen, "GET", "/records"), 503, "VaultChainUnavailable");
      const upload = await call(v, hospital, "POST", "/records", { subject: f.citizen.address, category: 1, body: body(marker()) });
      expectRefused(upload, 503, "VaultChainUnavailable");
      const health = await v.app.inject({ method: "GET", url: "/health" });
      expect(health.json()).to.deep.include({ status: "degraded" });
      expect(health.json().chain.reachable).to.equal(false);
      link.set(true);
      expect(await logs()).to.deep.equal(before);
      expect(await count(store, "records")).to.equal(1);
      expect((await call(v, research, "GET", `/records/${id}`)).statusCode).to.equal(200);
    });

    it("test_read_accessLogTransactionFails_servesNothing", async () => {
      const { id, mark } = await labResult();
      await grantLabResults();
      // The vault loses its gatekeeper role: hasAccess is still true, but logAccess reverts.
      await f.authority.connect(f.regulator).revokeRole(role("GATEKEEPER_ROLE"), f.vault.address);
      const before = await logs();
      expectRefused(await call(v, await signIn(v, f.research), "GET", `/records/${id}`), 503, "VaultAccessLogFailed", mark);
      expect(await logs()).to.deep.equal(before);
    });
  });
});
