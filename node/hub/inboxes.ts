// Inbox and conversation counters. Seqs are handed out in memory (synchronously, so that two writers
// never get the same one) and written in the batch that uses them; `committed` follows once the batch is
// on disk. Each counter is read from the database the first time it is needed: the last key of its range.
import { conversationPrefix, groupKey, inboxKey, inboxPrefix, messageKey, prefixEnd, trailingNumber } from "./keys.ts";
import type { HubDb } from "./writer.ts";

interface Head {
  /** The last seq handed out. */
  assigned: number;
  /** The last seq on disk and delivered. */
  committed: number;
}

/** One inbox entry as a ready-to-send frame. */
export interface InboxFrame {
  seq: number;
  text: string;
}

export const messageFrame = (seq: number, envelopeJson: string) =>
  `{"type":"message","seq":${seq},"envelope":${envelopeJson}}`;
export const statusFrame = (seq: number, statusJson: string) => `{"type":"status","seq":${seq},"status":${statusJson}}`;
export const groupFrame = (seq: number, groupJson: string) => `{"type":"group","seq":${seq},"group":${groupJson}}`;

export type Inboxes = ReturnType<typeof createInboxes>;

export function createInboxes(db: HubDb) {
  const heads = new Map<string, Head>();
  const indexes = new Map<string, number>();
  const loading = new Map<string, Promise<void>>();

  async function lastNumber(prefix: string): Promise<number> {
    const [key] = await db.keys({ gte: prefix, lt: prefixEnd(prefix), reverse: true, limit: 1 }).all();
    return key === undefined ? 0 : trailingNumber(key);
  }

  function loadOnce(key: string, load: () => Promise<void>): Promise<void> {
    let promise = loading.get(key);
    if (promise === undefined) {
      promise = load().finally(() => loading.delete(key));
      loading.set(key, promise);
    }
    return promise;
  }

  function head(address: string): Head {
    const found = heads.get(address);
    if (found === undefined) throw new Error(`hub: inbox of ${address} used before it was loaded`);
    return found;
  }

  return {
    /** Reads the counters of these inboxes that are not in memory yet. */
    async load(addresses: Iterable<string>): Promise<void> {
      const missing = [...new Set(addresses)].filter((address) => !heads.has(address));
      await Promise.all(
        missing.map((address) =>
          loadOnce(`i:${address}`, async () => {
            const last = await lastNumber(inboxPrefix(address));
            if (!heads.has(address)) heads.set(address, { assigned: last, committed: last });
          }),
        ),
      );
    },
    async loadConversation(conversation: string): Promise<void> {
      if (indexes.has(conversation)) return;
      await loadOnce(`c:${conversation}`, async () => {
        const last = await lastNumber(conversationPrefix(conversation));
        if (!indexes.has(conversation)) indexes.set(conversation, last);
      });
    },
    /** The next seq of a loaded inbox. */
    nextSeq(address: string): number {
      const found = head(address);
      found.assigned += 1;
      return found.assigned;
    },
    /** The next index of a loaded conversation. */
    nextIndex(conversation: string): number {
      const index = (indexes.get(conversation) ?? 0) + 1;
      indexes.set(conversation, index);
      return index;
    },
    committed(address: string): number {
      return head(address).committed;
    },
    assigned(address: string): number {
      return head(address).assigned;
    },
    markCommitted(address: string, seq: number) {
      const found = head(address);
      if (seq > found.committed) found.committed = seq;
    },
    /** After a failed batch: what memory says may not be on disk, so everything is read again. */
    forget() {
      heads.clear();
      indexes.clear();
    },
    /** Up to `limit` entries of `address`'s inbox after `after`, as frames, oldest first. */
    async read(address: string, after: number, limit: number): Promise<InboxFrame[]> {
      const entries = await db
        .iterator({ gt: inboxKey(address, after), lt: prefixEnd(inboxPrefix(address)), limit })
        .all();
      const refs = entries.map(([, value]) =>
        value[0] === "m" ? messageKey(value.slice(1)) : value[0] === "g" ? groupKey(value.slice(1)) : undefined,
      );
      const wanted = refs.filter((ref): ref is string => ref !== undefined);
      const found = wanted.length === 0 ? [] : await db.getMany(wanted);
      const byKey = new Map(wanted.map((key, i) => [key, found[i]]));
      return entries.map(([key, value], i) => {
        const seq = trailingNumber(key);
        const ref = refs[i];
        if (ref === undefined) return { seq, text: statusFrame(seq, value.slice(1)) };
        const json = byKey.get(ref);
        if (json === undefined) throw new Error(`hub: inbox entry ${key} points at missing ${ref}`);
        return { seq, text: value[0] === "m" ? messageFrame(seq, json) : groupFrame(seq, json) };
      });
    },
  };
}
