// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title GS1
/// @author HealthTrace
/// @notice GS1 identifier checks shared by the registries.
library GS1 {
    /// @notice Largest 14-digit number (GTIN-14).
    uint64 internal constant MAX_GTIN = 99_999_999_999_999;
    /// @notice Largest 13-digit number (GLN).
    uint64 internal constant MAX_GLN = 9_999_999_999_999;
    /// @notice Longest batch/lot number (AI 10) or serial (AI 21), in bytes.
    uint256 internal constant MAX_ALPHANUMERIC_BYTES = 20;

    /// @notice Whether `gtin` is a GTIN-14 (shorter GTINs left-padded with zeros) with a valid mod-10 check digit.
    /// @param gtin The GTIN as a number.
    function isValidGtin(uint64 gtin) internal pure returns (bool) {
        return gtin != 0 && gtin < MAX_GTIN + 1 && _hasValidCheckDigit(gtin, 13);
    }

    /// @notice Whether `gln` is a 13-digit GLN (left-padded with zeros) with a valid mod-10 check digit.
    /// @param gln The GLN as a number.
    function isValidGln(uint64 gln) internal pure returns (bool) {
        return gln != 0 && gln < MAX_GLN + 1 && _hasValidCheckDigit(gln, 12);
    }

    /// @dev GS1 mod-10: weights 3 and 1 alternate from the digit next to the check digit leftwards.
    function _hasValidCheckDigit(uint64 number, uint256 bodyDigits) private pure returns (bool) {
        uint64 body = number / 10;
        uint256 sum;
        uint256 weight = 3;
        for (uint256 i = 0; i < bodyDigits; ++i) {
            sum += (body % 10) * weight;
            body /= 10;
            weight = 4 - weight;
        }
        return (10 - (sum % 10)) % 10 == number % 10;
    }
}
