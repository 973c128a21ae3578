// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IVaccineRegistry} from "../../contracts/interfaces/IVaccineRegistry.sol";
import {HealthTraceFixture, VaccineTestLib} from "./utils/HealthTraceFixture.sol";
import {MockContractWallet} from "./utils/MockContractWallet.sol";
import {Vm} from "./utils/Vm.sol";

/// @title VaccineRegistryFuzzTest
/// @notice Fuzz properties of every state-changing function of VaccineRegistry (registerLot, attestLot, recallLot,
///         quarantineLot, reportColdChainExcursion, setReleaseQuorum, setColdChainReporter, recordDose, confirmDose,
///         confirmDoseBySig, verifyDose, voidDose), of the proof check `checkVaccinationProof`, and of the role
///         gating. GTIN check digits, dose ids and EIP-712 digests are computed by the test (`VaccineTestLib`) from
///         the documented formats; signatures come from fuzzed private keys.
contract VaccineRegistryFuzzTest is HealthTraceFixture {
    /// @notice Size of the pool of extra attesters (enough for the largest quorum).
    uint256 private constant ATTESTER_POOL = 15;
    /// @notice Number of role-gated entry points exercised by `_callGated`.
    uint256 private constant GATED_COUNT = 9;
    uint32 private constant DISTRICT = 310104;
    uint32 private constant DEFAULT_DOSES = 100;
    uint256 private constant DEFAULT_LIFETIME = 365 days;
    /// @notice The GS1 example GTIN-13 body 950110153000 (check digit 3), as a GTIN-14 body.
    uint64 private constant GTIN_BODY_BASE = 950_110_153_000;

    address private outsider = _account("outsider");
    address private citizen = _account("citizen");
    address private insider = _account("insider");
    address[ATTESTER_POOL] private _pool;
    uint64 private _lotNonce;

    function setUp() public {
        _deployHealthTrace();
        _deployVaccines(2);
        for (uint256 i = 0; i < ATTESTER_POOL; ++i) {
            address a = address(uint160(uint256(keccak256(abi.encode("healthtrace.test.attester", i)))));
            _accredit(a, KIND_LAB, "Lot Release Lab", unicode"批签发实验室");
            _grantRole(LOT_ATTESTER_ROLE, a);
            _pool[i] = a;
        }
    }

    // ==========================================================================================================
    // The test's own GTIN helper and the EIP-712 domain
    // ==========================================================================================================

    /// @notice The test's check-digit helper agrees with published GS1 examples.
    function test_gtinHelper_matchesGs1Examples() public pure {
        assertEq(VaccineTestLib.gtinCheckDigit(950_110_153_000), 3, "GS1 example 9501101530003");
        assertEq(VaccineTestLib.gtinCheckDigit(1_234_560_001), 2, "GS1 example 00012345600012");
        assertEq(VaccineTestLib.gtinCheckDigit(629_104_150_021), 3, "EAN-13 6291041500213");
        assertTrue(VaccineTestLib.isValidGtin(9_501_101_530_003), "9501101530003 valid");
        assertFalse(VaccineTestLib.isValidGtin(9_501_101_530_004), "wrong check digit");
        assertFalse(VaccineTestLib.isValidGtin(0), "zero");
        assertFalse(VaccineTestLib.isValidGtin(100_000_000_000_009), "15 digits");
    }

    /// @notice The registry's EIP-712 domain is the documented one.
    function test_eip712Domain_isTheDocumentedDomain() public view {
        assertEq(vaccines.DOMAIN_SEPARATOR(), _vaccineDomain(), "domain separator");
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            vaccines.eip712Domain();
        assertEq(keccak256(bytes(name)), keccak256("HealthTrace Vaccines"), "name");
        assertEq(keccak256(bytes(version)), keccak256("1"), "version");
        assertEq(chainId, block.chainid, "chain id");
        assertEq(verifyingContract, address(vaccines), "verifying contract");
        assertEq(vaccines.CONFIRM_DOSE_TYPEHASH(), VaccineTestLib.CONFIRM_DOSE_TYPEHASH, "ConfirmDose type");
        assertEq(vaccines.VACCINATION_PROOF_TYPEHASH(), VaccineTestLib.VACCINATION_PROOF_TYPEHASH, "proof type");
    }

    // ==========================================================================================================
    // registerLot
    // ==========================================================================================================

    /// @notice Any valid registration (any GTIN body with its check digit, lot number of 1-20 bytes, dose count
    ///         1-16,777,215, manufacture date not in the future, future expiry, non-empty storage range, non-zero
    ///         dossier, at any time) is stored exactly, pending under the quorum in force, and `lotIdOf` finds it
    ///         (and only it); the same GTIN and lot number cannot be registered again, by anyone.
    function testFuzz_registerLot_storesValidLotExactly(
        uint64 gtinBody,
        uint256 lotNumberSeed,
        uint32 doseCount,
        uint256 dateSeed,
        int16 minTemp,
        int16 maxTemp,
        bytes32 dossierHash
    ) public {
        vm.warp(START_TIME + bound(dateSeed >> 128, 0, 20 * 365 days));
        IVaccineRegistry.LotParams memory p;
        p.gtin = VaccineTestLib.gtin(uint64(bound(gtinBody, 1, 1e13 - 1)));
        p.lotNumber = _lotNumber(lotNumberSeed, bound(lotNumberSeed, 1, 20));
        p.doseCount = uint32(bound(doseCount, 1, MAX_DOSE_COUNT));
        p.manufacturedAt = uint40(block.timestamp - bound(uint64(dateSeed), 0, 5 * 365 days));
        p.expiresAt = uint32(bound(uint64(dateSeed >> 64), block.timestamp + 1, type(uint32).max));
        (p.minTempCentiC, p.maxTempCentiC) = _orderedRange(minTemp, maxTemp);
        p.dossierHash = dossierHash == bytes32(0) ? keccak256("dossier") : dossierHash;

        vm.expectEmit(true, true, true, true, address(vaccines));
        emit IVaccineRegistry.LotRegistered(
            1,
            manufacturer,
            p.gtin,
            p.lotNumber,
            p.doseCount,
            p.manufacturedAt,
            p.expiresAt,
            p.minTempCentiC,
            p.maxTempCentiC,
            p.dossierHash
        );
        vm.prank(manufacturer);
        uint32 lotId = vaccines.registerLot(p);

        assertEq(lotId, 1, "first lot id");
        assertEq(vaccines.lotCount(), 1, "lot count");
        IVaccineRegistry.LotView memory lot = vaccines.lotOf(lotId);
        assertEq(lot.manufacturer, manufacturer, "manufacturer");
        assertEq(lot.doseCount, p.doseCount, "dose count");
        assertEq(lot.dosesRecorded, 0, "no doses yet");
        assertEq(lot.attestations, 0, "no attestations yet");
        assertEq(lot.quorum, 2, "quorum in force");
        assertEq(lot.expiresAt, p.expiresAt, "expiry");
        assertEq(lot.state, LOT_PENDING, "pending release");
        assertEq(vaccines.lotState(lotId), LOT_PENDING, "lotState");
        assertEq(vaccines.lotIdOf(p.gtin, p.lotNumber), lotId, "lotIdOf finds it");
        assertEq(vaccines.lotIdOf(p.gtin, string.concat(p.lotNumber, "X")), 0, "other lot number");
        assertEq(vaccines.lotIdOf(VaccineTestLib.gtin((p.gtin / 10 + 1) % 1e13), p.lotNumber), 0, "other GTIN");

        vm.expectRevert(
            abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryLotExists.selector, p.gtin, p.lotNumber, lotId)
        );
        vm.prank(manufacturer2);
        vaccines.registerLot(p);
        assertEq(vaccines.lotCount(), 1, "duplicate not stored");
    }

    /// @notice A GTIN is accepted exactly when the test's GS1 helper says it is valid (non-zero, at most 14 digits,
    ///         right check digit); any other is refused with `VaccineRegistryInvalidGtin` and nothing is stored.
    ///         Inputs: any uint64, any number below 10^14, or a valid body with each wrong check digit.
    function testFuzz_registerLot_acceptsGtinIffCheckDigitValid(uint64 raw, uint8 mode) public {
        uint64 candidate = raw;
        if (mode % 3 == 1) {
            candidate = uint64(bound(raw, 0, 1e14 - 1));
        } else if (mode % 3 == 2) {
            uint64 body = uint64(bound(raw, 0, 1e13 - 1));
            uint64 wrong = (VaccineTestLib.gtinCheckDigit(body) + 1 + (raw % 9)) % 10;
            candidate = body * 10 + wrong;
            assertFalse(VaccineTestLib.isValidGtin(candidate), "helper refuses a wrong check digit");
        }
        IVaccineRegistry.LotParams memory p = _validParams();
        p.gtin = candidate;
        bool valid = VaccineTestLib.isValidGtin(candidate);

        if (!valid) {
            vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryInvalidGtin.selector, candidate));
        }
        vm.prank(manufacturer);
        vaccines.registerLot(p);

        assertEq(vaccines.lotCount(), valid ? 1 : 0, "stored iff valid");
        assertEq(vaccines.lotIdOf(candidate, p.lotNumber), valid ? 1 : 0, "lotIdOf iff valid");
    }

    /// @notice One out-of-range field (the others valid) is refused with that field's error, and nothing is stored:
    ///         lot number empty or over 20 bytes, dose count 0 or over 16,777,215, manufacture in the future,
    ///         expiry not in the future, storage range empty or inverted, zero dossier.
    function testFuzz_registerLot_refusesOutOfRangeField(uint256 field, uint256 value, uint256 elapsed) public {
        vm.warp(START_TIME + bound(elapsed, 0, 10 * 365 days));
        IVaccineRegistry.LotParams memory p = _validParams();
        field = bound(field, 0, 5);
        bytes memory expected;
        if (field == 0) {
            uint256 length = value % 2 == 0 ? 0 : bound(value >> 1, 21, 100);
            p.lotNumber = _name(length);
            expected = abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryInvalidLotNumber.selector, length);
        } else if (field == 1) {
            p.doseCount = value % 2 == 0 ? 0 : uint32(bound(value >> 1, uint256(MAX_DOSE_COUNT) + 1, type(uint32).max));
            expected = abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryInvalidDoseCount.selector, p.doseCount);
        } else if (field == 2) {
            p.manufacturedAt = uint40(bound(value, block.timestamp + 1, type(uint40).max));
            expected = _invalidDates(p);
        } else if (field == 3) {
            p.expiresAt = uint32(bound(value, 0, block.timestamp));
            expected = _invalidDates(p);
        } else if (field == 4) {
            p.minTempCentiC = int16(int256(bound(value, 0, 1600)) - 800);
            p.maxTempCentiC = int16(int256(p.minTempCentiC) - int256(bound(value >> 16, 0, 1000)));
            expected = abi.encodeWithSelector(
                IVaccineRegistry.VaccineRegistryInvalidTemperatureRange.selector, p.minTempCentiC, p.maxTempCentiC
            );
        } else {
            p.dossierHash = bytes32(0);
            expected = abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryZeroDossier.selector);
        }

        vm.expectRevert(expected);
        vm.prank(manufacturer);
        vaccines.registerLot(p);

        assertEq(vaccines.lotCount(), 0, "nothing stored");
        assertEq(vaccines.lotIdOf(p.gtin, p.lotNumber), 0, "no lot id");
    }

    // ==========================================================================================================
    // attestLot
    // ==========================================================================================================

    /// @notice For any quorum k (1-15): the lot stays pending through k-1 distinct attestations and is released at
    ///         exactly the k-th; the manufacturer, although it holds the lot-attester role, is refused at any point
    ///         and never counts; a repeated attestation is refused; once released, no one can attest any more.
    function testFuzz_attestLot_releasesExactlyAtKthDistinctAttester(
        uint8 quorum,
        uint256 manufacturerTurn,
        uint256 repeatTurn
    ) public {
        uint8 k = uint8(bound(quorum, 1, MAX_QUORUM));
        vm.prank(regulator);
        vaccines.setReleaseQuorum(k);
        _grantRole(LOT_ATTESTER_ROLE, manufacturer);
        uint32 lotId = _registerLot(manufacturer, DEFAULT_DOSES, DEFAULT_LIFETIME);
        manufacturerTurn = bound(manufacturerTurn, 0, k - 1);
        repeatTurn = k == 1 ? type(uint256).max : bound(repeatTurn, 1, k - 1);

        for (uint256 i = 0; i < k; ++i) {
            if (i == manufacturerTurn) _expectManufacturerRefused(lotId);
            if (i == repeatTurn) {
                vm.expectRevert(
                    abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryAlreadyAttested.selector, lotId, _pool[i - 1])
                );
                vm.prank(_pool[i - 1]);
                vaccines.attestLot(lotId);
            }
            assertEq(vaccines.lotState(lotId), LOT_PENDING, "pending before the k-th attestation");
            bool last = i + 1 == k;
            vm.expectEmit(true, true, true, true, address(vaccines));
            emit IVaccineRegistry.LotAttested(lotId, _pool[i], uint8(i + 1));
            if (last) {
                vm.expectEmit(true, true, true, true, address(vaccines));
                emit IVaccineRegistry.LotReleased(lotId, k);
            }
            vm.prank(_pool[i]);
            vaccines.attestLot(lotId);
            IVaccineRegistry.LotView memory lot = vaccines.lotOf(lotId);
            assertEq(lot.attestations, i + 1, "distinct attestations");
            assertEq(lot.state, last ? LOT_ACTIVE : LOT_PENDING, "released exactly at the k-th");
            assertTrue(vaccines.hasAttested(lotId, _pool[i]), "attestation recorded");
        }

        assertFalse(vaccines.hasAttested(lotId, manufacturer), "the manufacturer never counts");
        address late = k < ATTESTER_POOL ? _pool[k] : regulator;
        vm.expectRevert(
            abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryLotNotPending.selector, lotId, LOT_ACTIVE)
        );
        vm.prank(late);
        vaccines.attestLot(lotId);
        assertEq(vaccines.lotOf(lotId).attestations, k, "no attestation after release");
    }

    /// @notice Attesting an unknown lot, or a lot in any state but pending (active, recalled, expired,
    ///         non-conformant), is refused with the lot's state, and records nothing.
    function testFuzz_attestLot_refusesLotNotPending(uint256 stateSeed, uint256 lotSeed) public {
        uint8 target = uint8(bound(stateSeed, 0, 5));
        vm.assume(target != LOT_PENDING);
        uint32 lotId = _lotInState(target, lotSeed);
        address attester = _pool[ATTESTER_POOL - 1];

        vm.expectRevert(
            target == LOT_UNKNOWN
                ? abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryUnknownLot.selector, lotId)
                : abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryLotNotPending.selector, lotId, target)
        );
        vm.prank(attester);
        vaccines.attestLot(lotId);
        assertFalse(vaccines.hasAttested(lotId, attester), "nothing recorded");
    }

    // ==========================================================================================================
    // recallLot
    // ==========================================================================================================

    /// @notice A lot in any known state can be recalled once, with any documented reason: exactly one event whatever
    ///         the number of doses given from it, every dose of the lot then reports the recall, no dose can be
    ///         recorded from it, and a second recall or a quarantine is refused.
    function testFuzz_recallLot_recallsOnceWithOneEventReachingEveryDose(
        uint256 stateSeed,
        uint8 reason,
        uint256 doseSeed
    ) public {
        reason = uint8(bound(reason, 0, MAX_REASON));
        uint256 doses = bound(doseSeed, 0, 12);
        uint8[4] memory recallable = [LOT_PENDING, LOT_ACTIVE, LOT_EXPIRED, LOT_NON_CONFORMANT];
        uint8 target = recallable[stateSeed % 4];
        (uint32 lotId, bytes32[] memory doseIds) = _lotWithDosesInState(target, doses);

        vm.recordLogs();
        vm.prank(regulator);
        vaccines.recallLot(lotId, reason);
        Vm.Log[] memory logs = vm.getRecordedLogs();

        assertEq(logs.length, 1, "one event per lot");
        assertEq(logs[0].emitter, address(vaccines), "emitter");
        assertEq(logs[0].topics[0], IVaccineRegistry.LotRecalled.selector, "LotRecalled");
        assertEq(logs[0].topics[1], bytes32(uint256(lotId)), "lot id topic");
        assertEq(logs[0].topics[2], bytes32(uint256(uint160(regulator))), "regulator topic");
        assertEq(logs[0].topics[3], bytes32(uint256(reason)), "reason topic");
        assertEq(vaccines.lotState(lotId), LOT_RECALLED, "recalled");
        for (uint256 i = 0; i < doseIds.length; ++i) {
            assertEq(vaccines.doseOf(doseIds[i]).lotState, LOT_RECALLED, "every dose reports the recall");
        }

        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryLotNotUsable.selector, lotId, LOT_RECALLED));
        vm.prank(clinic);
        vaccines.recordDose(lotId, citizen, 1, DISTRICT);
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryLotAlreadyRecalled.selector, lotId));
        vm.prank(regulator);
        vaccines.recallLot(lotId, reason);
        vm.expectRevert(
            abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryLotAlreadyNonConformant.selector, lotId, LOT_RECALLED)
        );
        vm.prank(regulator);
        vaccines.quarantineLot(lotId, reason, bytes32(0));
    }

    /// @notice A recall with an undocumented reason code (6-255) or of an unknown lot is refused and changes nothing.
    function testFuzz_recallLot_refusesUnknownReasonOrLot(uint8 reason, uint32 unknownLot) public {
        uint32 lotId = _activeLot(DEFAULT_DOSES, DEFAULT_LIFETIME);
        uint8 badReason = uint8(bound(reason, MAX_REASON + 1, type(uint8).max));
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryInvalidReason.selector, badReason));
        vm.prank(regulator);
        vaccines.recallLot(lotId, badReason);
        assertEq(vaccines.lotState(lotId), LOT_ACTIVE, "unchanged");

        vm.assume(unknownLot != lotId);
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryUnknownLot.selector, unknownLot));
        vm.prank(regulator);
        vaccines.recallLot(unknownLot, uint8(bound(reason, 0, MAX_REASON)));
        assertEq(vaccines.lotState(unknownLot), LOT_UNKNOWN, "still unknown");
    }

    // ==========================================================================================================
    // quarantineLot
    // ==========================================================================================================

    /// @notice A pending, active or expired lot is quarantined (non-conformant) with any documented reason and
    ///         evidence; its doses report it, no dose can be recorded, a second quarantine is refused, and a recall
    ///         still escalates it. A recalled lot cannot be quarantined.
    function testFuzz_quarantineLot_marksNonConformantOnce(
        uint256 stateSeed,
        uint8 reason,
        bytes32 evidence,
        uint256 doseSeed
    ) public {
        reason = uint8(bound(reason, 0, MAX_REASON));
        uint8 target = uint8(bound(stateSeed, 1, 4)); // pending, active, recalled, expired
        (uint32 lotId, bytes32[] memory doseIds) = _lotWithDosesInState(target, bound(doseSeed, 0, 5));

        if (target == LOT_RECALLED) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IVaccineRegistry.VaccineRegistryLotAlreadyNonConformant.selector, lotId, LOT_RECALLED
                )
            );
            vm.prank(regulator);
            vaccines.quarantineLot(lotId, reason, evidence);
            assertEq(vaccines.lotState(lotId), LOT_RECALLED, "stays recalled");
            return;
        }

        vm.expectEmit(true, true, true, true, address(vaccines));
        emit IVaccineRegistry.LotNonConformant(lotId, regulator, reason, evidence);
        vm.prank(regulator);
        vaccines.quarantineLot(lotId, reason, evidence);

        assertEq(vaccines.lotState(lotId), LOT_NON_CONFORMANT, "non-conformant");
        for (uint256 i = 0; i < doseIds.length; ++i) {
            assertEq(vaccines.doseOf(doseIds[i]).lotState, LOT_NON_CONFORMANT, "every dose reports it");
        }
        vm.expectRevert(
            abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryLotNotUsable.selector, lotId, LOT_NON_CONFORMANT)
        );
        vm.prank(clinic);
        vaccines.recordDose(lotId, citizen, 1, DISTRICT);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVaccineRegistry.VaccineRegistryLotAlreadyNonConformant.selector, lotId, LOT_NON_CONFORMANT
            )
        );
        vm.prank(regulator);
        vaccines.quarantineLot(lotId, reason, evidence);

        vm.prank(regulator);
        vaccines.recallLot(lotId, reason);
        assertEq(vaccines.lotState(lotId), LOT_RECALLED, "a recall escalates a quarantine");
    }

    /// @notice A quarantine with an undocumented reason code or of an unknown lot is refused and changes nothing.
    function testFuzz_quarantineLot_refusesUnknownReasonOrLot(uint8 reason, uint32 unknownLot, bytes32 evidence)
        public
    {
        uint32 lotId = _activeLot(DEFAULT_DOSES, DEFAULT_LIFETIME);
        uint8 badReason = uint8(bound(reason, MAX_REASON + 1, type(uint8).max));
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryInvalidReason.selector, badReason));
        vm.prank(regulator);
        vaccines.quarantineLot(lotId, badReason, evidence);
        assertEq(vaccines.lotState(lotId), LOT_ACTIVE, "unchanged");

        vm.assume(unknownLot != lotId);
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryUnknownLot.selector, unknownLot));
        vm.prank(regulator);
        vaccines.quarantineLot(unknownLot, uint8(bound(reason, 0, MAX_REASON)), evidence);
    }

    // ==========================================================================================================
    // reportColdChainExcursion
    // ==========================================================================================================

    /// @notice Only the configured reporter can report an excursion: any other caller is refused. The report is
    ///         always logged for a known lot (reason 3, the shipment as evidence); it makes a pending, active or
    ///         expired lot non-conformant and leaves a recalled or non-conformant lot as it was.
    function testFuzz_reportColdChainExcursion_onlyReporterMarksLotNonConformant(
        address reporter,
        address caller,
        uint256 stateSeed,
        bytes32 shipmentRef
    ) public {
        vm.assume(reporter != address(0) && caller != reporter);
        vm.assume(reporter != address(vm) && caller != address(vm));
        vm.prank(regulator);
        vaccines.setColdChainReporter(reporter);
        uint8 target = uint8(bound(stateSeed, 1, 5));
        (uint32 lotId,) = _lotWithDosesInState(target, 1);

        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryNotColdChainReporter.selector, caller));
        vm.prank(caller);
        vaccines.reportColdChainExcursion(lotId, shipmentRef);
        assertEq(vaccines.lotState(lotId), target, "unchanged by a non-reporter");

        vm.expectEmit(true, true, true, true, address(vaccines));
        emit IVaccineRegistry.LotNonConformant(lotId, reporter, REASON_COLD_CHAIN, shipmentRef);
        vm.prank(reporter);
        vaccines.reportColdChainExcursion(lotId, shipmentRef);
        uint8 expected = target == LOT_RECALLED ? LOT_RECALLED : LOT_NON_CONFORMANT;
        assertEq(vaccines.lotState(lotId), expected, "non-conformant unless recalled");

        uint32 unknownLot = vaccines.lotCount() + 1;
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryUnknownLot.selector, unknownLot));
        vm.prank(reporter);
        vaccines.reportColdChainExcursion(unknownLot, shipmentRef);
    }

    /// @notice With no reporter configured (the default, or reset to zero), every caller is refused, the zero
    ///         address included.
    function testFuzz_reportColdChainExcursion_refusesEveryoneWhenDisabled(address caller, bool wasSet) public {
        vm.assume(caller != address(vm));
        uint32 lotId = _activeLot(DEFAULT_DOSES, DEFAULT_LIFETIME);
        if (wasSet) {
            vm.prank(regulator);
            vaccines.setColdChainReporter(caller);
            vm.prank(regulator);
            vaccines.setColdChainReporter(address(0));
        }
        address[2] memory callers = [caller, address(0)];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryNotColdChainReporter.selector, callers[i])
            );
            vm.prank(callers[i]);
            vaccines.reportColdChainExcursion(lotId, keccak256("shipment"));
        }
        assertEq(vaccines.lotState(lotId), LOT_ACTIVE, "unchanged");
    }

    // ==========================================================================================================
    // setReleaseQuorum / setColdChainReporter
    // ==========================================================================================================

    /// @notice Any quorum 1-15 is stored with an event naming the previous one; it applies to lots registered
    ///         afterwards, while a lot keeps the quorum it was registered with.
    function testFuzz_setReleaseQuorum_appliesToNewLotsOnly(uint8 first, uint8 second) public {
        first = uint8(bound(first, 1, MAX_QUORUM));
        second = uint8(bound(second, 1, MAX_QUORUM));
        uint32 before = _registerLot(manufacturer, DEFAULT_DOSES, DEFAULT_LIFETIME);

        vm.expectEmit(true, true, true, true, address(vaccines));
        emit IVaccineRegistry.ReleaseQuorumChanged(2, first, regulator);
        vm.prank(regulator);
        vaccines.setReleaseQuorum(first);
        assertEq(vaccines.releaseQuorum(), first, "stored");
        uint32 during = _registerLot(manufacturer, DEFAULT_DOSES, DEFAULT_LIFETIME);

        vm.expectEmit(true, true, true, true, address(vaccines));
        emit IVaccineRegistry.ReleaseQuorumChanged(first, second, regulator);
        vm.prank(regulator);
        vaccines.setReleaseQuorum(second);

        assertEq(vaccines.lotOf(before).quorum, 2, "earlier lot keeps its quorum");
        assertEq(vaccines.lotOf(during).quorum, first, "lot keeps the quorum it was registered with");
        assertEq(vaccines.lotOf(_registerLot(manufacturer2, DEFAULT_DOSES, DEFAULT_LIFETIME)).quorum, second, "new");
    }

    /// @notice A quorum of 0 or above 15 is refused and the quorum in force is unchanged.
    function testFuzz_setReleaseQuorum_refusesOutOfRange(uint8 quorum) public {
        vm.assume(quorum == 0 || quorum > MAX_QUORUM);
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryInvalidQuorum.selector, quorum));
        vm.prank(regulator);
        vaccines.setReleaseQuorum(quorum);
        assertEq(vaccines.releaseQuorum(), 2, "unchanged");
    }

    /// @notice The reporter can be set to any address (zero disables) with an event naming the previous one; the
    ///         power to report moves with it.
    function testFuzz_setColdChainReporter_movesThePowerToReport(address first, address second) public {
        vm.assume(first != address(vm) && second != address(vm));
        uint32 lotId = _activeLot(DEFAULT_DOSES, DEFAULT_LIFETIME);
        vm.expectEmit(true, true, true, true, address(vaccines));
        emit IVaccineRegistry.ColdChainReporterChanged(address(0), first, regulator);
        vm.prank(regulator);
        vaccines.setColdChainReporter(first);
        assertEq(vaccines.coldChainReporter(), first, "first stored");

        vm.expectEmit(true, true, true, true, address(vaccines));
        emit IVaccineRegistry.ColdChainReporterChanged(first, second, regulator);
        vm.prank(regulator);
        vaccines.setColdChainReporter(second);
        assertEq(vaccines.coldChainReporter(), second, "second stored");

        if (first != second) {
            vm.expectRevert(
                abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryNotColdChainReporter.selector, first)
            );
            vm.prank(first);
            vaccines.reportColdChainExcursion(lotId, bytes32(0));
        }
        if (second != address(0)) {
            vm.prank(second);
            vaccines.reportColdChainExcursion(lotId, bytes32(0));
            assertEq(vaccines.lotState(lotId), LOT_NON_CONFORMANT, "the new reporter reports");
        }
    }

    // ==========================================================================================================
    // recordDose
    // ==========================================================================================================

    /// @notice Doses of any lot size (1-24), recorded by either clinic for any citizen, dose number and district,
    ///         get the documented id and stored facts; the lot's count is never exceeded (the next record is
    ///         refused, even after voiding one: voided records keep their place).
    function testFuzz_recordDose_neverBeyondDoseCount(
        uint8 countSeed,
        address recipient,
        uint8 doseNumber,
        uint32 district,
        uint256 clinicPattern
    ) public {
        vm.assume(recipient != address(0));
        uint32 count = uint32(bound(countSeed, 1, 24));
        doseNumber = uint8(bound(doseNumber, 1, MAX_DOSE_NUMBER));
        district = uint32(bound(district, 100_000, 999_999));
        uint32 lotId = _activeLot(count, DEFAULT_LIFETIME);

        bytes32 firstDose;
        for (uint32 sequence = 1; sequence <= count; ++sequence) {
            address by = (clinicPattern >> sequence) & 1 == 0 ? clinic : clinic2;
            bytes32 expectedId = VaccineTestLib.doseIdOf(by, lotId, sequence);
            vm.expectEmit(true, true, true, true, address(vaccines));
            emit IVaccineRegistry.DoseRecorded(expectedId, recipient, by, lotId, doseNumber, district);
            vm.prank(by);
            bytes32 doseId = vaccines.recordDose(lotId, recipient, doseNumber, district);
            assertEq(doseId, expectedId, "documented dose id");
            if (sequence == 1) firstDose = doseId;
            IVaccineRegistry.DoseView memory d = vaccines.doseOf(doseId);
            assertEq(d.citizen, recipient, "citizen");
            assertEq(d.lotId, lotId, "lot");
            assertEq(d.sequence, sequence, "sequence");
            assertEq(d.doseNumber, doseNumber, "dose number");
            assertFalse(d.confirmed || d.verified || d.voided, "fresh record");
            assertEq(d.lotState, LOT_ACTIVE, "lot state");
            assertEq(vaccines.lotOf(lotId).dosesRecorded, sequence, "doses recorded");
        }

        _expectExhausted(lotId, count, clinic2);
        if ((clinicPattern >> 1) & 1 == 0) {
            vm.prank(clinic);
            vaccines.voidDose(firstDose, 3);
        }
        _expectExhausted(lotId, count, clinic);
        assertEq(vaccines.lotOf(lotId).dosesRecorded, count, "never beyond the count");
    }

    /// @notice On an unknown lot or a lot in any state but active (pending, recalled, expired, non-conformant) a
    ///         record is refused with the state, and the lot's count of records does not move.
    function testFuzz_recordDose_refusedOnEveryNonActiveState(uint256 stateSeed, uint256 lotSeed, address recipient)
        public
    {
        vm.assume(recipient != address(0));
        uint8 target = uint8(bound(stateSeed, 0, 5));
        vm.assume(target != LOT_ACTIVE);
        uint32 lotId = _lotInState(target, lotSeed);
        uint32 recordedBefore = vaccines.lotOf(lotId).dosesRecorded;

        vm.expectRevert(
            target == LOT_UNKNOWN
                ? abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryUnknownLot.selector, lotId)
                : abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryLotNotUsable.selector, lotId, target)
        );
        vm.prank(clinic);
        vaccines.recordDose(lotId, recipient, 1, DISTRICT);
        assertEq(vaccines.lotOf(lotId).dosesRecorded, recordedBefore, "no record");
    }

    /// @notice Around expiry: a record succeeds at any time before `expiresAt` (1 s before included) and is refused
    ///         as expired at `expiresAt` and any time after.
    function testFuzz_recordDose_usableOnlyBeforeExpiry(uint256 lifetime, uint256 probe) public {
        lifetime = bound(lifetime, 1, 3 * 365 days);
        uint32 lotId = _activeLot(DEFAULT_DOSES, lifetime);
        uint32 expiresAt = vaccines.lotOf(lotId).expiresAt;
        uint256 at = bound(probe, block.timestamp, uint256(expiresAt) + 30 days);
        if (probe % 4 == 0) at = uint256(expiresAt) - 1;
        if (probe % 4 == 1) at = expiresAt;
        vm.warp(at);

        bool usable = at < expiresAt;
        assertEq(vaccines.lotState(lotId), usable ? LOT_ACTIVE : LOT_EXPIRED, "state around expiry");
        if (!usable) {
            vm.expectRevert(
                abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryLotNotUsable.selector, lotId, LOT_EXPIRED)
            );
        }
        vm.prank(clinic);
        vaccines.recordDose(lotId, citizen, 1, DISTRICT);
        assertEq(vaccines.lotOf(lotId).dosesRecorded, usable ? 1 : 0, "recorded iff before expiry");
    }

    /// @notice A zero citizen, a dose number of 0 or above 10, or a district outside 100000-999999 is refused with
    ///         its error, on an active lot, and nothing is recorded.
    function testFuzz_recordDose_refusesInvalidInput(uint256 field, uint256 value) public {
        uint32 lotId = _activeLot(DEFAULT_DOSES, DEFAULT_LIFETIME);
        address recipient = citizen;
        uint8 doseNumber = 1;
        uint32 district = DISTRICT;
        bytes memory expected;
        field = bound(field, 0, 2);
        if (field == 0) {
            recipient = address(0);
            expected = abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryZeroCitizen.selector);
        } else if (field == 1) {
            doseNumber = value % 2 == 0 ? 0 : uint8(bound(value >> 1, MAX_DOSE_NUMBER + 1, type(uint8).max));
            expected = abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryInvalidDoseNumber.selector, doseNumber);
        } else {
            district = value % 2 == 0
                ? uint32(bound(value >> 1, 0, 99_999))
                : uint32(bound(value >> 1, 1_000_000, type(uint32).max));
            expected = abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryInvalidDistrict.selector, district);
        }
        vm.expectRevert(expected);
        vm.prank(clinic);
        vaccines.recordDose(lotId, recipient, doseNumber, district);
        assertEq(vaccines.lotOf(lotId).dosesRecorded, 0, "nothing recorded");
    }

    // ==========================================================================================================
    // confirmDose
    // ==========================================================================================================

    /// @notice Only the dose's citizen can confirm it, once: any other caller is refused, the confirmation is
    ///         recorded with the citizen as sender, a second one is refused and the clinic can no longer void it.
    function testFuzz_confirmDose_onlyByTheCitizenOnce(address recipient, address other) public {
        vm.assume(recipient != address(0) && other != recipient);
        vm.assume(recipient != address(vm) && other != address(vm));
        uint32 lotId = _activeLot(DEFAULT_DOSES, DEFAULT_LIFETIME);
        bytes32 doseId = _recordDose(clinic, lotId, recipient);

        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryNotDoseCitizen.selector, doseId, other));
        vm.prank(other);
        vaccines.confirmDose(doseId);
        assertFalse(vaccines.doseOf(doseId).confirmed, "not confirmed by another");

        vm.expectEmit(true, true, true, true, address(vaccines));
        emit IVaccineRegistry.DoseConfirmed(doseId, recipient, recipient);
        vm.prank(recipient);
        vaccines.confirmDose(doseId);
        IVaccineRegistry.DoseView memory d = vaccines.doseOf(doseId);
        assertTrue(d.confirmed, "confirmed");
        assertFalse(d.verified, "confirming does not verify");

        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryDoseAlreadyConfirmed.selector, doseId));
        vm.prank(recipient);
        vaccines.confirmDose(doseId);
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryDoseAlreadyConfirmed.selector, doseId));
        vm.prank(clinic);
        vaccines.voidDose(doseId, 0);
    }

    /// @notice Confirming an unknown dose id, or a voided dose, is refused.
    function testFuzz_confirmDose_refusesUnknownOrVoidedDose(bytes32 unknownId, address recipient) public {
        vm.assume(recipient != address(0) && recipient != address(vm));
        uint32 lotId = _activeLot(DEFAULT_DOSES, DEFAULT_LIFETIME);
        bytes32 doseId = _recordDose(clinic, lotId, recipient);
        vm.assume(unknownId != doseId);
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryUnknownDose.selector, unknownId));
        vm.prank(recipient);
        vaccines.confirmDose(unknownId);

        vm.prank(clinic);
        vaccines.voidDose(doseId, 2);
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryDoseVoided.selector, doseId));
        vm.prank(recipient);
        vaccines.confirmDose(doseId);
        assertFalse(vaccines.doseOf(doseId).confirmed, "voided stays unconfirmed");
    }

    // ==========================================================================================================
    // confirmDoseBySig
    // ==========================================================================================================

    /// @notice For any citizen key, relayer and deadline: another key's signature, or the citizen's over another
    ///         deadline or dose, is refused; the citizen's signature is accepted once (the event names the relayer)
    ///         and its replay is refused.
    function testFuzz_confirmDoseBySig_acceptedOnceReplayAndOtherKeyRefused(
        uint256 keySeed,
        uint256 otherKeySeed,
        address relayer,
        uint256 deadlineSeed
    ) public {
        uint256 key = boundPrivateKey(keySeed);
        uint256 otherKey = boundPrivateKey(otherKeySeed);
        vm.assume(key != otherKey && relayer != address(vm));
        address signer = vm.addr(key);
        uint32 lotId = _activeLot(DEFAULT_DOSES, DEFAULT_LIFETIME);
        bytes32 doseId = _recordDose(clinic, lotId, signer);
        bytes32 otherDose = _recordDose(clinic2, lotId, signer);
        uint256 deadline = block.timestamp + bound(deadlineSeed, 0, 3650 days);

        bytes[3] memory badSignatures = [
            _signConfirmDose(otherKey, doseId, deadline), // another key
            _signConfirmDose(key, doseId, deadline + 1), // another deadline
            _signConfirmDose(key, otherDose, deadline) // another dose
        ];
        for (uint256 i = 0; i < badSignatures.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryInvalidSignature.selector, doseId)
            );
            vm.prank(relayer);
            vaccines.confirmDoseBySig(doseId, deadline, badSignatures[i]);
        }
        assertFalse(vaccines.doseOf(doseId).confirmed, "not confirmed by a bad signature");

        bytes memory signature = _signConfirmDose(key, doseId, deadline);
        vm.expectEmit(true, true, true, true, address(vaccines));
        emit IVaccineRegistry.DoseConfirmed(doseId, signer, relayer);
        vm.prank(relayer);
        vaccines.confirmDoseBySig(doseId, deadline, signature);
        assertTrue(vaccines.doseOf(doseId).confirmed, "confirmed");
        assertFalse(vaccines.doseOf(otherDose).confirmed, "only that dose");

        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryDoseAlreadyConfirmed.selector, doseId));
        vm.prank(relayer);
        vaccines.confirmDoseBySig(doseId, deadline, signature);
    }

    /// @notice A signature is relayable up to and including its deadline, and refused any time after.
    function testFuzz_confirmDoseBySig_refusedAfterDeadline(uint256 keySeed, uint256 lifetime, uint256 lateness)
        public
    {
        uint256 key = boundPrivateKey(keySeed);
        uint32 lotId = _activeLot(DEFAULT_DOSES, DEFAULT_LIFETIME);
        bytes32 doseId = _recordDose(clinic, lotId, vm.addr(key));
        uint256 deadline = block.timestamp + bound(lifetime, 0, 30 days);
        bytes memory signature = _signConfirmDose(key, doseId, deadline);

        uint256 late = deadline + bound(lateness, 1, 3650 days);
        vm.warp(late);
        vm.expectRevert(
            abi.encodeWithSelector(IVaccineRegistry.VaccineRegistrySignatureExpired.selector, deadline, late)
        );
        vaccines.confirmDoseBySig(doseId, deadline, signature);

        vm.warp(deadline);
        vaccines.confirmDoseBySig(doseId, deadline, signature);
        assertTrue(vaccines.doseOf(doseId).confirmed, "accepted at the deadline");
    }

    /// @notice The malleated (high-s) twin of a valid signature, a signature for an unknown dose, and a valid
    ///         signature for a voided dose are all refused.
    function testFuzz_confirmDoseBySig_refusesMalleatedUnknownOrVoided(uint256 keySeed, bytes32 unknownId) public {
        uint256 key = boundPrivateKey(keySeed);
        uint32 lotId = _activeLot(DEFAULT_DOSES, DEFAULT_LIFETIME);
        bytes32 doseId = _recordDose(clinic, lotId, vm.addr(key));
        vm.assume(unknownId != doseId);
        uint256 deadline = block.timestamp + 1 days;

        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(key, VaccineTestLib.confirmDoseDigest(_vaccineDomain(), doseId, deadline));
        bytes memory twin = abi.encodePacked(r, bytes32(SECP256K1_N - uint256(s)), v == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryInvalidSignature.selector, doseId));
        vaccines.confirmDoseBySig(doseId, deadline, twin);

        bytes memory forUnknown = _signConfirmDose(key, unknownId, deadline);
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryUnknownDose.selector, unknownId));
        vaccines.confirmDoseBySig(unknownId, deadline, forUnknown);

        vm.prank(clinic);
        vaccines.voidDose(doseId, 0);
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryDoseVoided.selector, doseId));
        vaccines.confirmDoseBySig(doseId, deadline, abi.encodePacked(r, s, v));
    }

    /// @notice A citizen whose wallet is a contract (ERC-1271) confirms through a relayed signature of its owner key.
    function testFuzz_confirmDoseBySig_acceptsContractWalletCitizen(uint256 ownerSeed, uint256 strangerSeed) public {
        uint256 ownerKey = boundPrivateKey(ownerSeed);
        uint256 strangerKey = boundPrivateKey(strangerSeed);
        vm.assume(ownerKey != strangerKey);
        MockContractWallet wallet = new MockContractWallet(vm.addr(ownerKey));
        uint32 lotId = _activeLot(DEFAULT_DOSES, DEFAULT_LIFETIME);
        bytes32 doseId = _recordDose(clinic, lotId, address(wallet));
        uint256 deadline = block.timestamp + 1 hours;

        bytes memory byStranger = _signConfirmDose(strangerKey, doseId, deadline);
        bytes memory byOwner = _signConfirmDose(ownerKey, doseId, deadline);
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryInvalidSignature.selector, doseId));
        vaccines.confirmDoseBySig(doseId, deadline, byStranger);
        vm.prank(clinic);
        vaccines.confirmDoseBySig(doseId, deadline, byOwner);
        assertTrue(vaccines.doseOf(doseId).confirmed, "confirmed by the wallet owner's signature");
    }

    // ==========================================================================================================
    // verifyDose
    // ==========================================================================================================

    /// @notice Neither the recording clinic, nor the citizen, nor any other caller without the regulator role can
    ///         make a record look verified; a regulator verifies it once (confirmed or not); a voided record or an
    ///         unknown dose cannot be verified.
    function testFuzz_verifyDose_onlyRegulatorOnce(address recipient, address stranger, bool confirmFirst) public {
        vm.assume(recipient != address(0) && !authority.hasRole(REGULATOR_ROLE, stranger));
        vm.assume(!authority.hasRole(REGULATOR_ROLE, recipient));
        vm.assume(recipient != address(vm) && stranger != address(vm));
        uint32 lotId = _activeLot(DEFAULT_DOSES, DEFAULT_LIFETIME);
        bytes32 doseId = _recordDose(clinic, lotId, recipient);
        if (confirmFirst) {
            vm.prank(recipient);
            vaccines.confirmDose(doseId);
        }
        address[3] memory nonRegulators = [clinic, recipient, stranger];
        for (uint256 i = 0; i < nonRegulators.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IVaccineRegistry.VaccineRegistryUnauthorized.selector, nonRegulators[i], REGULATOR_ROLE
                )
            );
            vm.prank(nonRegulators[i]);
            vaccines.verifyDose(doseId);
        }
        assertFalse(vaccines.doseOf(doseId).verified, "not verified by a non-regulator");

        vm.expectEmit(true, true, true, true, address(vaccines));
        emit IVaccineRegistry.DoseVerified(doseId, regulator);
        vm.prank(regulator);
        vaccines.verifyDose(doseId);
        IVaccineRegistry.DoseView memory d = vaccines.doseOf(doseId);
        assertTrue(d.verified, "verified");
        assertEq(d.confirmed, confirmFirst, "verification does not confirm");
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryDoseAlreadyVerified.selector, doseId));
        vm.prank(regulator);
        vaccines.verifyDose(doseId);

        bytes32 voided = _recordDose(clinic2, lotId, recipient);
        vm.prank(clinic2);
        vaccines.voidDose(voided, 1);
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryDoseVoided.selector, voided));
        vm.prank(regulator);
        vaccines.verifyDose(voided);
        bytes32 unknownId = keccak256(abi.encode(doseId));
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryUnknownDose.selector, unknownId));
        vm.prank(regulator);
        vaccines.verifyDose(unknownId);
    }

    // ==========================================================================================================
    // voidDose
    // ==========================================================================================================

    /// @notice Only the recording clinic can void its record: any caller without the clinic role is refused as
    ///         unauthorized, and any other clinic as not the dose's clinic. It voids with a documented reason, once,
    ///         and never after the citizen confirmed it or a regulator verified it (`sealedBy` 1 confirmed,
    ///         2 verified, 3 both; 0 neither); the record stays (append-only) and keeps counting toward the lot.
    function testFuzz_voidDose_onlyRecordingClinicNeverAfterConfirmation(
        address caller,
        uint8 reason,
        uint8 sealedBy,
        bool bySecondClinic
    ) public {
        address recorder = bySecondClinic ? clinic2 : clinic;
        address otherClinic = bySecondClinic ? clinic : clinic2;
        vm.assume(caller != recorder && caller != address(vm));
        reason = uint8(bound(reason, 0, MAX_VOID_REASON));
        sealedBy %= 4;
        uint32 lotId = _activeLot(DEFAULT_DOSES, DEFAULT_LIFETIME);
        bytes32 doseId = _recordDose(recorder, lotId, citizen);

        vm.expectRevert(
            authority.hasRole(CLINIC_ROLE, caller)
                ? abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryNotDoseClinic.selector, doseId, caller)
                : abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryUnauthorized.selector, caller, CLINIC_ROLE)
        );
        vm.prank(caller);
        vaccines.voidDose(doseId, reason);
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryNotDoseClinic.selector, doseId, otherClinic));
        vm.prank(otherClinic);
        vaccines.voidDose(doseId, reason);

        if (sealedBy != 0) {
            if (sealedBy & 1 != 0) {
                vm.prank(citizen);
                vaccines.confirmDose(doseId);
            }
            if (sealedBy & 2 != 0) {
                vm.prank(regulator);
                vaccines.verifyDose(doseId);
            }
            vm.expectRevert(
                abi.encodeWithSelector(
                    sealedBy & 1 != 0
                        ? IVaccineRegistry.VaccineRegistryDoseAlreadyConfirmed.selector
                        : IVaccineRegistry.VaccineRegistryDoseAlreadyVerified.selector,
                    doseId
                )
            );
            vm.prank(recorder);
            vaccines.voidDose(doseId, reason);
            assertFalse(vaccines.doseOf(doseId).voided, "a confirmed or verified dose is never voided");
            return;
        }

        vm.expectEmit(true, true, true, true, address(vaccines));
        emit IVaccineRegistry.DoseVoided(doseId, recorder, reason);
        vm.prank(recorder);
        vaccines.voidDose(doseId, reason);
        IVaccineRegistry.DoseView memory d = vaccines.doseOf(doseId);
        assertTrue(d.voided, "voided");
        assertFalse(d.confirmed, "not confirmed");
        assertEq(d.citizen, citizen, "record kept");
        assertEq(vaccines.lotOf(lotId).dosesRecorded, 1, "still counts toward the lot");
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryDoseVoided.selector, doseId));
        vm.prank(recorder);
        vaccines.voidDose(doseId, reason);
    }

    /// @notice An undocumented void reason (5-255) or an unknown dose id is refused.
    function testFuzz_voidDose_refusesUnknownReasonOrDose(uint8 reason, bytes32 unknownId) public {
        uint32 lotId = _activeLot(DEFAULT_DOSES, DEFAULT_LIFETIME);
        bytes32 doseId = _recordDose(clinic, lotId, citizen);
        vm.assume(unknownId != doseId);
        uint8 badReason = uint8(bound(reason, MAX_VOID_REASON + 1, type(uint8).max));
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryInvalidReason.selector, badReason));
        vm.prank(clinic);
        vaccines.voidDose(doseId, badReason);
        assertFalse(vaccines.doseOf(doseId).voided, "not voided");

        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryUnknownDose.selector, unknownId));
        vm.prank(clinic);
        vaccines.voidDose(unknownId, uint8(bound(reason, 0, MAX_VOID_REASON)));
    }

    // ==========================================================================================================
    // checkVaccinationProof
    // ==========================================================================================================

    /// @notice For any citizen key, challenge, validity window, signer, dose state (unconfirmed, confirmed,
    ///         confirmed and verified, voided) and lot state (active, recalled, non-conformant, expired), the result
    ///         code is the first failing check in the documented order (1 not current, 2 too long, 3 bad signature,
    ///         4 no confirmed dose of this citizen, 5 lot recalled or non-conformant), and 0 exactly when all pass:
    ///         a lot's expiry after the dose was given does not undo the proof, a recall or non-conformance does.
    function testFuzz_checkVaccinationProof_resultConsistentWithState(
        uint256 keySeed,
        uint256 otherKeySeed,
        uint8 doseMode,
        uint8 lotMode,
        uint256 validity,
        uint8 sigMode,
        bytes32 challenge
    ) public {
        ProofCase memory c;
        c.key = boundPrivateKey(keySeed);
        c.otherKey = boundPrivateKey(otherKeySeed);
        vm.assume(c.key != c.otherKey);
        c.citizen = vm.addr(c.key);
        uint32 lotId = _activeLot(DEFAULT_DOSES, 30 days);
        c.doseId = _recordDose(clinic, lotId, c.citizen);
        _putDoseInMode(c, doseMode % 4);
        _putLotInMode(lotId, lotMode % 4);

        // validity window: from 1 day in the past to 1 day ahead, with the edges 0 s and 300/301 s ahead
        c.validUntil = block.timestamp - 1 days + bound(validity, 0, 2 days);
        if (validity % 5 == 0) c.validUntil = block.timestamp + MAX_PROOF_LIFETIME;
        if (validity % 5 == 1) c.validUntil = block.timestamp + MAX_PROOF_LIFETIME + 1;
        if (validity % 5 == 2) c.validUntil = block.timestamp + (validity >> 8) % (MAX_PROOF_LIFETIME + 1);

        // signer: 0 the citizen, 1 another key, 2 the citizen over another challenge, 3 another citizen claiming it
        sigMode %= 4;
        c.claimed = sigMode == 3 ? vm.addr(c.otherKey) : c.citizen;
        uint256 signingKey = sigMode == 1 || sigMode == 3 ? c.otherKey : c.key;
        bytes32 signedChallenge = sigMode == 2 ? keccak256(abi.encode(challenge)) : challenge;
        bytes memory signature = _signProof(signingKey, c.claimed, c.doseId, signedChallenge, c.validUntil);
        bool signatureValid = sigMode != 1 && sigMode != 2;

        IVaccineRegistry.DoseView memory d = vaccines.doseOf(c.doseId);
        uint8 expected;
        if (block.timestamp > c.validUntil) expected = PROOF_NOT_CURRENT;
        else if (c.validUntil - block.timestamp > MAX_PROOF_LIFETIME) expected = PROOF_TOO_LONG;
        else if (!signatureValid) expected = PROOF_BAD_SIGNATURE;
        else if (d.citizen != c.claimed || !d.confirmed || d.voided) expected = PROOF_NO_CONFIRMED_DOSE;
        else if (d.lotState == LOT_RECALLED || d.lotState == LOT_NON_CONFORMANT) expected = PROOF_LOT_NOT_USABLE;
        else expected = PROOF_VALID;

        uint8 result = vaccines.checkVaccinationProof(c.claimed, c.doseId, challenge, c.validUntil, signature);
        assertEq(result, expected, "result code");
        if (d.voided) assertTrue(result != PROOF_VALID, "a voided dose never proves vaccination");
        if (result == PROOF_VALID) {
            bool lotInGoodStanding = d.lotState == LOT_ACTIVE || d.lotState == LOT_EXPIRED;
            assertTrue(d.confirmed && !d.voided && lotInGoodStanding, "valid only for a confirmed dose of a good lot");
        }
    }

    // ==========================================================================================================
    // Role gating
    // ==========================================================================================================

    /// @notice Any caller lacking the needed role is refused by every role-gated function (registerLot, attestLot,
    ///         recallLot, quarantineLot, setReleaseQuorum, setColdChainReporter, verifyDose, recordDose, voidDose) with
    ///         `VaccineRegistryUnauthorized(caller, role)`, and nothing changes.
    function testFuzz_roleGated_refusesEveryCallerWithoutTheRole(address caller, uint256 fn) public {
        fn = bound(fn, 0, GATED_COUNT - 1);
        vm.assume(caller != address(vm) && !authority.hasRole(_neededRole(fn), caller));
        _assertRefusedAndUnchanged(caller, fn);
    }

    /// @notice An organisation holding every role except the one a function needs is refused by it, and so is a
    ///         holder of the role whose organisation is suspended.
    function testFuzz_roleGated_refusesOtherRolesAndSuspendedHolders(uint256 fn, bool suspended) public {
        fn = bound(fn, 0, GATED_COUNT - 1);
        bytes32 needed = _neededRole(fn);
        _accredit(insider, KIND_HOSPITAL, "Ruijin Hospital", unicode"瑞金医院");
        bytes32[8] memory roles = _allRoles();
        for (uint256 i = 0; i < roles.length; ++i) {
            if ((roles[i] == needed) != suspended) continue;
            vm.prank(i == 0 ? admin : regulator);
            authority.grantRole(roles[i], insider);
        }
        if (suspended) {
            vm.prank(regulator);
            authority.suspend(insider);
        }
        _assertRefusedAndUnchanged(insider, fn);
    }

    // ==========================================================================================================
    // Helpers
    // ==========================================================================================================

    struct ProofCase {
        uint256 key;
        uint256 otherKey;
        address citizen;
        address claimed;
        bytes32 doseId;
        uint256 validUntil;
    }

    function _validParams() private returns (IVaccineRegistry.LotParams memory p) {
        ++_lotNonce;
        p.dossierHash = keccak256(abi.encode("dossier", _lotNonce));
        p.lotNumber = "SIBP2025-06A";
        p.gtin = VaccineTestLib.gtin(GTIN_BODY_BASE + _lotNonce);
        p.manufacturedAt = uint40(block.timestamp - 30 days);
        p.doseCount = DEFAULT_DOSES;
        p.expiresAt = uint32(block.timestamp + DEFAULT_LIFETIME);
        p.minTempCentiC = 200;
        p.maxTempCentiC = 800;
    }

    function _registerLot(address by, uint32 doseCount, uint256 lifetime) private returns (uint32 lotId) {
        IVaccineRegistry.LotParams memory p = _validParams();
        p.doseCount = doseCount;
        p.expiresAt = uint32(block.timestamp + lifetime);
        vm.prank(by);
        lotId = vaccines.registerLot(p);
    }

    /// @dev Register and release (quorum 2: the release lab and the regulator).
    function _activeLot(uint32 doseCount, uint256 lifetime) private returns (uint32 lotId) {
        lotId = _registerLot(manufacturer, doseCount, lifetime);
        vm.prank(releaseLab);
        vaccines.attestLot(lotId);
        vm.prank(regulator);
        vaccines.attestLot(lotId);
    }

    function _recordDose(address by, uint32 lotId, address recipient) private returns (bytes32 doseId) {
        vm.prank(by);
        doseId = vaccines.recordDose(lotId, recipient, 1, DISTRICT);
    }

    /// @dev A lot in state `target` (0 unknown: an id above the lot count, chosen by `lotSeed`).
    function _lotInState(uint8 target, uint256 lotSeed) private returns (uint32 lotId) {
        if (target == LOT_UNKNOWN) {
            _activeLot(DEFAULT_DOSES, DEFAULT_LIFETIME);
            return uint32(bound(lotSeed, vaccines.lotCount() + 1, type(uint32).max));
        }
        (lotId,) = _lotWithDosesInState(target, 0);
    }

    /// @dev A lot with `doses` doses (given while it was active, if any) that is then put in state `target`
    ///      (1 pending: no doses; 2 active; 3 recalled; 4 expired; 5 non-conformant).
    function _lotWithDosesInState(uint8 target, uint256 doses)
        private
        returns (uint32 lotId, bytes32[] memory doseIds)
    {
        if (target == LOT_PENDING) {
            return (_registerLot(manufacturer, DEFAULT_DOSES, DEFAULT_LIFETIME), new bytes32[](0));
        }
        lotId = _activeLot(DEFAULT_DOSES, 30 days);
        doseIds = new bytes32[](doses);
        for (uint256 i = 0; i < doses; ++i) {
            address recipient = address(uint160(uint256(keccak256(abi.encode("citizen", i)))));
            doseIds[i] = _recordDose(i % 2 == 0 ? clinic : clinic2, lotId, recipient);
        }
        if (target == LOT_RECALLED) {
            vm.prank(regulator);
            vaccines.recallLot(lotId, 0);
        } else if (target == LOT_EXPIRED) {
            vm.warp(vaccines.lotOf(lotId).expiresAt);
        } else if (target == LOT_NON_CONFORMANT) {
            vm.prank(regulator);
            vaccines.quarantineLot(lotId, 1, keccak256("inspection"));
        }
        assertEq(vaccines.lotState(lotId), target, "lot put in the target state");
    }

    function _putDoseInMode(ProofCase memory c, uint8 mode) private {
        if (mode == 1 || mode == 3) {
            vm.prank(c.citizen);
            vaccines.confirmDose(c.doseId);
        }
        if (mode == 3) {
            vm.prank(regulator);
            vaccines.verifyDose(c.doseId);
        }
        if (mode == 2) {
            vm.prank(clinic);
            vaccines.voidDose(c.doseId, 4);
        }
    }

    function _putLotInMode(uint32 lotId, uint8 mode) private {
        if (mode == 1) {
            vm.prank(regulator);
            vaccines.recallLot(lotId, 1);
        } else if (mode == 2) {
            vm.prank(regulator);
            vaccines.setColdChainReporter(address(this));
            vaccines.reportColdChainExcursion(lotId, keccak256("shipment"));
        } else if (mode == 3) {
            vm.warp(vaccines.lotOf(lotId).expiresAt + 1 hours);
        }
    }

    function _expectManufacturerRefused(uint32 lotId) private {
        vm.expectRevert(
            abi.encodeWithSelector(
                IVaccineRegistry.VaccineRegistryManufacturerCannotAttest.selector, lotId, manufacturer
            )
        );
        vm.prank(manufacturer);
        vaccines.attestLot(lotId);
    }

    function _expectExhausted(uint32 lotId, uint32 count, address by) private {
        vm.expectRevert(abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryLotExhausted.selector, lotId, count));
        vm.prank(by);
        vaccines.recordDose(lotId, citizen, 1, DISTRICT);
    }

    function _invalidDates(IVaccineRegistry.LotParams memory p) private view returns (bytes memory) {
        return abi.encodeWithSelector(
            IVaccineRegistry.VaccineRegistryInvalidDates.selector, p.manufacturedAt, p.expiresAt, block.timestamp
        );
    }

    /// @dev A lot number of `length` printable ASCII bytes drawn from `seed`.
    function _lotNumber(uint256 seed, uint256 length) private pure returns (string memory) {
        bytes memory b = new bytes(length);
        bytes32 h = keccak256(abi.encode(seed));
        for (uint256 i = 0; i < length; ++i) {
            b[i] = bytes1(uint8(0x21 + uint8(h[i]) % 94));
        }
        return string(b);
    }

    /// @dev A non-empty storage range from two fuzzed temperatures (sorted; nudged apart if equal).
    function _orderedRange(int16 a, int16 b) private pure returns (int16 low, int16 high) {
        (low, high) = a < b ? (a, b) : (b, a);
        if (low == high) {
            if (high < type(int16).max) ++high;
            else --low;
        }
    }

    function _neededRole(uint256 fn) private pure returns (bytes32) {
        if (fn == 0) return MANUFACTURER_ROLE;
        if (fn == 1) return LOT_ATTESTER_ROLE;
        if (fn >= 7) return CLINIC_ROLE;
        return REGULATOR_ROLE;
    }

    function _assertRefusedAndUnchanged(address caller, uint256 fn) private {
        uint32 pending = _registerLot(manufacturer, DEFAULT_DOSES, DEFAULT_LIFETIME);
        uint32 active = _activeLot(DEFAULT_DOSES, DEFAULT_LIFETIME);
        bytes32 doseId = _recordDose(clinic, active, citizen);
        IVaccineRegistry.LotParams memory p = _validParams();
        bytes32 before = _stateDigest(pending, active, doseId);

        vm.expectRevert(
            abi.encodeWithSelector(IVaccineRegistry.VaccineRegistryUnauthorized.selector, caller, _neededRole(fn))
        );
        vm.prank(caller);
        if (fn == 0) vaccines.registerLot(p);
        else if (fn == 1) vaccines.attestLot(pending);
        else if (fn == 2) vaccines.recallLot(active, 0);
        else if (fn == 3) vaccines.quarantineLot(active, 0, bytes32(0));
        else if (fn == 4) vaccines.setReleaseQuorum(3);
        else if (fn == 5) vaccines.setColdChainReporter(caller);
        else if (fn == 6) vaccines.verifyDose(doseId);
        else if (fn == 7) vaccines.recordDose(active, citizen, 1, DISTRICT);
        else vaccines.voidDose(doseId, 0);

        assertEq(_stateDigest(pending, active, doseId), before, "state unchanged");
    }

    function _stateDigest(uint32 pending, uint32 active, bytes32 doseId) private view returns (bytes32) {
        return keccak256(
            abi.encode(
                vaccines.lotCount(),
                vaccines.releaseQuorum(),
                vaccines.coldChainReporter(),
                vaccines.lotOf(pending),
                vaccines.lotOf(active),
                vaccines.doseOf(doseId)
            )
        );
    }
}
