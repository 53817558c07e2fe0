// `challenge` and `signin`: Sign-In with Ethereum binds a connection to an address. The nonce is made
// here from the system's CSPRNG (viem's generateSiweNonce uses Math.random), is good for this connection
// only, for ten minutes, and is spent by the first sign-in that presents a message, good or bad.
import { randomBytes } from "node:crypto";
import type { Hex } from "viem";
import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import type { ClientFrameOf } from "../../protocol/chat/frames.ts";
import { SIGN_IN_MAX_TTL_MS } from "../../protocol/chat/siwe.ts";
import type { HubContext, Reply } from "./context.ts";
import { ackKey, knownKey, nameOfKey } from "./keys.ts";
import type { Session } from "./sessions.ts";

export function challenge(ctx: HubContext, session: Session, _frame: unknown, reply: Reply) {
  if (session.address !== undefined) alreadySignedIn(session);
  const issuedAt = ctx.now();
  const nonce = randomBytes(16).toString("hex");
  const expiresAt = issuedAt + SIGN_IN_MAX_TTL_MS;
  session.challenge = { nonce, issuedAt, expiresAt };
  reply({
    type: "challenge",
    nonce,
    domain: ctx.signIn.domain,
    uri: ctx.signIn.uri,
    chainId: ctx.chat.chainId,
    expiresAt,
  });
}

export async function signIn(ctx: HubContext, session: Session, frame: ClientFrameOf<"signin">, reply: Reply) {
  if (session.address !== undefined) alreadySignedIn(session);
  const given = session.challenge;
  session.challenge = undefined;
  if (given === undefined) {
    throw new ChatProtocolError(
      "SIGNIN_FAILED",
      'sign-in: no nonce to sign: send {"op":"challenge"} first (each nonce is good for one attempt)',
    );
  }
  const now = ctx.now();
  if (now > given.expiresAt) {
    throw new ChatProtocolError("SIGNIN_FAILED", "sign-in: the challenge expired; ask for a new one");
  }
  const { address: checksummed } = await ctx.verifier.signIn({
    message: frame.message,
    signature: frame.signature as Hex,
    expected: {
      nonce: given.nonce,
      domain: ctx.signIn.domain,
      uri: ctx.signIn.uri,
      chainId: ctx.chat.chainId,
      issuedAt: given.issuedAt,
    },
    now,
    clockSkewMs: ctx.limits.clockSkewMs,
  });
  const address = checksummed.toLowerCase();
  await ctx.inboxes.load([address]);
  const [username, acked] = await ctx.db.getMany([nameOfKey(address), ackKey(address)]);
  if (!ctx.known.has(address)) {
    ctx.known.add(address);
    await ctx.writer.write([{ type: "put", key: knownKey(address), value: String(now) }]);
  }
  // Counted, bound and welcomed in one step: the caps hold against sign-ins racing on other connections,
  // and any entry committed from here on is pushed after the welcome.
  ctx.admission.signIn(session, address);
  const lastSeq = ctx.inboxes.committed(address);
  ctx.sessions.bind(session, address, lastSeq);
  reply({
    type: "welcome",
    address: checksummed,
    username: username ?? null,
    lastSeq,
    ackedSeq: acked === undefined ? 0 : Number(acked),
  });
}

function alreadySignedIn(session: Session): never {
  throw new ChatProtocolError(
    "SIGNIN_FAILED",
    `sign-in: this connection is already signed in as ${session.address}; open another to sign in as someone else`,
  );
}
