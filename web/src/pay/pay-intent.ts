// What the pay sheet is asked to pay: the one way any screen opens it (a chat's pay button, a request or
// invoice card, a scanned or pasted link, the send button of the wallet screen). The sheet itself
// (web/src/pay/) reads this signal, shows the summary decoded from what is to be signed, and clears it
// when it closes.
import { signal } from "@preact/signals";
import type { Address } from "viem";
import type { Card } from "../../../wallet/chat/cards.ts";

export type PayIntent =
  /** A payment to someone, typed by the user: in a chat (`chatWith`: the payment message goes there) or not. */
  | {
      kind: "send";
      /** An @name, a contact or an address, as typed; empty lets the user type it. */
      to?: string | undefined;
      amount?: bigint | undefined;
      memo?: string | undefined;
      /** The direct chat's peer: the payment is announced in that conversation. */
      chatWith?: Address | undefined;
    }
  /** A request or invoice card received in a chat: paid through `payCard`, tip offered for an invoice. */
  | { kind: "card"; card: Card }
  /** A `gram:` or `ethereum:` link, scanned, pasted or opened at `#/pay/<link>`. */
  | { kind: "link"; link: string };

/** The payment the sheet shows; undefined when it is closed. */
export const payIntent = signal<PayIntent | undefined>(undefined);

/** Opens the pay sheet on `intent` (over the current screen). */
export function openPaySheet(intent: PayIntent) {
  payIntent.value = intent;
}

/** Closes the pay sheet without paying. */
export function closePaySheet() {
  payIntent.value = undefined;
}
