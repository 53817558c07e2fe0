// A payer that is a contract and refuses tokens: the escrow's fixture plus a token with receive hooks
// (HookedToken, as ERC-777) and a RefusingPayer contract, owned by the fixture's payer, that pays
// invoices in that token through `execute` and whose hook accepts, reverts or burns all its gas.
import { type Address, encodeFunctionData, type Hex } from "viem";
import type { Invoice } from "../../../protocol/invoice.ts";
import { deployGram, type GramFixture, gram } from "../../../scripts/lib/contracts-fixture.ts";

export const Mode = { Accept: 0, Revert: 1, BurnGas: 2 } as const;

export async function deployRefusingPayer(f: GramFixture) {
  const { payer } = f.accounts;
  const hooked = await f.viem.deployContract("HookedToken");
  const payerContract = await f.viem.deployContract("RefusingPayer", [payer.account.address]);

  /** Has the payer contract call `target` with `data`, sent by its owner (the fixture's payer). */
  async function execute(target: Address, data: Hex) {
    const hash = await payerContract.write.execute([target, data], { account: payer.account });
    return f.publicClient.waitForTransactionReceipt({ hash });
  }
  const escrowCall = (functionName: string, args: readonly unknown[]) =>
    execute(f.escrow.address, encodeFunctionData({ abi: f.escrow.abi, functionName, args } as never));

  await hooked.write.mint([payerContract.address, gram("1000")]);
  await execute(hooked.address, encodeFunctionData({ abi: hooked.abi, functionName: "registerHook" }));
  await execute(
    hooked.address,
    encodeFunctionData({ abi: hooked.abi, functionName: "approve", args: [f.escrow.address, gram("1000")] }),
  );

  /** A 12.5 HOOK invoice with 5% cashback, bound to the payer contract, paid by it. */
  async function payInvoice(overrides: Partial<Invoice> = {}) {
    const invoice = await f.makeInvoice({
      token: hooked.address,
      payer: payerContract.address,
      cashbackBps: 500,
      ...overrides,
    });
    await escrowCall("pay", [invoice, await f.signInvoice(invoice), 0n]);
    return { invoice, id: await f.escrow.read.invoiceId([invoice]) };
  }

  const setMode = (mode: (typeof Mode)[keyof typeof Mode]) =>
    payerContract.write.setMode([mode], { account: payer.account });

  return { hooked, payerContract, execute, escrowCall, payInvoice, setMode };
}

/** The escrow's fixture with a refusing payer contract; for `loadFixture`. */
export async function deployGramWithRefusingPayer(connection: Parameters<typeof deployGram>[0]) {
  const f = await deployGram(connection);
  return { ...f, refusing: await deployRefusingPayer(f) };
}
