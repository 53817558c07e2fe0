import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import type { GroupInfo, HubFrameInput } from "../../protocol/chat/frames.ts";
import type { ChatDomainInfo } from "../../protocol/chat/sign.ts";
import type { Log } from "../internal/logger.ts";
import type { RateLimiter } from "../internal/rate-limiter.ts";
import type { Admission } from "./admission.ts";
import type { Inboxes } from "./inboxes.ts";
import { inboxKey } from "./keys.ts";
import type { HubLimits } from "./limits.ts";
import type { Session, Sessions } from "./sessions.ts";
import type { Verifier } from "./verifier.ts";
import type { HubDb, WriteOp, Writer } from "./writer.ts";

/** What the operations share: built once by `createChatHub`. */
export interface HubContext {
  db: HubDb;
  /** The chain and escrow every envelope must be signed for. */
  chat: ChatDomainInfo;
  /** What sign-in messages must name. */
  signIn: { domain: string; uri: string };
  limits: HubLimits;
  log: Log;
  now(): number;
  writer: Writer;
  inboxes: Inboxes;
  sessions: Sessions;
  /** Who may connect and sign in: caps per IP, per address, and on connections not signed in. */
  admission: Admission<Session>;
  messageLimiter: RateLimiter;
  /** Signature checks, in worker threads. */
  verifier: Verifier;
  /** Groups read so far, by id: members are fixed at creation, so a group never goes stale. */
  groups: Map<string, GroupInfo & { memberSet: ReadonlySet<string> }>;
  /** Addresses that have signed in at least once: the only ones statuses are written for. */
  known: Set<string>;
  /** Runs `task` once every earlier task of the same `key` has settled. */
  serialize<T>(key: string, task: () => Promise<T>): Promise<T>;
}

/** Sends a hub frame to the session that asked, with the asking frame's `ref` (also readable here). */
export type Reply = ((frame: HubFrameInput) => void) & { readonly ref: string | undefined };

/** One entry for one inbox: its stored value and the frame it is pushed as. */
export interface InboxEntry {
  address: string;
  value: string;
  frame(seq: number): string;
}

/**
 * Hands out the next seq of each entry's inbox (loaded first: `ctx.inboxes.load`), writes the entries
 * with `ops` in one batch, and pushes each to its live sessions once the batch is on disk. Resolves to
 * the seq each entry got, in order.
 */
export function appendToInboxes(
  ctx: HubContext,
  entries: readonly InboxEntry[],
  ops: WriteOp[] = [],
): Promise<number[]> {
  const seqs = entries.map((entry) => ctx.inboxes.nextSeq(entry.address));
  entries.forEach((entry, i) => {
    ops.push({ type: "put", key: inboxKey(entry.address, seqs[i] as number), value: entry.value });
  });
  return ctx.writer
    .write(ops, () => {
      entries.forEach((entry, i) => {
        const seq = seqs[i] as number;
        ctx.inboxes.markCommitted(entry.address, seq);
        ctx.sessions.deliver(entry.address, seq, entry.frame(seq));
      });
    })
    .then(() => seqs);
}

/** Takes one message (or group) from `address`'s allowance; refuses (`RATE_LIMITED`) past `messagesPerMinute`. */
export function takeMessage(ctx: HubContext, address: string) {
  const wait = ctx.messageLimiter.take(address);
  if (wait > 0) {
    throw new ChatProtocolError(
      "RATE_LIMITED",
      `more than ${ctx.limits.messagesPerMinute} messages a minute from this address; retry in ${wait} s`,
    );
  }
}
