import { describe, expect, it } from "vitest";
import { decodeLink } from "../../../protocol/links/decode-link.ts";
import { encodeEip681 } from "../../../protocol/links/eip681.ts";
import { encodeInvoiceLink } from "../../../protocol/links/invoice-link.ts";
import { encodeRequestLink } from "../../../protocol/links/request-link.ts";
import { CHAIN_ID, ESCROW, TOKEN } from "../../kit/constants.ts";
import { linkError, PAYER, pizza, signInvoice, typicalInvoice } from "./helpers.ts";

const invoice = typicalInvoice();
const invoiceLink = encodeInvoiceLink({
  chainId: CHAIN_ID,
  escrow: ESCROW,
  invoice,
  signature: await signInvoice(invoice),
  metadata: pizza,
});
const request = { chainId: CHAIN_ID, to: PAYER, token: TOKEN, amount: 5_000_000_000n };

describe("decodeLink", () => {
  it("tells the three kinds of payment link apart and decodes each", async () => {
    const eip681 = await decodeLink(encodeEip681(request, { decimals: 9 }));
    expect(eip681).toEqual({ kind: "eip681", request });
    expect(await decodeLink(encodeRequestLink(request))).toEqual({ kind: "request", request });
    const decoded = await decodeLink(invoiceLink, { chainId: CHAIN_ID, escrow: ESCROW, token: TOKEN });
    expect(decoded.kind === "invoice" && decoded.invoice.invoice).toEqual(invoice);
  });

  it("passes the wallet's chain and token to every kind", async () => {
    for (const link of [encodeEip681(request), encodeRequestLink(request), invoiceLink]) {
      expect(await linkError(() => decodeLink(link, { chainId: 10 }))).toEqual({
        code: "WRONG_CHAIN",
        message: "link is for chain 31337, wallet is on chain 10",
      });
      expect((await linkError(() => decodeLink(link, { token: PAYER }))).code).toBe("WRONG_TOKEN");
    }
  });

  it("refuses anything else with the three prefixes it reads", async () => {
    expect(await linkError(() => decodeLink("tg://resolve?domain=alice"))).toEqual({
      code: "INVALID_PREFIX",
      message:
        'not a payment link: expected "ethereum:…", "gram:request/…" or "gram:invoice/…", got "tg://resolve?domain=alice"',
    });
  });
});
