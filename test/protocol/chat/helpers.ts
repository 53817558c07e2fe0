// Shared by the chat protocol tests: fixed dev keys (so that messages can be snapshotted), the domain,
// and a way to catch a ChatProtocolError and look at its code.
import type { Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { expect } from "vitest";
import { ChatProtocolError } from "../../../protocol/chat/errors.ts";
import type { ChatDomainInfo } from "../../../protocol/chat/sign.ts";
import { CHAIN_ID, ESCROW } from "../links/helpers.ts";

// Hardhat's default accounts #3, #4 and #5: public test keys, never funded anywhere real.
export const alice = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
export const bob = privateKeyToAccount("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");
export const carol = privateKeyToAccount("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");

export const DOMAIN: ChatDomainInfo = { chainId: CHAIN_ID, escrow: ESCROW };
export const OTHER_ESCROW: Address = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
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
