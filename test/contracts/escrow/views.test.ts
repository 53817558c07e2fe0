import { network } from "hardhat";
import { afterAll, describe, expect, it } from "vitest";
import { invoiceId } from "../../../protocol/invoice.ts";
import { deployGram, WITHDRAW_FEE_BPS } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

describe("views", () => {
  it("invoiceId equals the EIP-712 digest computed in TypeScript", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    expect(await f.escrow.read.invoiceId([invoice])).toBe(
      invoiceId({ chainId: f.chainId, escrow: f.escrow.address, invoice }),
    );
  });

  it("paymentOf is empty before payment and holds the amount after", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const id = await f.escrow.read.invoiceId([invoice]);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: 0n, disputedAt: 0 });
    await f.pay(invoice);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: invoice.amount, refundable: 0n, disputedAt: 0 });
    expect(await f.escrow.read.isInvoiceUsed([invoice.merchant, invoice.nonce])).toBe(true);
  });

  it("the withdrawal fee is fixed at deployment and capped at 1%", async () => {
    const f = await load();
    expect(await f.escrow.read.withdrawFeeBps()).toBe(BigInt(WITHDRAW_FEE_BPS));
    const { owner, treasury, arbiter } = f.accounts;
    await expectRevert(
      f.viem.deployContract("MerchantEscrow", [
        owner.account.address,
        treasury.account.address,
        arbiter.account.address,
        101,
      ]),
      "EscrowFeeTooHigh",
      [101n, 100n],
    );
  });
});
