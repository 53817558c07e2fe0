// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ITokenRecipientHook} from "./HookedToken.sol";

/// @notice Hostile test payer: a contract account that pays invoices through `execute` and, once told
/// to, refuses every token sent to it through its receive hook, by reverting or by burning all the
/// gas it is given. It stands for a payer that wants to veto the merchant's capture or the arbiter's
/// ruling by refusing its cashback or its share.
contract RefusingPayer is ITokenRecipientHook {
    enum Mode {
        Accept,
        Revert,
        BurnGas
    }

    address public immutable owner;
    Mode public mode;
    uint256 public received;

    error RefusingPayerNotOwner(address caller);
    error RefusingPayerRefused(address from, uint256 amount);

    constructor(address owner_) {
        owner = owner_;
    }

    function setMode(Mode mode_) external {
        if (msg.sender != owner) revert RefusingPayerNotOwner(msg.sender);
        mode = mode_;
    }

    function execute(address target, bytes calldata data) external returns (bytes memory) {
        if (msg.sender != owner) revert RefusingPayerNotOwner(msg.sender);
        return Address.functionCall(target, data);
    }

    function tokensReceived(address from, uint256 amount) external {
        if (mode == Mode.Revert) revert RefusingPayerRefused(from, amount);
        if (mode == Mode.BurnGas) {
            // Spins until the call runs out of gas, taking all of it.
            while (true) {
                ++received;
            }
        }
        received += amount;
    }
}
