import { network } from "hardhat";
import type { Hash } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { capturePayment } from "../../../wallet/actions/capturePayment.ts";
import { payInvoice } from "../../../wallet/actions/payInvoice.ts";
import { sendTransfer } from "../../../wallet/actions/sendTransfer.ts";
import { InvoiceNotFoundError } from "../../../wallet/errors.ts";
import { createInvoice } from "../../../wallet/invoices/createInvoice.ts";
import { recoverPaidInvoice } from "../../../wallet/invoices/recoverPaidInvoice.ts";
import { addressOf, ROLE } from "../../kit/accounts.ts";
import { setUpChain } from "../../kit/wallet-chain.ts";
import { failure } from "../../kit/wallet-helpers.ts";

const connection = await network.create();
afterAll(() => connection.close());
const chain = await setUpChain(connection);
const wait = (hash: Hash) => chain.publicClient.waitForTransactionReceipt({ hash });

describe("recoverPaidInvoice", () => {
  it("reads a paid invoice and its signature back from the paying transaction, enough to capture it", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    const p = await chain.clientFor(ROLE.payer);
    const created = await createInvoice(m, { title: "Tea", items: [], amount: "3", maxTip: "1" });
    const paid = await payInvoice(p, {
      invoice: created.invoice,
      merchantSignature: created.merchantSignature,
      tip: "1",
    });
    await wait(paid.hash);
    // Another device of the merchant: a fresh store that never saw the invoice.
    const other = await chain.clientFor(ROLE.merchant);
    const recovered = await recoverPaidInvoice(other, { id: created.id, tx: paid.hash });
    expect(recovered).toEqual({
      id: created.id,
      chainId: m.chainId,
      escrow: chain.escrow,
      invoice: created.invoice,
      merchantSignature: created.merchantSignature,
    });
    await wait((await capturePayment(other, { invoice: recovered.invoice, amount: "3" })).hash);
  });

  it("refuses a transaction that pays another invoice, or is not a payment to the escrow", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    const p = await chain.clientFor(ROLE.payer);
    const a = await createInvoice(m, { title: "A", items: [], amount: "1" });
    const b = await createInvoice(m, { title: "B", items: [], amount: "1" });
    const paidA = await payInvoice(p, { invoice: a.invoice, merchantSignature: a.merchantSignature });
    await wait(paidA.hash);
    const wrong = await failure(InvoiceNotFoundError, recoverPaidInvoice(m, { id: b.id, tx: paidA.hash }));
    expect(wrong.shortMessage).toContain(`the invoice it pays is ${a.id}`);
    const transfer = await sendTransfer(p, { to: addressOf("merchant"), amount: "1" });
    await wait(transfer.hash);
    const notEscrow = await failure(InvoiceNotFoundError, recoverPaidInvoice(m, { id: a.id, tx: transfer.hash }));
    expect(notEscrow.shortMessage).toMatch(/not the escrow/);
  });
});
