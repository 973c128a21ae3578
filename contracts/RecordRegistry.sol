// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {IHealthTraceAuthority} from "./interfaces/IHealthTraceAuthority.sol";
import {IRecordRegistry} from "./interfaces/IRecordRegistry.sol";
import {HealthData} from "./libraries/HealthData.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title RecordRegistry
/// @author HealthTrace
/// @notice Anchors the hash of each off-chain health record with its subject, category and issuer.
contract RecordRegistry is IRecordRegistry, Multicall {
    IHealthTraceAuthority private immutable _authority;

    mapping(bytes32 contentHash => Anchor anchor) private _anchors;

    /// @notice Deploy the registry against an authority.
    /// @param authority_ The HealthTrace authority.
    constructor(IHealthTraceAuthority authority_) {
        _authority = authority_;
    }

    /// @inheritdoc IRecordRegistry
    function anchor(address subject, uint8 category, bytes32 contentHash) external {
        if (!_authority.hasRole(Roles.RECORD_ISSUER, msg.sender)) revert RecordRegistryUnauthorized(msg.sender);
        if (category > HealthData.MAX_CATEGORY) revert RecordRegistryUnknownCategory(category);
        if (subject == address(0)) revert RecordRegistryZeroSubject();
        if (contentHash == bytes32(0)) revert RecordRegistryZeroHash();
        Anchor storage stored = _anchors[contentHash];
        if (stored.subject != address(0)) revert RecordRegistryAlreadyAnchored(contentHash);
        stored.subject = subject;
        stored.category = category;
        stored.anchoredAt = uint40(block.timestamp);
        stored.issuer = msg.sender;
        emit RecordAnchored(contentHash, subject, msg.sender, category);
    }

    /// @inheritdoc IRecordRegistry
    function multicall(bytes[] calldata data)
        public
        override(IRecordRegistry, Multicall)
        returns (bytes[] memory results)
    {
        return super.multicall(data);
    }

    /// @inheritdoc IRecordRegistry
    function anchorOf(bytes32 contentHash) external view returns (Anchor memory) {
        return _anchors[contentHash];
    }

    /// @inheritdoc IRecordRegistry
    function authority() external view returns (address) {
        return address(_authority);
    }
}
