// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IRecordRegistry} from "../../contracts/interfaces/IRecordRegistry.sol";
import {HealthTraceFixture} from "./utils/HealthTraceFixture.sol";

/// @title RecordRegistryFuzzTest
/// @notice Fuzz properties of RecordRegistry.anchor: a valid anchor stores exactly its fields once; every
///         refusal names its reason and stores nothing.
contract RecordRegistryFuzzTest is HealthTraceFixture {
    function setUp() public {
        _deployHealthTrace();
    }

    /// @notice Any subject, category in the documented set and non-zero hash, anchored by any record issuer at
    ///         any time, stores exactly (subject, category, now, issuer) and emits RecordAnchored.
    function testFuzz_anchor_storesExactlyTheFields(
        address subject,
        uint8 category,
        bytes32 contentHash,
        uint32 elapsed,
        bool byLab
    ) public {
        vm.assume(subject != address(0) && contentHash != bytes32(0));
        category = uint8(bound(category, 0, MAX_CATEGORY));
        address issuer = byLab ? lab : hospital;
        vm.warp(START_TIME + elapsed);

        vm.expectEmit(true, true, true, true, address(records));
        emit IRecordRegistry.RecordAnchored(contentHash, subject, issuer, category);
        vm.prank(issuer);
        records.anchor(subject, category, contentHash);

        IRecordRegistry.Anchor memory stored = records.anchorOf(contentHash);
        assertEq(stored.subject, subject, "subject");
        assertEq(stored.category, category, "category");
        assertEq(stored.anchoredAt, block.timestamp, "anchoredAt");
        assertEq(stored.issuer, issuer, "issuer");
    }

    /// @notice Any category code above 5 is refused and nothing is stored.
    function testFuzz_anchor_refusesUnknownCategory(address subject, uint8 category, bytes32 contentHash) public {
        vm.assume(subject != address(0) && contentHash != bytes32(0));
        category = uint8(bound(category, MAX_CATEGORY + 1, type(uint8).max));

        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordRegistryUnknownCategory.selector, category));
        vm.prank(hospital);
        records.anchor(subject, category, contentHash);

        _assertNotStored(contentHash);
    }

    /// @notice A zero subject or a zero content hash is refused and nothing is stored.
    function testFuzz_anchor_refusesZeroSubjectOrHash(address subject, uint8 category, bytes32 contentHash) public {
        category = uint8(bound(category, 0, MAX_CATEGORY));
        vm.assume(contentHash != bytes32(0));
        vm.assume(subject != address(0));

        vm.expectRevert(IRecordRegistry.RecordRegistryZeroSubject.selector);
        vm.prank(hospital);
        records.anchor(address(0), category, contentHash);
        _assertNotStored(contentHash);

        vm.expectRevert(IRecordRegistry.RecordRegistryZeroHash.selector);
        vm.prank(hospital);
        records.anchor(subject, category, bytes32(0));
        _assertNotStored(bytes32(0));
    }

    /// @notice A content hash can be anchored only once: a second anchor by any issuer, for any subject and
    ///         category, is refused and the first anchor is unchanged.
    function testFuzz_anchor_refusesSecondAnchorOfSameHash(
        bytes32 contentHash,
        address firstSubject,
        address secondSubject,
        uint8 category,
        uint32 elapsed
    ) public {
        vm.assume(contentHash != bytes32(0) && firstSubject != address(0) && secondSubject != address(0));
        category = uint8(bound(category, 0, MAX_CATEGORY));
        vm.prank(hospital);
        records.anchor(firstSubject, category, contentHash);
        bytes32 first = keccak256(abi.encode(records.anchorOf(contentHash)));
        vm.warp(START_TIME + elapsed);

        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordRegistryAlreadyAnchored.selector, contentHash));
        vm.prank(lab);
        records.anchor(secondSubject, MAX_CATEGORY - category, contentHash);

        assertEq(keccak256(abi.encode(records.anchorOf(contentHash))), first, "first anchor unchanged");
    }

    /// @notice Any caller without the record-issuer role is refused, and so is an issuer while suspended.
    function testFuzz_anchor_refusesCallerWithoutIssuerRole(address caller, address subject, bytes32 contentHash)
        public
    {
        vm.assume(caller != hospital && caller != lab);
        vm.assume(subject != address(0) && contentHash != bytes32(0));

        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordRegistryUnauthorized.selector, caller));
        vm.prank(caller);
        records.anchor(subject, 0, contentHash);
        _assertNotStored(contentHash);

        vm.prank(regulator);
        authority.suspend(hospital);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordRegistryUnauthorized.selector, hospital));
        vm.prank(hospital);
        records.anchor(subject, 0, contentHash);
        _assertNotStored(contentHash);
    }

    /// @notice The registry checks the roles of the authority it was deployed against.
    function test_authority_isTheDeployedAuthority() public view {
        assertEq(records.authority(), address(authority), "authority");
    }

    function _assertNotStored(bytes32 contentHash) private view {
        IRecordRegistry.Anchor memory stored = records.anchorOf(contentHash);
        assertEq(stored.subject, address(0), "nothing stored: subject");
        assertEq(stored.issuer, address(0), "nothing stored: issuer");
        assertEq(stored.anchoredAt, 0, "nothing stored: anchoredAt");
        assertEq(stored.category, 0, "nothing stored: category");
    }
}
