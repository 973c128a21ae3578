// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {IHealthTraceAuthority} from "./interfaces/IHealthTraceAuthority.sol";
import {IProvenanceRegistry} from "./interfaces/IProvenanceRegistry.sol";
import {IVaccineRegistry} from "./interfaces/IVaccineRegistry.sol";
import {GS1} from "./libraries/GS1.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title ProvenanceRegistry
/// @author HealthTrace
/// @notice Shipments of medical supplies with a GS1 identity, their custody steps, hand-overs, cold chain and
///         suspect scans.
/// @dev A custody step reads one storage slot (the shipment) and writes nothing unless it flags the shipment
///      non-conformant; everything else is an event. That keeps a single step within 35,000 gas and a step in a
///      batch of 100 within 7,000. A step's readPoint is the holder's own claim; locations are checked by scans.
contract ProvenanceRegistry is IProvenanceRegistry, Multicall {
    /// @notice Most steps one `recordSteps` call accepts.
    uint256 public constant MAX_BATCH_STEPS = 500;
    /// @notice Highest bizStep code.
    uint8 public constant MAX_BIZ_STEP = 16;
    /// @notice Highest disposition code.
    uint8 public constant MAX_DISPOSITION = 11;
    /// @notice Disposition code of non_conformant.
    uint8 public constant DISPOSITION_NON_CONFORMANT = 3;
    /// @notice Highest hand-over rejection reason code.
    uint8 public constant MAX_REJECT_REASON = 5;
    /// @notice Longest location name, in bytes.
    uint256 public constant MAX_NAME_BYTES = 64;

    uint8 private constant _COLD_CHAIN = 1;
    uint8 private constant _NON_CONFORMANT = 2;
    uint8 private constant _DELIVERED = 4;

    uint8 private constant _VERDICT_GENUINE = 0;
    uint8 private constant _VERDICT_UNKNOWN_IDENTITY = 1;
    uint8 private constant _VERDICT_ALREADY_DELIVERED = 2;
    uint8 private constant _VERDICT_WRONG_LOCATION = 3;

    /// @dev Bits of a step word below the temperature flag must be zero.
    uint256 private constant _RESERVED_MASK = (1 << 112) - 1;

    /// @dev One slot: everything a custody step reads.
    struct Shipment {
        address holder;
        uint8 flags;
        int16 minTempCentiC;
        int16 maxTempCentiC;
        uint32 vaccineLotId;
    }

    /// @dev One slot, written by a proposal and cleared by its answer.
    struct Handover {
        address receiver;
        bool isFinal;
    }

    IHealthTraceAuthority private immutable _authority;
    IVaccineRegistry private immutable _vaccines;

    mapping(bytes32 shipmentId => Shipment shipment) private _shipments;
    mapping(bytes32 shipmentId => Handover handover) private _handovers;
    mapping(uint64 gln => address owner) private _locations;

    /// @notice Deploy the registry against an authority and the vaccine registry it reports excursions to.
    /// @param authority_ The HealthTrace authority.
    /// @param vaccines The vaccine registry (its regulator must name this contract its cold-chain reporter).
    constructor(IHealthTraceAuthority authority_, IVaccineRegistry vaccines) {
        _authority = authority_;
        _vaccines = vaccines;
    }

    /// @inheritdoc IProvenanceRegistry
    function registerLocation(uint64 gln, string calldata name) external {
        _checkActive();
        if (!GS1.isValidGln(gln)) revert ProvenanceRegistryInvalidGln(gln);
        uint256 nameLength = bytes(name).length;
        if (nameLength == 0 || nameLength > MAX_NAME_BYTES) revert ProvenanceRegistryInvalidName(nameLength);
        address owner = _locations[gln];
        if (owner != address(0)) revert ProvenanceRegistryLocationExists(gln, owner);
        _locations[gln] = msg.sender;
        emit LocationRegistered(gln, msg.sender, name);
    }

    /// @inheritdoc IProvenanceRegistry
    function createShipment(ShipmentParams calldata params) external returns (bytes32 shipmentId) {
        if (!_authority.hasRole(Roles.MANUFACTURER, msg.sender)) {
            revert ProvenanceRegistryUnauthorized(msg.sender, Roles.MANUFACTURER);
        }
        if (!GS1.isValidGtin(params.gtin)) revert ProvenanceRegistryInvalidGtin(params.gtin);
        _checkIdentifier(bytes(params.lotNumber).length);
        _checkIdentifier(bytes(params.serial).length);
        if (params.quantity == 0) revert ProvenanceRegistryInvalidQuantity();
        if (params.coldChain && !(params.minTempCentiC < params.maxTempCentiC)) {
            revert ProvenanceRegistryInvalidTemperatureRange(params.minTempCentiC, params.maxTempCentiC);
        }
        if (_locations[params.origin] != msg.sender) revert ProvenanceRegistryNotLocationOwner(params.origin, msg.sender);
        if (params.vaccineLotId != 0) {
            address lotManufacturer = _vaccines.lotOf(params.vaccineLotId).manufacturer;
            if (lotManufacturer == address(0)) revert ProvenanceRegistryUnknownVaccineLot(params.vaccineLotId);
            if (lotManufacturer != msg.sender) revert ProvenanceRegistryNotLotManufacturer(params.vaccineLotId, msg.sender);
        }
        shipmentId = keccak256(abi.encode(params.gtin, params.lotNumber, params.serial));
        Shipment storage shipment = _shipments[shipmentId];
        if (shipment.holder != address(0)) revert ProvenanceRegistryShipmentExists(shipmentId);

        _shipments[shipmentId] = Shipment({
            holder: msg.sender,
            flags: params.coldChain ? _COLD_CHAIN : 0,
            minTempCentiC: params.coldChain ? params.minTempCentiC : int16(0),
            maxTempCentiC: params.coldChain ? params.maxTempCentiC : int16(0),
            vaccineLotId: params.vaccineLotId
        });
        _emitShipmentCreated(shipmentId, params);
    }

    /// @inheritdoc IProvenanceRegistry
    function recordStep(bytes32 shipmentId, bytes32 step) external {
        _checkActive();
        _recordStep(shipmentId, step);
    }

    /// @inheritdoc IProvenanceRegistry
    function recordSteps(StepInput[] calldata steps) external {
        uint256 count = steps.length;
        if (count == 0 || count > MAX_BATCH_STEPS) revert ProvenanceRegistryInvalidBatchSize(count);
        _checkActive();
        for (uint256 i = 0; i < count; ++i) {
            _recordStep(steps[i].shipmentId, steps[i].step);
        }
    }

    /// @inheritdoc IProvenanceRegistry
    function proposeHandover(bytes32 shipmentId, address receiver, bool isFinal) external {
        _checkActive();
        Shipment storage shipment = _holderShipment(shipmentId);
        if (shipment.flags & _DELIVERED != 0) revert ProvenanceRegistryShipmentDelivered(shipmentId);
        if (receiver == msg.sender || !_authority.isActive(receiver)) revert ProvenanceRegistryInvalidReceiver(receiver);
        _handovers[shipmentId] = Handover({receiver: receiver, isFinal: isFinal});
        emit HandoverProposed(shipmentId, msg.sender, receiver, isFinal);
    }

    /// @inheritdoc IProvenanceRegistry
    function acceptHandover(bytes32 shipmentId) external {
        Handover memory handover = _pendingFor(shipmentId);
        _checkActive();
        Shipment storage shipment = _shipments[shipmentId];
        address from = shipment.holder;
        delete _handovers[shipmentId];
        shipment.holder = msg.sender;
        if (handover.isFinal) shipment.flags |= _DELIVERED;
        emit HandoverAccepted(shipmentId, from, msg.sender, handover.isFinal);
    }

    /// @inheritdoc IProvenanceRegistry
    function rejectHandover(bytes32 shipmentId, uint8 reason) external {
        if (reason > MAX_REJECT_REASON) revert ProvenanceRegistryInvalidReason(reason);
        _pendingFor(shipmentId);
        delete _handovers[shipmentId];
        emit HandoverRejected(shipmentId, _shipments[shipmentId].holder, msg.sender, reason);
    }

    /// @inheritdoc IProvenanceRegistry
    function reportSuspectScan(uint64 gtin, string calldata lotNumber, string calldata serial, uint64 gln) external {
        (uint8 verdict, bytes32 shipmentId) = _verdict(gtin, lotNumber, serial, gln);
        if (verdict == _VERDICT_GENUINE) revert ProvenanceRegistryScanNotSuspect(shipmentId, gln);
        emit SuspectScanReported(shipmentId, msg.sender, gln, verdict);
    }

    /// @inheritdoc IProvenanceRegistry
    function multicall(bytes[] calldata data)
        public
        override(IProvenanceRegistry, Multicall)
        returns (bytes[] memory results)
    {
        return super.multicall(data);
    }

    /// @inheritdoc IProvenanceRegistry
    function checkScan(uint64 gtin, string calldata lotNumber, string calldata serial, uint64 gln)
        external
        view
        returns (uint8 verdict, bytes32 shipmentId)
    {
        return _verdict(gtin, lotNumber, serial, gln);
    }

    /// @inheritdoc IProvenanceRegistry
    function shipmentOf(bytes32 shipmentId) external view returns (ShipmentView memory) {
        Shipment storage shipment = _shipments[shipmentId];
        Handover storage handover = _handovers[shipmentId];
        uint8 flags = shipment.flags;
        return ShipmentView({
            holder: shipment.holder,
            coldChain: flags & _COLD_CHAIN != 0,
            nonConformant: flags & _NON_CONFORMANT != 0,
            delivered: flags & _DELIVERED != 0,
            minTempCentiC: shipment.minTempCentiC,
            maxTempCentiC: shipment.maxTempCentiC,
            vaccineLotId: shipment.vaccineLotId,
            pendingReceiver: handover.receiver,
            pendingFinal: handover.isFinal
        });
    }

    /// @inheritdoc IProvenanceRegistry
    function shipmentIdOf(uint64 gtin, string calldata lotNumber, string calldata serial)
        external
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(gtin, lotNumber, serial));
    }

    /// @inheritdoc IProvenanceRegistry
    function locationOwner(uint64 gln) external view returns (address) {
        return _locations[gln];
    }

    /// @inheritdoc IProvenanceRegistry
    function packStep(
        uint8 bizStep,
        uint8 disposition,
        uint64 readPoint,
        uint40 eventTime,
        bool hasTemperature,
        int16 temperatureCentiC
    ) external pure returns (bytes32) {
        uint256 word = (uint256(bizStep) << 248) | (uint256(disposition) << 240) | (uint256(readPoint) << 176)
            | (uint256(eventTime) << 136);
        if (hasTemperature) word |= (uint256(uint16(temperatureCentiC)) << 120) | (uint256(1) << 112);
        return bytes32(word);
    }

    /// @inheritdoc IProvenanceRegistry
    function authority() external view returns (address) {
        return address(_authority);
    }

    /// @inheritdoc IProvenanceRegistry
    function vaccineRegistry() external view returns (address) {
        return address(_vaccines);
    }

    /// @dev Validates the step word, checks the holder, applies the cold-chain rule and emits the step.
    function _recordStep(bytes32 shipmentId, bytes32 step) private {
        uint256 word = uint256(step);
        uint8 bizStep = uint8(word >> 248);
        uint8 disposition = uint8(word >> 240);
        uint64 readPoint = uint64(word >> 176);
        uint256 eventTime = uint40(word >> 136);
        uint8 hasTemperature = uint8(word >> 112);
        if (
            bizStep > MAX_BIZ_STEP || disposition > MAX_DISPOSITION || readPoint == 0 || readPoint > GS1.MAX_GLN
                || eventTime == 0 || eventTime > block.timestamp || hasTemperature > 1 || word & _RESERVED_MASK != 0
                || (hasTemperature == 0 && uint16(word >> 120) != 0)
        ) revert ProvenanceRegistryInvalidStep(shipmentId, step);

        Shipment storage shipment = _shipments[shipmentId];
        Shipment memory current = shipment;
        if (current.holder != msg.sender) {
            if (current.holder == address(0)) revert ProvenanceRegistryUnknownShipment(shipmentId);
            revert ProvenanceRegistryNotHolder(shipmentId, msg.sender);
        }
        emit CustodyStepRecorded(shipmentId, msg.sender, step);

        if (hasTemperature == 1 && current.flags & _COLD_CHAIN != 0) {
            int16 temperature = int16(uint16(word >> 120));
            if (temperature < current.minTempCentiC || temperature > current.maxTempCentiC) {
                shipment.flags = current.flags | _NON_CONFORMANT;
                emit ColdChainExcursion(shipmentId, current.vaccineLotId, temperature);
                if (current.vaccineLotId != 0) _reportToVaccines(shipmentId, current.vaccineLotId);
                return;
            }
        }
        if (disposition == DISPOSITION_NON_CONFORMANT && current.flags & _NON_CONFORMANT == 0) {
            shipment.flags = current.flags | _NON_CONFORMANT;
        }
    }

    /// @dev A refused report must not lose the step: the excursion is on chain either way.
    function _reportToVaccines(bytes32 shipmentId, uint32 vaccineLotId) private {
        try _vaccines.reportColdChainExcursion(vaccineLotId, shipmentId) {
            return;
        } catch {
            emit VaccineLotReportFailed(shipmentId, vaccineLotId);
        }
    }

    function _verdict(uint64 gtin, string calldata lotNumber, string calldata serial, uint64 gln)
        private
        view
        returns (uint8 verdict, bytes32 shipmentId)
    {
        shipmentId = keccak256(abi.encode(gtin, lotNumber, serial));
        Shipment storage shipment = _shipments[shipmentId];
        address holder = shipment.holder;
        if (holder == address(0)) return (_VERDICT_UNKNOWN_IDENTITY, shipmentId);
        address site = _locations[gln];
        if (shipment.flags & _DELIVERED != 0) {
            return (site == holder && site != address(0) ? _VERDICT_GENUINE : _VERDICT_ALREADY_DELIVERED, shipmentId);
        }
        if (site != address(0) && (site == holder || site == _handovers[shipmentId].receiver)) {
            return (_VERDICT_GENUINE, shipmentId);
        }
        return (_VERDICT_WRONG_LOCATION, shipmentId);
    }

    function _holderShipment(bytes32 shipmentId) private view returns (Shipment storage shipment) {
        shipment = _shipments[shipmentId];
        address holder = shipment.holder;
        if (holder != msg.sender) {
            if (holder == address(0)) revert ProvenanceRegistryUnknownShipment(shipmentId);
            revert ProvenanceRegistryNotHolder(shipmentId, msg.sender);
        }
    }

    function _pendingFor(bytes32 shipmentId) private view returns (Handover memory handover) {
        handover = _handovers[shipmentId];
        if (handover.receiver != msg.sender || msg.sender == address(0)) {
            if (_shipments[shipmentId].holder == address(0)) revert ProvenanceRegistryUnknownShipment(shipmentId);
            revert ProvenanceRegistryNotPendingReceiver(shipmentId, msg.sender);
        }
    }

    function _checkActive() private view {
        if (!_authority.isActive(msg.sender)) revert ProvenanceRegistryNotActive(msg.sender);
    }

    function _checkIdentifier(uint256 length) private pure {
        if (length == 0 || length > GS1.MAX_ALPHANUMERIC_BYTES) revert ProvenanceRegistryInvalidIdentifier(length);
    }

    /// @dev Split out of `createShipment` to keep its stack shallow.
    function _emitShipmentCreated(bytes32 shipmentId, ShipmentParams calldata params) private {
        emit ShipmentCreated(
            shipmentId,
            msg.sender,
            params.gtin,
            params.lotNumber,
            params.serial,
            params.quantity,
            params.origin,
            params.vaccineLotId,
            params.coldChain,
            params.coldChain ? params.minTempCentiC : int16(0),
            params.coldChain ? params.maxTempCentiC : int16(0)
        );
    }
}
