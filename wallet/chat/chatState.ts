// What a chat client keeps between runs, per account and hub: the last inbox seq it has handled (so that a
// reconnect syncs what it missed, in order, once), the ids of recent messages (a replay is told apart),
// recent request and invoice cards (to pay one by its id later), payments with their last verification
// (re-checked until the chain settles them), messages read from the hub but not shown yet (a read
// filtered to one conversation), groups, and which on-chain log already confirmed which payment message (a
// transfer proves at most one payment). Envelopes are kept as received and verified again on use.
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Address } from "viem";
import { z } from "zod";
import { FILE_BOUNDS } from "../internal/readBoundedFile.ts";
import { readFileIfExists } from "../internal/readFileIfExists.ts";
import { writeFileAtomic } from "../internal/writeFileAtomic.ts";
import { ChatStateFileError } from "./errors.ts";

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

const chatStateSchema = z.object({
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

/** Where the state lives: a file for the CLI, memory for a page or a test. */
export interface ChatStateStore {
  /** Undefined when nothing was saved yet. */
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

/**
 * `$GRAM_HOME/chat/<chainId>-<address>-<hub>.json`, where `<hub>` is a short hash of the hub's URL: seqs
 * are numbered by each hub, so two hubs never share a cursor.
 *
 * @example
 * const file = chatStateFile(home, { chainId: 31337, address, url: "ws://127.0.0.1:8787/v1/chat" });
 */
export function chatStateFile(
  home: string,
  { chainId, address, url }: { chainId: number; address: Address; url: string },
) {
  const hub = createHash("sha256").update(url).digest("hex").slice(0, 12);
  return join(home, "chat", `${chainId}-${address.toLowerCase()}-${hub}.json`);
}

/** Reads and writes the state as JSON in `file`, atomically, mode 0600 (whom one talks to is private). */
export function fileChatStateStore(file: string): ChatStateStore {
  return {
    async load() {
      const text = await readFileIfExists(file, FILE_BOUNDS.chatState);
      if (text === undefined) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw invalid(file, "not valid JSON");
      }
      const parsed = chatStateSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw invalid(file, `${issue?.path.join(".") || "state"}: ${issue?.message ?? "invalid"}`);
      }
      return parsed.data;
    },
    async save(state) {
      await writeFileAtomic({ file, data: `${JSON.stringify(trim(state))}\n`, mode: 0o600, dirMode: 0o700 });
    },
  };
}

/** Keeps the state in memory only: a page, a bot that starts afresh, a test. */
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

function invalid(file: string, what: string) {
  return new ChatStateFileError(`${file}: ${what}`, {
    hint: "remove the file: the next `gram chat read` syncs from what the hub last recorded as read",
  });
}
