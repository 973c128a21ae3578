/**
 * The consent relayer (relayer/app.ts) against the Ignition deployment on Hardhat's in-process network: its
 * viem clients talk to `connection.provider` through a `custom` transport, and requests go through Fastify's
 * `inject()` (no socket). A valid signature is relayed and the registry emits `ConsentGranted` / `ConsentRevoked`;
 * every refusal names its custom error (or `InvalidRequest`) and sends nothing: no block is mined and the
 * relayer's account nonce does not move.
 */
import { expect } from "chai";
import type { FastifyInstance } from "fastify";
import {
  type Address,
  createPublicClient,
  custom,
  decodeErrorResult,
  defineChain,
  type Hash,
  type Hex,
  parseEventLogs,
  type PublicClient,
} from "viem";
import { type HDAccount, mnemonicToAccount } from "viem/accounts";

import { consentRegistryAbi } from "../../../app/src/generated/healthtrace.ts";
import { buildRelayer, type RelayerRefusal } from "../../../relayer/app.ts";
import { CONSENT_DOMAIN, CONSENT_TYPES } from "../../../scripts/lib/consent-typed-data.ts";
import { DEV_MNEMONIC } from "../../../scripts/lib/personas.ts";
import { Category, Purpose, accreditedFixture, connection, networkHelpers, now } from "../helpers/fixtures.ts";

/** Hardhat default account indexes of the fixture's actors (fixtures.ts). */
const CITIZEN_INDEX = 10;
const CITIZEN2_INDEX = 11;
const RELAYER_INDEX = 13;
const APP_ORIGIN = "http://localhost:5173";

const citizenAccount: HDAccount = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: CITIZEN_INDEX });
const otherAccount: HDAccount = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: CITIZEN2_INDEX });
const relayerAccount: HDAccount = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: RELAYER_INDEX });

async function relayerFixture() {
  const f = await accreditedFixture();
  const chainId = Number((await connection.ethers.provider.getNetwork()).chainId);
  const chain = defineChain({
    id: chainId,
    name: "hardhat",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: ["http://127.0.0.1:0"] } },
  });
  const registry = (await f.consentRegistry.getAddress()) as Address;
  return { ...f, chain, registry };
}

type Fixture = Awaited<ReturnType<typeof relayerFixture>>;

interface GrantFields {
  citizen: Address;
  grantee: Address;
  category: number;
  purpose: number;
  expiresAt: bigint;
  nonce: bigint;
  deadline: bigint;
}

describe("consent relayer", () => {
  let f: Fixture;
  let app: FastifyInstance;
  let client: PublicClient;

  beforeEach(async () => {
    f = await networkHelpers.loadFixture(relayerFixture);
    // No retries: a refused simulation is an answer, not a transient failure.
    const transport = custom(connection.provider, { retryCount: 0 });
    client = createPublicClient({ chain: f.chain, transport });
    app = await buildRelayer({
      transport,
      chain: f.chain,
      account: relayerAccount,
      consentRegistry: f.registry,
      allowedOrigins: [APP_ORIGIN],
    });
  });

  afterEach(async () => {
    await app.close();
  });

  const domain = () => ({ ...CONSENT_DOMAIN, chainId: f.chain.id, verifyingContract: f.registry });

  async function grantFields(overrides: Partial<GrantFields> = {}): Promise<GrantFields> {
    const t = BigInt(await now());
    return {
      citizen: citizenAccount.address,
      grantee: f.hospital.address as Address,
      category: Category.LabResult,
      purpose: Purpose.Treatment,
      expiresAt: t + 30n * 86_400n,
      nonce: await f.consentRegistry["nonces(address,uint192)"](citizenAccount.address, 0n),
      deadline: t + 3_600n,
      ...overrides,
    };
  }

  const signGrant = (signer: HDAccount, fields: GrantFields): Promise<Hex> =>
    signer.signTypedData({ domain: domain(), types: CONSENT_TYPES, primaryType: "Grant", message: fields });

  const grantBody = (fields: GrantFields, signature: Hex) => ({
    citizen: fields.citizen,
    grantee: fields.grantee,
    category: fields.category,
    purpose: fields.purpose,
    expiresAt: fields.expiresAt.toString(),
    nonce: fields.nonce.toString(),
    deadline: fields.deadline.toString(),
    signature,
  });

  /** Everything a refused request must leave untouched: the chain's height and the relayer's nonce. */
  async function sentSnapshot(): Promise<[bigint, number]> {
    return [await client.getBlockNumber(), await client.getTransactionCount({ address: relayerAccount.address })];
  }

  async function post(url: string, payload: unknown) {
    return app.inject({ method: "POST", url, payload: payload as Record<string, unknown>, headers: { origin: APP_ORIGIN } });
  }

  async function expectRefused(url: string, payload: unknown, status: number, errorName: string): Promise<RelayerRefusal> {
    const before = await sentSnapshot();
    const response = await post(url, payload);
    expect(response.statusCode, response.body).to.equal(status);
    const body = response.json<RelayerRefusal>();
    expect(body.error).to.equal(errorName);
    expect(await sentSnapshot()).to.deep.equal(before);
    return body;
  }

  it("test_health_answersWithTheRelayerAccountAndChain", async () => {
    const response = await app.inject({ method: "GET", url: "/health" });
    expect(response.statusCode).to.equal(200);
    expect(response.json()).to.deep.include({ ok: true, chainId: f.chain.id, relayer: relayerAccount.address, consentRegistry: f.registry });
  });

  it("test_grant_validSignatureIsRelayedAndConsentGrantedIsEmitted", async () => {
    const fields = await grantFields();
    const response = await post("/v1/consent/grant", grantBody(fields, await signGrant(citizenAccount, fields)));
    expect(response.statusCode, response.body).to.equal(200);
    expect(response.headers["access-control-allow-origin"]).to.equal(APP_ORIGIN);
    const { hash } = response.json<{ hash: Hash }>();
    const receipt = await client.waitForTransactionReceipt({ hash });
    expect(receipt.status).to.equal("success");
    expect(receipt.from.toLowerCase()).to.equal(relayerAccount.address.toLowerCase());
    const [event] = parseEventLogs({ abi: consentRegistryAbi, logs: receipt.logs, eventName: "ConsentGranted" });
    expect(event.args).to.deep.equal({
      citizen: fields.citizen,
      grantee: fields.grantee,
      category: fields.category,
      purpose: fields.purpose,
      expiresAt: fields.expiresAt,
    });
    expect(await f.consentRegistry.hasAccess(fields.citizen, fields.grantee, fields.category)).to.equal(true);
    expect(await f.consentRegistry["nonces(address,uint192)"](fields.citizen, 0n)).to.equal(fields.nonce + 1n);
  });

  it("test_grant_keyedNonceOfAnotherKeyIsRelayed", async () => {
    const key = 0xc0ffeen;
    const fields = await grantFields({ nonce: await f.consentRegistry["nonces(address,uint192)"](citizenAccount.address, key) });
    expect(fields.nonce).to.equal(key << 64n);
    const response = await post("/v1/consent/grant", grantBody(fields, await signGrant(citizenAccount, fields)));
    expect(response.statusCode, response.body).to.equal(200);
    await client.waitForTransactionReceipt({ hash: response.json<{ hash: Hash }>().hash });
    expect(await f.consentRegistry["nonces(address,uint192)"](fields.citizen, key)).to.equal((key << 64n) + 1n);
  });

  it("test_grant_signatureOfAnotherWalletIsRefusedAsInvalidSignature", async () => {
    const fields = await grantFields();
    const body = await expectRefused(
      "/v1/consent/grant",
      grantBody(fields, await signGrant(otherAccount, fields)),
      422,
      "ConsentRegistryInvalidSignature",
    );
    // The revert data decodes against the registry's ABI, so the app words it in the user's language.
    expect(body.data).to.match(/^0x[0-9a-f]{8}/);
    const decoded = decodeErrorResult({ abi: consentRegistryAbi, data: body.data as Hex });
    expect(decoded.errorName).to.equal("ConsentRegistryInvalidSignature");
    expect(decoded.args).to.deep.equal([fields.citizen]);
    expect(await f.consentRegistry.hasAccess(fields.citizen, fields.grantee, fields.category)).to.equal(false);
  });

  it("test_grant_alteredFieldAfterSigningIsRefusedAsInvalidSignature", async () => {
    const fields = await grantFields();
    const signature = await signGrant(citizenAccount, fields);
    await expectRefused(
      "/v1/consent/grant",
      grantBody({ ...fields, category: Category.Diagnosis }, signature),
      422,
      "ConsentRegistryInvalidSignature",
    );
  });

  it("test_grant_expiredDeadlineIsRefusedAsSignatureExpired", async () => {
    const fields = await grantFields({ deadline: BigInt(await now()) - 1n });
    await expectRefused(
      "/v1/consent/grant",
      grantBody(fields, await signGrant(citizenAccount, fields)),
      422,
      "ConsentRegistrySignatureExpired",
    );
  });

  it("test_grant_reusedNonceIsRefusedAsInvalidNonce", async () => {
    const fields = await grantFields();
    const payload = grantBody(fields, await signGrant(citizenAccount, fields));
    const first = await post("/v1/consent/grant", payload);
    expect(first.statusCode, first.body).to.equal(200);
    await client.waitForTransactionReceipt({ hash: first.json<{ hash: Hash }>().hash });
    await expectRefused("/v1/consent/grant", payload, 422, "ConsentRegistryInvalidNonce");
  });

  it("test_grant_expiryInThePastIsRefusedAsExpiryNotInFuture", async () => {
    const fields = await grantFields({ expiresAt: BigInt(await now()) - 60n });
    await expectRefused(
      "/v1/consent/grant",
      grantBody(fields, await signGrant(citizenAccount, fields)),
      422,
      "ConsentRegistryExpiryNotInFuture",
    );
  });

  it("test_grant_malformedInputIsRefusedAsInvalidRequest", async () => {
    const fields = await grantFields();
    const good = grantBody(fields, await signGrant(citizenAccount, fields));
    const { signature: _missing, ...noSignature } = good;
    const cases: unknown[] = [
      noSignature,
      { ...good, citizen: "0x1234" },
      { ...good, grantee: "not an address" },
      // A mixed-case address whose checksum is wrong.
      { ...good, grantee: fields.grantee.slice(0, 2) + fields.grantee.slice(2).split("").map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c.toLowerCase())).join("") },
      { ...good, expiresAt: "-5" },
      { ...good, expiresAt: (2n ** 64n).toString() },
      { ...good, nonce: "0x01" },
      { ...good, category: 256 },
      { ...good, signature: "0xdeadbeef" },
      "not json at all",
    ];
    for (const [i, payload] of cases.entries()) {
      const before = await sentSnapshot();
      const response = await post("/v1/consent/grant", payload);
      expect(response.statusCode, `case ${i}: ${response.body}`).to.equal(400);
      expect(response.json<RelayerRefusal>().error, `case ${i}`).to.equal("InvalidRequest");
      expect(await sentSnapshot(), `case ${i}`).to.deep.equal(before);
    }
  });

  it("test_revoke_validSignatureIsRelayedAndConsentRevokedIsEmitted", async () => {
    const fields = await grantFields();
    const granted = await post("/v1/consent/grant", grantBody(fields, await signGrant(citizenAccount, fields)));
    await client.waitForTransactionReceipt({ hash: granted.json<{ hash: Hash }>().hash });

    const revoke = {
      citizen: fields.citizen,
      grantee: fields.grantee,
      category: fields.category,
      nonce: await f.consentRegistry["nonces(address,uint192)"](citizenAccount.address, 0n),
      deadline: BigInt(await now()) + 3_600n,
    };
    const signature = await citizenAccount.signTypedData({ domain: domain(), types: CONSENT_TYPES, primaryType: "Revoke", message: revoke });
    const response = await post("/v1/consent/revoke", {
      ...revoke,
      nonce: revoke.nonce.toString(),
      deadline: revoke.deadline.toString(),
      signature,
    });
    expect(response.statusCode, response.body).to.equal(200);
    const receipt = await client.waitForTransactionReceipt({ hash: response.json<{ hash: Hash }>().hash });
    const [event] = parseEventLogs({ abi: consentRegistryAbi, logs: receipt.logs, eventName: "ConsentRevoked" });
    expect(event.args).to.deep.equal({ citizen: fields.citizen, grantee: fields.grantee, category: fields.category });
    expect(await f.consentRegistry.hasAccess(fields.citizen, fields.grantee, fields.category)).to.equal(false);
  });

  it("test_revoke_withoutGrantIsRefusedAsNoGrant", async () => {
    const revoke = {
      citizen: citizenAccount.address,
      grantee: f.research.address as Address,
      category: Category.Imaging,
      nonce: await f.consentRegistry["nonces(address,uint192)"](citizenAccount.address, 0n),
      deadline: BigInt(await now()) + 3_600n,
    };
    const signature = await citizenAccount.signTypedData({ domain: domain(), types: CONSENT_TYPES, primaryType: "Revoke", message: revoke });
    await expectRefused(
      "/v1/consent/revoke",
      { ...revoke, nonce: revoke.nonce.toString(), deadline: revoke.deadline.toString(), signature },
      422,
      "ConsentRegistryNoGrant",
    );
  });
});
