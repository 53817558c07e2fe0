// The words of each invoice vocabulary are wire format: the node's API and the hub's status frames send
// them, wallets parse them. Pinned here, and each schema shown to take its own vocabulary and no other.
import { describe, expect, it } from "vitest";
import { historyItemSchema, invoiceResponseSchema } from "../../protocol/api.ts";
import { statusUpdateSchema } from "../../protocol/chat/frames.ts";
import {
  INVOICE_CHAIN_STATUSES,
  INVOICE_CHANGES,
  INVOICE_RECORD_STATUSES,
  STATUS_UPDATE_STATES,
} from "../../protocol/invoice-state.ts";

const HASH = `0x${"ab".repeat(32)}`;
const ADDRESS = `0x${"12".repeat(20)}`;
const where = { block: 7, logIndex: 0, tx: HASH, confirmations: 1, confirmed: false };
const invoice = (status: string) => ({
  id: HASH,
  status,
  merchant: ADDRESS,
  payer: ADDRESS,
  token: ADDRESS,
  symbol: "GRAM",
  decimals: 9,
  amount: "5",
  tip: "0",
  held: "5",
  captured: "0",
  cashback: "0",
  refunded: "0",
  disputed: false,
  resolved: false,
  voided: false,
  reclaimed: false,
  paidBlock: 7,
  paidTx: HASH,
  updatedBlock: 7,
  confirmations: 1,
  confirmed: false,
});
const history = (event: string) => ({ type: "invoice", event, id: HASH, token: ADDRESS, amount: "5", ...where });
const status = (state: string, reverts?: string) => ({
  state,
  ...(reverts === undefined ? {} : { reverts }),
  tx: HASH,
  block: 7,
  blockHash: HASH,
  logIndex: 0,
  contract: ADDRESS,
});

describe("the invoice vocabularies", () => {
  it("keep the strings on the wire (docs/API.md, docs/CHAT.md)", () => {
    expect(INVOICE_CHANGES.join(" ")).toBe("paid captured refunded voided reclaimed disputed resolved");
    expect(INVOICE_RECORD_STATUSES.join(" ")).toBe(
      "paid partially_captured disputed captured refunded voided reclaimed",
    );
    expect(INVOICE_CHAIN_STATUSES.join(" ")).toBe("open expired held disputed captured closed");
    expect(STATUS_UPDATE_STATES).toEqual([...INVOICE_CHANGES, "transfer", "reverted"]);
  });

  it("an invoice's `status` from the node is a record status, never a wallet's chain status", () => {
    for (const word of INVOICE_RECORD_STATUSES)
      expect(invoiceResponseSchema.safeParse(invoice(word)).success).toBe(true);
    for (const word of ["open", "expired", "held", "closed"]) {
      expect(invoiceResponseSchema.safeParse(invoice(word)).success, word).toBe(false);
    }
  });

  it("a history entry's `event` is an invoice change, never a status", () => {
    for (const word of INVOICE_CHANGES) expect(historyItemSchema.safeParse(history(word)).success).toBe(true);
    for (const word of ["partially_captured", "held", "transfer", "reverted"]) {
      expect(historyItemSchema.safeParse(history(word)).success, word).toBe(false);
    }
  });

  it("a chat status's `state` is an invoice change, a transfer or a revert, which reverts any of the others", () => {
    for (const word of STATUS_UPDATE_STATES) expect(statusUpdateSchema.safeParse(status(word)).success).toBe(true);
    for (const word of ["partially_captured", "held", "closed"]) {
      expect(statusUpdateSchema.safeParse(status(word)).success, word).toBe(false);
    }
    for (const word of [...INVOICE_CHANGES, "transfer"]) {
      expect(statusUpdateSchema.safeParse(status("reverted", word)).success, word).toBe(true);
    }
    expect(statusUpdateSchema.safeParse(status("reverted", "reverted")).success).toBe(false);
  });
});
