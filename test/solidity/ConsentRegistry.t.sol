// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IConsentRegistry} from "../../contracts/interfaces/IConsentRegistry.sol";
import {ConsentTypedData} from "./utils/ConsentTypedData.sol";
import {HealthTraceFixture} from "./utils/HealthTraceFixture.sol";
import {MockContractWallet} from "./utils/MockContractWallet.sol";

/// @title ConsentRegistryFuzzTest
/// @notice Fuzz properties of every state-changing function of ConsentRegistry: grant, revoke, grantBySig,
///         revokeBySig, cancelNonce and logAccess. Signatures come from fuzzed private keys; EIP-712 digests are
///         computed by the test from the documented type strings.
contract ConsentRegistryFuzzTest is HealthTraceFixture {
    function setUp() public {
        _deployHealthTrace();
    }

    // ------------------------------------------------------------------------------------------------------
    // grant / hasAccess
    // ------------------------------------------------------------------------------------------------------

    /// @notice A grant with any valid category, purpose and future expiry stores exactly its terms and gives
    ///         access to exactly that (citizen, grantee, category) while `block.timestamp < expiresAt`.
    function testFuzz_grant_accessExactlyWhileBeforeExpiry(
        address citizen,
        uint8 category,
        uint8 purpose,
        uint256 lifetime,
        uint256 probe
    ) public {
        vm.assume(citizen != address(0));
        category = uint8(bound(category, 0, MAX_CATEGORY));
        purpose = uint8(bound(purpose, 0, MAX_PURPOSE));
        uint64 expiresAt = uint64(START_TIME + bound(lifetime, 1, 100 * 365 days));

        vm.expectEmit(true, true, true, true, address(consent));
        emit IConsentRegistry.ConsentGranted(citizen, hospital, category, purpose, expiresAt);
        vm.prank(citizen);
        consent.grant(hospital, category, purpose, expiresAt);

        _assertGrant(citizen, hospital, category, purpose, START_TIME, expiresAt);
        assertFalse(consent.hasAccess(citizen, lab, category), "other grantee has no access");
        assertFalse(consent.hasAccess(citizen, hospital, (category + 1) % (MAX_CATEGORY + 1)), "other category");

        uint256 probeTime = bound(probe, START_TIME, uint256(expiresAt) + 1 days);
        vm.warp(probeTime);
        assertEq(consent.hasAccess(citizen, hospital, category), probeTime < expiresAt, "access iff before expiry");
        vm.warp(expiresAt - 1);
        assertTrue(consent.hasAccess(citizen, hospital, category), "live 1 s before expiry");
        vm.warp(expiresAt);
        assertFalse(consent.hasAccess(citizen, hospital, category), "ended at expiry");
    }

    /// @notice Re-granting replaces the previous terms (purpose, grant time and expiry), even by shortening it.
    function testFuzz_grant_replacesPreviousTerms(
        address citizen,
        uint8 purpose,
        uint256 firstLifetime,
        uint256 elapsed,
        uint256 secondLifetime
    ) public {
        vm.assume(citizen != address(0));
        purpose = uint8(bound(purpose, 0, MAX_PURPOSE));
        vm.prank(citizen);
        consent.grant(lab, 1, MAX_PURPOSE - purpose, uint64(START_TIME + bound(firstLifetime, 1, 3650 days)));

        vm.warp(START_TIME + bound(elapsed, 0, 3650 days));
        uint64 expiresAt = uint64(block.timestamp + bound(secondLifetime, 1, 3650 days));
        vm.prank(citizen);
        consent.grant(lab, 1, purpose, expiresAt);

        _assertGrant(citizen, lab, 1, purpose, block.timestamp, expiresAt);
        assertTrue(consent.hasAccess(citizen, lab, 1), "live");
    }

    /// @notice Any category code above 5 is refused and nothing is stored.
    function testFuzz_grant_refusesUnknownCategory(address citizen, uint8 category, uint8 purpose) public {
        vm.assume(citizen != address(0));
        category = uint8(bound(category, MAX_CATEGORY + 1, type(uint8).max));
        purpose = uint8(bound(purpose, 0, MAX_PURPOSE));

        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentRegistryUnknownCategory.selector, category));
        vm.prank(citizen);
        consent.grant(hospital, category, purpose, uint64(START_TIME + 1 days));

        _assertNoGrant(citizen, hospital, category);
    }

    /// @notice Any purpose code above 4 is refused and nothing is stored.
    function testFuzz_grant_refusesUnknownPurpose(address citizen, uint8 category, uint8 purpose) public {
        vm.assume(citizen != address(0));
        category = uint8(bound(category, 0, MAX_CATEGORY));
        purpose = uint8(bound(purpose, MAX_PURPOSE + 1, type(uint8).max));

        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentRegistryUnknownPurpose.selector, purpose));
        vm.prank(citizen);
        consent.grant(hospital, category, purpose, uint64(START_TIME + 1 days));

        _assertNoGrant(citizen, hospital, category);
    }

    /// @notice Any expiry at or before the current block time is refused and nothing is stored.
    function testFuzz_grant_refusesExpiryNotInFuture(address citizen, uint64 expiresAt, uint32 elapsed) public {
        vm.assume(citizen != address(0));
        vm.warp(START_TIME + elapsed);
        expiresAt = uint64(bound(expiresAt, 0, block.timestamp));

        vm.expectRevert(
            abi.encodeWithSelector(
                IConsentRegistry.ConsentRegistryExpiryNotInFuture.selector, expiresAt, block.timestamp
            )
        );
        vm.prank(citizen);
        consent.grant(hospital, 0, 0, expiresAt);

        _assertNoGrant(citizen, hospital, 0);
    }

    /// @notice A grant to any account that is not an accredited, active organisation is refused.
    function testFuzz_grant_refusesGranteeNotActive(address citizen, address grantee, bool suspended) public {
        vm.assume(citizen != address(0));
        if (suspended) {
            grantee = hospital;
            vm.prank(regulator);
            authority.suspend(hospital);
        } else {
            vm.assume(!_isFixtureAccount(grantee));
        }

        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentRegistryGranteeNotActive.selector, grantee));
        vm.prank(citizen);
        consent.grant(grantee, 2, 0, uint64(START_TIME + 1 days));

        _assertNoGrant(citizen, grantee, 2);
    }

    /// @notice A live grant gives no access while its grantee is suspended, and gives it again after restore
    ///         if it has not expired meanwhile.
    function testFuzz_hasAccess_falseWhileGranteeSuspended(address citizen, uint256 lifetime, uint256 elapsed)
        public
    {
        vm.assume(citizen != address(0));
        uint64 expiresAt = uint64(START_TIME + bound(lifetime, 1, 3650 days));
        vm.prank(citizen);
        consent.grant(hospital, 3, 0, expiresAt);

        vm.prank(regulator);
        authority.suspend(hospital);
        assertFalse(consent.hasAccess(citizen, hospital, 3), "no access while suspended");

        vm.warp(START_TIME + bound(elapsed, 0, 3650 days));
        assertFalse(consent.hasAccess(citizen, hospital, 3), "still none while suspended");
        vm.prank(regulator);
        authority.restore(hospital);
        assertEq(consent.hasAccess(citizen, hospital, 3), block.timestamp < expiresAt, "back iff not expired");
    }

    // ------------------------------------------------------------------------------------------------------
    // revoke
    // ------------------------------------------------------------------------------------------------------

    /// @notice Revoking ends access in the same block, clears the stored terms, and a second revoke is refused.
    function testFuzz_revoke_endsAccessAtOnce(address citizen, uint8 category, uint256 lifetime, uint256 elapsed)
        public
    {
        vm.assume(citizen != address(0));
        category = uint8(bound(category, 0, MAX_CATEGORY));
        vm.prank(citizen);
        consent.grant(hospital, category, 0, uint64(START_TIME + bound(lifetime, 1, 3650 days)));
        vm.warp(START_TIME + bound(elapsed, 0, 7300 days)); // may be past expiry: revoking still clears it

        vm.expectEmit(true, true, true, true, address(consent));
        emit IConsentRegistry.ConsentRevoked(citizen, hospital, category);
        vm.prank(citizen);
        consent.revoke(hospital, category);

        _assertNoGrant(citizen, hospital, category);

        vm.expectRevert(
            abi.encodeWithSelector(IConsentRegistry.ConsentRegistryNoGrant.selector, citizen, hospital, category)
        );
        vm.prank(citizen);
        consent.revoke(hospital, category);
    }

    /// @notice Revoking without a grant is refused, and one citizen can never revoke another citizen's grant.
    function testFuzz_revoke_refusesWithoutGrant(address citizen, address other, address grantee, uint8 category)
        public
    {
        vm.assume(citizen != address(0) && other != address(0) && other != citizen);
        category = uint8(bound(category, 0, MAX_CATEGORY));
        vm.expectRevert(
            abi.encodeWithSelector(IConsentRegistry.ConsentRegistryNoGrant.selector, citizen, grantee, category)
        );
        vm.prank(citizen);
        consent.revoke(grantee, category);

        vm.prank(citizen);
        consent.grant(lab, 4, 1, uint64(START_TIME + 1 days));
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentRegistryNoGrant.selector, other, lab, 4));
        vm.prank(other);
        consent.revoke(lab, 4);
        assertTrue(consent.hasAccess(citizen, lab, 4), "citizen's grant intact");
    }

    /// @notice Revoking any category code above 5 is refused as unknown.
    function testFuzz_revoke_refusesUnknownCategory(address citizen, address grantee, uint8 category) public {
        category = uint8(bound(category, MAX_CATEGORY + 1, type(uint8).max));
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentRegistryUnknownCategory.selector, category));
        vm.prank(citizen);
        consent.revoke(grantee, category);
    }

    // ------------------------------------------------------------------------------------------------------
    // grantBySig
    // ------------------------------------------------------------------------------------------------------

    /// @notice A grant signed by any key, with any nonce key and any deadline not yet passed, is accepted from any
    ///         relayer exactly once: the nonce advances by one and a replay is refused.
    function testFuzz_grantBySig_acceptedOnceThenReplayRefused(
        uint256 keySeed,
        uint192 nonceKey,
        uint8 category,
        uint256 deadlineSlack,
        address relayer
    ) public {
        (uint256 key, ConsentTypedData.GrantMessage memory m) = _grantMessage(keySeed, nonceKey);
        m.category = uint8(bound(category, 0, MAX_CATEGORY));
        m.deadline = block.timestamp + bound(deadlineSlack, 0, 3650 days);
        assertEq(m.nonce, uint256(nonceKey) << 64, "fresh keyed nonce");
        bytes memory signature = _signGrant(key, m);

        vm.expectEmit(true, true, true, true, address(consent));
        emit IConsentRegistry.ConsentGranted(m.citizen, m.grantee, m.category, m.purpose, m.expiresAt);
        vm.prank(relayer);
        _relayGrant(m, signature);

        _assertGrant(m.citizen, m.grantee, m.category, m.purpose, block.timestamp, m.expiresAt);
        assertEq(consent.nonces(m.citizen, nonceKey), m.nonce + 1, "nonce advanced by one");

        vm.expectRevert(_invalidNonce(m.citizen, m.nonce, m.nonce + 1));
        vm.prank(relayer);
        _relayGrant(m, signature);
        assertEq(consent.nonces(m.citizen, nonceKey), m.nonce + 1, "replay consumed nothing");
    }

    /// @notice A signature made by any other key is refused and changes nothing.
    function testFuzz_grantBySig_refusesSignatureOfAnotherKey(uint256 keySeed, uint256 otherSeed) public {
        (uint256 key, ConsentTypedData.GrantMessage memory m) = _grantMessage(keySeed, 0);
        uint256 otherKey = boundPrivateKey(otherSeed);
        vm.assume(otherKey != key);

        vm.expectRevert(_invalidSignature(m.citizen));
        _relayGrant(m, _signGrant(otherKey, m));

        _assertUntouched(m.citizen, m.grantee, m.category, 0);
    }

    /// @notice Any nonce other than the citizen's next one for its key is refused, even when correctly signed.
    function testFuzz_grantBySig_refusesNonceOtherThanNext(uint256 keySeed, uint256 nonce) public {
        (uint256 key, ConsentTypedData.GrantMessage memory m) = _grantMessage(keySeed, 0);
        uint192 nonceKey = uint192(nonce >> 64);
        uint256 expected = consent.nonces(m.citizen, nonceKey);
        vm.assume(nonce != expected);
        m.nonce = nonce;

        vm.expectRevert(_invalidNonce(m.citizen, nonce, expected));
        _relayGrant(m, _signGrant(key, m));

        _assertUntouched(m.citizen, m.grantee, m.category, nonceKey);
    }

    /// @notice Any deadline before the current block time is refused, even when correctly signed.
    function testFuzz_grantBySig_refusesExpiredDeadline(uint256 keySeed, uint256 deadline, uint32 elapsed) public {
        (uint256 key, ConsentTypedData.GrantMessage memory m) = _grantMessage(keySeed, 0);
        vm.warp(START_TIME + elapsed);
        m.deadline = bound(deadline, 0, block.timestamp - 1);
        bytes memory signature = _signGrant(key, m);

        vm.expectRevert(
            abi.encodeWithSelector(
                IConsentRegistry.ConsentRegistrySignatureExpired.selector, m.deadline, block.timestamp
            )
        );
        _relayGrant(m, signature);

        _assertUntouched(m.citizen, m.grantee, m.category, 0);
    }

    /// @notice The malleable twin (s' = n - s, flipped v) of a valid signature and any v other than 27/28 are
    ///         refused: only low-s, canonical signatures count.
    function testFuzz_grantBySig_refusesHighSAndNonCanonicalV(uint256 keySeed, uint8 badV) public {
        (uint256 key, ConsentTypedData.GrantMessage memory m) = _grantMessage(keySeed, 0);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, ConsentTypedData.digest(_consentDomain(), m));
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));

        vm.expectRevert(_invalidSignature(m.citizen));
        _relayGrant(m, abi.encodePacked(r, highS, v == 27 ? uint8(28) : uint8(27)));

        vm.assume(badV != 27 && badV != 28);
        vm.expectRevert(_invalidSignature(m.citizen));
        _relayGrant(m, abi.encodePacked(r, s, badV));

        _assertUntouched(m.citizen, m.grantee, m.category, 0);
        _relayGrant(m, abi.encodePacked(r, s, v)); // the canonical one still works
        assertTrue(consent.hasAccess(m.citizen, m.grantee, m.category), "canonical accepted");
    }

    /// @notice A signature made for any other chain id or verifying contract is refused.
    function testFuzz_grantBySig_refusesOtherChainOrContract(uint256 keySeed, uint256 chainId, address verifier)
        public
    {
        (uint256 key, ConsentTypedData.GrantMessage memory m) = _grantMessage(keySeed, 0);
        vm.assume(chainId != block.chainid || verifier != address(consent));
        bytes32 otherDomain = ConsentTypedData.domainSeparator(verifier, chainId);

        vm.expectRevert(_invalidSignature(m.citizen));
        _relayGrant(m, _sign(key, ConsentTypedData.digest(otherDomain, m)));

        _assertUntouched(m.citizen, m.grantee, m.category, 0);
    }

    /// @notice Relaying a signed grant with any one field changed is refused: the signature covers every field.
    function testFuzz_grantBySig_refusesAlteredField(uint256 keySeed, uint256 field, uint256 delta) public {
        (uint256 key, ConsentTypedData.GrantMessage memory m) = _grantMessage(keySeed, 0);
        bytes memory signature = _signGrant(key, m);
        delta = bound(delta, 1, 1000);
        field = bound(field, 0, 6);
        if (field == 0) m.citizen = address(uint160(m.citizen) ^ uint160(delta));
        else if (field == 1) m.grantee = lab;
        else if (field == 2) m.category = uint8((m.category + delta % MAX_CATEGORY + 1) % (MAX_CATEGORY + 1));
        else if (field == 3) m.purpose = uint8((m.purpose + delta % MAX_PURPOSE + 1) % (MAX_PURPOSE + 1));
        else if (field == 4) m.expiresAt += uint64(delta);
        else if (field == 5) m.nonce += delta;
        else m.deadline += delta;

        vm.expectRevert(_invalidSignature(m.citizen));
        _relayGrant(m, signature);

        _assertUntouched(m.citizen, m.grantee, m.category, 0);
    }

    /// @notice Arbitrary bytes are never a valid signature, whatever the claimed citizen (including address 0).
    function testFuzz_grantBySig_refusesArbitrarySignatureBytes(address citizen, bytes calldata signature) public {
        vm.assume(citizen != address(vm));
        ConsentTypedData.GrantMessage memory m = ConsentTypedData.GrantMessage({
            citizen: citizen,
            grantee: hospital,
            category: 0,
            purpose: 0,
            expiresAt: uint64(START_TIME + 1 days),
            nonce: 0,
            deadline: START_TIME
        });

        vm.expectRevert(_invalidSignature(citizen));
        _relayGrant(m, signature);
    }

    /// @notice A correctly signed grant with invalid terms is refused without consuming its nonce, so the
    ///         citizen's next signature is not blocked.
    function testFuzz_grantBySig_refusedTermsKeepNonce(uint256 keySeed, uint8 category) public {
        (uint256 key, ConsentTypedData.GrantMessage memory m) = _grantMessage(keySeed, 0);
        m.category = uint8(bound(category, MAX_CATEGORY + 1, type(uint8).max));

        vm.expectRevert(
            abi.encodeWithSelector(IConsentRegistry.ConsentRegistryUnknownCategory.selector, m.category)
        );
        _relayGrant(m, _signGrant(key, m));
        assertEq(consent.nonces(m.citizen, 0), 0, "nonce not consumed");

        m.category = 0;
        _relayGrant(m, _signGrant(key, m));
        assertTrue(consent.hasAccess(m.citizen, hospital, 0), "same nonce usable for a valid grant");
    }

    /// @notice A contract wallet (ERC-1271) citizen's grant, signed by its owner key, is accepted once; a signature
    ///         by any other key is refused.
    function testFuzz_grantBySig_contractWalletSignature(uint256 ownerSeed, uint256 otherSeed) public {
        uint256 ownerKey = boundPrivateKey(ownerSeed);
        uint256 otherKey = boundPrivateKey(otherSeed);
        vm.assume(otherKey != ownerKey);
        address wallet = address(new MockContractWallet(vm.addr(ownerKey)));
        ConsentTypedData.GrantMessage memory m = _messageFor(wallet, 0);

        vm.expectRevert(_invalidSignature(wallet));
        _relayGrant(m, _signGrant(otherKey, m));

        bytes memory signature = _signGrant(ownerKey, m);
        _relayGrant(m, signature);
        assertTrue(consent.hasAccess(wallet, hospital, m.category), "wallet grant accepted");

        vm.expectRevert(_invalidNonce(wallet, 0, 1));
        _relayGrant(m, signature);
    }

    // ------------------------------------------------------------------------------------------------------
    // revokeBySig
    // ------------------------------------------------------------------------------------------------------

    /// @notice A revocation signed by any key is accepted once from any relayer, ends access in that block, and a
    ///         replay is refused.
    function testFuzz_revokeBySig_acceptedOnceThenReplayRefused(
        uint256 keySeed,
        uint192 nonceKey,
        uint8 category,
        address relayer
    ) public {
        (uint256 key, ConsentTypedData.RevokeMessage memory m) = _revokeMessageWithGrant(keySeed, nonceKey, category);
        bytes memory signature = _signRevoke(key, m);

        vm.expectEmit(true, true, true, true, address(consent));
        emit IConsentRegistry.ConsentRevoked(m.citizen, m.grantee, m.category);
        vm.prank(relayer);
        _relayRevoke(m, signature);

        _assertNoGrant(m.citizen, m.grantee, m.category);
        assertEq(consent.nonces(m.citizen, nonceKey), m.nonce + 1, "nonce advanced by one");

        vm.prank(m.citizen); // grant again: a replayed revocation must not end it
        consent.grant(m.grantee, m.category, 0, uint64(block.timestamp + 1 days));
        vm.expectRevert(_invalidNonce(m.citizen, m.nonce, m.nonce + 1));
        vm.prank(relayer);
        _relayRevoke(m, signature);
        assertTrue(consent.hasAccess(m.citizen, m.grantee, m.category), "new grant survives the replay");
    }

    /// @notice A revocation signed by any other key, or for another contract, is refused and the grant stays.
    function testFuzz_revokeBySig_refusesSignatureOfAnotherKeyOrDomain(
        uint256 keySeed,
        uint256 otherSeed,
        uint256 chainId
    ) public {
        (uint256 key, ConsentTypedData.RevokeMessage memory m) = _revokeMessageWithGrant(keySeed, 0, 5);
        uint256 otherKey = boundPrivateKey(otherSeed);
        vm.assume(otherKey != key);

        vm.expectRevert(_invalidSignature(m.citizen));
        _relayRevoke(m, _signRevoke(otherKey, m));

        bytes32 otherDomain = ConsentTypedData.domainSeparator(address(records), chainId);
        vm.expectRevert(_invalidSignature(m.citizen));
        _relayRevoke(m, _sign(key, ConsentTypedData.digest(otherDomain, m)));

        assertTrue(consent.hasAccess(m.citizen, m.grantee, m.category), "grant intact");
        assertEq(consent.nonces(m.citizen, 0), 0, "nonce unchanged");
    }

    /// @notice A revocation past its deadline or with any nonce other than the next is refused; the grant stays.
    function testFuzz_revokeBySig_refusesExpiredDeadlineOrWrongNonce(uint256 keySeed, uint256 deadline, uint256 nonce)
        public
    {
        (uint256 key, ConsentTypedData.RevokeMessage memory m) = _revokeMessageWithGrant(keySeed, 0, 2);
        vm.warp(START_TIME + 2 hours);
        m.deadline = bound(deadline, 0, block.timestamp - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IConsentRegistry.ConsentRegistrySignatureExpired.selector, m.deadline, block.timestamp)
        );
        _relayRevoke(m, _signRevoke(key, m));

        ConsentTypedData.RevokeMessage memory outOfOrder = _revokeFor(m.citizen, m.category, nonce);
        uint256 expected = consent.nonces(m.citizen, uint192(nonce >> 64));
        vm.assume(nonce != expected);
        vm.expectRevert(_invalidNonce(m.citizen, nonce, expected));
        _relayRevoke(outOfOrder, _signRevoke(key, outOfOrder));

        assertTrue(consent.hasAccess(m.citizen, m.grantee, m.category), "grant intact");
    }

    /// @notice A correctly signed revocation of a grant that does not exist, or of an unknown category, is refused
    ///         without consuming the nonce.
    function testFuzz_revokeBySig_refusesWithoutGrantKeepsNonce(uint256 keySeed, uint8 category, uint8 unknown)
        public
    {
        uint256 key = boundPrivateKey(keySeed);
        category = uint8(bound(category, 0, MAX_CATEGORY));
        ConsentTypedData.RevokeMessage memory m = _revokeFor(vm.addr(key), category, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IConsentRegistry.ConsentRegistryNoGrant.selector, m.citizen, m.grantee, category)
        );
        _relayRevoke(m, _signRevoke(key, m));

        m.category = uint8(bound(unknown, MAX_CATEGORY + 1, type(uint8).max));
        vm.expectRevert(
            abi.encodeWithSelector(IConsentRegistry.ConsentRegistryUnknownCategory.selector, m.category)
        );
        _relayRevoke(m, _signRevoke(key, m));

        assertEq(consent.nonces(m.citizen, 0), 0, "nonce not consumed");
    }

    // ------------------------------------------------------------------------------------------------------
    // cancelNonce
    // ------------------------------------------------------------------------------------------------------

    /// @notice Cancelling the next nonce of any key makes a grant already signed with it unusable forever, while
    ///         the following nonce still works.
    function testFuzz_cancelNonce_makesSignedGrantUnusable(uint256 keySeed, uint192 nonceKey, address relayer)
        public
    {
        (uint256 key, ConsentTypedData.GrantMessage memory m) = _grantMessage(keySeed, nonceKey);
        bytes memory signature = _signGrant(key, m);

        vm.expectEmit(true, true, true, true, address(consent));
        emit IConsentRegistry.NonceCancelled(m.citizen, m.nonce);
        vm.prank(m.citizen);
        consent.cancelNonce(m.nonce);
        assertEq(consent.nonces(m.citizen, nonceKey), m.nonce + 1, "nonce consumed");

        vm.expectRevert(_invalidNonce(m.citizen, m.nonce, m.nonce + 1));
        vm.prank(relayer);
        _relayGrant(m, signature);
        _assertNoGrant(m.citizen, m.grantee, m.category);

        m.nonce += 1;
        signature = _signGrant(key, m);
        vm.prank(relayer);
        _relayGrant(m, signature);
        assertTrue(consent.hasAccess(m.citizen, m.grantee, m.category), "next nonce usable");
    }

    /// @notice Cancelling any nonce other than the caller's next one for its key is refused.
    function testFuzz_cancelNonce_refusesNonceOtherThanNext(address citizen, uint256 nonce, uint8 used) public {
        uint192 nonceKey = uint192(nonce >> 64);
        for (uint256 i = 0; i < used % 4; ++i) {
            uint256 next = consent.nonces(citizen, nonceKey); // read before the prank: a call would consume it
            vm.prank(citizen);
            consent.cancelNonce(next);
        }
        uint256 expected = consent.nonces(citizen, nonceKey);
        vm.assume(nonce != expected);

        vm.expectRevert(_invalidNonce(citizen, nonce, expected));
        vm.prank(citizen);
        consent.cancelNonce(nonce);

        assertEq(consent.nonces(citizen, nonceKey), expected, "unchanged");
    }

    /// @notice Nonce keys are independent: consuming nonces of one key never moves another key or another citizen.
    function testFuzz_cancelNonce_keysAreIndependent(address citizen, address other, uint192 keyA, uint192 keyB, uint8 n)
        public
    {
        vm.assume(keyA != keyB && citizen != other);
        uint256 count = bound(n, 1, 8);
        for (uint256 i = 0; i < count; ++i) {
            vm.prank(citizen);
            consent.cancelNonce((uint256(keyA) << 64) | i);
        }
        assertEq(consent.nonces(citizen, keyA), (uint256(keyA) << 64) | count, "keyA advanced");
        assertEq(consent.nonces(citizen, keyB), uint256(keyB) << 64, "keyB untouched");
        assertEq(consent.nonces(other, keyA), uint256(keyA) << 64, "other citizen untouched");
    }

    // ------------------------------------------------------------------------------------------------------
    // logAccess
    // ------------------------------------------------------------------------------------------------------

    /// @notice The gatekeeper logs any read of any category with exactly its fields.
    function testFuzz_logAccess_emitsTheRead(address citizen, address reader, uint8 category, bytes32 recordId)
        public
    {
        vm.assume(citizen != address(0) && reader != address(0) && recordId != bytes32(0));
        category = uint8(bound(category, 0, MAX_CATEGORY));

        vm.expectEmit(true, true, true, true, address(consent));
        emit IConsentRegistry.AccessLogged(citizen, reader, recordId, category);
        vm.prank(vault);
        consent.logAccess(citizen, reader, category, recordId);
    }

    /// @notice Any caller without the gatekeeper role is refused, and so is the vault while suspended.
    function testFuzz_logAccess_refusesCallerWithoutGatekeeperRole(address caller, bytes32 recordId) public {
        vm.assume(caller != vault);
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentRegistryUnauthorized.selector, caller));
        vm.prank(caller);
        consent.logAccess(address(1), hospital, 0, recordId);

        vm.prank(regulator);
        authority.suspend(vault);
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentRegistryUnauthorized.selector, vault));
        vm.prank(vault);
        consent.logAccess(address(1), hospital, 0, recordId);
    }

    /// @notice Any unknown category, zero citizen or reader, or zero record id is refused.
    function testFuzz_logAccess_refusesUnknownCategoryZeroAddressOrZeroRecord(
        address citizen,
        uint8 category,
        bool zeroReader,
        bytes32 recordId
    ) public {
        vm.assume(citizen != address(0) && recordId != bytes32(0));
        category = uint8(bound(category, MAX_CATEGORY + 1, type(uint8).max));
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentRegistryUnknownCategory.selector, category));
        vm.prank(vault);
        consent.logAccess(citizen, hospital, category, recordId);

        vm.expectRevert(IConsentRegistry.ConsentRegistryZeroAddress.selector);
        vm.prank(vault);
        if (zeroReader) consent.logAccess(citizen, address(0), 0, recordId);
        else consent.logAccess(address(0), hospital, 0, recordId);

        vm.expectRevert(IConsentRegistry.ConsentRegistryZeroRecord.selector);
        vm.prank(vault);
        consent.logAccess(citizen, hospital, 0, bytes32(0));
    }

    /// @notice The registry's domain separator is the standard EIP-712 one for this chain and contract, its
    ///         ERC-5267 domain says the same, and it checks the authority it was deployed against.
    function test_domainSeparator_matchesIndependentComputation() public view {
        assertEq(consent.DOMAIN_SEPARATOR(), _consentDomain(), "domain separator");
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            consent.eip712Domain();
        assertEq(keccak256(bytes(name)), keccak256("HealthTrace Consent"), "domain name");
        assertEq(keccak256(bytes(version)), keccak256("1"), "domain version");
        assertEq(chainId, block.chainid, "domain chain id");
        assertEq(verifyingContract, address(consent), "domain verifying contract");
        assertEq(consent.authority(), address(authority), "authority");
    }

    // ------------------------------------------------------------------------------------------------------
    // helpers
    // ------------------------------------------------------------------------------------------------------

    /// @dev A valid grant to the hospital by the citizen of a fuzzed key, with that citizen's next nonce of `nonceKey`.
    function _grantMessage(uint256 keySeed, uint192 nonceKey)
        private
        view
        returns (uint256 key, ConsentTypedData.GrantMessage memory m)
    {
        key = boundPrivateKey(keySeed);
        m = _messageFor(vm.addr(key), nonceKey);
    }

    function _messageFor(address citizen, uint192 nonceKey)
        private
        view
        returns (ConsentTypedData.GrantMessage memory)
    {
        return ConsentTypedData.GrantMessage({
            citizen: citizen,
            grantee: hospital,
            category: 1,
            purpose: 2,
            expiresAt: uint64(block.timestamp + 30 days),
            nonce: consent.nonces(citizen, nonceKey),
            deadline: block.timestamp + 1 hours
        });
    }

    /// @dev The citizen of a fuzzed key grants the hospital `category` directly; returns the matching revocation.
    function _revokeMessageWithGrant(uint256 keySeed, uint192 nonceKey, uint8 category)
        private
        returns (uint256 key, ConsentTypedData.RevokeMessage memory m)
    {
        key = boundPrivateKey(keySeed);
        category = uint8(bound(category, 0, MAX_CATEGORY));
        address citizen = vm.addr(key);
        vm.prank(citizen);
        consent.grant(hospital, category, 0, uint64(block.timestamp + 1 days));
        m = _revokeFor(citizen, category, consent.nonces(citizen, nonceKey));
    }

    function _revokeFor(address citizen, uint8 category, uint256 nonce)
        private
        view
        returns (ConsentTypedData.RevokeMessage memory)
    {
        return ConsentTypedData.RevokeMessage({
            citizen: citizen,
            grantee: hospital,
            category: category,
            nonce: nonce,
            deadline: block.timestamp + 1 hours
        });
    }

    function _invalidNonce(address citizen, uint256 nonce, uint256 expected) private pure returns (bytes memory) {
        return abi.encodeWithSelector(IConsentRegistry.ConsentRegistryInvalidNonce.selector, citizen, nonce, expected);
    }

    function _invalidSignature(address citizen) private pure returns (bytes memory) {
        return abi.encodeWithSelector(IConsentRegistry.ConsentRegistryInvalidSignature.selector, citizen);
    }

    function _assertGrant(
        address citizen,
        address grantee,
        uint8 category,
        uint8 purpose,
        uint256 grantedAt,
        uint64 expiresAt
    ) private view {
        IConsentRegistry.Grant memory g = consent.grantOf(citizen, grantee, category);
        assertEq(g.purpose, purpose, "purpose");
        assertEq(g.grantedAt, grantedAt, "grantedAt");
        assertEq(g.expiresAt, expiresAt, "expiresAt");
        assertEq(consent.hasAccess(citizen, grantee, category), block.timestamp < expiresAt, "hasAccess");
    }

    function _assertNoGrant(address citizen, address grantee, uint8 category) private view {
        IConsentRegistry.Grant memory g = consent.grantOf(citizen, grantee, category);
        assertEq(g.expiresAt, 0, "no grant: expiresAt");
        assertEq(g.grantedAt, 0, "no grant: grantedAt");
        assertEq(g.purpose, 0, "no grant: purpose");
        assertFalse(consent.hasAccess(citizen, grantee, category), "no access");
    }

    /// @dev A refused relay left no grant and did not move the nonce of `nonceKey`.
    function _assertUntouched(address citizen, address grantee, uint8 category, uint192 nonceKey) private view {
        _assertNoGrant(citizen, grantee, category);
        assertEq(consent.nonces(citizen, nonceKey), uint256(nonceKey) << 64, "nonce unchanged");
    }
}
