// `gram chat read [peer] [--wait-ms n]`: what arrived since the last read, in order, once: messages (each
// payment with what the chain says of it), rejected messages (forged, replayed, for another chain…),
// status hints, groups, and changes to payments shown before (pending → confirmed, or a reorg's revert).
// The result goes back to the command runner, which prints it; the cursor is saved only after that
// (`afterOutput`), still holding the chat lock. A read filtered to one chat keeps the others' messages for
// the next read.
import type { Hex } from "viem";
import { conversationOf } from "../../../../protocol/chat/envelope.ts";
import type { GroupInfo } from "../../../../protocol/chat/frames.ts";
import { rememberCard } from "../../../chat/cards.ts";
import type { InboxEvent } from "../../../chat/createChatListeners.ts";
import type { PaymentUpdate } from "../../../chat/createPaymentTracker.ts";
import { resolvePeer } from "../../../chat/resolvePeer.ts";
import { type ChatMessage, isRejected, verifyIncoming } from "../../../chat/verifyIncoming.ts";
import { CliError } from "../../errors.ts";
import type { Cli } from "../../options.ts";
import { type CommandResult, result } from "../../output.ts";
import { type ChatSession, holdChatLock, prepareChat, signInChat } from "./session.ts";
import {
  type MessageView,
  messageLines,
  type RejectedView,
  rejectedLines,
  statusView,
  updateLines,
  updateView,
  viewMessage,
  viewRejected,
} from "./view.ts";

export async function read(cli: Cli, peer: string | undefined, options: { waitMs?: string }): Promise<CommandResult> {
  const waitMs = options.waitMs === undefined ? 0 : Number(options.waitMs);
  if (!/^\d{1,7}$/.test(options.waitMs ?? "0") || waitMs > 3_600_000) {
    throw new CliError("INVALID_OPTION", `--wait-ms: got '${options.waitMs}', expected milliseconds 0..3600000`);
  }
  const prepared = await prepareChat(cli);
  const release = await holdChatLock(prepared);
  let session: ChatSession | undefined;
  const finish = async () => {
    try {
      await session?.close();
    } finally {
      await release();
    }
  };
  try {
    const entries: InboxEvent[] = [];
    let arrived: (() => void) | undefined;
    /** The one conversation asked for, if any. */
    let wanted: Hex | undefined;
    const awaited = (e: InboxEvent) =>
      e.type === "rejected" || (e.type === "message" && (wanted === undefined || e.message.conversation === wanted));
    session = await signInChat(cli, prepared, {
      sync: true,
      autoSave: false,
      onEvent: (event) => {
        if (event.type === "synced" || event.type === "disconnected" || event.type === "reconnected") return;
        entries.push(event);
        if (awaited(event)) arrived?.();
      },
    });
    const { chat, me } = session;
    const only = peer === undefined ? undefined : await resolvePeer(chat, { home: cli.home, peer });
    wanted = only === undefined ? undefined : conversationOf(me, only.target);
    await chat.synced;
    if (waitMs > 0 && !entries.some(awaited) && chat.state.unread.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        arrived = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await chat.pause();
    const read = await present(session, entries, wanted);
    // The cursor moves once the result is written out: a read that dies in between shows the same
    // messages again, rather than never.
    const saved = session;
    return {
      ...read,
      afterOutput: async () => {
        try {
          await saved.chat.saveState();
        } finally {
          await finish();
        }
      },
    };
  } catch (error) {
    await finish();
    throw error;
  }
}

/** What was read, as views: kept messages and new entries in seq order, payments with their latest state. */
async function present(session: ChatSession, entries: InboxEvent[], wanted: Hex | undefined) {
  const { chat, payments, me } = session;
  // Payments shown before: what the chain says of them now.
  const updates = new Map<Hex, PaymentUpdate>();
  for (const update of await payments.recheck()) updates.set(update.id, update);

  // Kept from a filtered read, then the new entries, in seq order.
  const kept = await keptEntries(chat.state.unread, { domain: chat.domain, me });
  chat.state.unread = [];
  const ordered = [...kept, ...entries].sort((a, b) => a.seq - b.seq);
  const ctx = { client: session.connection.client, names: session.names, me };
  const messages: MessageView[] = [];
  const rejected: RejectedView[] = [];
  const statuses: ReturnType<typeof statusView>[] = [];
  const groups: (GroupInfo & { seq: number })[] = [];
  const shown = new Set<Hex>();
  for (const entry of ordered) {
    if (entry.type === "message") {
      const message = entry.message;
      if (wanted !== undefined && message.conversation !== wanted) {
        chat.state.unread.push({ seq: entry.seq, frame: { type: "message", envelope: jsonOf(message.envelope) } });
        continue;
      }
      const body = message.envelope.body;
      if (body.type === "request" || body.type === "invoice") rememberCard(chat.state, message);
      const verification = body.type === "payment" ? await payments.check(message) : undefined;
      messages.push(await viewMessage(ctx, message, entry.seq, verification));
      shown.add(message.envelope.id);
    } else if (entry.type === "rejected") {
      rejected.push(viewRejected(entry.rejection, entry.seq));
    } else if (entry.type === "status") {
      statuses.push(statusView(entry.status, entry.seq));
      for (const update of await payments.hint(entry.status)) updates.set(update.id, update);
    } else {
      groups.push({ seq: entry.seq, ...entry.group });
    }
  }
  // A payment shown now carries its latest state; an update is for one shown before.
  for (const view of messages) {
    const record = view.payment === undefined ? undefined : payments.get(view.id);
    if (view.payment !== undefined && record !== undefined) {
      Object.assign(view.payment, {
        state: record.state,
        code: record.code,
        reason: record.reason,
        block: record.block ?? null,
      });
    }
  }
  const changed = [...updates.values()].filter((update) => !shown.has(update.id));
  const changedLines: string[] = [];
  for (const update of changed) changedLines.push(...updateLines(update, await session.names.label(update.from)));

  const text = [
    ...messages.flatMap(messageLines),
    ...rejected.flatMap(rejectedLines),
    ...groups.map((group) => `[group] added to "${group.name}" ${group.id} (${group.members.length} members)`),
    ...changedLines,
  ];
  if (text.length === 0) text.push("no new messages");
  if (chat.state.unread.length > 0)
    text.push(`(${chat.state.unread.length} message(s) in other chats kept for the next read)`);
  return result(
    {
      address: me,
      username: chat.username,
      hub: chat.url,
      lastSeq: chat.lastSeq,
      messages,
      rejected,
      statuses,
      groups,
      updates: changed.map(updateView),
      keptForLater: chat.state.unread.length,
    },
    text,
  );
}

function jsonOf(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/** Messages a filtered read kept, verified again (they were once; the replay check was made then). */
async function keptEntries(
  unread: { seq: number; frame: Record<string, unknown> }[],
  ctx: Parameters<typeof verifyIncoming>[1],
): Promise<InboxEvent[]> {
  const out: InboxEvent[] = [];
  for (const { seq, frame } of unread) {
    const checked = await verifyIncoming(frame.envelope, ctx);
    if (isRejected(checked)) out.push({ type: "rejected", seq, rejection: checked });
    else out.push({ type: "message", seq, message: checked as ChatMessage });
  }
  return out;
}
