// `group.create`, `group.add` and `groups`. A group is its creator and up to 255 other members; any member
// may add more (as in a messenger's small groups); no one is removed. Only members may post to it or read
// its history. Each member is told of the group through its inbox (a `group` frame), again whenever
// members are added, so that a member who was offline learns of it on the next sync.
import { randomBytes } from "node:crypto";
import { getAddress, type Hex } from "viem";
import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import { type ClientFrameOf, GROUP_MAX_MEMBERS, type GroupInfo } from "../../protocol/chat/frames.ts";
import { appendToInboxes, type HubContext, type Reply, takeMessage } from "./context.ts";
import { groupFrame } from "./inboxes.ts";
import { groupKey, membershipKey, membershipPrefix, prefixEnd } from "./keys.ts";
import type { Session } from "./sessions.ts";
import type { WriteOp } from "./writer.ts";

/** At most this many groups are kept in memory; past it the cache starts over. */
const CACHED_GROUPS = 10_000;

/** The group `id` with its members' lowercase addresses, or a `NOT_FOUND` refusal. */
export async function readGroup(ctx: HubContext, id: Hex): Promise<GroupInfo & { memberSet: ReadonlySet<string> }> {
  const key = id.toLowerCase();
  let group = ctx.groups.get(key);
  if (group === undefined) {
    const json = await ctx.db.get(groupKey(id));
    if (json === undefined) throw new ChatProtocolError("NOT_FOUND", `group ${id} does not exist on this hub`);
    const info = JSON.parse(json) as GroupInfo;
    group = { ...info, memberSet: new Set(info.members.map((member) => member.toLowerCase())) };
    if (ctx.groups.size >= CACHED_GROUPS) ctx.groups.clear();
    ctx.groups.set(key, group);
  }
  return group;
}

/** Refuses (`NOT_MEMBER`) an address that is not in `group`. */
export function checkMember(group: { id: string; memberSet: ReadonlySet<string> }, address: string) {
  if (!group.memberSet.has(address)) {
    throw new ChatProtocolError("NOT_MEMBER", `group ${group.id}: ${getAddress(address)} is not a member`);
  }
}

export async function createGroup(
  ctx: HubContext,
  session: Session,
  frame: ClientFrameOf<"group.create">,
  reply: Reply,
) {
  const creator = session.address as string;
  takeMessage(ctx, creator);
  const members = [...new Set([creator, ...frame.members.map((member) => member.toLowerCase())])];
  if (members.length > GROUP_MAX_MEMBERS) {
    throw new ChatProtocolError(
      "MALFORMED",
      `members: a group has at most ${GROUP_MAX_MEMBERS} members, creator included`,
    );
  }
  const group: GroupInfo = {
    id: `0x${randomBytes(32).toString("hex")}`,
    name: frame.name,
    creator: getAddress(creator),
    members: members.map((member) => getAddress(member)),
    createdAt: ctx.now(),
  };
  const json = JSON.stringify(group);
  const ops: WriteOp[] = [
    { type: "put", key: groupKey(group.id), value: json },
    ...members.map((member): WriteOp => ({ type: "put", key: membershipKey(member, group.id), value: "" })),
  ];
  await ctx.inboxes.load(members);
  const [seq] = await appendToInboxes(
    ctx,
    members.map((address) => ({ address, value: `g${group.id}`, frame: (seq: number) => groupFrame(seq, json) })),
    ops,
  );
  reply({ type: "created", group, seq: seq as number });
}

/** Adds are taken one group at a time: two at once would each write the members it read. */
const adding = new Map<string, Promise<unknown>>();

export async function addMembers(ctx: HubContext, session: Session, frame: ClientFrameOf<"group.add">, reply: Reply) {
  const address = session.address as string;
  const key = frame.group.toLowerCase();
  const before = adding.get(key) ?? Promise.resolve();
  const turn = before.then(() => add(ctx, address, frame, reply));
  const settled = turn.catch(() => {});
  adding.set(key, settled);
  try {
    await turn;
  } finally {
    if (adding.get(key) === settled) adding.delete(key);
  }
}

async function add(ctx: HubContext, address: string, frame: ClientFrameOf<"group.add">, reply: Reply) {
  const current = await readGroup(ctx, frame.group);
  checkMember(current, address);
  takeMessage(ctx, address);
  const added = [...new Set(frame.members.map((member) => member.toLowerCase()))].filter(
    (member) => !current.memberSet.has(member),
  );
  if (added.length === 0) {
    throw new ChatProtocolError("MALFORMED", `members: every one is already in group ${current.id}`);
  }
  if (current.members.length + added.length > GROUP_MAX_MEMBERS) {
    throw new ChatProtocolError(
      "MALFORMED",
      `members: group ${current.id} has ${current.members.length} members; at most ${GROUP_MAX_MEMBERS}, creator included`,
    );
  }
  const group: GroupInfo = {
    id: current.id,
    name: current.name,
    creator: current.creator,
    members: [...current.members, ...added.map((member) => getAddress(member))],
    createdAt: current.createdAt,
  };
  const json = JSON.stringify(group);
  const members = group.members.map((member) => member.toLowerCase());
  const ops: WriteOp[] = [
    { type: "put", key: groupKey(group.id), value: json },
    ...added.map((member): WriteOp => ({ type: "put", key: membershipKey(member, group.id), value: "" })),
  ];
  await ctx.inboxes.load(members);
  ctx.groups.delete(group.id.toLowerCase());
  const seqs = await appendToInboxes(
    ctx,
    members.map((member) => ({
      address: member,
      value: `g${group.id}`,
      frame: (seq: number) => groupFrame(seq, json),
    })),
    ops,
  );
  ctx.groups.delete(group.id.toLowerCase());
  reply({ type: "added", group, seq: seqs[members.indexOf(address)] as number });
}

export async function listGroups(ctx: HubContext, session: Session, _frame: unknown, reply: Reply) {
  const prefix = membershipPrefix(session.address as string);
  const keys = await ctx.db.keys({ gte: prefix, lt: prefixEnd(prefix) }).all();
  const found = keys.length === 0 ? [] : await ctx.db.getMany(keys.map((key) => groupKey(key.slice(prefix.length))));
  const groups = found
    .filter((json): json is string => json !== undefined)
    .map((json) => JSON.parse(json) as GroupInfo);
  reply({ type: "groups", groups });
}
