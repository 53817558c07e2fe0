// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC3009} from "@openzeppelin/contracts/interfaces/draft-IERC3009.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IMerchantEscrow} from "./interfaces/IMerchantEscrow.sol";

/// @title MerchantEscrow
/// @notice See {IMerchantEscrow}. The owner can pause new payments in an emergency, and nothing else:
/// everything about money already paid in stays open while paused (capture, confirm, void, reclaim,
/// refund, dispute, resolve, withdraw, claim and fee collection), so a pause never traps funds and
/// never lets a deadline pass on someone it blocked. The owner cannot renounce ownership while paused.
contract MerchantEscrow is IMerchantEscrow, EIP712, Ownable2Step, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    bytes32 public constant INVOICE_TYPEHASH = keccak256(
        "Invoice(address merchant,address token,uint256 amount,uint256 maxTip,uint16 cashbackBps,address payer,"
        "uint256 nonce,uint40 payBefore,uint40 captureBefore,uint40 refundBefore,bytes32 ref,bytes32 metadataHash)"
    );
    /// @notice How long the arbiter has to resolve a dispute before the payer may reclaim.
    uint256 public constant DISPUTE_TIMEOUT = 14 days;
    /// @notice The highest withdrawal fee the owner can set: 1%.
    uint256 public constant MAX_WITHDRAW_FEE_BPS = 100;
    /// @notice The gas a transfer to the payer in someone else's operation (cashback, a ruling) may use. A
    /// token's transfer needs far less; a payer contract whose receive hook reverts or burns gas then
    /// costs that operation at most this much, and its money is credited to it instead.
    uint256 public constant PUSH_GAS = 100_000;
    uint256 private constant BPS = 10_000;

    mapping(bytes32 id => Payment) private _payments;
    mapping(bytes32 id => address payer) private _openInvoicePayers;
    mapping(address merchant => mapping(uint256 word => uint256 bits)) private _usedInvoices;
    mapping(address merchant => mapping(address token => uint256)) private _balances;
    mapping(address token => uint256) private _fees;
    mapping(address account => mapping(address token => uint256)) private _credits;
    /// @notice The withdrawal fee in basis points, fixed at deployment (at most `MAX_WITHDRAW_FEE_BPS`),
    /// so that nobody can raise it on merchants who hold a balance.
    uint256 public immutable withdrawFeeBps;
    address public treasury;
    address public arbiter;

    constructor(
        address initialOwner,
        address initialTreasury,
        address initialArbiter,
        uint16 initialWithdrawFeeBps
    ) EIP712("Gram MerchantEscrow", "1") Ownable(initialOwner) {
        if (initialWithdrawFeeBps > MAX_WITHDRAW_FEE_BPS) {
            revert EscrowFeeTooHigh(initialWithdrawFeeBps, MAX_WITHDRAW_FEE_BPS);
        }
        withdrawFeeBps = initialWithdrawFeeBps;
        _setTreasury(initialTreasury);
        _setArbiter(initialArbiter);
    }

    // ---------------------------------------------------------------- paying

    /// @inheritdoc IMerchantEscrow
    function pay(
        Invoice calldata invoice,
        bytes calldata merchantSignature,
        uint256 tip
    ) external nonReentrant whenNotPaused returns (bytes32 id) {
        id = _accept(invoice, merchantSignature, msg.sender, tip);
        _pull(invoice.token, msg.sender, invoice.amount + tip);
        _sendTip(invoice, tip);
    }

    /// @inheritdoc IMerchantEscrow
    function payWithPermit(
        Invoice calldata invoice,
        bytes calldata merchantSignature,
        uint256 tip,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant whenNotPaused returns (bytes32 id) {
        // The invoice and the merchant's signature are checked before the token is called at all.
        id = _accept(invoice, merchantSignature, msg.sender, tip);
        uint256 total = invoice.amount + tip;
        // A permit seen in the mempool can be submitted by someone else first; the allowance it set is
        // then already there, so only a failure that leaves the allowance short is an error.
        try IERC20Permit(invoice.token).permit(msg.sender, address(this), total, deadline, v, r, s) {} catch (
            bytes memory reason
        ) {
            if (IERC20(invoice.token).allowance(msg.sender, address(this)) < total) revert EscrowPermitFailed(reason);
        }
        _pull(invoice.token, msg.sender, total);
        _sendTip(invoice, tip);
    }

    /// @inheritdoc IMerchantEscrow
    function payWithAuthorization(
        Invoice calldata invoice,
        bytes calldata merchantSignature,
        uint256 tip,
        address payer,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant whenNotPaused returns (bytes32 id) {
        id = _accept(invoice, merchantSignature, payer, tip);
        // The authorization's nonce is the invoice id, so it pays this invoice or none.
        uint256 total = invoice.amount + tip;
        uint256 balanceBefore = IERC20(invoice.token).balanceOf(address(this));
        IERC3009(invoice.token).receiveWithAuthorization(
            payer,
            address(this),
            total,
            validAfter,
            validBefore,
            id,
            v,
            r,
            s
        );
        _checkReceived(invoice.token, balanceBefore, total);
        _sendTip(invoice, tip);
    }

    /// @inheritdoc IMerchantEscrow
    function cancelInvoice(uint256 nonce) external {
        _useInvoice(msg.sender, nonce);
        emit InvoiceCanceled(msg.sender, nonce);
    }

    // ---------------------------------------------------------------- after payment

    /// @inheritdoc IMerchantEscrow
    function capture(Invoice calldata invoice, uint256 amount) external nonReentrant {
        // Who and when first: a stranger's call costs no hashing.
        _onlyMerchant(invoice);
        if (block.timestamp >= invoice.captureBefore)
            revert EscrowAfterCaptureDeadline(block.timestamp, invoice.captureBefore);
        bytes32 id = invoiceId(invoice);
        Payment memory payment = _heldPayment(id);
        if (payment.disputedAt != 0) revert EscrowDisputed(id);
        if (amount == 0) revert EscrowZeroAmount();
        if (amount > payment.held) revert EscrowInsufficientHeld(id, payment.held, amount);
        _capture(id, invoice, payment, amount);
    }

    /// @inheritdoc IMerchantEscrow
    function confirm(Invoice calldata invoice) external nonReentrant {
        bytes32 id = invoiceId(invoice);
        _onlyPayer(invoice, id);
        Payment memory payment = _heldPayment(id);
        // Confirming is the payer conceding: it also ends an open dispute.
        payment.disputedAt = 0;
        _capture(id, invoice, payment, payment.held);
    }

    /// @inheritdoc IMerchantEscrow
    function void(Invoice calldata invoice) external nonReentrant {
        _onlyMerchant(invoice);
        bytes32 id = invoiceId(invoice);
        Payment memory payment = _heldPayment(id);
        // Voiding concedes a dispute entirely to the payer, so it stays open while one is.
        uint256 amount = payment.held;
        address payer = _release(id, invoice, payment);
        emit PaymentVoided(id, amount);
        IERC20(invoice.token).safeTransfer(payer, amount);
    }

    /// @inheritdoc IMerchantEscrow
    function reclaim(Invoice calldata invoice) external nonReentrant {
        bytes32 id = invoiceId(invoice);
        address payer = _onlyPayer(invoice, id);
        Payment memory payment = _heldPayment(id);
        // An open dispute leaves the arbiter its whole timeout, however close to captureBefore it was
        // opened: otherwise a dispute just before it would let the payer take everything unruled.
        uint256 reclaimableAt = payment.disputedAt != 0 ? payment.disputedAt + DISPUTE_TIMEOUT : invoice.captureBefore;
        if (block.timestamp < reclaimableAt) revert EscrowBeforeReclaim(block.timestamp, reclaimableAt);
        uint256 amount = payment.held;
        _release(id, invoice, payment);
        emit PaymentReclaimed(id, amount);
        IERC20(invoice.token).safeTransfer(payer, amount);
    }

    /// @inheritdoc IMerchantEscrow
    function refund(Invoice calldata invoice, uint256 amount) external nonReentrant {
        // Who, when and how much first: a stranger's call costs no hashing.
        _onlyMerchant(invoice);
        if (block.timestamp >= invoice.refundBefore)
            revert EscrowAfterRefundDeadline(block.timestamp, invoice.refundBefore);
        if (amount == 0) revert EscrowZeroAmount();
        bytes32 id = invoiceId(invoice);
        Payment memory payment = _payments[id];
        if (amount > payment.refundable) revert EscrowInsufficientRefundable(id, payment.refundable, amount);
        address payer = _payerOf(invoice, id);
        // Cannot underflow: amount <= refundable was checked above.
        unchecked {
            payment.refundable -= uint104(amount);
        }
        _store(id, invoice, payment);
        uint256 balance = _balances[invoice.merchant][invoice.token];
        uint256 fromBalance = amount <= balance ? amount : balance;
        // Cannot underflow: fromBalance <= balance and fromBalance <= amount.
        unchecked {
            _balances[invoice.merchant][invoice.token] = balance - fromBalance;
        }
        emit PaymentRefunded(id, amount);
        if (fromBalance != 0) IERC20(invoice.token).safeTransfer(payer, fromBalance);
        // What the merchant already withdrew comes from its wallet, through its allowance.
        if (fromBalance < amount) {
            // Cannot underflow: fromBalance < amount.
            unchecked {
                IERC20(invoice.token).safeTransferFrom(invoice.merchant, payer, amount - fromBalance);
            }
        }
    }

    /// @inheritdoc IMerchantEscrow
    function dispute(Invoice calldata invoice) external {
        bytes32 id = invoiceId(invoice);
        _onlyPayer(invoice, id);
        if (block.timestamp >= invoice.captureBefore)
            revert EscrowAfterCaptureDeadline(block.timestamp, invoice.captureBefore);
        Payment memory payment = _heldPayment(id);
        if (payment.disputedAt != 0) revert EscrowDisputed(id);
        payment.disputedAt = uint40(block.timestamp);
        _payments[id] = payment;
        emit PaymentDisputed(id);
    }

    /// @inheritdoc IMerchantEscrow
    function resolve(Invoice calldata invoice, uint256 toPayer) external nonReentrant {
        if (msg.sender != arbiter) revert EscrowNotArbiter(msg.sender, arbiter);
        bytes32 id = invoiceId(invoice);
        Payment memory payment = _payments[id];
        if (payment.disputedAt == 0) revert EscrowNotDisputed(id);
        if (toPayer > payment.held) revert EscrowInsufficientHeld(id, payment.held, toPayer);
        // Cannot underflow: toPayer <= held was checked above.
        uint256 toMerchant;
        unchecked {
            toMerchant = payment.held - toPayer;
        }
        uint256 cashback = _cashback(invoice, payment.held, toMerchant);
        address payer = _payerOf(invoice, id);
        payment.disputedAt = 0;
        payment.held = 0;
        // Cannot overflow: refundable + toMerchant <= the invoice amount < 2^104.
        unchecked {
            payment.refundable += uint104(toMerchant - cashback);
            _balances[invoice.merchant][invoice.token] += toMerchant - cashback;
        }
        _store(id, invoice, payment);
        emit DisputeResolved(id, toPayer, toMerchant, cashback);
        // Cannot overflow: both are parts of the held amount.
        unchecked {
            if (toPayer + cashback != 0) _pushToPayer(id, invoice.token, payer, toPayer + cashback);
        }
    }

    /// @inheritdoc IMerchantEscrow
    function withdraw(address token, uint256 amount, address to) external nonReentrant {
        if (to == address(0)) revert EscrowZeroAddress();
        if (amount == 0) revert EscrowZeroAmount();
        uint256 balance = _balances[msg.sender][token];
        if (amount > balance) revert EscrowInsufficientBalance(msg.sender, token, balance, amount);
        // Rounded up, so that no withdrawal at a non-zero rate is free: splitting a balance into dust
        // withdrawals would otherwise avoid the fee. At most 1%, so the fee never exceeds the amount.
        uint256 fee = (amount * withdrawFeeBps + (BPS - 1)) / BPS;
        // Cannot underflow: amount <= balance and fee <= amount. Cannot overflow: fees are part of the
        // escrow's token balance.
        unchecked {
            _balances[msg.sender][token] = balance - amount;
            if (fee != 0) _fees[token] += fee;
        }
        emit MerchantWithdrew(msg.sender, token, to, amount, fee);
        unchecked {
            if (amount != fee) IERC20(token).safeTransfer(to, amount - fee);
        }
    }

    /// @inheritdoc IMerchantEscrow
    function collectFees(address token) external nonReentrant {
        uint256 amount = _fees[token];
        if (amount == 0) revert EscrowZeroAmount();
        _fees[token] = 0;
        emit FeesCollected(token, treasury, amount);
        IERC20(token).safeTransfer(treasury, amount);
    }

    /// @inheritdoc IMerchantEscrow
    function claim(address token, address to) external nonReentrant {
        if (to == address(0)) revert EscrowZeroAddress();
        uint256 amount = _credits[msg.sender][token];
        if (amount == 0) revert EscrowZeroAmount();
        _credits[msg.sender][token] = 0;
        emit CreditClaimed(msg.sender, token, to, amount);
        IERC20(token).safeTransfer(to, amount);
    }

    // ---------------------------------------------------------------- owner

    /// @notice Sets where collected fees go.
    function setTreasury(address newTreasury) external onlyOwner {
        _setTreasury(newTreasury);
    }

    /// @notice Sets who resolves disputes.
    function setArbiter(address newArbiter) external onlyOwner {
        _setArbiter(newArbiter);
    }

    /// @notice Stops new payments; see the contract's notice for what stays open.
    function pause() external onlyOwner {
        _pause();
    }

    /// @notice Lifts the pause.
    function unpause() external onlyOwner {
        _unpause();
    }

    /// @notice Gives up ownership for good (nobody can pause again). Refused while paused: it would stop
    /// new payments forever.
    function renounceOwnership() public override onlyOwner whenNotPaused {
        super.renounceOwnership();
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IMerchantEscrow
    function invoiceId(Invoice calldata invoice) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(INVOICE_TYPEHASH, invoice)));
    }

    /// @inheritdoc IMerchantEscrow
    function paymentOf(bytes32 id) external view returns (Payment memory) {
        return _payments[id];
    }

    /// @inheritdoc IMerchantEscrow
    function openInvoicePayer(bytes32 id) external view returns (address) {
        return _openInvoicePayers[id];
    }

    /// @inheritdoc IMerchantEscrow
    function isInvoiceUsed(address merchant, uint256 nonce) external view returns (bool) {
        return _usedInvoices[merchant][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }

    /// @inheritdoc IMerchantEscrow
    function balanceOf(address merchant, address token) external view returns (uint256) {
        return _balances[merchant][token];
    }

    /// @inheritdoc IMerchantEscrow
    function feesOf(address token) external view returns (uint256) {
        return _fees[token];
    }

    /// @inheritdoc IMerchantEscrow
    function creditOf(address account, address token) external view returns (uint256) {
        return _credits[account][token];
    }

    /// @notice The EIP-712 domain separator invoices are signed under.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ---------------------------------------------------------------- internals

    function _setTreasury(address newTreasury) private {
        if (newTreasury == address(0)) revert EscrowZeroAddress();
        treasury = newTreasury;
        emit TreasuryUpdated(newTreasury);
    }

    function _setArbiter(address newArbiter) private {
        if (newArbiter == address(0)) revert EscrowZeroAddress();
        arbiter = newArbiter;
        emit ArbiterUpdated(newArbiter);
    }

    /// @dev Checks an invoice and its payer, spends the merchant's invoice number and records the
    /// payment. The caller moves the tokens.
    function _accept(
        Invoice calldata invoice,
        bytes calldata merchantSignature,
        address payer,
        uint256 tip
    ) private returns (bytes32 id) {
        if (block.timestamp >= invoice.payBefore) revert EscrowInvoiceExpired(block.timestamp, invoice.payBefore);
        if (invoice.payer != address(0) && invoice.payer != payer) revert EscrowWrongPayer(invoice.payer, payer);
        if (tip > invoice.maxTip) revert EscrowTipTooHigh(tip, invoice.maxTip);
        if (invoice.amount == 0 || invoice.amount > type(uint104).max) revert EscrowInvalidAmount(invoice.amount);
        if (invoice.cashbackBps > BPS) revert EscrowInvalidCashback(invoice.cashbackBps);
        if (invoice.captureBefore < invoice.payBefore || invoice.refundBefore < invoice.captureBefore) {
            revert EscrowInvalidDeadlines(invoice.payBefore, invoice.captureBefore, invoice.refundBefore);
        }
        id = invoiceId(invoice);
        if (!_isMerchantSignature(invoice.merchant, id, merchantSignature))
            revert EscrowInvalidSignature(invoice.merchant);
        _useInvoice(invoice.merchant, invoice.nonce);
        // The spent nonce rules out an earlier payment, so this slot is empty.
        _payments[id] = Payment({held: uint104(invoice.amount), refundable: 0, disputedAt: 0});
        if (invoice.payer == address(0)) _openInvoicePayers[id] = payer;
        emit InvoicePaid(id, invoice.merchant, payer, invoice.token, invoice.amount, tip);
    }

    /// @dev Recovers first and asks an ERC-1271 merchant only when that fails: OpenZeppelin's
    /// `SignatureChecker` reads the signer's code size first, a cold account access (2,600 gas) that
    /// every payment to an EOA merchant would pay for nothing.
    function _isMerchantSignature(address merchant, bytes32 id, bytes calldata signature) private view returns (bool) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(id, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == merchant) return true;
        return
            merchant.code.length != 0 && SignatureChecker.isValidERC1271SignatureNowCalldata(merchant, id, signature);
    }

    function _useInvoice(address merchant, uint256 nonce) private {
        uint256 word = _usedInvoices[merchant][nonce >> 8];
        uint256 bit = 1 << (nonce & 0xff);
        if (word & bit != 0) revert EscrowInvoiceUsed(merchant, nonce);
        _usedInvoices[merchant][nonce >> 8] = word | bit;
    }

    /// @dev Pulls `amount` from `from` and rejects tokens that deliver less (or more).
    function _pull(address token, address from, uint256 amount) private {
        uint256 balanceBefore = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(from, address(this), amount);
        _checkReceived(token, balanceBefore, amount);
    }

    function _checkReceived(address token, uint256 balanceBefore, uint256 expected) private view {
        uint256 balanceAfter = IERC20(token).balanceOf(address(this));
        uint256 received = balanceAfter > balanceBefore ? balanceAfter - balanceBefore : 0;
        if (received != expected) revert EscrowTokenShortfall(token, expected, received);
    }

    function _sendTip(Invoice calldata invoice, uint256 tip) private {
        if (tip != 0) IERC20(invoice.token).safeTransfer(invoice.merchant, tip);
    }

    /// @dev Moves `amount` of the held funds to the merchant, paying the cashback to the payer.
    function _capture(bytes32 id, Invoice calldata invoice, Payment memory payment, uint256 amount) private {
        uint256 cashback = _cashback(invoice, payment.held, amount);
        // Read before the store below, which clears an open invoice's payer once the payment settles.
        address payer = cashback != 0 ? _payerOf(invoice, id) : address(0);
        // Cannot underflow: amount <= held and cashback <= amount. Cannot overflow: held + refundable
        // never exceed the invoice amount (< 2^104), and the merchant's balance is part of the escrow's
        // token balance.
        unchecked {
            payment.held -= uint104(amount);
            payment.refundable += uint104(amount - cashback);
            _balances[invoice.merchant][invoice.token] += amount - cashback;
        }
        _store(id, invoice, payment);
        emit PaymentCaptured(id, amount, cashback);
        if (cashback != 0) _pushToPayer(id, invoice.token, payer, cashback);
    }

    /// @dev The cashback on capturing `amount` of the `held` funds: the cashback of everything captured
    /// so far, this capture included, less the cashback of what was captured before. While anything can
    /// be captured, only captures have lowered `held`, so what was captured before is `invoice.amount - held`.
    /// The captures' shares then add up to the cashback of their total, rounded down once.
    function _cashback(Invoice calldata invoice, uint256 held, uint256 amount) private pure returns (uint256) {
        uint256 bps = invoice.cashbackBps;
        if (bps == 0) return 0;
        // Cannot overflow or underflow: amount <= held <= invoice.amount < 2^104 and bps <= 10,000 were
        // checked, and the floor of a larger product is never smaller.
        unchecked {
            uint256 capturedBefore = invoice.amount - held;
            return ((capturedBefore + amount) * bps) / BPS - (capturedBefore * bps) / BPS;
        }
    }

    /// @dev Sends `amount` to the payer within someone else's operation (the merchant's capture, the
    /// arbiter's ruling), which the payer must not be able to block: a payer contract whose token hook
    /// reverts or burns gas, a token that refuses the payer. The transfer gets `PUSH_GAS`; if it fails,
    /// the amount is credited to the payer, who claims it with `claim`.
    function _pushToPayer(bytes32 id, address token, address payer, uint256 amount) private {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory returned) = token.call{gas: PUSH_GAS}(abi.encodeCall(IERC20.transfer, (payer, amount)));
        // As SafeERC20: true, or nothing from a contract (tokens that return no value).
        if (ok && (returned.length == 0 ? token.code.length != 0 : uint256(bytes32(returned)) == 1)) return;
        // A caller must not turn the payment into a credit by sending too little gas for the stipend (the
        // 63/64 rule): a push that failed with its whole stipend leaves at least 1/63 of it, so less means
        // gas was withheld, and the operation reverts to be sent again with enough.
        if (gasleft() < PUSH_GAS / 63) revert EscrowInsufficientGas();
        // A write after the call, on purpose: only a failed push is credited. Every caller is nonReentrant.
        // solhint-disable-next-line reentrancy
        _credits[payer][token] += amount;
        emit PaymentCredited(id, payer, token, amount);
    }

    /// @dev Empties the held funds (void and reclaim) and returns the payer to pay them back to.
    function _release(bytes32 id, Invoice calldata invoice, Payment memory payment) private returns (address payer) {
        payer = _payerOf(invoice, id);
        payment.held = 0;
        payment.disputedAt = 0;
        _store(id, invoice, payment);
    }

    /// @dev Writes the payment. A settled payment (nothing held, nothing refundable) is all zeros, so
    /// its slot, and an open invoice's payer slot, are cleared and their storage refunded.
    function _store(bytes32 id, Invoice calldata invoice, Payment memory payment) private {
        _payments[id] = payment;
        if (invoice.payer == address(0) && payment.held == 0 && payment.refundable == 0) {
            delete _openInvoicePayers[id];
        }
    }

    function _heldPayment(bytes32 id) private view returns (Payment memory payment) {
        payment = _payments[id];
        if (payment.held == 0) {
            if (payment.refundable == 0) revert EscrowNotPaid(id);
            revert EscrowNothingHeld(id);
        }
    }

    function _onlyMerchant(Invoice calldata invoice) private view {
        if (msg.sender != invoice.merchant) revert EscrowNotMerchant(msg.sender, invoice.merchant);
    }

    function _onlyPayer(Invoice calldata invoice, bytes32 id) private view returns (address payer) {
        payer = _payerOf(invoice, id);
        if (msg.sender != payer) revert EscrowNotPayer(msg.sender, payer);
    }

    function _payerOf(Invoice calldata invoice, bytes32 id) private view returns (address) {
        return invoice.payer != address(0) ? invoice.payer : _openInvoicePayers[id];
    }
}
