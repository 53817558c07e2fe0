import { isAddressEqual, type LocalAccount } from "viem";
import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import { type HubFrameOf, hubFrameSchema } from "../../protocol/chat/frames.ts";
import { checkSignInChallenge, createChatSignIn } from "../../protocol/chat/siwe.ts";
import { ChatSignInRefusedError, ChatUnavailableError } from "./errors.ts";
import type { HubSocket } from "./openHubSocket.ts";

export interface SignInToHubParameters {
  /** The URL this client connected to: the challenge must name it, and its host as the domain. */
  url: string;
  /** The wallet's chain: the challenge must be for it. */
  chainId: number;
  account: Pick<LocalAccount, "address" | "signMessage">;
}

/**
 * Sign-In with Ethereum on an open hub socket: asks for a challenge, checks that it is for the URL and
 * domain this client connected to and for the wallet's chain (`ChatSignInRefusedError` otherwise, before
 * anything is signed), signs the EIP-4361 message and returns the hub's welcome.
 *
 * @example
 * const welcome = await signInToHub(socket, { url: "ws://127.0.0.1:8787/v1/chat", chainId: 31337, account });
 */
export async function signInToHub(
  socket: HubSocket,
  { url, chainId, account }: SignInToHubParameters,
): Promise<HubFrameOf<"welcome">> {
  const answer = await socket.request({ op: "challenge" });
  const parsed = hubFrameSchema.safeParse(answer);
  if (!parsed.success || parsed.data.type !== "challenge") {
    throw new ChatUnavailableError("the chat hub answered the sign-in challenge with something else", {
      details: JSON.stringify(answer).slice(0, 200),
    });
  }
  const challenge = parsed.data;
  try {
    checkSignInChallenge(challenge, { url, chainId });
  } catch (error) {
    const why = error instanceof ChatProtocolError ? error.shortMessage.replace(/^sign-in: /, "") : String(error);
    throw new ChatSignInRefusedError(`refused to sign in: ${why}; nothing was signed`, {
      hint: "point --node (or --chat) at a hub for this wallet's chain, by the address the hub announces",
    });
  }
  const message = createChatSignIn({ address: account.address, challenge });
  const signature = await account.signMessage({ message });
  const welcome = hubFrameSchema.safeParse(await socket.request({ op: "signin", message, signature }));
  if (!welcome.success || welcome.data.type !== "welcome" || !isAddressEqual(welcome.data.address, account.address)) {
    throw new ChatUnavailableError("the chat hub's welcome does not name this account");
  }
  return welcome.data;
}
