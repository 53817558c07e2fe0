// `send`: the hub takes a message only from the address the session signed in as, signed by it for this
// chain and escrow, with an id that sender never used before (remembered for good: the message itself is
// kept under it) and a `sentAt` near the hub's clock. Then the message, its place in the conversation
// and an entry in every participant's inbox (the sender's too, for its other devices) are written in one
// batch, and pushed to whoever is connected.
import { getAddress, zeroAddress } from "viem";
import { conversationOf } from "../../protocol/chat/envelope.ts";
import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import type { ClientFrameOf } from "../../protocol/chat/frames.ts";
import { appendToInboxes, type HubContext, type Reply, takeMessage } from "./context.ts";
import { checkMember, readGroup } from "./groups.ts";
import { messageFrame } from "./inboxes.ts";
import { conversationKey, messageKey, messageRef } from "./keys.ts";
import type { Session } from "./sessions.ts";

export async function send(ctx: HubContext, session: Session, frame: ClientFrameOf<"send">, reply: Reply) {
  const address = session.address as string;
  const { envelope } = frame;
  takeMessage(ctx, address);
  if (envelope.from.toLowerCase() !== address) {
    throw new ChatProtocolError(
      "IMPERSONATION",
      `envelope.from: ${envelope.from}, but this session is signed in as ${getAddress(address)}; a client sends only its own messages`,
    );
  }
  await ctx.verifier.envelope(envelope, ctx.chat);
  const skew = envelope.sentAt - ctx.now();
  if (Math.abs(skew) > ctx.limits.clockSkewMs) {
    throw new ChatProtocolError(
      "CLOCK_SKEW",
      `envelope.sentAt: ${new Date(envelope.sentAt).toISOString()} is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? "ahead of" : "behind"} the hub's clock; at most ${ctx.limits.clockSkewMs / 1000} s allowed`,
      { hint: "Check the device's clock, then sign the message again." },
    );
  }
  let recipients: string[];
  if (envelope.to.type === "direct") {
    if (envelope.to.address === zeroAddress) {
      throw new ChatProtocolError("MALFORMED", "envelope.to.address: the zero address reads no messages");
    }
    recipients = [...new Set([address, envelope.to.address.toLowerCase()])];
  } else {
    const group = await readGroup(ctx, envelope.to.id);
    checkMember(group, address);
    recipients = [...group.memberSet];
  }
  const conversation = conversationOf(envelope.from, envelope.to);
  const ref = messageRef(address, envelope.id);

  // One message of a sender at a time: the replay check and the write cannot interleave with a twin.
  await ctx.serialize(`send:${address}`, async () => {
    if ((await ctx.db.get(messageKey(ref))) !== undefined) {
      throw new ChatProtocolError("REPLAYED", `envelope.id: ${envelope.id} was already sent by ${envelope.from}`, {
        hint: "Every message needs a fresh random id; this one is a copy of a message already delivered.",
      });
    }
    await Promise.all([ctx.inboxes.load(recipients), ctx.inboxes.loadConversation(conversation)]);
    const json = JSON.stringify(envelope);
    const index = ctx.inboxes.nextIndex(conversation);
    const seqs = await appendToInboxes(
      ctx,
      recipients.map((recipient) => ({
        address: recipient,
        value: `m${ref}`,
        frame: (seq: number) => messageFrame(seq, json),
      })),
      [
        { type: "put", key: messageKey(ref), value: json },
        { type: "put", key: conversationKey(conversation, index), value: ref },
      ],
    );
    reply({ type: "sent", id: envelope.id, seq: seqs[recipients.indexOf(address)] as number });
  });
}
