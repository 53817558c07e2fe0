// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC3009} from "@openzeppelin/contracts/token/ERC20/extensions/draft-ERC3009.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @title Gram (GRAM)
/// @notice The Gram chat currency: an ERC-20 with 9 decimals (1 GRAM = 10^9 nano, as on TON), EIP-2612
/// `permit`, and ERC-3009 transfers with authorization, so that a chat user signs a payment and the
/// node's relayer submits it and pays the gas.
/// @dev ERC-3009 nonces are random `bytes32` values, one storage slot each (OpenZeppelin `ERC3009`).
/// Authorizations accept EOA signatures (low-s only) and ERC-1271 contract signers: the `v, r, s`
/// functions hand a contract signer the packed 65 bytes `r ‖ s ‖ v`, and the `bytes signature`
/// overloads (as in USDC v2.2) pass any signature through unchanged.
contract GramToken is ERC20, ERC20Permit, ERC3009, AccessControl {
    /// @notice Accounts that may mint; meant for development and test chains.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @param admin Receives the admin and the minter roles.
    constructor(address admin) ERC20("Gram", "GRAM") ERC20Permit("Gram") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
    }

    /// @notice GRAM has 9 decimals; wallets read this rather than assume 18.
    function decimals() public pure override returns (uint8) {
        return 9;
    }

    /// @notice Creates `amount` base units for `to`.
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }

    /// @notice Executes a transfer signed by `from`; anyone may submit it.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) public override {
        _checkSignature(
            from,
            _authorizationDigest(TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce),
            v,
            r,
            s
        );
        _transferWithAuthorization(from, to, value, validAfter, validBefore, nonce);
    }

    /// @notice Same as the `v, r, s` form, for signatures of any length (ERC-1271 contract signers).
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external {
        _checkSignature(
            from,
            _authorizationDigest(TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce),
            signature
        );
        _transferWithAuthorization(from, to, value, validAfter, validBefore, nonce);
    }

    /// @notice Executes a transfer signed by `from` that only the payee `to` may submit, so that a
    /// contract pulling funds (the escrow) cannot be front-run with its own authorization.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) public override {
        if (to != msg.sender) revert GramCallerNotPayee(msg.sender, to);
        _checkSignature(
            from,
            _authorizationDigest(RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce),
            v,
            r,
            s
        );
        _transferWithAuthorization(from, to, value, validAfter, validBefore, nonce);
    }

    /// @notice Same as the `v, r, s` form, for signatures of any length (ERC-1271 contract signers).
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external {
        if (to != msg.sender) revert GramCallerNotPayee(msg.sender, to);
        _checkSignature(
            from,
            _authorizationDigest(RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce),
            signature
        );
        _transferWithAuthorization(from, to, value, validAfter, validBefore, nonce);
    }

    /// @notice Cancels an unused authorization of `authorizer`, who signed the cancellation.
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) public override {
        _checkSignature(authorizer, _cancelDigest(authorizer, nonce), v, r, s);
        _cancelAuthorization(authorizer, nonce);
    }

    /// @notice Same as the `v, r, s` form, for signatures of any length (ERC-1271 contract signers).
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature) external {
        _checkSignature(authorizer, _cancelDigest(authorizer, nonce), signature);
        _cancelAuthorization(authorizer, nonce);
    }

    /// @notice The payee of a `receiveWithAuthorization` must be its caller.
    error GramCallerNotPayee(address caller, address payee);

    /// @dev The digest of a transfer or receive authorization; they differ only in their typehash.
    function _authorizationDigest(
        bytes32 typehash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce
    ) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(typehash, from, to, value, validAfter, validBefore, nonce)));
    }

    function _cancelDigest(address authorizer, bytes32 nonce) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)));
    }

    /// @dev Recovers first and asks an ERC-1271 signer only when that fails: OpenZeppelin's
    /// `SignatureChecker` reads the signer's code size first, a cold account access (2,600 gas) that
    /// every EOA payment would pay for nothing.
    function _checkSignature(address signer, bytes32 digest, uint8 v, bytes32 r, bytes32 s) private view {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(digest, v, r, s);
        if (err == ECDSA.RecoverError.NoError && recovered == signer) return;
        if (
            signer.code.length == 0 ||
            !SignatureChecker.isValidERC1271SignatureNow(signer, digest, abi.encodePacked(r, s, v))
        ) revert ERC3009InvalidSignature();
    }

    function _checkSignature(address signer, bytes32 digest, bytes calldata signature) private view {
        if (!SignatureChecker.isValidSignatureNowCalldata(signer, digest, signature)) revert ERC3009InvalidSignature();
    }
}
