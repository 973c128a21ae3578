// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title ConsentTypedData
/// @notice The ConsentRegistry's EIP-712 messages, hashed in the test code from the documented type strings
///         (IConsentRegistry NatSpec), independently of the registry's own constants.
library ConsentTypedData {
    /// @notice EIP-712 domain type hash.
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    /// @notice `Grant` type hash.
    bytes32 internal constant GRANT_TYPEHASH = keccak256(
        "Grant(address citizen,address grantee,uint8 category,uint8 purpose,uint64 expiresAt,uint256 nonce,uint256 deadline)"
    );
    /// @notice `Revoke` type hash.
    bytes32 internal constant REVOKE_TYPEHASH =
        keccak256("Revoke(address citizen,address grantee,uint8 category,uint256 nonce,uint256 deadline)");

    /// @notice A `Grant` message.
    struct GrantMessage {
        address citizen;
        address grantee;
        uint8 category;
        uint8 purpose;
        uint64 expiresAt;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice A `Revoke` message.
    struct RevokeMessage {
        address citizen;
        address grantee;
        uint8 category;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice The domain separator of a "HealthTrace Consent" v1 registry at `verifyingContract` on `chainId`.
    function domainSeparator(address verifyingContract, uint256 chainId) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("HealthTrace Consent"), keccak256("1"), chainId, verifyingContract)
        );
    }

    /// @notice The EIP-712 digest of a `Grant` under `separator`.
    function digest(bytes32 separator, GrantMessage memory m) internal pure returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(GRANT_TYPEHASH, m.citizen, m.grantee, m.category, m.purpose, m.expiresAt, m.nonce, m.deadline)
        );
        return keccak256(abi.encodePacked("\x19\x01", separator, structHash));
    }

    /// @notice The EIP-712 digest of a `Revoke` under `separator`.
    function digest(bytes32 separator, RevokeMessage memory m) internal pure returns (bytes32) {
        bytes32 structHash =
            keccak256(abi.encode(REVOKE_TYPEHASH, m.citizen, m.grantee, m.category, m.nonce, m.deadline));
        return keccak256(abi.encodePacked("\x19\x01", separator, structHash));
    }
}
