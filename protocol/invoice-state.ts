// The words for an invoice's state, kept in one place because the same word means different things in
// different places: in a history entry or a chat status, `captured` is one capture (the escrow may still
// hold the rest), while in the node's status it means nothing is held any more; `refunded` is one refund,
// or everything captured refunded; `paid` is the payment, or a paid invoice nothing was captured from yet.
// So each vocabulary has a name of its own. The strings are part of the wire format (docs/API.md,
// docs/CHAT.md): they never change, whichever name they are listed under.

/**
 * What one escrow event did to a paid invoice: an invoice history entry's `event` (the node's
 * `/v1/accounts/:address/history`) and the `state` of a chat status about an invoice.
 */
export const INVOICE_CHANGES = ["paid", "captured", "refunded", "voided", "reclaimed", "disputed", "resolved"] as const;
export type InvoiceChange = (typeof INVOICE_CHANGES)[number];

/**
 * Where a paid invoice stands in the node's index, from all its events so far (`invoiceStatus` of
 * `node/store/records.ts`): the `status` of `/v1/invoices/:id` and the filter of a merchant's invoices.
 * `paid`: all held; `partially_captured`: some captured, the rest held; `disputed`: held, a dispute
 * open; `captured`: nothing held, some captured; `refunded`: everything captured was refunded;
 * `reclaimed`: nothing captured, the payer took it all back; `voided`: nothing captured, all returned
 * otherwise (voided by the merchant, or a dispute ruled wholly for the payer).
 */
export const INVOICE_RECORD_STATUSES = [
  "paid",
  "partially_captured",
  "disputed",
  "captured",
  "refunded",
  "voided",
  "reclaimed",
] as const;
export type InvoiceRecordStatus = (typeof INVOICE_RECORD_STATUSES)[number];

/**
 * Where an invoice stands on-chain as the wallet reads the escrow (`readInvoiceState`), paid or not.
 * `open`: can be paid; `expired`: was not paid before payBefore; `held`: paid, funds in escrow;
 * `disputed`: held and disputed; `captured`: nothing held, some refundable; `closed`: its number is
 * spent and nothing remains (settled, or canceled by the merchant).
 */
export const INVOICE_CHAIN_STATUSES = ["open", "expired", "held", "disputed", "captured", "closed"] as const;
export type InvoiceChainStatus = (typeof INVOICE_CHAIN_STATUSES)[number];

/**
 * What a chat `status` frame tells (its `state`): a change of an invoice, a `transfer` between two
 * addresses, or `reverted` when a reorg removed one of those (its `reverts` says which).
 */
export const STATUS_UPDATE_STATES = [...INVOICE_CHANGES, "transfer", "reverted"] as const;
export type StatusUpdateState = (typeof STATUS_UPDATE_STATES)[number];
