// `#/wallet`: the account's balance (the node's pending and confirmed views, and the chain's own
// figure), its history newest first with @names and memos where known, paged, a CSV export, and the
// Send button that opens the pay sheet. Live through the node's `/v1/stream`; a lost stream shows.
import { useEffect, useMemo } from "preact/hooks";
import { formatAmount } from "../../../protocol/amounts.ts";
import { openPaySheet } from "../pay/pay-intent.ts";
import type { Session } from "../session.ts";
import { session } from "../session.ts";
import { type HistoryRow, openAccountFeed } from "./account-feed.ts";
import { downloadText, historyCsv, statusOf } from "./history-csv.ts";
import "./wallet.css";

export function WalletScreen() {
  const current = session.value;
  if (current === undefined) return null;
  return <WalletOf key={current.address} session={current} />;
}

function WalletOf({ session: current }: { session: Session }) {
  const feed = useMemo(() => openAccountFeed(current), [current]);
  useEffect(() => () => feed.close(), [feed]);
  const view = feed.view.value;
  const stream = feed.stream.value;
  const fmt = (units: bigint) => (view ? `${formatAmount(units, view.token.decimals)} ${view.token.symbol}` : "");

  return (
    <section class="screen wallet" aria-labelledby="wallet-title">
      <div class="wallet-head">
        <h1 id="wallet-title">Wallet</h1>
        <output class={`live live-${stream}`} data-testid="stream-state" data-state={stream}>
          <span class="status-dot" aria-hidden="true" />
          {stream === "live"
            ? "Live"
            : stream === "connecting"
              ? "Connecting to live updates…"
              : `Live updates lost, reconnecting${feed.streamReason.value ? ` (${feed.streamReason.value})` : ""}`}
        </output>
      </div>
      {feed.error.value !== undefined && (
        <p class="error" role="alert">
          {feed.error.value}
        </p>
      )}
      {view === undefined ? (
        <p class="muted">Reading the balance…</p>
      ) : (
        <section class="card balance" aria-labelledby="balance-title">
          <h2 id="balance-title">Balance</h2>
          <p class="balance-main" data-testid="chain-balance" data-units={view.chain.balance.toString()}>
            {fmt(view.chain.balance)}
          </p>
          <p class="muted balance-source">On the chain at block {view.chain.block.toString()}</p>
          <dl class="fields balance-node">
            <div class="field" data-testid="node-confirmed" data-units={view.node.confirmed.toString()}>
              <dt>Confirmed (node)</dt>
              <dd>{fmt(view.node.confirmed)}</dd>
            </div>
            <div
              class="field"
              data-testid="node-pending"
              data-units={(view.node.balance - view.node.confirmed).toString()}
            >
              <dt>Pending (node)</dt>
              <dd>{fmt(view.node.balance - view.node.confirmed)}</dd>
            </div>
          </dl>
          <p class="muted balance-source">
            The node's figures are its index (block {view.node.block ?? "—"}, confirmed to block{" "}
            {view.node.confirmedBlock ?? "—"}); the chain's figure is the one that counts.
          </p>
          <div class="button-row">
            <button type="button" class="button" data-testid="send" onClick={() => openPaySheet({ kind: "send" })}>
              Send
            </button>
            <a class="button-link" href="#/merchant" data-testid="merchant-link">
              Merchant: invoices and escrow
            </a>
          </div>
        </section>
      )}
      {view !== undefined && (
        <section class="card history" aria-labelledby="history-title">
          <div class="history-head">
            <h2 id="history-title">History</h2>
            <button
              type="button"
              class="button-quiet"
              data-testid="export-csv"
              disabled={view.rows.length === 0}
              onClick={() =>
                downloadText(`gram-history-${current.address.slice(0, 10).toLowerCase()}.csv`, historyCsv(view.rows))
              }
            >
              Export CSV
            </button>
          </div>
          <p class="muted">From the node's index, newest first.</p>
          {view.rows.length === 0 ? (
            <p class="muted">No transfers yet.</p>
          ) : (
            <ol class="history-list" data-testid="history">
              {view.rows.map((row) => (
                <HistoryLine key={row.key} row={row} />
              ))}
            </ol>
          )}
          {view.cursor !== null && (
            <button
              type="button"
              class="button-quiet"
              data-testid="load-older"
              disabled={feed.loadingOlder.value}
              onClick={() => void feed.loadOlder()}
            >
              {feed.loadingOlder.value ? "Loading…" : "Load older"}
            </button>
          )}
        </section>
      )}
    </section>
  );
}

const DIRECTION: Record<string, string> = { in: "Received", out: "Sent" };

function HistoryLine({ row }: { row: HistoryRow }) {
  const title =
    row.type === "transfer"
      ? (DIRECTION[row.direction] ?? row.direction)
      : row.type === "invoice"
        ? `Invoice ${row.direction}`
        : row.type === "withdrawal"
          ? "Escrow withdrawal"
          : row.type === "authorization"
            ? `Authorization ${row.direction}`
            : "Invoice number canceled";
  const sign = row.units === undefined ? "" : row.direction === "in" ? "+" : row.direction === "out" ? "−" : "";
  return (
    <li
      class="history-row"
      data-testid="history-row"
      data-tx={row.tx}
      data-type={row.type}
      data-direction={row.direction}
    >
      <div class="history-main">
        <span class="history-title">{title}</span>
        {row.units !== undefined && (
          <span
            class={`history-amount history-${row.direction}`}
            data-testid="row-amount"
            data-units={row.units.toString()}
          >
            {sign}
            {row.amount} {row.symbol}
          </span>
        )}
      </div>
      <div class="history-who">
        {row.name !== undefined && (
          <span class="history-name" data-testid="row-name">
            {row.name}
          </span>
        )}
        <span class="mono history-party" title={row.counterparty}>
          {row.counterparty}
        </span>
      </div>
      {row.memo !== undefined && (
        <p class="history-memo" data-testid="row-memo">
          {row.memo}
        </p>
      )}
      <p class="muted history-status" data-testid="row-status" data-confirmed={String(row.confirmed)}>
        {statusOf(row)} · block {row.block}
      </p>
    </li>
  );
}
