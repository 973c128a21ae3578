// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IProvenanceRegistry} from "../../contracts/interfaces/IProvenanceRegistry.sol";
import {IVaccineRegistry} from "../../contracts/interfaces/IVaccineRegistry.sol";
import {ConsentTypedData} from "./utils/ConsentTypedData.sol";
import {HealthTraceFixture, VaccineTestLib} from "./utils/HealthTraceFixture.sol";
import {ProvenanceFixture} from "./utils/ProvenanceFixture.sol";

/// @title GasSnapshotCheats
/// @notice The Foundry-compatible gas-snapshot cheatcode these tests use (EDR serves it at the same address as
///         `Vm`; the shared `Vm.sol` does not declare it).
interface GasSnapshotCheats {
    /// @notice Record the gas used by the last call the test made (not a cheatcode call) as entry `name` of
    ///         snapshot group `group`. `hardhat test solidity --snapshot` writes the group to `snapshots/<group>.json`;
    ///         `--snapshot-check` compares it with the committed file.
    function snapshotGasLastCall(string calldata group, string calldata name) external returns (uint256 gasUsed);
}

/// @title GasSnapshotLib
/// @notice The cheatcode handle shared by the gas-snapshot suites.
library GasSnapshotLib {
    /// @notice The gas-snapshot cheatcodes (same address as `vm`).
    GasSnapshotCheats internal constant CHEATS =
        GasSnapshotCheats(address(uint160(uint256(keccak256("hevm cheat code")))));
}

/// @title HealthTraceGasSnapshotTest
/// @notice The committed gas baseline of every user-facing write of ConsentRegistry, RecordRegistry and
///         VaccineRegistry (`snapshots/<Registry>.json`). Deterministic, no fuzzing.
/// @dev Each test makes exactly one call (the measured write) and records its gas with `snapshotGasLastCall`.
///      Everything the write needs is prepared in `setUp`, which runs as its own transaction: the write then meets
///      cold storage and cold accounts, as it would in a real transaction (calls made earlier in the same test
///      function would have warmed them and understated the cost).
contract HealthTraceGasSnapshotTest is HealthTraceFixture {
    uint256 private constant CITIZEN_KEY = 0xC171_2E4;
    uint256 private constant SIGNER_KEY = 0x5164_E4;
    uint8 private constant CATEGORY = 1;
    uint8 private constant PURPOSE = 1;
    uint64 private constant GTIN_BODY = 950_110_153_000;
    /// @notice Calls per measured `multicall` batch.
    uint256 private constant MULTICALL_BATCH = 10;

    address private citizen;
    address private signer;
    /// @notice A lot registered, no attestation yet.
    uint32 private pendingLot;
    /// @notice A lot with one of the two attestations of the quorum.
    uint32 private halfAttestedLot;
    /// @notice A released lot.
    uint32 private activeLot;
    /// @notice A dose recorded for `citizen`, not confirmed.
    bytes32 private doseToConfirm;
    /// @notice A dose recorded for `signer`, not confirmed.
    bytes32 private doseToConfirmBySig;

    function setUp() public {
        _deployHealthTrace();
        _deployVaccines(2);
        citizen = vm.addr(CITIZEN_KEY);
        signer = vm.addr(SIGNER_KEY);

        // Consent: `citizen` has granted the hospital (for `revoke`).
        vm.prank(citizen);
        consent.grant(hospital, CATEGORY, PURPOSE, uint64(block.timestamp + 365 days));

        // Vaccines: one pending lot, one half-attested lot, one released lot with two doses recorded.
        pendingLot = _registerLot(1);
        halfAttestedLot = _registerLot(2);
        vm.prank(releaseLab);
        vaccines.attestLot(halfAttestedLot);
        activeLot = _registerLot(3);
        vm.prank(releaseLab);
        vaccines.attestLot(activeLot);
        vm.prank(regulator);
        vaccines.attestLot(activeLot);
        vm.prank(clinic);
        doseToConfirm = vaccines.recordDose(activeLot, citizen, 1, DISTRICT_XUHUI);
        vm.prank(clinic);
        doseToConfirmBySig = vaccines.recordDose(activeLot, signer, 1, DISTRICT_XUHUI);

        vm.warp(block.timestamp + 1 hours);
    }

    // ----------------------------------------------------------------------------------------------------------
    // ConsentRegistry
    // ----------------------------------------------------------------------------------------------------------

    /// @notice A citizen's first grant to an organisation for a category.
    function test_gas_consent_grant() public {
        vm.prank(signer);
        consent.grant(lab, CATEGORY, PURPOSE, uint64(block.timestamp + 365 days));
        GasSnapshotLib.CHEATS.snapshotGasLastCall("ConsentRegistry", "grant");
    }

    /// @notice Revoking a live grant.
    function test_gas_consent_revoke() public {
        vm.prank(citizen);
        consent.revoke(hospital, CATEGORY);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("ConsentRegistry", "revoke");
    }

    /// @notice A relayed first grant signed by the citizen (EIP-712 `Grant`, 65-byte ECDSA), nonce 0.
    function test_gas_consent_grantBySig() public {
        ConsentTypedData.GrantMessage memory m = ConsentTypedData.GrantMessage({
            citizen: signer,
            grantee: hospital,
            category: CATEGORY,
            purpose: PURPOSE,
            expiresAt: uint64(block.timestamp + 365 days),
            nonce: 0,
            deadline: block.timestamp + 1 hours
        });
        bytes memory signature = _signGrant(SIGNER_KEY, m);
        vm.prank(hospital);
        _relayGrant(m, signature);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("ConsentRegistry", "grantBySig");
    }

    /// @notice The record vault logging a read.
    function test_gas_consent_logAccess() public {
        vm.prank(vault);
        consent.logAccess(citizen, hospital, CATEGORY, keccak256("record"));
        GasSnapshotLib.CHEATS.snapshotGasLastCall("ConsentRegistry", "logAccess");
    }

    /// @notice The record vault logging ten reads in one `multicall`.
    function test_gas_consent_multicall_logAccess10() public {
        bytes[] memory calls = new bytes[](MULTICALL_BATCH);
        for (uint256 i = 0; i < MULTICALL_BATCH; ++i) {
            calls[i] = abi.encodeCall(consent.logAccess, (citizen, hospital, CATEGORY, keccak256(abi.encode("record", i))));
        }
        vm.prank(vault);
        consent.multicall(calls);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("ConsentRegistry", "multicall_logAccess10");
    }

    // ----------------------------------------------------------------------------------------------------------
    // RecordRegistry
    // ----------------------------------------------------------------------------------------------------------

    /// @notice A record issuer anchoring a record's content hash.
    function test_gas_records_anchor() public {
        vm.prank(hospital);
        records.anchor(citizen, CATEGORY, keccak256("record content"));
        GasSnapshotLib.CHEATS.snapshotGasLastCall("RecordRegistry", "anchor");
    }

    /// @notice A record issuer anchoring ten records in one `multicall`.
    function test_gas_records_multicall_anchor10() public {
        bytes[] memory calls = new bytes[](MULTICALL_BATCH);
        for (uint256 i = 0; i < MULTICALL_BATCH; ++i) {
            calls[i] = abi.encodeCall(records.anchor, (citizen, CATEGORY, keccak256(abi.encode("record content", i))));
        }
        vm.prank(hospital);
        records.multicall(calls);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("RecordRegistry", "multicall_anchor10");
    }

    // ----------------------------------------------------------------------------------------------------------
    // VaccineRegistry
    // ----------------------------------------------------------------------------------------------------------

    /// @notice A manufacturer registering a lot.
    function test_gas_vaccines_registerLot() public {
        IVaccineRegistry.LotParams memory p = _lotParams(4);
        vm.prank(manufacturer);
        vaccines.registerLot(p);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("VaccineRegistry", "registerLot");
    }

    /// @notice The first attestation of a pending lot (quorum 2: the lot stays pending).
    function test_gas_vaccines_attestLot_first() public {
        vm.prank(releaseLab);
        vaccines.attestLot(pendingLot);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("VaccineRegistry", "attestLot_first");
    }

    /// @notice The attestation that reaches the quorum and releases the lot.
    function test_gas_vaccines_attestLot_releasing() public {
        vm.prank(regulator);
        vaccines.attestLot(halfAttestedLot);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("VaccineRegistry", "attestLot_releasing");
    }

    /// @notice A clinic recording a first dose for a new citizen.
    function test_gas_vaccines_recordDose() public {
        vm.prank(clinic);
        vaccines.recordDose(activeLot, address(0xD05E), 1, DISTRICT_XUHUI);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("VaccineRegistry", "recordDose");
    }

    /// @notice A clinic recording a session of ten first doses for new citizens in one `multicall`.
    function test_gas_vaccines_multicall_recordDose10() public {
        bytes[] memory calls = new bytes[](MULTICALL_BATCH);
        for (uint256 i = 0; i < MULTICALL_BATCH; ++i) {
            calls[i] = abi.encodeCall(vaccines.recordDose, (activeLot, address(uint160(0xD05E + i)), 1, DISTRICT_XUHUI));
        }
        vm.prank(clinic);
        vaccines.multicall(calls);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("VaccineRegistry", "multicall_recordDose10");
    }

    /// @notice The citizen confirming a dose recorded for them.
    function test_gas_vaccines_confirmDose() public {
        vm.prank(citizen);
        vaccines.confirmDose(doseToConfirm);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("VaccineRegistry", "confirmDose");
    }

    /// @notice The clinic relaying the citizen's `ConfirmDose` signature (65-byte ECDSA).
    function test_gas_vaccines_confirmDoseBySig() public {
        uint256 deadline = block.timestamp + 10 minutes;
        bytes memory signature = _signConfirmDose(SIGNER_KEY, doseToConfirmBySig, deadline);
        vm.prank(clinic);
        vaccines.confirmDoseBySig(doseToConfirmBySig, deadline, signature);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("VaccineRegistry", "confirmDoseBySig");
    }

    /// @notice Register lot number `VL-<n>` as the manufacturer.
    function _registerLot(uint256 n) private returns (uint32 lotId) {
        IVaccineRegistry.LotParams memory p = _lotParams(n);
        vm.prank(manufacturer);
        lotId = vaccines.registerLot(p);
    }

    /// @notice A valid lot: GS1 example GTIN, lot number `VL-<n>`, 1,000 doses, 2–8 °C, expiring in two years.
    function _lotParams(uint256 n) private view returns (IVaccineRegistry.LotParams memory) {
        return IVaccineRegistry.LotParams({
            dossierHash: keccak256(abi.encode("dossier", n)),
            lotNumber: string.concat("VL-", string(abi.encodePacked(bytes1(uint8(0x30 + n))))),
            gtin: VaccineTestLib.gtin(GTIN_BODY),
            manufacturedAt: uint40(block.timestamp - 1 days),
            doseCount: 1000,
            expiresAt: uint32(block.timestamp + 730 days),
            minTempCentiC: 200,
            maxTempCentiC: 800
        });
    }
}

/// @title ProvenanceGasSnapshotTest
/// @notice The committed gas baseline of every user-facing write of ProvenanceRegistry
///         (`snapshots/ProvenanceRegistry.json`). Deterministic, no fuzzing; same one-call-per-test rule as above.
contract ProvenanceGasSnapshotTest is ProvenanceFixture {
    /// @notice Steps per `recordSteps` batch measured.
    uint256 private constant BATCH = 100;

    uint32 private activeLot;
    /// @notice A cold-chain vaccine shipment held by the manufacturer.
    bytes32 private coldId;
    /// @notice A plain (masks) shipment held by the manufacturer.
    bytes32 private plainId;
    /// @notice A shipment with a pending (non-final) hand-over from the manufacturer to carrier 1.
    bytes32 private proposedId;

    function setUp() public {
        _deployProvenance();
        activeLot = _registerLot(manufacturer, true);
        coldId = _create(_params("LOT-C", "SN-1", true, activeLot));
        plainId = _create(_params("LOT-M", "SN-1", false, 0));
        proposedId = _create(_params("LOT-M", "SN-2", false, 0));
        vm.prank(manufacturer);
        provenance.proposeHandover(proposedId, carrier1, false);
        vm.warp(block.timestamp + 1 hours);
    }

    /// @notice A plain (no cold chain, no vaccine lot) shipment.
    function test_gas_provenance_createShipment_plain() public {
        IProvenanceRegistry.ShipmentParams memory p = _params("LOT-G", "SN-1", false, 0);
        vm.prank(manufacturer);
        provenance.createShipment(p);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("ProvenanceRegistry", "createShipment_plain");
    }

    /// @notice A cold-chain shipment of a released vaccine lot (checks the lot's manufacturer).
    function test_gas_provenance_createShipment_vaccineLot() public {
        IProvenanceRegistry.ShipmentParams memory p = _params("LOT-V", "SN-1", true, activeLot);
        vm.prank(manufacturer);
        provenance.createShipment(p);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("ProvenanceRegistry", "createShipment_vaccineLot");
    }

    /// @notice One in-range sensor reading on the cold-chain shipment.
    function test_gas_provenance_recordStep() public {
        bytes32 step = _reading(500, GLN_PLANT);
        vm.prank(manufacturer);
        provenance.recordStep(coldId, step);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("ProvenanceRegistry", "recordStep");
    }

    /// @notice A batch of 100 steps (in-range readings, alternating the cold-chain and plain shipments).
    function test_gas_provenance_recordSteps100() public {
        IProvenanceRegistry.StepInput[] memory steps = new IProvenanceRegistry.StepInput[](BATCH);
        for (uint256 i = 0; i < BATCH; ++i) {
            steps[i] = IProvenanceRegistry.StepInput({
                shipmentId: i % 2 == 0 ? coldId : plainId, step: _reading(int16(int256(300 + i)), GLN_PLANT)
            });
        }
        vm.prank(manufacturer);
        provenance.recordSteps(steps);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("ProvenanceRegistry", "recordSteps_batch100");
    }

    /// @notice The holder proposing a hand-over to a carrier.
    function test_gas_provenance_proposeHandover() public {
        vm.prank(manufacturer);
        provenance.proposeHandover(plainId, carrier1, false);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("ProvenanceRegistry", "proposeHandover");
    }

    /// @notice The carrier accepting a proposed hand-over.
    function test_gas_provenance_acceptHandover() public {
        vm.prank(carrier1);
        provenance.acceptHandover(proposedId);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("ProvenanceRegistry", "acceptHandover");
    }

    /// @notice The holder proposing two hand-overs to a carrier in one `multicall`.
    function test_gas_provenance_multicall_proposeHandover2() public {
        bytes[] memory calls = new bytes[](2);
        calls[0] = abi.encodeCall(provenance.proposeHandover, (plainId, carrier1, false));
        calls[1] = abi.encodeCall(provenance.proposeHandover, (coldId, carrier1, false));
        vm.prank(manufacturer);
        provenance.multicall(calls);
        GasSnapshotLib.CHEATS.snapshotGasLastCall("ProvenanceRegistry", "multicall_proposeHandover2");
    }
}
