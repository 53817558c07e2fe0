// The wallet screen's data: the account's balance and history from the node's API (indexed, fast,
// with pending and confirmed views), kept live by `/v1/stream` (reconnecting with a backoff; a lost
// stream shows), and the balance read from the chain itself at each change: the chain is the truth for
// money, the node's figures are labelled as the node's. Memos come from what the wallet already knows:
// payment messages of the chat (kept only once the chain confirmed them) and the invoice store.
import { signal } from "@preact/signals";
import type { Address, Hex } from "viem";
import { formatAmount } from "../../../protocol/amounts.ts";
import type { HistoryItem } from "../../../protocol/api.ts";
import { parseEnvelopeValue } from "../../../protocol/chat/envelope.ts";
import { readBalance } from "../../../wallet/actions/readBalance.ts";
import { type ReadTokenInfoReturnType, readTokenInfo } from "../../../wallet/actions/readTokenInfo.ts";
import { type HistoryRowFields, historyRowOf } from "../../../wallet/history/history-rows.ts";
import { allInvoices } from "../../../wallet/invoices/stored-invoices.ts";
import { createNodeClient, type NodeClient } from "../../../wallet/node/createNodeClient.ts";
import { getAccount } from "../../../wallet/node/getAccount.ts";
import { getHistory } from "../../../wallet/node/getHistory.ts";
import { http } from "../../../wallet/node/http.ts";
import { type StreamSubscription, subscribeStream } from "../../../wallet/node/subscribeStream.ts";
import type { Session } from "../session.ts";

export const PAGE_SIZE = 20;

/** One history line as the screen and the CSV show it. */
/** The wallet's row of a node history item (type, direction, counterparty), with what the app adds. */
export interface HistoryRow extends Omit<HistoryRowFields, "units"> {
  key: string;
  /** `@name` (a contact), `~name` (the hub's username), or undefined. */
  name: string | undefined;
  /** Base units; undefined for entries that move nothing themselves. */
  units: bigint | undefined;
  /** Exact, with the token's decimals. */
  amount: string;
  symbol: string;
  memo: string | undefined;
  tx: Hex;
  block: number;
  /** The node's depth: confirmed at its configured depth, else pending with this many confirmations. */
  confirmed: boolean;
  confirmations: number;
}

export interface AccountView {
  token: ReadTokenInfoReturnType;
  /** The node's view: every indexed block (`balance`) and its confirmed depth (`confirmed`). */
  node: { balance: bigint; confirmed: bigint; block: number | null; confirmedBlock: number | null };
  /** Read from the chain at `block`. */
  chain: { balance: bigint; block: bigint };
  rows: HistoryRow[];
  /** The cursor of the next (older) page; null when none is left. */
  cursor: string | null;
}

export type StreamState = "connecting" | "live" | "lost";

export interface AccountFeed {
  view: ReturnType<typeof signal<AccountView | undefined>>;
  error: ReturnType<typeof signal<string | undefined>>;
  stream: ReturnType<typeof signal<StreamState>>;
  /** Why the stream was lost, shown with it. */
  streamReason: ReturnType<typeof signal<string | undefined>>;
  loadingOlder: ReturnType<typeof signal<boolean>>;
  loadOlder(): Promise<void>;
  refresh(): Promise<void>;
  close(): void;
}

/** Opens the feed of `session`'s account: a first read, then the stream; `close` stops both. */
export function openAccountFeed(session: Session): AccountFeed {
  const node = createNodeClient({ transport: http(location.origin, { timeout: 8_000 }) });
  const view = signal<AccountView | undefined>(undefined);
  const error = signal<string | undefined>(undefined);
  const stream = signal<StreamState>("connecting");
  const streamReason = signal<string | undefined>(undefined);
  const loadingOlder = signal(false);
  let closed = false;
  let subscription: StreamSubscription | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let backoff = 500;
  let pending: Promise<void> | undefined;
  let again = false;

  const refresh = async () => {
    // One read at a time; a change during a read asks for one more after it.
    if (pending !== undefined) {
      again = true;
      return pending;
    }
    pending = (async () => {
      do {
        again = false;
        try {
          const loaded = view.value?.rows.length ?? 0;
          const limit = Math.min(1000, Math.max(PAGE_SIZE, loaded));
          const next = await read(session, node, limit, undefined);
          if (!closed) {
            view.value = next;
            error.value = undefined;
          }
        } catch (failure) {
          if (!closed) error.value = (failure as Error).message;
        }
      } while (again && !closed);
    })().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  const loadOlder = async () => {
    const current = view.value;
    if (current?.cursor == null || loadingOlder.value) return;
    loadingOlder.value = true;
    try {
      const older = await read(session, node, PAGE_SIZE, current.cursor);
      const latest = view.value ?? current;
      const seen = new Set(latest.rows.map((row) => row.key));
      view.value = {
        ...latest,
        rows: [...latest.rows, ...older.rows.filter((row) => !seen.has(row.key))],
        cursor: older.cursor,
      };
    } catch (failure) {
      error.value = (failure as Error).message;
    } finally {
      loadingOlder.value = false;
    }
  };

  const connect = async () => {
    if (closed) return;
    stream.value = stream.value === "lost" ? "lost" : "connecting";
    try {
      const opened = await subscribeStream(node, {
        addresses: [session.address],
        // A new event may settle a payment message still pending: re-check those, then re-read.
        onUpdate: () =>
          void session.payments.recheck().then(
            () => refresh(),
            () => refresh(),
          ),
        onError: (failure) => lost(failure.message),
      });
      if (closed) {
        opened.close();
        return;
      }
      subscription = opened;
      stream.value = "live";
      streamReason.value = undefined;
      backoff = 500;
      // What happened while the stream was down.
      void refresh();
    } catch (failure) {
      lost((failure as Error).message);
    }
  };

  const lost = (reason: string) => {
    subscription = undefined;
    if (closed) return;
    stream.value = "lost";
    streamReason.value = reason;
    clearTimeout(retry);
    retry = setTimeout(() => void connect(), backoff);
    backoff = Math.min(backoff * 2, 10_000);
  };

  // Payment messages confirmed by the chain carry memos: re-read when one arrives.
  const stopChat = session.onChat((event) => {
    if (event.type !== "message" || event.message.envelope.body.type !== "payment") return;
    void session.payments.check(event.message).then(
      () => refresh(),
      () => {},
    );
  });

  void refresh();
  void connect();

  return {
    view,
    error,
    stream,
    streamReason,
    loadingOlder,
    loadOlder,
    refresh,
    close() {
      closed = true;
      clearTimeout(retry);
      stopChat();
      subscription?.close();
    },
  };
}

async function read(session: Session, node: NodeClient, limit: number, cursor: string | undefined) {
  const { client, address } = session;
  const token = await readTokenInfo(client);
  const [account, page, chain, memos, names] = await Promise.all([
    getAccount(node, { address }),
    getHistory(node, { address, token: token.address, limit, cursor }),
    readBalance(client, { address }),
    memosOf(session),
    namesOf(session),
  ]);
  const balance = account.balances.find((b) => b.token.toLowerCase() === token.address.toLowerCase());
  // A payment's transfer and its invoice event share the transaction: the invoice's memo names both.
  const invoiceOfTx = new Map<string, string>();
  for (const item of page.items) if (item.type === "invoice") invoiceOfTx.set(item.tx.toLowerCase(), item.id);
  const rows = await Promise.all(
    page.items.map(async (item) => {
      const row = rowOf(item, token);
      const invoice = item.type === "invoice" ? item.id : invoiceOfTx.get(item.tx.toLowerCase());
      row.memo =
        memos.byTx.get(item.tx.toLowerCase()) ?? (invoice ? memos.byInvoice.get(invoice.toLowerCase()) : undefined);
      if (/^0x[0-9a-fA-F]{40}$/.test(row.counterparty))
        row.name = await nameOf(session, names, row.counterparty as Address);
      return row;
    }),
  );
  return {
    token,
    node: {
      balance: BigInt(balance?.balance ?? "0"),
      confirmed: BigInt(balance?.confirmed ?? "0"),
      block: account.block,
      confirmedBlock: account.confirmedBlock,
    },
    chain: { balance: chain.balance.units, block: chain.blockNumber },
    rows,
    cursor: page.cursor,
  } satisfies AccountView;
}

function rowOf(item: HistoryItem, token: ReadTokenInfoReturnType): HistoryRow {
  const { type, direction, counterparty, units } = historyRowOf(item);
  return {
    key: `${item.tx}:${item.logIndex}:${item.type}:${item.type === "transfer" ? item.direction : ""}`,
    type,
    direction,
    counterparty,
    name: undefined,
    ...(units === undefined
      ? { units: undefined, amount: "", symbol: "" }
      : { units: BigInt(units), amount: formatAmount(BigInt(units), token.decimals), symbol: token.symbol }),
    memo: undefined,
    tx: item.tx as Hex,
    block: item.block,
    confirmed: item.confirmed,
    confirmations: item.confirmations,
  };
}

/** Memos the wallet knows: confirmed chat payments by transaction, stored invoices by id. */
async function memosOf(session: Session) {
  const byTx = new Map<string, string>();
  for (const record of session.chat.state.payments) {
    if (record.state !== "confirmed" || record.tx === undefined) continue;
    try {
      // Kept as received: checked again before its memo is shown.
      const { body } = parseEnvelopeValue(record.envelope);
      if (body.type === "payment" && body.memo !== undefined) byTx.set(record.tx.toLowerCase(), body.memo);
    } catch {}
  }
  const byInvoice = new Map<string, string>();
  const stored = await allInvoices(session.client.stores.invoices).catch(() => []);
  for (const invoice of stored) {
    const memo = invoice.metadata?.memo ?? invoice.metadata?.title;
    if (memo !== undefined) byInvoice.set(invoice.id.toLowerCase(), memo);
  }
  return { byTx, byInvoice };
}

/** The contacts as they are now (the user may have just added one): address → `@name`. */
async function namesOf(session: Session) {
  const book = await session.client.stores.contacts.read().catch(() => ({}));
  return new Map(Object.entries(book).map(([name, address]) => [address.toLowerCase(), `@${name}`]));
}

async function nameOf(session: Session, contacts: Map<string, string>, address: Address) {
  const contact = contacts.get(address.toLowerCase());
  if (contact !== undefined) return contact;
  const label = await session.names.label(address);
  return label.startsWith("~") || label.startsWith("@") ? label : undefined;
}
