// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title Gram merchant escrow
/// @notice Telegram-Payments-style invoices paid on-chain. A merchant signs an `Invoice` (EIP-712); a
/// buyer pays it once, with an optional tip; the escrow holds the amount until the merchant captures
/// it (partially, repeatedly), the buyer confirms it, the merchant voids it, or the buyer reclaims it
/// after `captureBefore`. Captured funds accrue to the merchant's balance, from which the merchant
/// refunds (until `refundBefore`) and withdraws (minus a capped fee). A buyer may dispute held funds;
/// the arbiter splits them, and a silent arbiter lets the buyer reclaim. What the escrow owes a payer
/// in the middle of someone else's operation (cashback on a capture, its share of a ruling) is sent at
/// once, or credited for the payer to claim when the payer's side refuses it.
/// @dev Operations after payment take the invoice itself and recompute its id, as the Commerce
/// Payments Protocol takes its `PaymentInfo`: a payment then needs one storage slot, not four.
interface IMerchantEscrow {
    /// @notice What a merchant signs. `id = EIP-712 digest` of it under the escrow's domain.
    /// @param merchant Signs the invoice (EOA or ERC-1271) and receives the captured funds.
    /// @param token The ERC-20 paid; any token that delivers exactly what is transferred.
    /// @param amount Held in escrow at payment, in the token's base units (at most 2^104 - 1).
    /// @param maxTip The largest tip the payer may add; the tip goes straight to the merchant.
    /// @param cashbackBps Share of the captured amount paid back to the payer, in basis points: each capture
    /// pays the cashback of everything captured so far less what was already paid, so partial captures add
    /// up to the cashback of their total (rounded down once, not once per capture).
    /// @param payer The only account that may pay, or zero for whoever pays first.
    /// @param nonce The merchant's invoice number: each (merchant, nonce) is paid or canceled at most
    /// once. Sequential nonces share storage words (256 per word) and keep payments cheap.
    /// @param payBefore Payment must happen before this timestamp.
    /// @param captureBefore The merchant captures before it; from it on, the payer may reclaim (unless a
    /// dispute is open: then the arbiter has its full `DISPUTE_TIMEOUT` first).
    /// @param refundBefore The merchant refunds before it.
    /// @param ref The chat or order reference (opaque to the escrow).
    /// @param metadataHash Hash of the off-chain title and items the payer was shown.
    struct Invoice {
        address merchant;
        address token;
        uint256 amount;
        uint256 maxTip;
        uint16 cashbackBps;
        address payer;
        uint256 nonce;
        uint40 payBefore;
        uint40 captureBefore;
        uint40 refundBefore;
        bytes32 ref;
        bytes32 metadataHash;
    }

    /// @notice The live state of a paid invoice, one storage slot. All zero once nothing is held and
    /// nothing is refundable: the slot is cleared, and the spent nonce keeps the invoice from being
    /// paid again.
    /// @param held Paid in, neither captured nor returned yet.
    /// @param refundable Captured to the merchant (net of cashback) and not refunded yet.
    /// @param disputedAt When the payer opened a dispute over the held funds; zero when none is open.
    struct Payment {
        uint104 held;
        uint104 refundable;
        uint40 disputedAt;
    }

    // ---------------------------------------------------------------- events

    /// @notice `payer` paid invoice `id`: `amount` is held, `tip` went to the merchant.
    event InvoicePaid(
        bytes32 indexed id,
        address indexed merchant,
        address indexed payer,
        address token,
        uint256 amount,
        uint256 tip
    );
    /// @notice The merchant canceled its unpaid invoice number `nonce`.
    event InvoiceCanceled(address indexed merchant, uint256 indexed nonce);
    /// @notice `amount` of the held funds went to the merchant's balance, less `cashback` to the payer.
    event PaymentCaptured(bytes32 indexed id, uint256 amount, uint256 cashback);
    /// @notice The merchant returned everything held (`amount`) to the payer.
    event PaymentVoided(bytes32 indexed id, uint256 amount);
    /// @notice The payer took back everything held (`amount`).
    event PaymentReclaimed(bytes32 indexed id, uint256 amount);
    /// @notice The merchant refunded `amount` of captured funds to the payer.
    event PaymentRefunded(bytes32 indexed id, uint256 amount);
    /// @notice The payer disputed the held funds; capture and reclaim wait for the arbiter.
    event PaymentDisputed(bytes32 indexed id);
    /// @notice The arbiter split the held funds: `toPayer` back, `toMerchant` captured, of which
    /// `cashback` went to the payer too.
    event DisputeResolved(bytes32 indexed id, uint256 toPayer, uint256 toMerchant, uint256 cashback);
    /// @notice `merchant` withdrew `amount` of `token` to `to`; `fee` of it went to the fee pot.
    event MerchantWithdrew(address indexed merchant, address indexed token, address to, uint256 amount, uint256 fee);
    /// @notice `amount` owed to `payer` on invoice `id` (cashback, or its share of a ruling) could not be
    /// sent, because the token or the payer refused it, and was credited to `payer` to claim instead.
    event PaymentCredited(bytes32 indexed id, address indexed payer, address token, uint256 amount);
    /// @notice `account` claimed its whole credit in `token` (`amount`), sent to `to`.
    event CreditClaimed(address indexed account, address indexed token, address to, uint256 amount);
    /// @notice The fees accrued in `token` were sent to `treasury`.
    event FeesCollected(address indexed token, address indexed treasury, uint256 amount);
    /// @notice The treasury changed.
    event TreasuryUpdated(address treasury);
    /// @notice The arbiter changed.
    event ArbiterUpdated(address arbiter);

    // ---------------------------------------------------------------- errors

    /// @notice The invoice can no longer be paid.
    error EscrowInvoiceExpired(uint256 timestamp, uint256 payBefore);
    /// @notice Deadlines must satisfy payBefore <= captureBefore <= refundBefore.
    error EscrowInvalidDeadlines(uint256 payBefore, uint256 captureBefore, uint256 refundBefore);
    /// @notice The amount must be between 1 and 2^104 - 1 base units.
    error EscrowInvalidAmount(uint256 amount);
    /// @notice Cashback cannot exceed 10,000 basis points.
    error EscrowInvalidCashback(uint256 cashbackBps);
    /// @notice The tip exceeds what the merchant allowed.
    error EscrowTipTooHigh(uint256 tip, uint256 maxTip);
    /// @notice The merchant's signature over the invoice is not valid.
    error EscrowInvalidSignature(address merchant);
    /// @notice The invoice names another payer.
    error EscrowWrongPayer(address expected, address actual);
    /// @notice The merchant's invoice number was already paid or canceled.
    error EscrowInvoiceUsed(address merchant, uint256 nonce);
    /// @notice The token delivered another amount than was transferred (fee-on-transfer tokens).
    error EscrowTokenShortfall(address token, uint256 expected, uint256 received);
    /// @notice A permit failed and the allowance does not cover the payment; `reason` is the token's error.
    error EscrowPermitFailed(bytes reason);
    /// @notice Only the invoice's merchant may do this.
    error EscrowNotMerchant(address caller, address merchant);
    /// @notice Only the invoice's payer may do this.
    error EscrowNotPayer(address caller, address payer);
    /// @notice Only the arbiter may do this.
    error EscrowNotArbiter(address caller, address arbiter);
    /// @notice Nothing is held or refundable for this invoice: never paid, or fully settled.
    error EscrowNotPaid(bytes32 id);
    /// @notice The invoice was paid but nothing of it is held any more (captured or returned).
    error EscrowNothingHeld(bytes32 id);
    /// @notice Amounts of operations must be positive.
    error EscrowZeroAmount();
    /// @notice Fewer funds are held than requested.
    error EscrowInsufficientHeld(bytes32 id, uint256 held, uint256 requested);
    /// @notice Less is refundable than requested.
    error EscrowInsufficientRefundable(bytes32 id, uint256 refundable, uint256 requested);
    /// @notice The merchant's balance is lower than requested.
    error EscrowInsufficientBalance(address merchant, address token, uint256 balance, uint256 requested);
    /// @notice Capturing and disputing end at captureBefore.
    error EscrowAfterCaptureDeadline(uint256 timestamp, uint256 captureBefore);
    /// @notice Reclaiming starts at captureBefore or, while a dispute is open, once it has waited out the arbiter.
    error EscrowBeforeReclaim(uint256 timestamp, uint256 reclaimableAt);
    /// @notice Refunds end at refundBefore.
    error EscrowAfterRefundDeadline(uint256 timestamp, uint256 refundBefore);
    /// @notice The held funds are disputed; only the arbiter, the merchant's void or the payer's confirm settle them.
    error EscrowDisputed(bytes32 id);
    /// @notice There is no open dispute.
    error EscrowNotDisputed(bytes32 id);
    /// @notice The withdrawal fee is capped.
    error EscrowFeeTooHigh(uint256 feeBps, uint256 maxFeeBps);
    /// @notice The address must not be zero.
    error EscrowZeroAddress();
    /// @notice A push to the payer failed with less gas than its stipend (`PUSH_GAS`): the transaction
    /// was sent with too little gas, which must not turn a payment into a credit. Send it with more.
    error EscrowInsufficientGas();

    // ---------------------------------------------------------------- paying

    /// @notice Pays `invoice` from the caller's allowance: `amount` is held, `tip` goes to the merchant.
    /// @return id The invoice id.
    function pay(Invoice calldata invoice, bytes calldata merchantSignature, uint256 tip) external returns (bytes32 id);

    /// @notice Like `pay`, setting the allowance with the token's EIP-2612 permit first. A permit
    /// already spent (front-run) is fine as long as the allowance covers the payment.
    function payWithPermit(
        Invoice calldata invoice,
        bytes calldata merchantSignature,
        uint256 tip,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (bytes32 id);

    /// @notice Pays `invoice` with the payer's ERC-3009 `ReceiveWithAuthorization` for `amount + tip`
    /// to this escrow, whose nonce must be the invoice id: anyone (the node's relayer) may submit it,
    /// and nobody can redirect the authorization to another invoice or front-run it.
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
    ) external returns (bytes32 id);

    /// @notice Cancels the caller's unpaid invoice number `nonce`, so that no link to it can be paid.
    function cancelInvoice(uint256 nonce) external;

    // ---------------------------------------------------------------- after payment

    /// @notice Merchant: moves `amount` of the held funds to its balance (cashback to the payer). Open
    /// while paused: a pause never lets `captureBefore` pass on a merchant who could not capture.
    function capture(Invoice calldata invoice, uint256 amount) external;

    /// @notice Payer: releases everything held to the merchant, as a capture.
    function confirm(Invoice calldata invoice) external;

    /// @notice Merchant: returns everything held to the payer.
    function void(Invoice calldata invoice) external;

    /// @notice Payer: takes back everything held, from captureBefore on; while a dispute is open, only once
    /// it has gone unanswered for `DISPUTE_TIMEOUT` (however close to captureBefore it was opened).
    function reclaim(Invoice calldata invoice) external;

    /// @notice Merchant: returns `amount` of captured funds to the payer, from its balance and, for any
    /// shortfall, from its wallet through an allowance.
    function refund(Invoice calldata invoice, uint256 amount) external;

    /// @notice Payer: disputes the held funds before captureBefore; capture and reclaim wait for the arbiter.
    function dispute(Invoice calldata invoice) external;

    /// @notice Arbiter: returns `toPayer` of the held funds and captures the rest for the merchant. What
    /// the payer gets (`toPayer` and the cashback) is credited to it if sending it fails.
    function resolve(Invoice calldata invoice, uint256 toPayer) external;

    /// @notice Merchant: pays `amount` of its balance in `token` out to `to`, less the withdrawal fee,
    /// rounded up: a non-zero withdrawal at a non-zero rate always pays at least one base unit of fee.
    function withdraw(address token, uint256 amount, address to) external;

    /// @notice Sends the fees accrued in `token` to the treasury. Anyone may call it.
    function collectFees(address token) external;

    /// @notice Sends the caller's whole credit in `token` (see `PaymentCredited`) to `to`, with no fee.
    function claim(address token, address to) external;

    // ---------------------------------------------------------------- views

    /// @notice The id of `invoice`: its EIP-712 digest under this escrow's domain (chain id and address).
    function invoiceId(Invoice calldata invoice) external view returns (bytes32);

    /// @notice The live state of invoice `id` (all zero when never paid or fully settled).
    function paymentOf(bytes32 id) external view returns (Payment memory);

    /// @notice Who paid invoice `id` when the invoice named no payer; zero otherwise.
    function openInvoicePayer(bytes32 id) external view returns (address);

    /// @notice Whether `merchant`'s invoice number `nonce` was paid or canceled.
    function isInvoiceUsed(address merchant, uint256 nonce) external view returns (bool);

    /// @notice `merchant`'s withdrawable balance in `token`.
    function balanceOf(address merchant, address token) external view returns (uint256);

    /// @notice Withdrawal fees accrued in `token` and not yet collected.
    function feesOf(address token) external view returns (uint256);

    /// @notice What `account` may claim in `token`: payments to it that could not be sent.
    function creditOf(address account, address token) external view returns (uint256);
}
