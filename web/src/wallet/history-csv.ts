// The history as CSV: the CLI's columns (`gram history --csv`: time, type, direction, counterparty,
// amount, symbol, tx, block), then what the app knows besides (name, memo, status). Amounts are exact
// decimal strings from base units. Fields are quoted when they hold a comma, a quote or a line break,
// and a cell a spreadsheet would run as a formula (= + - @, or a tab or carriage return first) is
// prefixed with a quote mark: the wallet's `csvLine`, as the CLI writes it.
import { csvLine, HISTORY_CSV_COLUMNS } from "../../../wallet/history/history-rows.ts";
import type { HistoryRow } from "./account-feed.ts";

export const CSV_HEADER = [...HISTORY_CSV_COLUMNS, "name", "memo", "status"];

export function historyCsv(rows: readonly HistoryRow[]): string {
  const lines = rows.map((row) =>
    csvLine([
      // The node's history carries blocks, not times (as the CLI's node path: empty).
      "",
      row.type,
      row.direction,
      row.counterparty,
      row.amount,
      row.symbol,
      row.tx,
      row.block,
      row.name ?? "",
      row.memo ?? "",
      statusOf(row),
    ]),
  );
  return `${[CSV_HEADER.join(","), ...lines].join("\r\n")}\r\n`;
}

export function statusOf(row: Pick<HistoryRow, "confirmed" | "confirmations">): string {
  return row.confirmed
    ? "confirmed"
    : `pending (${row.confirmations} confirmation${row.confirmations === 1 ? "" : "s"})`;
}

/** Starts a download of `text` as `name` through a Blob URL, revoked once the click has used it. */
export function downloadText(name: string, text: string, type = "text/csv;charset=utf-8") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
