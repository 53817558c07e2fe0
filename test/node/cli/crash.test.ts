// The crash test: gram-node is SIGKILLed at 20 random moments, half while it backfills a backlog and
// half while it follows new blocks being mined; after each kill it is restarted on the same data
// folder and, once synced, what it serves must equal the chain: every account's balance equals
// `balanceOf`, and the events counted equal the chain's logs (nothing lost, nothing counted twice).
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { random } from "../../../scripts/lib/random.ts";
import { killAll, spawnGramNode } from "../../../scripts/lib/spawn-gram-node.ts";
import { waitIndexed } from "../../../scripts/lib/wait-indexed.ts";
import type { TestChain } from "../../kit/chain.ts";
import { getJson } from "../../kit/http.ts";
import { expectServedEqualsChain, type nodeFolders, startChainWithFolders } from "../../kit/node-process.ts";
import { randomTransfers } from "../../kit/workload.ts";

const KILLS = 20;
/** The kills' moments change with the seed; a failure prints it, and GRAM_CRASH_SEED repeats a run. */
const SEED = Number(process.env.GRAM_CRASH_SEED ?? Date.now() % 1_000_000);

let chain: TestChain;
let folders: Awaited<ReturnType<typeof nodeFolders>>;
let close: (() => Promise<void>) | undefined;
beforeAll(async () => {
  ({ chain, folders, close } = await startChainWithFolders());
});
afterAll(() => close?.());
afterEach(killAll);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Mines blocks of 1–4 random transfers until `stop` is called; resolves with the blocks mined. */
function mineUntilStopped(seed: number) {
  const rng = random(seed);
  let stopped = false;
  const done = (async () => {
    let blocks = 0;
    while (!stopped) {
      await randomTransfers(chain, rng.int(1_000_000), 1, 1 + rng.int(4));
      blocks++;
    }
    return blocks;
  })();
  return {
    stop: () => {
      stopped = true;
      return done;
    },
  };
}

describe("gram-node crash safety", () => {
  it(`SIGKILLed at ${KILLS} random moments in backfill and realtime, it restarts to the chain's exact state (seed ${SEED})`, async () => {
    const rng = random(SEED);
    // Several hundred transfers over many blocks: the first backfill's workload.
    await randomTransfers(chain, SEED, 40, 10);
    const dataDir = join(folders.root, "data");
    const args = [
      ...["--rpc", chain.url, "--data-dir", dataDir, "--deployments", folders.deployments, "--port", "0"],
      // Small log ranges make a backfill many batches long, so that kills land between and inside them.
      ...["--finality", "3", "--confirmations", "1", "--poll-interval-ms", "10", "--max-log-range", "3"],
    ];
    const restartMs: number[] = [];
    const killedIn: string[] = [];

    for (let kill = 0; kill < KILLS; kill++) {
      const backfilling = kill % 2 === 0;
      // A backlog for the backfill (the first kill has the initial workload).
      if (backfilling && kill > 0) await randomTransfers(chain, rng.int(1_000_000), 15 + rng.int(15), 1 + rng.int(3));

      const victim = spawnGramNode(args);
      let ranges = 0;
      let killAt = -1;
      if (backfilling && rng.next() < 0.5) {
        // Right after the k-th committed range: the next one is being fetched or written.
        killAt = 1 + rng.int(8);
      }
      victim.onRecord((record) => {
        if (record.msg === "backfill" && ++ranges === killAt) victim.child.kill("SIGKILL");
      });
      let miner: ReturnType<typeof mineUntilStopped> | undefined;
      if (backfilling) {
        await victim.ready;
        await (killAt < 0 ? sleep(rng.int(150)) : Promise.race([victim.exited, sleep(300)]));
      } else {
        await waitIndexed(chain.client, await victim.ready);
        miner = mineUntilStopped(rng.int(1_000_000));
        await sleep(20 + rng.int(300));
      }
      victim.child.kill("SIGKILL");
      expect(await victim.exited).toBe(null);
      await miner?.stop();
      const following = victim.records().some((record) => record.msg === "following the head");
      killedIn.push(backfilling ? (following ? "backfill (done)" : `backfill (after ${ranges} ranges)`) : "realtime");

      const restarted = spawnGramNode(args);
      const url = await restarted.ready;
      while ((await getJson(`${url}/healthz`).catch(() => ({ status: 0 }))).status !== 200) await sleep(5);
      restartMs.push(performance.now() - restarted.spawnedAt);
      await waitIndexed(chain.client, url);
      await expectServedEqualsChain(chain, url);
      restarted.child.kill("SIGTERM");
      expect(await restarted.exited).toBe(0);
    }

    // Restart time is measured by `npm run bench:node`, on a quiet machine; here it is only reported.
    const sorted = [...restartMs].sort((a, b) => a - b);
    console.log(
      `crash test (seed ${SEED}): kills in ${killedIn.join(", ")}; restart to serving: median ${Math.round(sorted[Math.floor(sorted.length / 2)] as number)} ms`,
    );
    expect(killedIn.filter((where) => where.startsWith("backfill (after"))).not.toHaveLength(0);
  }, 180_000);
});
