// `sync`, `ack` and `history`. A sync sends the inbox entries after the client's last seq, oldest first,
// then `synced`. Live pushes wait while it reads; when it has read everything committed it hands over to
// them in the same tick (nothing can be committed in between), so that no entry is skipped or sent twice.
import { getAddress } from "viem";
import { conversationOf } from "../../protocol/chat/envelope.ts";
import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import { type ClientFrameOf, HUB_FRAME_MAX_BYTES, SYNC_MAX_LIMIT } from "../../protocol/chat/frames.ts";
import type { HubContext, Reply } from "./context.ts";
import { checkMember, readGroup } from "./groups.ts";
import { ackKey, conversationKey, conversationPrefix, messageKey, prefixEnd, trailingNumber } from "./keys.ts";
import type { Session } from "./sessions.ts";

/** Entries read from the database per round trip. */
const PAGE = 200;

export async function sync(ctx: HubContext, session: Session, frame: ClientFrameOf<"sync">, reply: Reply) {
  const address = session.address as string;
  const limit = frame.limit ?? SYNC_MAX_LIMIT;
  await ctx.inboxes.load([address]);
  session.syncing = true;
  let last = frame.after;
  let sent = 0;
  let more = false;
  try {
    for (;;) {
      const want = Math.min(PAGE, limit - sent);
      const frames = await ctx.inboxes.read(address, last, want);
      for (const { seq, text } of frames) {
        ctx.sessions.send(session, text);
        last = seq;
      }
      sent += frames.length;
      const committed = ctx.inboxes.committed(address);
      if (sent >= limit) {
        more = committed > last;
        break;
      }
      // Fewer than asked and nothing committed since: the inbox is read to its end.
      if (frames.length < want && committed <= last) break;
    }
  } finally {
    session.syncing = false;
  }
  // A client that claims more than was ever handed out lost track (or the hub lost data): it is told the truth.
  if (last > ctx.inboxes.assigned(address)) last = ctx.inboxes.committed(address);
  session.cursor = last;
  session.behind = more;
  reply({ type: "synced", lastSeq: last, more });
}

export async function ack(ctx: HubContext, session: Session, frame: ClientFrameOf<"ack">, reply: Reply) {
  const address = session.address as string;
  await ctx.inboxes.load([address]);
  const newest = ctx.inboxes.committed(address);
  if (frame.seq > newest) {
    throw new ChatProtocolError("MALFORMED", `seq: got ${frame.seq}, but the newest entry of this inbox is ${newest}`);
  }
  const seq = await ctx.serialize(`ack:${address}`, async () => {
    const stored = Number((await ctx.db.get(ackKey(address))) ?? 0);
    if (frame.seq <= stored) return stored;
    await ctx.writer.write([{ type: "put", key: ackKey(address), value: String(frame.seq) }]);
    return frame.seq;
  });
  reply({ type: "acked", seq });
}

export async function history(ctx: HubContext, session: Session, frame: ClientFrameOf<"history">, reply: Reply) {
  const address = session.address as string;
  if (frame.conversation.type === "group") checkMember(await readGroup(ctx, frame.conversation.id), address);
  // A direct conversation's id is derived from the session's own address: only its two parties reach it.
  const conversation = conversationOf(getAddress(address), frame.conversation);
  const limit = frame.limit ?? 50;
  const prefix = conversationPrefix(conversation);
  const entries = await ctx.db
    .iterator({
      gte: prefix,
      lt: frame.before === undefined ? prefixEnd(prefix) : conversationKey(conversation, frame.before),
      reverse: true,
      limit: limit + 1,
    })
    .all();
  let more = entries.length > limit;
  const page = entries.slice(0, limit);
  const envelopes = page.length === 0 ? [] : await ctx.db.getMany(page.map(([, ref]) => messageKey(ref)));
  // Newest first until the frame is full, then oldest first for the client.
  const messages: string[] = [];
  let bytes = 200;
  for (const [i, [key]] of page.entries()) {
    const json = envelopes[i];
    if (json === undefined) throw new Error(`hub: conversation entry ${key} points at a missing message`);
    const item = `{"index":${trailingNumber(key)},"envelope":${json}}`;
    const size = Buffer.byteLength(item) + 1;
    if (bytes + size > HUB_FRAME_MAX_BYTES) {
      more = true;
      break;
    }
    bytes += size;
    messages.push(item);
  }
  const ref = reply.ref;
  const text = `{"type":"history","conversation":"${conversation}","messages":[${messages.reverse().join(",")}],"more":${more}${ref === undefined ? "" : `,"ref":${JSON.stringify(ref)}`}}`;
  ctx.sessions.send(session, text);
}
