// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title HealthData
/// @author HealthTrace
/// @notice The closed, documented code sets shared by the record and consent registries.
/// @dev Codes are `uint8` on the wire rather than Solidity enums so that an out-of-range value is refused
///      with a named custom error by the registry instead of an anonymous ABI-decoding revert.
///
///      Record categories (what a record is about):
///        0 VACCINATION        — immunisation record
///        1 LAB_RESULT         — laboratory result (e.g. PCR / antigen test)
///        2 DIAGNOSIS          — diagnosis by a physician
///        3 PRESCRIPTION       — prescription or dispensing record
///        4 IMAGING            — imaging study (X-ray, CT, MRI) report
///        5 HEALTH_CODE_STATUS — health-code status (green / yellow / red) history
///
///      Access purposes (why an organisation may read):
///        0 TREATMENT              — care of the citizen
///        1 RESEARCH               — approved research
///        2 PUBLIC_HEALTH_REPORTING — statutory reporting to the health commission / CDC
///        3 INSURANCE_CLAIM        — settling an insurance claim
///        4 EMERGENCY              — emergency care
library HealthData {
    uint8 internal constant VACCINATION = 0;
    uint8 internal constant LAB_RESULT = 1;
    uint8 internal constant DIAGNOSIS = 2;
    uint8 internal constant PRESCRIPTION = 3;
    uint8 internal constant IMAGING = 4;
    uint8 internal constant HEALTH_CODE_STATUS = 5;
    /// @notice Highest valid category code.
    uint8 internal constant MAX_CATEGORY = HEALTH_CODE_STATUS;

    uint8 internal constant TREATMENT = 0;
    uint8 internal constant RESEARCH = 1;
    uint8 internal constant PUBLIC_HEALTH_REPORTING = 2;
    uint8 internal constant INSURANCE_CLAIM = 3;
    uint8 internal constant EMERGENCY = 4;
    /// @notice Highest valid purpose code.
    uint8 internal constant MAX_PURPOSE = EMERGENCY;
}
