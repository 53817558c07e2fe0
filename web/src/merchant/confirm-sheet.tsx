// The merchant's confirm sheet: an amount where the action takes one, then the summary decoded from the
// exact transaction about to be signed (the wallet's `describeTransaction`, through the action's
// `confirm`), Sign or Cancel, then the transaction's result from its receipt. Nothing is signed before
// Sign; Cancel refuses in the action itself (nothing was signed).
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { Hash } from "viem";
import type { Confirm, SentTransaction } from "../../../wallet/actions/internal/submitTransaction.ts";
import { RejectedError } from "../../../wallet/errors.ts";
import type { TransactionSummary } from "../../../wallet/summary/types.ts";
import { session } from "../session.ts";

export interface SheetFact {
  label: string;
  value: string;
  testId?: string;
}

export interface SheetAction {
  /** "Capture", "Void", "Refund", "Withdraw". */
  verb: string;
  title: string;
  /** Read from the chain before anything is asked. */
  facts: SheetFact[];
  /** When the action takes an amount: its label and the amount offered (whole tokens, exact). */
  amount?: { label: string; initial: string; symbol: string } | undefined;
  run(amount: string | undefined, confirm: Confirm): Promise<SentTransaction>;
}

type Step =
  | { step: "input" }
  | { step: "preparing" }
  | { step: "review"; summary: TransactionSummary; answer: (yes: boolean) => void }
  | { step: "sending"; summary: TransactionSummary }
  | { step: "done"; hash: Hash; status: "success" | "reverted"; block: bigint; summary: TransactionSummary }
  | { step: "error"; message: string };

export function ConfirmSheet({ action, onClose }: { action: SheetAction; onClose: (changed: boolean) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const state = useSignal<Step>({ step: "input" });
  const amount = useSignal(action.amount?.initial ?? "");
  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const start = async () => {
    const client = session.value?.client;
    if (client === undefined) return;
    state.value = { step: "preparing" };
    let shown: TransactionSummary | undefined;
    try {
      const sent = await action.run(action.amount === undefined ? undefined : amount.value.trim(), (summary) => {
        shown = summary;
        return new Promise<boolean>((resolve) => {
          state.value = { step: "review", summary, answer: resolve };
        });
      });
      state.value = { step: "sending", summary: sent.summary };
      const receipt = await client.publicClient.waitForTransactionReceipt({ hash: sent.hash, pollingInterval: 250 });
      state.value = {
        step: "done",
        hash: sent.hash,
        status: receipt.status,
        block: receipt.blockNumber,
        summary: sent.summary,
      };
    } catch (failure) {
      if (failure instanceof RejectedError && shown !== undefined) {
        close(false);
        return;
      }
      state.value = { step: "error", message: (failure as Error).message };
    }
  };

  const close = (changed: boolean) => {
    const current = state.value;
    if (current.step === "review") current.answer(false);
    dialog.current?.close();
    onClose(changed);
  };

  const current = state.value;
  return (
    <dialog
      ref={dialog}
      class="sheet"
      aria-labelledby="sheet-title"
      data-testid="confirm-sheet"
      data-step={current.step}
      onCancel={(event) => {
        event.preventDefault();
        if (current.step !== "sending" && current.step !== "preparing") close(current.step === "done");
      }}
    >
      <h2 id="sheet-title">{action.title}</h2>
      <dl class="fields">
        {action.facts.map((fact) => (
          <div class="field" key={fact.label} data-testid={fact.testId}>
            <dt>{fact.label}</dt>
            <dd>{fact.value}</dd>
          </div>
        ))}
      </dl>
      {current.step === "input" && (
        <form
          class="sheet-form"
          onSubmit={(event) => {
            event.preventDefault();
            void start();
          }}
        >
          {action.amount !== undefined && (
            <label>
              {action.amount.label} ({action.amount.symbol})
              <input
                name="amount"
                inputMode="decimal"
                autoComplete="off"
                value={amount.value}
                onInput={(event) => {
                  amount.value = event.currentTarget.value;
                }}
              />
            </label>
          )}
          <div class="button-row">
            <button type="submit" data-testid="sheet-review">
              Review
            </button>
            <button type="button" class="button-quiet" onClick={() => close(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {current.step === "preparing" && <p class="muted">Preparing the transaction…</p>}
      {(current.step === "review" || current.step === "sending" || current.step === "done") && (
        <SummaryView summary={current.summary} />
      )}
      {current.step === "review" && (
        <div class="button-row">
          <button type="button" data-testid="sheet-sign" onClick={() => current.answer(true)}>
            Sign and send: {action.verb}
          </button>
          <button type="button" class="button-quiet" onClick={() => close(false)}>
            Cancel
          </button>
        </div>
      )}
      {current.step === "sending" && (
        <p class="muted" role="status">
          Sent; waiting for the chain…
        </p>
      )}
      {current.step === "done" && (
        <>
          <p
            class={current.status === "success" ? "notice notice-ok" : "notice notice-error"}
            role="status"
            data-testid="sheet-result"
            data-status={current.status}
          >
            {current.status === "success"
              ? `${action.verb}: confirmed in block ${current.block}`
              : `${action.verb}: the transaction reverted in block ${current.block}; nothing moved`}
            <br />
            <span class="mono">{current.hash}</span>
          </p>
          <div class="button-row">
            <button type="button" data-testid="sheet-close" onClick={() => close(true)}>
              Done
            </button>
          </div>
        </>
      )}
      {current.step === "error" && (
        <>
          <p class="error" role="alert" data-testid="sheet-error">
            {current.message}
          </p>
          <div class="button-row">
            <button type="button" class="button-quiet" onClick={() => close(false)}>
              Close
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}

const ACTIONS: Partial<Record<TransactionSummary["action"], string>> = {
  capture: "Capture held funds",
  void: "Void: return everything held to the payer",
  refund: "Refund to the payer",
  withdraw: "Withdraw from the escrow",
};

/** What is about to be signed, as decoded from the transaction's bytes. */
export function SummaryView({ summary }: { summary: TransactionSummary }) {
  const rows: SheetFact[] = [
    { label: "Action", value: ACTIONS[summary.action] ?? summary.action, testId: "summary-action" },
    {
      label: "Contract",
      value: `${summary.contract}${summary.knownContract ? ` (Gram ${summary.knownContract})` : " (not a Gram contract)"}`,
    },
  ];
  if (summary.amount !== undefined) {
    rows.push({
      label: "Amount",
      value: `${summary.amount.formatted} ${summary.token?.symbol ?? ""}`.trim(),
      testId: "summary-amount",
    });
  }
  if (summary.recipient !== undefined)
    rows.push({ label: "To", value: summary.recipient, testId: "summary-recipient" });
  if (summary.invoiceId !== undefined) rows.push({ label: "Invoice", value: summary.invoiceId });
  if (summary.fee !== undefined) {
    rows.push({ label: "Network fee, at most", value: `${summary.fee.max.formatted} ${summary.fee.symbol}` });
  }
  rows.push({ label: "Chain", value: `${summary.chainName ?? "chain"} ${summary.chainId}` });
  return (
    <section class="summary" aria-label="What you sign" data-testid="summary" data-action={summary.action}>
      <h3>What you sign</h3>
      <dl class="fields">
        {rows.map((row) => (
          <div class="field" key={row.label} data-testid={row.testId}>
            <dt>{row.label}</dt>
            <dd class={row.label === "Contract" || row.label === "To" || row.label === "Invoice" ? "mono" : undefined}>
              {row.value}
            </dd>
          </div>
        ))}
      </dl>
      {summary.notes.length > 0 && (
        <ul class="summary-notes">
          {summary.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
