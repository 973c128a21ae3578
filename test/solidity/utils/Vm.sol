// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Vm
/// @notice The few Foundry-compatible cheatcodes that the HealthTrace Solidity tests use. Hardhat 3 runs
///         Solidity tests on EDR, which serves these at `address(uint160(uint256(keccak256("hevm cheat code"))))`.
/// @dev A minimal subset of forge-std's `Vm` interface (forge-std is not a dependency of this project); the
///      signatures are the standard ones, so their selectors match what EDR implements.
interface Vm {
    /// @notice Set `block.timestamp`.
    function warp(uint256 newTimestamp) external;

    /// @notice Make the next call (only) come from `msgSender`.
    function prank(address msgSender) external;

    /// @notice Expect the next call to revert with exactly `revertData`.
    function expectRevert(bytes calldata revertData) external;

    /// @notice Expect the next call to revert with a custom error of selector `revertData` (any arguments).
    function expectRevert(bytes4 revertData) external;

    /// @notice Expect the next emitted log to match the one emitted next by the test, checking the chosen
    ///         topics and data, and that `emitter` emits it.
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData, address emitter)
        external;

    /// @notice The address of private key `privateKey`.
    function addr(uint256 privateKey) external pure returns (address keyAddr);

    /// @notice Sign `digest` with `privateKey` (secp256k1, low-s).
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);

    /// @notice Discard the current fuzz input if `condition` is false.
    function assume(bool condition) external pure;

    /// @notice Name an address in traces.
    function label(address account, string calldata newLabel) external;

    /// @notice A log captured by `recordLogs`.
    /// @param topics The log's topics (topic 0 = event selector).
    /// @param data The log's non-indexed data.
    /// @param emitter The contract that emitted it.
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    /// @notice Start recording every log emitted from now on.
    function recordLogs() external;

    /// @notice The logs recorded since `recordLogs` (or the last call of this function), which are then cleared.
    function getRecordedLogs() external returns (Log[] memory logs);
}
