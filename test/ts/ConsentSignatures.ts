import { expect } from "chai";
import { Signature, Wallet, ZeroAddress } from "ethers";

import {
  CONSENT_DOMAIN_NAME,
  CONSENT_DOMAIN_VERSION,
  type ConsentDomain,
  FAR_FUTURE,
  GRANT_TYPES,
  type GrantMessage,
  REVOKE_TYPES,
  type RevokeMessage,
  SECP256K1_N,
  consentDomain,
  consentState,
  defaultAccountWallet,
  ethersSignGrant,
  ethersSignRevoke,
  grantDigest,
  grantTuple,
  keyedNonce,
  relayGrant,
  relayRevoke,
  revokeDigest,
  sigUtilSignGrant,
  sigUtilSignRevoke,
  toHighS,
} from "./helpers/consent.js";
import { Category, Purpose, accreditedFixture, ethers, networkHelpers, now } from "./helpers/fixtures.js";
import { ConsentRegistry__factory } from "../../types/ethers-contracts/index.js";

const { time } = networkHelpers;

/** Hardhat default account index of `citizen` in fixtures.ts. */
const CITIZEN_INDEX = 10;
/** Hardhat default account index of `citizen2` in fixtures.ts. */
const CITIZEN2_INDEX = 11;

/** The accredited deployment plus the citizen's private key and the registry's EIP-712 domain. */
async function signatureFixture() {
  const f = await accreditedFixture();
  const citizenKey = defaultAccountWallet(CITIZEN_INDEX).privateKey;
  const citizen2Key = defaultAccountWallet(CITIZEN2_INDEX).privateKey;
  const domain = await consentDomain(f.consentRegistry);
  return { ...f, citizenKey, citizen2Key, domain };
}

type Fixture = Awaited<ReturnType<typeof signatureFixture>>;

async function fixture(): Promise<Fixture> {
  return networkHelpers.loadFixture(signatureFixture);
}

function grantMessage(f: Fixture, overrides: Partial<GrantMessage> = {}): GrantMessage {
  return {
    citizen: f.citizen.address,
    grantee: f.hospital.address,
    category: Category.LabResult,
    purpose: Purpose.Treatment,
    expiresAt: FAR_FUTURE,
    nonce: 0n,
    deadline: FAR_FUTURE,
    ...overrides,
  };
}

function revokeMessage(f: Fixture, overrides: Partial<RevokeMessage> = {}): RevokeMessage {
  return {
    citizen: f.citizen.address,
    grantee: f.hospital.address,
    category: Category.LabResult,
    nonce: 0n,
    deadline: FAR_FUTURE,
    ...overrides,
  };
}

/** Everything a refused relay could have changed for the citizen. */
function citizenState(f: Fixture) {
  return consentState(
    f.consentRegistry,
    f.citizen.address,
    [f.hospital.address, f.clinic.address, f.research.address],
    [0, 1, 2, 3, 4, 5, 6],
    [0n, 1n, 2n, 3n],
  );
}

/** Give the citizen a live lab-result grant to the hospital (direct call, no nonce used). */
async function withGrant(f: Fixture): Promise<void> {
  await f.consentRegistry
    .connect(f.citizen)
    .grant(f.hospital.address, Category.LabResult, Purpose.Treatment, FAR_FUTURE);
}

describe("ConsentSignatures (EIP-712)", () => {
  describe("domain and signers", () => {
    it("test_DOMAIN_SEPARATOR_equalsEthersHashDomain", async () => {
      const f = await fixture();
      const { chainId } = await ethers.provider.getNetwork();
      expect(await f.consentRegistry.DOMAIN_SEPARATOR()).to.equal(
        ethers.TypedDataEncoder.hashDomain({
          name: "HealthTrace Consent",
          version: "1",
          chainId,
          verifyingContract: await f.consentRegistry.getAddress(),
        }),
      );
    });

    it("test_eip712Domain_fieldsMatchSigningDomain", async () => {
      const f = await fixture();
      const d = await f.consentRegistry.eip712Domain();
      expect(d.fields).to.equal("0x0f"); // name, version, chainId, verifyingContract
      expect(d.name).to.equal(f.domain.name);
      expect(d.version).to.equal(f.domain.version);
      expect(d.chainId).to.equal(f.domain.chainId);
      expect(d.chainId).to.equal(31337n);
      expect(d.verifyingContract).to.equal(f.domain.verifyingContract);
      expect(d.salt).to.equal(ethers.ZeroHash);
      expect(d.extensions).to.deep.equal([]);
    });

    it("test_DOMAIN_SEPARATOR_differsPerDeployment", async () => {
      const f = await fixture();
      const other = await new ConsentRegistry__factory(f.admin).deploy(await f.authority.getAddress());
      const otherDomain = await consentDomain(other);
      expect(otherDomain.verifyingContract).to.not.equal(f.domain.verifyingContract);
      expect(await other.DOMAIN_SEPARATOR()).to.equal(ethers.TypedDataEncoder.hashDomain(otherDomain));
      expect(await other.DOMAIN_SEPARATOR()).to.not.equal(await f.consentRegistry.DOMAIN_SEPARATOR());
    });

    it("test_GRANT_TYPEHASH_matchesHelperTypes", async () => {
      const f = await fixture();
      const encoded = ethers.TypedDataEncoder.from(GRANT_TYPES).encodeType("Grant");
      expect(await f.consentRegistry.GRANT_TYPEHASH()).to.equal(ethers.id(encoded));
    });

    it("test_REVOKE_TYPEHASH_matchesHelperTypes", async () => {
      const f = await fixture();
      const encoded = ethers.TypedDataEncoder.from(REVOKE_TYPES).encodeType("Revoke");
      expect(await f.consentRegistry.REVOKE_TYPEHASH()).to.equal(ethers.id(encoded));
    });

    it("test_defaultAccountWallet_derivesTheCitizenKeys", async () => {
      const f = await fixture();
      expect(new Wallet(f.citizenKey).address).to.equal(f.citizen.address);
      expect(new Wallet(f.citizen2Key).address).to.equal(f.citizen2.address);
    });

    it("test_sigUtil_agreesWithEthersSignerAndRecoversCitizen", async () => {
      const f = await fixture();
      const grant = grantMessage(f, { nonce: keyedNonce(9n, 0n) });
      const grantSig = sigUtilSignGrant(f.citizenKey, f.domain, grant);
      // RFC 6979 signatures are deterministic: two independent implementations must agree byte for byte.
      expect(grantSig).to.equal(await ethersSignGrant(f.citizen, f.domain, grant));
      expect(ethers.recoverAddress(grantDigest(f.domain, grant), grantSig)).to.equal(f.citizen.address);

      const revoke = revokeMessage(f);
      const revokeSig = sigUtilSignRevoke(f.citizenKey, f.domain, revoke);
      expect(revokeSig).to.equal(await ethersSignRevoke(f.citizen, f.domain, revoke));
      expect(ethers.recoverAddress(revokeDigest(f.domain, revoke), revokeSig)).to.equal(f.citizen.address);
    });
  });

  describe("grantBySig", () => {
    it("test_grantBySig_sigUtilSignatureRelayedByThirdParty_grants", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const m = grantMessage(f, { category: Category.Diagnosis, purpose: Purpose.Research, grantee: f.research.address });
      const signature = sigUtilSignGrant(f.citizenKey, f.domain, m);
      const tx = relayGrant(cr.connect(f.relayer), m, signature);
      await expect(tx)
        .to.emit(cr, "ConsentGranted")
        .withArgs(f.citizen.address, f.research.address, Category.Diagnosis, Purpose.Research, FAR_FUTURE);
      expect((await tx).from).to.equal(f.relayer.address);
      expect(await grantTuple(cr, f.citizen.address, f.research.address, Category.Diagnosis)).to.deep.equal([
        BigInt(Purpose.Research),
        BigInt(await now()),
        FAR_FUTURE,
      ]);
      expect(await cr.hasAccess(f.citizen.address, f.research.address, Category.Diagnosis)).to.equal(true);
      expect(await cr["nonces(address,uint192)"](f.citizen.address, 0n)).to.equal(1n);
    });

    it("test_grantBySig_ethersSignerSignature_grants", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const m = grantMessage(f);
      const signature = await ethersSignGrant(f.citizen, f.domain, m);
      await expect(relayGrant(cr.connect(f.relayer), m, signature))
        .to.emit(cr, "ConsentGranted")
        .withArgs(f.citizen.address, f.hospital.address, Category.LabResult, Purpose.Treatment, FAR_FUTURE);
      expect(await cr.hasAccess(f.citizen.address, f.hospital.address, Category.LabResult)).to.equal(true);
    });

    it("test_grantBySig_freshUnfundedWallet_grants", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const wallet = Wallet.createRandom();
      expect(await ethers.provider.getBalance(wallet.address)).to.equal(0n);
      const m = grantMessage(f, { citizen: wallet.address });
      await expect(relayGrant(cr.connect(f.relayer), m, sigUtilSignGrant(wallet.privateKey, f.domain, m)))
        .to.emit(cr, "ConsentGranted")
        .withArgs(wallet.address, f.hospital.address, Category.LabResult, Purpose.Treatment, FAR_FUTURE);
      expect(await cr.hasAccess(wallet.address, f.hospital.address, Category.LabResult)).to.equal(true);
    });

    it("test_grantBySig_citizenRelaysOwnSignature_grants", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const m = grantMessage(f);
      await expect(relayGrant(cr.connect(f.citizen), m, sigUtilSignGrant(f.citizenKey, f.domain, m)))
        .to.emit(cr, "ConsentGranted")
        .withArgs(f.citizen.address, f.hospital.address, Category.LabResult, Purpose.Treatment, FAR_FUTURE);
    });

    it("test_grantBySig_sameChainReplay_revertsInvalidNonce", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      const m = grantMessage(f);
      const signature = sigUtilSignGrant(f.citizenKey, f.domain, m);
      await relayGrant(cr, m, signature);
      // The citizen changes their mind; a replay must not bring the grant back.
      await cr.connect(f.citizen).revoke(f.hospital.address, Category.LabResult);
      const before = await citizenState(f);
      await expect(relayGrant(cr, m, signature))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidNonce")
        .withArgs(f.citizen.address, 0n, 1n);
      expect(await citizenState(f)).to.deep.equal(before);
      expect(await cr.hasAccess(f.citizen.address, f.hospital.address, Category.LabResult)).to.equal(false);
    });

    it("test_grantBySig_otherChainId_revertsInvalidSignature", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const m = grantMessage(f);
      const signature = sigUtilSignGrant(f.citizenKey, { ...f.domain, chainId: 1n }, m);
      const before = await citizenState(f);
      await expect(relayGrant(cr.connect(f.relayer), m, signature))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
        .withArgs(f.citizen.address);
      expect(await citizenState(f)).to.deep.equal(before);
    });

    it("test_grantBySig_otherDeployment_revertsInvalidSignature", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const other = await new ConsentRegistry__factory(f.admin).deploy(await f.authority.getAddress());
      const m = grantMessage(f);
      const signature = sigUtilSignGrant(f.citizenKey, await consentDomain(other), m);
      const before = await citizenState(f);
      await expect(relayGrant(cr.connect(f.relayer), m, signature))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
        .withArgs(f.citizen.address);
      expect(await citizenState(f)).to.deep.equal(before);
      // The very same signature is good where it was meant to go.
      await expect(relayGrant(other.connect(f.relayer), m, signature))
        .to.emit(other, "ConsentGranted")
        .withArgs(f.citizen.address, f.hospital.address, Category.LabResult, Purpose.Treatment, FAR_FUTURE);
    });

    it("test_grantBySig_otherVerifyingContractAddress_revertsInvalidSignature", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const m = grantMessage(f);
      const domain: ConsentDomain = { ...f.domain, verifyingContract: await f.recordRegistry.getAddress() };
      await expect(relayGrant(cr.connect(f.relayer), m, sigUtilSignGrant(f.citizenKey, domain, m)))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
        .withArgs(f.citizen.address);
    });

    it("test_grantBySig_otherDomainNameOrVersion_revertsInvalidSignature", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      const m = grantMessage(f);
      for (const domain of [
        { ...f.domain, name: "HealthTrace" },
        { ...f.domain, version: "2" },
      ]) {
        await expect(relayGrant(cr, m, sigUtilSignGrant(f.citizenKey, domain, m)))
          .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
          .withArgs(f.citizen.address);
      }
      expect(await cr["nonces(address,uint192)"](f.citizen.address, 0n)).to.equal(0n);
    });

    it("test_grantBySig_relayedAtDeadline_grants", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const deadline = BigInt(await now()) + 3600n;
      const m = grantMessage(f, { deadline });
      const signature = sigUtilSignGrant(f.citizenKey, f.domain, m);
      await time.setNextBlockTimestamp(deadline);
      await expect(relayGrant(cr.connect(f.relayer), m, signature))
        .to.emit(cr, "ConsentGranted")
        .withArgs(f.citizen.address, f.hospital.address, Category.LabResult, Purpose.Treatment, FAR_FUTURE);
      expect(BigInt(await now())).to.equal(deadline);
    });

    it("test_grantBySig_relayedOneSecondAfterDeadline_revertsSignatureExpired", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const deadline = BigInt(await now()) + 3600n;
      const m = grantMessage(f, { deadline });
      const signature = sigUtilSignGrant(f.citizenKey, f.domain, m);
      const before = await citizenState(f);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(relayGrant(cr.connect(f.relayer), m, signature))
        .to.be.revertedWithCustomError(cr, "ConsentRegistrySignatureExpired")
        .withArgs(deadline, deadline + 1n);
      expect(await citizenState(f)).to.deep.equal(before);
    });

    it("test_grantBySig_deadlineLongPast_revertsSignatureExpired", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const m = grantMessage(f, { deadline: 1n });
      const t = BigInt(await now()) + 10n;
      await time.setNextBlockTimestamp(t);
      await expect(relayGrant(cr.connect(f.relayer), m, sigUtilSignGrant(f.citizenKey, f.domain, m)))
        .to.be.revertedWithCustomError(cr, "ConsentRegistrySignatureExpired")
        .withArgs(1n, t);
    });

    it("test_grantBySig_highS_revertsInvalidSignature", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      const m = grantMessage(f);
      const signature = sigUtilSignGrant(f.citizenKey, f.domain, m);
      const twin = toHighS(signature);
      expect(BigInt(Signature.from(signature).s)).to.be.lessThanOrEqual(SECP256K1_N / 2n);
      expect(BigInt(`0x${twin.slice(66, 130)}`)).to.be.greaterThan(SECP256K1_N / 2n);
      expect(twin.slice(0, 66)).to.equal(signature.slice(0, 66)); // same r
      const before = await citizenState(f);
      await expect(relayGrant(cr, m, twin))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
        .withArgs(f.citizen.address);
      expect(await citizenState(f)).to.deep.equal(before);
      // The low-s original was never consumed and still works.
      await expect(relayGrant(cr, m, signature)).to.emit(cr, "ConsentGranted");
    });

    it("test_grantBySig_wrongSigner_revertsInvalidSignature", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const m = grantMessage(f); // names citizen, signed by citizen2
      const before = await citizenState(f);
      await expect(relayGrant(cr.connect(f.relayer), m, sigUtilSignGrant(f.citizen2Key, f.domain, m)))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
        .withArgs(f.citizen.address);
      await expect(relayGrant(cr.connect(f.relayer), m, await ethersSignGrant(f.hospital, f.domain, m)))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
        .withArgs(f.citizen.address);
      expect(await citizenState(f)).to.deep.equal(before);
    });

    it("test_grantBySig_cancelledNonce_revertsInvalidNonce", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const m = grantMessage(f);
      const signature = sigUtilSignGrant(f.citizenKey, f.domain, m);
      await expect(cr.connect(f.citizen).cancelNonce(0n))
        .to.emit(cr, "NonceCancelled")
        .withArgs(f.citizen.address, 0n);
      const before = await citizenState(f);
      await expect(relayGrant(cr.connect(f.relayer), m, signature))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidNonce")
        .withArgs(f.citizen.address, 0n, 1n);
      expect(await citizenState(f)).to.deep.equal(before);
    });

    it("test_grantBySig_cancelledKeyedNonceByFundedRandomWallet_revertsInvalidNonce", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const wallet = Wallet.createRandom(ethers.provider);
      await networkHelpers.setBalance(wallet.address, 10n ** 18n);
      const nonce = keyedNonce(42n, 0n);
      const m = grantMessage(f, { citizen: wallet.address, nonce });
      const signature = sigUtilSignGrant(wallet.privateKey, f.domain, m);
      await expect(cr.connect(wallet).cancelNonce(nonce))
        .to.emit(cr, "NonceCancelled")
        .withArgs(wallet.address, nonce);
      await expect(relayGrant(cr.connect(f.relayer), m, signature))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidNonce")
        .withArgs(wallet.address, nonce, keyedNonce(42n, 1n));
      expect(await cr.hasAccess(wallet.address, f.hospital.address, Category.LabResult)).to.equal(false);
    });

    const tampers: [string, (f: Fixture) => Partial<GrantMessage>][] = [
      ["Grantee", (f) => ({ grantee: f.clinic.address })],
      ["Category", () => ({ category: Category.Diagnosis })],
      ["Purpose", () => ({ purpose: Purpose.InsuranceClaim })],
      ["ExpiresAt", () => ({ expiresAt: FAR_FUTURE + 1n })],
      ["Deadline", () => ({ deadline: FAR_FUTURE + 1n })],
      ["Nonce", () => ({ nonce: keyedNonce(1n, 0n) })],
      ["Citizen", (f) => ({ citizen: f.citizen2.address })],
    ];
    for (const [field, tamper] of tampers) {
      it(`test_grantBySig_tampered${field}_revertsInvalidSignature`, async () => {
        const f = await fixture();
        const cr = f.consentRegistry.connect(f.relayer);
        const signed = grantMessage(f);
        const signature = sigUtilSignGrant(f.citizenKey, f.domain, signed);
        const relayed = { ...signed, ...tamper(f) };
        const before = await citizenState(f);
        await expect(relayGrant(cr, relayed, signature))
          .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
          .withArgs(relayed.citizen);
        expect(await citizenState(f)).to.deep.equal(before);
      });
    }

    it("test_grantBySig_revokeSignatureAsGrant_revertsInvalidSignature", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      const revokeSig = sigUtilSignRevoke(f.citizenKey, f.domain, revokeMessage(f));
      await expect(relayGrant(cr, grantMessage(f), revokeSig))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
        .withArgs(f.citizen.address);
    });

    it("test_grantBySig_keyedNoncesUsedIndependentlyInAnyOrder", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      const a = grantMessage(f, { nonce: keyedNonce(1n, 0n), category: Category.LabResult });
      const b = grantMessage(f, { nonce: keyedNonce(2n, 0n), category: Category.Imaging });
      const c = grantMessage(f, { nonce: 0n, category: Category.Vaccination });
      const sigA = sigUtilSignGrant(f.citizenKey, f.domain, a);
      const sigB = sigUtilSignGrant(f.citizenKey, f.domain, b);
      const sigC = sigUtilSignGrant(f.citizenKey, f.domain, c);
      // Relayed in the reverse order of signing.
      await expect(relayGrant(cr, b, sigB)).to.emit(cr, "ConsentGranted");
      await expect(relayGrant(cr, c, sigC)).to.emit(cr, "ConsentGranted");
      await expect(relayGrant(cr, a, sigA)).to.emit(cr, "ConsentGranted");
      expect(await cr["nonces(address,uint192)"](f.citizen.address, 0n)).to.equal(1n);
      expect(await cr["nonces(address,uint192)"](f.citizen.address, 1n)).to.equal(keyedNonce(1n, 1n));
      expect(await cr["nonces(address,uint192)"](f.citizen.address, 2n)).to.equal(keyedNonce(2n, 1n));
      expect(await cr["nonces(address,uint192)"](f.citizen.address, 3n)).to.equal(keyedNonce(3n, 0n));
      for (const category of [Category.LabResult, Category.Imaging, Category.Vaccination]) {
        expect(await cr.hasAccess(f.citizen.address, f.hospital.address, category)).to.equal(true);
      }
    });

    it("test_grantBySig_outOfOrderWithinKey_revertsInvalidNonce", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      const first = grantMessage(f, { nonce: keyedNonce(3n, 0n), category: Category.LabResult });
      const second = grantMessage(f, { nonce: keyedNonce(3n, 1n), category: Category.Imaging });
      const sigFirst = sigUtilSignGrant(f.citizenKey, f.domain, first);
      const sigSecond = sigUtilSignGrant(f.citizenKey, f.domain, second);
      const before = await citizenState(f);
      await expect(relayGrant(cr, second, sigSecond))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidNonce")
        .withArgs(f.citizen.address, keyedNonce(3n, 1n), keyedNonce(3n, 0n));
      expect(await citizenState(f)).to.deep.equal(before);
      await expect(relayGrant(cr, first, sigFirst)).to.emit(cr, "ConsentGranted");
      await expect(relayGrant(cr, second, sigSecond)).to.emit(cr, "ConsentGranted");
      expect(await cr["nonces(address,uint192)"](f.citizen.address, 3n)).to.equal(keyedNonce(3n, 2n));
    });

    it("test_grantBySig_unknownCategory_revertsAndKeepsNonce", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const m = grantMessage(f, { category: 6 });
      const before = await citizenState(f);
      await expect(relayGrant(cr.connect(f.relayer), m, sigUtilSignGrant(f.citizenKey, f.domain, m)))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryUnknownCategory")
        .withArgs(6);
      expect(await citizenState(f)).to.deep.equal(before);
    });

    it("test_grantBySig_unknownPurpose_revertsAndKeepsNonce", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const m = grantMessage(f, { purpose: 5 });
      const before = await citizenState(f);
      await expect(relayGrant(cr.connect(f.relayer), m, sigUtilSignGrant(f.citizenKey, f.domain, m)))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryUnknownPurpose")
        .withArgs(5);
      expect(await citizenState(f)).to.deep.equal(before);
    });

    it("test_grantBySig_expiryNotInFuture_revertsAndKeepsNonce", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const t = BigInt(await now()) + 100n;
      const m = grantMessage(f, { expiresAt: t });
      const signature = sigUtilSignGrant(f.citizenKey, f.domain, m);
      const before = await citizenState(f);
      await time.setNextBlockTimestamp(t);
      await expect(relayGrant(cr.connect(f.relayer), m, signature))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryExpiryNotInFuture")
        .withArgs(t, t);
      expect(await citizenState(f)).to.deep.equal(before);
    });

    it("test_grantBySig_suspendedGrantee_revertsAndKeepsNonce", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      await f.authority.connect(f.regulator).suspend(f.hospital.address);
      const m = grantMessage(f);
      const before = await citizenState(f);
      await expect(relayGrant(cr.connect(f.relayer), m, sigUtilSignGrant(f.citizenKey, f.domain, m)))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryGranteeNotActive")
        .withArgs(f.hospital.address);
      expect(await citizenState(f)).to.deep.equal(before);
    });

    it("test_grantBySig_zeroCitizenWithGarbageSignature_revertsInvalidSignature", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      const m = grantMessage(f, { citizen: ZeroAddress });
      const garbage = `0x${"00".repeat(64)}1b`;
      await expect(relayGrant(cr, m, garbage))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
        .withArgs(ZeroAddress);
      expect(await grantTuple(cr, ZeroAddress, f.hospital.address, Category.LabResult)).to.deep.equal([0n, 0n, 0n]);
    });

    for (const [label, bytes] of [
      ["Empty", "0x"],
      ["64ByteCompact", "0x" + "11".repeat(64)],
      ["66Byte", "0x" + "11".repeat(66)],
    ] as const) {
      it(`test_grantBySig_malformedSignature${label}_revertsInvalidSignature`, async () => {
        const f = await fixture();
        const cr = f.consentRegistry.connect(f.relayer);
        await expect(relayGrant(cr, grantMessage(f), bytes))
          .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
          .withArgs(f.citizen.address);
      });
    }

    it("test_grantBySig_compactEip2098OfValidSignature_revertsInvalidSignature", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      const m = grantMessage(f);
      const compact = Signature.from(sigUtilSignGrant(f.citizenKey, f.domain, m)).compactSerialized;
      expect(ethers.dataLength(compact)).to.equal(64);
      await expect(relayGrant(cr, m, compact))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
        .withArgs(f.citizen.address);
    });

    it("test_grantBySig_contractCitizenWithoutErc1271_revertsInvalidSignature", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      const contractCitizen = await f.authority.getAddress();
      const m = grantMessage(f, { citizen: contractCitizen });
      await expect(relayGrant(cr, m, sigUtilSignGrant(f.citizenKey, f.domain, m)))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
        .withArgs(contractCitizen);
    });

    it("test_grantBySig_expiredDeadlineCheckedBeforeSignature", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      const t = BigInt(await now()) + 10n;
      await time.setNextBlockTimestamp(t);
      await expect(relayGrant(cr, grantMessage(f, { deadline: 1n }), "0x"))
        .to.be.revertedWithCustomError(cr, "ConsentRegistrySignatureExpired")
        .withArgs(1n, t);
    });
  });

  describe("revokeBySig", () => {
    it("test_revokeBySig_sigUtilSignatureRelayedByThirdParty_revokes", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      await withGrant(f);
      const m = revokeMessage(f);
      const tx = relayRevoke(cr.connect(f.relayer), m, sigUtilSignRevoke(f.citizenKey, f.domain, m));
      await expect(tx)
        .to.emit(cr, "ConsentRevoked")
        .withArgs(f.citizen.address, f.hospital.address, Category.LabResult);
      expect((await tx).from).to.equal(f.relayer.address);
      expect(await grantTuple(cr, f.citizen.address, f.hospital.address, Category.LabResult)).to.deep.equal([0n, 0n, 0n]);
      expect(await cr.hasAccess(f.citizen.address, f.hospital.address, Category.LabResult)).to.equal(false);
      expect(await cr["nonces(address,uint192)"](f.citizen.address, 0n)).to.equal(1n);
    });

    it("test_revokeBySig_ethersSignerSignature_revokes", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      await withGrant(f);
      const m = revokeMessage(f);
      await expect(relayRevoke(cr.connect(f.relayer), m, await ethersSignRevoke(f.citizen, f.domain, m)))
        .to.emit(cr, "ConsentRevoked")
        .withArgs(f.citizen.address, f.hospital.address, Category.LabResult);
      expect(await cr.hasAccess(f.citizen.address, f.hospital.address, Category.LabResult)).to.equal(false);
    });

    it("test_revokeBySig_grantBySigThenRevokeBySigOnOneKey", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      const g = grantMessage(f, { nonce: keyedNonce(5n, 0n) });
      const r = revokeMessage(f, { nonce: keyedNonce(5n, 1n) });
      await relayGrant(cr, g, sigUtilSignGrant(f.citizenKey, f.domain, g));
      expect(await cr.hasAccess(f.citizen.address, f.hospital.address, Category.LabResult)).to.equal(true);
      await expect(relayRevoke(cr, r, sigUtilSignRevoke(f.citizenKey, f.domain, r))).to.emit(cr, "ConsentRevoked");
      expect(await cr.hasAccess(f.citizen.address, f.hospital.address, Category.LabResult)).to.equal(false);
      expect(await cr["nonces(address,uint192)"](f.citizen.address, 5n)).to.equal(keyedNonce(5n, 2n));
    });

    it("test_revokeBySig_nonceSharedWithGrant_revertsInvalidNonce", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      const g = grantMessage(f);
      await relayGrant(cr, g, sigUtilSignGrant(f.citizenKey, f.domain, g));
      const r = revokeMessage(f); // also nonce 0, already used by the grant
      await expect(relayRevoke(cr, r, sigUtilSignRevoke(f.citizenKey, f.domain, r)))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidNonce")
        .withArgs(f.citizen.address, 0n, 1n);
      expect(await cr.hasAccess(f.citizen.address, f.hospital.address, Category.LabResult)).to.equal(true);
    });

    it("test_revokeBySig_sameChainReplay_revertsInvalidNonce", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      await withGrant(f);
      const m = revokeMessage(f);
      const signature = sigUtilSignRevoke(f.citizenKey, f.domain, m);
      await relayRevoke(cr, m, signature);
      // The citizen grants again; replaying the old revocation must not kill the new grant.
      await withGrant(f);
      const before = await citizenState(f);
      await expect(relayRevoke(cr, m, signature))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidNonce")
        .withArgs(f.citizen.address, 0n, 1n);
      expect(await citizenState(f)).to.deep.equal(before);
      expect(await cr.hasAccess(f.citizen.address, f.hospital.address, Category.LabResult)).to.equal(true);
    });

    it("test_revokeBySig_otherChainId_revertsInvalidSignature", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      await withGrant(f);
      const m = revokeMessage(f);
      const before = await citizenState(f);
      await expect(
        relayRevoke(cr.connect(f.relayer), m, sigUtilSignRevoke(f.citizenKey, { ...f.domain, chainId: 11155111n }, m)),
      )
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
        .withArgs(f.citizen.address);
      expect(await citizenState(f)).to.deep.equal(before);
    });

    it("test_revokeBySig_otherDeployment_revertsInvalidSignature", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      await withGrant(f);
      const other = await new ConsentRegistry__factory(f.admin).deploy(await f.authority.getAddress());
      const m = revokeMessage(f);
      const before = await citizenState(f);
      await expect(relayRevoke(cr.connect(f.relayer), m, sigUtilSignRevoke(f.citizenKey, await consentDomain(other), m)))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
        .withArgs(f.citizen.address);
      expect(await citizenState(f)).to.deep.equal(before);
    });

    it("test_revokeBySig_relayedAtDeadline_revokes", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      await withGrant(f);
      const deadline = BigInt(await now()) + 600n;
      const m = revokeMessage(f, { deadline });
      const signature = sigUtilSignRevoke(f.citizenKey, f.domain, m);
      await time.setNextBlockTimestamp(deadline);
      await expect(relayRevoke(cr.connect(f.relayer), m, signature))
        .to.emit(cr, "ConsentRevoked")
        .withArgs(f.citizen.address, f.hospital.address, Category.LabResult);
    });

    it("test_revokeBySig_relayedOneSecondAfterDeadline_revertsSignatureExpired", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      await withGrant(f);
      const deadline = BigInt(await now()) + 600n;
      const m = revokeMessage(f, { deadline });
      const signature = sigUtilSignRevoke(f.citizenKey, f.domain, m);
      const before = await citizenState(f);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(relayRevoke(cr.connect(f.relayer), m, signature))
        .to.be.revertedWithCustomError(cr, "ConsentRegistrySignatureExpired")
        .withArgs(deadline, deadline + 1n);
      expect(await citizenState(f)).to.deep.equal(before);
    });

    it("test_revokeBySig_highS_revertsInvalidSignature", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      await withGrant(f);
      const m = revokeMessage(f);
      const signature = sigUtilSignRevoke(f.citizenKey, f.domain, m);
      const before = await citizenState(f);
      await expect(relayRevoke(cr, m, toHighS(signature)))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
        .withArgs(f.citizen.address);
      expect(await citizenState(f)).to.deep.equal(before);
      await expect(relayRevoke(cr, m, signature)).to.emit(cr, "ConsentRevoked");
    });

    it("test_revokeBySig_wrongSigner_revertsInvalidSignature", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      await withGrant(f);
      const m = revokeMessage(f);
      const before = await citizenState(f);
      // Neither another citizen nor the grantee can revoke on the citizen's behalf.
      await expect(relayRevoke(cr, m, sigUtilSignRevoke(f.citizen2Key, f.domain, m)))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
        .withArgs(f.citizen.address);
      await expect(relayRevoke(cr, m, await ethersSignRevoke(f.hospital, f.domain, m)))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
        .withArgs(f.citizen.address);
      expect(await citizenState(f)).to.deep.equal(before);
    });

    it("test_revokeBySig_cancelledNonce_revertsInvalidNonce", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      await withGrant(f);
      const m = revokeMessage(f, { nonce: keyedNonce(2n, 0n) });
      const signature = sigUtilSignRevoke(f.citizenKey, f.domain, m);
      await cr.connect(f.citizen).cancelNonce(keyedNonce(2n, 0n));
      const before = await citizenState(f);
      await expect(relayRevoke(cr.connect(f.relayer), m, signature))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidNonce")
        .withArgs(f.citizen.address, keyedNonce(2n, 0n), keyedNonce(2n, 1n));
      expect(await citizenState(f)).to.deep.equal(before);
    });

    const tampers: [string, (f: Fixture) => Partial<RevokeMessage>][] = [
      ["Grantee", (f) => ({ grantee: f.clinic.address })],
      ["Category", () => ({ category: Category.Imaging })],
      ["Deadline", () => ({ deadline: FAR_FUTURE - 1n })],
      ["Nonce", () => ({ nonce: keyedNonce(3n, 0n) })],
    ];
    for (const [field, tamper] of tampers) {
      it(`test_revokeBySig_tampered${field}_revertsInvalidSignature`, async () => {
        const f = await fixture();
        const cr = f.consentRegistry;
        const direct = cr.connect(f.citizen);
        // Grants exist for every target a tampered message could point at.
        await direct.grant(f.hospital.address, Category.LabResult, Purpose.Treatment, FAR_FUTURE);
        await direct.grant(f.clinic.address, Category.LabResult, Purpose.Treatment, FAR_FUTURE);
        await direct.grant(f.hospital.address, Category.Imaging, Purpose.Treatment, FAR_FUTURE);
        const signed = revokeMessage(f);
        const signature = sigUtilSignRevoke(f.citizenKey, f.domain, signed);
        const relayed = { ...signed, ...tamper(f) };
        const before = await citizenState(f);
        await expect(relayRevoke(cr.connect(f.relayer), relayed, signature))
          .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
          .withArgs(f.citizen.address);
        expect(await citizenState(f)).to.deep.equal(before);
      });
    }

    it("test_revokeBySig_grantSignatureAsRevoke_revertsInvalidSignature", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      await withGrant(f);
      const grantSig = sigUtilSignGrant(f.citizenKey, f.domain, grantMessage(f));
      await expect(relayRevoke(cr, revokeMessage(f), grantSig))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidSignature")
        .withArgs(f.citizen.address);
    });

    it("test_revokeBySig_noGrant_revertsAndKeepsNonce", async () => {
      const f = await fixture();
      const cr = f.consentRegistry;
      const m = revokeMessage(f);
      const before = await citizenState(f);
      await expect(relayRevoke(cr.connect(f.relayer), m, sigUtilSignRevoke(f.citizenKey, f.domain, m)))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryNoGrant")
        .withArgs(f.citizen.address, f.hospital.address, Category.LabResult);
      expect(await citizenState(f)).to.deep.equal(before);
    });

    it("test_revokeBySig_outOfOrderWithinKey_revertsInvalidNonce", async () => {
      const f = await fixture();
      const cr = f.consentRegistry.connect(f.relayer);
      await withGrant(f);
      const m = revokeMessage(f, { nonce: keyedNonce(1n, 1n) });
      await expect(relayRevoke(cr, m, sigUtilSignRevoke(f.citizenKey, f.domain, m)))
        .to.be.revertedWithCustomError(cr, "ConsentRegistryInvalidNonce")
        .withArgs(f.citizen.address, keyedNonce(1n, 1n), keyedNonce(1n, 0n));
    });
  });
});
