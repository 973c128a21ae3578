// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IHealthTraceAuthority} from "../../contracts/interfaces/IHealthTraceAuthority.sol";
import {HealthTraceFixture} from "./utils/HealthTraceFixture.sol";

/// @title HealthTraceAuthorityFuzzTest
/// @notice Fuzz properties of every state-changing function of HealthTraceAuthority: accredit, suspend, restore,
///         grantRole and revokeRole. Each refusal is checked with its exact custom error and arguments, and
///         with the state left unchanged.
contract HealthTraceAuthorityFuzzTest is HealthTraceFixture {
    uint32 private constant MIN_DISTRICT = 100_000;
    uint32 private constant MAX_DISTRICT = 999_999;
    uint256 private constant MAX_NAME_BYTES = 64;

    function setUp() public {
        _deployHealthTrace();
    }

    // ------------------------------------------------------------------------------------------------------
    // accredit
    // ------------------------------------------------------------------------------------------------------

    /// @notice Any in-range kind, district and name lengths accredit the organisation with exactly those fields,
    ///         active, accredited now, with no role.
    function testFuzz_accredit_storesExactlyTheOrganisation(
        address org,
        uint8 kind,
        uint32 district,
        uint256 nameLength,
        uint256 localNameLength,
        uint32 elapsed
    ) public {
        vm.assume(org != address(0) && !_isFixtureAccount(org));
        kind = uint8(bound(kind, 0, MAX_KIND));
        district = uint32(bound(district, MIN_DISTRICT, MAX_DISTRICT));
        string memory name = _name(bound(nameLength, 1, MAX_NAME_BYTES));
        string memory localName = _name(bound(localNameLength, 1, MAX_NAME_BYTES));
        vm.warp(START_TIME + elapsed);

        vm.expectEmit(true, true, true, true, address(authority));
        emit IHealthTraceAuthority.OrganisationAccredited(org, kind, district, name, localName);
        vm.prank(regulator);
        authority.accredit(org, kind, district, name, localName);

        IHealthTraceAuthority.Organisation memory stored = authority.organisationOf(org);
        assertEq(stored.kind, kind, "kind");
        assertEq(stored.status, 1, "status active");
        assertEq(stored.district, district, "district");
        assertEq(stored.parkedRoles, 0, "parked roles");
        assertEq(stored.accreditedAt, block.timestamp, "accreditedAt");
        assertTrue(authority.isActive(org), "isActive");
        _assertHoldsNoRole(org);
    }

    /// @notice Any kind code above 7 is refused and nothing is stored.
    function testFuzz_accredit_refusesUnknownKind(address org, uint8 kind) public {
        vm.assume(org != address(0) && !_isFixtureAccount(org));
        kind = uint8(bound(kind, MAX_KIND + 1, type(uint8).max));

        vm.expectRevert(abi.encodeWithSelector(IHealthTraceAuthority.AuthorityInvalidKind.selector, kind));
        vm.prank(regulator);
        authority.accredit(org, kind, DISTRICT_XUHUI, "Name", unicode"名称");

        _assertNotStored(org);
    }

    /// @notice Any district code that is not six digits is refused and nothing is stored.
    function testFuzz_accredit_refusesDistrictOutsideSixDigits(address org, uint32 district, bool above) public {
        vm.assume(org != address(0) && !_isFixtureAccount(org));
        district = above
            ? uint32(bound(district, MAX_DISTRICT + 1, type(uint32).max))
            : uint32(bound(district, 0, MIN_DISTRICT - 1));

        vm.expectRevert(abi.encodeWithSelector(IHealthTraceAuthority.AuthorityInvalidDistrict.selector, district));
        vm.prank(regulator);
        authority.accredit(org, KIND_CLINIC, district, "Name", unicode"名称");

        _assertNotStored(org);
    }

    /// @notice An empty name or one longer than 64 bytes, English or Chinese, is refused and nothing is stored.
    function testFuzz_accredit_refusesNameLengthOutOfRange(address org, uint256 length, bool localName) public {
        vm.assume(org != address(0) && !_isFixtureAccount(org));
        length = bound(length, 0, 4 * MAX_NAME_BYTES);
        if (length != 0 && length <= MAX_NAME_BYTES) length += MAX_NAME_BYTES; // shift into (64, 320]
        string memory bad = _name(length);

        vm.expectRevert(abi.encodeWithSelector(IHealthTraceAuthority.AuthorityInvalidName.selector, length));
        vm.prank(regulator);
        if (localName) authority.accredit(org, KIND_CLINIC, DISTRICT_XUHUI, "Name", bad);
        else authority.accredit(org, KIND_CLINIC, DISTRICT_XUHUI, bad, unicode"名称");

        _assertNotStored(org);
    }

    /// @notice The zero address can never be accredited, whatever the other fields.
    function testFuzz_accredit_refusesZeroAddress(uint8 kind, uint32 district) public {
        kind = uint8(bound(kind, 0, MAX_KIND));
        district = uint32(bound(district, MIN_DISTRICT, MAX_DISTRICT));

        vm.expectRevert(IHealthTraceAuthority.AuthorityZeroAddress.selector);
        vm.prank(regulator);
        authority.accredit(address(0), kind, district, "Name", unicode"名称");

        _assertNotStored(address(0));
    }

    /// @notice Accrediting an organisation twice is refused and its record is unchanged.
    function testFuzz_accredit_refusesAlreadyAccredited(uint256 which, uint8 kind, uint32 district) public {
        address[4] memory orgs = [regulator, hospital, lab, vault];
        address org = orgs[bound(which, 0, 3)];
        kind = uint8(bound(kind, 0, MAX_KIND));
        district = uint32(bound(district, MIN_DISTRICT, MAX_DISTRICT));
        IHealthTraceAuthority.Organisation memory before = authority.organisationOf(org);

        vm.expectRevert(abi.encodeWithSelector(IHealthTraceAuthority.AuthorityAlreadyAccredited.selector, org));
        vm.prank(regulator);
        authority.accredit(org, kind, district, "Again", unicode"再次");

        assertEq(keccak256(abi.encode(authority.organisationOf(org))), keccak256(abi.encode(before)), "unchanged");
    }

    /// @notice Any caller without the regulator role is refused.
    function testFuzz_accredit_refusesCallerWithoutRegulatorRole(address caller, address org) public {
        vm.assume(caller != regulator);
        vm.assume(org != address(0) && !_isFixtureAccount(org));

        vm.expectRevert(_unauthorized(caller, REGULATOR_ROLE));
        vm.prank(caller);
        authority.accredit(org, KIND_CLINIC, DISTRICT_XUHUI, "Name", unicode"名称");

        _assertNotStored(org);
    }

    // ------------------------------------------------------------------------------------------------------
    // suspend / restore
    // ------------------------------------------------------------------------------------------------------

    /// @notice Suspending parks exactly the roles held (any subset of the closed set), leaves none active and
    ///         makes the organisation inactive; restoring hands back exactly those roles.
    function testFuzz_suspend_parksExactlyTheHeldRolesAndRestoreReturnsThem(uint8 roleMask, address org) public {
        vm.assume(org != address(0) && !_isFixtureAccount(org));
        _accreditWithRoles(org, roleMask);
        bytes32[8] memory roles = _allRoles();

        vm.expectEmit(true, true, true, true, address(authority));
        emit IHealthTraceAuthority.OrganisationSuspended(org, regulator, roleMask);
        vm.prank(regulator);
        authority.suspend(org);

        assertFalse(authority.isActive(org), "inactive while suspended");
        assertEq(authority.organisationOf(org).status, 2, "status suspended");
        assertEq(authority.organisationOf(org).parkedRoles, roleMask, "parked roles");
        _assertHoldsNoRole(org);

        vm.expectEmit(true, true, true, true, address(authority));
        emit IHealthTraceAuthority.OrganisationRestored(org, regulator, roleMask);
        vm.prank(regulator);
        authority.restore(org);

        assertTrue(authority.isActive(org), "active after restore");
        assertEq(authority.organisationOf(org).status, 1, "status active");
        assertEq(authority.organisationOf(org).parkedRoles, 0, "nothing parked");
        for (uint256 i = 0; i < 8; ++i) {
            assertEq(authority.hasRole(roles[i], org), roleMask & (1 << i) != 0, "role handed back");
        }
    }

    /// @notice Suspending an account that was never accredited is refused.
    function testFuzz_suspend_refusesUnaccredited(address org) public {
        vm.assume(!_isFixtureAccount(org));

        vm.expectRevert(abi.encodeWithSelector(IHealthTraceAuthority.AuthorityNotAccredited.selector, org));
        vm.prank(regulator);
        authority.suspend(org);
    }

    /// @notice Suspending an organisation twice is refused; the parked roles are kept.
    function testFuzz_suspend_refusesAlreadySuspended(uint256 which) public {
        address org = _anyNonRegulatorOrganisation(which);
        vm.prank(regulator);
        authority.suspend(org);
        uint8 parked = authority.organisationOf(org).parkedRoles;

        vm.expectRevert(abi.encodeWithSelector(IHealthTraceAuthority.AuthorityOrganisationSuspended.selector, org));
        vm.prank(regulator);
        authority.suspend(org);

        assertEq(authority.organisationOf(org).parkedRoles, parked, "parked roles kept");
    }

    /// @notice A regulator can never suspend its own organisation.
    function test_suspend_refusesSelfSuspension() public {
        vm.expectRevert(abi.encodeWithSelector(IHealthTraceAuthority.AuthoritySelfSuspension.selector, regulator));
        vm.prank(regulator);
        authority.suspend(regulator);
        assertTrue(authority.isActive(regulator), "still active");
    }

    /// @notice Any caller without the regulator role is refused and the organisation stays active.
    function testFuzz_suspend_refusesCallerWithoutRegulatorRole(address caller, uint256 which) public {
        vm.assume(caller != regulator);
        address org = _anyNonRegulatorOrganisation(which);

        vm.expectRevert(_unauthorized(caller, REGULATOR_ROLE));
        vm.prank(caller);
        authority.suspend(org);

        assertTrue(authority.isActive(org), "still active");
    }

    /// @notice Restoring an organisation that is not suspended (or an unknown account) is refused.
    function testFuzz_restore_refusesNotSuspended(uint256 which, address stranger) public {
        vm.assume(!_isFixtureAccount(stranger));
        address org = _anyNonRegulatorOrganisation(which);

        vm.expectRevert(abi.encodeWithSelector(IHealthTraceAuthority.AuthorityOrganisationNotSuspended.selector, org));
        vm.prank(regulator);
        authority.restore(org);

        vm.expectRevert(abi.encodeWithSelector(IHealthTraceAuthority.AuthorityNotAccredited.selector, stranger));
        vm.prank(regulator);
        authority.restore(stranger);
    }

    /// @notice Any caller without the regulator role cannot restore a suspended organisation.
    function testFuzz_restore_refusesCallerWithoutRegulatorRole(address caller, uint256 which) public {
        vm.assume(caller != regulator);
        address org = _anyNonRegulatorOrganisation(which);
        vm.prank(regulator);
        authority.suspend(org);

        vm.expectRevert(_unauthorized(caller, REGULATOR_ROLE));
        vm.prank(caller);
        authority.restore(org);

        assertFalse(authority.isActive(org), "still suspended");
        _assertHoldsNoRole(org);
    }

    // ------------------------------------------------------------------------------------------------------
    // grantRole / revokeRole
    // ------------------------------------------------------------------------------------------------------

    /// @notice The regulator can give any non-regulator role of the closed set to any active organisation.
    function testFuzz_grantRole_givesKnownRoleToActiveOrganisation(uint256 roleIndex, address org) public {
        vm.assume(org != address(0) && !_isFixtureAccount(org));
        bytes32 role = _allRoles()[bound(roleIndex, 1, 7)];
        _accredit(org, KIND_LAB, "Fudan Lab", unicode"复旦实验室");

        vm.expectEmit(true, true, true, true, address(authority));
        emit IAccessControl.RoleGranted(role, org, regulator);
        vm.prank(regulator);
        authority.grantRole(role, org);

        assertTrue(authority.hasRole(role, org), "role held");
    }

    /// @notice Any role outside the closed set (other than the default admin) is refused, even by the default admin.
    function testFuzz_grantRole_refusesUnknownRole(bytes32 role, uint256 which) public {
        vm.assume(role != DEFAULT_ADMIN_ROLE && !_isKnownRole(role));
        address org = _anyNonRegulatorOrganisation(which);

        vm.expectRevert(abi.encodeWithSelector(IHealthTraceAuthority.AuthorityUnknownRole.selector, role));
        vm.prank(admin); // unknown roles are administered by the default admin
        authority.grantRole(role, org);

        assertFalse(authority.hasRole(role, org), "not held");
    }

    /// @notice No role can be given to an account that is not an accredited organisation.
    function testFuzz_grantRole_refusesUnaccreditedAccount(uint256 roleIndex, address account) public {
        vm.assume(!_isFixtureAccount(account));
        bytes32 role = _allRoles()[bound(roleIndex, 0, 7)];

        vm.expectRevert(abi.encodeWithSelector(IHealthTraceAuthority.AuthorityNotAccredited.selector, account));
        vm.prank(role == REGULATOR_ROLE ? admin : regulator);
        authority.grantRole(role, account);

        assertFalse(authority.hasRole(role, account), "not held");
    }

    /// @notice No role can be given to a suspended organisation, and nothing is parked for it.
    function testFuzz_grantRole_refusesSuspendedOrganisation(uint256 roleIndex, uint256 which) public {
        bytes32 role = _allRoles()[bound(roleIndex, 0, 7)];
        address org = _anyNonRegulatorOrganisation(which);
        vm.prank(regulator);
        authority.suspend(org);
        uint8 parked = authority.organisationOf(org).parkedRoles;

        vm.expectRevert(abi.encodeWithSelector(IHealthTraceAuthority.AuthorityOrganisationSuspended.selector, org));
        vm.prank(role == REGULATOR_ROLE ? admin : regulator);
        authority.grantRole(role, org);

        assertFalse(authority.hasRole(role, org), "not held");
        assertEq(authority.organisationOf(org).parkedRoles, parked, "parked roles unchanged");
    }

    /// @notice Any caller without the role's admin role (regulator; default admin for the regulator role) is refused.
    function testFuzz_grantRole_refusesCallerWithoutAdminRole(address caller, uint256 roleIndex, uint256 which)
        public
    {
        bytes32 role = _allRoles()[bound(roleIndex, 0, 7)];
        bytes32 adminRole = role == REGULATOR_ROLE ? DEFAULT_ADMIN_ROLE : REGULATOR_ROLE;
        vm.assume(caller != (role == REGULATOR_ROLE ? admin : regulator));
        address org = _anyNonRegulatorOrganisation(which);
        bool before = authority.hasRole(role, org);

        vm.expectRevert(_unauthorized(caller, adminRole));
        vm.prank(caller);
        authority.grantRole(role, org);

        assertEq(authority.hasRole(role, org), before, "unchanged");
    }

    /// @notice The regulator can take any non-regulator role back from an active organisation.
    function testFuzz_revokeRole_takesRoleFromActiveOrganisation(uint256 roleIndex, uint256 which) public {
        bytes32 role = _allRoles()[bound(roleIndex, 1, 7)];
        address org = _anyNonRegulatorOrganisation(which);
        _grantRole(role, org);

        vm.expectEmit(true, true, true, true, address(authority));
        emit IAccessControl.RoleRevoked(role, org, regulator);
        vm.prank(regulator);
        authority.revokeRole(role, org);

        assertFalse(authority.hasRole(role, org), "role gone");
        assertTrue(authority.isActive(org), "still accredited and active");
    }

    /// @notice Revoking a role from a suspended organisation drops it from the parked set (any subset of roles
    ///         parked, any role of the closed set): it does not come back on restore, and the others do.
    function testFuzz_revokeRole_whileSuspendedDropsTheParkedRole(uint8 roleMask, uint256 roleIndex, address org)
        public
    {
        vm.assume(org != address(0) && !_isFixtureAccount(org));
        uint256 index = bound(roleIndex, 0, 7);
        bytes32 role = _allRoles()[index];
        address roleAdmin = index == 0 ? admin : regulator;
        _accreditWithRoles(org, roleMask);
        vm.prank(regulator);
        authority.suspend(org);

        uint8 bit = uint8(1 << index);
        if (roleMask & bit != 0) {
            vm.expectEmit(true, true, true, true, address(authority));
            emit IHealthTraceAuthority.ParkedRoleRevoked(org, role, roleAdmin);
        }
        vm.prank(roleAdmin);
        authority.revokeRole(role, org);

        uint8 remaining = roleMask & ~bit;
        assertEq(authority.organisationOf(org).parkedRoles, remaining, "role dropped from the parked set");
        _assertHoldsNoRole(org);
        vm.prank(regulator);
        authority.restore(org);
        bytes32[8] memory roles = _allRoles();
        for (uint256 i = 0; i < 8; ++i) {
            assertEq(authority.hasRole(roles[i], org), remaining & (1 << i) != 0, "only the remaining roles return");
        }
    }

    /// @notice Revoking a role outside the closed set from a suspended organisation is refused as unknown.
    function testFuzz_revokeRole_whileSuspendedRefusesUnknownRole(bytes32 role, uint256 which) public {
        vm.assume(role != DEFAULT_ADMIN_ROLE && !_isKnownRole(role));
        address org = _anyNonRegulatorOrganisation(which);
        vm.prank(regulator);
        authority.suspend(org);
        uint8 parked = authority.organisationOf(org).parkedRoles;

        vm.expectRevert(abi.encodeWithSelector(IHealthTraceAuthority.AuthorityUnknownRole.selector, role));
        vm.prank(admin); // unknown roles are administered by the default admin
        authority.revokeRole(role, org);

        assertEq(authority.organisationOf(org).parkedRoles, parked, "parked roles unchanged");
    }

    /// @notice Any caller without the role's admin role cannot revoke it, from an active organisation or from the
    ///         parked roles of a suspended one.
    function testFuzz_revokeRole_refusesCallerWithoutAdminRole(address caller, uint256 roleIndex, bool suspended)
        public
    {
        bytes32 role = _allRoles()[bound(roleIndex, 0, 7)];
        bytes32 adminRole = role == REGULATOR_ROLE ? DEFAULT_ADMIN_ROLE : REGULATOR_ROLE;
        vm.assume(caller != (role == REGULATOR_ROLE ? admin : regulator));
        address holder = vault;
        if (role == REGULATOR_ROLE) {
            vm.prank(admin);
            authority.grantRole(REGULATOR_ROLE, vault);
        } else if (!authority.hasRole(role, holder)) {
            _grantRole(role, holder);
        }
        if (suspended) {
            vm.prank(regulator);
            authority.suspend(holder);
        }
        uint8 parked = authority.organisationOf(holder).parkedRoles;

        vm.expectRevert(_unauthorized(caller, adminRole));
        vm.prank(caller);
        authority.revokeRole(role, holder);

        assertEq(authority.hasRole(role, holder), !suspended, "still held (or parked)");
        assertEq(authority.organisationOf(holder).parkedRoles, parked, "parked roles unchanged");
    }

    /// @notice The authority declares its own interface and the access-control interfaces it implements (ERC-165).
    function test_supportsInterface_declaresAuthorityInterfaces() public view {
        assertTrue(authority.supportsInterface(type(IHealthTraceAuthority).interfaceId), "IHealthTraceAuthority");
        assertTrue(authority.supportsInterface(type(IAccessControl).interfaceId), "IAccessControl");
        assertTrue(authority.supportsInterface(0x01ffc9a7), "IERC165");
        assertFalse(authority.supportsInterface(0xffffffff), "0xffffffff");
    }

    // ------------------------------------------------------------------------------------------------------
    // helpers
    // ------------------------------------------------------------------------------------------------------

    /// @dev Accredit `org` and give it the roles of `roleMask` (bit i = i-th role of `_allRoles()`).
    function _accreditWithRoles(address org, uint8 roleMask) private {
        _accredit(org, KIND_HOSPITAL, "Renji Hospital", unicode"仁济医院");
        bytes32[8] memory roles = _allRoles();
        for (uint256 i = 0; i < 8; ++i) {
            if (roleMask & (1 << i) == 0) continue;
            vm.prank(i == 0 ? admin : regulator); // the regulator role is administered by the default admin
            authority.grantRole(roles[i], org);
        }
    }

    function _anyNonRegulatorOrganisation(uint256 which) private view returns (address) {
        address[3] memory orgs = [hospital, lab, vault];
        return orgs[bound(which, 0, 2)];
    }

    function _isKnownRole(bytes32 role) private pure returns (bool) {
        bytes32[8] memory roles = _allRoles();
        for (uint256 i = 0; i < 8; ++i) {
            if (roles[i] == role) return true;
        }
        return false;
    }

    function _unauthorized(address caller, bytes32 role) private pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, role);
    }

    function _assertHoldsNoRole(address account) private view {
        bytes32[8] memory roles = _allRoles();
        for (uint256 i = 0; i < 8; ++i) {
            assertFalse(authority.hasRole(roles[i], account), "holds no role");
        }
    }

    function _assertNotStored(address org) private view {
        IHealthTraceAuthority.Organisation memory stored = authority.organisationOf(org);
        assertEq(stored.status, 0, "nothing stored: status");
        assertEq(stored.accreditedAt, 0, "nothing stored: accreditedAt");
        assertFalse(authority.isActive(org), "not active");
    }
}
