// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice What a HookedToken recipient implements, as ERC-777's `tokensReceived`.
interface ITokenRecipientHook {
    function tokensReceived(address from, uint256 amount) external;
}

/// @notice Test token with receive hooks, as ERC-777 has them: every transfer to an account that
/// registered for hooks (ERC-777 does it in the ERC-1820 registry) calls its `tokensReceived`, and a
/// hook that reverts reverts the transfer. A recipient can thus refuse tokens sent to it.
contract HookedToken is ERC20 {
    mapping(address account => bool) public hooked;

    constructor() ERC20("Hooked", "HOOK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice The caller's `tokensReceived` is called on every transfer to it from now on.
    function registerHook() external {
        hooked[msg.sender] = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (hooked[to]) ITokenRecipientHook(to).tokensReceived(from, value);
    }
}
