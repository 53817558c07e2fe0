import { parseAmount } from "../../../protocol/amounts.ts";
import { invalidAmount } from "../../errors.ts";
import type { GramClient } from "../client.ts";
import { readTokenInfo } from "../readTokenInfo.ts";

/** Parses `text` in units of `token` (its own decimals), as a WalletError naming `what` when malformed. */
export async function parseTokenAmount(
  client: GramClient,
  { text, token, what }: { text: string; token?: `0x${string}` | undefined; what: string },
) {
  const info = await readTokenInfo(client, { token });
  try {
    return { units: parseAmount(text, info.decimals, { symbol: info.symbol }), token: info };
  } catch (error) {
    return invalidAmount(error, what);
  }
}
