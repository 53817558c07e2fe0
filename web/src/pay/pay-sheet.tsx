// The pay sheet: a modal dialog over any screen (the browser's own <dialog>: focus stays inside, Escape
// closes it). Step 1, the form: recipient, amount, memo, tip for an invoice, direct or gasless. Step 2,
// the summary the wallet decoded from the exact transaction or typed data it is about to sign (its
// action's `confirm`), with the warnings the CLI gives; a blocking one disables Sign. Step 3, sent: the
// transaction, pending, then the chain's verdict. On any error nothing moves and the library's message
// is shown.
import { useEffect, useRef, useState } from "preact/hooks";
import { formatAmount } from "../../../protocol/amounts.ts";
import { type ReadTokenInfoReturnType, readTokenInfo } from "../../../wallet/actions/readTokenInfo.ts";
import { RejectedError } from "../../../wallet/errors.ts";
import type { TransactionSummary } from "../../../wallet/summary/types.ts";
import type { Session } from "../session.ts";
import {
  type Payable,
  type PayForm,
  type Prepared,
  payableOf,
  preparePayment,
  type Sent,
  sendPayment,
  suggestedTips,
  tokenOf,
  waitForPayment,
} from "./pay-flow.ts";
import { closePaySheet, type PayIntent } from "./pay-intent.ts";
import "./pay.css";
import { Field } from "../field.tsx";
import { ItemsTable } from "../items-table.tsx";

type Step =
  | { step: "loading" }
  | { step: "refused"; message: string }
  | { step: "form"; error?: string | undefined }
  | { step: "checking" }
  | { step: "review"; prepared: Prepared; summary: TransactionSummary | undefined; count: number }
  | { step: "signing"; prepared: Prepared }
  | {
      step: "sent";
      prepared: Prepared;
      summary: TransactionSummary | undefined;
      sent: Sent;
      state: "pending" | "confirmed" | "failed";
      detail?: string | undefined;
    }
  | { step: "error"; message: string; prepared: Prepared | undefined };

const ACTIONS: Partial<Record<TransactionSummary["action"], string>> = {
  transfer: "Token transfer",
  gaslessTransfer: "Gasless transfer (signed authorization; the relayer pays the gas)",
  approve: "Approval for the escrow",
  pay: "Invoice payment (held by the escrow)",
  payWithPermit: "Invoice payment with a permit (held by the escrow)",
  payWithAuthorization: "Gasless invoice payment (signed authorization; held by the escrow)",
};

export function PaySheet({ intent, session }: { intent: PayIntent; session: Session }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [step, setStep] = useState<Step>({ step: "loading" });
  const [payable, setPayable] = useState<Payable | undefined>(undefined);
  const [token, setToken] = useState<ReadTokenInfoReturnType | undefined>(undefined);
  const [form, setForm] = useState<PayForm>({
    to: intent.kind === "send" ? (intent.to ?? "") : "",
    amount: "",
    memo: intent.kind === "send" ? (intent.memo ?? "") : "",
    tip: "0",
    gasless: false,
  });
  // The action waiting on the summary step: Sign resolves it true, Back or closing false.
  const pending = useRef<((ok: boolean) => void) | undefined>(undefined);
  const declined = useRef(false);

  useEffect(() => {
    dialog.current?.showModal();
    let live = true;
    (async () => {
      try {
        const found = await payableOf(session, intent);
        const info = await readTokenInfo(session.client, { token: tokenOf(session, found) });
        if (!live) return;
        setPayable(found);
        setToken(info);
        if (intent.kind === "send" && intent.amount !== undefined) {
          setForm((old) => ({ ...old, amount: formatAmount(intent.amount as bigint, info.decimals) }));
        }
        setStep({ step: "form" });
      } catch (error) {
        if (live) setStep({ step: "refused", message: messageOf(error) });
      }
    })();
    return () => {
      live = false;
      pending.current?.(false);
    };
  }, []);

  const close = () => {
    declined.current = true;
    pending.current?.(false);
    pending.current = undefined;
    dialog.current?.close();
    closePaySheet();
  };

  const review = async () => {
    if (payable === undefined) return;
    setStep({ step: "checking" });
    let prepared: Prepared;
    try {
      prepared = await preparePayment(session, payable, form);
    } catch (error) {
      setStep({ step: "form", error: messageOf(error) });
      return;
    }
    if (prepared.unsignable) {
      setStep({ step: "review", prepared, summary: undefined, count: 0 });
      return;
    }
    let count = 0;
    let last: TransactionSummary | undefined;
    declined.current = false;
    const confirm = (summary: TransactionSummary) =>
      new Promise<boolean>((resolve) => {
        count += 1;
        last = summary;
        pending.current = resolve;
        setStep({ step: "review", prepared, summary, count });
      });
    try {
      const sent = await sendPayment(session, prepared, confirm);
      setStep({ step: "sent", prepared, summary: last, sent, state: "pending" });
      try {
        const { blockNumber } = await waitForPayment(session, sent);
        setStep({ step: "sent", prepared, summary: last, sent, state: "confirmed", detail: `block ${blockNumber}` });
      } catch (error) {
        setStep({ step: "sent", prepared, summary: last, sent, state: "failed", detail: messageOf(error) });
      }
    } catch (error) {
      if (declined.current && error instanceof RejectedError) {
        declined.current = false;
        return;
      }
      setStep({ step: "error", message: messageOf(error), prepared });
    } finally {
      pending.current = undefined;
    }
  };

  const sign = () => {
    const resolve = pending.current;
    if (resolve === undefined || step.step !== "review") return;
    pending.current = undefined;
    setStep({ step: "signing", prepared: step.prepared });
    resolve(true);
  };

  const back = () => {
    const resolve = pending.current;
    pending.current = undefined;
    if (resolve !== undefined) {
      declined.current = true;
      resolve(false);
    }
    setStep({ step: "form" });
  };

  return (
    <dialog
      ref={dialog}
      class="pay-sheet"
      aria-labelledby="pay-title"
      data-testid="pay-sheet"
      data-step={step.step}
      onCancel={(event) => {
        event.preventDefault();
        close();
      }}
    >
      <header class="pay-head">
        <h2 id="pay-title">{titleOf(step, payable)}</h2>
        <button type="button" class="button-quiet" onClick={close}>
          Close
        </button>
      </header>
      {step.step === "loading" && <p class="muted">Reading the payment…</p>}
      {step.step === "refused" && (
        <div class="card card-refused" data-testid="pay-refused" role="alert">
          <p class="pay-message">{step.message}</p>
        </div>
      )}
      {(step.step === "form" || step.step === "checking") && payable !== undefined && token !== undefined && (
        <PayFormView
          session={session}
          payable={payable}
          token={token}
          form={form}
          setForm={setForm}
          busy={step.step === "checking"}
          error={step.step === "form" ? step.error : undefined}
          onSubmit={() => void review()}
        />
      )}
      {step.step === "review" && <Review session={session} step={step} onSign={sign} onBack={back} />}
      {step.step === "signing" && (
        <p class="muted" aria-live="polite">
          Signing and sending…
        </p>
      )}
      {step.step === "sent" && <Result session={session} step={step} onClose={close} />}
      {step.step === "error" && (
        <div>
          {step.prepared !== undefined && <Warnings prepared={step.prepared} />}
          <div class="card card-refused" data-testid="pay-error" role="alert">
            <h3>Not paid</h3>
            <p class="pay-message">{step.message}</p>
            <p class="muted">Nothing was sent.</p>
          </div>
          <div class="button-row pay-actions">
            <button type="button" onClick={back}>
              Back
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}

function titleOf(step: Step, payable: Payable | undefined): string {
  if (step.step === "review") return "Check and sign";
  if (step.step === "sent")
    return step.state === "confirmed" ? "Paid" : step.state === "failed" ? "Not confirmed" : "Sent";
  if (step.step === "refused") return "Refused";
  if (payable?.kind === "invoice") return payable.metadata?.title ?? "Pay an invoice";
  if (payable?.kind === "request-card") return "Pay a request";
  if (payable?.kind === "transfer" && payable.link !== undefined) return "Pay a link";
  return "Send";
}

function PayFormView({
  session,
  payable,
  token,
  form,
  setForm,
  busy,
  error,
  onSubmit,
}: {
  session: Session;
  payable: Payable;
  token: ReadTokenInfoReturnType;
  form: PayForm;
  setForm: (update: (old: PayForm) => PayForm) => void;
  busy: boolean;
  error: string | undefined;
  onSubmit: () => void;
}) {
  const units = (value: bigint) => `${formatAmount(value, token.decimals)} ${token.symbol}`;
  const set = (key: keyof PayForm) => (event: Event) => {
    const target = event.currentTarget as HTMLInputElement;
    const value = target.type === "checkbox" ? target.checked : target.value;
    setForm((old) => ({ ...old, [key]: value }));
  };
  return (
    <form
      class="pay-form"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {payable.kind === "transfer" && payable.link === undefined && payable.chatWith === undefined && (
        <div class="pay-field">
          <label for="pay-to">To</label>
          <input
            id="pay-to"
            name="to"
            autocomplete="off"
            spellcheck={false}
            required
            placeholder="@name or 0x…"
            value={form.to}
            onInput={set("to")}
          />
        </div>
      )}
      {payable.kind === "transfer" && payable.chatWith !== undefined && (
        <Field name="To" value={session.names.known(payable.chatWith)} mono />
      )}
      {payable.kind === "transfer" && payable.link !== undefined && (
        <dl class="fields">
          <Field name="Pay to" value={payable.to} mono />
          {payable.amount !== undefined && <Field name="Amount" value={units(payable.amount)} />}
          {payable.memo !== undefined && <Field name="Memo" value={payable.memo} />}
          {payable.link.expiry !== undefined && (
            <Field name="Pay before" value={new Date(payable.link.expiry * 1000).toLocaleString()} />
          )}
        </dl>
      )}
      {payable.kind === "transfer" && payable.amount === undefined && (
        <div class="pay-field">
          <label for="pay-amount">Amount ({token.symbol})</label>
          <input
            id="pay-amount"
            name="amount"
            inputMode="decimal"
            autocomplete="off"
            required
            placeholder="0"
            value={form.amount}
            onInput={set("amount")}
          />
        </div>
      )}
      {payable.kind === "transfer" && payable.link === undefined && (
        <div class="pay-field">
          <label for="pay-memo">Memo (optional, shown in the chat)</label>
          <input id="pay-memo" name="memo" autocomplete="off" maxLength={280} value={form.memo} onInput={set("memo")} />
        </div>
      )}
      {payable.kind === "request-card" && (
        <dl class="fields">
          <Field name="Pay to" value={session.names.known(payable.card.payee)} mono />
          <Field name="Amount" value={units(payable.card.amount)} />
          {payable.card.memo !== undefined && <Field name="Memo" value={payable.card.memo} />}
          <Field name="Pay before" value={new Date(payable.card.expiry * 1000).toLocaleString()} />
        </dl>
      )}
      {payable.kind === "invoice" && (
        <InvoiceFields session={session} payable={payable} units={units} form={form} setForm={setForm} />
      )}
      {session.relayer !== undefined && (
        <label class="pay-check">
          <input type="checkbox" name="gasless" checked={form.gasless} onChange={set("gasless")} />
          Gasless: sign an authorization; the node's relayer pays the gas
        </label>
      )}
      {error !== undefined && (
        <p class="notice notice-error pay-message" role="alert" data-testid="pay-form-error">
          {error}
        </p>
      )}
      <div class="button-row pay-actions">
        <button type="submit" disabled={busy}>
          {busy ? "Checking…" : "Review"}
        </button>
      </div>
    </form>
  );
}

function InvoiceFields({
  session,
  payable,
  units,
  form,
  setForm,
}: {
  session: Session;
  payable: Extract<Payable, { kind: "invoice" }>;
  units: (value: bigint) => string;
  form: PayForm;
  setForm: (update: (old: PayForm) => PayForm) => void;
}) {
  const { invoice, metadata } = payable;
  const tips = suggestedTips(invoice.amount, invoice.maxTip);
  const [custom, setCustom] = useState(false);
  // "1.35 GRAM" → "1.35": the tip as the wallet parses it.
  const plain = (text: string) => text.split(" ")[0] ?? text;
  return (
    <>
      <dl class="fields">
        <Field name="Merchant" value={session.names.known(invoice.merchant)} mono />
        <Field name="Amount" value={units(invoice.amount)} testid="pay-invoice-amount" />
        {invoice.cashbackBps > 0 && <Field name="Cashback" value={`${invoice.cashbackBps / 100}% back on capture`} />}
        {metadata?.memo !== undefined && <Field name="Memo" value={metadata.memo} />}
        <Field name="Pay before" value={new Date(invoice.payBefore * 1000).toLocaleString()} />
      </dl>
      {metadata !== undefined && <ItemsTable items={metadata.items} />}
      {invoice.maxTip > 0n && (
        <fieldset class="pay-tips">
          <legend>Tip (up to {units(invoice.maxTip)})</legend>
          <div class="pay-tip-options">
            {tips.map((tip) => {
              const text = plain(units(tip));
              return (
                <label key={String(tip)} class="pay-tip">
                  <input
                    type="radio"
                    name="tip"
                    value={text}
                    checked={!custom && form.tip === text}
                    onChange={() => {
                      setCustom(false);
                      setForm((old) => ({ ...old, tip: text }));
                    }}
                  />
                  {tip === 0n ? "No tip" : units(tip)}
                </label>
              );
            })}
            <label class="pay-tip">
              <input type="radio" name="tip" value="custom" checked={custom} onChange={() => setCustom(true)} />
              Other
            </label>
          </div>
          {custom && (
            <div class="pay-field">
              <label for="pay-tip-custom">Tip amount</label>
              <input
                id="pay-tip-custom"
                inputMode="decimal"
                autocomplete="off"
                value={form.tip}
                onInput={(event) => {
                  const value = (event.currentTarget as HTMLInputElement).value;
                  setForm((old) => ({ ...old, tip: value }));
                }}
              />
            </div>
          )}
        </fieldset>
      )}
    </>
  );
}

function Review({
  session,
  step,
  onSign,
  onBack,
}: {
  session: Session;
  step: Extract<Step, { step: "review" }>;
  onSign: () => void;
  onBack: () => void;
}) {
  const { prepared, summary, count } = step;
  return (
    <div class="pay-review">
      <Warnings prepared={prepared} />
      {summary === undefined ? (
        <p class="notice notice-error" data-testid="pay-unsignable">
          Nothing can be signed for this payment.
        </p>
      ) : (
        <SummaryView session={session} summary={summary} count={count} />
      )}
      <div class="button-row pay-actions">
        {summary !== undefined && (
          <button type="button" data-testid="pay-sign" disabled={prepared.blocked} onClick={onSign}>
            {summary.kind === "signature" ? "Sign" : "Sign and send"}
          </button>
        )}
        <button type="button" class="button-quiet" onClick={onBack}>
          Back
        </button>
      </div>
      {prepared.blocked && summary !== undefined && (
        <p class="muted">Sign is disabled: a warning above blocks this payment.</p>
      )}
    </div>
  );
}

function Warnings({ prepared }: { prepared: Prepared }) {
  if (prepared.warnings.length === 0) return null;
  return (
    <div class="pay-warnings" role={prepared.blocked ? "alert" : "status"}>
      {prepared.warnings.map((warning) => (
        <p
          key={warning.code + warning.message}
          class={`notice ${warning.level === "block" ? "notice-error" : "notice-warning"}`}
          data-testid="pay-warning"
          data-level={warning.level}
          data-code={warning.code}
        >
          <strong>{warning.level === "block" ? "Blocked: " : "Note: "}</strong>
          {warning.message}
        </p>
      ))}
    </div>
  );
}

function SummaryView({ session, summary, count }: { session: Session; summary: TransactionSummary; count: number }) {
  const symbol = summary.token?.symbol ?? "ETH";
  const wrongChain = summary.chainId !== session.client.chainId;
  return (
    <section class="card pay-summary" aria-labelledby="pay-summary-title" data-testid="pay-summary">
      <h3 id="pay-summary-title">
        {summary.kind === "signature" ? "You are signing" : "You are sending a transaction"}
        {count > 1 ? ` (step ${count})` : ""}
      </h3>
      <dl class="fields">
        <Field name="Action" value={ACTIONS[summary.action] ?? summary.action} testid="summary-action" />
        {summary.recipient !== undefined && (
          <Field
            name="Recipient"
            value={`${labelOf(session, summary.recipient)}${labelOf(session, summary.recipient) === summary.recipient ? "" : ` ${summary.recipient}`}`}
            mono
            testid="summary-recipient"
          />
        )}
        {summary.amount !== undefined && (
          <Field name="Amount" value={`${summary.amount.formatted} ${symbol}`} testid="summary-amount" />
        )}
        {summary.tip !== undefined && summary.action !== "signInvoice" && (
          <Field name="Tip" value={`${summary.tip.formatted} ${symbol}`} testid="summary-tip" />
        )}
        <Field
          name="Network fee"
          value={
            summary.fee === undefined
              ? "none: the relayer pays it"
              : `at most ${summary.fee.max.formatted} ${summary.fee.symbol}`
          }
        />
        <Field
          name="Chain"
          value={`${summary.chainId}${summary.chainName ? ` (${summary.chainName})` : ""}${wrongChain ? " — not this wallet's chain" : ""}`}
          testid="summary-chain"
        />
        <Field
          name={summary.kind === "signature" ? "Verifying contract" : "Contract"}
          value={`${summary.contract}${summary.knownContract ? ` (Gram ${summary.knownContract})` : ""}`}
          mono
        />
        {summary.invoiceId !== undefined && <Field name="Invoice id" value={summary.invoiceId} mono />}
        {summary.expiry !== undefined && (
          <Field name="Valid until" value={new Date(summary.expiry * 1000).toLocaleString()} />
        )}
      </dl>
      {summary.notes.length > 0 && (
        <ul class="pay-notes">
          {summary.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Result({
  session,
  step,
  onClose,
}: {
  session: Session;
  step: Extract<Step, { step: "sent" }>;
  onClose: () => void;
}) {
  const { prepared, sent, state, detail } = step;
  const tip = prepared.payable.kind === "invoice" && prepared.tip !== "0" ? ` + ${prepared.tip} tip` : "";
  return (
    <div class="pay-result" aria-live="polite">
      <p>
        {prepared.amount} {prepared.token.symbol}
        {tip} to {labelOf(session, prepared.recipient)}
        {prepared.relayer !== undefined ? " (gasless)" : ""}
      </p>
      <dl class="fields">
        <Field name="Transaction" value={sent.hash} mono testid="result-hash" />
      </dl>
      <p
        class={`pay-status pay-status-${state}`}
        data-testid="result-status"
        data-state={state}
        role={state === "failed" ? "alert" : "status"}
      >
        {state === "pending" && "Pending: waiting for the chain…"}
        {state === "confirmed" && `Confirmed in ${detail}`}
        {state === "failed" && `NOT CONFIRMED: ${detail}`}
      </p>
      <div class="button-row pay-actions">
        <button type="button" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}

function labelOf(session: Session, address: `0x${string}`): string {
  return session.names.known(address);
}

/** The library's message (its details and hint included), for any error. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
