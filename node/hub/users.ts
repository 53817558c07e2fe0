// `register` and `lookup`. A username belongs to one address and an address has at most one username.
// Registering another name replaces the address's old one, as on Telegram. The old name is then held for
// its owner for a cooldown (`usernameCooldownMs`): nobody else can take it at once and pose as the person
// others knew by it, while the owner may take it back. Only the newest name an address gave up is held: a
// second rename frees the first, so that one address cannot squat names by renaming through them. Clients
// still pin a contact to the address a name resolved to, never to the name.
import { getAddress } from "viem";
import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import type { ClientFrameOf } from "../../protocol/chat/frames.ts";
import { normalizeUsername } from "../../protocol/chat/username.ts";
import type { HubContext, Reply } from "./context.ts";
import { heldByKey, heldNameKey, nameOfKey, usernameKey } from "./keys.ts";
import type { Session } from "./sessions.ts";
import type { WriteOp } from "./writer.ts";

interface Hold {
  /** Lowercase: the owner who gave the name up. */
  address: string;
  /** Unix ms. */
  until: number;
}

export async function register(ctx: HubContext, session: Session, frame: ClientFrameOf<"register">, reply: Reply) {
  const address = session.address as string;
  const name = normalizeUsername(frame.username);
  // One registration at a time: two addresses racing for a name cannot both get it.
  await ctx.serialize("usernames", async () => {
    const [owner, old, heldText, heldForMe] = await ctx.db.getMany([
      usernameKey(name),
      nameOfKey(address),
      heldNameKey(name),
      heldByKey(address),
    ]);
    if (owner !== undefined && owner !== address) {
      throw new ChatProtocolError("USERNAME_TAKEN", `username: "${name}" belongs to another address; choose another`);
    }
    if (owner === address) return;
    const now = ctx.now();
    const hold = heldText === undefined ? undefined : (JSON.parse(heldText) as Hold);
    if (hold !== undefined && hold.address !== address && hold.until > now) {
      throw new ChatProtocolError(
        "USERNAME_TAKEN",
        `username: "${name}" was given up by its owner and is held for them until ${new Date(hold.until).toISOString()}; choose another`,
      );
    }
    const ops: WriteOp[] = [
      { type: "put", key: usernameKey(name), value: address },
      { type: "put", key: nameOfKey(address), value: name },
    ];
    // Taken now: its hold had run out, or it was this address's own.
    if (hold !== undefined) ops.push({ type: "del", key: heldNameKey(name) });
    if (old !== undefined) ops.push({ type: "del", key: usernameKey(old) });
    // One hold per address, on the newest name it gave up: an earlier one is freed, if it is still this
    // address's (it may have run out and been taken, or given up and held, by someone else since).
    if (heldForMe !== undefined && heldForMe !== name) {
      const earlier = await ctx.db.get(heldNameKey(heldForMe));
      if (earlier !== undefined && (JSON.parse(earlier) as Hold).address === address) {
        ops.push({ type: "del", key: heldNameKey(heldForMe) });
      }
    }
    if (old !== undefined && ctx.limits.usernameCooldownMs > 0) {
      const until = now + ctx.limits.usernameCooldownMs;
      ops.push(
        { type: "put", key: heldNameKey(old), value: JSON.stringify({ address, until } satisfies Hold) },
        { type: "put", key: heldByKey(address), value: old },
      );
    } else if (heldForMe !== undefined) {
      ops.push({ type: "del", key: heldByKey(address) });
    }
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
