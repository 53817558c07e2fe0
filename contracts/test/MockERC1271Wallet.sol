// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @notice Test double: a smart-contract wallet whose owner's ECDSA signatures it accepts (ERC-1271),
/// and through which the owner can call anything (to act as a merchant or payer).
contract MockERC1271Wallet is IERC1271 {
    address public immutable owner;

    error MockWalletNotOwner(address caller);

    constructor(address owner_) {
        owner = owner_;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        return err == ECDSA.RecoverError.NoError && recovered == owner ? this.isValidSignature.selector : bytes4(0);
    }

    function execute(address target, bytes calldata data) external returns (bytes memory) {
        if (msg.sender != owner) revert MockWalletNotOwner(msg.sender);
        return Address.functionCall(target, data);
    }
}
