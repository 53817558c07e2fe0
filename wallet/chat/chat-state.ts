// What a chat client keeps between runs, per account and hub: the last inbox seq it has handled (so that a
// reconnect syncs what it missed, in order, once), the ids of recent messages (a replay is told apart),
// recent request and invoice cards (to pay one by its id later), payments with their last verification
// (re-checked until the chain settles them), messages read from the hub but not shown yet (a read
// filtered to one conversation), groups, and which on-chain log already confirmed which payment message (a
// transfer proves at most one payment). Envelopes are kept as received and verified again on use.
//
// Where it is kept is a `ChatStateStore`: a file for the CLI (`fileChatStateStore.ts`, the one part of the
// state that needs Node), memory here, IndexedDB in a page. This file runs anywhere.
import { z } from "zod";

export const CHAT_STATE_VERSION = 1;

/** How many of each the state keeps: the newest win. */
export const CHAT_STATE_LIMITS = {
  seen: 2_000,
  cards: 200,
  payments: 200,
  unread: 1_000,
  groups: 500,
  claims: 5_000,
} as const;

const seq = z.number().int().nonnegative();

const paymentRecordSchema = z.object({
  /** The payment message as received (verified again when used). */
  envelope: z.record(z.string(), z.unknown()),
  state: z.enum(["pending", "confirmed", "unconfirmed"]),
  code: z.string(),
  reason: z.string(),
  tx: z.string().optional(),
  block: z.number().int().nonnegative().optional(),
  /** Unix ms of the last check. */
  checkedAt: z.number().int().nonnegative(),
});
export type PaymentRecord = z.infer<typeof paymentRecordSchema>;

/**
 * A log that confirmed a payment message: `log` is `<chainId>:<contract>:<tx hash>:<log index>` (the
 * token's `Transfer`, or the escrow's `InvoicePaid`), `by` the message that first claimed it
 * (`<sender>:<message id>`, as `seenKey`). Another message claiming the same log is a duplicate.
 */
const paymentClaimSchema = z.object({ log: z.string(), by: z.string() });
export type PaymentClaim = z.infer<typeof paymentClaimSchema>;

/** The state as a store reads it back: a store checks what it loads with this. */
export const chatStateSchema = z.object({
  version: z.literal(CHAT_STATE_VERSION),
  lastSeq: seq,
  seen: z.array(z.string()),
  cards: z.array(z.record(z.string(), z.unknown())),
  payments: z.array(paymentRecordSchema),
  unread: z.array(z.object({ seq, frame: z.record(z.string(), z.unknown()) })),
  groups: z.array(z.object({ id: z.string(), name: z.string(), members: z.array(z.string()) })),
  // Absent from files written before claims were kept: none were made then.
  claims: z.array(paymentClaimSchema).default([]),
});

/** A chat client's memory of one hub, for one account. */
export type ChatState = z.infer<typeof chatStateSchema>;

/**
 * Where the state lives, for one account and one hub: a file for the CLI (`fileChatStateStore`), memory
 * for a bot that starts afresh or a test (`memoryChatStateStore`), IndexedDB for a page. `connectChat`
 * loads it once and saves it whole; a store checks what it loads (`chatStateSchema`) and may cut what it
 * saves to `CHAT_STATE_LIMITS` (`trim`).
 */
export interface ChatStateStore {
  /** Undefined when nothing was saved yet; throws when what was saved is not a chat state. */
  load(): Promise<ChatState | undefined>;
  save(state: ChatState): Promise<void>;
}

export function emptyChatState(): ChatState {
  return {
    version: CHAT_STATE_VERSION,
    lastSeq: 0,
    seen: [],
    cards: [],
    payments: [],
    unread: [],
    groups: [],
    claims: [],
  };
}

/** Keeps the state in memory only: a bot that starts afresh, a demo, a test. */
export function memoryChatStateStore(initial?: ChatState): ChatStateStore {
  let saved = initial === undefined ? undefined : structuredClone(initial);
  return {
    load: async () => (saved === undefined ? undefined : structuredClone(saved)),
    save: async (state) => {
      saved = structuredClone(trim(state));
    },
  };
}

/** The state cut to its limits, newest kept. */
export function trim(state: ChatState): ChatState {
  const L = CHAT_STATE_LIMITS;
  return {
    ...state,
    seen: state.seen.slice(-L.seen),
    cards: state.cards.slice(-L.cards),
    payments: state.payments.slice(-L.payments),
    unread: state.unread.slice(-L.unread),
    groups: state.groups.slice(-L.groups),
    claims: state.claims.slice(-L.claims),
  };
}
