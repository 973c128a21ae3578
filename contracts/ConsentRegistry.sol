// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {NoncesKeyed} from "@openzeppelin/contracts/utils/NoncesKeyed.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {IConsentRegistry} from "./interfaces/IConsentRegistry.sol";
import {IHealthTraceAuthority} from "./interfaces/IHealthTraceAuthority.sol";
import {HealthData} from "./libraries/HealthData.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title ConsentRegistry
/// @author HealthTrace
/// @notice Per citizen, per organisation, per record category: purpose and expiry of access, granted and
///         revoked by the citizen's wallet directly or by a relayed EIP-712 signature, plus the read log.
/// @dev One storage slot per (citizen, grantee, category); everything else (history, reads) lives in events.
contract ConsentRegistry is IConsentRegistry, EIP712, NoncesKeyed, Multicall {
    // EIP-712 type strings are longer than 32 bytes by nature; keccak256 of a literal is folded at compile time.
    /* solhint-disable gas-small-strings */
    /// @notice EIP-712 type hash of `Grant`.
    bytes32 public constant GRANT_TYPEHASH = keccak256(
        "Grant(address citizen,address grantee,uint8 category,uint8 purpose,uint64 expiresAt,uint256 nonce,uint256 deadline)"
    );
    /// @notice EIP-712 type hash of `Revoke`.
    bytes32 public constant REVOKE_TYPEHASH =
        keccak256("Revoke(address citizen,address grantee,uint8 category,uint256 nonce,uint256 deadline)");
    /* solhint-enable gas-small-strings */

    IHealthTraceAuthority private immutable _authority;

    mapping(address citizen => mapping(address grantee => mapping(uint8 category => Grant terms))) private _grants;

    /// @notice Deploy the registry against an authority.
    /// @param authority_ The HealthTrace authority.
    constructor(IHealthTraceAuthority authority_) EIP712("HealthTrace Consent", "1") {
        _authority = authority_;
    }

    /// @inheritdoc IConsentRegistry
    function grant(address grantee, uint8 category, uint8 purpose, uint64 expiresAt) external {
        _grant(msg.sender, grantee, category, purpose, expiresAt);
    }

    /// @inheritdoc IConsentRegistry
    function revoke(address grantee, uint8 category) external {
        _revoke(msg.sender, grantee, category);
    }

    /// @inheritdoc IConsentRegistry
    function grantBySig(
        address citizen,
        address grantee,
        uint8 category,
        uint8 purpose,
        uint64 expiresAt,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash =
            keccak256(abi.encode(GRANT_TYPEHASH, citizen, grantee, category, purpose, expiresAt, nonce, deadline));
        _useSignature(citizen, structHash, nonce, deadline, signature);
        _grant(citizen, grantee, category, purpose, expiresAt);
    }

    /// @inheritdoc IConsentRegistry
    function revokeBySig(
        address citizen,
        address grantee,
        uint8 category,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(abi.encode(REVOKE_TYPEHASH, citizen, grantee, category, nonce, deadline));
        _useSignature(citizen, structHash, nonce, deadline, signature);
        _revoke(citizen, grantee, category);
    }

    /// @inheritdoc IConsentRegistry
    function cancelNonce(uint256 nonce) external {
        _consumeNonce(msg.sender, nonce);
        emit NonceCancelled(msg.sender, nonce);
    }

    /// @inheritdoc IConsentRegistry
    function logAccess(address citizen, address reader, uint8 category, bytes32 recordId) external {
        if (!_authority.hasRole(Roles.GATEKEEPER, msg.sender)) revert ConsentRegistryUnauthorized(msg.sender);
        if (citizen == address(0) || reader == address(0)) revert ConsentRegistryZeroAddress();
        if (category > HealthData.MAX_CATEGORY) revert ConsentRegistryUnknownCategory(category);
        if (recordId == bytes32(0)) revert ConsentRegistryZeroRecord();
        emit AccessLogged(citizen, reader, recordId, category);
    }

    /// @inheritdoc IConsentRegistry
    function multicall(bytes[] calldata data)
        public
        override(IConsentRegistry, Multicall)
        returns (bytes[] memory results)
    {
        return super.multicall(data);
    }

    /// @inheritdoc IConsentRegistry
    function hasAccess(address citizen, address reader, uint8 category) external view returns (bool) {
        return block.timestamp < _grants[citizen][reader][category].expiresAt && _authority.isActive(reader);
    }

    /// @inheritdoc IConsentRegistry
    function grantOf(address citizen, address grantee, uint8 category) external view returns (Grant memory) {
        return _grants[citizen][grantee][category];
    }

    /// @inheritdoc IConsentRegistry
    function nonces(address owner, uint192 key) public view override(IConsentRegistry, NoncesKeyed) returns (uint256) {
        return super.nonces(owner, key);
    }

    /// @inheritdoc IConsentRegistry
    function authority() external view returns (address) {
        return address(_authority);
    }

    // The EIP-2612 name of this getter is upper case by convention.
    /* solhint-disable func-name-mixedcase */
    /// @inheritdoc IConsentRegistry
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }
    /* solhint-enable func-name-mixedcase */

    function _grant(address citizen, address grantee, uint8 category, uint8 purpose, uint64 expiresAt) private {
        if (category > HealthData.MAX_CATEGORY) revert ConsentRegistryUnknownCategory(category);
        if (purpose > HealthData.MAX_PURPOSE) revert ConsentRegistryUnknownPurpose(purpose);
        // An expiry equal to now has already passed (a grant is live while now < expiresAt).
        // solhint-disable-next-line gas-strict-inequalities
        if (expiresAt <= block.timestamp) revert ConsentRegistryExpiryNotInFuture(expiresAt, block.timestamp);
        if (!_authority.isActive(grantee)) revert ConsentRegistryGranteeNotActive(grantee);
        _grants[citizen][grantee][category] =
            Grant({purpose: purpose, grantedAt: uint64(block.timestamp), expiresAt: expiresAt});
        emit ConsentGranted(citizen, grantee, category, purpose, expiresAt);
    }

    function _revoke(address citizen, address grantee, uint8 category) private {
        if (category > HealthData.MAX_CATEGORY) revert ConsentRegistryUnknownCategory(category);
        if (_grants[citizen][grantee][category].expiresAt == 0) {
            revert ConsentRegistryNoGrant(citizen, grantee, category);
        }
        delete _grants[citizen][grantee][category];
        emit ConsentRevoked(citizen, grantee, category);
    }

    /// @dev Checks deadline, nonce and signature before consuming the nonce, so a refused relay changes nothing.
    function _useSignature(address citizen, bytes32 structHash, uint256 nonce, uint256 deadline, bytes calldata signature)
        private
    {
        if (block.timestamp > deadline) revert ConsentRegistrySignatureExpired(deadline, block.timestamp);
        if (!SignatureChecker.isValidSignatureNowCalldata(citizen, _hashTypedDataV4(structHash), signature)) {
            revert ConsentRegistryInvalidSignature(citizen);
        }
        _consumeNonce(citizen, nonce);
    }

    function _consumeNonce(address owner, uint256 nonce) private {
        uint192 key = uint192(nonce >> 64);
        uint256 expected = super.nonces(owner, key);
        if (nonce != expected) revert ConsentRegistryInvalidNonce(owner, nonce, expected);
        _useNonce(owner, key);
    }
}
