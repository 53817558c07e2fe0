// claim: a payer takes what the escrow credited to it (cashback or a ruling's share it refused, see
// refusing-payer.test.ts), whole, fee-free, to any address, while paused too; nobody else can.
import { network } from "hardhat";
import { encodeFunctionData, getAddress, parseEventLogs, zeroAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import { type GramFixture, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";
import { deployGramWithRefusingPayer, Mode } from "./refusing-payer.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGramWithRefusingPayer(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

type Fixture = GramFixture & { refusing: Awaited<ReturnType<typeof deploy>>["refusing"] };

/** Two invoices paid by the refusing payer contract and captured while it refused: 0.5 + 0.25 credited. */
async function credited(f: Fixture) {
  const { merchant } = f.accounts;
  const first = await f.refusing.payInvoice();
  const second = await f.refusing.payInvoice();
  await f.refusing.setMode(Mode.Revert);
  await f.escrow.write.capture([first.invoice, gram("10")], { account: merchant.account });
  await f.escrow.write.capture([second.invoice, gram("5")], { account: merchant.account });
  expect(await f.escrow.read.creditOf([f.refusing.payerContract.address, f.refusing.hooked.address])).toBe(
    gram("0.75"),
  );
}

const claimCall = (f: Fixture, to: `0x${string}`) =>
  encodeFunctionData({ abi: merchantEscrowAbi, functionName: "claim", args: [f.refusing.hooked.address, to] });

describe("claim", () => {
  it("sends the caller's whole credit to `to` with no fee, and emits CreditClaimed", async () => {
    const f = await load();
    const { payer } = f.accounts;
    const { hooked, payerContract, execute } = f.refusing;
    await credited(f);
    const toBefore = await hooked.read.balanceOf([payer.account.address]);
    const escrowBefore = await hooked.read.balanceOf([f.escrow.address]);

    const receipt = await execute(f.escrow.address, claimCall(f, payer.account.address));

    const events = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "CreditClaimed" });
    expect(events.map((e) => e.args)).toEqual([
      {
        account: getAddress(payerContract.address),
        token: getAddress(hooked.address),
        to: getAddress(payer.account.address),
        amount: gram("0.75"),
      },
    ]);
    expect(await hooked.read.balanceOf([payer.account.address])).toBe(toBefore + gram("0.75"));
    expect(await hooked.read.balanceOf([f.escrow.address])).toBe(escrowBefore - gram("0.75"));
    expect(await f.escrow.read.creditOf([payerContract.address, hooked.address])).toBe(0n);
    expect(await f.escrow.read.feesOf([hooked.address])).toBe(0n);
  });

  it("a payer contract that accepts tokens again claims to itself", async () => {
    const f = await load();
    const { hooked, payerContract, execute, setMode } = f.refusing;
    await credited(f);
    const before = await hooked.read.balanceOf([payerContract.address]);
    await setMode(Mode.Accept);

    await execute(f.escrow.address, claimCall(f, payerContract.address));

    expect(await hooked.read.balanceOf([payerContract.address])).toBe(before + gram("0.75"));
    expect(await f.escrow.read.creditOf([payerContract.address, hooked.address])).toBe(0n);
  });

  it("a credit is its owner's alone: the merchant and strangers have nothing to claim (EscrowZeroAmount)", async () => {
    const f = await load();
    const { merchant, other } = f.accounts;
    const { hooked, payerContract } = f.refusing;
    await credited(f);

    for (const caller of [merchant, other]) {
      await expectRevert(
        f.escrow.write.claim([hooked.address, caller.account.address], { account: caller.account }),
        "EscrowZeroAmount",
        [],
      );
    }
    expect(await f.escrow.read.creditOf([payerContract.address, hooked.address])).toBe(gram("0.75"));
  });

  it("claim refuses the zero address, and a second claim finds nothing", async () => {
    const f = await load();
    const { payer } = f.accounts;
    const { hooked, payerContract, execute } = f.refusing;
    await credited(f);

    await expectRevert(execute(f.escrow.address, claimCall(f, zeroAddress)), "EscrowZeroAddress", []);
    expect(await f.escrow.read.creditOf([payerContract.address, hooked.address])).toBe(gram("0.75"));
    await execute(f.escrow.address, claimCall(f, payer.account.address));
    await expectRevert(execute(f.escrow.address, claimCall(f, payer.account.address)), "EscrowZeroAmount", []);
  });

  it("claim stays open while paused", async () => {
    const f = await load();
    const { owner, payer } = f.accounts;
    const { hooked, payerContract, execute } = f.refusing;
    await credited(f);
    await f.escrow.write.pause({ account: owner.account });
    const before = await hooked.read.balanceOf([payer.account.address]);

    await execute(f.escrow.address, claimCall(f, payer.account.address));

    expect(await hooked.read.balanceOf([payer.account.address])).toBe(before + gram("0.75"));
    expect(await f.escrow.read.creditOf([payerContract.address, hooked.address])).toBe(0n);
  });
});
