// One row of an account's history for people to read, from an item of the node's history (`GET
// /v1/accounts/:address/history`), shared by `gram history` and the web app's wallet screen, and its CSV
// (`gram history --csv`, the web's export): the same columns, the same quoting, the same defence against
// spreadsheet formulas.
import type { HistoryItem } from "../../protocol/api.ts";

/** What every reader of the node's history shows of an item, before amounts get the token's decimals. */
export interface HistoryRowFields {
  type: HistoryItem["type"];
  /** in, out, or the invoice event (paid, captured, …), the authorization's state, "canceled". */
  direction: string;
  /** The other side: an address, or an invoice id / nonce. */
  counterparty: string;
  /** Base units as the node gives them; undefined for entries that move nothing themselves. */
  units: string | undefined;
}

/** The row of one item of the node's history. */
export function historyRowOf(item: HistoryItem): HistoryRowFields {
  switch (item.type) {
    case "transfer":
      return {
        type: item.type,
        direction: item.direction,
        counterparty: item.direction === "out" ? item.to : item.from,
        units: item.value,
      };
    case "invoice":
      return { type: item.type, direction: item.event, counterparty: item.id, units: item.amount };
    case "withdrawal":
      return { type: item.type, direction: "out", counterparty: item.to, units: item.amount };
    // No amount of their own (a used authorization's transfer is its own row).
    case "authorization":
      return { type: item.type, direction: item.state, counterparty: item.nonce, units: undefined };
    case "invoice_canceled":
      return { type: item.type, direction: "canceled", counterparty: item.nonce, units: undefined };
  }
}

/** The columns of `gram history --csv`; the web app's export adds its own after them. */
export const HISTORY_CSV_COLUMNS = ["time", "type", "direction", "counterparty", "amount", "symbol", "tx", "block"];

/**
 * One CSV field. Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return before
 * one) as a formula: such a cell is prefixed with a quote mark. A field holding a comma, a quote or a
 * line break is quoted, its quotes doubled.
 */
export function csvField(value: string | number): string {
  const text = String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line of `fields`, each through `csvField`. */
export function csvLine(fields: readonly (string | number)[]): string {
  return fields.map(csvField).join(",");
}
