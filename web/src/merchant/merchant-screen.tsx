// `#/merchant`: the account's own invoices with their escrow state (this device's invoice store and
// every invoice the node indexed as paid to it), and capture, void, refund and withdraw, each through the
// confirm sheet: amounts read from the chain, then the summary of the exact transaction, then its result.
import { useSignal } from "@preact/signals";
import { useEffect, useMemo } from "preact/hooks";
import { formatAmount } from "../../../protocol/amounts.ts";
import { capturePayment } from "../../../wallet/actions/capturePayment.ts";
import { refundPayment } from "../../../wallet/actions/refundPayment.ts";
import { voidPayment } from "../../../wallet/actions/voidPayment.ts";
import { withdraw } from "../../../wallet/actions/withdraw.ts";
import type { Session } from "../session.ts";
import { session } from "../session.ts";
import { ConfirmSheet, type SheetAction } from "./confirm-sheet.tsx";
import {
  escrowBalanceOf,
  type MerchantInvoice,
  type MerchantView,
  openMerchantFeed,
  paymentOnChain,
  signedInvoiceOf,
} from "./merchant-invoices.ts";
import "../wallet/wallet.css";
import "./merchant.css";

export function MerchantScreen() {
  const current = session.value;
  if (current === undefined) return null;
  return <MerchantOf key={current.address} session={current} />;
}

type Kind = "capture" | "void" | "refund";

function MerchantOf({ session: current }: { session: Session }) {
  const feed = useMemo(() => openMerchantFeed(current), [current]);
  useEffect(() => () => feed.close(), [feed]);
  const sheet = useSignal<SheetAction | undefined>(undefined);
  const preparing = useSignal<string | undefined>(undefined);
  const problem = useSignal<string | undefined>(undefined);
  const view = feed.view.value;

  /** Reads what the chain says now, then opens the sheet. */
  const open = async (key: string, build: () => Promise<SheetAction>) => {
    preparing.value = key;
    problem.value = undefined;
    try {
      sheet.value = await build();
    } catch (failure) {
      problem.value = (failure as Error).message;
    } finally {
      preparing.value = undefined;
    }
  };

  const onInvoice = (item: MerchantInvoice, kind: Kind, shown: MerchantView) =>
    open(`${kind}:${item.id}`, async () => {
      const { token } = shown;
      const invoice = await signedInvoiceOf(current, item);
      const onChain = await paymentOnChain(current, item.id);
      const fmt = (units: bigint) => formatAmount(units, token.decimals);
      const facts = [
        { label: "Invoice", value: item.title ? `${item.title} (${item.id.slice(0, 10)}…)` : item.id },
        { label: "Held by the escrow (chain)", value: `${fmt(onChain.held)} ${token.symbol}`, testId: "fact-held" },
        {
          label: "Refundable (chain)",
          value: `${fmt(onChain.refundable)} ${token.symbol}`,
          testId: "fact-refundable",
        },
      ];
      const client = current.client;
      if (kind === "capture") {
        return {
          verb: "Capture",
          title: "Capture the payment",
          facts,
          amount: { label: "Amount to capture", initial: fmt(onChain.held), symbol: token.symbol },
          run: (amount, confirm) => capturePayment(client, { invoice, amount: amount ?? "", confirm }),
        };
      }
      if (kind === "void") {
        return {
          verb: "Void",
          title: "Void the payment",
          facts,
          run: (_amount, confirm) => voidPayment(client, { invoice, confirm }),
        };
      }
      return {
        verb: "Refund",
        title: "Refund the payer",
        facts,
        amount: { label: "Amount to refund", initial: fmt(onChain.refundable), symbol: token.symbol },
        run: (amount, confirm) => refundPayment(client, { invoice, amount: amount ?? "", confirm }),
      };
    });

  const onWithdraw = (shown: MerchantView) =>
    open("withdraw", async () => {
      const { token } = shown;
      const balance = await escrowBalanceOf(current, token.address);
      const fmt = (units: bigint) => formatAmount(units, token.decimals);
      return {
        verb: "Withdraw",
        title: "Withdraw to this wallet",
        facts: [
          { label: "Escrow balance (chain)", value: `${fmt(balance)} ${token.symbol}`, testId: "fact-balance" },
          { label: "To", value: current.address },
        ],
        amount: { label: "Amount to withdraw", initial: fmt(balance), symbol: token.symbol },
        run: (amount, confirm) => withdraw(current.client, { amount: amount ?? "", confirm }),
      };
    });

  return (
    <section class="screen merchant" aria-labelledby="merchant-title">
      <div class="wallet-head">
        <h1 id="merchant-title">Merchant</h1>
        <output class={`live live-${feed.live.value}`} data-testid="merchant-stream" data-state={feed.live.value}>
          <span class="status-dot" aria-hidden="true" />
          {feed.live.value === "live"
            ? "Live"
            : feed.live.value === "lost"
              ? "Live updates lost, reconnecting"
              : "Connecting…"}
        </output>
      </div>
      <p>
        <a href="#/wallet">Back to the wallet</a>
      </p>
      {feed.error.value !== undefined && (
        <p class="error" role="alert">
          {feed.error.value}
        </p>
      )}
      {problem.value !== undefined && (
        <p class="error" role="alert" data-testid="merchant-error">
          {problem.value}
        </p>
      )}
      {view === undefined ? (
        <p class="muted">Reading your invoices…</p>
      ) : (
        <>
          <section class="card" aria-labelledby="escrow-title">
            <h2 id="escrow-title">Escrow balance</h2>
            <p class="balance-main" data-testid="escrow-balance" data-units={view.escrowBalance.chain.toString()}>
              {formatAmount(view.escrowBalance.chain, view.token.decimals)} {view.token.symbol}
            </p>
            <p class="muted balance-source">
              On the chain; the node's index says {formatAmount(view.escrowBalance.node, view.token.decimals)}{" "}
              {view.token.symbol}. Captured payments wait here until you withdraw them.
            </p>
            <button
              type="button"
              data-testid="withdraw"
              disabled={view.escrowBalance.chain === 0n || preparing.value !== undefined}
              onClick={() => void onWithdraw(view)}
            >
              Withdraw
            </button>
          </section>
          <section class="card" aria-labelledby="invoices-title">
            <h2 id="invoices-title">Your invoices</h2>
            <p class="muted">
              Created on this device, and every invoice the node has seen paid to you (states from the node's index;
              each action reads the chain first).
            </p>
            {view.invoices.length === 0 ? (
              <p class="muted">No invoices yet.</p>
            ) : (
              <ul class="invoice-list" data-testid="invoices">
                {view.invoices.map((item) => (
                  <InvoiceLine
                    key={item.id}
                    item={item}
                    view={view}
                    busy={preparing.value}
                    act={(kind) => void onInvoice(item, kind, view)}
                  />
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      {sheet.value !== undefined && (
        <ConfirmSheet
          action={sheet.value}
          onClose={(changed) => {
            sheet.value = undefined;
            if (changed) void feed.refresh();
          }}
        />
      )}
    </section>
  );
}

function InvoiceLine({
  item,
  view,
  busy,
  act,
}: {
  item: MerchantInvoice;
  view: MerchantView;
  busy: string | undefined;
  act: (kind: Kind) => void;
}) {
  const { token } = view;
  const fmt = (units: bigint) => `${formatAmount(units, token.decimals)} ${token.symbol}`;
  const disputed = item.state === "disputed";
  const canHold = item.held > 0n;
  const name = item.title ?? `Invoice ${item.id.slice(0, 10)}…`;
  return (
    <li class="invoice-row" data-testid="invoice" data-id={item.id} data-state={item.state}>
      <div class="invoice-main">
        <span class="invoice-title">{name}</span>
        <span class={`badge badge-${item.state.replace(" ", "-")}`} data-testid="invoice-state">
          {item.state}
        </span>
      </div>
      <p class="muted invoice-amounts">
        {fmt(item.amount)}
        {item.node !== undefined && BigInt(item.node.tip) > 0n && ` + ${fmt(BigInt(item.node.tip))} tip`}
        {" · "}held {fmt(item.held)}
        {item.refundable > 0n && ` · refundable ${fmt(item.refundable)}`}
        {item.node !== undefined && (item.node.confirmed ? " · confirmed" : " · pending")}
      </p>
      <p class="mono invoice-id">{item.id}</p>
      {(canHold || item.refundable > 0n) && (
        <div class="button-row">
          {canHold && !disputed && (
            <button type="button" disabled={busy !== undefined} data-testid="capture" onClick={() => act("capture")}>
              Capture
            </button>
          )}
          {canHold && (
            <button
              type="button"
              class="button-quiet"
              disabled={busy !== undefined}
              data-testid="void"
              onClick={() => act("void")}
            >
              Void
            </button>
          )}
          {item.refundable > 0n && (
            <button
              type="button"
              class="button-quiet"
              disabled={busy !== undefined}
              data-testid="refund"
              onClick={() => act("refund")}
            >
              Refund
            </button>
          )}
        </div>
      )}
    </li>
  );
}
