// The history row of each kind of item the node's history holds (parsed by the API's own schema, so the
// items are what the node sends), and the CSV both `gram history --csv` and the web's export write:
// quoting, and cells a spreadsheet would run as formulas, sentence-named and table-driven.
import { describe, expect, it } from "vitest";
import { historyItemSchema } from "../../../protocol/api.ts";
import { csvField, csvLine, HISTORY_CSV_COLUMNS, historyRowOf } from "../../../wallet/history/history-rows.ts";

const ME = "0x1111111111111111111111111111111111111111";
const THEM = "0x2222222222222222222222222222222222222222";
const TOKEN = "0x3333333333333333333333333333333333333333";
const HASH = `0x${"ab".repeat(32)}`;
const where = { block: 7, logIndex: 0, tx: `0x${"cd".repeat(32)}`, confirmed: true, confirmations: 3 };
const item = (value: Record<string, unknown>) => historyItemSchema.parse({ ...value, ...where });

describe("historyRowOf", () => {
  it.each([
    [
      "a transfer out names its recipient",
      { type: "transfer", direction: "out", token: TOKEN, from: ME, to: THEM, value: "2500" },
      { type: "transfer", direction: "out", counterparty: THEM, units: "2500" },
    ],
    [
      "a transfer in names its sender",
      { type: "transfer", direction: "in", token: TOKEN, from: THEM, to: ME, value: "1" },
      { type: "transfer", direction: "in", counterparty: THEM, units: "1" },
    ],
    [
      "an invoice change is its event, on the invoice id",
      { type: "invoice", event: "captured", id: HASH, token: TOKEN, amount: "90" },
      { type: "invoice", direction: "captured", counterparty: HASH, units: "90" },
    ],
    [
      "a withdrawal goes out to its recipient",
      { type: "withdrawal", token: TOKEN, to: THEM, amount: "40", fee: "1" },
      { type: "withdrawal", direction: "out", counterparty: THEM, units: "40" },
    ],
    [
      "an authorization is its state, on its nonce, and moves nothing itself",
      { type: "authorization", state: "canceled", token: TOKEN, nonce: HASH },
      { type: "authorization", direction: "canceled", counterparty: HASH, units: undefined },
    ],
    [
      "a canceled invoice nonce moves nothing",
      { type: "invoice_canceled", nonce: "12" },
      { type: "invoice_canceled", direction: "canceled", counterparty: "12", units: undefined },
    ],
  ])("%s", (_, value, row) => {
    expect(historyRowOf(item(value))).toEqual(row);
  });
});

describe("csvField", () => {
  it.each([
    ["a plain field is as it is", "0xabc", "0xabc"],
    ["a number is its decimal text", 42, "42"],
    ["a comma is quoted", "a,b", '"a,b"'],
    ["a quote is doubled inside quotes", 'say "hi"', '"say ""hi"""'],
    ["a line feed is quoted", "a\nb", '"a\nb"'],
    ["a carriage return is quoted", "a\rb", '"a\rb"'],
    ["= starts a formula: defused", "=HYPERLINK(1)", "'=HYPERLINK(1)"],
    ["+ starts a formula: defused", "+1", "'+1"],
    ["- starts a formula: defused", "-1", "'-1"],
    ["@ starts a formula: defused", "@SUM(A1)", "'@SUM(A1)"],
    ["a tab before a formula: defused", "\t=1", "'\t=1"],
    ["a carriage return before a formula: defused and quoted", "\r=1", '"\'\r=1"'],
    ["a formula with a comma: defused, then quoted", "=1,2", '"\'=1,2"'],
  ])("%s", (_, value, field) => {
    expect(csvField(value)).toBe(field);
  });
});

describe("csvLine", () => {
  it("joins the fields, each through csvField", () => {
    expect(csvLine(["", "transfer", "out", "=cmd", "1.5", "GRAM", "0x1", 7])).toBe(
      ",transfer,out,'=cmd,1.5,GRAM,0x1,7",
    );
  });

  it("the CLI's columns, in their order", () => {
    expect(csvLine(HISTORY_CSV_COLUMNS)).toBe("time,type,direction,counterparty,amount,symbol,tx,block");
  });
});
