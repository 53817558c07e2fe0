// Receive: this account's address (copy, QR) and a payment request link for an amount and a memo,
// encoded by the protocol (`encodeRequestLink`: checksummed, so a changed amount or payee is refused),
// with its QR code, to copy or share. Anyone's wallet opens it at `#/pay/<link>` or by scanning it.
import { useEffect, useState } from "preact/hooks";
import { parseAmount } from "../../../protocol/amounts.ts";
import { encodeRequestLink } from "../../../protocol/links/request-link.ts";
import { type ReadTokenInfoReturnType, readTokenInfo } from "../../../wallet/actions/readTokenInfo.ts";
import type { Session } from "../session.ts";
import { session } from "../session.ts";
import { qrDataUrl } from "./qr.ts";
import "./receive.css";

export function ReceiveScreen() {
  const current = session.value;
  if (current === undefined) return null;
  return <Receive session={current} />;
}

function Receive({ session }: { session: Session }) {
  const [token, setToken] = useState<ReadTokenInfoReturnType | undefined>(undefined);
  const [addressQr, setAddressQr] = useState<string | undefined>(undefined);
  const [amount, setAmount] = useState("");
  const [memo, setMemo] = useState("");
  const [link, setLink] = useState<{ text: string; qr: string } | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    void readTokenInfo(session.client).then(setToken, (failure: Error) => setError(failure.message));
    void qrDataUrl(session.address).then(setAddressQr, (failure: Error) => setError(failure.message));
  }, [session]);

  const create = async () => {
    if (token === undefined) return;
    setError(undefined);
    try {
      const text = encodeRequestLink({
        chainId: session.client.chainId,
        to: session.address,
        token: token.address,
        amount: parseAmount(amount.trim(), token.decimals, { symbol: token.symbol }),
        memo: memo.trim() === "" ? undefined : memo.trim(),
      });
      setLink({ text, qr: await qrDataUrl(text) });
    } catch (failure) {
      setLink(undefined);
      setError((failure as Error).message);
    }
  };

  return (
    <section class="screen receive" aria-labelledby="receive-title">
      <h1 id="receive-title">Receive</h1>
      <article class="card receive-card">
        <h2>Your address</h2>
        <p class="mono receive-address" data-testid="receive-address">
          {session.address}
        </p>
        {addressQr !== undefined && (
          <img
            class="receive-qr"
            src={addressQr}
            alt={`QR code of your address ${session.address}`}
            width={240}
            height={240}
          />
        )}
        <div class="button-row">
          <CopyButton text={session.address} label="Copy address" />
        </div>
        <p class="muted">
          Only send {token?.symbol ?? "tokens"} on chain {session.client.chainId} to this address.
        </p>
      </article>

      <article class="card receive-card">
        <h2>Request a payment</h2>
        <form
          class="receive-form"
          onSubmit={(event) => {
            event.preventDefault();
            void create();
          }}
        >
          <label for="request-amount">Amount{token ? ` (${token.symbol})` : ""}</label>
          <input
            id="request-amount"
            class="receive-input"
            inputMode="decimal"
            autocomplete="off"
            required
            placeholder="0"
            value={amount}
            onInput={(event) => setAmount((event.currentTarget as HTMLInputElement).value)}
          />
          <label for="request-memo">Memo (optional)</label>
          <input
            id="request-memo"
            class="receive-input"
            autocomplete="off"
            maxLength={280}
            value={memo}
            onInput={(event) => setMemo((event.currentTarget as HTMLInputElement).value)}
          />
          <div class="button-row">
            <button type="submit" disabled={token === undefined}>
              Create request link
            </button>
          </div>
        </form>
        {error !== undefined && (
          <p class="notice notice-error" role="alert" data-testid="receive-error">
            {error}
          </p>
        )}
        {link !== undefined && (
          <div class="receive-link" data-testid="request-link">
            <label for="request-link-text">Request link</label>
            <textarea id="request-link-text" class="mono" readOnly rows={3} value={link.text} />
            <img class="receive-qr" src={link.qr} alt="QR code of the request link" width={240} height={240} />
            <div class="button-row">
              <CopyButton text={link.text} label="Copy link" />
              <ShareButton text={link.text} />
            </div>
          </div>
        )}
      </article>
    </section>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<string | undefined>(undefined);
  return (
    <>
      <button
        type="button"
        onClick={() =>
          navigator.clipboard.writeText(text).then(
            () => setDone("Copied"),
            () => setDone("Copy failed: select the text and copy it"),
          )
        }
      >
        {label}
      </button>
      <span class="muted" role="status">
        {done}
      </span>
    </>
  );
}

function ShareButton({ text }: { text: string }) {
  if (typeof navigator.share !== "function") return null;
  return (
    <button
      type="button"
      class="button-quiet"
      onClick={() => void navigator.share({ title: "Gram payment request", text }).catch(() => {})}
    >
      Share
    </button>
  );
}
