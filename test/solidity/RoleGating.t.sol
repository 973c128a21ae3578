// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IAccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IConsentRegistry} from "../../contracts/interfaces/IConsentRegistry.sol";
import {IRecordRegistry} from "../../contracts/interfaces/IRecordRegistry.sol";
import {HealthTraceFixture} from "./utils/HealthTraceFixture.sol";

/// @title RoleGatingFuzzTest
/// @notice Every role-gated function of the three contracts, tried by any caller that lacks its role (a fuzzed
///         stranger, or an organisation holding every other role), is refused with its named error and changes
///         nothing.
contract RoleGatingFuzzTest is HealthTraceFixture {
    /// @notice Number of role-gated entry points exercised by `_callGated`.
    uint256 private constant GATED_COUNT = 15;

    address private pendingAdmin = _account("pendingAdmin");
    address private suspendedClinic = _account("suspendedClinic");
    address private candidate = _account("candidate");
    address private insider = _account("insider");

    function setUp() public {
        _deployHealthTrace();
        _accredit(suspendedClinic, KIND_CLINIC, "Xuhui Community Clinic", unicode"徐汇社区诊所");
        _grantRole(CLINIC_ROLE, suspendedClinic);
        vm.prank(regulator);
        authority.suspend(suspendedClinic);
        vm.prank(admin);
        authority.beginDefaultAdminTransfer(pendingAdmin);
    }

    /// @notice Any caller holding no role at all is refused by every role-gated function, and nothing changes.
    function testFuzz_roleGated_refusesEveryCallerWithoutTheRole(address caller, uint256 fn) public {
        vm.assume(!_isFixtureAccount(caller) && caller != pendingAdmin && caller != address(vm));
        _assertRefusedAndUnchanged(caller, bound(fn, 0, GATED_COUNT - 1));
    }

    /// @notice An organisation holding every role except the one a function needs is refused by it: no role
    ///         substitutes for another.
    function testFuzz_roleGated_refusesOrganisationHoldingEveryOtherRole(uint256 fn) public {
        fn = bound(fn, 0, GATED_COUNT - 1);
        bytes32 needed = _neededRole(fn);
        _accredit(insider, KIND_HOSPITAL, "Ruijin Hospital", unicode"瑞金医院");
        bytes32[8] memory roles = _allRoles();
        for (uint256 i = 0; i < 8; ++i) {
            if (roles[i] == needed) continue;
            vm.prank(i == 0 ? admin : regulator);
            authority.grantRole(roles[i], insider);
        }
        _assertRefusedAndUnchanged(insider, fn);
    }

    function _assertRefusedAndUnchanged(address caller, uint256 fn) private {
        bytes32 before = _stateDigest();
        vm.expectRevert(_expectedError(caller, fn));
        vm.prank(caller);
        _callGated(fn);
        assertEq(_stateDigest(), before, "state unchanged");
    }

    /// @dev Calls role-gated entry point `fn` with arguments that would succeed for a holder of its role.
    function _callGated(uint256 fn) private {
        if (fn == 0) authority.accredit(candidate, KIND_LAB, DISTRICT_XUHUI, "Candidate Lab", unicode"候选实验室");
        else if (fn == 1) authority.suspend(hospital);
        else if (fn == 2) authority.restore(suspendedClinic);
        else if (fn == 3) authority.grantRole(CLINIC_ROLE, hospital);
        else if (fn == 4) authority.revokeRole(RECORD_ISSUER_ROLE, hospital);
        else if (fn == 5) authority.grantRole(REGULATOR_ROLE, hospital);
        else if (fn == 6) authority.revokeRole(REGULATOR_ROLE, regulator);
        else if (fn == 7) authority.beginDefaultAdminTransfer(candidate);
        else if (fn == 8) authority.cancelDefaultAdminTransfer();
        else if (fn == 9) authority.changeDefaultAdminDelay(1 days);
        else if (fn == 10) authority.rollbackDefaultAdminDelay();
        else if (fn == 11) authority.acceptDefaultAdminTransfer();
        else if (fn == 12) records.anchor(candidate, 0, keccak256("record"));
        else if (fn == 13) consent.logAccess(candidate, hospital, 0, keccak256("record"));
        else authority.revokeRole(CLINIC_ROLE, suspendedClinic); // would drop a parked role
    }

    function _neededRole(uint256 fn) private pure returns (bytes32) {
        if (fn <= 4 || fn == 14) return REGULATOR_ROLE;
        if (fn <= 11) return DEFAULT_ADMIN_ROLE;
        if (fn == 12) return RECORD_ISSUER_ROLE;
        return GATEKEEPER_ROLE; // fn 13
    }

    function _expectedError(address caller, uint256 fn) private pure returns (bytes memory) {
        if (fn == 11) {
            return abi.encodeWithSelector(
                IAccessControlDefaultAdminRules.AccessControlInvalidDefaultAdmin.selector, caller
            );
        }
        if (fn == 12) return abi.encodeWithSelector(IRecordRegistry.RecordRegistryUnauthorized.selector, caller);
        if (fn == 13) return abi.encodeWithSelector(IConsentRegistry.ConsentRegistryUnauthorized.selector, caller);
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, _neededRole(fn));
    }

    /// @dev A hash of every piece of state the gated functions could touch.
    function _stateDigest() private view returns (bytes32) {
        address[6] memory accounts = [regulator, hospital, lab, vault, suspendedClinic, candidate];
        bytes32[8] memory roles = _allRoles();
        bytes memory state;
        for (uint256 a = 0; a < accounts.length; ++a) {
            state = abi.encode(state, authority.organisationOf(accounts[a]));
            for (uint256 r = 0; r < roles.length; ++r) {
                state = abi.encode(state, authority.hasRole(roles[r], accounts[a]));
            }
        }
        (address pending, uint48 acceptSchedule) = authority.pendingDefaultAdmin();
        (uint48 newDelay, uint48 effectSchedule) = authority.pendingDefaultAdminDelay();
        state = abi.encode(
            state, authority.defaultAdmin(), pending, acceptSchedule, authority.defaultAdminDelay(), newDelay, effectSchedule
        );
        return keccak256(abi.encode(state, records.anchorOf(keccak256("record"))));
    }
}
