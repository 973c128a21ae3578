// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ConsentRegistry} from "../../../contracts/ConsentRegistry.sol";
import {HealthTraceAuthority} from "../../../contracts/HealthTraceAuthority.sol";
import {RecordRegistry} from "../../../contracts/RecordRegistry.sol";
import {IHealthTraceAuthority} from "../../../contracts/interfaces/IHealthTraceAuthority.sol";
import {ConsentTypedData} from "./ConsentTypedData.sol";
import {TestBase} from "./TestBase.sol";

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
}
