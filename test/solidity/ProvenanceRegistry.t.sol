// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IProvenanceRegistry} from "../../contracts/interfaces/IProvenanceRegistry.sol";
import {IVaccineRegistry} from "../../contracts/interfaces/IVaccineRegistry.sol";
import {ProvenanceFixture, ProvenanceTestLib} from "./utils/ProvenanceFixture.sol";
import {Vm} from "./utils/Vm.sol";

/// @title ProvenanceRegistryFuzzTest
/// @notice Fuzz properties of every state-changing function of ProvenanceRegistry — registerLocation,
///         createShipment, recordStep, recordSteps, proposeHandover, acceptHandover, rejectHandover and
///         reportSuspectScan — and of its role gating for fuzzed callers. Expected outcomes come from the documented
///         rules (IProvenanceRegistry NatSpec), recomputed by the test: step words are packed and judged by
///         `ProvenanceTestLib`, shipment ids and GTIN check digits are computed by the test.
contract ProvenanceRegistryFuzzTest is ProvenanceFixture {
    /// @dev The topic of a custody step, from the documented event signature.
    bytes32 private constant STEP_TOPIC = keccak256("CustodyStepRecorded(bytes32,address,bytes32)");

    uint32 internal activeLot;
    uint32 internal pendingLot;
    uint32 internal otherLot;
    /// @notice A cold-chain (2–8 °C) vaccine shipment of `activeLot`, held by the manufacturer.
    bytes32 internal coldId;
    /// @notice A shipment of masks (no cold chain, no lot), held by the manufacturer.
    bytes32 internal plainId;

    uint256 private _serials;

    function setUp() public {
        _deployProvenance();
        activeLot = _registerLot(manufacturer, true);
        pendingLot = _registerLot(manufacturer, false);
        otherLot = _registerLot(manufacturer2, true);
        coldId = _create(_params("LOT-C", "SN-1", true, activeLot));
        plainId = _create(_params("LOT-M", "SN-1", false, 0));
    }

    // ==========================================================================================================
    // registerLocation
    // ==========================================================================================================

    /// @notice Any active organisation registers any valid, unregistered GLN (13 digits, left-padded, with its
    ///         GS1 check digit) with a 1–64-byte name: it is stored as the owner and announced; a second
    ///         registration of that GLN, by the same or any other organisation, is refused and leaves the owner
    ///         unchanged.
    function testFuzz_registerLocation_storesValidGlnOnce(
        uint64 glnBody,
        uint256 nameLength,
        uint256 ownerSeed,
        uint256 secondSeed
    ) public {
        uint64 gln = ProvenanceTestLib.glnOf(uint64(bound(glnBody, 1, 999_999_999_999)));
        vm.assume(provenance.locationOwner(gln) == address(0));
        address org = _activeOrg(ownerSeed);
        string memory name = ProvenanceTestLib.text(bytes32(nameLength), bound(nameLength, 1, MAX_NAME_BYTES));

        vm.expectEmit(true, true, true, true, address(provenance));
        emit IProvenanceRegistry.LocationRegistered(gln, org, name);
        vm.prank(org);
        provenance.registerLocation(gln, name);
        assertEq(provenance.locationOwner(gln), org, "owner stored");

        address second = _activeOrg(secondSeed);
        vm.expectRevert(
            abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryLocationExists.selector, gln, org)
        );
        vm.prank(second);
        provenance.registerLocation(gln, "Another site");
        assertEq(provenance.locationOwner(gln), org, "owner unchanged by a second registration");
    }

    /// @notice A GLN that is zero, longer than 13 digits or has a wrong check digit is refused whatever the name;
    ///         a valid GLN with a name that is empty or longer than 64 bytes is refused; nothing is stored either way.
    function testFuzz_registerLocation_refusesInvalidGlnOrName(uint64 gln, uint256 nameLength, uint256 mode) public {
        bytes memory expected;
        mode %= 4;
        if (mode < 3) {
            if (mode == 0) {
                gln = 0;
            } else if (mode == 1) {
                gln = uint64(bound(gln, uint256(MAX_GLN) + 1, type(uint64).max));
            } else {
                uint64 body = uint64(bound(gln, 0, 999_999_999_999));
                gln = body * 10 + (ProvenanceTestLib.checkDigit(body) + 1 + uint64(nameLength % 9)) % 10;
            }
            nameLength = bound(nameLength, 0, 200);
            expected = abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryInvalidGln.selector, gln);
        } else {
            gln = ProvenanceTestLib.glnOf(uint64(bound(gln, 1, 999_999_999_999)));
            vm.assume(provenance.locationOwner(gln) == address(0));
            nameLength = nameLength % 2 == 0 ? 0 : bound(nameLength, MAX_NAME_BYTES + 1, 1000);
            expected = abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryInvalidName.selector, nameLength);
        }
        string memory name = ProvenanceTestLib.text(bytes32(uint256(gln)), nameLength);

        vm.expectRevert(expected);
        vm.prank(warehouse);
        provenance.registerLocation(gln, name);
        assertEq(provenance.locationOwner(gln), address(0), "nothing stored");
    }

    // ==========================================================================================================
    // createShipment
    // ==========================================================================================================

    /// @notice Any valid parameters (GTIN with a correct check digit, 1–20-byte lot and serial, a quantity, an
    ///         optional cold-chain range with min < max, the caller's own vaccine lot or none) create a shipment whose
    ///         id is `keccak256(abi.encode(gtin, lot, serial))`, held by the manufacturer, storing exactly the rule
    ///         (the range only with `coldChain`, 0 / 0 otherwise) and announcing every field; the same identity is
    ///         refused afterwards.
    function testFuzz_createShipment_storesExactlyTheParams(
        uint64 gtinBody,
        bytes32 textSeed,
        uint256 lengths,
        uint32 quantity,
        bool coldChain,
        int16 minTemp,
        int16 maxTemp,
        uint256 lotChoice
    ) public {
        IProvenanceRegistry.ShipmentParams memory p;
        p.gtin = ProvenanceTestLib.gtinOf(uint64(bound(gtinBody, 1, 9_999_999_999_999)));
        p.lotNumber = ProvenanceTestLib.text(textSeed, bound(lengths, 1, MAX_IDENTIFIER_BYTES));
        p.serial = ProvenanceTestLib.text(~textSeed, bound(lengths >> 128, 1, MAX_IDENTIFIER_BYTES));
        p.origin = GLN_PLANT;
        p.quantity = uint32(bound(quantity, 1, type(uint32).max));
        p.vaccineLotId = lotChoice % 3 == 0 ? 0 : lotChoice % 3 == 1 ? activeLot : pendingLot;
        p.coldChain = coldChain;
        (p.minTempCentiC, p.maxTempCentiC) = (minTemp, maxTemp);
        if (coldChain) (p.minTempCentiC, p.maxTempCentiC) = _range(minTemp, maxTemp);
        bytes32 expectedId = ProvenanceTestLib.shipmentId(p.gtin, p.lotNumber, p.serial);
        vm.assume(provenance.shipmentOf(expectedId).holder == address(0));

        _expectShipmentCreated(expectedId, p);
        vm.prank(manufacturer);
        bytes32 id = provenance.createShipment(p);

        assertEq(id, expectedId, "id = keccak256(abi.encode(gtin, lot, serial))");
        assertEq(provenance.shipmentIdOf(p.gtin, p.lotNumber, p.serial), expectedId, "shipmentIdOf");
        _assertStoredExactly(id, p);

        vm.expectRevert(abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryShipmentExists.selector, id));
        vm.prank(manufacturer);
        provenance.createShipment(_withQuantity(p, 1));
        _assertStoredExactly(id, p);
    }

    /// @notice Valid parameters with any one field malformed — a zero, over-long or wrong-check-digit GTIN, an empty
    ///         or over-long lot or serial, a zero quantity, an empty cold-chain range, an origin that is not the
    ///         caller's, an unknown or another manufacturer's vaccine lot, an identity already issued — are refused
    ///         with that field's error and nothing is stored.
    function testFuzz_createShipment_refusesAnyMalformedField(uint256 field, uint256 raw, bytes32 textSeed) public {
        IProvenanceRegistry.ShipmentParams memory p =
            _params(ProvenanceTestLib.text(textSeed, 8), "SN-FUZZ", true, activeLot);
        bytes memory expected;
        field %= 11;
        if (field == 0) {
            p.gtin = 0;
            expected = abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryInvalidGtin.selector, p.gtin);
        } else if (field == 1) {
            p.gtin = uint64(bound(raw, uint256(MAX_GTIN) + 1, type(uint64).max));
            expected = abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryInvalidGtin.selector, p.gtin);
        } else if (field == 2) {
            uint64 body = uint64(bound(raw, 1, 9_999_999_999_999));
            p.gtin = body * 10 + (ProvenanceTestLib.checkDigit(body) + 1 + uint64((raw >> 64) % 9)) % 10;
            expected = abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryInvalidGtin.selector, p.gtin);
        } else if (field == 3 || field == 4) {
            uint256 length = raw % 2 == 0 ? 0 : bound(raw >> 1, MAX_IDENTIFIER_BYTES + 1, 200);
            if (field == 3) p.lotNumber = ProvenanceTestLib.text(textSeed, length);
            else p.serial = ProvenanceTestLib.text(textSeed, length);
            expected =
                abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryInvalidIdentifier.selector, length);
        } else if (field == 5) {
            p.quantity = 0;
            expected = abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryInvalidQuantity.selector);
        } else if (field == 6) {
            (int16 low, int16 high) = (int16(uint16(raw)), int16(uint16(raw >> 16)));
            (p.minTempCentiC, p.maxTempCentiC) = low < high ? (high, low) : (low, high); // min >= max
            expected = abi.encodeWithSelector(
                IProvenanceRegistry.ProvenanceRegistryInvalidTemperatureRange.selector, p.minTempCentiC, p.maxTempCentiC
            );
        } else if (field == 7) {
            uint64[4] memory origins = [GLN_CARRIER1, GLN_UNREGISTERED, 0, uint64(raw >> 8)];
            p.origin = origins[raw % 4];
            vm.assume(provenance.locationOwner(p.origin) != manufacturer);
            expected = abi.encodeWithSelector(
                IProvenanceRegistry.ProvenanceRegistryNotLocationOwner.selector, p.origin, manufacturer
            );
        } else if (field == 8) {
            p.vaccineLotId = uint32(bound(raw, uint256(vaccines.lotCount()) + 1, type(uint32).max));
            expected = abi.encodeWithSelector(
                IProvenanceRegistry.ProvenanceRegistryUnknownVaccineLot.selector, p.vaccineLotId
            );
        } else if (field == 9) {
            p.vaccineLotId = otherLot;
            expected = abi.encodeWithSelector(
                IProvenanceRegistry.ProvenanceRegistryNotLotManufacturer.selector, otherLot, manufacturer
            );
        } else {
            // the identity of the seeded cold-chain shipment, with any other terms
            p = _params("LOT-C", "SN-1", raw % 2 == 0, 0);
            p.gtin = GTIN_VACCINE;
            p.quantity = uint32(bound(raw, 1, type(uint32).max));
            expected = abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryShipmentExists.selector, coldId);
        }
        bytes32 id = ProvenanceTestLib.shipmentId(p.gtin, p.lotNumber, p.serial);
        IProvenanceRegistry.ShipmentView memory before = provenance.shipmentOf(id);

        vm.expectRevert(expected);
        vm.prank(manufacturer);
        provenance.createShipment(p);

        _assertSameView(provenance.shipmentOf(id), before);
        if (field != 10) assertEq(before.holder, address(0), "no shipment stored under the malformed identity");
    }

    /// @notice Any caller without the manufacturer role — an accredited organisation of another kind, a suspended
    ///         manufacturer or any other address — is refused and nothing is created.
    function testFuzz_createShipment_refusesCallerWithoutManufacturerRole(
        uint256 callerSeed,
        address stranger,
        bytes32 textSeed
    ) public {
        address caller = _anyone(callerSeed, stranger);
        if (caller == manufacturer || caller == manufacturer2) _suspend(caller);
        vm.assume(!authority.hasRole(MANUFACTURER_ROLE, caller));
        IProvenanceRegistry.ShipmentParams memory p =
            _params(ProvenanceTestLib.text(textSeed, 12), "SN-ROLE", false, 0);

        vm.expectRevert(
            abi.encodeWithSelector(
                IProvenanceRegistry.ProvenanceRegistryUnauthorized.selector, caller, MANUFACTURER_ROLE
            )
        );
        vm.prank(caller);
        provenance.createShipment(p);
        assertEq(
            provenance.shipmentOf(ProvenanceTestLib.shipmentId(p.gtin, p.lotNumber, p.serial)).holder,
            address(0),
            "nothing created"
        );
    }

    // ==========================================================================================================
    // recordStep
    // ==========================================================================================================

    /// @notice A step word shaped from fuzzed fields (codes, GLN, time, flag and reserved bits each in or out of
    ///         range) is accepted iff it is well-formed per the documented layout and the caller is the active
    ///         holder; the refusal names the first failed rule (caller not active, malformed step, unknown shipment,
    ///         not the holder). An accepted step is announced as-is and changes nothing but the non-conformance flag
    ///         (set by an out-of-range reading on a cold-chain shipment — which also makes its vaccine lot
    ///         non-conformant — or a non_conformant disposition).
    function testFuzz_recordStep_acceptedIffWellFormedAndHolder(
        uint8 bizStep,
        uint8 disposition,
        uint64 readPoint,
        uint40 eventTime,
        uint8 flag,
        int16 temperature,
        uint112 reserved,
        uint256 who
    ) public {
        vm.warp(START_TIME + (who >> 16) % 365 days);
        bytes32 word = _shapeWord(bizStep, disposition, readPoint, eventTime, flag, temperature, reserved);
        address[5] memory callers = [manufacturer, manufacturer, manufacturer, carrier1, outsider];
        bytes32[3] memory targets = [coldId, plainId, keccak256(abi.encode("never issued", who))];
        _assertStepOutcome(targets[(who >> 8) % 3], callers[who % 5], word);
    }

    /// @notice Any raw 32-byte word, at any time, is accepted from the holder iff it is well-formed.
    function testFuzz_recordStep_anyWordAcceptedIffWellFormed(bytes32 word, uint256 elapsed) public {
        vm.warp(START_TIME + bound(elapsed, 0, 3650 days));
        _assertStepOutcome(coldId, manufacturer, word);
    }

    /// @notice Each field of a valid reading pushed to the edge of its documented range: the last valid value is
    ///         accepted and the first invalid one refused (bizStep 16 / 17, disposition 11 / 12, GLN 1 / 0 and
    ///         10^13 - 1 / 10^13, event time 1 / 0 and now / now + 1, flag 1 / 2, reserved bits clear / one set,
    ///         temperature bits without the flag zero / non-zero); a reading exactly at the range's min or max is in
    ///         range and one just outside it is an excursion.
    function testFuzz_recordStep_fieldEdgesDecideAcceptance(uint256 field, bool outside, uint256 elapsed, uint256 seed)
        public
    {
        vm.warp(START_TIME + bound(elapsed, 1, 3650 days));
        uint8 biz = BIZ_SENSOR_REPORTING;
        uint8 disp = DISP_IN_TRANSIT;
        uint64 rp = GLN_PLANT;
        uint40 t = uint40(block.timestamp - seed % 1 days);
        bool hasTemp = true;
        int16 temp = 500;
        uint256 flip; // bits flipped in the packed word
        field %= 11;
        if (field == 0) biz = outside ? MAX_BIZ_STEP + 1 : MAX_BIZ_STEP;
        else if (field == 1) disp = outside ? MAX_DISPOSITION + 1 : MAX_DISPOSITION;
        else if (field == 2) rp = outside ? 0 : 1;
        else if (field == 3) rp = outside ? MAX_GLN + 1 : MAX_GLN;
        else if (field == 4) t = outside ? 0 : 1;
        else if (field == 5) t = uint40(block.timestamp + (outside ? 1 : 0));
        else if (field == 6) flip = outside ? 3 << 112 : 0; // flag 1 -> 2
        else if (field == 7) flip = outside ? 1 << (seed % 112) : 0;
        else if (field == 8) (hasTemp, flip) = (false, outside ? (1 + seed % 65_535) << 120 : 0);
        else if (field == 9) temp = outside ? VACCINE_MIN - 1 : VACCINE_MIN;
        else temp = outside ? VACCINE_MAX + 1 : VACCINE_MAX;
        bytes32 word = ProvenanceTestLib.step(biz, disp, rp, t, hasTemp, temp) ^ bytes32(flip);

        assertEq(ProvenanceTestLib.isWellFormed(word, block.timestamp), field >= 9 || !outside, "edge as intended");
        _assertStepOutcome(coldId, manufacturer, word);
        assertEq(provenance.shipmentOf(coldId).nonConformant, field >= 9 && outside, "excursion iff just outside");
    }

    /// @notice On a cold-chain shipment with any range, a reading outside it — by whichever holder, on a lot that
    ///         is pending, released, quarantined or recalled — always leaves the shipment non-conformant and its lot
    ///         non-conformant (state 5; a recalled lot stays recalled, 3), with the excursion announced by both
    ///         registries; no later in-range step or hand-over clears it.
    function testFuzz_recordStep_excursionLeavesShipmentAndLotNonConformant(
        int16 minTemp,
        int16 maxTemp,
        int16 reading,
        uint256 lotChoice,
        uint256 holderChoice,
        uint256 laterSteps
    ) public {
        (minTemp, maxTemp) = _range(minTemp, maxTemp);
        vm.assume(minTemp > type(int16).min || maxTemp < type(int16).max);
        reading = _outside(reading, minTemp, maxTemp);
        (uint32 lotId, uint8 expectedLotState) = _lotInState(lotChoice % 4);
        bytes32 id = _coldShipment(minTemp, maxTemp, lotId);
        address holder = _moveTo(id, holderChoice % 3);
        bytes32 word = _reading(reading, GLN_CARRIER1);

        vm.expectEmit(true, true, true, true, address(provenance));
        emit IProvenanceRegistry.CustodyStepRecorded(id, holder, word);
        vm.expectEmit(true, true, true, true, address(provenance));
        emit IProvenanceRegistry.ColdChainExcursion(id, lotId, reading);
        vm.expectEmit(true, true, true, true, address(vaccines));
        emit IVaccineRegistry.LotNonConformant(lotId, address(provenance), REASON_COLD_CHAIN, id);
        vm.prank(holder);
        provenance.recordStep(id, word);

        assertTrue(provenance.shipmentOf(id).nonConformant, "shipment non-conformant");
        assertEq(vaccines.lotState(lotId), expectedLotState, "lot non-conformant (or still recalled)");

        uint256 span = uint256(int256(maxTemp) - int256(minTemp));
        int16 inRange = int16(int256(minTemp) + int256((laterSteps >> 8) % (span + 1)));
        for (uint256 i = 0; i < bound(laterSteps, 0, 4); ++i) {
            vm.warp(block.timestamp + 1 hours);
            vm.prank(holder);
            provenance.recordStep(id, i % 2 == 0 ? _reading(inRange, GLN_CARRIER1) : _plainStep(BIZ_STORING, 0, 1));
        }
        if (holder != hospital) _handOver(id, holder, hospital, laterSteps % 2 == 0);
        assertTrue(provenance.shipmentOf(id).nonConformant, "still non-conformant");
        assertEq(vaccines.lotState(lotId), expectedLotState, "lot state kept");
    }

    /// @notice A reading inside the range, or any reading on a shipment without a cold chain, with any disposition
    ///         but non_conformant, records the step and leaves the shipment and its lot conformant.
    function testFuzz_recordStep_inRangeReadingKeepsShipmentConformant(
        int16 minTemp,
        int16 maxTemp,
        int16 reading,
        bool coldChain,
        uint8 disposition
    ) public {
        (minTemp, maxTemp) = _range(minTemp, maxTemp);
        if (coldChain) reading = _boundInt16(reading, minTemp, maxTemp);
        if (coldChain && disposition % 4 == 1) reading = minTemp; // the edges are in range
        if (coldChain && disposition % 4 == 2) reading = maxTemp;
        disposition = uint8(bound(disposition, 0, MAX_DISPOSITION));
        if (disposition == DISP_NON_CONFORMANT) disposition = DISP_ACTIVE;
        IProvenanceRegistry.ShipmentParams memory p = _params("LOT-IN", _nextSerial(), coldChain, activeLot);
        (p.minTempCentiC, p.maxTempCentiC) = (minTemp, maxTemp);
        bytes32 id = _create(p);
        bytes32 word =
            ProvenanceTestLib.step(BIZ_SENSOR_REPORTING, disposition, GLN_PLANT, uint40(block.timestamp), true, reading);

        vm.recordLogs();
        vm.prank(manufacturer);
        provenance.recordStep(id, word);
        Vm.Log[] memory logs = vm.getRecordedLogs();

        assertEq(logs.length, 1, "only the step is announced");
        assertEq(logs[0].topics[0], STEP_TOPIC, "custody step");
        assertFalse(provenance.shipmentOf(id).nonConformant, "conformant");
        assertEq(vaccines.lotState(activeLot), LOT_ACTIVE, "lot untouched");
    }

    /// @notice If the vaccine registry refuses the excursion report (this registry is not its cold-chain
    ///         reporter), the step and the excursion are recorded all the same, the refusal is announced, and the
    ///         lot keeps its state for the regulator to quarantine by hand.
    function testFuzz_recordStep_excursionRecordedWhenLotReportRefused(int16 reading, address reporter) public {
        vm.assume(reporter != address(provenance));
        vm.prank(regulator);
        vaccines.setColdChainReporter(reporter);
        reading = _outside(reading, VACCINE_MIN, VACCINE_MAX);
        bytes32 word = _reading(reading, GLN_PLANT);

        vm.expectEmit(true, true, true, true, address(provenance));
        emit IProvenanceRegistry.CustodyStepRecorded(coldId, manufacturer, word);
        vm.expectEmit(true, true, true, true, address(provenance));
        emit IProvenanceRegistry.ColdChainExcursion(coldId, activeLot, reading);
        vm.expectEmit(true, true, true, true, address(provenance));
        emit IProvenanceRegistry.VaccineLotReportFailed(coldId, activeLot);
        vm.prank(manufacturer);
        provenance.recordStep(coldId, word);

        assertTrue(provenance.shipmentOf(coldId).nonConformant, "shipment non-conformant");
        assertEq(vaccines.lotState(activeLot), LOT_ACTIVE, "lot unchanged");
    }

    // ==========================================================================================================
    // recordSteps
    // ==========================================================================================================

    /// @notice A batch of 1–50 steps over several shipments is all or nothing: with every entry valid, every step
    ///         is announced in order and every excursion applied; with one bad entry anywhere (malformed step,
    ///         shipment held by someone else, unknown shipment) or a suspended caller, the batch is refused with
    ///         that entry's error and nothing changes — not even an excursion recorded by an earlier entry.
    function testFuzz_recordSteps_allOrNothing(uint256 length, uint256 seed, uint256 badIndex, uint256 badKind)
        public
    {
        bytes32[3] memory mine = [coldId, plainId, _create(_params("LOT-N", "SN-1", true, 0))];
        bytes32 foreign = _create(_params("LOT-F", "SN-1", false, 0));
        _handOver(foreign, manufacturer, carrier1, false);
        vm.warp(block.timestamp + 1 days);

        uint256 n = bound(length, 1, 50);
        IProvenanceRegistry.StepInput[] memory steps = new IProvenanceRegistry.StepInput[](n);
        for (uint256 i = 0; i < n; ++i) {
            uint256 s = uint256(keccak256(abi.encode(seed, i)));
            steps[i] = IProvenanceRegistry.StepInput({shipmentId: mine[s % 3], step: _validStep(s >> 8)});
        }
        uint256 bad = bound(badIndex, 0, n - 1);
        if (bad > 0) steps[0] = IProvenanceRegistry.StepInput({shipmentId: coldId, step: _reading(-500, GLN_PLANT)});
        bytes memory expected = _spoil(steps, bad, badKind % 5, foreign);

        IProvenanceRegistry.ShipmentView[3] memory before;
        for (uint256 k = 0; k < 3; ++k) {
            before[k] = provenance.shipmentOf(mine[k]);
        }

        if (expected.length != 0) {
            vm.expectRevert(expected);
            vm.prank(manufacturer);
            provenance.recordSteps(steps);
            for (uint256 k = 0; k < 3; ++k) {
                _assertSameView(provenance.shipmentOf(mine[k]), before[k]);
            }
            assertEq(vaccines.lotState(activeLot), LOT_ACTIVE, "lot untouched by a refused batch");
            return;
        }

        vm.recordLogs();
        vm.prank(manufacturer);
        provenance.recordSteps(steps);
        _assertBatchApplied(steps, mine, _stepLogs(vm.getRecordedLogs()));
    }

    /// @notice An empty batch or one above 500 steps is refused.
    function testFuzz_recordSteps_refusesBatchSizeOutOfRange(uint256 size) public {
        size = size % 2 == 0 ? 0 : bound(size, MAX_BATCH_STEPS + 1, MAX_BATCH_STEPS + 100);
        IProvenanceRegistry.StepInput[] memory steps = new IProvenanceRegistry.StepInput[](size);
        for (uint256 i = 0; i < size; ++i) {
            steps[i] = IProvenanceRegistry.StepInput({shipmentId: plainId, step: _plainStep(BIZ_STORING, 0, GLN_PLANT)});
        }
        vm.expectRevert(abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryInvalidBatchSize.selector, size));
        vm.prank(manufacturer);
        provenance.recordSteps(steps);
    }

    /// @notice A batch of exactly 500 steps is accepted.
    function test_recordSteps_acceptsMaximumBatch() public {
        IProvenanceRegistry.StepInput[] memory steps = new IProvenanceRegistry.StepInput[](MAX_BATCH_STEPS);
        for (uint256 i = 0; i < MAX_BATCH_STEPS; ++i) {
            steps[i] = IProvenanceRegistry.StepInput({
                shipmentId: i % 2 == 0 ? plainId : coldId, step: _reading(int16(int256(200 + i)), GLN_PLANT)
            });
        }
        vm.recordLogs();
        vm.prank(manufacturer);
        provenance.recordSteps(steps);
        assertEq(_stepLogs(vm.getRecordedLogs()).length, MAX_BATCH_STEPS, "every step announced");
        assertFalse(provenance.shipmentOf(coldId).nonConformant, "2.00-6.99 C is in range");
    }

    // ==========================================================================================================
    // proposeHandover / acceptHandover / rejectHandover
    // ==========================================================================================================

    /// @notice A hand-over proposal by any caller to any receiver (with an organisation possibly suspended and a
    ///         proposal possibly pending) succeeds iff the caller is the active holder and the receiver is another
    ///         active organisation; it then replaces any pending proposal and custody does not move yet.
    function testFuzz_proposeHandover_onlyHolderToAnotherActiveOrganisation(
        uint256 callerSeed,
        uint256 receiverSeed,
        address stranger,
        bool isFinal,
        uint256 contextSeed
    ) public {
        if (contextSeed % 3 == 0) {
            vm.prank(manufacturer);
            provenance.proposeHandover(plainId, carrier2, true);
        }
        if (contextSeed % 4 == 1) _suspend(_supplyOrg(contextSeed >> 8));
        address caller = _anyone(callerSeed, stranger);
        address receiver = _anyone(receiverSeed, stranger);
        IProvenanceRegistry.ShipmentView memory before = provenance.shipmentOf(plainId);

        bytes memory expected;
        if (!authority.isActive(caller)) {
            expected = abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryNotActive.selector, caller);
        } else if (caller != manufacturer) {
            expected =
                abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryNotHolder.selector, plainId, caller);
        } else if (receiver == caller || !authority.isActive(receiver)) {
            expected = abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryInvalidReceiver.selector, receiver);
        }

        if (expected.length != 0) {
            vm.expectRevert(expected);
        } else {
            vm.expectEmit(true, true, true, true, address(provenance));
            emit IProvenanceRegistry.HandoverProposed(plainId, caller, receiver, isFinal);
        }
        vm.prank(caller);
        provenance.proposeHandover(plainId, receiver, isFinal);

        IProvenanceRegistry.ShipmentView memory afterwards = provenance.shipmentOf(plainId);
        if (expected.length != 0) {
            _assertSameView(afterwards, before);
        } else {
            assertEq(afterwards.pendingReceiver, receiver, "pending receiver");
            assertEq(afterwards.pendingFinal, isFinal, "pending final flag");
            assertEq(afterwards.holder, manufacturer, "custody does not move on a proposal");
            assertFalse(afterwards.delivered, "not delivered");
        }
    }

    /// @notice Only the pending receiver (while active) can accept: custody then moves to it (delivered for good
    ///         if the proposal was final), the proposal is cleared, the former holder can no longer record steps and
    ///         the new one can. Any other caller is refused and nothing changes.
    function testFuzz_acceptHandover_onlyPendingReceiverTakesCustody(
        uint256 callerSeed,
        address stranger,
        uint256 receiverSeed,
        bool isFinal,
        bool suspendReceiver
    ) public {
        address receiver = _supplyOrg(1 + receiverSeed % 4);
        vm.prank(manufacturer);
        provenance.proposeHandover(plainId, receiver, isFinal);
        if (suspendReceiver) _suspend(receiver);
        address caller = _anyone(callerSeed, stranger);
        IProvenanceRegistry.ShipmentView memory before = provenance.shipmentOf(plainId);

        bytes memory expected;
        if (caller != receiver) {
            expected = abi.encodeWithSelector(
                IProvenanceRegistry.ProvenanceRegistryNotPendingReceiver.selector, plainId, caller
            );
        } else if (suspendReceiver) {
            expected = abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryNotActive.selector, caller);
        }
        if (expected.length != 0) {
            vm.expectRevert(expected);
            vm.prank(caller);
            provenance.acceptHandover(plainId);
            _assertSameView(provenance.shipmentOf(plainId), before);
            return;
        }

        vm.expectEmit(true, true, true, true, address(provenance));
        emit IProvenanceRegistry.HandoverAccepted(plainId, manufacturer, receiver, isFinal);
        vm.prank(receiver);
        provenance.acceptHandover(plainId);

        IProvenanceRegistry.ShipmentView memory afterwards = provenance.shipmentOf(plainId);
        assertEq(afterwards.holder, receiver, "custody moved to the receiver");
        assertEq(afterwards.delivered, isFinal, "delivered iff final");
        assertEq(afterwards.pendingReceiver, address(0), "proposal cleared");
        bytes32 word = _plainStep(BIZ_RECEIVING, DISP_ACTIVE, GLN_WAREHOUSE);
        vm.expectRevert(
            abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryNotHolder.selector, plainId, manufacturer)
        );
        vm.prank(manufacturer);
        provenance.recordStep(plainId, word);
        vm.prank(receiver);
        provenance.recordStep(plainId, word);
    }

    /// @notice Only the pending receiver can reject, with a documented reason (0–5): custody stays with the holder
    ///         and the proposal is cleared, so it can no longer be accepted. A reason above 5 or any other caller is
    ///         refused and nothing changes.
    function testFuzz_rejectHandover_onlyPendingReceiverAndCustodyStays(
        uint256 callerSeed,
        address stranger,
        uint8 reason,
        bool isFinal
    ) public {
        reason = reason >= 128 ? reason : reason % 8;
        vm.prank(manufacturer);
        provenance.proposeHandover(plainId, carrier1, isFinal);
        address caller = callerSeed % 2 == 0 ? carrier1 : _anyone(callerSeed >> 1, stranger);
        IProvenanceRegistry.ShipmentView memory before = provenance.shipmentOf(plainId);

        bytes memory expected;
        if (reason > MAX_REJECT_REASON) {
            expected = abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryInvalidReason.selector, reason);
        } else if (caller != carrier1) {
            expected = abi.encodeWithSelector(
                IProvenanceRegistry.ProvenanceRegistryNotPendingReceiver.selector, plainId, caller
            );
        }
        if (expected.length != 0) {
            vm.expectRevert(expected);
            vm.prank(caller);
            provenance.rejectHandover(plainId, reason);
            _assertSameView(provenance.shipmentOf(plainId), before);
            return;
        }

        vm.expectEmit(true, true, true, true, address(provenance));
        emit IProvenanceRegistry.HandoverRejected(plainId, manufacturer, carrier1, reason);
        vm.prank(carrier1);
        provenance.rejectHandover(plainId, reason);

        IProvenanceRegistry.ShipmentView memory afterwards = provenance.shipmentOf(plainId);
        assertEq(afterwards.holder, manufacturer, "custody stays");
        assertEq(afterwards.pendingReceiver, address(0), "proposal cleared");
        assertFalse(afterwards.delivered, "not delivered");
        vm.expectRevert(
            abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryNotPendingReceiver.selector, plainId, carrier1)
        );
        vm.prank(carrier1);
        provenance.acceptHandover(plainId);
    }

    /// @notice Once a final hand-over is accepted, no caller can propose, accept or reject anything for that
    ///         shipment: the holder and the delivered flag never change again (the final holder may still record
    ///         steps, e.g. dispensing).
    function testFuzz_handover_deliveredIsFinal(
        uint256 callerSeed,
        address stranger,
        uint256 receiverSeed,
        uint8 reason,
        bool isFinal,
        uint256 action
    ) public {
        _handOver(plainId, manufacturer, carrier1, false);
        _handOver(plainId, carrier1, hospital, true);
        IProvenanceRegistry.ShipmentView memory before = provenance.shipmentOf(plainId);
        assertTrue(before.delivered && before.holder == hospital, "delivered to the hospital");
        address caller = action % 4 == 3 ? hospital : _anyone(callerSeed, stranger);
        address receiver = _anyone(receiverSeed, stranger);
        reason = uint8(reason % (MAX_REJECT_REASON + 1));

        if (action % 3 == 0) {
            bytes memory expected;
            if (!authority.isActive(caller)) {
                expected = abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryNotActive.selector, caller);
            } else if (caller != hospital) {
                expected =
                    abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryNotHolder.selector, plainId, caller);
            } else {
                expected =
                    abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryShipmentDelivered.selector, plainId);
            }
            vm.expectRevert(expected);
            vm.prank(caller);
            provenance.proposeHandover(plainId, receiver, isFinal);
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IProvenanceRegistry.ProvenanceRegistryNotPendingReceiver.selector, plainId, caller
                )
            );
            vm.prank(caller);
            if (action % 3 == 1) provenance.acceptHandover(plainId);
            else provenance.rejectHandover(plainId, reason);
        }
        _assertSameView(provenance.shipmentOf(plainId), before);

        vm.prank(hospital);
        provenance.recordStep(plainId, _plainStep(BIZ_DISPENSING, DISP_DISPENSED, GLN_HOSPITAL));
        IProvenanceRegistry.ShipmentView memory afterwards = provenance.shipmentOf(plainId);
        assertTrue(afterwards.delivered && afterwards.holder == hospital, "still delivered to the hospital");
    }

    // ==========================================================================================================
    // reportSuspectScan
    // ==========================================================================================================

    /// @notice A scan of an issued or forged identity at any location, with the shipment held, being handed over or
    ///         delivered: `checkScan` gives the documented verdict (recomputed by the test), and `reportSuspectScan`
    ///         by anyone reverts iff the verdict is 0 (genuine) and otherwise announces it — never writing storage.
    function testFuzz_reportSuspectScan_revertsIffGenuineAndNeverWrites(
        uint256 identityChoice,
        uint256 glnChoice,
        bytes32 forgery,
        uint64 randomGln,
        address reporter
    ) public {
        // coldId: held by carrier1, being handed to the warehouse; plainId: delivered to the hospital; fresh: held
        // by the manufacturer, nothing pending.
        _handOver(coldId, manufacturer, carrier1, false);
        vm.prank(carrier1);
        provenance.proposeHandover(coldId, warehouse, false);
        _handOver(plainId, manufacturer, carrier2, false);
        _handOver(plainId, carrier2, hospital, true);
        _create(_params("LOT-S", "SN-1", false, 0));

        (uint64 gtin, string memory lotNumber, string memory serial, uint256 which) =
            _scannedIdentity(identityChoice, forgery);
        (uint64 gln, address site) = _scanSite(glnChoice, randomGln);
        uint8 expectedVerdict = _expectedVerdict(which, site);
        bytes32 id = ProvenanceTestLib.shipmentId(gtin, lotNumber, serial);

        (uint8 verdict, bytes32 scannedId) = provenance.checkScan(gtin, lotNumber, serial, gln);
        assertEq(verdict, expectedVerdict, "verdict");
        assertEq(scannedId, id, "scanned id");

        IProvenanceRegistry.ShipmentView memory before = provenance.shipmentOf(id);
        _storageCheats().record();
        if (expectedVerdict == VERDICT_GENUINE) {
            vm.expectRevert(
                abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryScanNotSuspect.selector, id, gln)
            );
        } else {
            vm.expectEmit(true, true, true, true, address(provenance));
            emit IProvenanceRegistry.SuspectScanReported(id, reporter, gln, expectedVerdict);
        }
        vm.prank(reporter);
        provenance.reportSuspectScan(gtin, lotNumber, serial, gln);
        (, bytes32[] memory writes) = _storageCheats().accesses(address(provenance));

        assertEq(writes.length, 0, "a scan report writes no storage");
        _assertSameView(provenance.shipmentOf(id), before);
        assertEq(provenance.locationOwner(gln), site, "locations untouched");
    }

    // ==========================================================================================================
    // Role gating
    // ==========================================================================================================

    /// @notice Any address that is not an accredited organisation is refused by every gated function (the step,
    ///         batch, proposal and location functions as not active, shipment creation for lack of the
    ///         manufacturer role, accepting and rejecting as not the pending receiver), and nothing changes.
    function testFuzz_roleGating_refusesUnaccreditedCaller(address caller, uint256 fn) public {
        vm.assume(!_isCast(caller));
        vm.prank(manufacturer);
        provenance.proposeHandover(coldId, carrier1, false);
        IProvenanceRegistry.ShipmentView memory before = provenance.shipmentOf(coldId);
        bytes memory notActive =
            abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryNotActive.selector, caller);
        bytes memory notReceiver =
            abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryNotPendingReceiver.selector, coldId, caller);
        fn %= 7;

        vm.expectRevert(
            fn == 1
                ? abi.encodeWithSelector(
                    IProvenanceRegistry.ProvenanceRegistryUnauthorized.selector, caller, MANUFACTURER_ROLE
                )
                : fn >= 5 ? notReceiver : notActive
        );
        _callGated(fn, caller, coldId, coldId);

        _assertSameView(provenance.shipmentOf(coldId), before);
        assertEq(provenance.locationOwner(GLN_UNREGISTERED), address(0), "no location registered");
    }

    /// @notice A suspended organisation that would otherwise succeed (holder, pending receiver, manufacturer) is
    ///         refused by every gated function, and succeeds again once restored.
    function testFuzz_roleGating_refusesSuspendedOrganisation(uint256 orgSeed, uint256 fn) public {
        address org = _supplyOrg(orgSeed);
        fn %= 6;
        // `held` is held by org; `incoming` is being handed to org.
        bytes32 held = plainId;
        bytes32 incoming = coldId;
        if (org != manufacturer) {
            _handOver(held, manufacturer, org, false);
        } else {
            _handOver(incoming, manufacturer, carrier1, false);
        }
        address incomingHolder = org == manufacturer ? carrier1 : manufacturer;
        vm.prank(incomingHolder);
        provenance.proposeHandover(incoming, org, false);
        _suspend(org);

        vm.expectRevert(
            fn == 1
                ? abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryUnauthorized.selector, org, MANUFACTURER_ROLE)
                : abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryNotActive.selector, org)
        );
        _callGated(fn, org, held, incoming);

        vm.prank(regulator);
        authority.restore(org);
        if (fn == 1 && org != manufacturer) return; // never had the role
        _callGated(fn, org, held, incoming);
    }

    // ==========================================================================================================
    // Views used by clients
    // ==========================================================================================================

    /// @notice `packStep` packs every field exactly where the documented layout puts it.
    function testFuzz_packStep_matchesDocumentedLayout(
        uint8 bizStep,
        uint8 disposition,
        uint64 readPoint,
        uint40 eventTime,
        bool hasTemp,
        int16 temperature
    ) public view {
        bytes32 word = provenance.packStep(bizStep, disposition, readPoint, eventTime, hasTemp, temperature);
        assertEq(
            word, ProvenanceTestLib.step(bizStep, disposition, readPoint, eventTime, hasTemp, temperature), "layout"
        );
        ProvenanceTestLib.Step memory s = ProvenanceTestLib.decode(word);
        assertEq(s.bizStep, bizStep, "bizStep");
        assertEq(s.disposition, disposition, "disposition");
        assertEq(s.readPoint, readPoint, "readPoint");
        assertEq(s.eventTime, eventTime, "eventTime");
        assertEq(s.temperatureFlag, hasTemp ? 1 : 0, "flag");
        assertEq(s.temperatureBits, hasTemp ? uint16(temperature) : 0, "temperature");
        assertEq(s.reserved, 0, "reserved bits");
    }

    /// @notice `shipmentIdOf` of any identity is `keccak256(abi.encode(gtin, lot, serial))`.
    function testFuzz_shipmentIdOf_isHashOfIdentity(uint64 gtin, string calldata lotNumber, string calldata serial)
        public
        view
    {
        assertEq(
            provenance.shipmentIdOf(gtin, lotNumber, serial),
            keccak256(abi.encode(gtin, lotNumber, serial)),
            "documented id"
        );
    }

    // ==========================================================================================================
    // Helpers
    // ==========================================================================================================

    /// @dev Predict the outcome of `caller` recording `word` on `id` from the documented rules, perform it and
    ///      check the result.
    function _assertStepOutcome(bytes32 id, address caller, bytes32 word) private {
        IProvenanceRegistry.ShipmentView memory before = provenance.shipmentOf(id);
        uint8 lotBefore = vaccines.lotState(activeLot);
        bytes memory expected;
        if (!authority.isActive(caller)) {
            expected = abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryNotActive.selector, caller);
        } else if (!ProvenanceTestLib.isWellFormed(word, block.timestamp)) {
            expected = abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryInvalidStep.selector, id, word);
        } else if (before.holder == address(0)) {
            expected = abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryUnknownShipment.selector, id);
        } else if (before.holder != caller) {
            expected = abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryNotHolder.selector, id, caller);
        }
        if (expected.length != 0) {
            vm.expectRevert(expected);
            vm.prank(caller);
            provenance.recordStep(id, word);
            _assertSameView(provenance.shipmentOf(id), before);
            assertEq(vaccines.lotState(activeLot), lotBefore, "lot untouched by a refused step");
            return;
        }

        bool excursion =
            ProvenanceTestLib.isExcursion(word, before.coldChain, before.minTempCentiC, before.maxTempCentiC);
        vm.expectEmit(true, true, true, true, address(provenance));
        emit IProvenanceRegistry.CustodyStepRecorded(id, caller, word);
        vm.prank(caller);
        provenance.recordStep(id, word);

        IProvenanceRegistry.ShipmentView memory afterwards = provenance.shipmentOf(id);
        bool flagged = excursion || ProvenanceTestLib.dispositionOf(word) == DISP_NON_CONFORMANT;
        assertEq(afterwards.nonConformant, before.nonConformant || flagged, "non-conformant iff excursion or disposition");
        before.nonConformant = afterwards.nonConformant;
        _assertSameView(afterwards, before);
        assertEq(
            vaccines.lotState(activeLot),
            excursion && before.vaccineLotId == activeLot ? LOT_NON_CONFORMANT : lotBefore,
            "lot non-conformant iff excursion"
        );
    }

    /// @dev A step word from fuzzed fields, each kept in range most of the time and pushed out of it otherwise.
    function _shapeWord(
        uint8 bizStep,
        uint8 disposition,
        uint64 readPoint,
        uint40 eventTime,
        uint8 flag,
        int16 temperature,
        uint112 reserved
    ) private view returns (bytes32) {
        uint256 biz = bizStep >= 240 ? bizStep : bizStep % (MAX_BIZ_STEP + 3);
        uint256 disp = disposition >= 240 ? disposition : disposition % (MAX_DISPOSITION + 3);
        uint256 rp = 1 + readPoint % MAX_GLN;
        if (readPoint % 16 == 1) rp = 0;
        else if (readPoint % 16 == 2) rp = readPoint;
        else if (readPoint % 16 == 3) rp = MAX_GLN + (readPoint >> 4) % 2; // the 13-digit edge
        uint256 t = 1 + eventTime % block.timestamp;
        if (eventTime % 16 == 1) t = 0;
        else if (eventTime % 16 == 2) t = block.timestamp + 1 + eventTime % 1e6;
        else if (eventTime % 16 == 3) t = block.timestamp + (eventTime >> 4) % 2; // now, or 1 s ahead
        uint256 f = flag >= 250 ? flag : flag % 2;
        uint256 temp = uint16(temperature);
        if (temperature % 8 == 1) temp = uint16(VACCINE_MIN - 1 + int16((temperature >> 3) % 2)); // min edge
        else if (temperature % 8 == 2) temp = uint16(VACCINE_MAX + int16((temperature >> 3) % 2)); // max edge
        if (f == 0 && reserved % 5 != 0) temp = 0;
        uint256 low = reserved % 7 == 0 ? uint256(reserved) : 0;
        return bytes32(
            (biz << 248) | (disp << 240) | (rp << 176) | (t << 136) | (temp << 120) | (f << 112) | low
        );
    }

    /// @dev A valid step for a batch: plain (1/2), in-range reading (1/4), out-of-range reading (1/8), or a
    ///      non_conformant disposition (1/8).
    function _validStep(uint256 s) private view returns (bytes32) {
        uint256 kind = s % 8;
        uint40 t = uint40(block.timestamp - (s >> 8) % 1 days);
        if (kind < 4) return ProvenanceTestLib.step(uint8((s >> 40) % 17), DISP_IN_TRANSIT, GLN_PLANT, t, false, 0);
        if (kind < 6) {
            int16 inRange = VACCINE_MIN + int16(int256((s >> 48) % 601));
            return ProvenanceTestLib.step(BIZ_SENSOR_REPORTING, DISP_IN_TRANSIT, GLN_PLANT, t, true, inRange);
        }
        if (kind == 6) {
            int16 outOfRange = (s >> 48) % 2 == 0 ? int16(-2000) : int16(2500);
            return ProvenanceTestLib.step(BIZ_SENSOR_REPORTING, DISP_IN_TRANSIT, GLN_PLANT, t, true, outOfRange);
        }
        return ProvenanceTestLib.step(9, DISP_NON_CONFORMANT, GLN_PLANT, t, false, 0);
    }

    /// @dev Make entry `bad` of the batch bad in way `kind` (0: leave the batch valid) and return the error the
    ///      registry must give.
    function _spoil(IProvenanceRegistry.StepInput[] memory steps, uint256 bad, uint256 kind, bytes32 foreign)
        private
        returns (bytes memory)
    {
        if (kind == 1) {
            bytes32 word = steps[bad].step | bytes32(uint256(1) << (bad % 112)); // a reserved bit
            steps[bad].step = word;
            return abi.encodeWithSelector(
                IProvenanceRegistry.ProvenanceRegistryInvalidStep.selector, steps[bad].shipmentId, word
            );
        }
        if (kind == 2) {
            steps[bad].shipmentId = foreign;
            return abi.encodeWithSelector(
                IProvenanceRegistry.ProvenanceRegistryNotHolder.selector, foreign, manufacturer
            );
        }
        if (kind == 3) {
            bytes32 unknown = keccak256(abi.encode("never issued", bad));
            steps[bad].shipmentId = unknown;
            return abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryUnknownShipment.selector, unknown);
        }
        if (kind == 4) {
            _suspend(manufacturer);
            return abi.encodeWithSelector(IProvenanceRegistry.ProvenanceRegistryNotActive.selector, manufacturer);
        }
        return "";
    }

    /// @dev Every step of an accepted batch was announced in order, and each shipment's non-conformance and the
    ///      lot's state follow from its steps.
    function _assertBatchApplied(
        IProvenanceRegistry.StepInput[] memory steps,
        bytes32[3] memory mine,
        Vm.Log[] memory logs
    ) private view {
        assertEq(logs.length, steps.length, "one announcement per step");
        bool[3] memory flagged;
        for (uint256 i = 0; i < steps.length; ++i) {
            assertEq(logs[i].topics[1], steps[i].shipmentId, "step shipment, in order");
            assertEq(address(uint160(uint256(logs[i].topics[2]))), manufacturer, "recorder");
            assertEq(abi.decode(logs[i].data, (bytes32)), steps[i].step, "step word as sent");
            for (uint256 k = 0; k < 3; ++k) {
                if (steps[i].shipmentId != mine[k]) continue;
                bool excursion = k != 1 && ProvenanceTestLib.isExcursion(steps[i].step, true, VACCINE_MIN, VACCINE_MAX);
                if (excursion || ProvenanceTestLib.dispositionOf(steps[i].step) == DISP_NON_CONFORMANT) {
                    flagged[k] = true;
                }
                if (excursion && k == 0) assertEq(vaccines.lotState(activeLot), LOT_NON_CONFORMANT, "lot flagged");
            }
        }
        for (uint256 k = 0; k < 3; ++k) {
            assertEq(provenance.shipmentOf(mine[k]).nonConformant, flagged[k], "non-conformant iff flagged by a step");
        }
    }

    /// @dev The custody-step announcements of the provenance registry among `logs`.
    function _stepLogs(Vm.Log[] memory logs) private view returns (Vm.Log[] memory out) {
        uint256 count;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter == address(provenance) && logs[i].topics[0] == STEP_TOPIC) ++count;
        }
        out = new Vm.Log[](count);
        count = 0;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter == address(provenance) && logs[i].topics[0] == STEP_TOPIC) out[count++] = logs[i];
        }
    }

    /// @dev Call gated function `fn` as `caller` with arguments that succeed for an active holder / receiver.
    function _callGated(uint256 fn, address caller, bytes32 held, bytes32 incoming) private {
        bytes32 word = _plainStep(BIZ_STORING, DISP_ACTIVE, GLN_WAREHOUSE);
        if (fn == 0) {
            vm.prank(caller);
            provenance.registerLocation(GLN_UNREGISTERED, "Pop-up site");
        } else if (fn == 1) {
            IProvenanceRegistry.ShipmentParams memory p = _params("LOT-G", _nextSerial(), false, 0);
            vm.prank(caller);
            provenance.createShipment(p);
        } else if (fn == 2) {
            vm.prank(caller);
            provenance.recordStep(held, word);
        } else if (fn == 3) {
            IProvenanceRegistry.StepInput[] memory steps = new IProvenanceRegistry.StepInput[](1);
            steps[0] = IProvenanceRegistry.StepInput({shipmentId: held, step: word});
            vm.prank(caller);
            provenance.recordSteps(steps);
        } else if (fn == 4) {
            address receiver = caller == hospital ? warehouse : hospital;
            vm.prank(caller);
            provenance.proposeHandover(held, receiver, false);
        } else if (fn == 5) {
            vm.prank(caller);
            provenance.acceptHandover(incoming);
        } else {
            vm.prank(caller);
            provenance.rejectHandover(incoming, 0);
        }
    }

    /// @dev A new cold-chain shipment of `lotId` (0: none) with range [minTemp, maxTemp].
    function _coldShipment(int16 minTemp, int16 maxTemp, uint32 lotId) private returns (bytes32) {
        IProvenanceRegistry.ShipmentParams memory p = _params("LOT-X", _nextSerial(), true, lotId);
        (p.minTempCentiC, p.maxTempCentiC) = (minTemp, maxTemp);
        return _create(p);
    }

    /// @dev A fresh lot of the manufacturer in state pending (0), active (1), quarantined (2) or recalled (3), and
    ///      the state an excursion must leave it in.
    function _lotInState(uint256 choice) private returns (uint32 lotId, uint8 afterExcursion) {
        lotId = _registerLot(manufacturer, choice != 0);
        afterExcursion = LOT_NON_CONFORMANT;
        if (choice == 2) {
            vm.prank(regulator);
            vaccines.quarantineLot(lotId, 0, keccak256("inspection"));
        } else if (choice == 3) {
            vm.prank(regulator);
            vaccines.recallLot(lotId, 0);
            afterExcursion = LOT_RECALLED;
        }
    }

    /// @dev Move a manufacturer-held shipment to the manufacturer (0), carrier1 (1) or the warehouse (2).
    function _moveTo(bytes32 id, uint256 choice) private returns (address holder) {
        holder = manufacturer;
        if (choice >= 1) {
            _handOver(id, manufacturer, carrier1, false);
            holder = carrier1;
        }
        if (choice == 2) {
            _handOver(id, carrier1, warehouse, false);
            holder = warehouse;
        }
    }

    /// @dev The identity scanned: an issued one (0 cold: being handed over, 1 plain: delivered, 2 fresh: held) or
    ///      a forged one (3).
    function _scannedIdentity(uint256 choice, bytes32 forgery)
        private
        view
        returns (uint64 gtin, string memory lotNumber, string memory serial, uint256 which)
    {
        which = choice % 4;
        if (which == 0) return (GTIN_VACCINE, "LOT-C", "SN-1", 0);
        if (which == 1) return (GTIN_MASKS, "LOT-M", "SN-1", 1);
        if (which == 2) return (GTIN_MASKS, "LOT-S", "SN-1", 2);
        uint256 f = uint256(forgery);
        gtin = f % 3 == 0 ? uint64(f >> 8) : f % 3 == 1 ? GTIN_VACCINE : GTIN_MASKS;
        lotNumber = ProvenanceTestLib.text(forgery, 1 + (f >> 72) % 20);
        if (f % 5 == 0) lotNumber = "LOT-C";
        serial = ProvenanceTestLib.text(~forgery, 1 + (f >> 80) % 20);
        bytes32 id = ProvenanceTestLib.shipmentId(gtin, lotNumber, serial);
        vm.assume(provenance.shipmentOf(id).holder == address(0));
    }

    /// @dev The scanning location (one of each organisation's, an unregistered one, or any) and its owner as the
    ///      test registered it.
    function _scanSite(uint256 choice, uint64 randomGln) private view returns (uint64 gln, address site) {
        choice %= 8;
        uint64[6] memory glns = [GLN_PLANT, GLN_PLANT2, GLN_CARRIER1, GLN_CARRIER2, GLN_WAREHOUSE, GLN_HOSPITAL];
        address[6] memory owners = [manufacturer, manufacturer2, carrier1, carrier2, warehouse, hospital];
        if (choice < 6) return (glns[choice], owners[choice]);
        if (choice == 6) return (GLN_UNREGISTERED, address(0));
        for (uint256 i = 0; i < 6; ++i) {
            vm.assume(randomGln != glns[i]);
        }
        return (randomGln, address(0));
    }

    /// @dev The documented verdict for the scan scenario of `testFuzz_reportSuspectScan_revertsIffGenuineAndNeverWrites`.
    function _expectedVerdict(uint256 which, address site) private view returns (uint8) {
        if (which == 3) return VERDICT_UNKNOWN_IDENTITY;
        if (which == 1) return site == hospital ? VERDICT_GENUINE : VERDICT_ALREADY_DELIVERED;
        if (which == 0) return site == carrier1 || site == warehouse ? VERDICT_GENUINE : VERDICT_WRONG_LOCATION;
        return site == manufacturer ? VERDICT_GENUINE : VERDICT_WRONG_LOCATION;
    }

    function _assertStoredExactly(bytes32 id, IProvenanceRegistry.ShipmentParams memory p) private view {
        IProvenanceRegistry.ShipmentView memory v = provenance.shipmentOf(id);
        assertEq(v.holder, manufacturer, "the manufacturer holds it");
        assertEq(v.coldChain, p.coldChain, "cold chain");
        assertFalse(v.nonConformant, "conformant");
        assertFalse(v.delivered, "not delivered");
        assertEq(uint256(int256(v.minTempCentiC)), uint256(int256(p.coldChain ? p.minTempCentiC : int16(0))), "min");
        assertEq(uint256(int256(v.maxTempCentiC)), uint256(int256(p.coldChain ? p.maxTempCentiC : int16(0))), "max");
        assertEq(v.vaccineLotId, p.vaccineLotId, "vaccine lot");
        assertEq(v.pendingReceiver, address(0), "nothing pending");
        assertFalse(v.pendingFinal, "nothing pending (final)");
    }

    function _expectShipmentCreated(bytes32 id, IProvenanceRegistry.ShipmentParams memory p) private {
        vm.expectEmit(true, true, true, true, address(provenance));
        emit IProvenanceRegistry.ShipmentCreated(
            id,
            manufacturer,
            p.gtin,
            p.lotNumber,
            p.serial,
            p.quantity,
            p.origin,
            p.vaccineLotId,
            p.coldChain,
            p.coldChain ? p.minTempCentiC : int16(0),
            p.coldChain ? p.maxTempCentiC : int16(0)
        );
    }

    function _withQuantity(IProvenanceRegistry.ShipmentParams memory p, uint32 quantity)
        private
        pure
        returns (IProvenanceRegistry.ShipmentParams memory)
    {
        p.quantity = quantity;
        return p;
    }

    function _assertSameView(IProvenanceRegistry.ShipmentView memory a, IProvenanceRegistry.ShipmentView memory b)
        private
        pure
    {
        assertEq(a.holder, b.holder, "holder unchanged");
        assertEq(a.coldChain, b.coldChain, "cold chain unchanged");
        assertEq(a.nonConformant, b.nonConformant, "non-conformance unchanged");
        assertEq(a.delivered, b.delivered, "delivered unchanged");
        assertEq(uint256(int256(a.minTempCentiC)), uint256(int256(b.minTempCentiC)), "min unchanged");
        assertEq(uint256(int256(a.maxTempCentiC)), uint256(int256(b.maxTempCentiC)), "max unchanged");
        assertEq(a.vaccineLotId, b.vaccineLotId, "lot unchanged");
        assertEq(a.pendingReceiver, b.pendingReceiver, "pending receiver unchanged");
        assertEq(a.pendingFinal, b.pendingFinal, "pending final unchanged");
    }

    /// @dev One of the active accredited organisations (the regulator and release lab included).
    function _activeOrg(uint256 seed) private view returns (address) {
        address[8] memory orgs =
            [manufacturer, manufacturer2, carrier1, carrier2, warehouse, hospital, releaseLab, regulator];
        return orgs[seed % 8];
    }

    /// @dev One of the supply chain: manufacturer (0), carrier1, carrier2, warehouse, hospital (4).
    function _supplyOrg(uint256 seed) private view returns (address) {
        address[5] memory orgs = [manufacturer, carrier1, carrier2, warehouse, hospital];
        return orgs[seed % 5];
    }

    /// @dev Any caller: an accredited organisation (8 of 10), the never-accredited outsider, or a fuzzed address.
    function _anyone(uint256 seed, address stranger) private view returns (address) {
        uint256 i = seed % 10;
        if (i < 8) return _activeOrg(i);
        return i == 8 ? outsider : stranger;
    }

    /// @dev A range with min < max built from any two values.
    function _range(int16 a, int16 b) private pure returns (int16, int16) {
        if (a > b) (a, b) = (b, a);
        if (a == b) {
            if (b < type(int16).max) ++b;
            else --a;
        }
        return (a, b);
    }

    /// @dev A reading outside [minTemp, maxTemp] (which must not cover the whole int16 range).
    function _outside(int16 reading, int16 minTemp, int16 maxTemp) private pure returns (int16) {
        if (reading % 4 == 1 && minTemp > type(int16).min) return minTemp - 1; // just outside
        if (reading % 4 == 2 && maxTemp < type(int16).max) return maxTemp + 1;
        if (reading < minTemp || reading > maxTemp) return reading;
        bool below = minTemp > type(int16).min && (reading % 2 == 0 || maxTemp == type(int16).max);
        return below ? _boundInt16(reading, type(int16).min, minTemp - 1) : _boundInt16(reading, maxTemp + 1, type(int16).max);
    }

    /// @dev `bound` for int16 values.
    function _boundInt16(int16 x, int16 lo, int16 hi) private pure returns (int16) {
        uint256 offset = bound(uint256(int256(x) - type(int16).min), uint256(int256(lo) - type(int16).min), uint256(int256(hi) - type(int16).min));
        return int16(int256(offset) + type(int16).min);
    }

    function _nextSerial() private returns (string memory) {
        return string.concat("SN-", ProvenanceTestLib.toString(++_serials));
    }
}
