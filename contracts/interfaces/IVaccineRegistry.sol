// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";

/// @title IVaccineRegistry
/// @author HealthTrace
/// @notice Vaccine lots and the doses given from them. A lot is registered by its manufacturer, becomes usable
///         once a quorum of accredited attesters (never its manufacturer) has attested it, and stops being usable
///         when it is recalled, reported non-conformant (quarantine or cold-chain excursion) or expires. Clinics
///         record doses given from usable lots; the citizen confirms a dose (directly or by a relayed EIP-712
///         signature) and a regulator verifies it. A citizen proves vaccination to a verifier by signing a
///         short-lived challenge that the verifier checks with one call.
/// @dev Lot ids are sequential (from 1); a dose id is `keccak256(abi.encode(clinic, lotId, sequence))`, where
///      `sequence` is the dose's position in its lot, so the id binds the clinic that recorded it. Lot details
///      that nothing on chain reads again (GTIN, lot number, manufacture date, storage range) live only in
///      `LotRegistered`. A lot's dose count caps the records ever made from it, voided ones included.
///
///      Lot states (GS1 CBV disposition in brackets), most serious first:
///        3 RECALLED [recalled], 5 NON_CONFORMANT [non_conformant], 4 EXPIRED [expired],
///        1 PENDING_RELEASE [inactive], 2 ACTIVE [active]; 0 = unknown lot.
///      Reason codes (recall and non-conformance): 0 quality defect, 1 adverse events, 2 counterfeit suspected,
///        3 cold-chain failure, 4 labelling or packaging error, 5 other.
///      Void reason codes: 0 wrong citizen, 1 wrong lot, 2 duplicate entry, 3 dose not administered, 4 other.
///
///      Typed data (domain name "HealthTrace Vaccines", version "1", chainId, verifyingContract):
///        ConfirmDose(bytes32 doseId,uint256 deadline)
///        VaccinationProof(address citizen,bytes32 doseId,bytes32 challenge,uint256 validUntil)
interface IVaccineRegistry is IERC5267 {
    /// @notice Parameters of a lot registration.
    /// @param dossierHash Hash of the lot-release dossier the attesters review.
    /// @param lotNumber GS1 batch/lot number (AI 10): 1–20 characters.
    /// @param gtin GS1 GTIN-14 of the product (14 digits with a valid check digit).
    /// @param doseCount Doses in the lot (1 – 16,777,215).
    /// @param manufacturedAt Manufacture date (Unix seconds, not in the future).
    /// @param expiresAt Expiry (Unix seconds, exclusive; after `manufacturedAt` and in the future).
    /// @param minTempCentiC Lowest storage temperature, centi-°C (e.g. 200 = 2 °C).
    /// @param maxTempCentiC Highest storage temperature, centi-°C (e.g. 800 = 8 °C); above `minTempCentiC`.
    struct LotParams {
        bytes32 dossierHash;
        string lotNumber;
        uint64 gtin;
        uint40 manufacturedAt;
        uint32 doseCount;
        uint32 expiresAt;
        int16 minTempCentiC;
        int16 maxTempCentiC;
    }

    /// @notice What one call tells about a lot (the rest of its registration is in `LotRegistered`).
    /// @param manufacturer The registering manufacturer.
    /// @param doseCount Doses in the lot.
    /// @param dosesRecorded Dose records made from it (voided ones included).
    /// @param attestations Distinct release attestations so far.
    /// @param quorum Attestations it needs (the quorum in force when it was registered).
    /// @param expiresAt Expiry (Unix seconds, exclusive).
    /// @param state Current state code.
    struct LotView {
        address manufacturer;
        uint32 doseCount;
        uint32 dosesRecorded;
        uint8 attestations;
        uint8 quorum;
        uint32 expiresAt;
        uint8 state;
    }

    /// @notice What one call tells about a dose, including the state of its lot (for recall warnings).
    /// @param citizen The citizen the dose was given to.
    /// @param lotId The lot it came from.
    /// @param sequence Its position among the lot's dose records (from 1).
    /// @param doseNumber Which dose of the schedule.
    /// @param confirmed Confirmed by the citizen.
    /// @param verified Verified by a regulator.
    /// @param voided Voided by the recording clinic.
    /// @param lotState Current state of the lot (3 recalled or 5 non-conformant: warn the citizen).
    struct DoseView {
        address citizen;
        uint32 lotId;
        uint32 sequence;
        uint8 doseNumber;
        bool confirmed;
        bool verified;
        bool voided;
        uint8 lotState;
    }

    /// @notice A manufacturer registered a lot (pending release).
    /// @param lotId The new lot's id.
    /// @param manufacturer The registering manufacturer.
    /// @param gtin GS1 GTIN-14 of the product.
    /// @param lotNumber GS1 batch/lot number.
    /// @param doseCount Doses in the lot.
    /// @param manufacturedAt Manufacture date (Unix seconds).
    /// @param expiresAt Expiry (Unix seconds, exclusive).
    /// @param minTempCentiC Lowest storage temperature, centi-°C.
    /// @param maxTempCentiC Highest storage temperature, centi-°C.
    /// @param dossierHash Hash of the lot-release dossier.
    event LotRegistered(
        uint32 indexed lotId,
        address indexed manufacturer,
        uint64 indexed gtin,
        string lotNumber,
        uint32 doseCount,
        uint40 manufacturedAt,
        uint32 expiresAt,
        int16 minTempCentiC,
        int16 maxTempCentiC,
        bytes32 dossierHash
    );
    // Counts are not lookup keys, and an extra topic would cost the attestation's gas budget.
    /* solhint-disable gas-indexed-events */
    /// @notice An attester attested a lot for release.
    /// @param lotId The lot.
    /// @param attester The attesting organisation.
    /// @param attestations Distinct attestations so far.
    event LotAttested(uint32 indexed lotId, address indexed attester, uint8 attestations);
    /// @notice A lot reached its release quorum and became usable.
    /// @param lotId The lot.
    /// @param attestations Distinct attestations it was released with.
    event LotReleased(uint32 indexed lotId, uint8 attestations);
    /* solhint-enable gas-indexed-events */
    /// @notice A regulator recalled a lot.
    /// @param lotId The lot.
    /// @param regulator The recalling regulator.
    /// @param reason Reason code.
    event LotRecalled(uint32 indexed lotId, address indexed regulator, uint8 indexed reason);
    /// @notice A lot was reported non-conformant: quarantined by a regulator or flagged by the cold-chain reporter.
    /// @param lotId The lot.
    /// @param reporter The regulator, or the cold-chain reporter contract.
    /// @param reason Reason code (3 = cold-chain failure for excursions).
    /// @param evidence What the report refers to (e.g. the shipment with the excursion), or zero.
    event LotNonConformant(uint32 indexed lotId, address indexed reporter, uint8 indexed reason, bytes32 evidence);
    /// @notice The release quorum changed.
    /// @param previousQuorum The quorum before (0 at deployment).
    /// @param newQuorum The quorum from now on.
    /// @param regulator Who changed it (the deployer at deployment).
    event ReleaseQuorumChanged(uint8 indexed previousQuorum, uint8 indexed newQuorum, address indexed regulator);
    /// @notice The contract allowed to report cold-chain excursions changed.
    /// @param previousReporter The reporter before.
    /// @param newReporter The reporter from now on (zero: none).
    /// @param regulator Who changed it.
    event ColdChainReporterChanged(address indexed previousReporter, address indexed newReporter, address indexed regulator);
    /// @notice A clinic recorded a dose.
    /// @param doseId The dose's id.
    /// @param citizen The citizen it was given to.
    /// @param clinic The recording clinic.
    /// @param lotId The lot it came from.
    /// @param doseNumber Which dose of the schedule.
    /// @param district Where it was given (six-digit administrative division code).
    event DoseRecorded(
        bytes32 indexed doseId, address indexed citizen, address indexed clinic, uint32 lotId, uint8 doseNumber, uint32 district
    );
    /// @notice The citizen confirmed a dose.
    /// @param doseId The dose.
    /// @param citizen The citizen.
    /// @param sender The citizen, or whoever relayed the citizen's signature.
    event DoseConfirmed(bytes32 indexed doseId, address indexed citizen, address indexed sender);
    /// @notice A regulator verified a dose.
    /// @param doseId The dose.
    /// @param regulator The verifying regulator.
    event DoseVerified(bytes32 indexed doseId, address indexed regulator);
    /// @notice The recording clinic voided its unconfirmed, unverified dose record.
    /// @param doseId The dose.
    /// @param clinic The recording clinic.
    /// @param reason Void reason code.
    event DoseVoided(bytes32 indexed doseId, address indexed clinic, uint8 indexed reason);

    /// @notice The caller does not hold `role`.
    error VaccineRegistryUnauthorized(address account, bytes32 role);
    /// @notice The caller is not the configured cold-chain reporter.
    error VaccineRegistryNotColdChainReporter(address account);
    /// @notice The GTIN is zero, longer than 14 digits or has a wrong check digit.
    error VaccineRegistryInvalidGtin(uint64 gtin);
    /// @notice The lot number is empty or longer than 20 bytes.
    error VaccineRegistryInvalidLotNumber(uint256 length);
    /// @notice The dose count is zero or above 16,777,215.
    error VaccineRegistryInvalidDoseCount(uint32 doseCount);
    /// @notice The dates are inconsistent: manufacture in the future, expiry not after manufacture or not in the future.
    error VaccineRegistryInvalidDates(uint40 manufacturedAt, uint32 expiresAt, uint256 currentTime);
    /// @notice The storage range is empty (min ≥ max).
    error VaccineRegistryInvalidTemperatureRange(int16 minTempCentiC, int16 maxTempCentiC);
    /// @notice The dossier hash is zero.
    error VaccineRegistryZeroDossier();
    /// @notice A lot with this GTIN and lot number is already registered.
    error VaccineRegistryLotExists(uint64 gtin, string lotNumber, uint32 lotId);
    /// @notice No lot has this id.
    error VaccineRegistryUnknownLot(uint32 lotId);
    /// @notice The lot is not awaiting release (its state is given).
    error VaccineRegistryLotNotPending(uint32 lotId, uint8 state);
    /// @notice A manufacturer tried to attest its own lot.
    error VaccineRegistryManufacturerCannotAttest(uint32 lotId, address manufacturer);
    /// @notice The attester already attested this lot.
    error VaccineRegistryAlreadyAttested(uint32 lotId, address attester);
    /// @notice The lot is already recalled.
    error VaccineRegistryLotAlreadyRecalled(uint32 lotId);
    /// @notice The lot is already non-conformant or recalled (its state is given).
    error VaccineRegistryLotAlreadyNonConformant(uint32 lotId, uint8 state);
    /// @notice The reason code is not in the documented set.
    error VaccineRegistryInvalidReason(uint8 reason);
    /// @notice The quorum must be between 1 and `MAX_QUORUM`.
    error VaccineRegistryInvalidQuorum(uint8 quorum);
    /// @notice The lot is not usable (its state is given).
    error VaccineRegistryLotNotUsable(uint32 lotId, uint8 state);
    /// @notice Every dose of the lot has been recorded.
    error VaccineRegistryLotExhausted(uint32 lotId, uint32 doseCount);
    /// @notice The citizen is the zero address.
    error VaccineRegistryZeroCitizen();
    /// @notice The dose number must be between 1 and `MAX_DOSE_NUMBER`.
    error VaccineRegistryInvalidDoseNumber(uint8 doseNumber);
    /// @notice The district is not a six-digit administrative division code.
    error VaccineRegistryInvalidDistrict(uint32 district);
    /// @notice No dose has this id.
    error VaccineRegistryUnknownDose(bytes32 doseId);
    /// @notice Only the dose's citizen may confirm it.
    error VaccineRegistryNotDoseCitizen(bytes32 doseId, address account);
    /// @notice Only the clinic that recorded the dose may void it.
    error VaccineRegistryNotDoseClinic(bytes32 doseId, address account);
    /// @notice The dose is already confirmed.
    error VaccineRegistryDoseAlreadyConfirmed(bytes32 doseId);
    /// @notice The dose is already verified.
    error VaccineRegistryDoseAlreadyVerified(bytes32 doseId);
    /// @notice The dose record is voided.
    error VaccineRegistryDoseVoided(bytes32 doseId);
    /// @notice The signature's deadline has passed.
    error VaccineRegistrySignatureExpired(uint256 deadline, uint256 currentTime);
    /// @notice The signature was not made by the dose's citizen over this exact message, chain and contract.
    error VaccineRegistryInvalidSignature(bytes32 doseId);

    /// @notice Register a lot (pending release).
    /// @dev Only an organisation holding the manufacturer role; it becomes the lot's manufacturer.
    /// @param params The lot's identity, size, dates, storage range and dossier hash.
    /// @return lotId The new lot's id.
    function registerLot(LotParams calldata params) external returns (uint32 lotId);

    /// @notice Attest a pending lot for release; the lot is released when the attestations reach the quorum.
    /// @dev Only the lot-attester role; never the lot's manufacturer; each attester once per lot.
    /// @param lotId The lot.
    function attestLot(uint32 lotId) external;

    /// @notice Recall a lot: no dose may be recorded from it and every dose from it reports the recall.
    /// @dev Only a regulator. One event per lot, whatever the number of doses.
    /// @param lotId The lot.
    /// @param reason Reason code.
    function recallLot(uint32 lotId, uint8 reason) external;

    /// @notice Quarantine a lot (non-conformant) pending investigation.
    /// @dev Only a regulator.
    /// @param lotId The lot.
    /// @param reason Reason code.
    /// @param evidence What the decision refers to (e.g. an inspection report hash), or zero.
    function quarantineLot(uint32 lotId, uint8 reason, bytes32 evidence) external;

    /// @notice Mark a lot non-conformant after a cold-chain excursion of a shipment carrying it.
    /// @dev Only the configured cold-chain reporter (the supply provenance registry).
    /// @param lotId The lot.
    /// @param shipmentRef The shipment whose reading was out of range.
    function reportColdChainExcursion(uint32 lotId, bytes32 shipmentRef) external;

    /// @notice Set the number of distinct attestations a lot needs for release.
    /// @dev Only a regulator. Applies to lots registered from then on; a lot keeps the quorum it was registered with.
    /// @param quorum 1 – `MAX_QUORUM`.
    function setReleaseQuorum(uint8 quorum) external;

    /// @notice Set the contract allowed to report cold-chain excursions (zero to disable).
    /// @dev Only a regulator.
    /// @param reporter The supply provenance registry.
    function setColdChainReporter(address reporter) external;

    /// @notice Record a dose given from a usable lot to a citizen.
    /// @dev Only the clinic role.
    /// @param lotId The lot.
    /// @param citizen The citizen's wallet address.
    /// @param doseNumber Which dose of the schedule (1 – `MAX_DOSE_NUMBER`).
    /// @param district Six-digit administrative division code where the dose was given.
    /// @return doseId The dose's id.
    function recordDose(uint32 lotId, address citizen, uint8 doseNumber, uint32 district)
        external
        returns (bytes32 doseId);

    /// @notice Confirm, as the citizen, a dose recorded for the caller.
    /// @param doseId The dose.
    function confirmDose(bytes32 doseId) external;

    /// @notice Relay the citizen's EIP-712 `ConfirmDose` signature (typically by the clinic, at the desk).
    /// @param doseId The dose.
    /// @param deadline Last block timestamp at which the signature may be relayed.
    /// @param signature The citizen's signature (65-byte low-s ECDSA, or ERC-1271).
    function confirmDoseBySig(bytes32 doseId, uint256 deadline, bytes calldata signature) external;

    /// @notice Verify a dose record as a regulator.
    /// @param doseId The dose.
    function verifyDose(bytes32 doseId) external;

    /// @notice Void an unconfirmed, unverified dose record of the caller's clinic (append-only: the record stays,
    ///         marked voided).
    /// @dev Only the clinic role, and only the clinic that recorded the dose.
    /// @param doseId The dose.
    /// @param reason Void reason code.
    function voidDose(bytes32 doseId, uint8 reason) external;

    /// @notice Run several calls of this registry in one transaction, in order, as the caller.
    /// @dev Batching: a clinic records a vaccination session's doses (and relays their `confirmDoseBySig`
    ///      signatures) in one transaction; a regulator verifies a batch of doses.
    ///      Each call is a `delegatecall` of this contract to itself (OpenZeppelin `Multicall`), so `msg.sender`
    ///      and every role check are the caller's, exactly as if the calls were sent one by one. The batch is all
    ///      or nothing: if one call reverts, the whole batch reverts with that call's custom error and nothing of
    ///      the batch is kept.
    /// @param data The ABI-encoded calls (selector and arguments) of this registry's functions.
    /// @return results The return data of each call, in order.
    function multicall(bytes[] calldata data) external returns (bytes[] memory results);

    /// @notice Check a citizen's proof of vaccination: an EIP-712 `VaccinationProof` signed by `citizen` over a
    ///         verifier's challenge, valid now and for at most `MAX_PROOF_LIFETIME`, about a confirmed, unvoided
    ///         dose of the citizen from a lot that is not recalled or non-conformant (a dose is only ever recorded
    ///         from a usable lot; the lot's later expiry does not undo it).
    /// @param citizen The address whose vaccination is claimed.
    /// @param doseId The dose presented.
    /// @param challenge The verifier's challenge (e.g. a random value it displayed).
    /// @param validUntil Last second at which the proof is valid.
    /// @param signature The citizen's EIP-712 signature.
    /// @return result 0 valid; 1 expired or not yet valid; 2 lives longer than allowed; 3 bad signature;
    ///         4 no confirmed dose of this citizen; 5 the dose's lot was recalled or is non-conformant.
    function checkVaccinationProof(
        address citizen,
        bytes32 doseId,
        bytes32 challenge,
        uint256 validUntil,
        bytes calldata signature
    ) external view returns (uint8 result);

    /// @notice A lot's stored facts and current state.
    /// @param lotId The lot.
    function lotOf(uint32 lotId) external view returns (LotView memory);

    /// @notice A lot's current state code (0 if unknown).
    /// @param lotId The lot.
    function lotState(uint32 lotId) external view returns (uint8);

    /// @notice The id of the lot with this GTIN and lot number (0 if none).
    /// @param gtin GS1 GTIN-14.
    /// @param lotNumber GS1 batch/lot number.
    function lotIdOf(uint64 gtin, string calldata lotNumber) external view returns (uint32);

    /// @notice Whether `attester` attested `lotId`.
    /// @param lotId The lot.
    /// @param attester The attester.
    function hasAttested(uint32 lotId, address attester) external view returns (bool);

    /// @notice A dose and the current state of its lot (`lotState` 3 or 5 means: warn the citizen).
    /// @param doseId The dose.
    function doseOf(bytes32 doseId) external view returns (DoseView memory);

    /// @notice The number of lots registered.
    function lotCount() external view returns (uint32);

    /// @notice Distinct attestations a pending lot needs for release.
    function releaseQuorum() external view returns (uint8);

    /// @notice The contract allowed to report cold-chain excursions.
    function coldChainReporter() external view returns (address);

    /// @notice The authority whose roles this registry checks.
    function authority() external view returns (address);

    /// @notice The EIP-712 domain separator of this contract on this chain.
    function DOMAIN_SEPARATOR() external view returns (bytes32);
}
