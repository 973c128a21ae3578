// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ConsentRegistry} from "../../../contracts/ConsentRegistry.sol";
import {HealthTraceAuthority} from "../../../contracts/HealthTraceAuthority.sol";
import {RecordRegistry} from "../../../contracts/RecordRegistry.sol";
import {VaccineRegistry} from "../../../contracts/VaccineRegistry.sol";
import {IHealthTraceAuthority} from "../../../contracts/interfaces/IHealthTraceAuthority.sol";
import {ConsentTypedData} from "./ConsentTypedData.sol";
import {TestBase} from "./TestBase.sol";

/// @title VaccineTestLib
/// @notice The VaccineRegistry's documented formats, recomputed by the tests independently of the registry's code:
///         the EIP-712 domain and messages (IVaccineRegistry NatSpec), dose ids, and the GS1 GTIN-14 check digit.
library VaccineTestLib {
    /// @notice EIP-712 domain type hash.
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    /// @notice `ConfirmDose` type hash.
    bytes32 internal constant CONFIRM_DOSE_TYPEHASH = keccak256("ConfirmDose(bytes32 doseId,uint256 deadline)");
    /// @notice `VaccinationProof` type hash.
    bytes32 internal constant VACCINATION_PROOF_TYPEHASH =
        keccak256("VaccinationProof(address citizen,bytes32 doseId,bytes32 challenge,uint256 validUntil)");
    /// @notice GTINs are at most 14 digits.
    uint64 internal constant GTIN_LIMIT = 100_000_000_000_000;

    /// @notice The domain separator of a "HealthTrace Vaccines" v1 registry at `verifyingContract` on `chainId`.
    function domainSeparator(address verifyingContract, uint256 chainId) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("HealthTrace Vaccines"), keccak256("1"), chainId, verifyingContract)
        );
    }

    /// @notice The EIP-712 digest of `ConfirmDose(doseId, deadline)` under `separator`.
    function confirmDoseDigest(bytes32 separator, bytes32 doseId, uint256 deadline) internal pure returns (bytes32) {
        return _digest(separator, keccak256(abi.encode(CONFIRM_DOSE_TYPEHASH, doseId, deadline)));
    }

    /// @notice The EIP-712 digest of `VaccinationProof(citizen, doseId, challenge, validUntil)` under `separator`.
    function proofDigest(bytes32 separator, address citizen, bytes32 doseId, bytes32 challenge, uint256 validUntil)
        internal
        pure
        returns (bytes32)
    {
        return _digest(
            separator, keccak256(abi.encode(VACCINATION_PROOF_TYPEHASH, citizen, doseId, challenge, validUntil))
        );
    }

    /// @notice The documented dose id: `keccak256(abi.encode(clinic, lotId, sequence))`.
    function doseIdOf(address clinic, uint32 lotId, uint32 sequence) internal pure returns (bytes32) {
        return keccak256(abi.encode(clinic, lotId, sequence));
    }

    /// @notice The GS1 check digit of a 13-digit GTIN-14 body (`body` < 10^13, left-padded with zeros), computed
    ///         left to right as GS1 specifies: digit positions 1, 3, ..., 13 weigh 3, positions 2, 4, ..., 12 weigh 1.
    function gtinCheckDigit(uint64 body) internal pure returns (uint64) {
        uint8[13] memory digits;
        for (uint256 i = 13; i > 0; --i) {
            digits[i - 1] = uint8(body % 10);
            body /= 10;
        }
        uint256 sum;
        for (uint256 position = 1; position <= 13; ++position) {
            sum += uint256(digits[position - 1]) * (position % 2 == 1 ? 3 : 1);
        }
        uint256 roundedUp = ((sum + 9) / 10) * 10;
        return uint64(roundedUp - sum);
    }

    /// @notice The GTIN-14 made of `body` (< 10^13) followed by its check digit.
    function gtin(uint64 body) internal pure returns (uint64) {
        return body * 10 + gtinCheckDigit(body);
    }

    /// @notice Whether `value` is a non-zero GTIN of at most 14 digits whose last digit is its GS1 check digit.
    function isValidGtin(uint64 value) internal pure returns (bool) {
        return value != 0 && value < GTIN_LIMIT && value % 10 == gtinCheckDigit(value / 10);
    }

    function _digest(bytes32 separator, bytes32 structHash) private pure returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", separator, structHash));
    }
}

/// @title HealthTraceFixture
/// @notice Deploys the authority and both registries the way the Ignition module wires them, accredits a small
///         cast of organisations, and offers EIP-712 signing helpers.
/// @dev Role identifiers are recomputed here from their documented strings rather than read from `Roles`, so a
///      drift in the library would show up as failures.
abstract contract HealthTraceFixture is TestBase {
    uint48 internal constant ADMIN_DELAY = 3 days;
    /// @notice A realistic start time (2025-06-15) so "now minus something" never underflows.
    uint256 internal constant START_TIME = 1_750_000_000;

    uint8 internal constant KIND_CLINIC = 3;
    uint8 internal constant KIND_HOSPITAL = 4;
    uint8 internal constant KIND_LAB = 5;
    uint8 internal constant KIND_REGULATOR = 7;
    uint8 internal constant MAX_KIND = 7;
    uint32 internal constant DISTRICT_XUHUI = 310104;
    uint8 internal constant MAX_CATEGORY = 5;
    uint8 internal constant MAX_PURPOSE = 4;

    bytes32 internal constant DEFAULT_ADMIN_ROLE = bytes32(0);
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 internal constant MANUFACTURER_ROLE = keccak256("MANUFACTURER_ROLE");
    bytes32 internal constant CARRIER_ROLE = keccak256("CARRIER_ROLE");
    bytes32 internal constant WAREHOUSE_ROLE = keccak256("WAREHOUSE_ROLE");
    bytes32 internal constant CLINIC_ROLE = keccak256("CLINIC_ROLE");
    bytes32 internal constant RECORD_ISSUER_ROLE = keccak256("RECORD_ISSUER_ROLE");
    bytes32 internal constant LOT_ATTESTER_ROLE = keccak256("LOT_ATTESTER_ROLE");
    bytes32 internal constant GATEKEEPER_ROLE = keccak256("GATEKEEPER_ROLE");

    /// @notice Governance wallet (default admin).
    address internal admin = _account("admin");
    /// @notice The first regulator organisation (health commission).
    address internal regulator = _account("regulator");
    /// @notice A hospital that issues records and reads them under consent.
    address internal hospital = _account("hospital");
    /// @notice A lab that issues records and reads them under consent.
    address internal lab = _account("lab");
    /// @notice The record vault: holds the gatekeeper role.
    address internal vault = _account("vault");

    HealthTraceAuthority internal authority;
    RecordRegistry internal records;
    ConsentRegistry internal consent;

    // ----------------------------------------------------------------------------------------------------------
    // Vaccines (deployed on demand by `_deployVaccines`)
    // ----------------------------------------------------------------------------------------------------------

    uint8 internal constant KIND_MANUFACTURER = 0;
    uint8 internal constant MAX_QUORUM = 15;
    uint8 internal constant MAX_REASON = 5;
    uint8 internal constant MAX_VOID_REASON = 4;
    uint8 internal constant MAX_DOSE_NUMBER = 10;
    uint256 internal constant MAX_PROOF_LIFETIME = 5 minutes;
    uint32 internal constant MAX_DOSE_COUNT = 16_777_215;
    uint8 internal constant LOT_UNKNOWN = 0;
    uint8 internal constant LOT_PENDING = 1;
    uint8 internal constant LOT_ACTIVE = 2;
    uint8 internal constant LOT_RECALLED = 3;
    uint8 internal constant LOT_EXPIRED = 4;
    uint8 internal constant LOT_NON_CONFORMANT = 5;
    uint8 internal constant PROOF_VALID = 0;
    uint8 internal constant PROOF_NOT_CURRENT = 1;
    uint8 internal constant PROOF_TOO_LONG = 2;
    uint8 internal constant PROOF_BAD_SIGNATURE = 3;
    uint8 internal constant PROOF_NO_CONFIRMED_DOSE = 4;
    uint8 internal constant PROOF_LOT_NOT_USABLE = 5;
    uint8 internal constant REASON_COLD_CHAIN = 3;

    /// @notice A vaccine manufacturer.
    address internal manufacturer = _account("manufacturer");
    /// @notice A second vaccine manufacturer.
    address internal manufacturer2 = _account("manufacturer2");
    /// @notice An independent lot-release lab (holds the lot-attester role).
    address internal releaseLab = _account("releaseLab");
    /// @notice A vaccination clinic.
    address internal clinic = _account("clinic");
    /// @notice A second vaccination clinic.
    address internal clinic2 = _account("clinic2");

    VaccineRegistry internal vaccines;

    /// @notice Deploy and wire everything at `START_TIME`; accredit the hospital, lab and vault with their roles.
    function _deployHealthTrace() internal {
        vm.warp(START_TIME);
        authority = new HealthTraceAuthority(
            ADMIN_DELAY, admin, regulator, 310000, "Shanghai Municipal Health Commission", unicode"上海市卫生健康委员会"
        );
        records = new RecordRegistry(IHealthTraceAuthority(address(authority)));
        consent = new ConsentRegistry(IHealthTraceAuthority(address(authority)));

        _accredit(hospital, KIND_HOSPITAL, "Zhongshan Hospital", unicode"复旦大学附属中山医院");
        _grantRole(RECORD_ISSUER_ROLE, hospital);
        _accredit(lab, KIND_LAB, "Xuhui District Testing Lab", unicode"徐汇区检测实验室");
        _grantRole(RECORD_ISSUER_ROLE, lab);
        _accredit(vault, KIND_HOSPITAL, "HealthTrace Record Vault", unicode"健康溯源记录库");
        _grantRole(GATEKEEPER_ROLE, vault);

        vm.label(address(authority), "HealthTraceAuthority");
        vm.label(address(records), "RecordRegistry");
        vm.label(address(consent), "ConsentRegistry");
    }

    /// @notice Accredit `org` as the regulator, in Xuhui.
    function _accredit(address org, uint8 kind, string memory name, string memory localName) internal {
        vm.prank(regulator);
        authority.accredit(org, kind, DISTRICT_XUHUI, name, localName);
    }

    /// @notice Grant `role` to `account` as the regulator.
    function _grantRole(bytes32 role, address account) internal {
        vm.prank(regulator);
        authority.grantRole(role, account);
    }

    /// @notice A name of exactly `length` bytes.
    function _name(uint256 length) internal pure returns (string memory) {
        bytes memory b = new bytes(length);
        for (uint256 i = 0; i < length; ++i) {
            b[i] = bytes1(uint8(0x61 + (i % 26)));
        }
        return string(b);
    }

    /// @notice The eight roles of the closed set, in bit order.
    function _allRoles() internal pure returns (bytes32[8] memory) {
        return [
            REGULATOR_ROLE,
            MANUFACTURER_ROLE,
            CARRIER_ROLE,
            WAREHOUSE_ROLE,
            CLINIC_ROLE,
            RECORD_ISSUER_ROLE,
            LOT_ATTESTER_ROLE,
            GATEKEEPER_ROLE
        ];
    }

    /// @notice A deterministic, labelled address for a named test account.
    function _account(string memory name) internal returns (address account) {
        account = address(uint160(uint256(keccak256(abi.encodePacked("healthtrace.test.", name)))));
        vm.label(account, name);
    }

    /// @notice Whether `account` is one of the fixture's named accounts or a contract of the deployment.
    function _isFixtureAccount(address account) internal view returns (bool) {
        return account == admin || account == regulator || account == hospital || account == lab
            || account == vault || account == address(authority) || account == address(records)
            || account == address(consent) || account == address(this);
    }

    /// @notice The consent registry's domain separator on this chain, computed by the test.
    function _consentDomain() internal view returns (bytes32) {
        return ConsentTypedData.domainSeparator(address(consent), block.chainid);
    }

    /// @notice Sign a `Grant` for this deployment's consent registry with `key`.
    function _signGrant(uint256 key, ConsentTypedData.GrantMessage memory m) internal view returns (bytes memory) {
        return _sign(key, ConsentTypedData.digest(_consentDomain(), m));
    }

    /// @notice Sign a `Revoke` for this deployment's consent registry with `key`.
    function _signRevoke(uint256 key, ConsentTypedData.RevokeMessage memory m) internal view returns (bytes memory) {
        return _sign(key, ConsentTypedData.digest(_consentDomain(), m));
    }

    /// @notice Sign `digest` with `key` as a 65-byte (r, s, v) signature.
    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @notice Relay a signed `Grant` (as the current caller or prank).
    function _relayGrant(ConsentTypedData.GrantMessage memory m, bytes memory signature) internal {
        consent.grantBySig(m.citizen, m.grantee, m.category, m.purpose, m.expiresAt, m.nonce, m.deadline, signature);
    }

    /// @notice Relay a signed `Revoke` (as the current caller or prank).
    function _relayRevoke(ConsentTypedData.RevokeMessage memory m, bytes memory signature) internal {
        consent.revokeBySig(m.citizen, m.grantee, m.category, m.nonce, m.deadline, signature);
    }

    /// @notice Deploy the vaccine registry with release quorum `quorum` (after `_deployHealthTrace`); accredit two
    ///         manufacturers, the release lab and two clinics with their roles, and make the regulator an attester
    ///         too (the release quorum of the issue: the regulator plus an independent lab).
    function _deployVaccines(uint8 quorum) internal {
        vaccines = new VaccineRegistry(IHealthTraceAuthority(address(authority)), quorum);
        vm.label(address(vaccines), "VaccineRegistry");
        _accredit(manufacturer, KIND_MANUFACTURER, "Shanghai Institute of Biological Products", unicode"上海生物制品研究所");
        _grantRole(MANUFACTURER_ROLE, manufacturer);
        _accredit(manufacturer2, KIND_MANUFACTURER, "Beijing Vaccine Works", unicode"北京疫苗厂");
        _grantRole(MANUFACTURER_ROLE, manufacturer2);
        _accredit(releaseLab, KIND_LAB, "Shanghai Lot Release Lab", unicode"上海批签发实验室");
        _grantRole(LOT_ATTESTER_ROLE, releaseLab);
        _grantRole(LOT_ATTESTER_ROLE, regulator);
        _accredit(clinic, KIND_CLINIC, "Xuhui Vaccination Clinic", unicode"徐汇接种门诊");
        _grantRole(CLINIC_ROLE, clinic);
        _accredit(clinic2, KIND_CLINIC, "Huangpu Vaccination Clinic", unicode"黄浦接种门诊");
        _grantRole(CLINIC_ROLE, clinic2);
    }

    /// @notice The vaccine registry's domain separator on this chain, computed by the test.
    function _vaccineDomain() internal view returns (bytes32) {
        return VaccineTestLib.domainSeparator(address(vaccines), block.chainid);
    }

    /// @notice Sign a `ConfirmDose` for this deployment's vaccine registry with `key`.
    function _signConfirmDose(uint256 key, bytes32 doseId, uint256 deadline) internal view returns (bytes memory) {
        return _sign(key, VaccineTestLib.confirmDoseDigest(_vaccineDomain(), doseId, deadline));
    }

    /// @notice Sign a `VaccinationProof` for this deployment's vaccine registry with `key`.
    function _signProof(uint256 key, address citizen, bytes32 doseId, bytes32 challenge, uint256 validUntil)
        internal
        view
        returns (bytes memory)
    {
        return _sign(key, VaccineTestLib.proofDigest(_vaccineDomain(), citizen, doseId, challenge, validUntil));
    }
}
