// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {IHealthTraceAuthority} from "./interfaces/IHealthTraceAuthority.sol";
import {IVaccineRegistry} from "./interfaces/IVaccineRegistry.sol";
import {GS1} from "./libraries/GS1.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title VaccineRegistry
/// @author HealthTrace
/// @notice Vaccine lots (registration, quorum release, recall, quarantine, cold-chain non-conformance, expiry) and
///         the doses given from them (recorded by clinics, confirmed by citizens, verified by regulators).
/// @dev Storage per lot is one slot and per dose one slot; everything else is in events. The lot slot packs the
///      release progress as a byte: quorum needed in the high nibble, attestations made in the low nibble.
contract VaccineRegistry is IVaccineRegistry, EIP712, Multicall {
    /// @notice Largest release quorum (attestations fit a 4-bit counter).
    uint8 public constant MAX_QUORUM = 15;
    /// @notice Largest dose number of a schedule.
    uint8 public constant MAX_DOSE_NUMBER = 10;
    /// @notice Longest a proof of vaccination may be valid for (seconds).
    uint256 public constant MAX_PROOF_LIFETIME = 5 minutes;
    /// @notice Highest reason code for recalls and non-conformance.
    uint8 public constant MAX_REASON = 5;
    /// @notice Highest void reason code.
    uint8 public constant MAX_VOID_REASON = 4;

    // EIP-712 type strings are longer than 32 bytes by nature; keccak256 of a literal is folded at compile time.
    /* solhint-disable gas-small-strings */
    /// @notice EIP-712 type hash of `ConfirmDose`.
    bytes32 public constant CONFIRM_DOSE_TYPEHASH = keccak256("ConfirmDose(bytes32 doseId,uint256 deadline)");
    /// @notice EIP-712 type hash of `VaccinationProof`.
    bytes32 public constant VACCINATION_PROOF_TYPEHASH =
        keccak256("VaccinationProof(address citizen,bytes32 doseId,bytes32 challenge,uint256 validUntil)");
    /* solhint-enable gas-small-strings */

    uint8 private constant _STATE_UNKNOWN = 0;
    uint8 private constant _STATE_PENDING = 1;
    uint8 private constant _STATE_ACTIVE = 2;
    uint8 private constant _STATE_RECALLED = 3;
    uint8 private constant _STATE_EXPIRED = 4;
    uint8 private constant _STATE_NON_CONFORMANT = 5;

    uint8 private constant _CONFIRMED = 1;
    uint8 private constant _VERIFIED = 2;
    uint8 private constant _VOIDED = 4;

    uint8 private constant _PROOF_VALID = 0;
    uint8 private constant _PROOF_NOT_CURRENT = 1;
    uint8 private constant _PROOF_TOO_LONG = 2;
    uint8 private constant _PROOF_BAD_SIGNATURE = 3;
    uint8 private constant _PROOF_NO_CONFIRMED_DOSE = 4;
    uint8 private constant _PROOF_LOT_NOT_USABLE = 5;

    uint32 private constant _MAX_DOSE_COUNT = type(uint24).max;

    /// @dev One slot. `status` is the stored part of the state (pending, active, recalled, non-conformant);
    ///      expiry is derived from `expiresAt`. `release` = quorum << 4 | attestations.
    struct Lot {
        address manufacturer;
        uint24 doseCount;
        uint24 dosesRecorded;
        uint8 status;
        uint8 release;
        uint32 expiresAt;
    }

    /// @dev One slot. The dose id binds the recording clinic: keccak256(abi.encode(clinic, lotId, sequence)).
    struct Dose {
        address citizen;
        uint32 lotId;
        uint24 sequence;
        uint8 doseNumber;
        uint8 flags;
    }

    IHealthTraceAuthority private immutable _authority;

    /// @dev One slot: written on registration and configuration only.
    uint32 private _lotCount;
    uint8 private _releaseQuorum;
    address private _coldChainReporter;

    mapping(uint32 lotId => Lot lot) private _lots;
    mapping(bytes32 gs1Key => uint32 lotId) private _lotIds;
    mapping(uint32 lotId => mapping(address attester => bool attested)) private _attested;
    mapping(bytes32 doseId => Dose dose) private _doses;

    /// @notice Deploy the registry against an authority.
    /// @param authority_ The HealthTrace authority.
    /// @param releaseQuorum_ Distinct attestations a lot needs for release (1 – `MAX_QUORUM`).
    constructor(IHealthTraceAuthority authority_, uint8 releaseQuorum_) EIP712("HealthTrace Vaccines", "1") {
        if (releaseQuorum_ == 0 || releaseQuorum_ > MAX_QUORUM) revert VaccineRegistryInvalidQuorum(releaseQuorum_);
        _authority = authority_;
        _releaseQuorum = releaseQuorum_;
        emit ReleaseQuorumChanged(0, releaseQuorum_, msg.sender);
    }

    /// @inheritdoc IVaccineRegistry
    function registerLot(LotParams calldata params) external returns (uint32 lotId) {
        _checkRole(Roles.MANUFACTURER);
        if (!GS1.isValidGtin(params.gtin)) revert VaccineRegistryInvalidGtin(params.gtin);
        uint256 lotNumberLength = bytes(params.lotNumber).length;
        if (lotNumberLength == 0 || lotNumberLength > GS1.MAX_ALPHANUMERIC_BYTES) {
            revert VaccineRegistryInvalidLotNumber(lotNumberLength);
        }
        if (params.doseCount == 0 || params.doseCount > _MAX_DOSE_COUNT) {
            revert VaccineRegistryInvalidDoseCount(params.doseCount);
        }
        // Manufactured by now and expiring after now (so after manufacture; an expiry equal to now has passed).
        bool datesValid = params.manufacturedAt < block.timestamp + 1 && block.timestamp < params.expiresAt;
        if (!datesValid) {
            revert VaccineRegistryInvalidDates(params.manufacturedAt, params.expiresAt, block.timestamp);
        }
        if (!(params.minTempCentiC < params.maxTempCentiC)) {
            revert VaccineRegistryInvalidTemperatureRange(params.minTempCentiC, params.maxTempCentiC);
        }
        if (params.dossierHash == bytes32(0)) revert VaccineRegistryZeroDossier();
        bytes32 key = keccak256(abi.encode(params.gtin, params.lotNumber));
        uint32 existing = _lotIds[key];
        if (existing != 0) revert VaccineRegistryLotExists(params.gtin, params.lotNumber, existing);

        lotId = ++_lotCount;
        _lotIds[key] = lotId;
        _lots[lotId] = Lot({
            manufacturer: msg.sender,
            doseCount: uint24(params.doseCount),
            dosesRecorded: 0,
            status: _STATE_PENDING,
            release: _releaseQuorum << 4,
            expiresAt: params.expiresAt
        });
        _emitLotRegistered(lotId, params);
    }

    /// @inheritdoc IVaccineRegistry
    function attestLot(uint32 lotId) external {
        _checkRole(Roles.LOT_ATTESTER);
        Lot storage lot = _lots[lotId];
        uint8 state = _stateOf(lot.status, lot.expiresAt);
        if (state == _STATE_UNKNOWN) revert VaccineRegistryUnknownLot(lotId);
        if (state != _STATE_PENDING) revert VaccineRegistryLotNotPending(lotId, state);
        if (msg.sender == lot.manufacturer) revert VaccineRegistryManufacturerCannotAttest(lotId, msg.sender);
        if (_attested[lotId][msg.sender]) revert VaccineRegistryAlreadyAttested(lotId, msg.sender);

        _attested[lotId][msg.sender] = true;
        uint8 release = lot.release + 1;
        uint8 attestations = release & 0x0f;
        bool released = attestations == release >> 4;
        lot.release = release;
        if (released) lot.status = _STATE_ACTIVE;
        emit LotAttested(lotId, msg.sender, attestations);
        if (released) emit LotReleased(lotId, attestations);
    }

    /// @inheritdoc IVaccineRegistry
    function recallLot(uint32 lotId, uint8 reason) external {
        _checkRole(Roles.REGULATOR);
        if (reason > MAX_REASON) revert VaccineRegistryInvalidReason(reason);
        Lot storage lot = _lots[lotId];
        uint8 status = lot.status;
        if (status == _STATE_UNKNOWN) revert VaccineRegistryUnknownLot(lotId);
        if (status == _STATE_RECALLED) revert VaccineRegistryLotAlreadyRecalled(lotId);
        lot.status = _STATE_RECALLED;
        emit LotRecalled(lotId, msg.sender, reason);
    }

    /// @inheritdoc IVaccineRegistry
    function quarantineLot(uint32 lotId, uint8 reason, bytes32 evidence) external {
        _checkRole(Roles.REGULATOR);
        if (reason > MAX_REASON) revert VaccineRegistryInvalidReason(reason);
        Lot storage lot = _lots[lotId];
        uint8 status = lot.status;
        if (status == _STATE_UNKNOWN) revert VaccineRegistryUnknownLot(lotId);
        if (status == _STATE_RECALLED || status == _STATE_NON_CONFORMANT) {
            revert VaccineRegistryLotAlreadyNonConformant(lotId, status);
        }
        lot.status = _STATE_NON_CONFORMANT;
        emit LotNonConformant(lotId, msg.sender, reason, evidence);
    }

    /// @inheritdoc IVaccineRegistry
    /// @dev Never reverts for a known lot, so a custody step with an excursion is always recorded: a lot that is
    ///      already recalled or non-conformant keeps its state and the excursion is still logged.
    function reportColdChainExcursion(uint32 lotId, bytes32 shipmentRef) external {
        if (msg.sender != _coldChainReporter || msg.sender == address(0)) {
            revert VaccineRegistryNotColdChainReporter(msg.sender);
        }
        Lot storage lot = _lots[lotId];
        uint8 status = lot.status;
        if (status == _STATE_UNKNOWN) revert VaccineRegistryUnknownLot(lotId);
        if (status == _STATE_PENDING || status == _STATE_ACTIVE) lot.status = _STATE_NON_CONFORMANT;
        emit LotNonConformant(lotId, msg.sender, 3, shipmentRef);
    }

    /// @inheritdoc IVaccineRegistry
    function setReleaseQuorum(uint8 quorum) external {
        _checkRole(Roles.REGULATOR);
        if (quorum == 0 || quorum > MAX_QUORUM) revert VaccineRegistryInvalidQuorum(quorum);
        uint8 previous = _releaseQuorum;
        _releaseQuorum = quorum;
        emit ReleaseQuorumChanged(previous, quorum, msg.sender);
    }

    /// @inheritdoc IVaccineRegistry
    function setColdChainReporter(address reporter) external {
        _checkRole(Roles.REGULATOR);
        address previous = _coldChainReporter;
        _coldChainReporter = reporter;
        emit ColdChainReporterChanged(previous, reporter, msg.sender);
    }

    /// @inheritdoc IVaccineRegistry
    function recordDose(uint32 lotId, address citizen, uint8 doseNumber, uint32 district)
        external
        returns (bytes32 doseId)
    {
        _checkRole(Roles.CLINIC);
        if (citizen == address(0)) revert VaccineRegistryZeroCitizen();
        if (doseNumber == 0 || doseNumber > MAX_DOSE_NUMBER) revert VaccineRegistryInvalidDoseNumber(doseNumber);
        if (district < 100_000 || district > 999_999) revert VaccineRegistryInvalidDistrict(district);
        Lot storage lot = _lots[lotId];
        uint8 state = _stateOf(lot.status, lot.expiresAt);
        if (state != _STATE_ACTIVE) {
            if (state == _STATE_UNKNOWN) revert VaccineRegistryUnknownLot(lotId);
            revert VaccineRegistryLotNotUsable(lotId, state);
        }
        uint24 sequence = lot.dosesRecorded + 1;
        if (sequence > lot.doseCount) revert VaccineRegistryLotExhausted(lotId, lot.doseCount);

        lot.dosesRecorded = sequence;
        doseId = keccak256(abi.encode(msg.sender, lotId, sequence));
        _doses[doseId] =
            Dose({citizen: citizen, lotId: lotId, sequence: sequence, doseNumber: doseNumber, flags: 0});
        emit DoseRecorded(doseId, citizen, msg.sender, lotId, doseNumber, district);
    }

    /// @inheritdoc IVaccineRegistry
    function confirmDose(bytes32 doseId) external {
        Dose storage dose = _doses[doseId];
        address citizen = dose.citizen;
        if (citizen == address(0)) revert VaccineRegistryUnknownDose(doseId);
        if (citizen != msg.sender) revert VaccineRegistryNotDoseCitizen(doseId, msg.sender);
        _confirm(dose, doseId);
    }

    /// @inheritdoc IVaccineRegistry
    function confirmDoseBySig(bytes32 doseId, uint256 deadline, bytes calldata signature) external {
        if (block.timestamp > deadline) revert VaccineRegistrySignatureExpired(deadline, block.timestamp);
        Dose storage dose = _doses[doseId];
        address citizen = dose.citizen;
        if (citizen == address(0)) revert VaccineRegistryUnknownDose(doseId);
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(CONFIRM_DOSE_TYPEHASH, doseId, deadline)));
        if (!SignatureChecker.isValidSignatureNowCalldata(citizen, digest, signature)) {
            revert VaccineRegistryInvalidSignature(doseId);
        }
        _confirm(dose, doseId);
    }

    /// @inheritdoc IVaccineRegistry
    function verifyDose(bytes32 doseId) external {
        _checkRole(Roles.REGULATOR);
        Dose storage dose = _doses[doseId];
        if (dose.citizen == address(0)) revert VaccineRegistryUnknownDose(doseId);
        uint8 flags = dose.flags;
        if (flags & _VOIDED != 0) revert VaccineRegistryDoseVoided(doseId);
        if (flags & _VERIFIED != 0) revert VaccineRegistryDoseAlreadyVerified(doseId);
        dose.flags = flags | _VERIFIED;
        emit DoseVerified(doseId, msg.sender);
    }

    /// @inheritdoc IVaccineRegistry
    function voidDose(bytes32 doseId, uint8 reason) external {
        _checkRole(Roles.CLINIC);
        if (reason > MAX_VOID_REASON) revert VaccineRegistryInvalidReason(reason);
        Dose storage dose = _doses[doseId];
        if (dose.citizen == address(0)) revert VaccineRegistryUnknownDose(doseId);
        if (keccak256(abi.encode(msg.sender, dose.lotId, dose.sequence)) != doseId) {
            revert VaccineRegistryNotDoseClinic(doseId, msg.sender);
        }
        uint8 flags = dose.flags;
        if (flags & _VOIDED != 0) revert VaccineRegistryDoseVoided(doseId);
        if (flags & _CONFIRMED != 0) revert VaccineRegistryDoseAlreadyConfirmed(doseId);
        if (flags & _VERIFIED != 0) revert VaccineRegistryDoseAlreadyVerified(doseId);
        dose.flags = flags | _VOIDED;
        emit DoseVoided(doseId, msg.sender, reason);
    }

    /// @inheritdoc IVaccineRegistry
    function multicall(bytes[] calldata data)
        public
        override(IVaccineRegistry, Multicall)
        returns (bytes[] memory results)
    {
        return super.multicall(data);
    }

    /// @inheritdoc IVaccineRegistry
    function checkVaccinationProof(
        address citizen,
        bytes32 doseId,
        bytes32 challenge,
        uint256 validUntil,
        bytes calldata signature
    ) external view returns (uint8 result) {
        if (block.timestamp > validUntil) return _PROOF_NOT_CURRENT;
        if (validUntil - block.timestamp > MAX_PROOF_LIFETIME) return _PROOF_TOO_LONG;
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(VACCINATION_PROOF_TYPEHASH, citizen, doseId, challenge, validUntil))
        );
        if (!SignatureChecker.isValidSignatureNowCalldata(citizen, digest, signature)) return _PROOF_BAD_SIGNATURE;
        Dose storage dose = _doses[doseId];
        if (dose.citizen != citizen || dose.flags & (_CONFIRMED | _VOIDED) != _CONFIRMED) {
            return _PROOF_NO_CONFIRMED_DOSE;
        }
        // A dose was given while its lot was usable; the lot's later expiry does not undo it, but a recall or a
        // non-conformance puts the dose itself in question.
        uint8 status = _lots[dose.lotId].status;
        if (status == _STATE_RECALLED || status == _STATE_NON_CONFORMANT) return _PROOF_LOT_NOT_USABLE;
        return _PROOF_VALID;
    }

    /// @inheritdoc IVaccineRegistry
    function lotOf(uint32 lotId) external view returns (LotView memory) {
        Lot storage lot = _lots[lotId];
        return LotView({
            manufacturer: lot.manufacturer,
            doseCount: lot.doseCount,
            dosesRecorded: lot.dosesRecorded,
            attestations: lot.release & 0x0f,
            quorum: lot.release >> 4,
            expiresAt: lot.expiresAt,
            state: _stateOf(lot.status, lot.expiresAt)
        });
    }

    /// @inheritdoc IVaccineRegistry
    function lotState(uint32 lotId) external view returns (uint8) {
        Lot storage lot = _lots[lotId];
        return _stateOf(lot.status, lot.expiresAt);
    }

    /// @inheritdoc IVaccineRegistry
    function lotIdOf(uint64 gtin, string calldata lotNumber) external view returns (uint32) {
        return _lotIds[keccak256(abi.encode(gtin, lotNumber))];
    }

    /// @inheritdoc IVaccineRegistry
    function hasAttested(uint32 lotId, address attester) external view returns (bool) {
        return _attested[lotId][attester];
    }

    /// @inheritdoc IVaccineRegistry
    function doseOf(bytes32 doseId) external view returns (DoseView memory) {
        Dose storage dose = _doses[doseId];
        Lot storage lot = _lots[dose.lotId];
        uint8 flags = dose.flags;
        return DoseView({
            citizen: dose.citizen,
            lotId: dose.lotId,
            sequence: dose.sequence,
            doseNumber: dose.doseNumber,
            confirmed: flags & _CONFIRMED != 0,
            verified: flags & _VERIFIED != 0,
            voided: flags & _VOIDED != 0,
            lotState: _stateOf(lot.status, lot.expiresAt)
        });
    }

    /// @inheritdoc IVaccineRegistry
    function lotCount() external view returns (uint32) {
        return _lotCount;
    }

    /// @inheritdoc IVaccineRegistry
    function releaseQuorum() external view returns (uint8) {
        return _releaseQuorum;
    }

    /// @inheritdoc IVaccineRegistry
    function coldChainReporter() external view returns (address) {
        return _coldChainReporter;
    }

    /// @inheritdoc IVaccineRegistry
    function authority() external view returns (address) {
        return address(_authority);
    }

    // The EIP-2612 name of this getter is upper case by convention.
    /* solhint-disable func-name-mixedcase */
    /// @inheritdoc IVaccineRegistry
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }
    /* solhint-enable func-name-mixedcase */

    function _confirm(Dose storage dose, bytes32 doseId) private {
        uint8 flags = dose.flags;
        if (flags & _VOIDED != 0) revert VaccineRegistryDoseVoided(doseId);
        if (flags & _CONFIRMED != 0) revert VaccineRegistryDoseAlreadyConfirmed(doseId);
        dose.flags = flags | _CONFIRMED;
        emit DoseConfirmed(doseId, dose.citizen, msg.sender);
    }

    /// @dev Split out of `registerLot` to keep its stack shallow.
    function _emitLotRegistered(uint32 lotId, LotParams calldata params) private {
        emit LotRegistered(
            lotId,
            msg.sender,
            params.gtin,
            params.lotNumber,
            params.doseCount,
            params.manufacturedAt,
            params.expiresAt,
            params.minTempCentiC,
            params.maxTempCentiC,
            params.dossierHash
        );
    }

    function _checkRole(bytes32 role) private view {
        if (!_authority.hasRole(role, msg.sender)) revert VaccineRegistryUnauthorized(msg.sender, role);
    }

    /// @dev Most serious first: recalled, non-conformant, expired, then pending or active.
    function _stateOf(uint8 status, uint32 expiresAt) private view returns (uint8) {
        if (status == _STATE_UNKNOWN || status == _STATE_RECALLED || status == _STATE_NON_CONFORMANT) return status;
        // An expiry equal to now has already passed (usable while now < expiresAt).
        // solhint-disable-next-line gas-strict-inequalities
        if (block.timestamp >= expiresAt) return _STATE_EXPIRED;
        return status;
    }
}
