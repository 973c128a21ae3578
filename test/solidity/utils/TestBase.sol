// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Vm} from "./Vm.sol";

/// @title TestBase
/// @notice A small, self-contained base for the HealthTrace Solidity tests (forge-std is not a dependency):
///         the cheatcode handle, assertions that fail with named custom errors carrying the values, forge-std's
///         `bound`, and the invariant-targeting ABI (`targetContracts`, `targetSelectors`) that the EDR runner
///         reads from a test contract exactly as it reads forge-std's `StdInvariant`.
/// @dev A test fails when its function reverts, so every assertion is a revert with a custom error.
abstract contract TestBase {
    /// @notice The cheatcode contract served by EDR (same address as Foundry's `vm`).
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @notice Order of the secp256k1 group: valid private keys are 1 ... SECP256K1_N - 1.
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    /// @notice A selection of functions of one target contract, as forge-std's `StdInvariant.FuzzSelector`.
    /// @param addr The target contract.
    /// @param selectors The functions of `addr` the invariant fuzzer may call.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    /// @notice A boolean condition that should hold did not.
    error AssertionFailed(string what);
    /// @notice Two unsigned integers that should compare as stated did not.
    error AssertionFailedUint(string what, uint256 actual, uint256 expected);
    /// @notice Two addresses that should be equal were not.
    error AssertionFailedAddress(string what, address actual, address expected);
    /// @notice Two 32-byte words that should be equal were not.
    error AssertionFailedBytes32(string what, bytes32 actual, bytes32 expected);
    /// @notice Two booleans that should be equal were not.
    error AssertionFailedBool(string what, bool actual, bool expected);
    /// @notice `bound` was called with an empty range.
    error BoundMinAboveMax(uint256 min, uint256 max);

    address[] private _targetedContracts;
    FuzzSelector[] private _targetedSelectors;

    // ----------------------------------------------------------------------------------------------------------
    // Assertions
    // ----------------------------------------------------------------------------------------------------------

    /// @notice Fail with `AssertionFailed(what)` unless `condition`.
    function assertTrue(bool condition, string memory what) internal pure {
        if (!condition) revert AssertionFailed(what);
    }

    /// @notice Fail with `AssertionFailed(what)` if `condition`.
    function assertFalse(bool condition, string memory what) internal pure {
        if (condition) revert AssertionFailed(what);
    }

    /// @notice Fail unless `actual == expected`.
    function assertEq(uint256 actual, uint256 expected, string memory what) internal pure {
        if (actual != expected) revert AssertionFailedUint(what, actual, expected);
    }

    /// @notice Fail unless `actual == expected`.
    function assertEq(address actual, address expected, string memory what) internal pure {
        if (actual != expected) revert AssertionFailedAddress(what, actual, expected);
    }

    /// @notice Fail unless `actual == expected`.
    function assertEq(bytes32 actual, bytes32 expected, string memory what) internal pure {
        if (actual != expected) revert AssertionFailedBytes32(what, actual, expected);
    }

    /// @notice Fail unless `actual == expected`.
    function assertEq(bool actual, bool expected, string memory what) internal pure {
        if (actual != expected) revert AssertionFailedBool(what, actual, expected);
    }

    /// @notice Fail unless `actual <= limit` (the error reports `limit` as the expected value).
    function assertLe(uint256 actual, uint256 limit, string memory what) internal pure {
        if (actual > limit) revert AssertionFailedUint(what, actual, limit);
    }

    /// @notice Fail unless `actual >= limit` (the error reports `limit` as the expected value).
    function assertGe(uint256 actual, uint256 limit, string memory what) internal pure {
        if (actual < limit) revert AssertionFailedUint(what, actual, limit);
    }

    // ----------------------------------------------------------------------------------------------------------
    // Fuzz input shaping
    // ----------------------------------------------------------------------------------------------------------

    /// @notice Map `x` into `[min, max]` the way forge-std's `bound` does: a value already in range is kept (so
    ///         the fuzzer's dictionary values survive), 0...3 map to min...min+3 and the top four uint256 values to
    ///         max-3...max (so the edges get hit), anything else wraps around the range by modulo.
    /// @param x The raw fuzz input.
    /// @param min Lowest value returned.
    /// @param max Highest value returned.
    /// @return result A value in `[min, max]`.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256 result) {
        if (min > max) revert BoundMinAboveMax(min, max);
        if (x >= min && x <= max) return x;
        uint256 size = max - min + 1; // cannot overflow: min > 0 or max < type(uint256).max, else x is in range
        if (x <= 3 && size > x) return min + x;
        if (x >= type(uint256).max - 3 && size > type(uint256).max - x) return max - (type(uint256).max - x);
        if (x > max) {
            uint256 rem = (x - max) % size;
            return rem == 0 ? max : min + rem - 1;
        }
        uint256 remBelow = (min - x) % size;
        return remBelow == 0 ? min : max - remBelow + 1;
    }

    /// @notice A valid secp256k1 private key derived from any fuzz input: `bound(seed, 1, SECP256K1_N - 1)`.
    function boundPrivateKey(uint256 seed) internal pure returns (uint256) {
        return bound(seed, 1, SECP256K1_N - 1);
    }

    // ----------------------------------------------------------------------------------------------------------
    // Invariant targeting (the ABI of forge-std's StdInvariant that the runner calls)
    // ----------------------------------------------------------------------------------------------------------

    /// @notice Make `target` a contract the invariant fuzzer calls (instead of every contract created in setUp).
    function targetContract(address target) internal {
        _targetedContracts.push(target);
    }

    /// @notice Restrict the invariant fuzzer to `selection.selectors` of `selection.addr`.
    function targetSelector(FuzzSelector memory selection) internal {
        _targetedSelectors.push(selection);
    }

    /// @notice Read by the invariant runner: the contracts it may call.
    function targetContracts() public view returns (address[] memory) {
        return _targetedContracts;
    }

    /// @notice Read by the invariant runner: the functions it may call, per target contract.
    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetedSelectors;
    }
}
