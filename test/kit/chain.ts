// The node's test chain: the deployed chain of ./deployed-chain.ts with holders and merchants funded, and
// the calls the node tests make: raw transfers, invoice flows, mining with evm_mine (never hardhat_mine,
// whose blocks have zero parent hashes), snapshots for reorgs.
import {
  type Address,
  createWalletClient,
  encodeFunctionData,
  getAddress,
  type Hex,
  http,
  keccak256,
  stringToHex,
  toHex,
  zeroAddress,
} from "viem";
import { expect } from "vitest";
import { gramTokenAbi, merchantEscrowAbi } from "../../protocol/abis.ts";
import { escrowDomain, invoiceTypes } from "../../protocol/eip712.ts";
import { type Invoice, invoiceId } from "../../protocol/invoice.ts";
import { ROLE } from "./accounts.ts";
import { startDeployedChain } from "./deployed-chain.ts";

export interface PaidInvoice {
  invoice: Invoice;
  id: Hex;
}

/** How many accounts the node's chain funds as holders: every account up to this index not in a role. */
const FUNDED_ACCOUNTS = 13;

export async function startChain() {
  const deployed = await startDeployedChain();
  const { url, client, token, escrow, chainId } = deployed;
  const wallet = createWalletClient({ transport: http(url) });
  const accounts = (await wallet.getAddresses()).map((a) => getAddress(a));
  const at = (i: number) => accounts[i] as Address;
  const [owner, treasury, arbiter] = [at(ROLE.owner), at(ROLE.treasury), at(ROLE.arbiter)];
  const merchants = [at(ROLE.merchant), at(ROLE.merchant2)];
  const roles = new Set<number>([ROLE.owner, ROLE.treasury, ROLE.arbiter, ROLE.merchant, ROLE.merchant2]);
  const holders = accounts.slice(0, FUNDED_ACCOUNTS).filter((_, i) => !roles.has(i));

  async function send(from: Address, to: Address, data: Hex): Promise<Hex> {
    return client.request({
      method: "eth_sendTransaction" as never,
      params: [{ from, to, data, gas: toHex(400_000) }] as never,
    }) as Promise<Hex>;
  }
  const tokenCall = (functionName: string, args: readonly unknown[]) =>
    encodeFunctionData({ abi: gramTokenAbi, functionName, args } as never);
  const escrowCall = (functionName: string, args: readonly unknown[]) =>
    encodeFunctionData({ abi: merchantEscrowAbi, functionName, args } as never);

  const { rpc } = deployed;
  const mine = async () => {
    await rpc("evm_mine");
  };
  const automine = async (on: boolean) => {
    await rpc("evm_setAutomine", [on]);
  };
  const snapshot = async () => (await rpc("evm_snapshot")) as Hex;
  const revert = async (id: Hex) => {
    expect(await rpc("evm_revert", [id])).toBe(true);
  };
  /** Sends every transaction of `txs` into one block. */
  async function inOneBlock(txs: () => Promise<unknown>) {
    await automine(false);
    try {
      await txs();
      await mine();
    } finally {
      await automine(true);
    }
  }
  const assertMined = async (hash: Hex) => {
    const receipt = await client.getTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
  };

  // Fund: every holder and merchant gets 1,000,000 GRAM; payers and merchants approve the escrow.
  for (const account of [...holders, ...merchants]) {
    await send(owner, token, tokenCall("mint", [account, 10n ** 15n]));
    await send(account, token, tokenCall("approve", [escrow, 2n ** 255n]));
  }

  let invoiceNumber = 0n;
  interface InvoiceParameters {
    merchant: Address;
    payer: Address;
    amount: bigint;
    tip?: bigint;
    cashbackBps?: number;
    openPayer?: boolean;
    /** Another ERC-20 than GramToken. */
    token?: Address;
  }
  /** An invoice as its merchant signs it, with its id, for whoever pays it. */
  async function signInvoice(params: InvoiceParameters) {
    const now = Number((await client.getBlock()).timestamp);
    const invoice: Invoice = {
      merchant: params.merchant,
      token: params.token ?? token,
      amount: params.amount,
      maxTip: params.tip ?? 0n,
      cashbackBps: params.cashbackBps ?? 0,
      payer: params.openPayer ? zeroAddress : params.payer,
      nonce: invoiceNumber++,
      payBefore: now + 86_400,
      captureBefore: now + 7 * 86_400,
      refundBefore: now + 30 * 86_400,
      ref: keccak256(stringToHex(`order-${invoiceNumber}`)),
      metadataHash: keccak256(stringToHex("{}")),
    };
    const signature = await wallet.signTypedData({
      account: params.merchant,
      domain: escrowDomain(chainId, escrow),
      types: invoiceTypes,
      primaryType: "Invoice",
      message: invoice,
    });
    return { invoice, signature, id: invoiceId({ chainId, escrow, invoice }) };
  }
  async function payInvoice(params: InvoiceParameters): Promise<PaidInvoice> {
    const { invoice, signature, id } = await signInvoice(params);
    await send(params.payer, escrow, escrowCall("pay", [invoice, signature, params.tip ?? 0n]));
    return { invoice, id };
  }

  const escrowAs = (from: Address, functionName: string, args: readonly unknown[]) =>
    send(from, escrow, escrowCall(functionName, args));

  return {
    ...deployed,
    accounts,
    owner,
    treasury,
    arbiter,
    merchants,
    holders,
    send,
    tokenCall,
    escrowCall,
    /** Deploys a contract (a test double) from the owner's account. */
    deployContract: deployed.connection.viem.deployContract,
    transfer: (from: Address, to: Address, value: bigint) => send(from, token, tokenCall("transfer", [to, value])),
    /** `owner`'s GramToken balance, read from the chain. */
    tokenBalance: (owner: Address) =>
      client.readContract({ address: token, abi: gramTokenAbi, functionName: "balanceOf", args: [owner] }),
    signInvoice,
    payInvoice,
    capture: (p: PaidInvoice, amount: bigint) => escrowAs(p.invoice.merchant, "capture", [p.invoice, amount]),
    confirm: (p: PaidInvoice, payer: Address) => escrowAs(payer, "confirm", [p.invoice]),
    void: (p: PaidInvoice) => escrowAs(p.invoice.merchant, "void", [p.invoice]),
    refund: (p: PaidInvoice, amount: bigint) => escrowAs(p.invoice.merchant, "refund", [p.invoice, amount]),
    dispute: (p: PaidInvoice, payer: Address) => escrowAs(payer, "dispute", [p.invoice]),
    resolve: (p: PaidInvoice, toPayer: bigint) => escrowAs(arbiter, "resolve", [p.invoice, toPayer]),
    withdraw: (merchant: Address, amount: bigint, to: Address) => escrowAs(merchant, "withdraw", [token, amount, to]),
    mine,
    automine,
    inOneBlock,
    snapshot,
    revert,
    assertMined,
  };
}

export type TestChain = Awaited<ReturnType<typeof startChain>>;
