// Shared by the chat protocol tests: fixed dev keys (so that messages can be snapshotted), a group id,
// and a way to catch a ChatProtocolError and look at its code.
import { expect } from "vitest";
import { ChatProtocolError } from "../../../protocol/chat/errors.ts";
import { localAccount } from "../../kit/accounts.ts";

// Hardhat's default accounts #3, #4 and #5: public test keys, never funded anywhere real.
export const alice = localAccount(3);
export const bob = localAccount(4);
export const carol = localAccount(5);
export const GROUP_ID = `0x${"ab".repeat(32)}` as const;

/** The ChatProtocolError `run` throws (or rejects with); fails the test when it throws anything else. */
export async function chatError(run: () => unknown): Promise<ChatProtocolError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(ChatProtocolError);
    return error as ChatProtocolError;
  }
  throw new Error("expected a ChatProtocolError, nothing was thrown");
}
