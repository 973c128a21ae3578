// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IConsentRegistry} from "../../../contracts/interfaces/IConsentRegistry.sol";
import {IHealthTraceAuthority} from "../../../contracts/interfaces/IHealthTraceAuthority.sol";
import {IRecordRegistry} from "../../../contracts/interfaces/IRecordRegistry.sol";
import {ConsentTypedData} from "../utils/ConsentTypedData.sol";
import {TestBase} from "../utils/TestBase.sol";

/// @title ConsentHandler
/// @notice The invariant fuzzer's only target. Each action turns raw fuzz seeds into a valid or deliberately
///         invalid call by one of a small cast (three citizens with keys, two accredited grantees, an
///         unaccredited outsider, the vault, the regulator, the default admin), predicts its outcome from a ghost
///         model kept here, performs it with try/catch (so the handler itself never reverts), and records:
///         - the model (grants, organisation status, roles, nonce sequences) on every success;
///         - `mismatches`: an outcome that differs from the model's prediction;
///         - `roleViolations`: a role-gated call that succeeded for a caller the model says lacks the role;
///         - per (citizen, nonce): successful relays and uses (relays + cancellations).
/// @dev Seeds of 0 always give a valid call, so deterministic tests can drive every success path. Time is kept
///      in `currentTime` and re-applied with `vm.warp` at the start of every action.
contract ConsentHandler is TestBase {
    /// @notice The deployment and the cast the handler acts with.
    struct Cast {
        IHealthTraceAuthority authority;
        IRecordRegistry records;
        IConsentRegistry consent;
        address admin;
        address regulator;
        address hospital;
        address lab;
        address vault;
        address outsider;
        uint256[3] citizenKeys;
    }

    /// @notice The model of one (citizen, grantee, category) grant. `live` = granted and not revoked since.
    struct GhostGrant {
        bool live;
        uint8 purpose;
        uint64 grantedAt;
        uint64 expiresAt;
    }

    /// @notice A successfully relayed signed message, kept to be replayed later.
    struct StoredRelay {
        bool isGrant;
        ConsentTypedData.GrantMessage grantMessage;
        ConsentTypedData.RevokeMessage revokeMessage;
        bytes signature;
    }

    /// @notice Action codes used in `firstMismatchAction` (value = code + 1; 0 = none).
    enum Action {
        Grant,
        Revoke,
        GrantBySig,
        RevokeBySig,
        Replay,
        CancelNonce,
        LogAccess,
        Suspend,
        Restore,
        ChangeRole,
        RoleGated
    }

    /// @notice Number of citizens, grantee candidates and tracked (valid) categories.
    uint256 public constant CITIZENS = 3;
    uint256 public constant GRANTEES = 3;
    uint8 public constant TRACKED_CATEGORIES = 3;
    /// @notice Number of nonce keys used: 0, 1 and type(uint192).max.
    uint256 public constant NONCE_KEYS = 3;
    /// @notice Number of actors tried for role-gated actions.
    uint256 public constant ACTORS = 8;
    /// @notice Bit of the default admin role in `ghostRoleMask` (bits 0-7 follow `Roles.all()`).
    uint256 public constant ADMIN_BIT = 8;
    /// @notice Number of role-gated entry points tried by `attemptRoleGated`.
    uint256 public constant GATED_FUNCTIONS = 11;

    uint256 private constant _MAX_STORED_RELAYS = 32;
    uint256 private constant _REGULATOR_BIT = 0;
    uint256 private constant _RECORD_ISSUER_BIT = 5;
    uint256 private constant _GATEKEEPER_BIT = 7;

    IHealthTraceAuthority public immutable authority;
    IRecordRegistry public immutable records;
    IConsentRegistry public immutable consent;
    address public immutable admin;
    address public immutable regulator;
    address public immutable hospital;
    address public immutable lab;
    address public immutable vault;
    address public immutable outsider;
    bytes32 private immutable _domain;

    uint256[3] private _citizenKeys;
    address[3] private _citizens;

    /// @notice The model's clock; every action starts by warping to it.
    uint256 public currentTime;

    mapping(address citizen => mapping(address grantee => mapping(uint8 category => GhostGrant))) private _grants;
    /// @notice Model of organisation status: 0 unknown, 1 active, 2 suspended.
    mapping(address account => uint8) public ghostStatus;
    /// @notice Model of roles held (bit i = i-th role of `Roles.all()`, bit 8 = default admin).
    mapping(address account => uint256) public ghostRoleMask;
    /// @notice Model of the roles parked by a suspension (same bits as `ghostRoleMask`).
    mapping(address account => uint256) public ghostParked;
    /// @notice Model of nonces consumed (relays + cancellations) per citizen and nonce-key index.
    mapping(address citizen => mapping(uint256 keyIndex => uint256)) public ghostNonceSeq;
    /// @notice Successful relays per (citizen, nonce).
    mapping(address citizen => mapping(uint256 nonce => uint256)) public relaysOfNonce;
    /// @notice Successful uses (relays + cancellations) per (citizen, nonce).
    mapping(address citizen => mapping(uint256 nonce => uint256)) public usesOfNonce;
    mapping(address citizen => uint256[]) private _touchedNonces;
    StoredRelay[] private _stored;
    uint256 private _storeCursor;
    uint256 private _freshOrgs;

    /// @notice Success counters, per action.
    uint256 public grantsOk;
    uint256 public revokesOk;
    uint256 public grantsBySigOk;
    uint256 public revokesBySigOk;
    uint256 public cancelsOk;
    uint256 public logsOk;
    uint256 public suspensionsOk;
    uint256 public restoresOk;
    uint256 public roleChangesOk;
    /// @notice Calls the registries refused (as the model predicted, or `mismatches` grows).
    uint256 public refusals;
    uint256 public replaysAttempted;
    uint256 public roleGatedAttempts;
    /// @notice Role-gated calls that succeeded for a caller lacking the role (must stay 0).
    uint256 public roleViolations;
    /// @notice Outcomes that differ from the model's prediction (must stay 0).
    uint256 public mismatches;
    /// @notice First action whose outcome differed from the model (`Action` code + 1; 0 = none).
    uint256 public firstMismatchAction;

    /// @param cast The deployment and the cast; the organisations must be set up as the model below states.
    constructor(Cast memory cast) {
        authority = cast.authority;
        records = cast.records;
        consent = cast.consent;
        admin = cast.admin;
        regulator = cast.regulator;
        hospital = cast.hospital;
        lab = cast.lab;
        vault = cast.vault;
        outsider = cast.outsider;
        _domain = ConsentTypedData.domainSeparator(address(cast.consent), block.chainid);
        for (uint256 i = 0; i < CITIZENS; ++i) {
            _citizenKeys[i] = cast.citizenKeys[i];
            _citizens[i] = vm.addr(cast.citizenKeys[i]);
        }
        currentTime = block.timestamp;

        ghostStatus[cast.regulator] = 1;
        ghostRoleMask[cast.regulator] = 1 << _REGULATOR_BIT;
        ghostStatus[cast.hospital] = 1;
        ghostRoleMask[cast.hospital] = 1 << _RECORD_ISSUER_BIT;
        ghostStatus[cast.lab] = 1;
        ghostRoleMask[cast.lab] = 1 << _RECORD_ISSUER_BIT;
        ghostStatus[cast.vault] = 1;
        ghostRoleMask[cast.vault] = 1 << _GATEKEEPER_BIT;
        ghostRoleMask[cast.admin] = 1 << ADMIN_BIT;
    }

    // ==========================================================================================================
    // Actions (the invariant fuzzer's targets)
    // ==========================================================================================================

    /// @notice A citizen grants directly. ~1/8 of seeds give an unknown category, purpose or a past expiry; a third
    ///         of grantees is the unaccredited outsider.
    function grant(
        uint256 citizenSeed,
        uint256 granteeSeed,
        uint256 categorySeed,
        uint256 purposeSeed,
        uint256 expirySeed
    ) external {
        _sync();
        address citizen = _citizens[citizenSeed % CITIZENS];
        address grantee = _grantee(granteeSeed);
        uint8 category = _category(categorySeed);
        uint8 purpose = _purpose(purposeSeed);
        uint64 expiresAt = _expiry(expirySeed);
        bool expected = _termsValid(grantee, category, purpose, expiresAt);

        bool ok;
        vm.prank(citizen);
        try consent.grant(grantee, category, purpose, expiresAt) {
            ok = true;
        } catch {}

        if (ok) {
            _modelGrant(citizen, grantee, category, purpose, expiresAt);
            ++grantsOk;
        }
        _outcome(Action.Grant, expected, ok);
    }

    /// @notice A citizen revokes directly (a tracked category; the grant may or may not exist).
    function revoke(uint256 citizenSeed, uint256 granteeSeed, uint256 categorySeed) external {
        _sync();
        address citizen = _citizens[citizenSeed % CITIZENS];
        address grantee = _grantee(granteeSeed);
        uint8 category = uint8(categorySeed % TRACKED_CATEGORIES);
        bool expected = _grants[citizen][grantee][category].live;

        bool ok;
        vm.prank(citizen);
        try consent.revoke(grantee, category) {
            ok = true;
        } catch {}

        if (ok) {
            delete _grants[citizen][grantee][category];
            ++revokesOk;
        }
        _outcome(Action.Revoke, expected, ok);
    }

    /// @notice Anyone relays a citizen's signed grant. Terms: grantee from bits 0-7 of `termsSeed`, category
    ///         from bits 8-71, purpose from bits 72-135, expiry from bits 136-255. `modeSeed % 10`: 0-5 valid;
    ///         6 signed by another citizen's key; 7 a nonce other than the next (future, or an already consumed
    ///         one); 8 deadline passed; 9 a field altered after signing.
    function grantBySig(
        uint256 citizenSeed,
        uint256 termsSeed,
        uint256 nonceKeySeed,
        uint256 modeSeed,
        uint256 relayerSeed
    ) external {
        _sync();
        uint256 citizenIndex = citizenSeed % CITIZENS;
        uint256 keyIndex = nonceKeySeed % NONCE_KEYS;
        ConsentTypedData.GrantMessage memory m;
        m.citizen = _citizens[citizenIndex];
        m.grantee = _grantee(termsSeed & 0xff);
        m.category = _category(uint64(termsSeed >> 8));
        m.purpose = _purpose(uint64(termsSeed >> 72));
        m.expiresAt = _expiry(termsSeed >> 136);
        uint256 mode = modeSeed % 10;
        (m.nonce, m.deadline) = _nonceAndDeadline(m.citizen, keyIndex, mode, modeSeed);
        bytes memory signature = _sign(_signingKey(citizenIndex, mode), ConsentTypedData.digest(_domain, m));
        if (mode == 9) m.expiresAt += 1;
        bool expected = mode < 6 && _termsValid(m.grantee, m.category, m.purpose, m.expiresAt);

        bool ok = _tryRelayGrant(_relayer(relayerSeed), m, signature);
        if (ok) {
            _modelGrant(m.citizen, m.grantee, m.category, m.purpose, m.expiresAt);
            _modelRelay(m.citizen, keyIndex, m.nonce);
            _storeRelay(true, m, _noRevoke(), signature);
            ++grantsBySigOk;
        }
        _outcome(Action.GrantBySig, expected, ok);
    }

    /// @notice Anyone relays a citizen's signed revocation: grantee from bits 0-7 of `termsSeed`, a tracked
    ///         category from bits 8-71; modes as in `grantBySig`.
    function revokeBySig(
        uint256 citizenSeed,
        uint256 termsSeed,
        uint256 nonceKeySeed,
        uint256 modeSeed,
        uint256 relayerSeed
    ) external {
        _sync();
        uint256 citizenIndex = citizenSeed % CITIZENS;
        uint256 keyIndex = nonceKeySeed % NONCE_KEYS;
        ConsentTypedData.RevokeMessage memory m;
        m.citizen = _citizens[citizenIndex];
        m.grantee = _grantee(termsSeed & 0xff);
        m.category = uint8(uint64(termsSeed >> 8) % TRACKED_CATEGORIES);
        uint256 mode = modeSeed % 10;
        (m.nonce, m.deadline) = _nonceAndDeadline(m.citizen, keyIndex, mode, modeSeed);
        bytes memory signature = _sign(_signingKey(citizenIndex, mode), ConsentTypedData.digest(_domain, m));
        if (mode == 9) m.grantee = m.grantee == hospital ? lab : hospital;
        bool expected = mode < 6 && _grants[m.citizen][m.grantee][m.category].live;

        bool ok = _tryRelayRevoke(_relayer(relayerSeed), m, signature);
        if (ok) {
            delete _grants[m.citizen][m.grantee][m.category];
            _modelRelay(m.citizen, keyIndex, m.nonce);
            _storeRelay(false, _noGrant(), m, signature);
            ++revokesBySigOk;
        }
        _outcome(Action.RevokeBySig, expected, ok);
    }

    /// @notice Anyone re-submits a signed message that was already relayed: it must always be refused.
    function replay(uint256 indexSeed, uint256 relayerSeed) external {
        if (_stored.length == 0) return;
        _sync();
        StoredRelay memory r = _stored[indexSeed % _stored.length];
        address relayer = _relayer(relayerSeed);
        ++replaysAttempted;

        bool ok = r.isGrant
            ? _tryRelayGrant(relayer, r.grantMessage, r.signature)
            : _tryRelayRevoke(relayer, r.revokeMessage, r.signature);
        if (ok) {
            // a second relay of one nonce: the invariant will see it
            if (r.isGrant) _countUse(r.grantMessage.citizen, r.grantMessage.nonce, true);
            else _countUse(r.revokeMessage.citizen, r.revokeMessage.nonce, true);
        }
        _outcome(Action.Replay, false, ok);
    }

    /// @notice A citizen cancels a nonce: the next one of a key (3/4 of seeds) or another one (refused).
    function cancelNonce(uint256 citizenSeed, uint256 nonceKeySeed, uint256 offsetSeed) external {
        _sync();
        address citizen = _citizens[citizenSeed % CITIZENS];
        uint256 keyIndex = nonceKeySeed % NONCE_KEYS;
        bool valid = offsetSeed % 4 != 3;
        uint256 nonce = valid ? _expectedNonce(citizen, keyIndex) : _wrongNonce(citizen, keyIndex, offsetSeed >> 8);

        bool ok;
        vm.prank(citizen);
        try consent.cancelNonce(nonce) {
            ok = true;
        } catch {}

        if (ok) {
            if (valid) ++ghostNonceSeq[citizen][keyIndex];
            _countUse(citizen, nonce, false);
            ++cancelsOk;
        }
        _outcome(Action.CancelNonce, valid, ok);
    }

    /// @notice The vault (half of seeds) or any other actor logs a read (a zero record id is refused).
    function logAccess(
        uint256 callerSeed,
        uint256 citizenSeed,
        uint256 readerSeed,
        uint256 categorySeed,
        bytes32 recordId
    ) external {
        _sync();
        address caller = callerSeed % 2 == 0 ? vault : _actor(callerSeed >> 1);
        address citizen = _citizens[citizenSeed % CITIZENS];
        address reader = _grantee(readerSeed);
        uint8 category = _category(categorySeed);
        bool holdsRole = _ghostHas(caller, _GATEKEEPER_BIT);

        bool ok;
        vm.prank(caller);
        try consent.logAccess(citizen, reader, category, recordId) {
            ok = true;
        } catch {}

        if (ok) {
            ++logsOk;
            if (!holdsRole) ++roleViolations;
        }
        _outcome(Action.LogAccess, holdsRole && category <= 5 && recordId != bytes32(0), ok);
    }

    /// @notice Time passes: 1 s to 2 days.
    function warp(uint256 secondsSeed) external {
        currentTime += 1 + (secondsSeed % 2 days);
        _sync();
    }

    /// @notice Time jumps to exactly a live grant's expiry, or 1 s before it (if that is in the future). The
    ///         tuple: citizen from byte 0 of `tupleSeed`, grantee from byte 1, category from byte 2.
    function warpToExpiry(uint256 tupleSeed, bool oneSecondBefore) external {
        GhostGrant memory g = _grants[_citizens[uint8(tupleSeed) % CITIZENS]][_grantee(uint8(tupleSeed >> 8))][
            uint8(uint8(tupleSeed >> 16) % TRACKED_CATEGORIES)
        ];
        if (!g.live) return;
        uint256 target = oneSecondBefore ? uint256(g.expiresAt) - 1 : g.expiresAt;
        if (target > currentTime) currentTime = target;
        _sync();
    }

    /// @notice The regulator suspends the hospital, the lab or the vault.
    function suspend(uint256 orgSeed) external {
        _sync();
        address org = _suspendable(orgSeed);
        bool expected = ghostStatus[org] == 1;

        bool ok;
        vm.prank(regulator);
        try authority.suspend(org) {
            ok = true;
        } catch {}

        if (ok) {
            ghostParked[org] = ghostRoleMask[org] & 0xff;
            ghostRoleMask[org] &= ~uint256(0xff);
            ghostStatus[org] = 2;
            ++suspensionsOk;
        }
        _outcome(Action.Suspend, expected, ok);
    }

    /// @notice The regulator restores the hospital, the lab or the vault.
    function restore(uint256 orgSeed) external {
        _sync();
        address org = _suspendable(orgSeed);
        bool expected = ghostStatus[org] == 2;

        bool ok;
        vm.prank(regulator);
        try authority.restore(org) {
            ok = true;
        } catch {}

        if (ok) {
            ghostRoleMask[org] |= ghostParked[org];
            ghostParked[org] = 0;
            ghostStatus[org] = 1;
            ++restoresOk;
        }
        _outcome(Action.Restore, expected, ok);
    }

    /// @notice The regulator grants or revokes a non-regulator role to/from the hospital, lab, vault or outsider.
    ///         Granting needs an active organisation; revoking always succeeds, and for a suspended organisation
    ///         drops the role from its parked set.
    function changeRole(uint256 orgSeed, uint256 roleSeed, bool grantIt) external {
        _sync();
        address[4] memory orgs = [hospital, lab, vault, outsider];
        address org = orgs[orgSeed % 4];
        uint256 bit = 1 + (roleSeed % 7);
        bytes32 role = _role(bit);
        bool expected = grantIt ? ghostStatus[org] == 1 : true;

        bool ok;
        vm.prank(regulator);
        if (grantIt) {
            try authority.grantRole(role, org) {
                ok = true;
            } catch {}
        } else {
            try authority.revokeRole(role, org) {
                ok = true;
            } catch {}
        }

        if (ok) {
            if (grantIt) ghostRoleMask[org] |= 1 << bit;
            else if (ghostStatus[org] == 2) ghostParked[org] &= ~(uint256(1) << bit);
            else ghostRoleMask[org] &= ~(uint256(1) << bit);
            ++roleChangesOk;
        }
        _outcome(Action.ChangeRole, expected, ok);
    }

    /// @notice An actor that (per the model) lacks the needed role tries a role-gated function of one of the three
    ///         contracts, with arguments that would succeed for a holder. Any success is a role violation.
    function attemptRoleGated(uint256 actorSeed, uint256 fnSeed) external {
        _sync();
        uint256 fn = fnSeed % GATED_FUNCTIONS;
        uint256 bit = _neededBit(fn);
        address actor = _actorLacking(actorSeed, bit);
        bool heldOnChain = authority.hasRole(_role(bit), actor);
        ++roleGatedAttempts;

        vm.prank(actor);
        bool ok = _tryGated(fn, actor);

        if (ok) ++roleViolations;
        // the model says the actor lacks the role: the chain must agree and the call must be refused
        _outcome(Action.RoleGated, false, ok || heldOnChain);
    }

    // ==========================================================================================================
    // Views for the invariants
    // ==========================================================================================================

    /// @notice The model of a grant.
    function ghostGrant(address citizen, address grantee, uint8 category) external view returns (GhostGrant memory) {
        return _grants[citizen][grantee][category];
    }

    /// @notice Whether the model says `account` holds the role of bit `bit` (8 = default admin).
    function ghostHasRole(address account, uint256 bit) external view returns (bool) {
        return _ghostHas(account, bit);
    }

    /// @notice The nonces a citizen ever relayed or cancelled successfully.
    function touchedNonces(address citizen) external view returns (uint256[] memory) {
        return _touchedNonces[citizen];
    }

    /// @notice Citizen `i`.
    function citizenAt(uint256 i) external view returns (address) {
        return _citizens[i];
    }

    /// @notice Grantee candidate `i` (hospital, lab, unaccredited outsider).
    function granteeAt(uint256 i) external view returns (address) {
        return _grantee(i);
    }

    /// @notice Actor `i` of those tried for role-gated actions.
    function actorAt(uint256 i) external view returns (address) {
        return _actor(i);
    }

    /// @notice The nonce key of key index `i`.
    function nonceKey(uint256 i) public pure returns (uint192) {
        return i == 0 ? 0 : i == 1 ? 1 : type(uint192).max;
    }

    /// @notice The role of bit `bit` (8 = default admin).
    function roleOfBit(uint256 bit) external pure returns (bytes32) {
        return _role(bit);
    }

    /// @notice Successful grants, of either kind.
    function totalGrants() external view returns (uint256) {
        return grantsOk + grantsBySigOk;
    }

    /// @notice Successful relays, of either kind.
    function totalRelays() external view returns (uint256) {
        return grantsBySigOk + revokesBySigOk;
    }

    // ==========================================================================================================
    // Internals
    // ==========================================================================================================

    function _sync() private {
        vm.warp(currentTime);
    }

    function _outcome(Action action, bool expected, bool ok) private {
        if (!ok) ++refusals;
        if (expected != ok) {
            ++mismatches;
            if (firstMismatchAction == 0) firstMismatchAction = uint256(action) + 1;
        }
    }

    function _tryRelayGrant(address relayer, ConsentTypedData.GrantMessage memory m, bytes memory signature)
        private
        returns (bool)
    {
        vm.prank(relayer);
        try consent.grantBySig(
            m.citizen, m.grantee, m.category, m.purpose, m.expiresAt, m.nonce, m.deadline, signature
        ) {
            return true;
        } catch {
            return false;
        }
    }

    function _tryRelayRevoke(address relayer, ConsentTypedData.RevokeMessage memory m, bytes memory signature)
        private
        returns (bool)
    {
        vm.prank(relayer);
        try consent.revokeBySig(m.citizen, m.grantee, m.category, m.nonce, m.deadline, signature) {
            return true;
        } catch {
            return false;
        }
    }

    function _modelGrant(address c, address g, uint8 category, uint8 purpose, uint64 expiresAt) private {
        _grants[c][g][category] =
            GhostGrant({live: true, purpose: purpose, grantedAt: uint64(currentTime), expiresAt: expiresAt});
    }

    /// @dev A relay succeeded: count the use, and advance the model's sequence if it used the expected nonce
    ///      (if not, `_outcome` has already flagged a mismatch).
    function _modelRelay(address c, uint256 keyIndex, uint256 nonce) private {
        if (nonce == _expectedNonce(c, keyIndex)) ++ghostNonceSeq[c][keyIndex];
        _countUse(c, nonce, true);
    }

    function _countUse(address c, uint256 nonce, bool isRelay) private {
        if (usesOfNonce[c][nonce] == 0) _touchedNonces[c].push(nonce);
        ++usesOfNonce[c][nonce];
        if (isRelay) ++relaysOfNonce[c][nonce];
    }

    function _storeRelay(
        bool isGrant,
        ConsentTypedData.GrantMessage memory g,
        ConsentTypedData.RevokeMessage memory r,
        bytes memory signature
    ) private {
        StoredRelay memory entry =
            StoredRelay({isGrant: isGrant, grantMessage: g, revokeMessage: r, signature: signature});
        if (_stored.length < _MAX_STORED_RELAYS) {
            _stored.push(entry);
        } else {
            _stored[_storeCursor] = entry;
            _storeCursor = (_storeCursor + 1) % _MAX_STORED_RELAYS;
        }
    }

    function _noGrant() private pure returns (ConsentTypedData.GrantMessage memory m) {}

    function _noRevoke() private pure returns (ConsentTypedData.RevokeMessage memory m) {}

    function _termsValid(address g, uint8 category, uint8 purpose, uint64 expiresAt) private view returns (bool) {
        return category <= 5 && purpose <= 4 && expiresAt > currentTime && ghostStatus[g] == 1;
    }

    function _expectedNonce(address c, uint256 keyIndex) private view returns (uint256) {
        return (uint256(nonceKey(keyIndex)) << 64) | ghostNonceSeq[c][keyIndex];
    }

    /// @dev A nonce of the key that is not the next one: a future one, or (half the time) one already consumed.
    function _wrongNonce(address c, uint256 keyIndex, uint256 seed) private view returns (uint256) {
        uint256 next = _expectedNonce(c, keyIndex);
        uint256 consumed = ghostNonceSeq[c][keyIndex];
        if (seed % 2 == 1 && consumed > 0) return next - 1 - ((seed >> 1) % consumed);
        return next + 1 + ((seed >> 1) % 3);
    }

    function _nonceAndDeadline(address c, uint256 keyIndex, uint256 mode, uint256 modeSeed)
        private
        view
        returns (uint256 nonce, uint256 deadline)
    {
        nonce = mode == 7 ? _wrongNonce(c, keyIndex, modeSeed >> 8) : _expectedNonce(c, keyIndex);
        deadline = mode == 8 ? currentTime - 1 - ((modeSeed >> 16) % 1 days) : currentTime + ((modeSeed >> 16) % 1 days);
    }

    function _signingKey(uint256 citizenIndex, uint256 mode) private view returns (uint256) {
        return _citizenKeys[mode == 6 ? (citizenIndex + 1) % CITIZENS : citizenIndex];
    }

    function _sign(uint256 key, bytes32 digest) private pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _grantee(uint256 seed) private view returns (address) {
        uint256 i = seed % GRANTEES;
        return i == 0 ? hospital : i == 1 ? lab : outsider;
    }

    function _suspendable(uint256 seed) private view returns (address) {
        uint256 i = seed % 3;
        return i == 0 ? hospital : i == 1 ? lab : vault;
    }

    /// @dev Category: a tracked one (0-2) for 7/8 of seeds, an unknown one (6-255) otherwise.
    function _category(uint256 seed) private pure returns (uint8) {
        return seed % 8 == 7 ? uint8(6 + ((seed >> 3) % 250)) : uint8((seed >> 3) % TRACKED_CATEGORIES);
    }

    /// @dev Purpose: a documented one (0-4) for 7/8 of seeds, an unknown one (5-255) otherwise.
    function _purpose(uint256 seed) private pure returns (uint8) {
        return seed % 8 == 7 ? uint8(5 + ((seed >> 3) % 251)) : uint8((seed >> 3) % 5);
    }

    /// @dev Expiry: 1 s to 10 days ahead for 7/8 of seeds; now or up to 1000 s before otherwise.
    function _expiry(uint256 seed) private view returns (uint64) {
        return seed % 8 == 7
            ? uint64(currentTime - ((seed >> 3) % 1000))
            : uint64(currentTime + 1 + ((seed >> 3) % 10 days));
    }

    function _relayer(uint256 seed) private view returns (address) {
        if (seed % 4 == 3) return _citizens[(seed >> 2) % CITIZENS]; // a citizen relays their own or another's
        return address(uint160(uint256(keccak256(abi.encode("relayer", seed % 4)))));
    }

    function _actor(uint256 i) private view returns (address) {
        i %= ACTORS;
        if (i == 0) return regulator;
        if (i == 1) return admin;
        if (i == 2) return hospital;
        if (i == 3) return lab;
        if (i == 4) return vault;
        if (i == 5) return outsider;
        return _citizens[i - 6];
    }

    /// @dev The first actor, from `seed` on, that the model says lacks role `bit` (citizens always do).
    function _actorLacking(uint256 seed, uint256 bit) private view returns (address) {
        for (uint256 j = 0; j < ACTORS; ++j) {
            address a = _actor((seed % ACTORS) + j);
            if (!_ghostHas(a, bit)) return a;
        }
        return _citizens[0];
    }

    function _ghostHas(address account, uint256 bit) private view returns (bool) {
        return ghostRoleMask[account] & (1 << bit) != 0;
    }

    function _role(uint256 bit) private pure returns (bytes32) {
        if (bit == ADMIN_BIT) return bytes32(0);
        bytes32[8] memory roles = [
            keccak256("REGULATOR_ROLE"),
            keccak256("MANUFACTURER_ROLE"),
            keccak256("CARRIER_ROLE"),
            keccak256("WAREHOUSE_ROLE"),
            keccak256("CLINIC_ROLE"),
            keccak256("RECORD_ISSUER_ROLE"),
            keccak256("LOT_ATTESTER_ROLE"),
            keccak256("GATEKEEPER_ROLE")
        ];
        return roles[bit];
    }

    function _neededBit(uint256 fn) private pure returns (uint256) {
        if (fn <= 4) return _REGULATOR_BIT;
        if (fn <= 8) return ADMIN_BIT;
        if (fn == 9) return _RECORD_ISSUER_BIT;
        return _GATEKEEPER_BIT;
    }

    /// @dev Must be called right after `vm.prank`: the first external call here is the gated one.
    function _tryGated(uint256 fn, address caller) private returns (bool) {
        if (fn == 0) {
            address fresh = address(uint160(uint256(keccak256(abi.encode("fresh org", ++_freshOrgs)))));
            try authority.accredit(fresh, 5, 310104, "Candidate Lab", unicode"候选实验室") {
                return true;
            } catch {
                return false;
            }
        }
        if (fn == 1) {
            try authority.suspend(hospital) {
                return true;
            } catch {
                return false;
            }
        }
        if (fn == 2) {
            try authority.restore(lab) {
                return true;
            } catch {
                return false;
            }
        }
        if (fn == 3) {
            try authority.grantRole(_role(4), hospital) {
                return true;
            } catch {
                return false;
            }
        }
        if (fn == 4) {
            try authority.revokeRole(_role(_RECORD_ISSUER_BIT), hospital) {
                return true;
            } catch {
                return false;
            }
        }
        if (fn == 5) {
            try authority.grantRole(_role(_REGULATOR_BIT), lab) {
                return true;
            } catch {
                return false;
            }
        }
        if (fn == 6) {
            try authority.revokeRole(_role(_REGULATOR_BIT), regulator) {
                return true;
            } catch {
                return false;
            }
        }
        if (fn == 7) {
            try authority.beginDefaultAdminTransfer(caller) {
                return true;
            } catch {
                return false;
            }
        }
        if (fn == 8) {
            try authority.changeDefaultAdminDelay(0) {
                return true;
            } catch {
                return false;
            }
        }
        if (fn == 9) {
            try records.anchor(_citizens[0], 0, keccak256(abi.encode("record", caller))) {
                return true;
            } catch {
                return false;
            }
        }
        try consent.logAccess(_citizens[0], hospital, 0, keccak256("record")) {
            return true;
        } catch {
            return false;
        }
    }
}
