// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IHealthTraceAuthority} from "../../../contracts/interfaces/IHealthTraceAuthority.sol";
import {IVaccineRegistry} from "../../../contracts/interfaces/IVaccineRegistry.sol";
import {HealthTraceFixture} from "../utils/HealthTraceFixture.sol";
import {VaccineHandler} from "./VaccineHandler.sol";

/// @title VaccineInvariantTest
/// @notice Stateful invariants of vaccine lots and doses. The fuzzer calls random sequences of `VaccineHandler`
///         actions (lot registrations, attestations by attesters including a manufacturer holding the attester
///         role, recalls, quarantines, cold-chain excursions through a handler-controlled reporter, reporter and
///         quorum changes, dose records, confirmations direct and by relayed signature, replays, verifications,
///         voids, proof checks, time jumps, with valid and deliberately invalid arguments and callers); after every
///         call the invariants below are checked against the chain and the handler's ghost model.
/// @dev The normal tests at the end show the handler reaches every success and refusal path and that each
///      invariant check does fail when the chain diverges from the model (so none of them is vacuous).
contract VaccineInvariantTest is HealthTraceFixture {
    string private constant LOT_COUNT = "lots on chain = lots the model saw registered";
    string private constant DOSES_EXCEED_COUNT = "doses recorded beyond the lot's count";
    string private constant DOSES_MATCH_MODEL = "doses recorded on chain = records the model saw succeed";
    string private constant RECORD_ON_UNUSABLE = "records that succeeded on a lot not active just before";
    string private constant RECORDED_WHEN_CHAIN_UNUSABLE = "a dose's lot state on chain just before its record";
    string private constant RECORDED_WHEN_MODEL_UNUSABLE = "a dose's lot state in the model just before its record";
    string private constant DOSES_ON_UNRELEASED_LOT = "doses of a lot never released";
    string private constant RELEASE_BELOW_QUORUM = "distinct attesters of a released lot";
    string private constant ATTESTER_TWICE = "an attester counted twice";
    string private constant MANUFACTURER_COUNTED = "the manufacturer counted toward its own lot";
    string private constant ATTESTATIONS_MATCH_MODEL = "attestations on chain = distinct attesters the model saw";
    string private constant ACTIVE_NOT_RELEASED = "an active lot the model never saw released";
    string private constant VOIDED_AND_CONFIRMED = "a dose both voided and confirmed";
    string private constant VOIDED_MATCHES_MODEL = "voided on chain = model";
    string private constant CONFIRMED_MATCHES_MODEL = "confirmed on chain = model";
    string private constant VOIDED_PROOF_ACCEPTED = "a voided dose proved vaccination";

    uint256 private constant CITIZENS = 3;

    VaccineHandler internal handler;
    address internal outsider = _account("outsider");
    address internal reporter = _account("coldChainReporter");
    uint256[3] private _citizenKeys =
        [uint256(keccak256("vaccine citizen 0")), uint256(keccak256("vaccine citizen 1")), uint256(keccak256("vaccine citizen 2"))];
    mapping(address citizen => uint256 key) private _keyOf;

    function setUp() public {
        _deployHealthTrace();
        _deployVaccines(2);
        _grantRole(LOT_ATTESTER_ROLE, manufacturer2); // the manufacturer that also attests (others' lots only)
        handler = new VaccineHandler(
            VaccineHandler.Cast({
                authority: IHealthTraceAuthority(address(authority)),
                vaccines: IVaccineRegistry(address(vaccines)),
                regulator: regulator,
                manufacturers: [manufacturer, manufacturer2],
                releaseLab: releaseLab,
                clinics: [clinic, clinic2],
                outsider: outsider,
                reporter: reporter,
                citizenKeys: _citizenKeys
            })
        );
        vm.label(address(handler), "VaccineHandler");
        for (uint256 i = 0; i < CITIZENS; ++i) {
            _keyOf[handler.citizenAt(i)] = _citizenKeys[i];
        }
        _assertRolesMatchModel();

        // Start every run with released, pending, confirmed and voided state (seeds of 0 are valid calls).
        handler.setColdChainReporter(0, 0); // the regulator makes the handler's reporter the cold-chain reporter
        handler.registerLot(0, _lotParams(4, 40 days)); // lot 1, manufacturer 0, 4 doses
        handler.registerLot(3, _lotParams(3, 40 days)); // lot 2, manufacturer 1, 3 doses
        handler.registerLot(0, _lotParams(2, 40 days)); // lot 3, manufacturer 0, 2 doses
        handler.attestLot(0, _lot(1)); // the release lab
        handler.attestLot(2, _lot(1)); // manufacturer 1 attests manufacturer 0's lot: released
        handler.attestLot(2, _lot(2)); // manufacturer 1 on its own lot: refused
        handler.attestLot(0, _lot(2)); // the release lab
        handler.attestLot(1, _lot(2)); // the regulator: released
        handler.attestLot(0, _lot(3)); // lot 3 stays pending with one attestation
        handler.recordDose(0, _lot(1), 0, 0); // dose 0: clinic 0, citizen 0
        handler.recordDose(2, _lot(1), 1, 0); // dose 1: clinic 1, citizen 1
        handler.recordDose(0, _lot(2), 2, 0); // dose 2: clinic 0, citizen 2
        handler.confirmDose(0, 0); // dose 0 confirmed by citizen 0
        handler.confirmDoseBySig(1, 0, 0); // dose 1 confirmed by a signature clinic 1 relays
        handler.voidDose(2, 0, 0); // dose 2 voided by clinic 0
        assertEq(handler.registrationsOk(), 3, "seeded lots");
        assertEq(handler.releasesOk(), 2, "seeded releases");
        assertEq(handler.ownLotAttestationsRefused(), 1, "seeded own-lot refusal");
        assertEq(handler.recordsOk(), 3, "seeded doses");
        assertTrue(handler.confirmationsOk() == 1 && handler.confirmationsBySigOk() == 1, "seeded confirmations");
        assertEq(handler.voidsOk(), 1, "seeded void");
        assertEq(handler.mismatches(), 0, "seeded as the model predicts");

        bytes4[] memory selectors = new bytes4[](16);
        selectors[0] = VaccineHandler.registerLot.selector;
        selectors[1] = VaccineHandler.attestLot.selector;
        selectors[2] = VaccineHandler.recallLot.selector;
        selectors[3] = VaccineHandler.quarantineLot.selector;
        selectors[4] = VaccineHandler.reportColdChainExcursion.selector;
        selectors[5] = VaccineHandler.setColdChainReporter.selector;
        selectors[6] = VaccineHandler.setReleaseQuorum.selector;
        selectors[7] = VaccineHandler.recordDose.selector;
        selectors[8] = VaccineHandler.confirmDose.selector;
        selectors[9] = VaccineHandler.confirmDoseBySig.selector;
        selectors[10] = VaccineHandler.replayConfirmation.selector;
        selectors[11] = VaccineHandler.verifyDose.selector;
        selectors[12] = VaccineHandler.voidDose.selector;
        selectors[13] = VaccineHandler.checkProof.selector;
        selectors[14] = VaccineHandler.warp.selector;
        selectors[15] = VaccineHandler.warpToExpiry.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    // ==========================================================================================================
    // Invariants
    // ==========================================================================================================

    /// @notice Every lot's records (voided ones included) never exceed its dose count, and equal the records the
    ///         model saw succeed (so no record happened outside the model's view); the lot count is the model's.
    function invariant_dosesOfALotNeverExceedItsCount() public view {
        uint32 count = vaccines.lotCount();
        assertEq(count, handler.ghostLotCount(), LOT_COUNT);
        for (uint32 lotId = 1; lotId <= count; ++lotId) {
            IVaccineRegistry.LotView memory lot = vaccines.lotOf(lotId);
            assertLe(lot.dosesRecorded, lot.doseCount, DOSES_EXCEED_COUNT);
            assertEq(lot.dosesRecorded, handler.ghostLot(lotId).recorded, DOSES_MATCH_MODEL);
        }
        assertEq(vaccines.lotOf(count + 1).dosesRecorded, 0, "no doses of an unknown lot");
    }

    /// @notice A dose is only recorded on a usable lot: no record succeeded when the chain said, just before, that
    ///         its lot was not active; every recorded dose's lot was active just before its record both on chain and
    ///         in the model; a lot the model never saw released has no records; and (with the check above) every
    ///         record on chain is one the model saw.
    function invariant_doseOnlyRecordedOnUsableLot() public view {
        assertEq(handler.recordsOnUnusableLot(), 0, RECORD_ON_UNUSABLE);
        uint256 doses = handler.doseCount();
        for (uint256 i = 0; i < doses; ++i) {
            VaccineHandler.GhostDose memory d = handler.ghostDose(handler.doseIdAt(i));
            assertEq(d.chainStateBefore, LOT_ACTIVE, RECORDED_WHEN_CHAIN_UNUSABLE);
            assertEq(d.modelStateBefore, LOT_ACTIVE, RECORDED_WHEN_MODEL_UNUSABLE);
        }
        uint32 count = vaccines.lotCount();
        for (uint32 lotId = 1; lotId <= count; ++lotId) {
            if (!handler.ghostLot(lotId).released) {
                assertEq(vaccines.lotOf(lotId).dosesRecorded, 0, DOSES_ON_UNRELEASED_LOT);
            }
        }
    }

    /// @notice Every released lot (attestations on chain reached its quorum, or it is active now) was attested by at
    ///         least its quorum of distinct attesters the model saw, none of them its manufacturer, each recorded
    ///         on chain; no lot ever counts its manufacturer's attestation (though one manufacturer holds the
    ///         attester role), and the attestations on chain are exactly the distinct attesters the model saw.
    function invariant_releaseNeedsKDistinctAttestersNoneTheManufacturer() public {
        vm.warp(handler.currentTime());
        assertEq(handler.manufacturerAttestations(), 0, MANUFACTURER_COUNTED);
        uint32 count = vaccines.lotCount();
        for (uint32 lotId = 1; lotId <= count; ++lotId) {
            IVaccineRegistry.LotView memory lot = vaccines.lotOf(lotId);
            address[] memory attesters = handler.attestersOf(lotId);
            bool released = lot.attestations >= lot.quorum || lot.state == LOT_ACTIVE;
            if (released) {
                assertGe(attesters.length, lot.quorum, RELEASE_BELOW_QUORUM);
                assertTrue(handler.ghostLot(lotId).released, ACTIVE_NOT_RELEASED);
            }
            for (uint256 i = 0; i < attesters.length; ++i) {
                assertTrue(attesters[i] != lot.manufacturer, MANUFACTURER_COUNTED);
                assertTrue(vaccines.hasAttested(lotId, attesters[i]), "a modelled attestation is on chain");
                for (uint256 j = 0; j < i; ++j) {
                    assertTrue(attesters[j] != attesters[i], ATTESTER_TWICE);
                }
            }
            assertFalse(vaccines.hasAttested(lotId, lot.manufacturer), MANUFACTURER_COUNTED);
            assertEq(lot.attestations, attesters.length, ATTESTATIONS_MATCH_MODEL);
            assertEq(lot.quorum, handler.ghostLot(lotId).quorum, "quorum fixed at registration");
        }
    }

    /// @notice No dose is both voided and confirmed; voided and confirmed flags are the model's; and a voided dose's
    ///         proof of vaccination, freshly and validly signed by its citizen, never returns 0 (it returns 4).
    function invariant_voidedDosesNeverCountAsConfirmed() public {
        vm.warp(handler.currentTime());
        assertEq(handler.voidedProofsAccepted(), 0, VOIDED_PROOF_ACCEPTED);
        uint256 doses = handler.doseCount();
        for (uint256 i = 0; i < doses; ++i) {
            bytes32 doseId = handler.doseIdAt(i);
            IVaccineRegistry.DoseView memory d = vaccines.doseOf(doseId);
            VaccineHandler.GhostDose memory g = handler.ghostDose(doseId);
            assertFalse(d.voided && d.confirmed, VOIDED_AND_CONFIRMED);
            assertEq(d.voided, g.voided, VOIDED_MATCHES_MODEL);
            assertEq(d.confirmed, g.confirmed, CONFIRMED_MATCHES_MODEL);
            if (d.voided) {
                uint256 validUntil = block.timestamp + 1 minutes;
                bytes32 challenge = keccak256(abi.encode("verifier challenge", i));
                bytes memory signature = _signProof(_keyOf[d.citizen], d.citizen, doseId, challenge, validUntil);
                uint8 result = vaccines.checkVaccinationProof(d.citizen, doseId, challenge, validUntil, signature);
                assertTrue(result != PROOF_VALID, VOIDED_PROOF_ACCEPTED);
                assertEq(result, PROOF_NO_CONFIRMED_DOSE, "a voided dose is no confirmed dose");
            }
        }
    }

    /// @notice Every outcome so far was the one the model predicted (each refusal for its reason, each proof result
    ///         code), no role-gated call succeeded without the role, and every lot's state, every dose's stored
    ///         facts, the quorum and the reporter on chain are the model's.
    function invariant_outcomesMatchModel() public {
        assertEq(handler.firstMismatchAction(), 0, "first action (code + 1) whose outcome differed from the model");
        assertEq(handler.mismatches(), 0, "outcomes that differed from the model");
        assertEq(handler.roleViolations(), 0, "role-gated successes without the role");
        vm.warp(handler.currentTime());
        assertEq(vaccines.releaseQuorum(), handler.ghostQuorum(), "quorum = model");
        assertEq(vaccines.coldChainReporter(), handler.ghostReporter(), "reporter = model");
        uint32 count = vaccines.lotCount();
        for (uint32 lotId = 1; lotId <= count + 1; ++lotId) {
            assertEq(vaccines.lotState(lotId), handler.modelState(lotId), "lot state = model");
        }
        uint256 doses = handler.doseCount();
        for (uint256 i = 0; i < doses; ++i) {
            bytes32 doseId = handler.doseIdAt(i);
            IVaccineRegistry.DoseView memory d = vaccines.doseOf(doseId);
            VaccineHandler.GhostDose memory g = handler.ghostDose(doseId);
            assertEq(d.citizen, handler.citizenAt(g.citizenIndex), "citizen = model");
            assertEq(d.lotId, g.lotId, "lot = model");
            assertEq(d.sequence, g.sequence, "sequence = model");
            assertEq(d.verified, g.verified, "verified = model");
            assertEq(d.lotState, handler.modelState(g.lotId), "dose's lot state = model");
        }
    }

    // ==========================================================================================================
    // The handler and the checks are not vacuous
    // ==========================================================================================================

    /// @notice Driven deterministically, the handler reaches every success path and every kind of refusal, all as
    ///         its model predicts, and the invariants hold throughout.
    function test_handler_reachesEverySuccessAndRefusal() public {
        // successes
        handler.registerLot(3, _lotParams(2, 50 days)); // lot 4, manufacturer 1 (still pending at the end)
        handler.setReleaseQuorum(0, 0); // quorum 1
        handler.registerLot(0, _lotParams(1, 20 days)); // lot 5, quorum 1
        handler.attestLot(1, _lot(5)); // the regulator alone releases lot 5
        handler.verifyDose(0, 0); // the regulator verifies dose 0
        handler.recordDose(2, _lot(1), 1, 0); // dose 3: clinic 1, citizen 1, lot 1
        handler.verifyDose(3, 0); // verified before any confirmation
        handler.checkProof(0, 0, keccak256("challenge")); // dose 0: confirmed, lot 1 active -> valid
        assertEq(handler.proofsValid(), 1, "a valid proof");
        handler.recallLot(0, _lot(1), 0);
        handler.checkProof(0, 0, keccak256("challenge")); // dose 0's lot is recalled -> 5
        handler.quarantineLot(0, _lot(2), 1);
        handler.reportColdChainExcursion(0, _lot(3), keccak256("shipment 3")); // pending lot 3 -> non-conformant
        handler.reportColdChainExcursion(0, _lot(1), keccak256("shipment 1")); // recalled lot 1 stays recalled
        handler.setColdChainReporter(0, 3); // reporter off
        handler.setColdChainReporter(0, 0); // reporter back
        handler.warp(1 hours);
        handler.warpToExpiry(4, true); // 1 s before lot 5 expires
        handler.recordDose(2, _lot(5), 2, 0); // dose 4: the only dose of lot 5, citizen 2, clinic 1
        handler.confirmDoseBySig(4, 0, 2); // relayed by a stranger
        _checkAll();
        assertEq(handler.registrationsOk(), 5, "registrations");
        assertEq(handler.releasesOk(), 3, "releases");
        assertEq(handler.recallsOk(), 1, "recalls");
        assertEq(handler.quarantinesOk(), 1, "quarantines");
        assertEq(handler.excursionsOk(), 2, "excursions");
        assertEq(handler.reporterChangesOk(), 3, "reporter changes");
        assertEq(handler.quorumChangesOk(), 1, "quorum changes");
        assertEq(handler.recordsOk(), 5, "records");
        assertEq(handler.confirmationsBySigOk(), 2, "confirmations by signature");
        assertEq(handler.verificationsOk(), 2, "verifications");

        // refusals, each predicted by the model
        uint256 refusedBefore = handler.refusals();
        handler.registerLot(6, _lotParams(2, 10 days)); // a clinic is no manufacturer
        handler.registerLot(0, _lotParams(2, 10 days) | 6); // wrong GTIN check digit
        handler.registerLot(0, _lotParams(2, 10 days) | 7); // GTIN and lot number of an existing lot
        handler.attestLot(3, _lot(4)); // a clinic is no attester
        handler.attestLot(2, _lot(4)); // manufacturer 1 on its own lot
        handler.attestLot(0, _lot(3)); // lot 3 is non-conformant
        handler.attestLot(0, 7); // unknown lot
        handler.recallLot(3, _lot(2), 0); // a clinic is no regulator
        handler.recallLot(0, _lot(1), 0); // already recalled
        handler.recallLot(0, _lot(2), 6); // undocumented reason
        handler.quarantineLot(3, _lot(4), 0); // a manufacturer is no regulator
        handler.quarantineLot(0, _lot(2), 0); // already non-conformant
        handler.reportColdChainExcursion(3, _lot(4), bytes32(0)); // the outsider is not the reporter
        handler.setColdChainReporter(3, 0); // a manufacturer is no regulator
        handler.setReleaseQuorum(3, 0); // a clinic is no regulator
        handler.setReleaseQuorum(0, 6); // quorum 0
        handler.setReleaseQuorum(0, 7); // quorum above 15
        handler.recordDose(4, _lot(5), 0, 0); // a manufacturer is no clinic
        handler.recordDose(0, _lot(5), 0, 7); // invalid dose number
        handler.recordDose(0, _lot(5), 0, 0); // lot 5 is exhausted (1 dose)
        handler.recordDose(0, _lot(1), 0, 0); // recalled
        handler.recordDose(0, _lot(4), 0, 0); // pending
        handler.recordDose(0, _lot(2), 0, 0); // non-conformant
        handler.confirmDose(1, 3); // another citizen
        handler.confirmDose(2, 0); // voided
        handler.confirmDose(0, 0); // already confirmed
        handler.confirmDoseBySig(0, 4, 0); // another citizen's key
        handler.confirmDoseBySig(1, 5, 0); // deadline passed
        handler.replayConfirmation(0, 0);
        handler.replayConfirmation(1, 1);
        handler.verifyDose(1, 2); // the clinic is no regulator
        handler.verifyDose(1, 3); // the citizen is no regulator
        handler.verifyDose(2, 0); // voided
        handler.verifyDose(0, 0); // already verified
        handler.voidDose(1, 2, 0); // the other clinic
        handler.voidDose(1, 3, 0); // the citizen
        handler.voidDose(1, 0, 5); // undocumented reason
        handler.voidDose(0, 0, 0); // confirmed
        handler.voidDose(2, 0, 0); // already voided
        handler.voidDose(3, 0, 0); // verified (by the regulator, unconfirmed)
        assertEq(handler.refusals() - refusedBefore, 40, "every refusal happened");
        assertEq(handler.recordsRefusedOnUnusableLot(), 3, "records refused on recalled, pending, non-conformant");
        assertEq(handler.ownLotAttestationsRefused(), 2, "own-lot attestations refused");
        assertEq(handler.replaysAttempted(), 2, "replays attempted");

        // proofs refused for each reason
        uint256 proofsRefusedBefore = handler.proofsRefused();
        handler.checkProof(2, 0, keccak256("c")); // voided -> 4
        handler.checkProof(4, 2, keccak256("c")); // another key -> 3
        handler.checkProof(4, 3, keccak256("c")); // no longer valid -> 1
        handler.checkProof(4, 4, keccak256("c")); // valid too long -> 2
        handler.checkProof(3, 0, keccak256("c")); // verified but never confirmed -> 4
        assertEq(handler.proofsRefused() - proofsRefusedBefore, 5, "proofs refused");

        // expiry: a confirmed dose of lot 5 proves vaccination before and after the lot expires (it was given
        // while the lot was usable), while no dose can be recorded from the expired lot any more
        handler.checkProof(4, 0, keccak256("c"));
        assertEq(handler.proofsValid(), 2, "valid 1 s before expiry");
        handler.warpToExpiry(4, false);
        assertEq(vaccines.lotState(5), LOT_EXPIRED, "lot 5 expired");
        handler.checkProof(4, 0, keccak256("c"));
        assertEq(handler.proofsValid(), 3, "still valid once the lot has expired");
        assertEq(handler.mismatches(), 0, "every outcome as the model predicted");
        _checkAll();
    }

    /// @notice `invariant_dosesOfALotNeverExceedItsCount` fails if a dose is recorded outside the model.
    function test_invariantDoseCount_detectsRecordOutsideTheModel() public {
        address recipient = handler.citizenAt(0);
        vm.prank(clinic);
        vaccines.recordDose(1, recipient, 2, 310104);
        vm.expectRevert(abi.encodeWithSelector(AssertionFailedUint.selector, DOSES_MATCH_MODEL, 3, 2));
        this.invariant_dosesOfALotNeverExceedItsCount();
    }

    /// @notice `invariant_doseOnlyRecordedOnUsableLot` fails if a dose is recorded on a lot the model holds
    ///         unusable (lot 3, released on chain behind the model's back).
    function test_invariantUsableLot_detectsRecordOnLotTheModelHoldsUnusable() public {
        vm.prank(regulator);
        vaccines.attestLot(3);
        handler.recordDose(0, _lot(3), 0, 0);
        vm.expectRevert(
            abi.encodeWithSelector(AssertionFailedUint.selector, RECORDED_WHEN_MODEL_UNUSABLE, LOT_PENDING, LOT_ACTIVE)
        );
        this.invariant_doseOnlyRecordedOnUsableLot();
    }

    /// @notice `invariant_releaseNeedsKDistinctAttestersNoneTheManufacturer` fails if a lot is released by an
    ///         attestation the model did not see.
    function test_invariantRelease_detectsReleaseOutsideTheModel() public {
        vm.prank(regulator);
        vaccines.attestLot(3);
        vm.expectRevert(abi.encodeWithSelector(AssertionFailedUint.selector, RELEASE_BELOW_QUORUM, 1, 2));
        this.invariant_releaseNeedsKDistinctAttestersNoneTheManufacturer();
    }

    /// @notice `invariant_voidedDosesNeverCountAsConfirmed` fails if a dose is voided outside the model.
    function test_invariantVoided_detectsVoidOutsideTheModel() public {
        handler.recordDose(0, _lot(1), 1, 0); // dose 3, clinic 0, unconfirmed
        bytes32 doseId = handler.doseIdAt(3);
        vm.prank(clinic);
        vaccines.voidDose(doseId, 1);
        vm.expectRevert(abi.encodeWithSelector(AssertionFailedBool.selector, VOIDED_MATCHES_MODEL, true, false));
        this.invariant_voidedDosesNeverCountAsConfirmed();
    }

    /// @notice `invariant_outcomesMatchModel` fails if a lot changes state outside the model.
    function test_invariantOutcomes_detectsRecallOutsideTheModel() public {
        vm.prank(regulator);
        vaccines.recallLot(2, 0);
        vm.expectRevert(
            abi.encodeWithSelector(AssertionFailedUint.selector, "lot state = model", LOT_RECALLED, LOT_ACTIVE)
        );
        this.invariant_outcomesMatchModel();
    }

    // ==========================================================================================================
    // Helpers
    // ==========================================================================================================

    function _checkAll() private {
        invariant_dosesOfALotNeverExceedItsCount();
        invariant_doseOnlyRecordedOnUsableLot();
        invariant_releaseNeedsKDistinctAttestersNoneTheManufacturer();
        invariant_voidedDosesNeverCountAsConfirmed();
        invariant_outcomesMatchModel();
    }

    /// @dev The cast holds on chain exactly the roles the handler's model gives it.
    function _assertRolesMatchModel() private view {
        address[8] memory cast =
            [regulator, manufacturer, manufacturer2, releaseLab, clinic, clinic2, outsider, reporter];
        bytes32[8] memory roles = _allRoles();
        for (uint256 a = 0; a < cast.length; ++a) {
            for (uint256 bit = 0; bit < roles.length; ++bit) {
                assertEq(
                    authority.hasRole(roles[bit], cast[a]), handler.ghostHasRole(cast[a], bit), "role model = chain"
                );
            }
        }
        for (uint256 i = 0; i < CITIZENS; ++i) {
            for (uint256 bit = 0; bit < roles.length; ++bit) {
                assertFalse(authority.hasRole(roles[bit], handler.citizenAt(i)), "citizens hold no role");
            }
        }
    }

    /// @dev Handler lot seed for lot `lotId` (see VaccineHandler `_pickLot`).
    function _lot(uint32 lotId) private pure returns (uint256) {
        return uint256(lotId - 1) << 3;
    }

    /// @dev Handler `paramsSeed` for a valid registration of `doses` (1-6) doses expiring 1 hour + `lifetime`
    ///      from now (`lifetime` < 60 days); OR it with 6 or 7 for the invalid modes.
    function _lotParams(uint256 doses, uint256 lifetime) private pure returns (uint256) {
        return ((doses - 1) << 3) | (lifetime << 8);
    }
}
