// Measures whole-transaction gasUsed (from the receipt, 21,000 base included) of every token and
// escrow operation on Hardhat's in-process chain. Everything that reaches calldata (invoice times,
// amounts, nonces, references) is fixed, and signatures are deterministic (RFC 6979), so the
// figures are exactly reproducible: `gas-snapshot.json` holds them and CI fails on any drift.
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, type Hash, keccak256, parseSignature, stringToHex, zeroAddress } from "viem";
import { gramTokenDomain, permitTypes, transferWithAuthorizationTypes } from "../../protocol/eip712.ts";
import type { Invoice } from "../../protocol/invoice.ts";
import { DAY, deployGram, gram } from "../lib/contracts-fixture.ts";

/** Chain time when measuring; invoices' deadlines are fixed offsets from it. */
const T0 = 2_000_000_000;

/** The targets (whole-transaction gas, lower is better). */
export const GAS_TARGETS: Record<string, number> = {
  "token.transfer (existing holder)": 34_600,
  "token.transfer (new holder)": 51_700,
  "token.transferWithAuthorization (relayed)": 66_000,
  "escrow.pay (allowance given)": 91_000,
  "escrow.payWithAuthorization (gasless, relayed)": 125_000,
  "escrow.pay (with tip)": 105_000,
  "escrow.capture (full)": 56_000,
  "escrow.capture (partial)": 60_000,
  "escrow.void": 45_000,
  "escrow.reclaim": 45_000,
  "escrow.refund (partial)": 67_000,
  "escrow.withdraw": 55_000,
};

export interface MeasureGasOptions {
  /** Called with each measured transaction, e.g. to trace where its gas went. */
  onMeasured?: (operation: string, hash: Hash) => void;
}

export async function measureGas(
  connection: NetworkConnection,
  options: MeasureGasOptions = {},
): Promise<Record<string, number>> {
  const f = await deployGram(connection);
  const { token, escrow, publicClient, networkHelpers } = f;
  const { owner, merchant, payer, other, relayer, payer2 } = f.accounts;
  await networkHelpers.time.increaseTo(T0);

  const gas: Record<string, number> = {};
  async function measure(name: string, send: () => Promise<Hash>) {
    const hash = await send();
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${name} reverted`);
    gas[name] = Number(receipt.gasUsed);
    options.onMeasured?.(name, hash);
  }

  let nonce = 0n;
  const invoice = (overrides: Partial<Invoice> = {}): Invoice => ({
    merchant: merchant.account.address,
    token: token.address,
    amount: gram("12.5"),
    maxTip: gram("3"),
    cashbackBps: 0,
    payer: payer.account.address,
    nonce: nonce++,
    payBefore: T0 + DAY,
    captureBefore: T0 + 7 * DAY,
    refundBefore: T0 + 30 * DAY,
    ref: keccak256(stringToHex(`chat:shop/order-${nonce}`)),
    metadataHash: keccak256(stringToHex(`{"title":"Margherita","n":${nonce}}`)),
    ...overrides,
  });
  const paid = async (inv: Invoice, from: Address = payer.account.address) => {
    await f.pay(inv, { from });
    return inv;
  };
  const asMerchant = { account: merchant.account };
  const asPayer = { account: payer.account };

  // Warm-up: the merchant has a balance, the escrow holds tokens, the nonce word is in use.
  const warm = await paid(invoice());
  await escrow.write.capture([warm, gram("5")], asMerchant);

  // ---------------------------------------------------------------- token
  const t = T0 + DAY;
  await measure("token.transfer (existing holder)", () =>
    token.write.transfer([merchant.account.address, gram("1")], asPayer),
  );
  await measure("token.transfer (new holder)", () =>
    token.write.transfer(["0x000000000000000000000000000000000000bEEF", gram("1")], asPayer),
  );
  await measure("token.approve", () => token.write.approve([relayer.account.address, gram("100")], asPayer));
  await measure("token.transferFrom", () =>
    token.write.transferFrom([payer.account.address, merchant.account.address, gram("1")], {
      account: relayer.account,
    }),
  );
  const permitSig = parseSignature(
    await owner.signTypedData({
      account: payer.account.address,
      domain: gramTokenDomain(f.chainId, token.address),
      types: permitTypes,
      primaryType: "Permit",
      message: {
        owner: payer.account.address,
        spender: other.account.address,
        value: gram("50"),
        nonce: await token.read.nonces([payer.account.address]),
        deadline: BigInt(t),
      },
    }),
  );
  await measure("token.permit", () =>
    token.write.permit(
      [
        payer.account.address,
        other.account.address,
        gram("50"),
        BigInt(t),
        Number(permitSig.v),
        permitSig.r,
        permitSig.s,
      ],
      { account: relayer.account },
    ),
  );
  const transferAuth = {
    from: payer.account.address,
    to: merchant.account.address,
    value: gram("2"),
    validAfter: 0n,
    validBefore: BigInt(t),
    nonce: keccak256(stringToHex("transfer-1")),
  };
  const transferSig = parseSignature(
    await owner.signTypedData({
      account: payer.account.address,
      domain: gramTokenDomain(f.chainId, token.address),
      types: transferWithAuthorizationTypes,
      primaryType: "TransferWithAuthorization",
      message: transferAuth,
    }),
  );
  await measure("token.transferWithAuthorization (relayed)", () =>
    token.write.transferWithAuthorization(
      [
        transferAuth.from,
        transferAuth.to,
        transferAuth.value,
        transferAuth.validAfter,
        transferAuth.validBefore,
        transferAuth.nonce,
        Number(transferSig.v),
        transferSig.r,
        transferSig.s,
      ],
      { account: relayer.account },
    ),
  );
  const receive = await f.signReceiveAuthorization({
    from: payer.account.address,
    to: merchant.account.address,
    value: gram("2"),
    nonce: keccak256(stringToHex("receive-1")),
    validBefore: BigInt(t),
  });
  const receiveSig = parseSignature(receive.signature);
  await measure("token.receiveWithAuthorization", () =>
    token.write.receiveWithAuthorization(
      [
        receive.from,
        receive.to,
        receive.value,
        receive.validAfter,
        receive.validBefore,
        receive.nonce,
        Number(receiveSig.v),
        receiveSig.r,
        receiveSig.s,
      ],
      asMerchant,
    ),
  );

  // ---------------------------------------------------------------- paying
  const plain = invoice();
  const plainSig = await f.signInvoice(plain);
  await measure("escrow.pay (allowance given)", () => escrow.write.pay([plain, plainSig, 0n], asPayer));

  const tipped = invoice();
  const tippedSig = await f.signInvoice(tipped);
  await measure("escrow.pay (with tip)", () => escrow.write.pay([tipped, tippedSig, gram("2")], asPayer));

  const open = invoice({ payer: zeroAddress });
  const openSig = await f.signInvoice(open);
  await measure("escrow.pay (open invoice)", () => escrow.write.pay([open, openSig, 0n], { account: payer2.account }));

  const permitted = invoice({ payer: other.account.address });
  const permittedSig = await f.signInvoice(permitted);
  await token.write.approve([escrow.address, 0n], { account: other.account });
  const escrowPermit = parseSignature(
    await owner.signTypedData({
      account: other.account.address,
      domain: gramTokenDomain(f.chainId, token.address),
      types: permitTypes,
      primaryType: "Permit",
      message: {
        owner: other.account.address,
        spender: escrow.address,
        value: permitted.amount,
        nonce: await token.read.nonces([other.account.address]),
        deadline: BigInt(t),
      },
    }),
  );
  await measure("escrow.payWithPermit", () =>
    escrow.write.payWithPermit(
      [permitted, permittedSig, 0n, BigInt(t), Number(escrowPermit.v), escrowPermit.r, escrowPermit.s],
      { account: other.account },
    ),
  );

  const gasless = invoice();
  const gaslessSig = await f.signInvoice(gasless);
  const gaslessId = await escrow.read.invoiceId([gasless]);
  const auth = await f.signReceiveAuthorization({
    from: payer.account.address,
    value: gasless.amount,
    nonce: gaslessId,
    validBefore: BigInt(t),
  });
  const authSig = parseSignature(auth.signature);
  await measure("escrow.payWithAuthorization (gasless, relayed)", () =>
    escrow.write.payWithAuthorization(
      [gasless, gaslessSig, 0n, payer.account.address, 0n, BigInt(t), Number(authSig.v), authSig.r, authSig.s],
      { account: relayer.account },
    ),
  );

  await measure("escrow.cancelInvoice", () => escrow.write.cancelInvoice([nonce++], asMerchant));

  // ---------------------------------------------------------------- after payment
  await measure("escrow.capture (full)", () => escrow.write.capture([plain, plain.amount], asMerchant));
  await measure("escrow.capture (partial)", () => escrow.write.capture([tipped, gram("5")], asMerchant));
  await measure("escrow.capture (partial, 5% cashback)", async () => {
    const cashback = await paid(invoice({ cashbackBps: 500 }));
    return escrow.write.capture([cashback, gram("5")], asMerchant);
  });
  await measure("escrow.confirm", () => escrow.write.confirm([gasless], asPayer));
  await measure("escrow.void", async () => {
    const voided = await paid(invoice());
    return escrow.write.void([voided], asMerchant);
  });
  await measure("escrow.void (open invoice)", () => escrow.write.void([open], asMerchant));
  await measure("escrow.refund (partial)", () => escrow.write.refund([plain, gram("2.5")], asMerchant));
  await measure("escrow.refund (rest, settles)", () => escrow.write.refund([plain, gram("10")], asMerchant));
  const disputed = await paid(invoice());
  await measure("escrow.dispute", () => escrow.write.dispute([disputed], asPayer));
  await measure("escrow.resolve", () =>
    escrow.write.resolve([disputed, gram("2.5")], { account: f.accounts.arbiter.account }),
  );
  await measure("escrow.withdraw (first fee in the token)", () =>
    escrow.write.withdraw([token.address, gram("1"), merchant.account.address], asMerchant),
  );
  await measure("escrow.withdraw", () =>
    escrow.write.withdraw([token.address, gram("10"), merchant.account.address], asMerchant),
  );
  await measure("escrow.collectFees", () => escrow.write.collectFees([token.address], { account: other.account }));

  const late = await paid(invoice({ payBefore: T0 + DAY, captureBefore: T0 + 2 * DAY }));
  await networkHelpers.time.increaseTo(T0 + 3 * DAY);
  await measure("escrow.reclaim", () => escrow.write.reclaim([late], asPayer));

  // A token that refuses the payer's cashback (it returns false), so that it is credited, then claimed.
  const refusing = await f.viem.deployContract("FalseReturnToken");
  await refusing.write.mint([payer.account.address, gram("100")]);
  await refusing.write.approve([escrow.address, gram("100")], asPayer);
  const credited = await paid(
    invoice({
      token: refusing.address,
      cashbackBps: 500,
      payBefore: T0 + 4 * DAY,
      captureBefore: T0 + 10 * DAY,
      refundBefore: T0 + 40 * DAY,
    }),
  );
  await refusing.write.setFailing([true]);
  await measure("escrow.capture (partial, 5% cashback, refused: credited)", () =>
    escrow.write.capture([credited, gram("5")], asMerchant),
  );
  await refusing.write.setFailing([false]);
  await measure("escrow.claim", () => escrow.write.claim([refusing.address, payer.account.address], asPayer));

  return gas;
}
