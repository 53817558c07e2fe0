import { readFile, stat, writeFile } from "node:fs/promises";
import { network } from "hardhat";
import { keccak256, recoverTypedDataAddress, stringToHex, zeroAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { escrowDomain, invoiceTypes } from "../../../protocol/eip712.ts";
import { metadataHash } from "../../../protocol/links/metadata.ts";
import { DAY, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { payInvoice } from "../../../wallet/actions/payInvoice.ts";
import {
  InvalidAmountError,
  InvoiceFileError,
  InvoiceInputError,
  InvoiceNotFoundError,
  RejectedError,
} from "../../../wallet/errors.ts";
import { createInvoice } from "../../../wallet/invoices/createInvoice.ts";
import { readInvoice } from "../../../wallet/invoices/invoice-store.ts";
import { listInvoices } from "../../../wallet/invoices/listInvoices.ts";
import { showInvoice } from "../../../wallet/invoices/showInvoice.ts";
import { describeTypedData } from "../../../wallet/summary/describeTypedData.ts";
import { addressOf, ROLE } from "../../kit/accounts.ts";
import { setUpChain } from "../../kit/wallet-chain.ts";
import { failure } from "../../kit/wallet-helpers.ts";

const connection = await network.create();
afterAll(() => connection.close());
const chain = await setUpChain(connection);
const { f } = chain;
const merchant = addressOf("merchant");
const payer = addressOf("payer");
const lunch = { title: "Lunch", items: [{ name: "Soup", quantity: "2", price: "3.25" }], memo: "table 4" };

describe("createInvoice", () => {
  it("builds the invoice from human inputs, signs it as the escrow expects and stores it", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    const now = await connection.networkHelpers.time.latest();
    const shown: unknown[] = [];
    const created = await createInvoice(m, {
      ...lunch,
      amount: "6.5",
      maxTip: "1.5",
      cashbackBps: 250,
      payer,
      payBefore: now + 3600,
      ref: "chat:shop/order-1",
      confirm: (s) => shown.push(s) > 0,
    });
    const { invoice, id, merchantSignature } = created;
    expect(invoice).toEqual({
      merchant,
      token: chain.token,
      amount: gram("6.5"),
      maxTip: gram("1.5"),
      cashbackBps: 250,
      payer,
      nonce: 0n,
      payBefore: now + 3600,
      captureBefore: now + 3600 + 7 * DAY,
      refundBefore: now + 3600 + 37 * DAY,
      ref: keccak256(stringToHex("chat:shop/order-1")),
      metadataHash: metadataHash(lunch),
    });
    expect(id).toBe(await f.escrow.read.invoiceId([invoice]));
    const domain = escrowDomain(f.chainId, chain.escrow);
    expect(
      await recoverTypedDataAddress({
        domain,
        types: invoiceTypes,
        primaryType: "Invoice",
        message: invoice,
        signature: merchantSignature,
      }),
    ).toBe(merchant);
    // The summary is the signed struct decoded back.
    expect(shown).toEqual([created.summary]);
    expect(
      await describeTypedData(m, {
        typedData: { domain, types: invoiceTypes, primaryType: "Invoice", message: { ...invoice } },
        signer: merchant,
      }),
    ).toEqual(created.summary);
    expect(created.summary).toMatchObject({
      action: "signInvoice",
      recipient: merchant,
      invoiceId: id,
      amount: { formatted: "6.5" },
      tip: { formatted: "1.5" },
      expiry: now + 3600,
      notes: [
        "tip: the most the payer may add",
        "cashback: 2.5% of every capture goes back to the payer",
        `payer: only ${payer}`,
      ],
    });

    expect((await stat(created.file)).mode & 0o777).toBe(0o600);
    const stored = await readInvoice(m.home, id.slice(0, 10));
    expect(stored).toMatchObject({
      id,
      invoice,
      merchantSignature,
      metadata: lunch,
      role: "merchant",
      chainId: f.chainId,
      escrow: chain.escrow,
    });
  });

  it("numbers a merchant's invoices sequentially, also when created concurrently, and skips numbers spent on-chain", async () => {
    const m = await chain.clientFor(ROLE.merchant2);
    const make = () => createInvoice(m, { title: "x", amount: "1" });
    const nonces = (await Promise.all([make(), make(), make()])).map((c) => c.invoice.nonce).sort();
    expect(nonces).toEqual([0n, 1n, 2n]);
    // Numbers 3 and 4 spent from elsewhere (another machine, the same mnemonic): skipped.
    for (const n of [3n, 4n]) await f.escrow.write.cancelInvoice([n], { account: f.accounts.merchant2.account });
    expect((await make()).invoice.nonce).toBe(5n);
    // A fresh home with the same key starts over but never reuses a spent number.
    const elsewhere = await chain.clientFor(ROLE.merchant2);
    expect((await createInvoice(elsewhere, { title: "y", amount: "1" })).invoice.nonce).toBe(0n);
  });

  it("an open invoice (no payer), a 32-byte ref kept as is, and a declined one leaves nothing stored", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    const ref = `0x${"ab".repeat(32)}` as const;
    const open = await createInvoice(m, { title: "Counter", amount: "2", ref });
    expect(open.invoice.payer).toBe(zeroAddress);
    expect(open.invoice.ref).toBe(ref);
    await failure(RejectedError, createInvoice(m, { title: "No", amount: "2", confirm: () => false }));
    expect((await listInvoices(m)).map((i) => i.id)).toEqual([open.id]);
  });

  it("refuses inputs that make no invoice", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    const now = await connection.networkHelpers.time.latest();
    const bad = [
      [{ cashbackBps: 10_001 }, "cashback 10001 bps is out of range; expected an integer 0..10000 (100%)"],
      [
        { payBefore: now + 100, captureBefore: now + 50 },
        `deadlines out of order: expected payBefore (${now + 100}) ≤ captureBefore (${now + 50}) ≤ refundBefore (${now + 50 + 30 * DAY})`,
      ],
      [{ payBefore: now - 1 }, /^payBefore \d+ is not in the future/],
      [{ title: "" }, "metadata: title: must not be empty"],
    ] as const;
    for (const [overrides, message] of bad) {
      const error = await failure(InvoiceInputError, createInvoice(m, { title: "t", amount: "1", ...overrides }));
      if (typeof message === "string") expect(error.shortMessage).toBe(message);
      else expect(error.shortMessage).toMatch(message);
    }
    expect((await failure(InvalidAmountError, createInvoice(m, { title: "t", amount: "0" }))).reason).toBe("zero");
    expect(
      (await failure(InvalidAmountError, createInvoice(m, { title: "t", amount: "1", maxTip: "-1" }))).shortMessage,
    ).toBe("max tip: amount '-1' is negative; expected zero or more");
  });
});

describe("listInvoices and showInvoice", () => {
  it("show the stored invoice with its state on the escrow", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    const p = await chain.clientFor(ROLE.payer);
    const a = await createInvoice(m, { title: "A", amount: "4", payer });
    const b = await createInvoice(m, { title: "B", amount: "5", payer });
    expect((await showInvoice(m, { id: a.id })).status).toBe("open");
    await chain.publicClient.waitForTransactionReceipt({
      hash: (await payInvoice(p, { invoice: a.invoice, merchantSignature: a.merchantSignature })).hash,
    });
    const shown = await showInvoice(m, { id: a.id });
    expect([shown.status, shown.held, shown.refundable]).toEqual(["held", gram("4"), 0n]);
    const listed = await listInvoices(m, { role: "merchant" });
    expect(listed.map((i) => [i.metadata?.title, i.status])).toEqual([
      ["B", "open"],
      ["A", "held"],
    ]);
    expect(b.id).toBe(listed[0]?.id);
    // The payer's wallet kept the invoice it paid.
    expect((await listInvoices(p)).map((i) => [i.id, i.role, i.status])).toEqual([[a.id, "payer", "held"]]);
    await connection.networkHelpers.time.increaseTo(b.invoice.payBefore);
    expect((await showInvoice(m, { id: b.id })).status).toBe("expired");
  });

  it("an unknown id and an edited file are clear errors", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    await failure(InvoiceNotFoundError, showInvoice(m, { id: "0x123456" }));
    await failure(InvoiceNotFoundError, showInvoice(m, { id: "nope" }));
    const created = await createInvoice(m, { title: "C", amount: "1" });
    const text = await readFile(created.file, "utf8");
    await writeFile(created.file, text.replace(`"amount": "1000000000"`, `"amount": "1"`));
    const error = await failure(InvoiceFileError, showInvoice(m, { id: created.id }));
    expect(error.shortMessage).toBe(`${created.file}: the invoice does not hash to its id; the file was changed`);
  });
});
