import type { Address } from "viem";
import type { ChatConnection } from "./connectChat.ts";
import { expectAnswer } from "./expectAnswer.ts";

export type RegisterUsernameReturnType = {
  username: string;
  address: Address;
};

/**
 * Takes `username` on the hub for this account: others may then reach it as `@username` (shown as
 * `~username`: the hub's word, not a contact). The hub refuses a name that is taken or malformed
 * (`ChatRefusedError`: `CHAT_USERNAME_TAKEN`, `CHAT_MALFORMED`).
 *
 * @example
 * const { username } = await registerUsername(chat, "alice");
 */
export async function registerUsername(
  chat: Pick<ChatConnection, "request">,
  username: string,
): Promise<RegisterUsernameReturnType> {
  const answer = expectAnswer(await chat.request({ op: "register", username }), "user");
  return { username: answer.username as string, address: answer.address as Address };
}
