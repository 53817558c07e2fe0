// `register` and `lookup`. A username belongs to one address and an address has at most one username.
// Registering another name replaces the address's old one, which becomes free: people rename, as on
// Telegram. Clients therefore pin a contact to the address a name resolved to, never to the name.
import { getAddress } from "viem";
import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import type { ClientFrameOf } from "../../protocol/chat/frames.ts";
import { normalizeUsername } from "../../protocol/chat/username.ts";
import type { HubContext, Reply } from "./context.ts";
import { nameOfKey, usernameKey } from "./keys.ts";
import type { Session } from "./sessions.ts";
import type { WriteOp } from "./writer.ts";

export async function register(ctx: HubContext, session: Session, frame: ClientFrameOf<"register">, reply: Reply) {
  const address = session.address as string;
  const name = normalizeUsername(frame.username);
  // One registration at a time: two addresses racing for a name cannot both get it.
  await ctx.serialize("usernames", async () => {
    const [owner, old] = await ctx.db.getMany([usernameKey(name), nameOfKey(address)]);
    if (owner !== undefined && owner !== address) {
      throw new ChatProtocolError("USERNAME_TAKEN", `username: "${name}" belongs to another address; choose another`);
    }
    if (owner === address) return;
    const ops: WriteOp[] = [
      { type: "put", key: usernameKey(name), value: address },
      { type: "put", key: nameOfKey(address), value: name },
    ];
    if (old !== undefined) ops.push({ type: "del", key: usernameKey(old) });
    await ctx.writer.write(ops);
  });
  reply({ type: "user", username: name, address: getAddress(address) });
}

export async function lookup(ctx: HubContext, _session: Session, frame: ClientFrameOf<"lookup">, reply: Reply) {
  if (frame.address !== undefined) {
    const name = await ctx.db.get(nameOfKey(frame.address.toLowerCase()));
    reply({ type: "user", username: name ?? null, address: frame.address });
    return;
  }
  const name = normalizeUsername(frame.username as string);
  const owner = await ctx.db.get(usernameKey(name));
  reply({ type: "user", username: name, address: owner === undefined ? null : getAddress(owner) });
}
