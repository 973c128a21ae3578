// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IHealthTraceAuthority} from "../../../contracts/interfaces/IHealthTraceAuthority.sol";
import {IProvenanceRegistry} from "../../../contracts/interfaces/IProvenanceRegistry.sol";
import {IVaccineRegistry} from "../../../contracts/interfaces/IVaccineRegistry.sol";
import {ProvenanceTestLib, StorageAccessCheats} from "../utils/ProvenanceFixture.sol";
import {TestBase} from "../utils/TestBase.sol";
import {Vm} from "../utils/Vm.sol";

/// @title ProvenanceHandler
/// @notice The invariant fuzzer's only target for the ProvenanceRegistry. Each action turns raw seeds into a call
///         by one of a small supply chain (a manufacturer, two carriers, a warehouse, a hospital) or an unaccredited
///         outsider — create a shipment, record a step (plain, in-range or out-of-range reading, random disposition,
///         or malformed), record a batch, propose (final or not), accept or reject a hand-over, report a scan,
///         suspend or restore an organisation, let time pass — predicts its outcome from a ghost model kept here,
///         performs it with try/catch (the handler never reverts) and records:
///         - the model: per shipment holder, pending hand-over, delivery, cold-chain rule, non-conformance,
///           excursion; organisation status; vaccine lot status;
///         - the history as sent: every step of every successful recordStep(s) call, with the recorder and the
///           holder read from the chain just before the call (`records`);
///         - the history as announced: every `CustodyStepRecorded` log the registry emitted during any action (or
///           between actions), folded into a per-shipment count and hash chain (`eventCount`, `eventChain`);
///         - violation counters that must stay 0 (`mismatches`, `nonHolderStepSuccesses`, `recorderNotHolder`,
///           `stepsOutsideStepCalls`, `eventMismatches`, `finalityViolations`, `scanWrites`, …).
/// @dev Seeds of 0 give a valid call by the holder / pending receiver, so deterministic tests can drive every
///      success path. Time is kept in `currentTime` and re-applied with `vm.warp` at the start of every action.
contract ProvenanceHandler is TestBase {
    /// @notice The deployment and the cast the handler acts with.
    /// @param orgs Manufacturer, carrier 1, carrier 2, warehouse, hospital: accredited, active, each owning the
    ///        location of the same index in `glns`.
    /// @param lots The manufacturer's vaccine lots: pending release, released, recalled.
    struct Cast {
        IHealthTraceAuthority authority;
        IVaccineRegistry vaccines;
        IProvenanceRegistry registry;
        address regulator;
        address outsider;
        address[5] orgs;
        uint64[5] glns;
        uint32[3] lots;
        uint64 gtin;
    }

    /// @notice The model of one shipment.
    struct GhostShipment {
        address holder;
        address pendingReceiver;
        bool pendingFinal;
        bool delivered;
        address finalHolder;
        bool coldChain;
        int16 minTemp;
        int16 maxTemp;
        uint32 lotId;
        bool nonConformant;
        bool excursion;
    }

    /// @notice The GS1 identity of a shipment, as created.
    struct Identity {
        uint64 gtin;
        string lotNumber;
        string serial;
    }

    /// @notice One step of a successful recordStep(s) call, as the handler sent it.
    /// @param recorder The caller.
    /// @param holderBefore The shipment's holder read from the registry just before the call.
    /// @param step The step word sent.
    struct StepRecord {
        address recorder;
        address holderBefore;
        bytes32 step;
    }

    /// @notice Action codes (value = code + 1 in `firstMismatchAction`; 0 = none).
    enum Action {
        Create,
        Step,
        Batch,
        Propose,
        Accept,
        Reject,
        Scan,
        Suspend,
        Restore,
        Warp,
        Between
    }

    /// @notice Supply-chain organisations, actors (the organisations and the outsider), caps.
    uint256 public constant ORGS = 5;
    uint256 public constant ACTORS = 6;
    uint256 public constant MAX_SHIPMENTS = 24;
    uint256 public constant MAX_BATCH = 6;

    uint8 private constant _LOT_PENDING = 1;
    uint8 private constant _LOT_ACTIVE = 2;
    uint8 private constant _LOT_RECALLED = 3;
    uint8 private constant _LOT_NON_CONFORMANT = 5;
    uint8 private constant _MAX_REASON = 5;
    bytes32 private constant _STEP_TOPIC = keccak256("CustodyStepRecorded(bytes32,address,bytes32)");
    bytes32 private constant _EXCURSION_TOPIC = keccak256("ColdChainExcursion(bytes32,uint32,int16)");
    bytes32 private constant _REPORT_FAILED_TOPIC = keccak256("VaccineLotReportFailed(bytes32,uint32)");

    IHealthTraceAuthority public immutable authority;
    IVaccineRegistry public immutable vaccines;
    IProvenanceRegistry public immutable registry;
    address public immutable regulator;
    address public immutable outsider;
    uint64 public immutable gtin;
    /// @notice A GLN nobody registered.
    uint64 public immutable unregisteredGln;

    address[5] private _orgs;
    uint64[5] private _glns;
    uint32[3] private _lots;

    /// @notice The model's clock; every action starts by warping to it.
    uint256 public currentTime;

    bytes32[] private _ids;
    mapping(bytes32 id => GhostShipment) private _ghost;
    mapping(bytes32 id => Identity) private _identity;
    mapping(bytes32 id => StepRecord[]) private _records;
    /// @notice Hash chain of the steps the registry announced, per shipment: h = keccak256(h, recorder, step).
    mapping(bytes32 id => bytes32) public eventChain;
    /// @notice Steps the registry announced, per shipment.
    mapping(bytes32 id => uint256) public eventCount;
    /// @notice Model of organisation status: 0 unknown, 1 active, 2 suspended.
    mapping(address account => uint8) public ghostStatus;
    /// @notice Model of the stored status of the manufacturer's lots.
    mapping(uint32 lotId => uint8) public ghostLotStatus;
    /// @notice Model of location owners.
    mapping(uint64 gln => address) public ghostSiteOwner;
    uint256 private _serials;

    /// @notice Success counters, per action.
    uint256 public createsOk;
    uint256 public stepCallsOk;
    uint256 public batchesOk;
    uint256 public proposalsOk;
    uint256 public finalProposalsOk;
    uint256 public acceptsOk;
    uint256 public finalAcceptsOk;
    uint256 public rejectsOk;
    uint256 public scansReported;
    uint256 public genuineScansRefused;
    uint256 public suspensionsOk;
    uint256 public restoresOk;
    uint256 public warps;
    /// @notice Calls the registry refused (as the model predicted, or `mismatches` grows).
    uint256 public refusals;

    /// @notice Steps in successful recordStep(s) calls (the handler's own count).
    uint256 public successfulSteps;
    /// @notice Successful out-of-range readings on cold-chain shipments, per the model.
    uint256 public excursionsRecorded;
    /// @notice `CustodyStepRecorded` logs the registry emitted.
    uint256 public eventSteps;
    /// @notice `ColdChainExcursion` logs the registry emitted.
    uint256 public excursionEventsSeen;
    /// @notice Announced steps whose recorder was checked against the holder read just before the call.
    uint256 public recordersChecked;
    /// @notice recordStep(s) calls that included a shipment the caller did not hold (per the chain).
    uint256 public nonHolderStepAttempts;

    /// @notice Violations: all must stay 0.
    uint256 public nonHolderStepSuccesses;
    uint256 public recorderNotHolder;
    uint256 public stepsOutsideStepCalls;
    uint256 public eventMismatches;
    uint256 public finalityViolations;
    uint256 public reportFailures;
    uint256 public scanWrites;
    uint256 public scanMismatches;
    uint256 public mismatches;
    uint256 public firstMismatchAction;

    /// @param cast The deployment and the cast, set up as `Cast` documents.
    constructor(Cast memory cast) {
        authority = cast.authority;
        vaccines = cast.vaccines;
        registry = cast.registry;
        regulator = cast.regulator;
        outsider = cast.outsider;
        gtin = cast.gtin;
        unregisteredGln = ProvenanceTestLib.glnOf(699_999_000_009);
        for (uint256 i = 0; i < ORGS; ++i) {
            _orgs[i] = cast.orgs[i];
            _glns[i] = cast.glns[i];
            ghostStatus[cast.orgs[i]] = 1;
            ghostSiteOwner[cast.glns[i]] = cast.orgs[i];
        }
        _lots = cast.lots;
        ghostLotStatus[cast.lots[0]] = _LOT_PENDING;
        ghostLotStatus[cast.lots[1]] = _LOT_ACTIVE;
        ghostLotStatus[cast.lots[2]] = _LOT_RECALLED;
        currentTime = block.timestamp;
    }

    // ==========================================================================================================
    // Actions (the invariant fuzzer's targets)
    // ==========================================================================================================

    /// @notice The manufacturer (7/8 of seeds; otherwise any actor) creates a shipment. `paramSeed`: bits 8-11 =
    ///         15 gives a zero quantity (refused); bits 32-33 the lot (none, pending, released, recalled); bits
    ///         40-41 non-zero = cold chain; bits 48-63 and 64-79 the range (min -25.00…9.99 °C, span 0.01…30 °C).
    function createShipment(uint256 callerSeed, uint256 paramSeed) external {
        if (_ids.length >= MAX_SHIPMENTS) return;
        _begin();
        address caller = callerSeed % 8 == 7 ? _actor(callerSeed >> 3) : _orgs[0];
        IProvenanceRegistry.ShipmentParams memory p = _shipmentParams(paramSeed);
        bytes32 id = ProvenanceTestLib.shipmentId(p.gtin, p.lotNumber, p.serial);
        bool expected = caller == _orgs[0] && ghostStatus[caller] == 1 && p.quantity != 0;

        bool ok;
        vm.prank(caller);
        try registry.createShipment(p) returns (bytes32 returned) {
            ok = true;
            if (returned != id) ++eventMismatches;
        } catch {}

        if (ok) {
            _ids.push(id);
            _identity[id] = Identity({gtin: p.gtin, lotNumber: p.lotNumber, serial: p.serial});
            GhostShipment storage g = _ghost[id];
            g.holder = caller;
            g.coldChain = p.coldChain;
            g.minTemp = p.coldChain ? p.minTempCentiC : int16(0);
            g.maxTemp = p.coldChain ? p.maxTempCentiC : int16(0);
            g.lotId = p.vaccineLotId;
            ++createsOk;
        }
        _end(Action.Create, ok, _noSteps());
        _outcome(Action.Create, expected, ok);
    }

    /// @notice The holder (3/4 of seeds; otherwise any actor) records one step. `stepSeed` bits 40-43 choose the
    ///         kind: 0-5 plain, 6-10 an in-range reading, 11-12 an out-of-range reading, 13-15 malformed.
    function recordStep(uint256 actorSeed, uint256 shipmentSeed, uint256 stepSeed) external {
        if (_ids.length == 0) return;
        _begin();
        bytes32 id = _pick(shipmentSeed);
        address actor = actorSeed % 4 != 3 ? _ghost[id].holder : _actor(actorSeed >> 2);
        StepBatch memory batch = _newBatch(1);
        batch.ids[0] = id;
        batch.words[0] = _stepWord(stepSeed, _ghost[id]);
        batch.holdersBefore[0] = registry.shipmentOf(id).holder;
        batch.actor = actor;
        bool expected = _batchValid(batch);
        bool nonHolder = actor != batch.holdersBefore[0];
        if (nonHolder) ++nonHolderStepAttempts;

        bool ok;
        vm.prank(actor);
        try registry.recordStep(id, batch.words[0]) {
            ok = true;
        } catch {}

        if (ok) {
            if (nonHolder) ++nonHolderStepSuccesses;
            ++stepCallsOk;
            _applySteps(batch);
        }
        _end(Action.Step, ok, batch);
        _outcome(Action.Step, expected, ok);
    }

    /// @notice An actor (the holder of a random shipment for 3/4 of seeds) records a batch of 1-6 steps. For
    ///         `stepSeed % 4 == 0` the batch is clean (only shipments the actor holds, only well-formed steps);
    ///         otherwise an entry may be another's shipment (1/8) or malformed (3/16).
    function recordSteps(uint256 actorSeed, uint256 countSeed, uint256 stepSeed) external {
        if (_ids.length == 0) return;
        _begin();
        address actor = actorSeed % 4 != 3 ? _ghost[_pick(actorSeed >> 2)].holder : _actor(actorSeed >> 2);
        StepBatch memory batch = _newBatch(1 + countSeed % MAX_BATCH);
        batch.actor = actor;
        bytes32[] memory held = _heldBy(actor);
        bool clean = stepSeed % 4 == 0;
        bool nonHolder;
        IProvenanceRegistry.StepInput[] memory steps = new IProvenanceRegistry.StepInput[](batch.ids.length);
        for (uint256 i = 0; i < steps.length; ++i) {
            uint256 s = uint256(keccak256(abi.encode(stepSeed, i)));
            bytes32 id = held.length > 0 && (clean || s % 8 != 7) ? held[(s >> 3) % held.length] : _pick(s >> 3);
            uint256 wordSeed = s >> 16;
            if (clean) wordSeed = (wordSeed & ~(uint256(0xf) << 40)) | (((wordSeed >> 40) % 13) << 40);
            batch.ids[i] = id;
            batch.words[i] = _stepWord(wordSeed, _ghost[id]);
            batch.holdersBefore[i] = registry.shipmentOf(id).holder;
            if (batch.holdersBefore[i] != actor) nonHolder = true;
            steps[i] = IProvenanceRegistry.StepInput({shipmentId: id, step: batch.words[i]});
        }
        bool expected = _batchValid(batch);
        if (nonHolder) ++nonHolderStepAttempts;

        bool ok;
        vm.prank(actor);
        try registry.recordSteps(steps) {
            ok = true;
        } catch {}

        if (ok) {
            if (nonHolder) ++nonHolderStepSuccesses;
            ++batchesOk;
            _applySteps(batch);
        }
        _end(Action.Batch, ok, batch);
        _outcome(Action.Batch, expected, ok);
    }

    /// @notice The holder (3/4 of seeds; otherwise any actor) of a shipment — one not yet delivered (if any), or
    ///         any one for `(finalSeed >> 8) % 4 == 3` — proposes a hand-over to any actor (possibly itself, a
    ///         suspended organisation or the outsider); final for `finalSeed % 3 == 0`.
    function proposeHandover(uint256 actorSeed, uint256 shipmentSeed, uint256 receiverSeed, uint256 finalSeed)
        external
    {
        if (_ids.length == 0) return;
        _begin();
        bytes32 id = (finalSeed >> 8) % 4 == 3 ? _pick(shipmentSeed) : _pickWhere(shipmentSeed, false);
        GhostShipment storage g = _ghost[id];
        address actor = actorSeed % 4 != 3 ? g.holder : _actor(actorSeed >> 2);
        address receiver = _actor(receiverSeed);
        bool isFinal = finalSeed % 3 == 0;
        bool expected = ghostStatus[actor] == 1 && actor == g.holder && !g.delivered && receiver != actor
            && ghostStatus[receiver] == 1;
        IProvenanceRegistry.ShipmentView memory before = registry.shipmentOf(id);

        bool ok;
        vm.prank(actor);
        try registry.proposeHandover(id, receiver, isFinal) {
            ok = true;
        } catch {}

        if (ok) {
            if (g.delivered) ++finalityViolations;
            g.pendingReceiver = receiver;
            g.pendingFinal = isFinal;
            ++proposalsOk;
            if (isFinal) ++finalProposalsOk;
        }
        _checkFinality(id, before);
        _end(Action.Propose, ok, _noSteps());
        _outcome(Action.Propose, expected, ok);
    }

    /// @notice For 3/4 of seeds, the pending receiver of a shipment with a pending hand-over (if any) accepts it;
    ///         otherwise any actor tries to accept any shipment.
    function acceptHandover(uint256 actorSeed, uint256 shipmentSeed) external {
        if (_ids.length == 0) return;
        _begin();
        bool anyone = actorSeed % 4 == 3;
        bytes32 id = anyone ? _pick(shipmentSeed) : _pickWhere(shipmentSeed, true);
        GhostShipment storage g = _ghost[id];
        address actor = !anyone && g.pendingReceiver != address(0) ? g.pendingReceiver : _actor(actorSeed >> 2);
        bool expected = g.pendingReceiver != address(0) && actor == g.pendingReceiver && ghostStatus[actor] == 1;
        IProvenanceRegistry.ShipmentView memory before = registry.shipmentOf(id);

        bool ok;
        vm.prank(actor);
        try registry.acceptHandover(id) {
            ok = true;
        } catch {}

        if (ok) {
            if (g.delivered) ++finalityViolations;
            g.holder = actor;
            if (g.pendingFinal) {
                g.delivered = true;
                g.finalHolder = actor;
                ++finalAcceptsOk;
            }
            g.pendingReceiver = address(0);
            g.pendingFinal = false;
            ++acceptsOk;
        }
        _checkFinality(id, before);
        _end(Action.Accept, ok, _noSteps());
        _outcome(Action.Accept, expected, ok);
    }

    /// @notice The pending receiver (as for `acceptHandover`) rejects with reason `reasonSeed % 8` (6 and 7 are
    ///         not documented: refused).
    function rejectHandover(uint256 actorSeed, uint256 shipmentSeed, uint256 reasonSeed) external {
        if (_ids.length == 0) return;
        _begin();
        bool anyone = actorSeed % 4 == 3;
        bytes32 id = anyone ? _pick(shipmentSeed) : _pickWhere(shipmentSeed, true);
        GhostShipment storage g = _ghost[id];
        address actor = !anyone && g.pendingReceiver != address(0) ? g.pendingReceiver : _actor(actorSeed >> 2);
        uint8 reason = uint8(reasonSeed % 8);
        bool expected = reason <= _MAX_REASON && g.pendingReceiver != address(0) && actor == g.pendingReceiver;
        IProvenanceRegistry.ShipmentView memory before = registry.shipmentOf(id);

        bool ok;
        vm.prank(actor);
        try registry.rejectHandover(id, reason) {
            ok = true;
        } catch {}

        if (ok) {
            g.pendingReceiver = address(0);
            g.pendingFinal = false;
            ++rejectsOk;
        }
        _checkFinality(id, before);
        _end(Action.Reject, ok, _noSteps());
        _outcome(Action.Reject, expected, ok);
    }

    /// @notice Anyone reports a scan of an issued identity (3/4 of seeds) or a forged one at an organisation's
    ///         location, an unregistered one or GLN 0. The report must revert iff the modelled verdict is genuine,
    ///         `checkScan` must give that verdict, and the report must write no storage.
    function reportSuspectScan(uint256 shipmentSeed, uint256 identitySeed, uint256 glnSeed, uint256 reporterSeed)
        external
    {
        _begin();
        (Identity memory scanned, bytes32 id, bool issued) = _scannedIdentity(shipmentSeed, identitySeed);
        uint256 g7 = glnSeed % 7;
        uint64 gln = g7 < ORGS ? _glns[g7] : g7 == ORGS ? unregisteredGln : 0;
        uint8 verdict = _modelVerdict(id, issued, ghostSiteOwner[gln]);
        (uint8 onChain, bytes32 scannedId) = registry.checkScan(scanned.gtin, scanned.lotNumber, scanned.serial, gln);
        if (onChain != verdict || scannedId != id) ++scanMismatches;
        address reporter = address(uint160(uint256(keccak256(abi.encode("reporter", reporterSeed % 4)))));

        bool ok;
        StorageAccessCheats(address(vm)).record();
        vm.prank(reporter);
        try registry.reportSuspectScan(scanned.gtin, scanned.lotNumber, scanned.serial, gln) {
            ok = true;
        } catch {}
        (, bytes32[] memory writes) = StorageAccessCheats(address(vm)).accesses(address(registry));

        if (writes.length != 0) ++scanWrites;
        if (ok) ++scansReported;
        else if (verdict == 0) ++genuineScansRefused;
        _end(Action.Scan, ok, _noSteps());
        _outcome(Action.Scan, verdict != 0, ok);
    }

    /// @notice The regulator suspends one of the five organisations.
    function suspend(uint256 orgSeed) external {
        _begin();
        address org = _orgs[orgSeed % ORGS];
        bool expected = ghostStatus[org] == 1;
        bool ok;
        vm.prank(regulator);
        try authority.suspend(org) {
            ok = true;
        } catch {}
        if (ok) {
            ghostStatus[org] = 2;
            ++suspensionsOk;
        }
        _end(Action.Suspend, ok, _noSteps());
        _outcome(Action.Suspend, expected, ok);
    }

    /// @notice The regulator restores one of the five organisations.
    function restore(uint256 orgSeed) external {
        _begin();
        address org = _orgs[orgSeed % ORGS];
        bool expected = ghostStatus[org] == 2;
        bool ok;
        vm.prank(regulator);
        try authority.restore(org) {
            ok = true;
        } catch {}
        if (ok) {
            ghostStatus[org] = 1;
            ++restoresOk;
        }
        _end(Action.Restore, ok, _noSteps());
        _outcome(Action.Restore, expected, ok);
    }

    /// @notice Time passes: 1 s to 1 day.
    function warp(uint256 secondsSeed) external {
        _begin();
        currentTime += 1 + (secondsSeed % 1 days);
        vm.warp(currentTime);
        ++warps;
        _end(Action.Warp, true, _noSteps());
    }

    // ==========================================================================================================
    // Views for the invariants
    // ==========================================================================================================

    /// @notice Number of shipments created.
    function shipmentCount() external view returns (uint256) {
        return _ids.length;
    }

    /// @notice The id of shipment `i`.
    function shipmentAt(uint256 i) external view returns (bytes32) {
        return _ids[i];
    }

    /// @notice The model of a shipment.
    function ghostShipment(bytes32 id) external view returns (GhostShipment memory) {
        return _ghost[id];
    }

    /// @notice The steps of successful recordStep(s) calls on `id`, as sent, in order.
    function records(bytes32 id) external view returns (StepRecord[] memory) {
        return _records[id];
    }

    /// @notice Organisation `i` (0 manufacturer, 1-2 carriers, 3 warehouse, 4 hospital).
    function orgAt(uint256 i) external view returns (address) {
        return _orgs[i];
    }

    /// @notice Location of organisation `i`.
    function glnAt(uint256 i) external view returns (uint64) {
        return _glns[i];
    }

    /// @notice Lot `i` (0 pending, 1 released, 2 recalled).
    function lotAt(uint256 i) external view returns (uint32) {
        return _lots[i];
    }

    // ==========================================================================================================
    // Internals
    // ==========================================================================================================

    /// @dev The steps of one recordStep(s) call: shipments, words, holders read before the call, caller.
    struct StepBatch {
        bytes32[] ids;
        bytes32[] words;
        address[] holdersBefore;
        address actor;
    }

    function _newBatch(uint256 n) private pure returns (StepBatch memory b) {
        b.ids = new bytes32[](n);
        b.words = new bytes32[](n);
        b.holdersBefore = new address[](n);
    }

    function _noSteps() private pure returns (StepBatch memory) {
        return _newBatch(0);
    }

    /// @dev Start an action: re-apply the clock, absorb anything the registry announced since the last action
    ///      (nothing, unless something outside the handler called it), and record this action's logs.
    function _begin() private {
        vm.warp(currentTime);
        _scanLogs(vm.getRecordedLogs(), Action.Between, true, _noSteps());
        vm.recordLogs();
    }

    /// @dev End an action whose call succeeded (`ok`) or was refused: fold its logs into the announced history
    ///      and check them. The log recorder also captures logs of reverted frames, which never reach the chain:
    ///      the logs of a refused call are dropped.
    function _end(Action action, bool ok, StepBatch memory batch) private {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        if (ok) _scanLogs(logs, action, true, batch);
    }

    /// @dev Every custody step the registry announced is folded into the per-shipment count and hash chain. In a
    ///      successful recordStep(s) call, the announcements must be exactly the steps sent, in order, by the
    ///      caller, and each recorder must be the holder read just before the call; in any other successful call
    ///      or between actions, any announcement is a step outside the step functions.
    function _scanLogs(Vm.Log[] memory logs, Action action, bool callOk, StepBatch memory batch) private {
        bool stepCallOk = callOk && (action == Action.Step || action == Action.Batch);
        uint256 k;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter != address(registry) || logs[i].topics.length == 0) continue;
            bytes32 topic = logs[i].topics[0];
            if (topic == _EXCURSION_TOPIC) {
                ++excursionEventsSeen;
            } else if (topic == _REPORT_FAILED_TOPIC) {
                ++reportFailures;
            } else if (topic == _STEP_TOPIC) {
                bytes32 id = logs[i].topics[1];
                address recorder = address(uint160(uint256(logs[i].topics[2])));
                bytes32 step = abi.decode(logs[i].data, (bytes32));
                eventChain[id] = keccak256(abi.encode(eventChain[id], recorder, step));
                ++eventCount[id];
                ++eventSteps;
                if (!stepCallOk) {
                    ++stepsOutsideStepCalls;
                } else if (
                    k >= batch.ids.length || batch.ids[k] != id || batch.words[k] != step || recorder != batch.actor
                ) {
                    ++eventMismatches;
                } else {
                    if (recorder != batch.holdersBefore[k]) ++recorderNotHolder;
                    ++recordersChecked;
                }
                ++k;
            }
        }
        if (stepCallOk && k != batch.ids.length) ++eventMismatches;
    }

    /// @dev Whether the model predicts the batch is accepted: active caller, holder of every shipment, every
    ///      step well-formed now.
    function _batchValid(StepBatch memory batch) private view returns (bool valid) {
        valid = ghostStatus[batch.actor] == 1;
        for (uint256 i = 0; i < batch.ids.length; ++i) {
            valid = valid && _ghost[batch.ids[i]].holder == batch.actor
                && ProvenanceTestLib.isWellFormed(batch.words[i], currentTime);
        }
    }

    /// @dev Record the steps of an accepted call as sent and apply the model's effects in order: an out-of-range
    ///      reading on a cold-chain shipment is an excursion (shipment non-conformant; a pending or released lot
    ///      becomes non-conformant, a recalled one stays recalled); a non_conformant disposition flags the shipment.
    function _applySteps(StepBatch memory batch) private {
        for (uint256 i = 0; i < batch.ids.length; ++i) {
            bytes32 id = batch.ids[i];
            bytes32 word = batch.words[i];
            GhostShipment storage g = _ghost[id];
            _records[id].push(StepRecord({recorder: batch.actor, holderBefore: batch.holdersBefore[i], step: word}));
            ++successfulSteps;
            if (batch.actor != g.holder) ++recorderNotHolder;
            if (ProvenanceTestLib.isExcursion(word, g.coldChain, g.minTemp, g.maxTemp)) {
                g.excursion = true;
                g.nonConformant = true;
                ++excursionsRecorded;
                uint8 status = ghostLotStatus[g.lotId];
                if (g.lotId != 0 && (status == _LOT_PENDING || status == _LOT_ACTIVE)) {
                    ghostLotStatus[g.lotId] = _LOT_NON_CONFORMANT;
                }
            }
            if (ProvenanceTestLib.dispositionOf(word) == ProvenanceTestLib.NON_CONFORMANT) g.nonConformant = true;
        }
    }

    /// @dev A delivered shipment's holder and delivered flag must not change in any action.
    function _checkFinality(bytes32 id, IProvenanceRegistry.ShipmentView memory before) private {
        if (!before.delivered) return;
        IProvenanceRegistry.ShipmentView memory afterwards = registry.shipmentOf(id);
        if (!afterwards.delivered || afterwards.holder != before.holder) ++finalityViolations;
    }

    function _outcome(Action action, bool expected, bool ok) private {
        if (!ok) ++refusals;
        if (expected != ok) {
            ++mismatches;
            if (firstMismatchAction == 0) firstMismatchAction = uint256(action) + 1;
        }
    }

    /// @dev A step word: bizStep from bits 0-7, disposition from bits 8-11 (15: non_conformant, otherwise one of the
    ///      other eleven), readPoint one of the cast's locations (bits 16-23), event time up to 1 h ago (bits 24-39),
    ///      kind from bits 40-43 (see `recordStep`), reading and malformation from bits 48 up.
    function _stepWord(uint256 seed, GhostShipment storage g) private view returns (bytes32) {
        uint256 kind = (seed >> 40) % 16;
        int16 temp = 500;
        if (kind < 6) temp = 0;
        else if (kind < 11) temp = _inRange(seed >> 48, g);
        else if (kind < 13) temp = _outOfRange(seed >> 48, g);
        bytes32 word = _packStep(seed, kind >= 6, temp);
        return kind < 13 ? word : _malformed(word, seed >> 48);
    }

    function _packStep(uint256 seed, bool hasTemp, int16 temp) private view returns (bytes32) {
        uint256 d = (seed >> 8) % 16;
        uint8 disp = d == 15 ? ProvenanceTestLib.NON_CONFORMANT : uint8(d % 11 < 3 ? d % 11 : d % 11 + 1);
        uint40 t = uint40(currentTime - (seed >> 24) % 1 hours);
        return ProvenanceTestLib.step(uint8(seed % 17), disp, _glns[(seed >> 16) % ORGS], t, hasTemp, temp);
    }

    function _inRange(uint256 r, GhostShipment storage g) private view returns (int16) {
        if (!g.coldChain) return int16(uint16(r));
        uint256 span = uint256(int256(g.maxTemp) - int256(g.minTemp));
        return int16(int256(g.minTemp) + int256(r % (span + 1)));
    }

    function _outOfRange(uint256 r, GhostShipment storage g) private view returns (int16) {
        if (!g.coldChain) return int16(uint16(r));
        int256 delta = 1 + int256((r >> 1) % 500);
        return r % 2 == 0 ? int16(int256(g.minTemp) - delta) : int16(int256(g.maxTemp) + delta);
    }

    /// @dev Break one documented rule of a well-formed word carrying a reading.
    function _malformed(bytes32 word, uint256 r) private view returns (bytes32) {
        uint256 w = uint256(word);
        uint256 which = r % 9;
        uint256 v = r >> 8;
        if (which == 0) return bytes32(_setField(w, 248, 8, 17 + v % 239)); // bizStep > 16
        if (which == 1) return bytes32(_setField(w, 240, 8, 12 + v % 244)); // disposition > 11
        if (which == 2) return bytes32(_setField(w, 176, 64, 0)); // GLN 0
        if (which == 3) return bytes32(_setField(w, 176, 64, uint256(ProvenanceTestLib.MAX_GLN) + 1 + v % 1e15));
        if (which == 4) return bytes32(_setField(w, 136, 40, 0)); // time 0
        if (which == 5) return bytes32(_setField(w, 136, 40, currentTime + 1 + v % 1 days)); // future
        if (which == 6) return bytes32(_setField(w, 112, 8, 2 + v % 254)); // flag > 1
        if (which == 7) return bytes32(w | (uint256(1) << (v % 112))); // a reserved bit
        return bytes32(_setField(w, 112, 8, 0)); // temperature bits without the flag
    }

    function _setField(uint256 w, uint256 shift, uint256 width, uint256 value) private pure returns (uint256) {
        uint256 mask = ((uint256(1) << width) - 1) << shift;
        return (w & ~mask) | ((value << shift) & mask);
    }

    function _shipmentParams(uint256 seed) private returns (IProvenanceRegistry.ShipmentParams memory p) {
        uint256 lotChoice = (seed >> 32) % 4;
        p.gtin = gtin;
        p.lotNumber = string.concat("L", ProvenanceTestLib.toString(lotChoice));
        p.serial = string.concat("S", ProvenanceTestLib.toString(++_serials));
        p.origin = _glns[0];
        p.quantity = (seed >> 8) % 16 == 15 ? 0 : uint32(1 + (seed >> 12) % 10_000);
        p.vaccineLotId = lotChoice == 0 ? 0 : _lots[lotChoice - 1];
        p.coldChain = (seed >> 40) % 4 != 0;
        p.minTempCentiC = int16(-2500 + int256(((seed >> 48) & 0xffff) % 3500));
        p.maxTempCentiC = int16(int256(p.minTempCentiC) + 1 + int256(((seed >> 64) & 0xffff) % 3000));
    }

    /// @dev An issued identity (3/4 of seeds, if any) or a forged one (a serial the handler never issues).
    function _scannedIdentity(uint256 shipmentSeed, uint256 identitySeed)
        private
        view
        returns (Identity memory scanned, bytes32 id, bool issued)
    {
        if (_ids.length > 0 && identitySeed % 4 != 3) {
            id = _pick(shipmentSeed);
            return (_identity[id], id, true);
        }
        scanned = Identity({
            gtin: gtin,
            lotNumber: "L1",
            serial: string.concat("FAKE-", ProvenanceTestLib.toString(identitySeed % 1000))
        });
        id = ProvenanceTestLib.shipmentId(scanned.gtin, scanned.lotNumber, scanned.serial);
    }

    /// @dev The documented verdict: 1 never issued; delivered: genuine only at the final holder's location, else
    ///      2; otherwise genuine at the holder's or the pending receiver's location, else 3.
    function _modelVerdict(bytes32 id, bool issued, address site) private view returns (uint8) {
        if (!issued) return 1;
        GhostShipment storage g = _ghost[id];
        if (g.delivered) return site == g.holder && site != address(0) ? 0 : 2;
        return site != address(0) && (site == g.holder || site == g.pendingReceiver) ? 0 : 3;
    }

    function _pick(uint256 seed) private view returns (bytes32) {
        return _ids[seed % _ids.length];
    }

    /// @dev From `seed` on, the first shipment with a pending hand-over (`pending`) or not yet delivered (not
    ///      `pending`); if none, the one at `seed`.
    function _pickWhere(uint256 seed, bool pending) private view returns (bytes32) {
        uint256 n = _ids.length;
        for (uint256 j = 0; j < n; ++j) {
            bytes32 id = _ids[(seed + j) % n];
            GhostShipment storage g = _ghost[id];
            if (pending ? g.pendingReceiver != address(0) : !g.delivered) return id;
        }
        return _ids[seed % n];
    }

    function _heldBy(address actor) private view returns (bytes32[] memory held) {
        uint256 n;
        held = new bytes32[](_ids.length);
        for (uint256 i = 0; i < _ids.length; ++i) {
            if (_ghost[_ids[i]].holder == actor) held[n++] = _ids[i];
        }
        assembly ("memory-safe") {
            mstore(held, n)
        }
    }

    /// @dev Actor `i`: the five organisations, then the outsider.
    function _actor(uint256 seed) private view returns (address) {
        uint256 i = seed % ACTORS;
        return i < ORGS ? _orgs[i] : outsider;
    }
}
