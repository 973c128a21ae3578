// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";

/// @title IHealthTraceAuthority
/// @author HealthTrace
/// @notice The one place where the regulator accredits organisations and hands them the roles that every
///         HealthTrace registry checks.
/// @dev Registries call `hasRole(role, account)`: a single storage read. Suspending an organisation parks
///      (revokes and remembers) all its roles, so `hasRole` alone is the truth everywhere; restoring hands
///      the parked roles back. The default admin (the health commission's governance wallet) can only be
///      handed over in two steps with a delay (OpenZeppelin AccessControlDefaultAdminRules).
interface IHealthTraceAuthority is IAccessControlDefaultAdminRules {
    /// @notice An accredited organisation, packed in one storage slot. Its names live only in the
    ///         `OrganisationAccredited` event.
    /// @param kind Organisation kind code (see `accredit`).
    /// @param status 0 = unknown, 1 = active, 2 = suspended.
    /// @param district Administrative division code (GB/T 2260, six digits, e.g. 310104 = Xuhui, Shanghai).
    /// @param parkedRoles Bitmask of the roles held when suspended (bit i = i-th role of `Roles.all()`).
    /// @param accreditedAt Block timestamp of accreditation.
    struct Organisation {
        uint8 kind;
        uint8 status;
        uint32 district;
        uint8 parkedRoles;
        uint40 accreditedAt;
    }

    /// @notice An organisation was accredited.
    /// @param org The organisation's wallet.
    /// @param kind Organisation kind code.
    /// @param district Administrative division code.
    /// @param name Name in English (Latin script).
    /// @param localName Name in Simplified Chinese.
    event OrganisationAccredited(
        address indexed org, uint8 indexed kind, uint32 indexed district, string name, string localName
    );

    /// @notice An organisation was suspended; its roles were parked.
    /// @param org The organisation.
    /// @param regulator Who suspended it.
    /// @param parkedRoles Bitmask of the roles parked.
    event OrganisationSuspended(address indexed org, address indexed regulator, uint8 indexed parkedRoles);

    /// @notice A suspended organisation was restored; its parked roles were handed back.
    /// @param org The organisation.
    /// @param regulator Who restored it.
    /// @param restoredRoles Bitmask of the roles handed back.
    event OrganisationRestored(address indexed org, address indexed regulator, uint8 indexed restoredRoles);

    /// @notice A role parked by a suspension was revoked (or renounced): it will not come back when the
    ///         organisation is restored.
    /// @param org The suspended organisation.
    /// @param role The role.
    /// @param sender Who revoked it (the role's admin) or renounced it (the organisation itself).
    event ParkedRoleRevoked(address indexed org, bytes32 indexed role, address indexed sender);

    /// @notice The zero address was given where an organisation was expected.
    error AuthorityZeroAddress();
    /// @notice The organisation kind code is not in the documented set.
    error AuthorityInvalidKind(uint8 kind);
    /// @notice The district code is not a six-digit administrative division code.
    error AuthorityInvalidDistrict(uint32 district);
    /// @notice A name is empty or longer than `MAX_NAME_BYTES`.
    error AuthorityInvalidName(uint256 length);
    /// @notice The organisation is already accredited.
    error AuthorityAlreadyAccredited(address org);
    /// @notice The account is not an accredited organisation.
    error AuthorityNotAccredited(address account);
    /// @notice The organisation is suspended.
    error AuthorityOrganisationSuspended(address org);
    /// @notice The organisation is not suspended.
    error AuthorityOrganisationNotSuspended(address org);
    /// @notice The role is not one of the closed set in `Roles`.
    error AuthorityUnknownRole(bytes32 role);
    /// @notice A regulator tried to suspend its own organisation.
    error AuthoritySelfSuspension(address regulator);

    /// @notice Accredit an organisation. Roles are handed out afterwards with `grantRole`.
    /// @dev Only a regulator. Kind codes: 0 manufacturer, 1 carrier, 2 warehouse, 3 clinic, 4 hospital,
    ///      5 lab, 6 research institute, 7 regulator.
    /// @param org The organisation's wallet.
    /// @param kind Organisation kind code.
    /// @param district Six-digit administrative division code.
    /// @param name Name in English, 1–64 bytes.
    /// @param localName Name in Simplified Chinese, 1–64 bytes (UTF-8).
    function accredit(address org, uint8 kind, uint32 district, string calldata name, string calldata localName)
        external;

    /// @notice Suspend an organisation: every role it holds is parked until it is restored.
    /// @dev Only a regulator; bounded by the closed role set.
    /// @param org The organisation.
    function suspend(address org) external;

    /// @notice Restore a suspended organisation and hand its parked roles back.
    /// @dev Only a regulator.
    /// @param org The organisation.
    function restore(address org) external;

    /// @notice Whether `account` is an accredited organisation that is not suspended.
    /// @param account The account.
    function isActive(address account) external view returns (bool);

    /// @notice The stored record of an organisation (all zero if never accredited).
    /// @param org The organisation.
    function organisationOf(address org) external view returns (Organisation memory);

    /// @notice Maximum byte length of an organisation name.
    function MAX_NAME_BYTES() external view returns (uint256);

    /// @notice The regulator role identifier.
    function REGULATOR_ROLE() external view returns (bytes32);
    /// @notice The manufacturer role identifier.
    function MANUFACTURER_ROLE() external view returns (bytes32);
    /// @notice The carrier role identifier.
    function CARRIER_ROLE() external view returns (bytes32);
    /// @notice The warehouse role identifier.
    function WAREHOUSE_ROLE() external view returns (bytes32);
    /// @notice The clinic (dose-administering) role identifier.
    function CLINIC_ROLE() external view returns (bytes32);
    /// @notice The record-issuer role identifier.
    function RECORD_ISSUER_ROLE() external view returns (bytes32);
    /// @notice The lot-attester role identifier.
    function LOT_ATTESTER_ROLE() external view returns (bytes32);
    /// @notice The gatekeeper (access-logging record vault) role identifier.
    function GATEKEEPER_ROLE() external view returns (bytes32);
}
