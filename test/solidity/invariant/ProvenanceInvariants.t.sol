// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IHealthTraceAuthority} from "../../../contracts/interfaces/IHealthTraceAuthority.sol";
import {IProvenanceRegistry} from "../../../contracts/interfaces/IProvenanceRegistry.sol";
import {IVaccineRegistry} from "../../../contracts/interfaces/IVaccineRegistry.sol";
import {ProvenanceFixture, ProvenanceTestLib} from "../utils/ProvenanceFixture.sol";
import {ProvenanceHandler} from "./ProvenanceHandler.sol";

/// @title ProvenanceInvariantTest
/// @notice Stateful invariants of custody and cold chain. The fuzzer calls random sequences of `ProvenanceHandler`
///         actions (shipment creation, single steps and batches — plain, in-range and out-of-range readings, random
///         dispositions, malformed words, steps by non-holders —, hand-over proposals final or not, acceptances,
///         rejections, suspect-scan reports, suspensions and restorations, time jumps) on a supply chain of a
///         manufacturer, two carriers, a warehouse and a hospital; after every call the invariants below are
///         checked against the chain, the registry's announcements and the handler's ghost model.
/// @dev The normal tests at the end drive every success path of the handler and show that each invariant fails
///      when the chain diverges from the model (so none of them is vacuous). Each invariant pins the call depth to
///      32 inline (the default profile's depth), so the CI profile runs 256 runs x 32 calls instead of x 64 and the
///      five campaigns stay around half a minute there.
contract ProvenanceInvariantTest is ProvenanceFixture {
    string private constant STEPS_OUTSIDE = "custody steps announced outside a successful recordStep(s) call";
    string private constant HOLDER_MODEL = "holder = model";
    string private constant DELIVERED_MODEL = "delivered = model";
    string private constant NON_CONFORMANT_MODEL = "non-conformant = model";

    ProvenanceHandler internal handler;
    uint32 internal pendingLot;
    uint32 internal releasedLot;
    uint32 internal recalledLot;

    function setUp() public {
        _deployProvenance();
        pendingLot = _registerLot(manufacturer, false);
        releasedLot = _registerLot(manufacturer, true);
        recalledLot = _registerLot(manufacturer, false);
        vm.prank(regulator);
        vaccines.recallLot(recalledLot, 0);

        handler = new ProvenanceHandler(
            ProvenanceHandler.Cast({
                authority: IHealthTraceAuthority(address(authority)),
                vaccines: IVaccineRegistry(address(vaccines)),
                registry: IProvenanceRegistry(address(provenance)),
                regulator: regulator,
                outsider: outsider,
                orgs: [manufacturer, carrier1, carrier2, warehouse, hospital],
                glns: [GLN_PLANT, GLN_CARRIER1, GLN_CARRIER2, GLN_WAREHOUSE, GLN_HOSPITAL],
                lots: [pendingLot, releasedLot, recalledLot],
                gtin: GTIN_VACCINE
            })
        );
        vm.label(address(handler), "ProvenanceHandler");

        // Start every run with shipments of every kind, at every stage of custody.
        handler.createShipment(0, _shipSeed(true, 2)); // 0: 2-8 C, released lot
        handler.createShipment(0, _shipSeed(true, 1)); // 1: 2-8 C, lot pending release
        handler.createShipment(0, _shipSeed(true, 3)); // 2: 2-8 C, recalled lot
        handler.createShipment(0, _shipSeed(false, 0)); // 3: masks, no cold chain
        handler.createShipment(0, _shipSeed(true, 0)); // 4: 2-8 C, no lot
        handler.createShipment(0, _shipSeed(false, 2)); // 5: released lot, no cold chain
        handler.proposeHandover(0, 0, 1, 1); // 0 -> carrier1
        handler.acceptHandover(0, 0);
        handler.proposeHandover(0, 3, 2, 1); // 3 -> carrier2
        handler.acceptHandover(0, 3);
        handler.proposeHandover(0, 3, 3, 1); // 3: carrier2 -> warehouse, pending
        handler.proposeHandover(0, 4, 4, 0); // 4 -> hospital, final
        handler.acceptHandover(0, 4);
        handler.recordStep(0, 0, _kind(6)); // an in-range reading by carrier1
        assertEq(handler.shipmentCount(), 6, "seeded shipments");
        assertTrue(provenance.shipmentOf(handler.shipmentAt(4)).delivered, "seeded delivery");
        assertEq(handler.mismatches(), 0, "seeding as modelled");

        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = ProvenanceHandler.createShipment.selector;
        selectors[1] = ProvenanceHandler.recordStep.selector;
        selectors[2] = ProvenanceHandler.recordSteps.selector;
        selectors[3] = ProvenanceHandler.proposeHandover.selector;
        selectors[4] = ProvenanceHandler.acceptHandover.selector;
        selectors[5] = ProvenanceHandler.rejectHandover.selector;
        selectors[6] = ProvenanceHandler.reportSuspectScan.selector;
        selectors[7] = ProvenanceHandler.suspend.selector;
        selectors[8] = ProvenanceHandler.restore.selector;
        selectors[9] = ProvenanceHandler.warp.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    // ==========================================================================================================
    // Invariants
    // ==========================================================================================================

    /// @notice The history the registry announced is exactly the history sent through successful step calls,
    ///         only ever extended: as many announcements as steps in successful recordStep(s) calls; per shipment,
    ///         the count and hash chain of the announced (recorder, step) pairs equal those recomputed here from
    ///         the handler's own records of what it sent, in order (so no step was lost, altered, reordered or
    ///         injected); no other function (nor a refused call) announced a step, and no step by a caller who
    ///         was not the holder was ever accepted.
    /// hardhat-config: invariant.depth = 32
    function invariant_historyIsAppendOnly() public view {
        assertEq(handler.stepsOutsideStepCalls(), 0, STEPS_OUTSIDE);
        assertEq(handler.eventMismatches(), 0, "announced steps differ from the steps sent");
        assertEq(handler.nonHolderStepSuccesses(), 0, "a step call by a non-holder was accepted");
        assertEq(handler.eventSteps(), handler.successfulSteps(), "announced steps = steps of successful calls");
        uint256 total;
        uint256 n = handler.shipmentCount();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = handler.shipmentAt(i);
            ProvenanceHandler.StepRecord[] memory sent = handler.records(id);
            bytes32 chain;
            for (uint256 j = 0; j < sent.length; ++j) {
                chain = keccak256(abi.encode(chain, sent[j].recorder, sent[j].step));
            }
            assertEq(handler.eventCount(id), sent.length, "announced steps of a shipment = steps sent");
            assertEq(handler.eventChain(id), chain, "announced history of a shipment = history sent, in order");
            total += sent.length;
        }
        assertEq(total, handler.successfulSteps(), "every step of a successful call is in a shipment's history");
    }

    /// @notice Every accepted step was recorded by the holder of its shipment at that moment: the recorder of
    ///         every step sent and of every step announced equals the holder read from the chain just before the
    ///         call (and the model's holder), every announced step was checked, and the chain's holders and pending
    ///         hand-overs — what the next step is checked against — equal the model's.
    /// hardhat-config: invariant.depth = 32
    function invariant_everyStepRecorderIsHolderAtThatMoment() public view {
        assertEq(handler.recorderNotHolder(), 0, "steps whose recorder was not the holder at that moment");
        assertEq(handler.nonHolderStepSuccesses(), 0, "a step call by a non-holder was accepted");
        assertEq(handler.recordersChecked(), handler.eventSteps(), "every announced step checked against the holder");
        uint256 n = handler.shipmentCount();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = handler.shipmentAt(i);
            ProvenanceHandler.StepRecord[] memory sent = handler.records(id);
            for (uint256 j = 0; j < sent.length; ++j) {
                assertEq(sent[j].recorder, sent[j].holderBefore, "recorder = holder just before the step");
            }
            ProvenanceHandler.GhostShipment memory g = handler.ghostShipment(id);
            IProvenanceRegistry.ShipmentView memory v = provenance.shipmentOf(id);
            assertEq(v.holder, g.holder, HOLDER_MODEL);
            assertEq(v.pendingReceiver, g.pendingReceiver, "pending receiver = model");
            assertEq(v.pendingFinal, g.pendingFinal, "pending final flag = model");
        }
    }

    /// @notice Once a final hand-over was accepted, the shipment stays delivered to that holder with nothing
    ///         pending: no action ever changed a delivered shipment's holder or delivered flag or got a proposal or
    ///         acceptance through for it, and the chain's delivered flags equal the model's (no delivery outside
    ///         the model, none undone).
    /// hardhat-config: invariant.depth = 32
    function invariant_finalDeliveryIsFinal() public view {
        assertEq(handler.finalityViolations(), 0, "a delivered shipment changed or accepted a hand-over action");
        uint256 n = handler.shipmentCount();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = handler.shipmentAt(i);
            ProvenanceHandler.GhostShipment memory g = handler.ghostShipment(id);
            IProvenanceRegistry.ShipmentView memory v = provenance.shipmentOf(id);
            assertEq(v.delivered, g.delivered, DELIVERED_MODEL);
            if (g.delivered) {
                assertEq(v.holder, g.finalHolder, "a delivered shipment stays with its final holder");
                assertEq(v.pendingReceiver, address(0), "nothing pending after delivery");
            }
        }
    }

    /// @notice Every shipment that ever had an out-of-range reading is non-conformant, and its vaccine lot (if
    ///         any) is non-conformant (5) or recalled (3); the chain's non-conformance flags and lot states equal
    ///         the model's; every modelled excursion was announced and every excursion report was accepted by the
    ///         vaccine registry.
    /// hardhat-config: invariant.depth = 32
    function invariant_excursionLeavesShipmentNonConformant() public view {
        uint256 n = handler.shipmentCount();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = handler.shipmentAt(i);
            ProvenanceHandler.GhostShipment memory g = handler.ghostShipment(id);
            IProvenanceRegistry.ShipmentView memory v = provenance.shipmentOf(id);
            if (g.excursion) {
                assertTrue(v.nonConformant, "a shipment with an excursion is non-conformant");
                if (g.lotId != 0) {
                    uint8 state = vaccines.lotState(g.lotId);
                    assertTrue(
                        state == LOT_NON_CONFORMANT || state == LOT_RECALLED,
                        "the lot of a shipment with an excursion is non-conformant or recalled"
                    );
                }
            }
            assertEq(v.nonConformant, g.nonConformant, NON_CONFORMANT_MODEL);
        }
        for (uint256 k = 0; k < 3; ++k) {
            uint32 lotId = handler.lotAt(k);
            assertEq(vaccines.lotState(lotId), handler.ghostLotStatus(lotId), "lot state = model");
        }
        assertEq(handler.excursionEventsSeen(), handler.excursionsRecorded(), "every excursion announced");
        assertEq(handler.reportFailures(), 0, "excursion reports refused by the vaccine registry");
    }

    /// @notice Every action's outcome was the one the model predicted (each refusal, each success), suspect-scan
    ///         reports wrote no storage and `checkScan` gave the documented verdict, and organisations' status is
    ///         the model's.
    /// hardhat-config: invariant.depth = 32
    function invariant_outcomesMatchModel() public view {
        assertEq(handler.firstMismatchAction(), 0, "first action (code + 1) whose outcome differed from the model");
        assertEq(handler.mismatches(), 0, "outcomes that differed from the model");
        assertEq(handler.scanWrites(), 0, "suspect-scan reports that wrote storage");
        assertEq(handler.scanMismatches(), 0, "checkScan verdicts that differed from the model");
        for (uint256 i = 0; i < handler.ORGS(); ++i) {
            address org = handler.orgAt(i);
            assertEq(authority.organisationOf(org).status, handler.ghostStatus(org), "organisation status = model");
        }
    }

    // ==========================================================================================================
    // The handler and the checks are not vacuous
    // ==========================================================================================================

    /// @notice Driven deterministically, the handler reaches every success path — creation, plain step, in-range
    ///         and out-of-range readings, a clean batch, proposals final and not, acceptances, a final delivery, a
    ///         rejection, a reported and a refused (genuine) scan, suspension, restoration, time — and typical
    ///         refusals (malformed step, non-holder step, step by a suspended holder, proposal on a delivered
    ///         shipment), all as its model predicts, and the invariants hold throughout.
    function test_handler_reachesEverySuccessPath() public {
        handler.createShipment(0, _shipSeed(true, 2)); // 6: 2-8 C, released lot
        handler.recordStep(0, 6, _kind(0)); // plain step by the manufacturer
        handler.recordStep(0, 6, _kind(6)); // in-range reading
        handler.warp(1 hours);
        handler.recordStep(0, 6, _kind(11)); // out-of-range reading: excursion
        assertTrue(provenance.shipmentOf(handler.shipmentAt(6)).nonConformant, "excursion flagged");
        assertEq(vaccines.lotState(releasedLot), LOT_NON_CONFORMANT, "released lot non-conformant");
        handler.recordSteps(0, 2, 0); // clean batch of 3 steps by the holder of shipment 0
        assertEq(handler.batchesOk(), 1, "clean batch accepted");
        handler.proposeHandover(0, 6, 1, 1); // 6 -> carrier1
        handler.rejectHandover(0, 6, 1); // carrier1 rejects: temperature excursion
        handler.proposeHandover(0, 6, 2, 1); // 6 -> carrier2
        handler.acceptHandover(0, 6);
        handler.proposeHandover(0, 6, 4, 0); // 6: carrier2 -> hospital, final
        handler.acceptHandover(0, 6);
        assertTrue(provenance.shipmentOf(handler.shipmentAt(6)).delivered, "delivered");
        handler.reportSuspectScan(0, 3, 0, 0); // forged identity: reported
        handler.reportSuspectScan(0, 0, 1, 1); // shipment 0 at carrier1's site: genuine, refused
        handler.reportSuspectScan(6, 0, 2, 2); // delivered shipment 6 away from the hospital: reported
        handler.suspend(2);
        handler.restore(2);
        _checkAll();

        uint256 refusedBefore = handler.refusals();
        handler.recordStep(0, 0, _kind(13)); // malformed
        handler.recordStep(3, 0, 0); // by the manufacturer, who does not hold shipment 0
        handler.suspend(1);
        handler.recordStep(0, 0, _kind(0)); // by its suspended holder, carrier1
        handler.restore(1);
        handler.proposeHandover(0, 6, 1, (3 << 8) | 1); // by the hospital, on shipment 6 it received: delivered
        handler.acceptHandover(3, 0); // by the manufacturer, on shipment 0 with nothing pending
        handler.rejectHandover(0, 0, 7); // undocumented reason
        handler.createShipment(0, 15 << 8); // zero quantity
        assertEq(handler.refusals() - refusedBefore, 7, "each refusal happened");

        assertTrue(handler.createsOk() > 0 && handler.stepCallsOk() > 0 && handler.batchesOk() > 0, "steps");
        assertTrue(handler.proposalsOk() > 0 && handler.finalProposalsOk() > 0, "proposals");
        assertTrue(handler.acceptsOk() > 0 && handler.finalAcceptsOk() > 0 && handler.rejectsOk() > 0, "answers");
        assertTrue(handler.scansReported() > 0 && handler.genuineScansRefused() > 0, "scans");
        assertTrue(handler.suspensionsOk() > 0 && handler.restoresOk() > 0 && handler.warps() > 0, "admin");
        assertTrue(handler.excursionsRecorded() > 0 && handler.nonHolderStepAttempts() > 0, "excursion, non-holder");
        _checkAll();
    }

    /// @notice `invariant_historyIsAppendOnly` fails if a step is announced outside the handler's step calls.
    function test_invariantHistory_detectsStepOutsideTheHandler() public {
        bytes32 id = handler.shipmentAt(0); // held by carrier1
        vm.recordLogs();
        vm.prank(carrier1);
        provenance.recordStep(id, _plainStep(BIZ_STORING, DISP_ACTIVE, GLN_CARRIER1));
        handler.warp(1); // the handler sees the announcement at its next action
        vm.expectRevert(abi.encodeWithSelector(AssertionFailedUint.selector, STEPS_OUTSIDE, 1, 0));
        this.invariant_historyIsAppendOnly();
    }

    /// @notice `invariant_everyStepRecorderIsHolderAtThatMoment` fails if custody moves outside the model.
    function test_invariantRecorder_detectsCustodyMovedOutsideTheHandler() public {
        bytes32 id = handler.shipmentAt(1); // held by the manufacturer
        _handOver(id, manufacturer, warehouse, false);
        vm.expectRevert(abi.encodeWithSelector(AssertionFailedAddress.selector, HOLDER_MODEL, warehouse, manufacturer));
        this.invariant_everyStepRecorderIsHolderAtThatMoment();
    }

    /// @notice `invariant_finalDeliveryIsFinal` fails if a shipment is delivered outside the model.
    function test_invariantFinal_detectsDeliveryOutsideTheHandler() public {
        bytes32 id = handler.shipmentAt(1);
        _handOver(id, manufacturer, hospital, true);
        vm.expectRevert(abi.encodeWithSelector(AssertionFailedBool.selector, DELIVERED_MODEL, true, false));
        this.invariant_finalDeliveryIsFinal();
    }

    /// @notice `invariant_excursionLeavesShipmentNonConformant` fails if a shipment becomes non-conformant outside
    ///         the model.
    function test_invariantExcursion_detectsExcursionOutsideTheHandler() public {
        bytes32 id = handler.shipmentAt(1);
        vm.prank(manufacturer);
        provenance.recordStep(id, _reading(VACCINE_MAX + 1, GLN_PLANT));
        vm.expectRevert(abi.encodeWithSelector(AssertionFailedBool.selector, NON_CONFORMANT_MODEL, true, false));
        this.invariant_excursionLeavesShipmentNonConformant();
    }

    // ==========================================================================================================
    // Helpers
    // ==========================================================================================================

    function _checkAll() private view {
        invariant_historyIsAppendOnly();
        invariant_everyStepRecorderIsHolderAtThatMoment();
        invariant_finalDeliveryIsFinal();
        invariant_excursionLeavesShipmentNonConformant();
        invariant_outcomesMatchModel();
    }

    /// @dev Handler `paramSeed` for a shipment with a 2-8 C range (if `coldChain`) and lot choice `lotChoice`
    ///      (0 none, 1 pending, 2 released, 3 recalled).
    function _shipSeed(bool coldChain, uint256 lotChoice) private pure returns (uint256) {
        return (lotChoice << 32) | ((coldChain ? uint256(1) : 0) << 40) | (uint256(2700) << 48) | (uint256(599) << 64);
    }

    /// @dev Handler `stepSeed` of step kind `kind` (see `ProvenanceHandler.recordStep`), other fields 0.
    function _kind(uint256 kind) private pure returns (uint256) {
        return kind << 40;
    }
}
