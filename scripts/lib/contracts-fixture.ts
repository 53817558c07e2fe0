// The contracts fixture: GramToken and MerchantEscrow deployed on Hardhat's in-process chain, funded
// accounts in their roles, and helpers that build, sign and pay invoices the way a wallet does. The contract
// tests, the wallet's library tests and the gas benchmark run on it.
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, type Hex, keccak256, parseUnits, stringToHex, zeroAddress } from "viem";
import { escrowDomain, gramTokenDomain, invoiceTypes, receiveWithAuthorizationTypes } from "../../protocol/eip712.ts";
import type { Invoice } from "../../protocol/invoice.ts";
import { deployFresh } from "./deploy-contracts.ts";
import { ROLE, type Role } from "./hardhat-accounts.ts";

export const WITHDRAW_FEE_BPS = 50;
export const DAY = 86_400;

/** GRAM amounts: `gram("12.5")` is 12.5 GRAM in base units (9 decimals). */
export const gram = (amount: string) => parseUnits(amount, 9);

export async function deployGram(connection: NetworkConnection) {
  const { viem, networkHelpers } = connection;
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  const wallet = (role: Role) => {
    const client = wallets[ROLE[role]];
    if (client === undefined) throw new Error(`the fixture needs at least ${ROLE[role] + 1} funded accounts`);
    return client;
  };
  const owner = wallet("owner");
  const merchant = wallet("merchant");
  const payer = wallet("payer");
  const other = wallet("other");
  const treasury = wallet("treasury");
  const arbiter = wallet("arbiter");
  const relayer = wallet("relayer");
  const merchant2 = wallet("merchant2");
  const payer2 = wallet("payer2");
  const deployment = await deployFresh({
    viem,
    config: {
      treasury: treasury.account.address,
      arbiter: arbiter.account.address,
      withdrawFeeBps: WITHDRAW_FEE_BPS,
    },
  });
  const token = await viem.getContractAt("GramToken", deployment.contracts.GramToken.address);
  const escrow = await viem.getContractAt("MerchantEscrow", deployment.contracts.MerchantEscrow.address);
  for (const holder of [merchant, payer, other, relayer, merchant2, payer2]) {
    await token.write.mint([holder.account.address, gram("1000000")]);
  }
  for (const holder of [payer, payer2, other]) {
    await token.write.approve([escrow.address, gram("1000000")], { account: holder.account });
  }
  const chainId = await publicClient.getChainId();

  let nextNonce = 0n;
  /** A payer-bound invoice for 12.5 GRAM with a day to pay, a week to capture and a month to refund. */
  async function makeInvoice(overrides: Partial<Invoice> = {}): Promise<Invoice> {
    const now = await networkHelpers.time.latest();
    return {
      merchant: merchant.account.address,
      token: token.address,
      amount: gram("12.5"),
      maxTip: gram("3"),
      cashbackBps: 0,
      payer: payer.account.address,
      nonce: nextNonce++,
      payBefore: now + DAY,
      captureBefore: now + 7 * DAY,
      refundBefore: now + 30 * DAY,
      ref: keccak256(stringToHex(`chat:alice-shop/order-${nextNonce}`)),
      metadataHash: keccak256(stringToHex(`{"title":"Margherita","items":[["Margherita",1,"12.5"]]}`)),
      ...overrides,
    };
  }

  /** The merchant's EIP-712 signature over `invoice` (or another signer's, for negative tests). */
  function signInvoice(
    invoice: Invoice,
    signer: Address = invoice.merchant,
    domain = escrowDomain(chainId, escrow.address),
  ) {
    return owner.signTypedData({
      account: signer,
      domain,
      types: invoiceTypes,
      primaryType: "Invoice",
      message: invoice,
    });
  }

  /** Pays `invoice` from `from` (default: its payer) with `tip`, and returns the receipt. */
  async function pay(invoice: Invoice, { tip = 0n, from }: { tip?: bigint; from?: Address } = {}) {
    const signature = await signInvoice(invoice);
    const account = from ?? (invoice.payer === zeroAddress ? payer.account.address : invoice.payer);
    const hash = await escrow.write.pay([invoice, signature, tip], { account });
    return publicClient.waitForTransactionReceipt({ hash });
  }

  /** A payer's ERC-3009 ReceiveWithAuthorization for `value` to the escrow, nonce = the invoice id. */
  async function signReceiveAuthorization(params: {
    from: Address;
    value: bigint;
    nonce: Hex;
    validAfter?: bigint;
    validBefore?: bigint;
    to?: Address;
  }) {
    const now = BigInt(await networkHelpers.time.latest());
    const message = {
      from: params.from,
      to: params.to ?? escrow.address,
      value: params.value,
      validAfter: params.validAfter ?? 0n,
      validBefore: params.validBefore ?? now + 3600n,
      nonce: params.nonce,
    };
    const signature = await owner.signTypedData({
      account: params.from,
      domain: gramTokenDomain(chainId, token.address),
      types: receiveWithAuthorizationTypes,
      primaryType: "ReceiveWithAuthorization",
      message,
    });
    return { ...message, signature };
  }

  return {
    viem,
    networkHelpers,
    publicClient,
    chainId,
    accounts: { owner, merchant, payer, other, treasury, arbiter, relayer, merchant2, payer2 },
    token,
    escrow,
    makeInvoice,
    signInvoice,
    pay,
    signReceiveAuthorization,
  };
}

export type GramFixture = Awaited<ReturnType<typeof deployGram>>;
