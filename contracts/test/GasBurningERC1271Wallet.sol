// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @notice Hostile test double: a smart-contract wallet (or merchant) that accepts its owner's ECDSA
/// signatures (ERC-1271) only after burning `burn` gas, as a costly signature scheme or a wallet set
/// on draining a relayer would. The relayer must refuse to pay for what it cannot afford.
contract GasBurningERC1271Wallet is IERC1271 {
    address public immutable owner;
    uint256 public immutable burn;

    constructor(address owner_, uint256 burn_) {
        owner = owner_;
        burn = burn_;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        uint256 start = gasleft();
        uint256 spins;
        // `start - gasleft()` cannot underflow: gas left only goes down.
        while (start - gasleft() < burn) ++spins;
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        return err == ECDSA.RecoverError.NoError && recovered == owner ? this.isValidSignature.selector : bytes4(0);
    }
}
