// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IConsentRegistry} from "../../../contracts/interfaces/IConsentRegistry.sol";
import {IHealthTraceAuthority} from "../../../contracts/interfaces/IHealthTraceAuthority.sol";
import {IRecordRegistry} from "../../../contracts/interfaces/IRecordRegistry.sol";
import {HealthTraceFixture} from "../utils/HealthTraceFixture.sol";
import {ConsentHandler} from "./ConsentHandler.sol";

/// @title ConsentInvariantTest
/// @notice Stateful invariants of consent, nonces and roles. The fuzzer calls random sequences of
///         `ConsentHandler` actions (grants, revocations, relayed signatures valid and invalid, replays, nonce
///         cancellations, access logs, time jumps, suspensions and restorations, role changes, and role-gated calls
///         by callers lacking the role); after every call the invariants below are checked against the chain and
///         the handler's ghost model.
/// @dev The normal tests at the end show the handler reaches every success and refusal path and that each
///      invariant check does fail when the chain diverges from the model (so none of them is vacuous).
contract ConsentInvariantTest is HealthTraceFixture {
    string private constant ACCESS_WITHOUT_GRANT = "access without a grant made and not revoked since";
    string private constant ACCESS_AFTER_EXPIRY = "access at or after expiry";
    string private constant ACCESS_BY_INACTIVE = "access by a grantee that is not active";
    string private constant NONCE_RELAYED_TWICE = "a nonce relayed more than once";
    string private constant NONCE_USED_TWICE = "a nonce used (relayed or cancelled) more than once";
    string private constant NONCE_SEQUENCE = "on-chain nonce = key | (relayed + cancelled)";
    string private constant ROLE_VIOLATION = "role-gated successes without the role";
    string private constant ROLE_MODEL = "role held on chain iff the model says so";

    /// @dev Sizes of the handler's cast (checked against the handler in setUp).
    uint256 private constant CITIZENS = 3;
    uint8 private constant TRACKED_CATEGORIES = 3;
    uint256 private constant NONCE_KEYS = 3;
    uint256 private constant ACTORS = 8;

    ConsentHandler internal handler;
    address internal outsider = _account("outsider");
    address[3] private _citizenList;

    function setUp() public {
        _deployHealthTrace();
        handler = new ConsentHandler(
            ConsentHandler.Cast({
                authority: IHealthTraceAuthority(address(authority)),
                records: IRecordRegistry(address(records)),
                consent: IConsentRegistry(address(consent)),
                admin: admin,
                regulator: regulator,
                hospital: hospital,
                lab: lab,
                vault: vault,
                outsider: outsider,
                citizenKeys: [uint256(keccak256("citizen 0")), uint256(keccak256("citizen 1")), uint256(keccak256("citizen 2"))]
            })
        );
        vm.label(address(handler), "ConsentHandler");
        assertTrue(
            handler.CITIZENS() == CITIZENS && handler.GRANTEES() == 3 && handler.TRACKED_CATEGORIES() == TRACKED_CATEGORIES
                && handler.NONCE_KEYS() == NONCE_KEYS && handler.ACTORS() == ACTORS,
            "cast sizes"
        );
        for (uint256 c = 0; c < CITIZENS; ++c) {
            _citizenList[c] = handler.citizenAt(c);
        }

        // Start every run from a state with live grants (direct and relayed), used and cancelled nonces.
        handler.grant(0, 0, 0, 0, _expirySeed(3 days)); // citizen 0 -> hospital, category 0
        handler.grant(1, 1, _codeSeed(1), _codeSeed(2), _expirySeed(5 days)); // citizen 1 -> lab, category 1
        handler.grantBySig(2, _terms(0, 2, 0, 4 days), 0, 0, 0); // citizen 2 -> hospital, category 2, key 0
        handler.grantBySig(0, _terms(1, 0, 4, 6 days), 1, 0, 3); // citizen 0 -> lab, category 0, key 1
        handler.cancelNonce(1, 2, 0); // citizen 1 cancels the first nonce of key 2^192 - 1
        assertEq(handler.totalGrants(), 4, "seeded grants");

        bytes4[] memory selectors = new bytes4[](13);
        selectors[0] = ConsentHandler.grant.selector;
        selectors[1] = ConsentHandler.revoke.selector;
        selectors[2] = ConsentHandler.grantBySig.selector;
        selectors[3] = ConsentHandler.revokeBySig.selector;
        selectors[4] = ConsentHandler.replay.selector;
        selectors[5] = ConsentHandler.cancelNonce.selector;
        selectors[6] = ConsentHandler.logAccess.selector;
        selectors[7] = ConsentHandler.warp.selector;
        selectors[8] = ConsentHandler.warpToExpiry.selector;
        selectors[9] = ConsentHandler.suspend.selector;
        selectors[10] = ConsentHandler.restore.selector;
        selectors[11] = ConsentHandler.changeRole.selector;
        selectors[12] = ConsentHandler.attemptRoleGated.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    // ==========================================================================================================
    // Invariants
    // ==========================================================================================================

    /// @notice For every (citizen, reader, category) tracked, `hasAccess` implies the model has a grant that was
    ///         made and not revoked since, whose expiry is still ahead, to a grantee that is active. Readers include
    ///         the vault (never granted) and categories include an unknown one (never grantable).
    function invariant_accessImpliesLiveUnrevokedGrant() public {
        vm.warp(handler.currentTime());
        address[3] memory citizens = _citizens();
        address[4] memory readers = [hospital, lab, outsider, vault];
        uint8[4] memory categories = [0, 1, 2, 6];
        for (uint256 c = 0; c < citizens.length; ++c) {
            for (uint256 r = 0; r < readers.length; ++r) {
                for (uint256 k = 0; k < categories.length; ++k) {
                    if (!consent.hasAccess(citizens[c], readers[r], categories[k])) continue;
                    ConsentHandler.GhostGrant memory g = handler.ghostGrant(citizens[c], readers[r], categories[k]);
                    assertTrue(g.live, ACCESS_WITHOUT_GRANT);
                    assertTrue(g.expiresAt > block.timestamp, ACCESS_AFTER_EXPIRY);
                    assertEq(handler.ghostStatus(readers[r]), 1, ACCESS_BY_INACTIVE);
                }
            }
        }
    }

    /// @notice Each (citizen, nonce) is relayed at most once and used (relayed or cancelled) at most once, and the
    ///         registry's next nonce of every key equals the key followed by the count the model saw consumed.
    function invariant_eachNonceUsedAtMostOnce() public view {
        address[3] memory citizens = _citizens();
        for (uint256 c = 0; c < citizens.length; ++c) {
            uint256[] memory used = handler.touchedNonces(citizens[c]);
            for (uint256 i = 0; i < used.length; ++i) {
                assertLe(handler.relaysOfNonce(citizens[c], used[i]), 1, NONCE_RELAYED_TWICE);
                assertLe(handler.usesOfNonce(citizens[c], used[i]), 1, NONCE_USED_TWICE);
            }
            for (uint256 k = 0; k < NONCE_KEYS; ++k) {
                uint192 key = handler.nonceKey(k);
                uint256 expected = (uint256(key) << 64) | handler.ghostNonceSeq(citizens[c], k);
                assertEq(consent.nonces(citizens[c], key), expected, NONCE_SEQUENCE);
            }
        }
    }

    /// @notice No role-gated call ever succeeded for a caller lacking its role, and every actor holds on chain
    ///         exactly the roles (and default admin) the model says it holds.
    function invariant_noRoleGatedActionWithoutRole() public view {
        assertEq(handler.roleViolations(), 0, ROLE_VIOLATION);
        bytes32[8] memory roles = _allRoles();
        for (uint256 a = 0; a < ACTORS; ++a) {
            address account = handler.actorAt(a);
            uint256 mask = handler.ghostRoleMask(account);
            for (uint256 bit = 0; bit < roles.length; ++bit) {
                assertEq(authority.hasRole(roles[bit], account), mask & (1 << bit) != 0, ROLE_MODEL);
            }
            assertEq(authority.hasRole(DEFAULT_ADMIN_ROLE, account), mask & (1 << 8) != 0, ROLE_MODEL);
        }
    }

    /// @notice Every outcome so far was the one the model predicted (each refusal for its reason), the stored terms
    ///         equal the model's, `hasAccess` is true exactly when the model has a live grant to an active grantee
    ///         (the converse of the first invariant), and organisations' status and parked roles match the model.
    function invariant_consentStateMatchesModel() public {
        assertEq(handler.firstMismatchAction(), 0, "first action (code + 1) whose outcome differed from the model");
        assertEq(handler.mismatches(), 0, "outcomes that differed from the model");
        vm.warp(handler.currentTime());
        address[3] memory citizens = _citizens();
        address[3] memory readers = [hospital, lab, outsider];
        for (uint256 c = 0; c < citizens.length; ++c) {
            for (uint256 r = 0; r < readers.length; ++r) {
                for (uint8 category = 0; category < TRACKED_CATEGORIES; ++category) {
                    _assertGrantMatchesModel(citizens[c], readers[r], category);
                }
            }
        }
        address[4] memory orgs = [hospital, lab, vault, outsider];
        for (uint256 i = 0; i < orgs.length; ++i) {
            IHealthTraceAuthority.Organisation memory org = authority.organisationOf(orgs[i]);
            assertEq(org.status, handler.ghostStatus(orgs[i]), "organisation status");
            assertEq(org.parkedRoles, handler.ghostParked(orgs[i]), "parked roles");
        }
    }

    // ==========================================================================================================
    // The handler and the checks are not vacuous
    // ==========================================================================================================

    /// @notice Driven deterministically, the handler reaches every success path and every kind of refusal, all as
    ///         its model predicts, and the invariants hold throughout.
    function test_handler_reachesEverySuccessAndRefusal() public {
        // successes
        handler.revoke(0, 0, 0); // citizen 0's seeded grant to the hospital
        handler.revokeBySig(2, 2 << 8, 0, 0, 1); // citizen 2's relayed grant to the hospital, category 2
        handler.cancelNonce(0, 0, 0);
        handler.logAccess(0, 1, 1, _codeSeed(1), keccak256("lab result"));
        handler.suspend(1);
        handler.restore(1);
        handler.changeRole(0, 0, true);
        handler.changeRole(0, 0, false);
        handler.warp(1 hours);
        handler.warpToExpiry(1 | (1 << 8) | (1 << 16), true); // citizen 1 -> lab, category 1: 1 s before expiry
        assertTrue(consent.hasAccess(handler.citizenAt(1), lab, 1), "live 1 s before expiry");
        handler.warpToExpiry(1 | (1 << 8) | (1 << 16), false);
        assertFalse(consent.hasAccess(handler.citizenAt(1), lab, 1), "ended at expiry");
        _checkAll();

        // refusals, each predicted by the model
        uint256 refusedBefore = handler.refusals();
        handler.grant(0, 2, 0, 0, _expirySeed(1 days)); // outsider is not accredited
        handler.grant(0, 0, 7, 0, _expirySeed(1 days)); // unknown category
        handler.grant(0, 0, 0, 7, _expirySeed(1 days)); // unknown purpose
        handler.grant(0, 0, 0, 0, 7); // expiry now
        for (uint256 mode = 6; mode <= 9; ++mode) {
            handler.grantBySig(1, _terms(0, 0, 0, 1 days), 0, mode, 0); // other key, wrong nonce, expired, altered
        }
        handler.revokeBySig(1, 0, 0, 0, 0); // citizen 1 has no grant to the hospital
        for (uint256 i = 0; i < 3; ++i) {
            handler.replay(i, i);
        }
        handler.cancelNonce(0, 0, 3); // not the next nonce
        handler.logAccess(1, 0, 0, 0, keccak256("record")); // the regulator is no gatekeeper
        handler.logAccess(0, 0, 0, 0, bytes32(0)); // zero record id
        for (uint256 fn = 0; fn < handler.GATED_FUNCTIONS(); ++fn) {
            handler.attemptRoleGated(fn * 3, fn);
        }
        handler.suspend(2); // the vault
        handler.suspend(2); // already suspended
        handler.logAccess(0, 0, 0, 0, keccak256("record")); // the suspended vault's role is parked
        handler.restore(2);
        handler.restore(2); // not suspended
        assertEq(handler.refusals() - refusedBefore, 4 + 4 + 1 + 3 + 1 + 2 + 11 + 1 + 1 + 1, "every refusal happened");

        // a role revoked while suspended stays revoked after restore
        handler.suspend(1); // the lab: RECORD_ISSUER parked
        handler.changeRole(1, 4, false); // bit 1 + 4 = RECORD_ISSUER dropped from the parked set
        handler.restore(1);
        assertFalse(authority.hasRole(RECORD_ISSUER_ROLE, lab), "dropped parked role not restored");

        assertTrue(handler.grantsOk() > 0 && handler.grantsBySigOk() > 0, "grants happened");
        assertTrue(handler.revokesOk() > 0 && handler.revokesBySigOk() > 0, "revocations happened");
        assertTrue(handler.cancelsOk() > 0 && handler.logsOk() > 0, "cancellations and logs happened");
        assertTrue(handler.suspensionsOk() > 0 && handler.restoresOk() > 0, "suspensions happened");
        assertTrue(handler.roleChangesOk() > 0, "role changes happened");
        assertEq(handler.replaysAttempted(), 3, "replays attempted");
        assertEq(handler.roleGatedAttempts(), handler.GATED_FUNCTIONS(), "role-gated attempts");
        _checkAll();
    }

    /// @notice `invariant_accessImpliesLiveUnrevokedGrant` fails if the chain grants access the model never saw.
    function test_invariantAccess_detectsAccessOutsideTheModel() public {
        address citizen = handler.citizenAt(1);
        uint64 expiresAt = uint64(handler.currentTime() + 1 days); // read before the prank: a call would consume it
        vm.prank(citizen);
        consent.grant(hospital, 2, 0, expiresAt);
        vm.expectRevert(abi.encodeWithSelector(AssertionFailed.selector, ACCESS_WITHOUT_GRANT));
        this.invariant_accessImpliesLiveUnrevokedGrant();
    }

    /// @notice `invariant_eachNonceUsedAtMostOnce` fails if a nonce is consumed outside the model.
    function test_invariantNonces_detectsNonceConsumedOutsideTheModel() public {
        address citizen = handler.citizenAt(2);
        uint256 next = consent.nonces(citizen, 0);
        vm.prank(citizen);
        consent.cancelNonce(next);
        vm.expectRevert(abi.encodeWithSelector(AssertionFailedUint.selector, NONCE_SEQUENCE, next + 1, next));
        this.invariant_eachNonceUsedAtMostOnce();
    }

    /// @notice `invariant_noRoleGatedActionWithoutRole` fails if an actor holds a role the model does not know of.
    function test_invariantRoles_detectsRoleOutsideTheModel() public {
        _grantRole(CLINIC_ROLE, lab);
        vm.expectRevert(abi.encodeWithSelector(AssertionFailedBool.selector, ROLE_MODEL, true, false));
        this.invariant_noRoleGatedActionWithoutRole();
    }

    // ==========================================================================================================
    // Helpers
    // ==========================================================================================================

    function _citizens() private view returns (address[3] memory) {
        return _citizenList;
    }

    function _checkAll() private {
        invariant_accessImpliesLiveUnrevokedGrant();
        invariant_eachNonceUsedAtMostOnce();
        invariant_noRoleGatedActionWithoutRole();
        invariant_consentStateMatchesModel();
    }

    function _assertGrantMatchesModel(address citizen, address reader, uint8 category) private view {
        ConsentHandler.GhostGrant memory g = handler.ghostGrant(citizen, reader, category);
        IConsentRegistry.Grant memory stored = consent.grantOf(citizen, reader, category);
        assertEq(stored.expiresAt, g.live ? g.expiresAt : 0, "stored expiry = model");
        assertEq(stored.grantedAt, g.live ? g.grantedAt : 0, "stored grant time = model");
        assertEq(stored.purpose, g.live ? g.purpose : 0, "stored purpose = model");
        bool modelAccess = g.live && g.expiresAt > block.timestamp && handler.ghostStatus(reader) == 1;
        assertEq(consent.hasAccess(citizen, reader, category), modelAccess, "hasAccess = model");
    }

    /// @dev Handler seed for a valid category or purpose code `code` (see ConsentHandler `_category`/`_purpose`).
    function _codeSeed(uint256 code) private pure returns (uint256) {
        return code << 3;
    }

    /// @dev Handler seed for an expiry at `now + 1 + lifetime` (`lifetime` < 10 days).
    function _expirySeed(uint256 lifetime) private pure returns (uint256) {
        return lifetime << 3;
    }

    /// @dev Handler `termsSeed` for a signed grant: grantee index, category, purpose, lifetime.
    function _terms(uint256 granteeIndex, uint256 category, uint256 purpose, uint256 lifetime)
        private
        pure
        returns (uint256)
    {
        return granteeIndex | (_codeSeed(category) << 8) | (_codeSeed(purpose) << 72) | (_expirySeed(lifetime) << 136);
    }
}
