// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IProvenanceRegistry
/// @author HealthTrace
/// @notice Medical-supply provenance: shipments with a GS1 identity, custody steps in GS1 EPCIS / CBV terms,
///         custody hand-over that the receiver must accept, a cold-chain rule per shipment with excursions flagged
///         on chain (and passed on to the vaccine registry when the shipment carries a vaccine lot), and suspect
///         scans (counterfeit or diversion) that anyone may report.
/// @dev A shipment id is `keccak256(abi.encode(gtin, lotNumber, serial))`: the GS1 identity its label carries as a
///      Digital Link URI (`https://id.gs1.org/01/{gtin}/10/{lot}/21/{serial}`), so a scanned label resolves to an
///      id without the chain, and an identity the registry never issued resolves to an id with no shipment.
///      Storage per shipment is one slot (holder, flags, cold-chain range, vaccine lot) plus a pending hand-over;
///      the history lives only in events and no function can change or delete it.
///
///      A custody step travels as one packed word (`step`), emitted as-is in `CustodyStepRecorded`:
///        bits 255–248 bizStep code · 247–240 disposition code · 239–176 readPoint (GLN, 13 digits)
///        · 175–136 eventTime (Unix seconds) · 135–120 temperature (int16, centi-°C, two's complement)
///        · 119–112 1 if a temperature was read, else 0 · 111–0 zero.
///      bizStep codes (CBV): 0 commissioning, 1 packing, 2 loading, 3 shipping, 4 departing, 5 transporting,
///        6 arriving, 7 receiving, 8 accepting, 9 inspecting, 10 storing, 11 picking, 12 unloading,
///        13 dispensing, 14 destroying, 15 sensor_reporting, 16 holding.
///      disposition codes (CBV): 0 active, 1 in_transit, 2 in_progress, 3 non_conformant, 4 recalled,
///        5 damaged, 6 destroyed, 7 dispensed, 8 expired, 9 container_closed, 10 returned, 11 stolen.
///      Hand-over rejection reasons: 0 damaged, 1 temperature excursion, 2 wrong quantity,
///        3 wrong product or documents, 4 not expected, 5 other.
///      Scan verdicts: 0 genuine (held by, or being handed to, the owner of the scanning location; or delivered
///        and scanned at its final holder's location); 1 unknown identity (never issued); 2 already delivered
///        (scanned away from its final holder); 3 location not the holder's (or not a registered location).
interface IProvenanceRegistry {
    /// @notice Parameters of a new shipment.
    /// @param lotNumber GS1 batch/lot number (AI 10), 1–20 bytes.
    /// @param serial The shipment's serial (AI 21), 1–20 bytes.
    /// @param gtin GS1 GTIN-14 of the product (valid check digit).
    /// @param origin GLN of the origin location (registered to the manufacturer).
    /// @param quantity Units in the shipment (at least 1).
    /// @param vaccineLotId The vaccine lot it carries (0 if none); must be the caller's own lot.
    /// @param coldChain Whether the storage range applies.
    /// @param minTempCentiC Lowest allowed temperature, centi-°C (with `coldChain`).
    /// @param maxTempCentiC Highest allowed temperature, centi-°C (with `coldChain`; above the minimum).
    struct ShipmentParams {
        string lotNumber;
        string serial;
        uint64 gtin;
        uint64 origin;
        uint32 quantity;
        uint32 vaccineLotId;
        bool coldChain;
        int16 minTempCentiC;
        int16 maxTempCentiC;
    }

    /// @notice One step of a batch: a shipment and its packed step word.
    /// @param shipmentId The shipment.
    /// @param step The packed step (see the layout above).
    struct StepInput {
        bytes32 shipmentId;
        bytes32 step;
    }

    /// @notice What one call tells about a shipment.
    /// @param holder The organisation that holds custody (zero if the shipment does not exist).
    /// @param coldChain Whether its storage range applies.
    /// @param nonConformant Set for good by an excursion or a non_conformant step.
    /// @param delivered Set for good when a final hand-over was accepted: custody never moves again.
    /// @param minTempCentiC Lowest allowed temperature, centi-°C.
    /// @param maxTempCentiC Highest allowed temperature, centi-°C.
    /// @param vaccineLotId The vaccine lot it carries (0 if none).
    /// @param pendingReceiver The proposed next holder (zero if none).
    /// @param pendingFinal Whether the proposed hand-over is the final delivery.
    struct ShipmentView {
        address holder;
        bool coldChain;
        bool nonConformant;
        bool delivered;
        int16 minTempCentiC;
        int16 maxTempCentiC;
        uint32 vaccineLotId;
        address pendingReceiver;
        bool pendingFinal;
    }

    /// @notice An organisation registered one of its locations.
    /// @param gln The location's GS1 GLN.
    /// @param owner The organisation.
    /// @param name A short public name of the site (e.g. "Baoshan DC, dock 3").
    event LocationRegistered(uint64 indexed gln, address indexed owner, string name);

    /// @notice A manufacturer created a shipment; it holds custody.
    /// @param shipmentId The shipment id.
    /// @param manufacturer The manufacturer (first holder).
    /// @param gtin GS1 GTIN-14.
    /// @param lotNumber GS1 batch/lot number.
    /// @param serial The shipment's serial.
    /// @param quantity Units.
    /// @param origin Origin GLN.
    /// @param vaccineLotId The vaccine lot carried (0 if none).
    /// @param coldChain Whether the storage range applies.
    /// @param minTempCentiC Lowest allowed temperature, centi-°C (0 without cold chain).
    /// @param maxTempCentiC Highest allowed temperature, centi-°C (0 without cold chain).
    event ShipmentCreated(
        bytes32 indexed shipmentId,
        address indexed manufacturer,
        uint64 indexed gtin,
        string lotNumber,
        string serial,
        uint32 quantity,
        uint64 origin,
        uint32 vaccineLotId,
        bool coldChain,
        int16 minTempCentiC,
        int16 maxTempCentiC
    );

    /// @notice The holder recorded a custody step.
    /// @param shipmentId The shipment.
    /// @param recorder The holder at that moment.
    /// @param step The packed step word.
    event CustodyStepRecorded(bytes32 indexed shipmentId, address indexed recorder, bytes32 step);

    /// @notice A temperature reading outside the shipment's range: the shipment is now non_conformant.
    /// @param shipmentId The shipment.
    /// @param vaccineLotId The vaccine lot it carries (0 if none), now non-conformant too.
    /// @param temperatureCentiC The reading, centi-°C.
    event ColdChainExcursion(bytes32 indexed shipmentId, uint32 indexed vaccineLotId, int16 indexed temperatureCentiC);

    /// @notice The vaccine registry refused the excursion report (e.g. this registry is not its cold-chain
    ///         reporter). The step and the excursion are recorded all the same; the regulator must quarantine the
    ///         lot by hand.
    /// @param shipmentId The shipment.
    /// @param vaccineLotId The lot that could not be marked non-conformant.
    event VaccineLotReportFailed(bytes32 indexed shipmentId, uint32 indexed vaccineLotId);

    /// @notice The holder proposed handing custody over.
    /// @param shipmentId The shipment.
    /// @param holder The current holder.
    /// @param receiver The proposed next holder.
    /// @param isFinal Whether this is the final delivery.
    event HandoverProposed(bytes32 indexed shipmentId, address indexed holder, address indexed receiver, bool isFinal);

    /// @notice The receiver accepted custody.
    /// @param shipmentId The shipment.
    /// @param from The previous holder.
    /// @param to The new holder.
    /// @param isFinal Whether this was the final delivery (the shipment is now delivered).
    event HandoverAccepted(bytes32 indexed shipmentId, address indexed from, address indexed to, bool isFinal);

    /// @notice The receiver rejected the hand-over; custody stays with the holder.
    /// @param shipmentId The shipment.
    /// @param holder The holder.
    /// @param receiver The rejecting receiver.
    /// @param reason Rejection reason code.
    event HandoverRejected(bytes32 indexed shipmentId, address indexed holder, address indexed receiver, uint8 reason);

    /// @notice Someone reported a suspect scan (the verdict was recomputed on chain).
    /// @param shipmentId The id the scanned identity resolves to.
    /// @param reporter Who reported it.
    /// @param gln Where it was scanned.
    /// @param verdict Scan verdict code (1–3).
    event SuspectScanReported(bytes32 indexed shipmentId, address indexed reporter, uint64 indexed gln, uint8 verdict);

    /// @notice The caller does not hold `role`.
    error ProvenanceRegistryUnauthorized(address account, bytes32 role);
    /// @notice The caller is not an accredited, active organisation.
    error ProvenanceRegistryNotActive(address account);
    /// @notice The GLN is zero, longer than 13 digits or (for a location) has a wrong check digit.
    error ProvenanceRegistryInvalidGln(uint64 gln);
    /// @notice The location name is empty or longer than 64 bytes.
    error ProvenanceRegistryInvalidName(uint256 length);
    /// @notice The location is already registered.
    error ProvenanceRegistryLocationExists(uint64 gln, address owner);
    /// @notice The location is not registered to the caller.
    error ProvenanceRegistryNotLocationOwner(uint64 gln, address account);
    /// @notice The GTIN is zero, longer than 14 digits or has a wrong check digit.
    error ProvenanceRegistryInvalidGtin(uint64 gtin);
    /// @notice The lot number or serial is empty or longer than 20 bytes.
    error ProvenanceRegistryInvalidIdentifier(uint256 length);
    /// @notice The quantity is zero.
    error ProvenanceRegistryInvalidQuantity();
    /// @notice The cold-chain range is empty (min ≥ max).
    error ProvenanceRegistryInvalidTemperatureRange(int16 minTempCentiC, int16 maxTempCentiC);
    /// @notice The vaccine lot does not exist.
    error ProvenanceRegistryUnknownVaccineLot(uint32 vaccineLotId);
    /// @notice The vaccine lot was registered by another manufacturer.
    error ProvenanceRegistryNotLotManufacturer(uint32 vaccineLotId, address account);
    /// @notice A shipment with this identity already exists.
    error ProvenanceRegistryShipmentExists(bytes32 shipmentId);
    /// @notice No shipment has this id.
    error ProvenanceRegistryUnknownShipment(bytes32 shipmentId);
    /// @notice Only the holder may do this.
    error ProvenanceRegistryNotHolder(bytes32 shipmentId, address account);
    /// @notice The step word is malformed (a code out of range, a zero or oversized GLN, a future or zero time,
    ///         or reserved bits set).
    error ProvenanceRegistryInvalidStep(bytes32 shipmentId, bytes32 step);
    /// @notice The batch is empty or larger than `MAX_BATCH_STEPS`.
    error ProvenanceRegistryInvalidBatchSize(uint256 size);
    /// @notice The shipment has been delivered: custody never moves again.
    error ProvenanceRegistryShipmentDelivered(bytes32 shipmentId);
    /// @notice The receiver is the holder itself or not an accredited, active organisation.
    error ProvenanceRegistryInvalidReceiver(address receiver);
    /// @notice There is no pending hand-over to the caller.
    error ProvenanceRegistryNotPendingReceiver(bytes32 shipmentId, address account);
    /// @notice The reason code is not in the documented set.
    error ProvenanceRegistryInvalidReason(uint8 reason);
    /// @notice The scan is not suspect: there is nothing to report.
    error ProvenanceRegistryScanNotSuspect(bytes32 shipmentId, uint64 gln);

    /// @notice Register a location (GLN) of the caller's organisation.
    /// @param gln The location's GS1 GLN (13 digits, valid check digit).
    /// @param name A short public name, 1–64 bytes.
    function registerLocation(uint64 gln, string calldata name) external;

    /// @notice Create a shipment; the caller (a manufacturer) holds custody.
    /// @param params Identity, quantity, origin, cold-chain rule and vaccine lot.
    /// @return shipmentId The shipment id.
    function createShipment(ShipmentParams calldata params) external returns (bytes32 shipmentId);

    /// @notice Record a custody step as the holder.
    /// @param shipmentId The shipment.
    /// @param step The packed step word.
    function recordStep(bytes32 shipmentId, bytes32 step) external;

    /// @notice Record several steps (same or different shipments) in one transaction, all or none.
    /// @param steps 1 – `MAX_BATCH_STEPS` steps.
    function recordSteps(StepInput[] calldata steps) external;

    /// @notice Propose handing custody to `receiver` (replaces a pending proposal).
    /// @param shipmentId The shipment.
    /// @param receiver An accredited, active organisation other than the holder.
    /// @param isFinal Whether accepting it completes the delivery (custody is then final).
    function proposeHandover(bytes32 shipmentId, address receiver, bool isFinal) external;

    /// @notice Accept a hand-over proposed to the caller: the caller becomes the holder.
    /// @param shipmentId The shipment.
    function acceptHandover(bytes32 shipmentId) external;

    /// @notice Reject a hand-over proposed to the caller; custody stays with the holder.
    /// @param shipmentId The shipment.
    /// @param reason Rejection reason code.
    function rejectHandover(bytes32 shipmentId, uint8 reason) external;

    /// @notice Report a suspect scan. The verdict is recomputed on chain and a genuine scan is refused, so only
    ///         real suspicions are logged; nothing is stored.
    /// @param gtin Scanned GTIN.
    /// @param lotNumber Scanned lot number.
    /// @param serial Scanned serial.
    /// @param gln Where it was scanned.
    function reportSuspectScan(uint64 gtin, string calldata lotNumber, string calldata serial, uint64 gln) external;

    /// @notice Run several calls of this registry in one transaction, in order, as the caller.
    /// @dev Batching: a manufacturer creates a day's shipments and proposes their hand-overs, and a receiver
    ///      accepts a truck's deliveries, in one transaction (custody steps alone have `recordSteps`).
    ///      Each call is a `delegatecall` of this contract to itself (OpenZeppelin `Multicall`), so `msg.sender`
    ///      and every role check are the caller's, exactly as if the calls were sent one by one. The batch is all
    ///      or nothing: if one call reverts, the whole batch reverts with that call's custom error and nothing of
    ///      the batch is kept.
    /// @param data The ABI-encoded calls (selector and arguments) of this registry's functions.
    /// @return results The return data of each call, in order.
    function multicall(bytes[] calldata data) external returns (bytes[] memory results);

    /// @notice The verdict of a scan and the id the scanned identity resolves to.
    /// @param gtin Scanned GTIN.
    /// @param lotNumber Scanned lot number.
    /// @param serial Scanned serial.
    /// @param gln Where it was scanned.
    /// @return verdict Scan verdict code (0 genuine, 1–3 suspect).
    /// @return shipmentId The id of the scanned identity.
    function checkScan(uint64 gtin, string calldata lotNumber, string calldata serial, uint64 gln)
        external
        view
        returns (uint8 verdict, bytes32 shipmentId);

    /// @notice A shipment's state.
    /// @param shipmentId The shipment.
    function shipmentOf(bytes32 shipmentId) external view returns (ShipmentView memory);

    /// @notice The id of a GS1 identity (whether or not it was issued).
    /// @param gtin GS1 GTIN-14.
    /// @param lotNumber GS1 batch/lot number.
    /// @param serial The shipment's serial.
    function shipmentIdOf(uint64 gtin, string calldata lotNumber, string calldata serial)
        external
        pure
        returns (bytes32);

    /// @notice The organisation a location is registered to (zero if none).
    /// @param gln The location's GLN.
    function locationOwner(uint64 gln) external view returns (address);

    /// @notice Pack a custody step into its word (for clients; the contract validates every field it receives).
    /// @param bizStep bizStep code.
    /// @param disposition Disposition code.
    /// @param readPoint GLN where the step happened.
    /// @param eventTime When it happened (Unix seconds).
    /// @param hasTemperature Whether a temperature was read.
    /// @param temperatureCentiC The reading, centi-°C (ignored without `hasTemperature`).
    function packStep(
        uint8 bizStep,
        uint8 disposition,
        uint64 readPoint,
        uint40 eventTime,
        bool hasTemperature,
        int16 temperatureCentiC
    ) external pure returns (bytes32);

    /// @notice The authority whose organisations and roles this registry checks.
    function authority() external view returns (address);

    /// @notice The vaccine registry that excursions are reported to.
    function vaccineRegistry() external view returns (address);
}
