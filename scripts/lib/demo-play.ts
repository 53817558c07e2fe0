// Plays the story on a stack: opens the cast, books the balances at the start (read from the chain, and
// the node must agree), then for each step plays it, books what it moved, and checks the chain and the
// node against the books before going on. The transcript goes to `say`, one line at a time.
import { type Cast, openCast } from "./demo-cast.ts";
import {
  BalanceMismatchError,
  checkBalances,
  compareBalances,
  type Observer,
  readChain,
  readNode,
} from "./demo-check.ts";
import { applyDelta, type Balances, balanceTable, type TokenFormat } from "./demo-ledger.ts";
import type { Endpoints } from "./demo-stack.ts";
import { storySteps } from "./demo-story.ts";

export interface PlayStoryParameters {
  endpoints: Endpoints;
  password: string;
  say: (line: string) => void;
  /** For each wait: a message to arrive, a payment to be confirmed, a block to be mined or indexed. */
  timeoutMs: number;
}

export interface PlayStoryReturnType {
  start: Balances;
  final: Balances;
  steps: number;
}

/**
 * Plays every step of the story and checks every balance after each; throws `BalanceMismatchError` on
 * the first step after which the chain or the node differs from the books.
 *
 * @example
 * await playStory({ endpoints, password: "gram-demo", say: console.log, timeoutMs: 20_000 });
 */
export async function playStory({
  endpoints,
  password,
  say,
  timeoutMs,
}: PlayStoryParameters): Promise<PlayStoryReturnType> {
  const cast = await openCast({ endpoints, password, timeoutMs });
  try {
    const observer: Observer = {
      publicClient: cast.alice.client.publicClient,
      node: endpoints.node,
      token: cast.token.address,
      escrow: cast.deployment.contracts.MerchantEscrow.address,
      accounts: {
        alice: cast.alice.address,
        bob: cast.bob.address,
        merchant: cast.merchant.address,
        arbiter: cast.arbiter.address,
        treasury: cast.treasury,
      },
      invoices: [],
      indexTimeoutMs: timeoutMs,
    };
    const token: TokenFormat = cast.token;
    introduce(cast, endpoints, say);
    const start = await startingBalances(observer, token);
    say("");
    say("Balances at the start (the story checks every change from here):");
    for (const line of balanceTable(start, token)) say(line);

    let books = start;
    const steps = storySteps({ cast, observer, node: endpoints.node, say: (line) => say(`    ${line}`), timeoutMs });
    for (const step of steps) {
      say("");
      say(step.title);
      const next = applyDelta(books, await step.run(books));
      const { block } = await checkBalances(observer, next, { what: step.title, token });
      for (const line of balanceTable(next, token, books)) say(line);
      say(`    ✓ the chain and the node agree with the story at block ${block}`);
      books = next;
    }
    say("");
    say("Final balances (change since the start):");
    for (const line of balanceTable(books, token, start)) say(line);
    return { start, final: books, steps: steps.length };
  } finally {
    await cast.close();
  }
}

function introduce(cast: Cast, endpoints: Endpoints, say: (line: string) => void) {
  const { token } = cast;
  say(
    `Gram demo on chain ${cast.deployment.chainId}: RPC ${endpoints.rpc}, node ${endpoints.node} (API, chat hub, relayer)`,
  );
  say(
    `  token ${token.symbol} (${token.decimals} decimals) ${token.address}; escrow ${cast.deployment.contracts.MerchantEscrow.address}, withdrawal fee ${cast.withdrawFeeBps} bps`,
  );
  for (const who of [cast.alice, cast.bob, cast.merchant, cast.arbiter]) say(`  ${who.name.padEnd(9)} ${who.address}`);
  say(`  ${"treasury".padEnd(9)} ${cast.treasury}`);
}

/**
 * The books start from the chain: on a stack someone has already used, only the story's changes are known.
 * The node must already agree with the chain there, or every later check would blame the story.
 */
async function startingBalances(observer: Observer, token: TokenFormat): Promise<Balances> {
  const chain = await readChain(observer);
  const node = await readNode(observer, chain.block);
  const mismatches = compareBalances(chain.balances, chain.balances, node);
  if (mismatches.length > 0) throw new BalanceMismatchError("nothing (the start)", chain.block, mismatches, token);
  return chain.balances;
}
