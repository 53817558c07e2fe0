// What an inbox entry means to this client: a message verified (signature, chain, addressing, replay) or
// rejected with its code, a status or a group parsed from what the hub sent. What it learns is kept in
// the state: the keys of messages received (a replay is told apart) and the groups this account is in.
import { type Address, isAddressEqual } from "viem";
import { groupInfoSchema, statusUpdateSchema } from "../../protocol/chat/frames.ts";
import type { ChatDomainInfo } from "../../protocol/chat/sign.ts";
import type { ChatState } from "./chat-state.ts";
import type { InboxEvent } from "./createChatListeners.ts";
import type { RawFrame } from "./openHubSocket.ts";
import { isRejected, type RejectedMessage, seenKey, verifyIncoming } from "./verifyIncoming.ts";

export interface CreateInboxEventsParameters {
  domain: ChatDomainInfo;
  /** This account: messages must be addressed to it or to its groups. */
  me: Address;
  /** Read for the messages seen before; `seen` and `groups` are updated as entries are read. */
  state: ChatState;
}

/** Reads one inbox entry (`message`, `status` or `group`, as `createInbox` hands it over). */
export type ReadInboxEntry = (seq: number, frame: RawFrame) => Promise<InboxEvent>;

/**
 * @example
 * const read = createInboxEvents({ domain, me: account.address, state });
 * const inbox = createInbox({ start, handle: async (seq, frame) => show(await read(seq, frame)) });
 */
export function createInboxEvents({ domain, me, state }: CreateInboxEventsParameters): ReadInboxEntry {
  const seen = new Set(state.seen);
  return async (seq, frame) => {
    if (frame.type === "message") {
      const checked = await verifyIncoming(frame.envelope, { domain, me, seen });
      if (isRejected(checked)) return { type: "rejected", seq, rejection: checked };
      const key = seenKey(checked.envelope);
      seen.add(key);
      state.seen.push(key);
      return { type: "message", seq, message: checked };
    }
    if (frame.type === "status") {
      const parsed = statusUpdateSchema.safeParse(frame.status);
      if (parsed.success) return { type: "status", seq, status: parsed.data };
      return { type: "rejected", seq, rejection: malformed("a status the hub sent is malformed") };
    }
    const parsed = groupInfoSchema.safeParse(frame.group);
    if (!parsed.success) return { type: "rejected", seq, rejection: malformed("a group the hub sent is malformed") };
    const group = parsed.data;
    if (group.members.some((member) => isAddressEqual(member, me))) {
      state.groups = [
        ...state.groups.filter((known) => known.id !== group.id),
        { id: group.id, name: group.name, members: group.members },
      ];
    }
    return { type: "group", seq, group };
  };
}

function malformed(reason: string): RejectedMessage {
  return { id: undefined, from: undefined, code: "MALFORMED", reason };
}
