// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IHealthTraceAuthority} from "../../../contracts/interfaces/IHealthTraceAuthority.sol";
import {IVaccineRegistry} from "../../../contracts/interfaces/IVaccineRegistry.sol";
import {VaccineTestLib} from "../utils/HealthTraceFixture.sol";
import {TestBase} from "../utils/TestBase.sol";

/// @title VaccineHandler
/// @notice The invariant fuzzer's only target for the vaccine registry. Each action turns raw fuzz seeds into a
///         valid or deliberately invalid call by one of a small cast (two manufacturers, three attesters of which
///         one is a manufacturer holding the lot-attester role, two clinics, the regulator, an unaccredited
///         outsider, three citizens with keys, and a cold-chain reporter address the handler controls), predicts
///         its outcome from a ghost model kept here, performs it with try/catch (so the handler itself never
///         reverts), and records:
///         - the model (lots: manufacturer, count, records, quorum, stored status, expiry, distinct attesters;
///           doses: lot, sequence, citizen, clinic, flags, and the lot's state just before the record);
///         - `mismatches`: an outcome that differs from the model's prediction;
///         - `roleViolations`: a role-gated call that succeeded for a caller the model says lacks the role;
///         - `recordsOnUnusableLot`: a dose recorded although the chain said, just before, its lot was not active;
///         - `manufacturerAttestations`: an attestation by a lot's own manufacturer that succeeded;
///         - `voidedProofsAccepted`: a proof of vaccination accepted for a voided dose.
/// @dev Seeds of 0 always give a valid call (on lot 1 / the first dose), so deterministic tests can drive every
///      success path. Time is kept in `currentTime` and re-applied with `vm.warp` at the start of every action.
contract VaccineHandler is TestBase {
    /// @notice The deployment and the cast the handler acts with.
    struct Cast {
        IHealthTraceAuthority authority;
        IVaccineRegistry vaccines;
        address regulator;
        address[2] manufacturers;
        address releaseLab;
        address[2] clinics;
        address outsider;
        address reporter;
        uint256[3] citizenKeys;
    }

    /// @notice The model of one lot. `status` is the stored part of the state (1 pending, 2 active, 3 recalled,
    ///         5 non-conformant); expiry is derived from `expiresAt` and the model's clock.
    struct GhostLot {
        address manufacturer;
        uint32 doseCount;
        uint32 recorded;
        uint32 expiresAt;
        uint8 quorum;
        uint8 status;
        bool released;
    }

    /// @notice The model of one dose record.
    struct GhostDose {
        uint32 lotId;
        uint32 sequence;
        uint8 citizenIndex;
        address clinic;
        uint8 chainStateBefore;
        uint8 modelStateBefore;
        bool confirmed;
        bool verified;
        bool voided;
    }

    /// @notice A successfully relayed confirmation, kept to be replayed later.
    struct StoredConfirmation {
        bytes32 doseId;
        uint256 deadline;
        bytes signature;
    }

    /// @notice Action codes used in `firstMismatchAction` (value = code + 1; 0 = none).
    enum Action {
        RegisterLot,
        AttestLot,
        RecallLot,
        QuarantineLot,
        ReportExcursion,
        SetReporter,
        SetQuorum,
        RecordDose,
        ConfirmDose,
        ConfirmDoseBySig,
        ReplayConfirmation,
        VerifyDose,
        VoidDose,
        CheckProof
    }

    uint256 public constant CITIZENS = 3;
    /// @notice Bits of the roles in `ghostRoles` (positions in `Roles.all()`).
    uint256 public constant REGULATOR_BIT = 0;
    uint256 public constant MANUFACTURER_BIT = 1;
    uint256 public constant CLINIC_BIT = 4;
    uint256 public constant LOT_ATTESTER_BIT = 6;

    uint8 private constant _UNKNOWN = 0;
    uint8 private constant _PENDING = 1;
    uint8 private constant _ACTIVE = 2;
    uint8 private constant _RECALLED = 3;
    uint8 private constant _EXPIRED = 4;
    uint8 private constant _NON_CONFORMANT = 5;
    uint64 private constant _GTIN_BODY_BASE = 950_110_150_000;
    uint256 private constant _MAX_STORED = 16;

    IHealthTraceAuthority public immutable authority;
    IVaccineRegistry public immutable vaccines;
    address public immutable regulator;
    address public immutable releaseLab;
    address public immutable outsider;
    address public immutable reporter;
    bytes32 private immutable _domain;
    address[2] private _manufacturers;
    address[2] private _clinics;
    uint256[3] private _citizenKeys;
    address[3] private _citizens;

    /// @notice The model's clock; every action starts by warping to it.
    uint256 public currentTime;
    /// @notice Model of the quorum in force and of the configured cold-chain reporter.
    uint8 public ghostQuorum;
    address public ghostReporter;
    /// @notice Model of the roles held (bit i = i-th role of `Roles.all()`); no action changes them.
    mapping(address account => uint256) public ghostRoles;

    /// @notice Lots the model knows (ids 1 ... ghostLotCount).
    uint32 public ghostLotCount;
    mapping(uint32 lotId => GhostLot) private _lots;
    mapping(uint32 lotId => uint64) private _gtinOf;
    mapping(uint32 lotId => address[]) private _attesters;
    mapping(uint32 lotId => mapping(address attester => bool)) private _hasAttested;
    bytes32[] private _doseIds;
    mapping(bytes32 doseId => GhostDose) private _doses;
    StoredConfirmation[] private _stored;
    uint256 private _storeCursor;
    uint64 private _registerAttempts;

    /// @notice Success counters, per action.
    uint256 public registrationsOk;
    uint256 public attestationsOk;
    uint256 public releasesOk;
    uint256 public recallsOk;
    uint256 public quarantinesOk;
    uint256 public excursionsOk;
    uint256 public reporterChangesOk;
    uint256 public quorumChangesOk;
    uint256 public recordsOk;
    uint256 public confirmationsOk;
    uint256 public confirmationsBySigOk;
    uint256 public verificationsOk;
    uint256 public voidsOk;
    uint256 public proofsValid;
    uint256 public proofsRefused;
    /// @notice Refusals of interest: a manufacturer attesting its own pending lot; a record on a known lot that is
    ///         not active; a replayed confirmation.
    uint256 public ownLotAttestationsRefused;
    uint256 public recordsRefusedOnUnusableLot;
    uint256 public replaysAttempted;
    /// @notice Calls the registry refused (as the model predicted, or `mismatches` grows).
    uint256 public refusals;
    /// @notice Role-gated calls that succeeded for a caller lacking the role (must stay 0).
    uint256 public roleViolations;
    /// @notice Doses recorded although the lot was not active on chain just before (must stay 0).
    uint256 public recordsOnUnusableLot;
    /// @notice Successful attestations of a lot by its own manufacturer (must stay 0).
    uint256 public manufacturerAttestations;
    /// @notice Proofs of vaccination that returned 0 (valid) for a voided dose (must stay 0).
    uint256 public voidedProofsAccepted;
    /// @notice Outcomes that differ from the model's prediction (must stay 0).
    uint256 public mismatches;
    /// @notice First action whose outcome differed from the model (`Action` code + 1; 0 = none).
    uint256 public firstMismatchAction;

    /// @param cast The deployment and the cast; the roles must be set up as `ghostRoles` states below, the
    ///        registry must have no lot yet.
    constructor(Cast memory cast) {
        authority = cast.authority;
        vaccines = cast.vaccines;
        regulator = cast.regulator;
        releaseLab = cast.releaseLab;
        outsider = cast.outsider;
        reporter = cast.reporter;
        _manufacturers = cast.manufacturers;
        _clinics = cast.clinics;
        _domain = VaccineTestLib.domainSeparator(address(cast.vaccines), block.chainid);
        for (uint256 i = 0; i < CITIZENS; ++i) {
            _citizenKeys[i] = cast.citizenKeys[i];
            _citizens[i] = vm.addr(cast.citizenKeys[i]);
        }
        currentTime = block.timestamp;
        ghostQuorum = cast.vaccines.releaseQuorum();
        ghostReporter = cast.vaccines.coldChainReporter();

        ghostRoles[cast.regulator] = (1 << REGULATOR_BIT) | (1 << LOT_ATTESTER_BIT);
        ghostRoles[cast.manufacturers[0]] = 1 << MANUFACTURER_BIT;
        ghostRoles[cast.manufacturers[1]] = (1 << MANUFACTURER_BIT) | (1 << LOT_ATTESTER_BIT);
        ghostRoles[cast.releaseLab] = 1 << LOT_ATTESTER_BIT;
        ghostRoles[cast.clinics[0]] = 1 << CLINIC_BIT;
        ghostRoles[cast.clinics[1]] = 1 << CLINIC_BIT;
    }

    // ==========================================================================================================
    // Actions (the invariant fuzzer's targets)
    // ==========================================================================================================

    /// @notice A manufacturer (or, for 1/4 of seeds, a clinic or the outsider) registers a lot. `paramsSeed`:
    ///         mode = bits 0-2 (0-5 valid; 6 wrong GTIN check digit; 7 the GTIN and lot number of an existing lot),
    ///         dose count 1-6 from bits 3-7, lifetime 1 hour + up to 60 days from bits 8 and up.
    function registerLot(uint256 actorSeed, uint256 paramsSeed) external {
        _sync();
        uint256 a = actorSeed % 8;
        address actor = a < 3 ? _manufacturers[0] : a < 6 ? _manufacturers[1] : a == 6 ? _clinics[0] : outsider;
        uint256 mode = paramsSeed % 8;
        IVaccineRegistry.LotParams memory p;
        uint64 body = _GTIN_BODY_BASE + ++_registerAttempts;
        p.gtin = VaccineTestLib.gtin(body);
        if (mode == 6) p.gtin = body * 10 + (VaccineTestLib.gtinCheckDigit(body) + 1) % 10;
        if (mode == 7 && ghostLotCount > 0) p.gtin = _gtinOf[uint32(1 + (paramsSeed >> 8) % ghostLotCount)];
        p.lotNumber = "HT-LOT";
        p.doseCount = uint32(1 + ((paramsSeed >> 3) & 0x1f) % 6);
        p.manufacturedAt = uint40(currentTime - 30 days);
        p.expiresAt = uint32(currentTime + 1 hours + (paramsSeed >> 8) % 60 days);
        p.minTempCentiC = 200;
        p.maxTempCentiC = 800;
        p.dossierHash = keccak256(abi.encode("dossier", body));
        bool holdsRole = _has(actor, MANUFACTURER_BIT);
        bool expected = holdsRole && mode < 6 && !(mode == 7 && ghostLotCount > 0);

        bool ok;
        uint32 returnedId;
        vm.prank(actor);
        try vaccines.registerLot(p) returns (uint32 id) {
            ok = true;
            returnedId = id;
        } catch {}

        if (ok) {
            if (!holdsRole) ++roleViolations;
            uint32 lotId = ++ghostLotCount;
            if (returnedId != lotId) _mismatch(Action.RegisterLot); // ids are sequential from 1
            _lots[lotId] = GhostLot({
                manufacturer: actor,
                doseCount: p.doseCount,
                recorded: 0,
                expiresAt: p.expiresAt,
                quorum: ghostQuorum,
                status: _PENDING,
                released: false
            });
            _gtinOf[lotId] = p.gtin;
            ++registrationsOk;
        }
        _outcome(Action.RegisterLot, expected, ok);
    }

    /// @notice An attester (the release lab, the regulator, the manufacturer holding the attester role) or, for 1/4
    ///         of seeds, a clinic attests a lot (1/8 of lot seeds: an unknown lot).
    function attestLot(uint256 attesterSeed, uint256 lotSeed) external {
        _sync();
        uint256 a = attesterSeed % 4;
        address attester = a == 0 ? releaseLab : a == 1 ? regulator : a == 2 ? _manufacturers[1] : _clinics[0];
        uint32 lotId = _pickLot(lotSeed);
        GhostLot storage lot = _lots[lotId];
        bool holdsRole = _has(attester, LOT_ATTESTER_BIT);
        bool pending = modelState(lotId) == _PENDING;
        bool ownLot = attester == lot.manufacturer;
        bool expected = holdsRole && pending && !ownLot && !_hasAttested[lotId][attester];

        bool ok;
        vm.prank(attester);
        try vaccines.attestLot(lotId) {
            ok = true;
        } catch {}

        if (ok) {
            if (!holdsRole) ++roleViolations;
            if (ownLot) ++manufacturerAttestations;
            _hasAttested[lotId][attester] = true;
            _attesters[lotId].push(attester);
            ++attestationsOk;
            if (_attesters[lotId].length == lot.quorum && lot.status == _PENDING) {
                lot.status = _ACTIVE;
                lot.released = true;
                ++releasesOk;
            }
        } else if (ownLot && holdsRole && pending) {
            ++ownLotAttestationsRefused;
        }
        _outcome(Action.AttestLot, expected, ok);
    }

    /// @notice The regulator (or, for 1/4 of seeds, a clinic) recalls a lot; 1/4 of reason seeds are undocumented.
    function recallLot(uint256 callerSeed, uint256 lotSeed, uint256 reasonSeed) external {
        _sync();
        address caller = callerSeed % 4 == 3 ? _clinics[1] : regulator;
        uint32 lotId = _pickLot(lotSeed);
        uint8 reason = uint8(reasonSeed % 8);
        GhostLot storage lot = _lots[lotId];
        bool holdsRole = _has(caller, REGULATOR_BIT);
        bool expected = holdsRole && reason <= 5 && lot.status != _UNKNOWN && lot.status != _RECALLED;

        bool ok;
        vm.prank(caller);
        try vaccines.recallLot(lotId, reason) {
            ok = true;
        } catch {}

        if (ok) {
            if (!holdsRole) ++roleViolations;
            lot.status = _RECALLED;
            ++recallsOk;
        }
        _outcome(Action.RecallLot, expected, ok);
    }

    /// @notice The regulator (or, for 1/4 of seeds, a manufacturer) quarantines a lot; 1/4 of reason seeds are
    ///         undocumented.
    function quarantineLot(uint256 callerSeed, uint256 lotSeed, uint256 reasonSeed) external {
        _sync();
        address caller = callerSeed % 4 == 3 ? _manufacturers[0] : regulator;
        uint32 lotId = _pickLot(lotSeed);
        uint8 reason = uint8(reasonSeed % 8);
        GhostLot storage lot = _lots[lotId];
        bool holdsRole = _has(caller, REGULATOR_BIT);
        bool expected = holdsRole && reason <= 5 && lot.status != _UNKNOWN && lot.status != _RECALLED
            && lot.status != _NON_CONFORMANT;

        bool ok;
        vm.prank(caller);
        try vaccines.quarantineLot(lotId, reason, keccak256(abi.encode("inspection", reasonSeed))) {
            ok = true;
        } catch {}

        if (ok) {
            if (!holdsRole) ++roleViolations;
            lot.status = _NON_CONFORMANT;
            ++quarantinesOk;
        }
        _outcome(Action.QuarantineLot, expected, ok);
    }

    /// @notice The handler's reporter address (or, for 1/4 of seeds, the outsider) reports a cold-chain excursion.
    function reportColdChainExcursion(uint256 callerSeed, uint256 lotSeed, bytes32 shipmentRef) external {
        _sync();
        address caller = callerSeed % 4 == 3 ? outsider : reporter;
        uint32 lotId = _pickLot(lotSeed);
        GhostLot storage lot = _lots[lotId];
        bool expected = caller == ghostReporter && ghostReporter != address(0) && lot.status != _UNKNOWN;

        bool ok;
        vm.prank(caller);
        try vaccines.reportColdChainExcursion(lotId, shipmentRef) {
            ok = true;
        } catch {}

        if (ok) {
            if (lot.status == _PENDING || lot.status == _ACTIVE) lot.status = _NON_CONFORMANT;
            ++excursionsOk;
        }
        _outcome(Action.ReportExcursion, expected, ok);
    }

    /// @notice The regulator (or, for 1/4 of seeds, a manufacturer) sets the cold-chain reporter to the handler's
    ///         reporter address or (1/4 of seeds) to zero.
    function setColdChainReporter(uint256 callerSeed, uint256 choiceSeed) external {
        _sync();
        address caller = callerSeed % 4 == 3 ? _manufacturers[0] : regulator;
        address next = choiceSeed % 4 == 3 ? address(0) : reporter;
        bool holdsRole = _has(caller, REGULATOR_BIT);

        bool ok;
        vm.prank(caller);
        try vaccines.setColdChainReporter(next) {
            ok = true;
        } catch {}

        if (ok) {
            if (!holdsRole) ++roleViolations;
            ghostReporter = next;
            ++reporterChangesOk;
        }
        _outcome(Action.SetReporter, holdsRole, ok);
    }

    /// @notice The regulator (or, for 1/4 of seeds, a clinic) sets the release quorum: 1-3 for most seeds (`seed
    ///         % 8` < 5), 4-15 (never reachable by the three attesters) for 1/8, 0 or 16-255 (refused) for 1/4.
    function setReleaseQuorum(uint256 callerSeed, uint256 quorumSeed) external {
        _sync();
        address caller = callerSeed % 4 == 3 ? _clinics[0] : regulator;
        uint256 m = quorumSeed % 8;
        uint8 quorum = m < 5
            ? uint8(1 + (m + (quorumSeed >> 8)) % 3)
            : m == 5 ? uint8(4 + (quorumSeed >> 8) % 12) : m == 6 ? 0 : uint8(16 + (quorumSeed >> 8) % 240);
        bool holdsRole = _has(caller, REGULATOR_BIT);
        bool expected = holdsRole && quorum >= 1 && quorum <= 15;

        bool ok;
        vm.prank(caller);
        try vaccines.setReleaseQuorum(quorum) {
            ok = true;
        } catch {}

        if (ok) {
            if (!holdsRole) ++roleViolations;
            ghostQuorum = quorum;
            ++quorumChangesOk;
        }
        _outcome(Action.SetQuorum, expected, ok);
    }

    /// @notice A clinic (or, for 1/5 of seeds, a manufacturer) records a dose of a lot for a citizen. `argsSeed %
    ///         8` = 7 gives an invalid dose number or district.
    function recordDose(uint256 clinicSeed, uint256 lotSeed, uint256 citizenSeed, uint256 argsSeed) external {
        _sync();
        uint256 c = clinicSeed % 5;
        address caller = c < 2 ? _clinics[0] : c < 4 ? _clinics[1] : _manufacturers[0];
        uint32 lotId = _pickLot(lotSeed);
        uint8 citizenIndex = uint8(citizenSeed % CITIZENS);
        (uint8 doseNumber, uint32 district, bool argsValid) = _doseArgs(argsSeed);
        GhostLot storage lot = _lots[lotId];
        uint8 chainBefore = vaccines.lotState(lotId);
        uint8 modelBefore = modelState(lotId);
        bool holdsRole = _has(caller, CLINIC_BIT);
        bool expected = holdsRole && argsValid && modelBefore == _ACTIVE && lot.recorded < lot.doseCount;

        bool ok;
        bytes32 doseId;
        vm.prank(caller);
        try vaccines.recordDose(lotId, _citizens[citizenIndex], doseNumber, district) returns (bytes32 id) {
            ok = true;
            doseId = id;
        } catch {}

        if (ok) {
            if (!holdsRole) ++roleViolations;
            if (chainBefore != _ACTIVE) ++recordsOnUnusableLot;
            ++lot.recorded;
            bytes32 documented = VaccineTestLib.doseIdOf(caller, lotId, lot.recorded);
            _doseIds.push(doseId);
            _doses[doseId] = GhostDose({
                lotId: lotId,
                sequence: lot.recorded,
                citizenIndex: citizenIndex,
                clinic: caller,
                chainStateBefore: chainBefore,
                modelStateBefore: modelBefore,
                confirmed: false,
                verified: false,
                voided: false
            });
            ++recordsOk;
            if (doseId != documented) _mismatch(Action.RecordDose);
        } else if (chainBefore != _ACTIVE && chainBefore != _UNKNOWN) {
            ++recordsRefusedOnUnusableLot;
        }
        _outcome(Action.RecordDose, expected, ok);
    }

    /// @notice The dose's citizen (or, for 1/4 of seeds, another citizen) confirms a recorded dose.
    function confirmDose(uint256 doseSeed, uint256 callerSeed) external {
        if (_doseIds.length == 0) return;
        _sync();
        bytes32 doseId = _pickDose(doseSeed);
        GhostDose storage dose = _doses[doseId];
        address caller = _citizens[callerSeed % 4 == 3 ? (dose.citizenIndex + 1) % CITIZENS : dose.citizenIndex];
        bool expected = caller == _citizens[dose.citizenIndex] && !dose.confirmed && !dose.voided;

        bool ok;
        vm.prank(caller);
        try vaccines.confirmDose(doseId) {
            ok = true;
        } catch {}

        if (ok) {
            dose.confirmed = true;
            ++confirmationsOk;
        }
        _outcome(Action.ConfirmDose, expected, ok);
    }

    /// @notice Someone (the dose's clinic, a stranger or the citizen) relays a signed confirmation. `modeSeed % 6`:
    ///         0-3 valid; 4 signed by another citizen's key; 5 deadline passed.
    function confirmDoseBySig(uint256 doseSeed, uint256 modeSeed, uint256 relayerSeed) external {
        if (_doseIds.length == 0) return;
        _sync();
        bytes32 doseId = _pickDose(doseSeed);
        GhostDose storage dose = _doses[doseId];
        uint256 mode = modeSeed % 6;
        uint256 deadline =
            mode == 5 ? currentTime - 1 - (modeSeed >> 8) % 1 days : currentTime + (modeSeed >> 8) % 1 days;
        uint256 key = _citizenKeys[mode == 4 ? (dose.citizenIndex + 1) % CITIZENS : dose.citizenIndex];
        bytes memory signature = _sign(key, VaccineTestLib.confirmDoseDigest(_domain, doseId, deadline));
        bool expected = mode < 4 && !dose.confirmed && !dose.voided;

        bool ok = _tryConfirmBySig(_relayer(relayerSeed, dose), doseId, deadline, signature);
        if (ok) {
            dose.confirmed = true;
            _store(StoredConfirmation({doseId: doseId, deadline: deadline, signature: signature}));
            ++confirmationsBySigOk;
        }
        _outcome(Action.ConfirmDoseBySig, expected, ok);
    }

    /// @notice Someone re-submits a confirmation signature that was already relayed: it must always be refused.
    function replayConfirmation(uint256 indexSeed, uint256 relayerSeed) external {
        if (_stored.length == 0) return;
        _sync();
        StoredConfirmation memory s = _stored[indexSeed % _stored.length];
        ++replaysAttempted;
        bool ok = _tryConfirmBySig(_relayer(relayerSeed, _doses[s.doseId]), s.doseId, s.deadline, s.signature);
        _outcome(Action.ReplayConfirmation, false, ok);
    }

    /// @notice The regulator (or, for half of seeds, the dose's clinic or citizen, who lack the role) verifies.
    function verifyDose(uint256 doseSeed, uint256 callerSeed) external {
        if (_doseIds.length == 0) return;
        _sync();
        bytes32 doseId = _pickDose(doseSeed);
        GhostDose storage dose = _doses[doseId];
        uint256 c = callerSeed % 4;
        address caller = c < 2 ? regulator : c == 2 ? dose.clinic : _citizens[dose.citizenIndex];
        bool holdsRole = _has(caller, REGULATOR_BIT);
        bool expected = holdsRole && !dose.voided && !dose.verified;

        bool ok;
        vm.prank(caller);
        try vaccines.verifyDose(doseId) {
            ok = true;
        } catch {}

        if (ok) {
            if (!holdsRole) ++roleViolations;
            dose.verified = true;
            ++verificationsOk;
        }
        _outcome(Action.VerifyDose, expected, ok);
    }

    /// @notice The recording clinic (or, for half of seeds, the other clinic or the citizen, who lacks the clinic
    ///         role) voids a dose record; 1/6 of reason seeds are undocumented. Confirmed or verified records stay.
    function voidDose(uint256 doseSeed, uint256 callerSeed, uint256 reasonSeed) external {
        if (_doseIds.length == 0) return;
        _sync();
        bytes32 doseId = _pickDose(doseSeed);
        GhostDose storage dose = _doses[doseId];
        uint256 c = callerSeed % 4;
        address otherClinic = dose.clinic == _clinics[0] ? _clinics[1] : _clinics[0];
        address caller = c < 2 ? dose.clinic : c == 2 ? otherClinic : _citizens[dose.citizenIndex];
        uint8 reason = uint8(reasonSeed % 6);
        bool holdsRole = _has(caller, CLINIC_BIT);
        bool expected =
            holdsRole && reason <= 4 && caller == dose.clinic && !dose.voided && !dose.confirmed && !dose.verified;

        bool ok;
        vm.prank(caller);
        try vaccines.voidDose(doseId, reason) {
            ok = true;
        } catch {}

        if (ok) {
            if (!holdsRole) ++roleViolations;
            dose.voided = true;
            ++voidsOk;
        }
        _outcome(Action.VoidDose, expected, ok);
    }

    /// @notice A verifier checks a citizen's proof of vaccination for a dose. `modeSeed % 5`: 0-1 a valid signature
    ///         of the citizen, valid for up to 5 minutes; 2 signed by another key; 3 no longer valid; 4 valid for
    ///         longer than allowed. The result must be the code the model predicts (5 only for a recalled or
    ///         non-conformant lot: the lot's expiry after the dose does not undo it).
    function checkProof(uint256 doseSeed, uint256 modeSeed, bytes32 challenge) external {
        if (_doseIds.length == 0) return;
        _sync();
        bytes32 doseId = _pickDose(doseSeed);
        GhostDose storage dose = _doses[doseId];
        uint256 mode = modeSeed % 5;
        uint256 spread = (modeSeed >> 8) % 1 days;
        uint256 validUntil =
            mode == 3 ? currentTime - 1 - spread : mode == 4 ? currentTime + 5 minutes + 1 + spread : currentTime + spread % 301;
        address citizen = _citizens[dose.citizenIndex];
        uint256 key = _citizenKeys[mode == 2 ? (dose.citizenIndex + 1) % CITIZENS : dose.citizenIndex];
        bytes memory signature = _sign(key, VaccineTestLib.proofDigest(_domain, citizen, doseId, challenge, validUntil));

        uint8 expected;
        if (mode == 3) expected = 1;
        else if (mode == 4) expected = 2;
        else if (mode == 2) expected = 3;
        else if (!dose.confirmed || dose.voided) expected = 4;
        else if (_lots[dose.lotId].status == _RECALLED || _lots[dose.lotId].status == _NON_CONFORMANT) expected = 5;

        uint8 result = vaccines.checkVaccinationProof(citizen, doseId, challenge, validUntil, signature);
        if (result == 0) {
            ++proofsValid;
            if (dose.voided) ++voidedProofsAccepted;
        } else {
            ++proofsRefused;
        }
        if (result != expected) _mismatch(Action.CheckProof);
    }

    /// @notice Time passes: 1 s to 2 days.
    function warp(uint256 secondsSeed) external {
        currentTime += 1 + (secondsSeed % 2 days);
        _sync();
    }

    /// @notice Time jumps to exactly a lot's expiry, or 1 s before it (if that is in the future).
    function warpToExpiry(uint256 lotSeed, bool oneSecondBefore) external {
        if (ghostLotCount == 0) return;
        GhostLot storage lot = _lots[uint32(1 + lotSeed % ghostLotCount)];
        uint256 target = oneSecondBefore ? uint256(lot.expiresAt) - 1 : lot.expiresAt;
        if (target > currentTime) currentTime = target;
        _sync();
    }

    // ==========================================================================================================
    // Views for the invariants
    // ==========================================================================================================

    /// @notice The model of lot `lotId`.
    function ghostLot(uint32 lotId) external view returns (GhostLot memory) {
        return _lots[lotId];
    }

    /// @notice The distinct attesters the model saw attest lot `lotId`, in order.
    function attestersOf(uint32 lotId) external view returns (address[] memory) {
        return _attesters[lotId];
    }

    /// @notice Number of doses recorded through the handler.
    function doseCount() external view returns (uint256) {
        return _doseIds.length;
    }

    /// @notice The `i`-th dose recorded through the handler.
    function doseIdAt(uint256 i) external view returns (bytes32) {
        return _doseIds[i];
    }

    /// @notice The model of dose `doseId`.
    function ghostDose(bytes32 doseId) external view returns (GhostDose memory) {
        return _doses[doseId];
    }

    /// @notice Citizen `i`.
    function citizenAt(uint256 i) external view returns (address) {
        return _citizens[i];
    }

    /// @notice Manufacturer `i` (1 also holds the lot-attester role).
    function manufacturerAt(uint256 i) external view returns (address) {
        return _manufacturers[i];
    }

    /// @notice Clinic `i`.
    function clinicAt(uint256 i) external view returns (address) {
        return _clinics[i];
    }

    /// @notice Whether the model says `account` holds the role of bit `bit`.
    function ghostHasRole(address account, uint256 bit) external view returns (bool) {
        return _has(account, bit);
    }

    /// @notice The model's state code of lot `lotId` at the model's clock (same order as the registry documents:
    ///         recalled and non-conformant before expired).
    function modelState(uint32 lotId) public view returns (uint8) {
        GhostLot storage lot = _lots[lotId];
        uint8 status = lot.status;
        if (status == _UNKNOWN || status == _RECALLED || status == _NON_CONFORMANT) return status;
        if (currentTime >= lot.expiresAt) return _EXPIRED;
        return status;
    }

    // ==========================================================================================================
    // Internals
    // ==========================================================================================================

    function _sync() private {
        vm.warp(currentTime);
    }

    function _outcome(Action action, bool expected, bool ok) private {
        if (!ok) ++refusals;
        if (expected != ok) _mismatch(action);
    }

    function _mismatch(Action action) private {
        ++mismatches;
        if (firstMismatchAction == 0) firstMismatchAction = uint256(action) + 1;
    }

    function _tryConfirmBySig(address relayer, bytes32 doseId, uint256 deadline, bytes memory signature)
        private
        returns (bool)
    {
        vm.prank(relayer);
        try vaccines.confirmDoseBySig(doseId, deadline, signature) {
            return true;
        } catch {
            return false;
        }
    }

    function _store(StoredConfirmation memory entry) private {
        if (_stored.length < _MAX_STORED) {
            _stored.push(entry);
        } else {
            _stored[_storeCursor] = entry;
            _storeCursor = (_storeCursor + 1) % _MAX_STORED;
        }
    }

    /// @dev Lot: 1/8 of seeds an unknown id (one above the model's count), otherwise lot 1 + (seed >> 3) % count.
    function _pickLot(uint256 seed) private view returns (uint32) {
        if (ghostLotCount == 0 || seed % 8 == 7) return ghostLotCount + 1;
        return uint32(1 + (seed >> 3) % ghostLotCount);
    }

    function _pickDose(uint256 seed) private view returns (bytes32) {
        return _doseIds[seed % _doseIds.length];
    }

    /// @dev Dose number 1-3 and a Shanghai district; for `seed % 8 == 7` a dose number of 0 or 11, or a district
    ///      of five digits.
    function _doseArgs(uint256 seed) private pure returns (uint8 doseNumber, uint32 district, bool valid) {
        doseNumber = uint8(1 + (seed >> 3) % 3);
        district = uint32(310_101 + (seed >> 8) % 20);
        valid = seed % 8 != 7;
        if (!valid) {
            uint256 which = (seed >> 3) % 3;
            if (which == 0) doseNumber = 0;
            else if (which == 1) doseNumber = 11;
            else district = 99_999;
        }
    }

    function _relayer(uint256 seed, GhostDose storage dose) private view returns (address) {
        uint256 r = seed % 3;
        if (r == 0) return dose.clinic;
        if (r == 1) return _citizens[dose.citizenIndex];
        return address(uint160(uint256(keccak256(abi.encode("relayer", seed % 7)))));
    }

    function _sign(uint256 key, bytes32 digest) private pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _has(address account, uint256 bit) private view returns (bool) {
        return ghostRoles[account] & (1 << bit) != 0;
    }
}
