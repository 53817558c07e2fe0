import { merchantEscrowAbi } from "../../protocol/abis.ts";
import type { InvoiceChainStatus } from "../../protocol/invoice-state.ts";
import type { GramClient } from "../actions/client.ts";
import { ChainError } from "../errors.ts";
import type { StoredInvoice } from "./invoice-store.ts";

/** An invoice as the escrow holds it: where it stands (`INVOICE_CHAIN_STATUSES`) and the amounts. */
export interface InvoiceState {
  status: InvoiceChainStatus;
  held: bigint;
  refundable: bigint;
  /** Unix seconds; 0 when no dispute is open. */
  disputedAt: number;
}

/** Reads `paymentOf(id)` and `isInvoiceUsed(merchant, nonce)` at one block and names the state. */
export async function readInvoiceState(client: GramClient, stored: StoredInvoice, now: number): Promise<InvoiceState> {
  const { escrow, id, invoice } = stored;
  try {
    const blockNumber = await client.publicClient.getBlockNumber({ cacheTime: 0 });
    const [payment, used] = await Promise.all([
      client.publicClient.readContract({
        address: escrow,
        abi: merchantEscrowAbi,
        functionName: "paymentOf",
        args: [id],
        blockNumber,
      }),
      client.publicClient.readContract({
        address: escrow,
        abi: merchantEscrowAbi,
        functionName: "isInvoiceUsed",
        args: [invoice.merchant, invoice.nonce],
        blockNumber,
      }),
    ]);
    const { held, refundable, disputedAt } = payment;
    const status: InvoiceChainStatus =
      held > 0n
        ? disputedAt > 0
          ? "disputed"
          : "held"
        : refundable > 0n
          ? "captured"
          : used
            ? "closed"
            : now >= invoice.payBefore
              ? "expired"
              : "open";
    return { status, held, refundable, disputedAt: Number(disputedAt) };
  } catch (cause) {
    throw new ChainError(`could not read the state of invoice ${id}`, { cause });
  }
}
