import type { ConversationTargetInput } from "../../protocol/chat/envelope.ts";
import { encodeInvoiceLink } from "../../protocol/links/invoice-link.ts";
import type { StoredInvoice } from "../invoices/invoice-store.ts";
import type { ChatConnection, SentMessage } from "./connectChat.ts";
import { InvalidChatMessageError } from "./errors.ts";

export interface SendInvoiceParameters {
  to: ConversationTargetInput;
  /** A signed invoice with its title and items, as `createInvoice` returns it. */
  invoice: Pick<StoredInvoice, "chainId" | "escrow" | "invoice" | "merchantSignature" | "metadata">;
}

/**
 * Sends a merchant's signed invoice as a card: its `gram:invoice/` link (carrying the title and items,
 * which hash to the signed `metadataHash`) and the same title and items for the card.
 *
 * @example
 * const created = await createInvoice(client, { title: "Margherita", amount: "12.5", maxTip: "3", payer: alice });
 * await sendInvoice(chat, { to: { type: "direct", address: alice }, invoice: created });
 */
export async function sendInvoice(chat: ChatConnection, { to, invoice }: SendInvoiceParameters): Promise<SentMessage> {
  const metadata = invoice.metadata;
  if (metadata === undefined) {
    throw new InvalidChatMessageError("an invoice card needs the invoice's title and items (its metadata)");
  }
  const link = encodeInvoiceLink({
    chainId: invoice.chainId,
    escrow: invoice.escrow,
    invoice: invoice.invoice,
    signature: invoice.merchantSignature,
    metadata,
  });
  return chat.send(to, {
    type: "invoice",
    link,
    title: metadata.title,
    items: metadata.items,
    ...(metadata.memo === undefined ? {} : { memo: metadata.memo }),
  });
}
