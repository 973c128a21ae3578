// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IHealthTraceAuthority} from "./interfaces/IHealthTraceAuthority.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title HealthTraceAuthority
/// @author HealthTrace
/// @notice Accredits organisations and gives them the roles that every HealthTrace registry checks.
/// @dev Built on AccessControlDefaultAdminRules: the default admin is handed over in two steps with a delay
///      and can never be granted by `grantRole`. Every other role belongs to the closed set in `Roles`,
///      is administered by the regulator role (the regulator role itself by the default admin) and can
///      only be held by an accredited, active organisation.
contract HealthTraceAuthority is AccessControlDefaultAdminRules, IHealthTraceAuthority {
    uint8 private constant _STATUS_ACTIVE = 1;
    uint8 private constant _STATUS_SUSPENDED = 2;
    uint8 private constant _MAX_KIND = 7;
    uint32 private constant _MIN_DISTRICT = 100_000;
    uint32 private constant _MAX_DISTRICT = 999_999;

    /// @inheritdoc IHealthTraceAuthority
    uint256 public constant MAX_NAME_BYTES = 64;

    /// @inheritdoc IHealthTraceAuthority
    bytes32 public constant REGULATOR_ROLE = Roles.REGULATOR;
    /// @inheritdoc IHealthTraceAuthority
    bytes32 public constant MANUFACTURER_ROLE = Roles.MANUFACTURER;
    /// @inheritdoc IHealthTraceAuthority
    bytes32 public constant CARRIER_ROLE = Roles.CARRIER;
    /// @inheritdoc IHealthTraceAuthority
    bytes32 public constant WAREHOUSE_ROLE = Roles.WAREHOUSE;
    /// @inheritdoc IHealthTraceAuthority
    bytes32 public constant CLINIC_ROLE = Roles.CLINIC;
    /// @inheritdoc IHealthTraceAuthority
    bytes32 public constant RECORD_ISSUER_ROLE = Roles.RECORD_ISSUER;
    /// @inheritdoc IHealthTraceAuthority
    bytes32 public constant LOT_ATTESTER_ROLE = Roles.LOT_ATTESTER;
    /// @inheritdoc IHealthTraceAuthority
    bytes32 public constant GATEKEEPER_ROLE = Roles.GATEKEEPER;

    mapping(address org => Organisation record) private _organisations;

    /// @notice Deploy the authority with its default admin and the first regulator organisation.
    /// @param adminDelay Delay (seconds) a default-admin handover must wait before it can be accepted.
    /// @param admin The default admin (governance wallet of the health commission).
    /// @param regulator The first regulator organisation's wallet.
    /// @param district The regulator's six-digit district code.
    /// @param name The regulator's name in English.
    /// @param localName The regulator's name in Simplified Chinese.
    constructor(
        uint48 adminDelay,
        address admin,
        address regulator,
        uint32 district,
        string memory name,
        string memory localName
    ) AccessControlDefaultAdminRules(adminDelay, admin) {
        bytes32[8] memory roles = Roles.all();
        for (uint256 i = 1; i < Roles.COUNT; ++i) {
            _setRoleAdmin(roles[i], Roles.REGULATOR);
        }
        _accredit(regulator, _MAX_KIND, district, bytes(name).length, bytes(localName).length);
        emit OrganisationAccredited(regulator, _MAX_KIND, district, name, localName);
        _grantRole(Roles.REGULATOR, regulator);
    }

    /// @inheritdoc IHealthTraceAuthority
    function accredit(address org, uint8 kind, uint32 district, string calldata name, string calldata localName)
        external
        onlyRole(Roles.REGULATOR)
    {
        if (kind > _MAX_KIND) revert AuthorityInvalidKind(kind);
        _accredit(org, kind, district, bytes(name).length, bytes(localName).length);
        emit OrganisationAccredited(org, kind, district, name, localName);
    }

    /// @inheritdoc IHealthTraceAuthority
    function suspend(address org) external onlyRole(Roles.REGULATOR) {
        if (org == _msgSender()) revert AuthoritySelfSuspension(org);
        Organisation storage record = _organisations[org];
        if (record.status == 0) revert AuthorityNotAccredited(org);
        if (record.status == _STATUS_SUSPENDED) revert AuthorityOrganisationSuspended(org);

        bytes32[8] memory roles = Roles.all();
        uint8 parked;
        for (uint256 i = 0; i < Roles.COUNT; ++i) {
            if (_revokeRole(roles[i], org)) parked |= uint8(1 << i);
        }
        record.status = _STATUS_SUSPENDED;
        record.parkedRoles = parked;
        emit OrganisationSuspended(org, _msgSender(), parked);
    }

    /// @inheritdoc IHealthTraceAuthority
    function restore(address org) external onlyRole(Roles.REGULATOR) {
        Organisation storage record = _organisations[org];
        if (record.status == 0) revert AuthorityNotAccredited(org);
        if (record.status != _STATUS_SUSPENDED) revert AuthorityOrganisationNotSuspended(org);

        uint8 parked = record.parkedRoles;
        record.status = _STATUS_ACTIVE;
        record.parkedRoles = 0;
        bytes32[8] memory roles = Roles.all();
        for (uint256 i = 0; i < Roles.COUNT; ++i) {
            if (parked & (1 << i) != 0) _grantRole(roles[i], org);
        }
        emit OrganisationRestored(org, _msgSender(), parked);
    }

    /// @notice Revoke a role. For a suspended organisation the role is parked, so it is removed from the parked
    ///         set instead (`ParkedRoleRevoked`): it will not come back on restore.
    /// @dev Same authorisation as OpenZeppelin's `revokeRole`: the caller must hold the role's admin role.
    /// @param role The role.
    /// @param account The account.
    function revokeRole(bytes32 role, address account)
        public
        override(AccessControlDefaultAdminRules, IAccessControl)
    {
        Organisation storage record = _organisations[account];
        if (record.status != _STATUS_SUSPENDED || role == DEFAULT_ADMIN_ROLE) {
            super.revokeRole(role, account);
            return;
        }
        _checkRole(getRoleAdmin(role));
        _unpark(record, account, role);
    }

    /// @notice Renounce a role held by the caller. A suspended organisation renounces a parked role: it is
    ///         removed from the parked set (`ParkedRoleRevoked`) and will not come back on restore.
    /// @param role The role.
    /// @param callerConfirmation The caller's own address.
    function renounceRole(bytes32 role, address callerConfirmation)
        public
        override(AccessControlDefaultAdminRules, IAccessControl)
    {
        Organisation storage record = _organisations[callerConfirmation];
        if (record.status != _STATUS_SUSPENDED || role == DEFAULT_ADMIN_ROLE) {
            super.renounceRole(role, callerConfirmation);
            return;
        }
        if (callerConfirmation != _msgSender()) revert AccessControlBadConfirmation();
        _unpark(record, callerConfirmation, role);
    }

    /// @notice Whether this contract implements `interfaceId` (ERC-165).
    /// @param interfaceId The interface identifier.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IHealthTraceAuthority).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @inheritdoc IHealthTraceAuthority
    function isActive(address account) external view returns (bool) {
        return _organisations[account].status == _STATUS_ACTIVE;
    }

    /// @inheritdoc IHealthTraceAuthority
    function organisationOf(address org) external view returns (Organisation memory) {
        return _organisations[org];
    }

    /// @dev Every role but the default admin must be in the closed set and held by an active organisation.
    function _grantRole(bytes32 role, address account) internal override returns (bool) {
        if (role != DEFAULT_ADMIN_ROLE) {
            if (!Roles.isKnown(role)) revert AuthorityUnknownRole(role);
            uint8 status = _organisations[account].status;
            if (status == 0) revert AuthorityNotAccredited(account);
            if (status == _STATUS_SUSPENDED) revert AuthorityOrganisationSuspended(account);
        }
        return super._grantRole(role, account);
    }

    /// @dev Removes `role` from a suspended organisation's parked set, if it is there.
    function _unpark(Organisation storage record, address org, bytes32 role) private {
        uint8 bit = _roleBit(role);
        if (record.parkedRoles & bit != 0) {
            record.parkedRoles &= ~bit;
            emit ParkedRoleRevoked(org, role, _msgSender());
        }
    }

    /// @dev The bit of `role` in a parked-roles mask; refuses a role outside the closed set.
    function _roleBit(bytes32 role) private pure returns (uint8) {
        bytes32[8] memory roles = Roles.all();
        for (uint256 i = 0; i < Roles.COUNT; ++i) {
            if (roles[i] == role) return uint8(1 << i);
        }
        revert AuthorityUnknownRole(role);
    }

    function _accredit(address org, uint8 kind, uint32 district, uint256 nameLength, uint256 localNameLength)
        private
    {
        if (org == address(0)) revert AuthorityZeroAddress();
        if (district < _MIN_DISTRICT || district > _MAX_DISTRICT) revert AuthorityInvalidDistrict(district);
        if (nameLength == 0 || nameLength > MAX_NAME_BYTES) revert AuthorityInvalidName(nameLength);
        if (localNameLength == 0 || localNameLength > MAX_NAME_BYTES) revert AuthorityInvalidName(localNameLength);
        if (_organisations[org].status != 0) revert AuthorityAlreadyAccredited(org);
        _organisations[org] = Organisation({
            kind: kind,
            status: _STATUS_ACTIVE,
            district: district,
            parkedRoles: 0,
            accreditedAt: uint40(block.timestamp)
        });
    }
}
