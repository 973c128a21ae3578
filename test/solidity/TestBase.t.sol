// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {TestBase} from "./utils/TestBase.sol";

/// @title TestBaseSelfTest
/// @notice The in-repo test base's own helpers behave as the tests rely on.
contract TestBaseSelfTest is TestBase {
    /// @notice `bound` always lands in [min, max] and keeps a value already in range unchanged.
    function testFuzz_bound_staysInRangeAndKeepsInRangeValues(uint256 x, uint256 min, uint256 max) public pure {
        if (min > max) (min, max) = (max, min);
        uint256 result = bound(x, min, max);
        assertTrue(result >= min && result <= max, "in range");
        if (x >= min && x <= max) assertEq(result, x, "in-range value kept");
    }

    /// @notice `bound` maps 0...3 to the bottom of the range and the top four values to its top.
    function test_bound_mapsEdgesToRangeEdges() public pure {
        assertEq(bound(0, 10, 20), 10, "0 -> min");
        assertEq(bound(3, 10, 20), 13, "3 -> min + 3");
        assertEq(bound(type(uint256).max, 10, 20), 20, "max -> max");
        assertEq(bound(type(uint256).max - 2, 10, 20), 18, "max - 2 -> max - 2");
        assertEq(bound(21, 10, 20), 10, "max + 1 wraps to min");
        assertEq(bound(9, 10, 20), 20, "min - 1 wraps to max");
    }

    /// @notice `boundPrivateKey` always gives a valid secp256k1 key.
    function testFuzz_boundPrivateKey_isValidKey(uint256 seed) public pure {
        uint256 key = boundPrivateKey(seed);
        assertTrue(key >= 1 && key < SECP256K1_N, "valid key");
    }

    /// @notice An empty range is refused with a named error.
    function test_bound_refusesEmptyRange() public {
        vm.expectRevert(abi.encodeWithSelector(BoundMinAboveMax.selector, 2, 1));
        this.boundExternal(5, 2, 1);
    }

    /// @notice External entry so `vm.expectRevert` can observe `bound`'s revert.
    function boundExternal(uint256 x, uint256 min, uint256 max) external pure returns (uint256) {
        return bound(x, min, max);
    }
}
