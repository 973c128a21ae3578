// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {HealthTraceAuthority} from "../../../contracts/HealthTraceAuthority.sol";
import {ProvenanceRegistry} from "../../../contracts/ProvenanceRegistry.sol";
import {VaccineRegistry} from "../../../contracts/VaccineRegistry.sol";
import {IHealthTraceAuthority} from "../../../contracts/interfaces/IHealthTraceAuthority.sol";
import {IProvenanceRegistry} from "../../../contracts/interfaces/IProvenanceRegistry.sol";
import {IVaccineRegistry} from "../../../contracts/interfaces/IVaccineRegistry.sol";
import {TestBase} from "./TestBase.sol";

/// @title StorageAccessCheats
/// @notice The two Foundry-compatible storage-access cheatcodes the provenance tests use (EDR serves them at the
///         same address as `Vm`; the shared `Vm.sol` does not declare them).
interface StorageAccessCheats {
    /// @notice Start recording every storage read and write (clears what was recorded before).
    function record() external;

    /// @notice The storage slots of `target` read and written since `record`.
    function accesses(address target) external returns (bytes32[] memory readSlots, bytes32[] memory writeSlots);
}

/// @title ProvenanceTestLib
/// @notice The ProvenanceRegistry's documented formats, recomputed by the tests from IProvenanceRegistry's NatSpec
///         and independently of the registry's code: the step-word layout and its well-formedness rule, the shipment
///         id, and the GS1 mod-10 check digit.
library ProvenanceTestLib {
    /// @notice Largest 13-digit GLN.
    uint64 internal constant MAX_GLN = 9_999_999_999_999;
    /// @notice Largest 14-digit GTIN.
    uint64 internal constant MAX_GTIN = 99_999_999_999_999;
    /// @notice Highest bizStep code (16 holding).
    uint8 internal constant MAX_BIZ_STEP = 16;
    /// @notice Highest disposition code (11 stolen).
    uint8 internal constant MAX_DISPOSITION = 11;
    /// @notice Disposition code of non_conformant.
    uint8 internal constant NON_CONFORMANT = 3;

    /// @notice A decoded step word.
    struct Step {
        uint256 bizStep;
        uint256 disposition;
        uint256 readPoint;
        uint256 eventTime;
        uint256 temperatureBits;
        uint256 temperatureFlag;
        uint256 reserved;
    }

    /// @notice Pack a step as the layout documents: bits 255–248 bizStep · 247–240 disposition · 239–176 readPoint
    ///         · 175–136 eventTime · 135–120 temperature (int16, two's complement) · 119–112 temperature flag.
    function step(uint8 bizStep, uint8 disposition, uint64 readPoint, uint40 eventTime, bool hasTemp, int16 temp)
        internal
        pure
        returns (bytes32)
    {
        uint256 word = uint256(bizStep) * 2 ** 248 + uint256(disposition) * 2 ** 240 + uint256(readPoint) * 2 ** 176
            + uint256(eventTime) * 2 ** 136;
        if (hasTemp) word += uint256(uint16(temp)) * 2 ** 120 + 2 ** 112;
        return bytes32(word);
    }

    /// @notice Split a word into its documented fields (no validation).
    function decode(bytes32 word) internal pure returns (Step memory s) {
        uint256 w = uint256(word);
        s.bizStep = w / 2 ** 248;
        s.disposition = (w / 2 ** 240) % 2 ** 8;
        s.readPoint = (w / 2 ** 176) % 2 ** 64;
        s.eventTime = (w / 2 ** 136) % 2 ** 40;
        s.temperatureBits = (w / 2 ** 120) % 2 ** 16;
        s.temperatureFlag = (w / 2 ** 112) % 2 ** 8;
        s.reserved = w % 2 ** 112;
    }

    /// @notice Whether `word` is well-formed at time `now_` (IProvenanceRegistry `ProvenanceRegistryInvalidStep`):
    ///         codes in range, a non-zero GLN of at most 13 digits, an event time in (0, now], a flag of 0 or 1, no
    ///         reserved bit set, and no temperature bits without the flag (the temperature is part of the reading).
    function isWellFormed(bytes32 word, uint256 now_) internal pure returns (bool) {
        Step memory s = decode(word);
        return s.bizStep <= MAX_BIZ_STEP && s.disposition <= MAX_DISPOSITION && s.readPoint != 0
            && s.readPoint <= MAX_GLN && s.eventTime != 0 && s.eventTime <= now_ && s.temperatureFlag <= 1
            && s.reserved == 0 && (s.temperatureFlag == 1 || s.temperatureBits == 0);
    }

    /// @notice Whether the word carries a temperature reading, and the reading.
    function temperatureOf(bytes32 word) internal pure returns (bool hasTemp, int16 temp) {
        Step memory s = decode(word);
        hasTemp = s.temperatureFlag == 1;
        temp = int16(uint16(s.temperatureBits));
    }

    /// @notice The disposition code of a word.
    function dispositionOf(bytes32 word) internal pure returns (uint256) {
        return decode(word).disposition;
    }

    /// @notice Whether a well-formed step flags a shipment with the given cold-chain rule as an excursion.
    function isExcursion(bytes32 word, bool coldChain, int16 minTemp, int16 maxTemp) internal pure returns (bool) {
        (bool hasTemp, int16 temp) = temperatureOf(word);
        return coldChain && hasTemp && (temp < minTemp || temp > maxTemp);
    }

    /// @notice The documented shipment id: `keccak256(abi.encode(gtin, lotNumber, serial))`.
    function shipmentId(uint64 gtin, string memory lotNumber, string memory serial) internal pure returns (bytes32) {
        return keccak256(abi.encode(gtin, lotNumber, serial));
    }

    /// @notice GS1 mod-10 check digit of a 13-digit body (left-padded): positions 1, 3, …, 13 from the left
    ///         weigh 3, the others 1; the check digit brings the sum up to a multiple of 10.
    function checkDigit(uint64 body) internal pure returns (uint64) {
        uint8[13] memory digits;
        for (uint256 i = 13; i > 0; --i) {
            digits[i - 1] = uint8(body % 10);
            body /= 10;
        }
        uint256 sum;
        for (uint256 position = 1; position <= 13; ++position) {
            sum += uint256(digits[position - 1]) * (position % 2 == 1 ? 3 : 1);
        }
        return uint64((10 - (sum % 10)) % 10);
    }

    /// @notice The GTIN-14 of a 13-digit body (< 10^13) and its check digit.
    function gtinOf(uint64 body) internal pure returns (uint64) {
        return body * 10 + checkDigit(body);
    }

    /// @notice A GLN-13 of a 12-digit body and its check digit (the registry checks length only).
    function glnOf(uint64 body) internal pure returns (uint64) {
        return body * 10 + checkDigit(body);
    }

    /// @notice Decimal representation of `value`.
    function toString(uint256 value) internal pure returns (string memory) {
        if (value == 0) return "0";
        uint256 digits;
        for (uint256 v = value; v != 0; v /= 10) {
            ++digits;
        }
        bytes memory b = new bytes(digits);
        for (uint256 i = digits; i > 0; --i) {
            b[i - 1] = bytes1(uint8(48 + (value % 10)));
            value /= 10;
        }
        return string(b);
    }

    /// @notice A string of exactly `length` printable bytes drawn from `seed`.
    function text(bytes32 seed, uint256 length) internal pure returns (string memory) {
        bytes memory b = new bytes(length);
        for (uint256 i = 0; i < length; ++i) {
            b[i] = bytes1(uint8(0x21 + (uint8(keccak256(abi.encode(seed, i))[0]) % 94)));
        }
        return string(b);
    }
}

/// @title ProvenanceFixture
/// @notice Deploys the authority, the vaccine registry and the provenance registry the way the Ignition module
///         wires them (the regulator names the provenance registry the vaccine registry's cold-chain reporter),
///         accredits the supply chain (two manufacturers, two carriers, a warehouse, a hospital, a lot-release
///         lab), gives them their roles and registers one location per organisation.
/// @dev Role identifiers are recomputed from their documented strings. Self-contained: it does not share state
///      with `HealthTraceFixture`.
abstract contract ProvenanceFixture is TestBase {
    uint48 internal constant ADMIN_DELAY = 3 days;
    /// @notice A realistic start time (2025-06-15).
    uint256 internal constant START_TIME = 1_750_000_000;
    uint32 internal constant DISTRICT = 310115;

    uint8 internal constant KIND_MANUFACTURER = 0;
    uint8 internal constant KIND_CARRIER = 1;
    uint8 internal constant KIND_WAREHOUSE = 2;
    uint8 internal constant KIND_HOSPITAL = 4;
    uint8 internal constant KIND_LAB = 5;

    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 internal constant MANUFACTURER_ROLE = keccak256("MANUFACTURER_ROLE");
    bytes32 internal constant CARRIER_ROLE = keccak256("CARRIER_ROLE");
    bytes32 internal constant WAREHOUSE_ROLE = keccak256("WAREHOUSE_ROLE");
    bytes32 internal constant CLINIC_ROLE = keccak256("CLINIC_ROLE");
    bytes32 internal constant LOT_ATTESTER_ROLE = keccak256("LOT_ATTESTER_ROLE");

    /// @notice Documented limits of the provenance registry.
    uint64 internal constant MAX_GLN = ProvenanceTestLib.MAX_GLN;
    uint64 internal constant MAX_GTIN = ProvenanceTestLib.MAX_GTIN;
    uint256 internal constant MAX_BATCH_STEPS = 500;
    uint256 internal constant MAX_NAME_BYTES = 64;
    uint256 internal constant MAX_IDENTIFIER_BYTES = 20;
    uint8 internal constant MAX_BIZ_STEP = 16;
    uint8 internal constant MAX_DISPOSITION = 11;
    uint8 internal constant MAX_REJECT_REASON = 5;

    /// @notice bizStep codes used by the tests.
    uint8 internal constant BIZ_SHIPPING = 3;
    uint8 internal constant BIZ_RECEIVING = 7;
    uint8 internal constant BIZ_STORING = 10;
    uint8 internal constant BIZ_DISPENSING = 13;
    uint8 internal constant BIZ_SENSOR_REPORTING = 15;
    /// @notice Disposition codes used by the tests.
    uint8 internal constant DISP_ACTIVE = 0;
    uint8 internal constant DISP_IN_TRANSIT = 1;
    uint8 internal constant DISP_NON_CONFORMANT = 3;
    uint8 internal constant DISP_DISPENSED = 7;

    /// @notice Scan verdicts.
    uint8 internal constant VERDICT_GENUINE = 0;
    uint8 internal constant VERDICT_UNKNOWN_IDENTITY = 1;
    uint8 internal constant VERDICT_ALREADY_DELIVERED = 2;
    uint8 internal constant VERDICT_WRONG_LOCATION = 3;

    /// @notice Vaccine lot states (IVaccineRegistry).
    uint8 internal constant LOT_PENDING = 1;
    uint8 internal constant LOT_ACTIVE = 2;
    uint8 internal constant LOT_RECALLED = 3;
    uint8 internal constant LOT_NON_CONFORMANT = 5;
    /// @notice The vaccine registry's reason code of a cold-chain failure.
    uint8 internal constant REASON_COLD_CHAIN = 3;

    /// @notice 2–8 °C, the usual vaccine range, in centi-°C.
    int16 internal constant VACCINE_MIN = 200;
    int16 internal constant VACCINE_MAX = 800;

    address internal admin = _account("admin");
    address internal regulator = _account("regulator");
    address internal manufacturer = _account("manufacturer");
    address internal manufacturer2 = _account("manufacturer2");
    address internal carrier1 = _account("carrier1");
    address internal carrier2 = _account("carrier2");
    address internal warehouse = _account("warehouse");
    address internal hospital = _account("hospital");
    address internal releaseLab = _account("releaseLab");
    /// @notice Never accredited.
    address internal outsider = _account("outsider");

    uint64 internal immutable GTIN_VACCINE = ProvenanceTestLib.gtinOf(1_690_123_456_789);
    uint64 internal immutable GTIN_MASKS = ProvenanceTestLib.gtinOf(690_123_400_050);
    uint64 internal immutable GLN_PLANT = ProvenanceTestLib.glnOf(690_123_400_001);
    uint64 internal immutable GLN_PLANT2 = ProvenanceTestLib.glnOf(693_000_100_001);
    uint64 internal immutable GLN_CARRIER1 = ProvenanceTestLib.glnOf(691_777_000_002);
    uint64 internal immutable GLN_CARRIER2 = ProvenanceTestLib.glnOf(691_777_000_013);
    uint64 internal immutable GLN_WAREHOUSE = ProvenanceTestLib.glnOf(692_888_000_003);
    uint64 internal immutable GLN_HOSPITAL = ProvenanceTestLib.glnOf(694_101_000_004);
    uint64 internal immutable GLN_UNREGISTERED = ProvenanceTestLib.glnOf(699_999_000_009);

    HealthTraceAuthority internal authority;
    VaccineRegistry internal vaccines;
    ProvenanceRegistry internal provenance;

    uint256 private _lotSequence;

    /// @notice Deploy and wire everything at `START_TIME`.
    function _deployProvenance() internal {
        vm.warp(START_TIME);
        authority = new HealthTraceAuthority(
            ADMIN_DELAY, admin, regulator, 310000, "Shanghai Municipal Health Commission", unicode"上海市卫生健康委员会"
        );
        vaccines = new VaccineRegistry(IHealthTraceAuthority(address(authority)), 2);
        provenance = new ProvenanceRegistry(
            IHealthTraceAuthority(address(authority)), IVaccineRegistry(address(vaccines))
        );
        vm.prank(regulator);
        vaccines.setColdChainReporter(address(provenance));
        vm.label(address(authority), "HealthTraceAuthority");
        vm.label(address(vaccines), "VaccineRegistry");
        vm.label(address(provenance), "ProvenanceRegistry");

        _accredit(manufacturer, KIND_MANUFACTURER, "Shanghai Institute of Biological Products");
        _grantRole(MANUFACTURER_ROLE, manufacturer);
        _accredit(manufacturer2, KIND_MANUFACTURER, "Beijing Vaccine Works");
        _grantRole(MANUFACTURER_ROLE, manufacturer2);
        _accredit(carrier1, KIND_CARRIER, "Pudong Cold Chain Logistics");
        _grantRole(CARRIER_ROLE, carrier1);
        _accredit(carrier2, KIND_CARRIER, "Huangpu Express");
        _grantRole(CARRIER_ROLE, carrier2);
        _accredit(warehouse, KIND_WAREHOUSE, "Baoshan Distribution Centre");
        _grantRole(WAREHOUSE_ROLE, warehouse);
        _accredit(hospital, KIND_HOSPITAL, "Ruijin Hospital");
        _grantRole(CLINIC_ROLE, hospital);
        _accredit(releaseLab, KIND_LAB, "Shanghai Lot Release Lab");
        _grantRole(LOT_ATTESTER_ROLE, releaseLab);
        _grantRole(LOT_ATTESTER_ROLE, regulator);

        _registerLocation(manufacturer, GLN_PLANT, "SIBP Minhang plant, finished goods");
        _registerLocation(manufacturer2, GLN_PLANT2, "Songjiang plant");
        _registerLocation(carrier1, GLN_CARRIER1, "Pudong cold-chain hub");
        _registerLocation(carrier2, GLN_CARRIER2, "Huangpu depot");
        _registerLocation(warehouse, GLN_WAREHOUSE, "Baoshan DC, dock 3");
        _registerLocation(hospital, GLN_HOSPITAL, "Ruijin Hospital pharmacy");
    }

    /// @notice Accredit `org` as the regulator.
    function _accredit(address org, uint8 kind, string memory name) internal {
        vm.prank(regulator);
        authority.accredit(org, kind, DISTRICT, name, unicode"机构");
    }

    /// @notice Grant `role` to `account` as the regulator.
    function _grantRole(bytes32 role, address account) internal {
        vm.prank(regulator);
        authority.grantRole(role, account);
    }

    /// @notice Suspend `org` as the regulator.
    function _suspend(address org) internal {
        vm.prank(regulator);
        authority.suspend(org);
    }

    /// @notice Register `gln` as `org`.
    function _registerLocation(address org, uint64 gln, string memory name) internal {
        vm.prank(org);
        provenance.registerLocation(gln, name);
    }

    /// @notice Register a vaccine lot of `mfr` (expiring in two years) and, if `release`, release it with the
    ///         quorum of two attestations (the release lab and the regulator).
    function _registerLot(address mfr, bool release) internal returns (uint32 lotId) {
        IVaccineRegistry.LotParams memory p = IVaccineRegistry.LotParams({
            dossierHash: keccak256(abi.encode("dossier", ++_lotSequence)),
            lotNumber: string.concat("VL", ProvenanceTestLib.toString(_lotSequence)),
            gtin: GTIN_VACCINE,
            manufacturedAt: uint40(block.timestamp - 1 days),
            doseCount: 1000,
            expiresAt: uint32(block.timestamp + 730 days),
            minTempCentiC: VACCINE_MIN,
            maxTempCentiC: VACCINE_MAX
        });
        vm.prank(mfr);
        lotId = vaccines.registerLot(p);
        if (release) {
            vm.prank(releaseLab);
            vaccines.attestLot(lotId);
            vm.prank(regulator);
            vaccines.attestLot(lotId);
        }
    }

    /// @notice Parameters of a shipment of the manufacturer from its plant.
    function _params(string memory lotNumber, string memory serial, bool coldChain, uint32 vaccineLotId)
        internal
        view
        returns (IProvenanceRegistry.ShipmentParams memory p)
    {
        p = IProvenanceRegistry.ShipmentParams({
            lotNumber: lotNumber,
            serial: serial,
            gtin: vaccineLotId != 0 ? GTIN_VACCINE : GTIN_MASKS,
            origin: GLN_PLANT,
            quantity: 100,
            vaccineLotId: vaccineLotId,
            coldChain: coldChain,
            minTempCentiC: coldChain ? VACCINE_MIN : int16(0),
            maxTempCentiC: coldChain ? VACCINE_MAX : int16(0)
        });
    }

    /// @notice Create a shipment as the manufacturer.
    function _create(IProvenanceRegistry.ShipmentParams memory p) internal returns (bytes32 id) {
        vm.prank(manufacturer);
        id = provenance.createShipment(p);
    }

    /// @notice Propose and accept a hand-over from `from` to `to`.
    function _handOver(bytes32 id, address from, address to, bool isFinal) internal {
        vm.prank(from);
        provenance.proposeHandover(id, to, isFinal);
        vm.prank(to);
        provenance.acceptHandover(id);
    }

    /// @notice A well-formed step now at `gln`, without a temperature.
    function _plainStep(uint8 bizStep, uint8 disposition, uint64 gln) internal view returns (bytes32) {
        return ProvenanceTestLib.step(bizStep, disposition, gln, uint40(block.timestamp), false, 0);
    }

    /// @notice A well-formed sensor reading now at `gln`.
    function _reading(int16 temp, uint64 gln) internal view returns (bytes32) {
        return ProvenanceTestLib.step(BIZ_SENSOR_REPORTING, DISP_IN_TRANSIT, gln, uint40(block.timestamp), true, temp);
    }

    /// @notice The storage-access cheatcodes.
    function _storageCheats() internal pure returns (StorageAccessCheats) {
        return StorageAccessCheats(address(vm));
    }

    /// @notice A deterministic, labelled address for a named test account.
    function _account(string memory name) internal returns (address account) {
        account = address(uint160(uint256(keccak256(abi.encodePacked("healthtrace.provenance.", name)))));
        vm.label(account, name);
    }

    /// @notice Whether `account` is a named account or a deployed contract of the fixture.
    function _isCast(address account) internal view returns (bool) {
        return account == admin || account == regulator || account == manufacturer || account == manufacturer2
            || account == carrier1 || account == carrier2 || account == warehouse || account == hospital
            || account == releaseLab || account == outsider || account == address(authority)
            || account == address(vaccines) || account == address(provenance) || account == address(this)
            || account == address(0);
    }
}
