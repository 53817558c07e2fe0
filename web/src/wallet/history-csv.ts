// The history as CSV: the CLI's columns (`gram history --csv`: time, type, direction, counterparty,
// amount, symbol, tx, block), then what the app knows besides (name, memo, status). Amounts are exact
// decimal strings from base units. Fields are quoted when they hold a comma, a quote or a line break,
// and a cell a spreadsheet would run as a formula (= + - @, or a tab or carriage return first) is
// prefixed with a quote mark, as the CLI does.
import type { HistoryRow } from "./account-feed.ts";

export const CSV_HEADER = [
  "time",
  "type",
  "direction",
  "counterparty",
  "amount",
  "symbol",
  "tx",
  "block",
  "name",
  "memo",
  "status",
];

export function historyCsv(rows: readonly HistoryRow[]): string {
  const lines = rows.map((row) =>
    [
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
    ]
      .map(csvField)
      .join(","),
  );
  return `${[CSV_HEADER.join(","), ...lines].join("\r\n")}\r\n`;
}

export function statusOf(row: Pick<HistoryRow, "confirmed" | "confirmations">): string {
  return row.confirmed
    ? "confirmed"
    : `pending (${row.confirmations} confirmation${row.confirmations === 1 ? "" : "s"})`;
}

export function csvField(value: string | number): string {
  const text = String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
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
