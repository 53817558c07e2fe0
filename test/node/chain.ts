// A Hardhat chain served on loopback with GramToken and MerchantEscrow deployed, accounts funded, and
// the calls the node tests make: raw transfers, invoice flows, mining with evm_mine (never hardhat_mine,
// whose blocks have zero parent hashes), snapshots for reorgs. And the check that the indexed state
// equals what the contracts say.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";
import {
  type Address,
  createPublicClient,
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
import { openStore, type Store } from "../../node/store/open-store.ts";
import { readCursor } from "../../node/store/read-cursor.ts";
import { readBalance, readEscrowBalance, readFees, readInvoice } from "../../node/store/read-state.ts";
import { gramTokenAbi, merchantEscrowAbi } from "../../protocol/abis.ts";
import { escrowDomain, invoiceTypes } from "../../protocol/eip712.ts";
import { type Invoice, invoiceId } from "../../protocol/invoice.ts";

export const WITHDRAW_FEE_BPS = 50;

export interface PaidInvoice {
  invoice: Invoice;
  id: Hex;
}

export async function startChain() {
  const server = await network.createServer("default", "127.0.0.1", 0);
  const { address, port } = await server.listen();
  const url = `http://${address}:${port}`;
  const connection = await network.create({ network: "localhost", override: { url } });
  const client = createPublicClient({ transport: http(url) });
  const wallet = createWalletClient({ transport: http(url) });
  const accounts = (await wallet.getAddresses()).map((a) => getAddress(a));
  const at = (i: number) => accounts[i] as Address;
  const [owner, treasury, arbiter, merchantA, merchantB] = [at(0), at(1), at(2), at(3), at(4)];
  const merchants = [merchantA, merchantB];
  const holders = accounts.slice(5, 13);

  const deployBlock = Number(await client.getBlockNumber()) + 1;
  const tokenContract = await connection.viem.deployContract("GramToken", [owner]);
  const escrowContract = await connection.viem.deployContract("MerchantEscrow", [
    owner,
    treasury,
    arbiter,
    WITHDRAW_FEE_BPS,
  ]);
  const token = getAddress(tokenContract.address);
  const escrow = getAddress(escrowContract.address);
  const chainId = await client.getChainId();

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

  async function rpc(method: string, params: unknown[] = []) {
    return client.request({ method: method as never, params: params as never });
  }
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
    url,
    client,
    accounts,
    owner,
    treasury,
    arbiter,
    merchants,
    holders,
    token,
    escrow,
    deployBlock,
    chainId,
    send,
    tokenCall,
    escrowCall,
    /** Deploys a contract (a test double) from the owner's account. */
    deployContract: connection.viem.deployContract,
    transfer: (from: Address, to: Address, value: bigint) => send(from, token, tokenCall("transfer", [to, value])),
    signInvoice,
    payInvoice,
    capture: (p: PaidInvoice, amount: bigint) => escrowAs(p.invoice.merchant, "capture", [p.invoice, amount]),
    confirm: (p: PaidInvoice, payer: Address) => escrowAs(payer, "confirm", [p.invoice]),
    void: (p: PaidInvoice) => escrowAs(p.invoice.merchant, "void", [p.invoice]),
    refund: (p: PaidInvoice, amount: bigint) => escrowAs(p.invoice.merchant, "refund", [p.invoice, amount]),
    dispute: (p: PaidInvoice, payer: Address) => escrowAs(payer, "dispute", [p.invoice]),
    resolve: (p: PaidInvoice, toPayer: bigint) => escrowAs(arbiter, "resolve", [p.invoice, toPayer]),
    withdraw: (merchant: Address, amount: bigint, to: Address) => escrowAs(merchant, "withdraw", [token, amount, to]),
    rpc,
    mine,
    automine,
    inOneBlock,
    snapshot,
    revert,
    assertMined,
    close: async () => {
      await connection.close();
      await server.close();
    },
  };
}

export type TestChain = Awaited<ReturnType<typeof startChain>>;

/** The benchmark's seeded generator: workloads differ by seed and repeat exactly. */
export { random } from "../../scripts/bench/node-chain.ts";

/** A LevelDB store in a fresh temp folder; `cleanup` removes every folder made. */
export function tempStores() {
  const dirs: string[] = [];
  return {
    async open(dir?: string): Promise<{ store: Store; dir: string }> {
      const path = dir ?? (await mkdtemp(join(tmpdir(), "gram-node-")));
      if (dir === undefined) dirs.push(path);
      return { store: await openStore({ path }), dir: path };
    },
    cleanup: () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))),
  };
}

/**
 * The indexed state equals the contracts' at the chain's head: the cursor is the head, every account's
 * balance is `balanceOf`, every merchant's escrow balance is the escrow's `balanceOf`, the fees are
 * `feesOf`, and each invoice is indexed exactly when the chain spent its number, with what the escrow
 * still holds for it.
 */
export async function expectStoreEqualsChain(store: Store, chain: TestChain, invoices: readonly PaidInvoice[] = []) {
  const head = await chain.client.getBlock({ blockTag: "latest" });
  expect(await readCursor(store)).toEqual({ number: Number(head.number), hash: head.hash });
  const read = <T>(
    address: Address,
    abi: typeof gramTokenAbi | typeof merchantEscrowAbi,
    functionName: string,
    args: unknown[],
  ) => chain.client.readContract({ address, abi, functionName, args } as never) as Promise<T>;
  for (const account of [...chain.accounts, chain.escrow]) {
    const onChain = await read<bigint>(chain.token, gramTokenAbi, "balanceOf", [account]);
    expect({ account, balance: await readBalance(store, chain.token, account) }).toEqual({ account, balance: onChain });
  }
  for (const merchant of chain.merchants) {
    const onChain = await read<bigint>(chain.escrow, merchantEscrowAbi, "balanceOf", [merchant, chain.token]);
    expect({ merchant, escrow: await readEscrowBalance(store, merchant, chain.token) }).toEqual({
      merchant,
      escrow: onChain,
    });
  }
  expect(await readFees(store, chain.token)).toBe(
    await read<bigint>(chain.escrow, merchantEscrowAbi, "feesOf", [chain.token]),
  );
  for (const { invoice, id } of invoices) {
    const used = await read<boolean>(chain.escrow, merchantEscrowAbi, "isInvoiceUsed", [
      invoice.merchant,
      invoice.nonce,
    ]);
    const record = await readInvoice(store, id);
    expect({ id, indexed: record !== undefined }).toEqual({ id, indexed: used });
    if (record === undefined) continue;
    const payment = await read<{ held: bigint; refundable: bigint }>(chain.escrow, merchantEscrowAbi, "paymentOf", [
      id,
    ]);
    expect({ id, held: record.held, refundable: record.captured - record.cashback - record.refunded }).toEqual({
      id,
      held: payment.held,
      refundable: payment.refundable,
    });
  }
}
