import { merchantEscrowAbi } from "../../protocol/abis.ts";
import type { GramClient } from "../actions/client.ts";
import { ChainError } from "../errors.ts";
import type { StoredInvoice } from "./invoiceStore.ts";

/**
 * Where an invoice stands on-chain. `open`: can be paid; `expired`: was not paid before payBefore;
 * `held`: paid, funds in escrow; `disputed`: held and disputed; `captured`: nothing held, some refundable;
 * `closed`: its number is spent and nothing remains (settled, or canceled by the merchant).
 */
export type InvoiceStatus = "open" | "expired" | "held" | "disputed" | "captured" | "closed";

export interface InvoiceState {
  status: InvoiceStatus;
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
    const status: InvoiceStatus =
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
