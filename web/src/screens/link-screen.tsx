// The link screen: paste a `gram:` or `ethereum:` link (or open `#/pay/<link>`) and see what it asks,
// decoded and described by the wallet library; a link that does not check out is refused with the
// protocol's own message.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { chain, loadChain } from "../chain.ts";
import { describeLink, type LinkView } from "../describe-link.ts";
import { Field } from "../field.tsx";
import { ItemsTable } from "../items-table.tsx";
import { openPaySheet } from "../pay/pay-intent.ts";
import { navigate } from "../router.ts";
import { session } from "../session.ts";

type Result =
  | { state: "idle" }
  | { state: "busy" }
  | { state: "shown"; view: LinkView }
  | { state: "refused"; message: string };

export function LinkScreen({ link }: { link: string }) {
  const text = useSignal(link);
  const result = useSignal<Result>({ state: "idle" });

  const open = async (value: string) => {
    if (value.trim() === "") {
      result.value = { state: "idle" };
      return;
    }
    result.value = { state: "busy" };
    try {
      const view = await describeLink(value, await loadChain());
      result.value = { state: "shown", view };
    } catch (error) {
      result.value = { state: "refused", message: (error as Error).message };
    }
  };

  // `#/pay/<link>`: opened as soon as the screen shows, and again when the route's link changes.
  useEffect(() => {
    text.value = link;
    void open(link);
  }, [link]);

  return (
    <section class="screen" aria-labelledby="link-title">
      <h1 id="link-title">Open a payment link</h1>
      <form
        class="link-form"
        onSubmit={(event) => {
          event.preventDefault();
          const value = text.value.trim();
          // The route carries the link: back and forward, and a reload, show it again.
          if (value !== "") navigate(`/pay/${value}`);
          void open(value);
        }}
      >
        <label for="link-input">A gram: or ethereum: link</label>
        <textarea
          id="link-input"
          name="link"
          rows={3}
          spellcheck={false}
          autocomplete="off"
          placeholder="gram:invoice/… or ethereum:0x…"
          value={text.value}
          onInput={(event) => {
            text.value = (event.currentTarget as HTMLTextAreaElement).value;
          }}
        />
        <button type="submit">Open</button>
      </form>
      {chain.value.state === "error" && (
        <p class="notice notice-error" role="alert">
          The chain could not be read: {chain.value.error.message}
        </p>
      )}
      <div aria-live="polite">
        <LinkResult result={result.value} />
      </div>
      {result.value.state === "shown" && <PayButton link={text.value.trim()} />}
    </section>
  );
}

/** Pay what the link asks: the pay sheet for a signed-in tab; signing in first otherwise. */
function PayButton({ link }: { link: string }) {
  if (session.value === undefined) {
    return (
      <p class="button-row link-pay">
        <a href="#/">Sign in to pay this</a>
      </p>
    );
  }
  return (
    <div class="button-row link-pay">
      <button type="button" data-testid="link-pay" onClick={() => openPaySheet({ kind: "link", link })}>
        Pay
      </button>
    </div>
  );
}

function LinkResult({ result }: { result: Result }) {
  if (result.state === "idle") return null;
  if (result.state === "busy") return <p class="muted">Reading the link…</p>;
  if (result.state === "refused") {
    return (
      <div class="card card-refused" data-testid="link-refused">
        <h2>Refused</h2>
        <p>{result.message}</p>
      </div>
    );
  }
  const { view } = result;
  const what = { invoice: "Invoice", request: "Payment request", eip681: "Payment link (EIP-681)" }[view.kind];
  return (
    <article class="card" data-testid="link-view" data-kind={view.kind}>
      <h2>{view.invoice?.title ?? what}</h2>
      <dl class="fields">
        <Field name="Kind" value={what} />
        <Field name="Amount" value={view.amount ?? "chosen by you"} testid="amount" />
        <Field name={view.kind === "invoice" ? "Merchant" : "Pay to"} value={view.to} mono testid="to" />
        {view.invoice?.maxTip !== undefined && <Field name="Tip" value={`up to ${view.invoice.maxTip}`} testid="tip" />}
        {view.invoice !== undefined && view.invoice.cashbackPercent > 0 && (
          <Field name="Cashback" value={`${view.invoice.cashbackPercent}%`} />
        )}
        {view.invoice?.payer !== undefined && <Field name="Only payer" value={view.invoice.payer} mono />}
        {view.memo !== undefined && <Field name="Memo" value={view.memo} />}
        {view.expiry !== undefined && (
          <Field name="Pay before" value={new Date(view.expiry * 1000).toLocaleString()} testid="expiry" />
        )}
        {view.invoice !== undefined && <Field name="Invoice id" value={view.invoice.id} mono />}
      </dl>
      {view.invoice !== undefined && <ItemsTable items={view.invoice.items} />}
      {view.warnings.map((warning) => (
        <p class="notice notice-warning" key={warning}>
          {warning}
        </p>
      ))}
    </article>
  );
}
