// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";

/// @title IConsentRegistry
/// @author HealthTrace
/// @notice Citizens' wallet-controlled consent: a citizen grants an accredited organisation access to one
///         category of their health records, for a stated purpose, until an expiry, and revokes it at once.
///         `hasAccess` is the single truth that every reader (the record vault first of all) checks, and the
///         gatekeeper logs every read so the citizen sees every access.
/// @dev Grants and revocations can also be signed by the citizen as EIP-712 typed data and relayed by anyone.
///      Nonces are keyed (OpenZeppelin NoncesKeyed): the upper 192 bits are a key chosen by the signer, the
///      lower 64 bits a sequence within that key, so independent signatures do not block each other. The
///      domain binds chain id and verifying contract. Category and purpose codes are documented in
///      `HealthData`.
///
///      Typed data (primary types):
///        Grant(address citizen,address grantee,uint8 category,uint8 purpose,uint64 expiresAt,uint256 nonce,uint256 deadline)
///        Revoke(address citizen,address grantee,uint8 category,uint256 nonce,uint256 deadline)
///      Domain: name "HealthTrace Consent", version "1", chainId, verifyingContract.
interface IConsentRegistry is IERC5267 {
    /// @notice A stored grant, packed in one slot. A grant is live while `block.timestamp < expiresAt`.
    /// @param purpose Purpose code.
    /// @param grantedAt Block timestamp of the grant.
    /// @param expiresAt Expiry (Unix seconds, exclusive).
    struct Grant {
        uint8 purpose;
        uint64 grantedAt;
        uint64 expiresAt;
    }

    /// @notice A citizen granted (or re-granted, replacing the previous terms) access.
    /// @param citizen The citizen.
    /// @param grantee The organisation that may read.
    /// @param category Record category code.
    /// @param purpose Purpose code.
    /// @param expiresAt Expiry (Unix seconds, exclusive).
    event ConsentGranted(
        address indexed citizen, address indexed grantee, uint8 indexed category, uint8 purpose, uint64 expiresAt
    );

    /// @notice A citizen revoked access; it ends in the block of this event.
    /// @param citizen The citizen.
    /// @param grantee The organisation.
    /// @param category Record category code.
    event ConsentRevoked(address indexed citizen, address indexed grantee, uint8 indexed category);

    /// @notice A citizen cancelled an unused signature nonce.
    /// @param citizen The citizen.
    /// @param nonce The keyed nonce that can no longer be used.
    event NonceCancelled(address indexed citizen, uint256 indexed nonce);

    /// @notice The gatekeeper served a record to a reader.
    /// @param citizen Whose record was read.
    /// @param reader Who read it.
    /// @param recordId The record (its content hash).
    /// @param category Record category code.
    event AccessLogged(address indexed citizen, address indexed reader, bytes32 indexed recordId, uint8 category);

    /// @notice The category code is not in the documented set.
    error ConsentRegistryUnknownCategory(uint8 category);
    /// @notice The purpose code is not in the documented set.
    error ConsentRegistryUnknownPurpose(uint8 purpose);
    /// @notice The expiry is not after the current block time.
    error ConsentRegistryExpiryNotInFuture(uint64 expiresAt, uint256 currentTime);
    /// @notice The grantee is not an accredited, active organisation.
    error ConsentRegistryGranteeNotActive(address grantee);
    /// @notice There is no grant to revoke.
    error ConsentRegistryNoGrant(address citizen, address grantee, uint8 category);
    /// @notice The signature's deadline has passed.
    error ConsentRegistrySignatureExpired(uint256 deadline, uint256 currentTime);
    /// @notice The signature was not made by the citizen over this exact message, chain and contract.
    error ConsentRegistryInvalidSignature(address citizen);
    /// @notice The nonce is not the citizen's next unused nonce for its key (used, cancelled or out of order).
    error ConsentRegistryInvalidNonce(address citizen, uint256 nonce, uint256 expected);
    /// @notice The caller does not hold the gatekeeper role.
    error ConsentRegistryUnauthorized(address account);
    /// @notice A citizen or reader address is zero.
    error ConsentRegistryZeroAddress();
    /// @notice The record id is zero.
    error ConsentRegistryZeroRecord();

    /// @notice Grant `grantee` access to one category of the caller's records for a purpose until an expiry.
    /// @dev Re-granting replaces the previous terms.
    /// @param grantee An accredited, active organisation.
    /// @param category Record category code.
    /// @param purpose Purpose code.
    /// @param expiresAt Expiry (Unix seconds, exclusive); must be in the future.
    function grant(address grantee, uint8 category, uint8 purpose, uint64 expiresAt) external;

    /// @notice Revoke the caller's grant to `grantee` for `category`, with immediate effect.
    /// @param grantee The organisation.
    /// @param category Record category code.
    function revoke(address grantee, uint8 category) external;

    /// @notice Relay a grant signed by the citizen (EIP-712 `Grant`).
    /// @param citizen The signer.
    /// @param grantee An accredited, active organisation.
    /// @param category Record category code.
    /// @param purpose Purpose code.
    /// @param expiresAt Expiry (Unix seconds, exclusive).
    /// @param nonce The citizen's next keyed nonce.
    /// @param deadline Last block timestamp at which the signature may be relayed.
    /// @param signature 65-byte ECDSA signature (low-s) or an ERC-1271 signature of a contract wallet.
    function grantBySig(
        address citizen,
        address grantee,
        uint8 category,
        uint8 purpose,
        uint64 expiresAt,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Relay a revocation signed by the citizen (EIP-712 `Revoke`).
    /// @param citizen The signer.
    /// @param grantee The organisation.
    /// @param category Record category code.
    /// @param nonce The citizen's next keyed nonce.
    /// @param deadline Last block timestamp at which the signature may be relayed.
    /// @param signature 65-byte ECDSA signature (low-s) or an ERC-1271 signature of a contract wallet.
    function revokeBySig(
        address citizen,
        address grantee,
        uint8 category,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Cancel the caller's next unused nonce of a key, so a signature made with it can never be relayed.
    /// @param nonce The keyed nonce to cancel (must be the next one for its key).
    function cancelNonce(uint256 nonce) external;

    /// @notice Log that the gatekeeper served a record of `citizen` to `reader`.
    /// @dev Only the gatekeeper role (the record vault), which checks `hasAccess` at that moment before serving.
    /// @param citizen Whose record was read.
    /// @param reader Who read it.
    /// @param category Record category code.
    /// @param recordId The record (its content hash).
    function logAccess(address citizen, address reader, uint8 category, bytes32 recordId) external;

    /// @notice Run several calls of this registry in one transaction, in order, as the caller.
    /// @dev Batching: the gatekeeper logs a batch of reads, and a relayer submits a batch of signed grants and
    ///      revocations (`grantBySig`, `revokeBySig`), in one transaction.
    ///      Each call is a `delegatecall` of this contract to itself (OpenZeppelin `Multicall`), so `msg.sender`
    ///      and every role check are the caller's, exactly as if the calls were sent one by one. The batch is all
    ///      or nothing: if one call reverts, the whole batch reverts with that call's custom error and nothing of
    ///      the batch is kept.
    /// @param data The ABI-encoded calls (selector and arguments) of this registry's functions.
    /// @return results The return data of each call, in order.
    function multicall(bytes[] calldata data) external returns (bytes[] memory results);

    /// @notice Whether `reader` may read `citizen`'s records of `category` now: a live, unrevoked grant to an
    ///         organisation that is accredited and not suspended.
    /// @param citizen The citizen.
    /// @param reader The reading organisation.
    /// @param category Record category code.
    function hasAccess(address citizen, address reader, uint8 category) external view returns (bool);

    /// @notice The stored grant (all zero if none or revoked; it may have expired).
    /// @param citizen The citizen.
    /// @param grantee The organisation.
    /// @param category Record category code.
    function grantOf(address citizen, address grantee, uint8 category) external view returns (Grant memory);

    /// @notice The next unused keyed nonce of `owner` for `key` (key in the upper 192 bits).
    /// @param owner The citizen.
    /// @param key The nonce key.
    function nonces(address owner, uint192 key) external view returns (uint256);

    /// @notice The authority whose organisations and roles this registry checks.
    function authority() external view returns (address);

    /// @notice The EIP-712 domain separator of this contract on this chain.
    function DOMAIN_SEPARATOR() external view returns (bytes32);
}
