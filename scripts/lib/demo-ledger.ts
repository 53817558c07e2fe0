// The demo's own books: the balances the story expects, kept apart from anything read from the chain or
// the node, so that a check compares two independent accounts of the same money. The escrow's arithmetic
// (cashback at capture, the withdrawal fee) is redone here from the invoice's terms and the fee the
// contract was deployed with.
import { formatAmount } from "../../protocol/amounts.ts";

/** The balances the demo follows, in the order its tables show them. */
export const ROWS = ["alice", "bob", "merchant", "escrow", "held", "arbiter", "treasury", "fees"] as const;
export type Row = (typeof ROWS)[number];
/** Base units of the token, one per row. */
export type Balances = Record<Row, bigint>;
/** What a step moves: rows left out do not change. */
export type Delta = Partial<Balances>;

export const LABELS: Record<Row, string> = {
  alice: "alice",
  bob: "bob",
  merchant: "merchant (wallet)",
  escrow: "merchant (escrow balance)",
  held: "held in escrow (demo orders)",
  arbiter: "arbiter",
  treasury: "treasury",
  fees: "fees not yet collected",
};

/** The escrow's basis points: 10,000 = 100%. */
const BPS = 10_000n;

/** The cashback the escrow pays the payer on an invoice's first capture of `amount`: rounded down, as the contract does. */
export function cashbackOf(amount: bigint, cashbackBps: number): bigint {
  return (amount * BigInt(cashbackBps)) / BPS;
}

/** The fee the escrow keeps from a withdrawal of `amount`: rounded up, as the contract does. */
export function withdrawFeeOf(amount: bigint, feeBps: bigint): bigint {
  return (amount * feeBps + BPS - 1n) / BPS;
}

export function applyDelta(balances: Balances, delta: Delta): Balances {
  const next = { ...balances };
  for (const row of ROWS) next[row] += delta[row] ?? 0n;
  for (const row of ROWS) {
    // A story that spends more than an account holds is a bug in the story, not something to check later.
    if (next[row] < 0n) throw new Error(`the story takes ${row} below zero (${next[row]} base units)`);
  }
  return next;
}

export interface TokenFormat {
  symbol: string;
  decimals: number;
}

/** "12.5 GRAM". */
export function formatTokens(units: bigint, { symbol, decimals }: TokenFormat): string {
  return `${formatAmount(units, decimals)} ${symbol}`;
}

/** "+2.5", "-13.5", or "" when nothing changed. */
function formatChange(units: bigint, decimals: number): string {
  if (units === 0n) return "";
  return units > 0n ? `+${formatAmount(units, decimals)}` : `-${formatAmount(-units, decimals)}`;
}

/** One line per row: label, balance, and the change since `since` when given. */
export function balanceTable(balances: Balances, token: TokenFormat, since?: Balances): string[] {
  return ROWS.map((row) => {
    const change = since === undefined ? "" : formatChange(balances[row] - since[row], token.decimals);
    return `    ${LABELS[row].padEnd(30)}${formatTokens(balances[row], token).padStart(22)}  ${change}`.trimEnd();
  });
}
