import { ChainError } from "../../errors.ts";
import type { GramClient } from "../client.ts";

/**
 * Now, for deadlines the chain checks: the later of the clock and the latest block's timestamp, since the
 * contracts compare with `block.timestamp` and a local chain's time may run ahead of the clock.
 */
export async function chainNow(client: GramClient): Promise<number> {
  try {
    const block = await client.publicClient.getBlock({ blockTag: "latest" });
    return Math.max(Math.floor(Date.now() / 1000), Number(block.timestamp));
  } catch (cause) {
    throw new ChainError("could not read the latest block", { cause });
  }
}
