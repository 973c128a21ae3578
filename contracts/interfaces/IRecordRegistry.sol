// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title IRecordRegistry
/// @author HealthTrace
/// @notice Anchors of off-chain health records: which record (by content hash) is about which citizen, in
///         which category, issued by whom and when. Never a payload.
/// @dev The record id is the keccak-256 hash of the record document as the vault stores it. That document
///      carries a random 32-byte salt, so the hash cannot be brute-forced back to a short payload (such as
///      a health-code colour). Category codes are documented in `HealthData`.
interface IRecordRegistry {
    /// @notice The anchor of one record.
    /// @param subject The citizen the record is about (a wallet address).
    /// @param category Record category code.
    /// @param anchoredAt Block timestamp of anchoring.
    /// @param issuer The accredited organisation that issued the record.
    struct Anchor {
        address subject;
        uint8 category;
        uint40 anchoredAt;
        address issuer;
    }

    /// @notice A record was anchored.
    /// @param contentHash The record id: keccak-256 of the salted record document.
    /// @param subject The citizen.
    /// @param issuer The issuing organisation.
    /// @param category Record category code.
    event RecordAnchored(bytes32 indexed contentHash, address indexed subject, address indexed issuer, uint8 category);

    /// @notice The caller does not hold the record-issuer role.
    error RecordRegistryUnauthorized(address account);
    /// @notice The category code is not in the documented set.
    error RecordRegistryUnknownCategory(uint8 category);
    /// @notice The subject is the zero address.
    error RecordRegistryZeroSubject();
    /// @notice The content hash is zero.
    error RecordRegistryZeroHash();
    /// @notice A record with this content hash is already anchored.
    error RecordRegistryAlreadyAnchored(bytes32 contentHash);

    /// @notice Anchor a health record about a citizen.
    /// @dev Only an organisation holding the record-issuer role.
    /// @param subject The citizen's wallet address.
    /// @param category Record category code.
    /// @param contentHash keccak-256 of the salted record document.
    function anchor(address subject, uint8 category, bytes32 contentHash) external;

    /// @notice Run several calls of this registry in one transaction, in order, as the caller.
    /// @dev Batching: a hospital anchors a batch of records in one transaction.
    ///      Each call is a `delegatecall` of this contract to itself (OpenZeppelin `Multicall`), so `msg.sender`
    ///      and every role check are the caller's, exactly as if the calls were sent one by one. The batch is all
    ///      or nothing: if one call reverts, the whole batch reverts with that call's custom error and nothing of
    ///      the batch is kept.
    /// @param data The ABI-encoded calls (selector and arguments) of this registry's functions.
    /// @return results The return data of each call, in order.
    function multicall(bytes[] calldata data) external returns (bytes[] memory results);

    /// @notice The anchor stored for `contentHash` (all zero if none).
    /// @param contentHash The record id.
    function anchorOf(bytes32 contentHash) external view returns (Anchor memory);

    /// @notice The authority whose roles this registry checks.
    function authority() external view returns (address);
}
