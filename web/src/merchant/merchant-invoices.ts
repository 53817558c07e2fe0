// The merchant screen's data: the account's own invoices from its invoice store (those created on this
// device, with their titles) and those the node indexed as paid to it (created anywhere: the CLI,
// another device), merged by id, each with its escrow state; the escrow balance, from the node and from
// the chain. Kept live by the node's `/v1/stream` on the merchant's address.
import { signal } from "@preact/signals";
import { type Address, getAddress, type Hex } from "viem";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import type { InvoiceResponse } from "../../../protocol/api.ts";
import type { Invoice } from "../../../protocol/invoice.ts";
import { chainNow } from "../../../wallet/actions/internal/chainNow.ts";
import { type ReadTokenInfoReturnType, readTokenInfo } from "../../../wallet/actions/readTokenInfo.ts";
import { readInvoiceState } from "../../../wallet/invoices/readInvoiceState.ts";
import { recoverPaidInvoice } from "../../../wallet/invoices/recoverPaidInvoice.ts";
import { allInvoices, type StoredInvoice } from "../../../wallet/invoices/stored-invoices.ts";
import { createNodeClient, type NodeClient } from "../../../wallet/node/createNodeClient.ts";
import { getMerchantBalances } from "../../../wallet/node/getMerchantBalances.ts";
import { getMerchantInvoices } from "../../../wallet/node/getMerchantInvoices.ts";
import { http } from "../../../wallet/node/http.ts";
import { type StreamSubscription, subscribeStream } from "../../../wallet/node/subscribeStream.ts";
import type { Session } from "../session.ts";

/** Where an invoice stands, as the screen names it. */
export type EscrowState =
  | "open"
  | "expired"
  | "paid"
  | "partially captured"
  | "captured"
  | "refunded"
  | "voided"
  | "reclaimed"
  | "disputed"
  | "canceled";

export interface MerchantInvoice {
  id: Hex;
  title: string | undefined;
  state: EscrowState;
  amount: bigint;
  /** The node's record once paid. */
  node: InvoiceResponse | undefined;
  /** This device's copy (what was signed, the metadata). */
  stored: StoredInvoice | undefined;
  /** What the escrow still holds, and what may still be refunded (net of cashback). */
  held: bigint;
  refundable: bigint;
}

export interface MerchantView {
  token: ReadTokenInfoReturnType;
  invoices: MerchantInvoice[];
  /** The escrow's balance of the merchant: the node's and the chain's (the one that counts). */
  escrowBalance: { node: bigint; chain: bigint };
  cursor: string | null;
}

const NODE_STATES: Record<InvoiceResponse["status"], EscrowState> = {
  paid: "paid",
  partially_captured: "partially captured",
  captured: "captured",
  refunded: "refunded",
  voided: "voided",
  reclaimed: "reclaimed",
  disputed: "disputed",
};

export function openMerchantFeed(session: Session) {
  const node = createNodeClient({ transport: http(location.origin, { timeout: 8_000 }) });
  const view = signal<MerchantView | undefined>(undefined);
  const error = signal<string | undefined>(undefined);
  const live = signal<"connecting" | "live" | "lost">("connecting");
  let closed = false;
  let subscription: StreamSubscription | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const refresh = (): Promise<void> => {
    if (running !== undefined) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          const next = await read(session, node);
          if (!closed) {
            view.value = next;
            error.value = undefined;
          }
        } catch (failure) {
          if (!closed) error.value = (failure as Error).message;
        }
      } while (again && !closed);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const connect = async () => {
    if (closed) return;
    try {
      const opened = await subscribeStream(node, {
        addresses: [session.address],
        onUpdate: () => void refresh(),
        onError: () => lost(),
      });
      if (closed) return opened.close();
      subscription = opened;
      live.value = "live";
      void refresh();
    } catch {
      lost();
    }
  };
  const lost = () => {
    if (closed) return;
    live.value = "lost";
    clearTimeout(retry);
    retry = setTimeout(() => void connect(), 2_000);
  };

  void refresh();
  void connect();
  return {
    view,
    error,
    live,
    refresh,
    close() {
      closed = true;
      clearTimeout(retry);
      subscription?.close();
    },
  };
}

async function read(session: Session, node: NodeClient): Promise<MerchantView> {
  const { client, address } = session;
  const token = await readTokenInfo(client);
  const [stored, paid, balances, chainBalance, now] = await Promise.all([
    allInvoices(client.stores.invoices),
    getMerchantInvoices(node, { merchant: address, limit: 100 }),
    getMerchantBalances(node, { merchant: address }),
    escrowBalanceOf(session, token.address),
    chainNow(client),
  ]);
  const mine = stored.filter(
    (s) =>
      s.role === "merchant" &&
      s.chainId === client.chainId &&
      s.escrow.toLowerCase() === client.contracts.escrow.toLowerCase() &&
      s.invoice.merchant.toLowerCase() === address.toLowerCase(),
  );
  const byId = new Map<string, MerchantInvoice>();
  for (const record of paid.items) {
    const captured = BigInt(record.captured);
    const refundable = captured - BigInt(record.cashback) - BigInt(record.refunded);
    byId.set(record.id.toLowerCase(), {
      id: record.id as Hex,
      title: undefined,
      state: NODE_STATES[record.status],
      amount: BigInt(record.amount),
      node: record,
      stored: undefined,
      held: BigInt(record.held),
      refundable: refundable > 0n ? refundable : 0n,
    });
  }
  // Stored here but not (yet) indexed as paid: the chain says whether it is open, expired or canceled.
  await Promise.all(
    mine.map(async (s) => {
      const known = byId.get(s.id.toLowerCase());
      if (known !== undefined) {
        known.stored = s;
        known.title = s.metadata?.title;
        return;
      }
      const chain = await readInvoiceState(client, s, now);
      const state: EscrowState =
        chain.status === "held"
          ? "paid"
          : chain.status === "closed"
            ? "canceled"
            : chain.status === "captured"
              ? "captured"
              : chain.status;
      byId.set(s.id.toLowerCase(), {
        id: s.id,
        title: s.metadata?.title,
        state,
        amount: s.invoice.amount,
        node: undefined,
        stored: s,
        held: chain.held,
        refundable: chain.refundable,
      });
    }),
  );
  const order = (i: MerchantInvoice) => i.node?.paidBlock ?? Number.MAX_SAFE_INTEGER;
  const invoices = [...byId.values()].sort((a, b) => order(b) - order(a));
  const nodeBalance = balances.balances.find((b) => b.token.toLowerCase() === token.address.toLowerCase());
  return {
    token,
    invoices,
    escrowBalance: { node: BigInt(nodeBalance?.balance ?? "0"), chain: chainBalance },
    cursor: paid.cursor,
  };
}

/** What the escrow owes the merchant in `token`, read from the escrow. */
export function escrowBalanceOf(session: Session, token: Address): Promise<bigint> {
  return session.client.publicClient.readContract({
    address: session.client.contracts.escrow,
    abi: merchantEscrowAbi,
    functionName: "balanceOf",
    args: [session.address, token],
  });
}

/** The invoice as signed: this device's copy, or read back from the transaction that paid it (checked against its id). */
export async function signedInvoiceOf(session: Session, item: MerchantInvoice): Promise<Invoice> {
  if (item.stored !== undefined) return item.stored.invoice;
  if (item.node === undefined) throw new Error(`invoice ${item.id} is not on this device and not paid`);
  const recovered = await recoverPaidInvoice(session.client, { id: item.id, tx: item.node.paidTx as Hex });
  if (getAddress(recovered.invoice.merchant) !== getAddress(session.address)) {
    throw new Error(`invoice ${item.id} is ${recovered.invoice.merchant}'s, not this account's`);
  }
  return recovered.invoice;
}

/** `paymentOf(id)` on the escrow now: what it holds and what may be refunded. */
export async function paymentOnChain(session: Session, id: Hex) {
  const payment = await session.client.publicClient.readContract({
    address: session.client.contracts.escrow,
    abi: merchantEscrowAbi,
    functionName: "paymentOf",
    args: [id],
  });
  return { held: payment.held, refundable: payment.refundable, disputedAt: Number(payment.disputedAt) };
}
