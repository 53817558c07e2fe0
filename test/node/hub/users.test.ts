// A username its owner gives up is held for that owner for a cooldown: nobody else can take it and pose
// as the person others knew by it, the owner can take it back, and after the cooldown anyone may have it.
// The hub's clock is moved forward rather than waited for; the hold survives a restart.
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ChatClient, signedIn } from "../../kit/hub-client.ts";
import { type ServedHub, serveHub } from "../../kit/serve-hub.ts";

const account = () => privateKeyToAccount(generatePrivateKey());
const COOLDOWN_MS = 60 * 60_000;
const clock = { offsetMs: 0 };
const limits = { usernameCooldownMs: COOLDOWN_MS };
let served: ServedHub;

beforeAll(async () => {
  served = await serveHub({ clock, limits });
});
afterAll(async () => {
  await served?.close();
});
// Sign-ins name the real time: each test signs in before it moves the hub's clock.
beforeEach(() => {
  clock.offsetMs = 0;
});

async function register(client: ChatClient, username: string) {
  return client.request({ op: "register", username });
}

describe("a username given up", () => {
  it("is refused to another address during the cooldown and free after it", async () => {
    const otherAccount = account();
    const [owner, other] = await Promise.all([signedIn(served, account()), signedIn(served, otherAccount)]);
    expect((await register(owner, "dora")).type).toBe("user");
    expect((await register(owner, "dora_2")).type).toBe("user");
    expect(await other.request({ op: "lookup", username: "dora" })).toMatchObject({ address: null });

    const during = await register(other, "dora");
    expect(during).toMatchObject({ type: "error", code: "USERNAME_TAKEN" });
    expect(during.message).toMatch(
      /^username: "dora" was given up by its owner and is held for them until \S+Z; choose another$/,
    );
    const heldUntil = Date.parse(/until (\S+);/.exec(during.message)?.[1] ?? "");
    expect(Math.abs(heldUntil - (Date.now() + COOLDOWN_MS))).toBeLessThan(60_000);

    clock.offsetMs += COOLDOWN_MS - 60_000;
    expect((await register(other, "dora")).code).toBe("USERNAME_TAKEN");
    clock.offsetMs += 120_000;
    const taken = { type: "user", username: "dora", address: otherAccount.address };
    expect(await register(other, "dora")).toMatchObject(taken);
    expect(await owner.request({ op: "lookup", username: "dora" })).toMatchObject(taken);
    await Promise.all([owner.close(), other.close()]);
  });

  it("can be taken back by its owner during the cooldown", async () => {
    const [owner, other] = await Promise.all([signedIn(served, account()), signedIn(served, account())]);
    await register(owner, "emil");
    await register(owner, "emil_2");
    expect(await register(owner, "emil")).toMatchObject({ type: "user", username: "emil" });
    // Taking it back gives up emil_2, which is now held for the owner in turn.
    expect((await register(other, "emil")).code).toBe("USERNAME_TAKEN");
    expect((await register(other, "emil_2")).code).toBe("USERNAME_TAKEN");
    await Promise.all([owner.close(), other.close()]);
  });

  it("is held one at a time: renaming again frees the name given up before, so names cannot be squatted", async () => {
    const [owner, other] = await Promise.all([signedIn(served, account()), signedIn(served, account())]);
    await register(owner, "fern_1");
    await register(owner, "fern_2");
    await register(owner, "fern_3");
    expect((await register(other, "fern_2")).code).toBe("USERNAME_TAKEN");
    expect(await register(other, "fern_1")).toMatchObject({ type: "user", username: "fern_1" });
    await Promise.all([owner.close(), other.close()]);
  });

  it("stays held after a restart", async () => {
    const owner = account();
    const other = account();
    const first = await signedIn(served, owner);
    await register(first, "gus");
    await register(first, "gus_2");
    await first.close();
    await served.stop();
    const again = await serveHub({ clock, limits, dataDir: served.dataDir });
    try {
      const client = await signedIn(again, other);
      expect((await register(client, "gus")).code).toBe("USERNAME_TAKEN");
      clock.offsetMs += COOLDOWN_MS;
      expect((await register(client, "gus")).type).toBe("user");
      await client.close();
    } finally {
      await again.stop();
    }
  });
});
