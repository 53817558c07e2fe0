import type { Address } from "viem";
import type { ChatConnection } from "./connectChat.ts";
import { expectAnswer } from "./expectAnswer.ts";

export type LookupUserParameters = { username: string } | { address: Address };

/** Nulls when the hub knows no such user. */
export interface LookupUserReturnType {
  username: string | null;
  address: Address | null;
}

/**
 * Asks the hub who holds a username, or which username an address holds. The answer is the hub's word:
 * anyone may register a free name (`resolvePeer` puts the wallet's contacts first).
 *
 * @example
 * const { address } = await lookupUser(chat, { username: "bob" });
 */
export async function lookupUser(
  chat: Pick<ChatConnection, "request">,
  query: LookupUserParameters,
): Promise<LookupUserReturnType> {
  const answer = expectAnswer(await chat.request({ op: "lookup", ...query }), "user");
  return { username: answer.username, address: answer.address };
}
