// Records of the store and events of the indexer → the JSON the API answers (protocol/api.ts):
// checksummed addresses, amounts as decimal strings, and how deep each one is.
import { getAddress, type Hex } from "viem";
import type { HistoryItem as ApiHistoryItem, InvoiceResponse, StreamEvent } from "../../protocol/api.ts";
import type { ChainEvent } from "../internal/chain-events.ts";
import { type HistoryItem, type InvoiceRecord, invoiceStatus } from "../store/records.ts";
import type { TokenInfo } from "./tokens.ts";

/** How deep a block is, given the head the indexer last saw. */
export interface Depth {
  /** The head block number (the indexed block until the indexer has seen one). */
  head: number;
  /** Confirmations at which an entry counts as confirmed. */
  required: number;
}

export function depthOf(block: number, depth: Depth) {
  const confirmations = Math.max(0, depth.head - block + 1);
  return { confirmations, confirmed: confirmations >= depth.required };
}

const ADDRESS_FIELDS = new Set(["token", "from", "to", "merchant", "payer", "authorizer", "treasury", "account"]);

/** A checksummed copy of `address`; checksumming is costly, so a few thousand are remembered. */
const checksums = new Map<string, string>();
export function checksum(address: string): string {
  let found = checksums.get(address);
  if (found === undefined) {
    found = getAddress(address);
    if (checksums.size >= 10_000) checksums.clear();
    checksums.set(address, found);
  }
  return found;
}

export function historyItemJson(item: HistoryItem, depth: Depth): ApiHistoryItem {
  const json: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item))
    json[key] = ADDRESS_FIELDS.has(key) ? checksum(value as string) : value;
  return { ...json, ...depthOf(item.block, depth) } as ApiHistoryItem;
}

export function invoiceJson(
  invoice: InvoiceRecord,
  tokens: ReadonlyMap<string, TokenInfo>,
  depth: Depth,
): InvoiceResponse {
  const token = tokens.get(invoice.token);
  return {
    id: invoice.id,
    status: invoiceStatus(invoice),
    merchant: checksum(invoice.merchant),
    payer: checksum(invoice.payer),
    token: checksum(invoice.token),
    symbol: token?.symbol ?? null,
    decimals: token?.decimals ?? null,
    amount: invoice.amount.toString(),
    tip: invoice.tip.toString(),
    held: invoice.held.toString(),
    captured: invoice.captured.toString(),
    cashback: invoice.cashback.toString(),
    refunded: invoice.refunded.toString(),
    disputed: invoice.disputed,
    resolved: invoice.resolved,
    voided: invoice.voided,
    reclaimed: invoice.reclaimed,
    paidBlock: invoice.paidBlock,
    paidTx: invoice.paidTx,
    updatedBlock: invoice.updatedBlock,
    ...depthOf(invoice.updatedBlock, depth),
  };
}

/** An indexed event for the stream; `parties` adds an invoice's merchant and payer to events that name only its id. */
export function streamEventJson(event: ChainEvent, parties?: { merchant: Hex; payer: Hex }): StreamEvent {
  const { blockNumber, blockHash, logIndex, txHash, address, ...body } = event;
  const json: StreamEvent = {
    kind: body.kind,
    block: blockNumber,
    blockHash,
    logIndex,
    tx: txHash,
    contract: checksum(address),
  };
  for (const [key, value] of Object.entries(body)) {
    json[key] =
      typeof value === "bigint"
        ? value.toString()
        : ADDRESS_FIELDS.has(key)
          ? checksum(value as string)
          : (value as string);
  }
  if (parties !== undefined && json.merchant === undefined) {
    json.merchant = checksum(parties.merchant);
    json.payer = checksum(parties.payer);
  }
  return json;
}
