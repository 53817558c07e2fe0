// A `/v1/chat` client for the hub's tests: a `ws` socket that keeps every frame it receives, signs in with a
// viem account as a real client does (checking the challenge names the URL it connected to), and signs and
// sends envelopes.
import type { PrivateKeyAccount } from "viem/accounts";
import { WebSocket } from "ws";
import { type EnvelopeDraft, signEnvelope } from "../../protocol/chat/sign.ts";
import { checkSignInChallenge, createChatSignIn } from "../../protocol/chat/siwe.ts";
import { waitFor } from "../../scripts/lib/wait-for.ts";
import { DOMAIN } from "./constants.ts";

/** A frame as tests read it: any field, asserted on. Parse with `parseHubFrame` where the shape is the point. */
// biome-ignore lint/suspicious/noExplicitAny: tests read fields of frames and assert on them.
export type AnyFrame = any;

let refs = 0;

/**
 * A `/v1/chat` client that keeps every frame it receives. `localAddress` connects from another loopback
 * address (127.0.0.2, …: Linux routes all of 127/8 to the loopback interface), as another IP would.
 */
export async function chatClient(served: { wsUrl: string }, { localAddress }: { localAddress?: string } = {}) {
  const socket = new WebSocket(served.wsUrl, localAddress === undefined ? {} : { localAddress });
  const frames: AnyFrame[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  socket.on("message", (data) => frames.push(JSON.parse(data.toString())));
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  let account: PrivateKeyAccount | undefined;
  const client = {
    socket,
    frames,
    closed,
    /** Sends a frame (an object is JSON-encoded; a string or buffer goes as it is). */
    send(frame: unknown) {
      socket.send(typeof frame === "string" || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
    },
    /** Waits for the first frame after the `from` first ones that matches. */
    async next(match: (frame: AnyFrame) => boolean, from = 0, timeoutMs = 10_000): Promise<AnyFrame> {
      let found: AnyFrame | undefined;
      await waitFor(
        () => {
          found = frames.slice(from).find(match);
          return found !== undefined;
        },
        timeoutMs,
        "a frame",
      );
      return found as AnyFrame;
    },
    /** Sends `frame` with a fresh `ref` and waits for the answer that carries it. */
    async request(frame: Record<string, unknown>): Promise<AnyFrame> {
      const ref = `r${++refs}`;
      client.send({ ...frame, ref });
      return client.next((answer) => answer.ref === ref);
    },
    async signIn(signer: PrivateKeyAccount, tamper: (message: string) => string = (message) => message) {
      const challenge = await client.request({ op: "challenge" });
      // What a real client does before it signs: the hub must name the URL it connected to.
      checkSignInChallenge(challenge, { url: served.wsUrl, chainId: DOMAIN.chainId });
      const message = tamper(createChatSignIn({ address: signer.address, challenge }));
      account = signer;
      return client.request({ op: "signin", message, signature: await signer.signMessage({ message }) });
    },
    /** Signs a draft as the signed-in account and sends it; resolves to the hub's answer. */
    async say(draft: EnvelopeDraft, signer = account) {
      if (signer === undefined) throw new Error("sign in first");
      const envelope = await signEnvelope(signer, draft, DOMAIN);
      return { envelope, answer: await client.request({ op: "send", envelope }) };
    },
    /** Frames of one type, in the order they came. */
    of(type: string) {
      return frames.filter((frame) => frame.type === type);
    },
    close() {
      socket.close();
      return closed;
    },
  };
  return client;
}

export type ChatClient = Awaited<ReturnType<typeof chatClient>>;

/** A client already signed in as `account`. */
export async function signedIn(
  served: { wsUrl: string },
  account: PrivateKeyAccount,
  options: { localAddress?: string } = {},
): Promise<ChatClient> {
  const client = await chatClient(served, options);
  const welcome = await client.signIn(account);
  if (welcome.type !== "welcome") throw new Error(`sign-in failed: ${JSON.stringify(welcome)}`);
  return client;
}
