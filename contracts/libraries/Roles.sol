// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Roles
/// @author HealthTrace
/// @notice The closed set of capabilities the HealthTrace authority hands to accredited organisations.
/// @dev Every registry checks one of these through `IHealthTraceAuthority.hasRole`. The set is closed so
///      that suspending an organisation can park all of its roles with a bounded loop, and restoring
///      it can hand them back. The bit index of each role (`bit`) is its position in `all()`.
library Roles {
    /// @notice Health commission / CDC: accredits organisations, hands out roles, releases and recalls lots.
    bytes32 internal constant REGULATOR = keccak256("REGULATOR_ROLE");
    /// @notice Registers vaccine lots and creates shipments.
    bytes32 internal constant MANUFACTURER = keccak256("MANUFACTURER_ROLE");
    /// @notice Carries shipments between custodians.
    bytes32 internal constant CARRIER = keccak256("CARRIER_ROLE");
    /// @notice Stores shipments.
    bytes32 internal constant WAREHOUSE = keccak256("WAREHOUSE_ROLE");
    /// @notice Administers vaccine doses.
    bytes32 internal constant CLINIC = keccak256("CLINIC_ROLE");
    /// @notice Anchors health records about citizens (hospitals, clinics, labs).
    bytes32 internal constant RECORD_ISSUER = keccak256("RECORD_ISSUER_ROLE");
    /// @notice Attests vaccine lots for release (independent labs, the regulator).
    bytes32 internal constant LOT_ATTESTER = keccak256("LOT_ATTESTER_ROLE");
    /// @notice Logs reads of health records (the record vault).
    bytes32 internal constant GATEKEEPER = keccak256("GATEKEEPER_ROLE");

    /// @notice Number of roles in the closed set.
    uint256 internal constant COUNT = 8;

    /// @notice All roles, in bit order.
    function all() internal pure returns (bytes32[8] memory) {
        return [REGULATOR, MANUFACTURER, CARRIER, WAREHOUSE, CLINIC, RECORD_ISSUER, LOT_ATTESTER, GATEKEEPER];
    }

    /// @notice Whether `role` belongs to the closed set.
    /// @param role The role identifier.
    function isKnown(bytes32 role) internal pure returns (bool) {
        return role == REGULATOR || role == MANUFACTURER || role == CARRIER || role == WAREHOUSE || role == CLINIC
            || role == RECORD_ISSUER || role == LOT_ATTESTER || role == GATEKEEPER;
    }
}
