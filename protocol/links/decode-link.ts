import { quote } from "../errors.ts";
import { type Eip681Request, parseEip681 } from "./eip681.ts";
import { LinkError } from "./errors.ts";
import {
  type DecodedInvoiceLink,
  type DecodeInvoiceLinkOptions,
  decodeInvoiceLink,
  INVOICE_LINK_PREFIX,
} from "./invoice-link.ts";
import { decodeRequestLink, type PaymentRequest, REQUEST_LINK_PREFIX } from "./request-link.ts";

export type DecodedLink =
  | { kind: "eip681"; request: Eip681Request }
  | { kind: "request"; request: PaymentRequest }
  | { kind: "invoice"; invoice: DecodedInvoiceLink };

/**
 * Decodes any payment link a user may paste into `gram pay`: EIP-681, `gram:request/` or `gram:invoice/`,
 * each checked against the wallet's chain (and token and escrow, when given).
 *
 * @example
 * const link = await decodeLink(text, { chainId: 31337, token: gram, escrow });
 * if (link.kind === "invoice" && !link.invoice.signatureValid) refuse();
 */
export async function decodeLink(link: string, options: DecodeInvoiceLinkOptions = {}): Promise<DecodedLink> {
  const text = link.trim();
  const target = { chainId: options.chainId, token: options.token };
  if (/^ethereum:/i.test(text)) return { kind: "eip681", request: parseEip681(text, target) };
  if (text.startsWith(REQUEST_LINK_PREFIX)) return { kind: "request", request: decodeRequestLink(text, target) };
  if (text.startsWith(INVOICE_LINK_PREFIX)) return { kind: "invoice", invoice: await decodeInvoiceLink(text, options) };
  throw new LinkError(
    "INVALID_PREFIX",
    `not a payment link: expected "ethereum:…", "${REQUEST_LINK_PREFIX}…" or "${INVOICE_LINK_PREFIX}…", got ${quote(text)}`,
  );
}
