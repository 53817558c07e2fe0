// The demo's checks: after each step, every balance the story follows is read from the chain (the
// authority) and from the node's API (a replica, once it has indexed the step's block), and both must
// equal what the story's own books expect. A difference is reported row by row, never smoothed over.
import { type Address, type Chain, formatUnits, type Hex, type PublicClient, type Transport } from "viem";
import { gramTokenAbi, merchantEscrowAbi } from "../../protocol/abis.ts";
import type { TokenBalance } from "../../protocol/api.ts";
import { BaseError } from "../../protocol/errors.ts";
import { createNodeClient, type NodeClient } from "../../wallet/node/createNodeClient.ts";
import { getAccount } from "../../wallet/node/getAccount.ts";
import { getInvoice } from "../../wallet/node/getInvoice.ts";
import { getMerchantBalances } from "../../wallet/node/getMerchantBalances.ts";
import { getStatus } from "../../wallet/node/getStatus.ts";
import { http } from "../../wallet/node/http.ts";
import { type Balances, LABELS, ROWS, type Row, type TokenFormat } from "./demo-ledger.ts";

/** Who and what the checks read: the accounts behind the rows and the invoices the story paid. */
export interface Observer {
  publicClient: PublicClient<Transport, Chain | undefined>;
  /** The node's base URL (a path prefix is kept: `https://host/gram`). */
  node: string;
  token: Address;
  escrow: Address;
  accounts: Record<"alice" | "bob" | "merchant" | "arbiter" | "treasury", Address>;
  /** Invoices of the story that were paid: their held funds make the `held` row. */
  invoices: Hex[];
  /** How long the node may take to index a block before the demo gives up. */
  indexTimeoutMs: number;
}

/** The rows the node serves; the escrow's uncollected fees are only on the chain. */
export type NodeBalances = Record<Exclude<Row, "fees">, bigint | undefined>;

export interface Mismatch {
  row: Row;
  expected: bigint;
  chain: bigint;
  /** Undefined: the node does not know it (no such invoice, no such token), or the row is chain-only. */
  node: bigint | undefined;
}

export class BalanceMismatchError extends BaseError {
  override name = "BalanceMismatchError";
  readonly code = "BALANCE_MISMATCH";
  readonly mismatches: Mismatch[];

  constructor(what: string, block: bigint, mismatches: Mismatch[], token: TokenFormat) {
    // viem's formatUnits, not the wallet's formatAmount: what the chain or the node says may be anything.
    const amount = (units: bigint | undefined) =>
      (units === undefined ? "—" : formatUnits(units, token.decimals)).padStart(20);
    super(`balances differ from the story after ${what} (block ${block}, amounts in ${token.symbol}):`, {
      kind: "failure",
      metaMessages: [
        `    ${"account".padEnd(30)}${"expected".padStart(20)}${"chain".padStart(20)}${"node".padStart(20)}`,
        ...mismatches.map(
          (m) => `    ${LABELS[m.row].padEnd(30)}${amount(m.expected)}${amount(m.chain)}${amount(m.node)}`,
        ),
      ],
    });
    this.mismatches = mismatches;
  }
}

/** Every row, read from the chain at one block. */
export async function readChain(observer: Observer): Promise<{ block: bigint; balances: Balances }> {
  const { publicClient, token, escrow, accounts } = observer;
  const blockNumber = await publicClient.getBlockNumber({ cacheTime: 0 });
  const tokenBalance = (address: Address) =>
    publicClient.readContract({
      address: token,
      abi: gramTokenAbi,
      functionName: "balanceOf",
      args: [address],
      blockNumber,
    });
  const [alice, bob, merchant, arbiter, treasury, escrowBalance, fees, payments] = await Promise.all([
    tokenBalance(accounts.alice),
    tokenBalance(accounts.bob),
    tokenBalance(accounts.merchant),
    tokenBalance(accounts.arbiter),
    tokenBalance(accounts.treasury),
    publicClient.readContract({
      address: escrow,
      abi: merchantEscrowAbi,
      functionName: "balanceOf",
      args: [accounts.merchant, token],
      blockNumber,
    }),
    publicClient.readContract({
      address: escrow,
      abi: merchantEscrowAbi,
      functionName: "feesOf",
      args: [token],
      blockNumber,
    }),
    Promise.all(
      observer.invoices.map((id) =>
        publicClient.readContract({
          address: escrow,
          abi: merchantEscrowAbi,
          functionName: "paymentOf",
          args: [id],
          blockNumber,
        }),
      ),
    ),
  ]);
  const held = payments.reduce((sum, payment) => sum + payment.held, 0n);
  return {
    block: blockNumber,
    balances: { alice, bob, merchant, escrow: escrowBalance, held, arbiter, treasury, fees },
  };
}

/**
 * Every row the node serves, once it has indexed `block`. The node answers as of its newest indexed block:
 * on the demo's quiet chain that is `block`; on a busy one, a transfer by someone else in between shows as
 * a difference, which is the honest report.
 */
export async function readNode(observer: Observer, block: bigint): Promise<NodeBalances> {
  const node = createNodeClient({ transport: http(observer.node) });
  await waitForIndex(observer, node, block);
  const { accounts, token } = observer;
  const account = async (address: Address) => balanceOf((await getAccount(node, { address })).balances, token);
  const [alice, bob, merchant, arbiter, treasury, escrow, held] = await Promise.all([
    account(accounts.alice),
    account(accounts.bob),
    account(accounts.merchant),
    account(accounts.arbiter),
    account(accounts.treasury),
    getMerchantBalances(node, { merchant: accounts.merchant }).then(({ balances }) => balanceOf(balances, token)),
    heldByNode(observer, node),
  ]);
  return { alice, bob, merchant, escrow, held, arbiter, treasury };
}

function balanceOf(balances: TokenBalance[], token: Address): bigint | undefined {
  const found = balances.find((entry) => entry.token.toLowerCase() === token.toLowerCase());
  return found === undefined ? undefined : BigInt(found.balance);
}

/** What the node says the story's invoices still hold; undefined if it does not know one of them. */
async function heldByNode(observer: Observer, node: NodeClient): Promise<bigint | undefined> {
  let sum = 0n;
  for (const id of observer.invoices) {
    const invoice = await getInvoice(node, { id });
    if (invoice === undefined) return undefined;
    sum += BigInt(invoice.held);
  }
  return sum;
}

/** Polls `/v1/status` until the node has indexed `block`; a clear error when it has not in time. */
async function waitForIndex(observer: Observer, node: NodeClient, block: bigint) {
  const deadline = Date.now() + observer.indexTimeoutMs;
  for (;;) {
    const status = await getStatus(node);
    if (status.indexedBlock !== null && BigInt(status.indexedBlock) >= block) return;
    if (Date.now() > deadline) {
      throw new Error(
        `the node at ${observer.node} has indexed up to block ${status.indexedBlock ?? "none"} (phase ${status.phase}, head ${status.head ?? "unknown"}) after ${observer.indexTimeoutMs / 1000} s; expected block ${block}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The rows where the chain or the node differ from the books. */
export function compareBalances(expected: Balances, chain: Balances, node: NodeBalances): Mismatch[] {
  return ROWS.flatMap((row) => {
    const served = row === "fees" ? undefined : node[row];
    const nodeAgrees = row === "fees" || served === expected[row];
    if (chain[row] === expected[row] && nodeAgrees) return [];
    return [{ row, expected: expected[row], chain: chain[row], node: served }];
  });
}

/**
 * Reads the chain and then the node (at the chain's block) and compares both with `expected`. Returns the
 * block checked; throws `BalanceMismatchError`, naming each row that differs, otherwise.
 *
 * @example
 * const { block } = await checkBalances(observer, expected, { what: "1. alice pays bob", token });
 */
export async function checkBalances(
  observer: Observer,
  expected: Balances,
  { what, token }: { what: string; token: TokenFormat },
): Promise<{ block: bigint }> {
  const chain = await readChain(observer);
  const node = await readNode(observer, chain.block);
  const mismatches = compareBalances(expected, chain.balances, node);
  if (mismatches.length > 0) throw new BalanceMismatchError(what, chain.block, mismatches, token);
  return { block: chain.block };
}
