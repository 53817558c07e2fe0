// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Hostile test token: on every transfer it calls `target` with `data` (armed once), the way a
/// token with transfer hooks (ERC-777) hands control to an attacker mid-operation. The revert data
/// of the inner call is stored so that a test can read why the reentry failed.
contract ReentrantToken is ERC20 {
    address public target;
    bytes public data;
    bool public reentered;
    bytes public lastRevert;

    constructor() ERC20("Reentrant", "REENTER") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(address target_, bytes calldata data_) external {
        target = target_;
        data = data_;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (target != address(0) && from != address(0) && to != address(0)) {
            address callee = target;
            target = address(0);
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory result) = callee.call(data);
            reentered = ok;
            if (!ok) lastRevert = result;
        }
    }
}
