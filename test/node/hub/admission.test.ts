// Who may connect to the real hub, over real sockets from several loopback addresses (127.0.0.2, … act
// as other IPs): one IP cannot hold more than its cap, so another still gets in and signs in; sockets
// that do not sign in wait in a pool of their own, the oldest closed to make room; one address cannot
// hold more connections than its cap, nor all addresses more than the hub's.
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterEach, describe, expect, it } from "vitest";
import { ipKey } from "../../../node/hub/admission.ts";
import { DEFAULT_HUB_LIMITS, type HubLimits } from "../../../node/hub/limits.ts";
import { waitFor } from "../../../scripts/lib/wait-for.ts";
import { type ChatClient, chatClient, signedIn } from "../../kit/hub-client.ts";
import { type ServedHub, serveHub } from "../../kit/serve-hub.ts";

const account = () => privateKeyToAccount(generatePrivateKey());
let served: ServedHub | undefined;
const open: ChatClient[] = [];

async function hub(limits: Partial<HubLimits>) {
  served = await serveHub({ limits });
  return served;
}
async function client(from = "127.0.0.1") {
  const connected = await chatClient(served as ServedHub, { localAddress: from });
  open.push(connected);
  return connected;
}
async function signedInClient(who = account(), from = "127.0.0.1") {
  const connected = await signedIn(served as ServedHub, who, { localAddress: from });
  open.push(connected);
  return connected;
}
/** The client is still connected: the hub answers it. */
async function answers(connected: ChatClient) {
  expect((await connected.request({ op: "ping" })).type).toBe("pong");
}

afterEach(async () => {
  for (const connected of open.splice(0)) connected.socket.terminate();
  await served?.close();
  served = undefined;
});

describe("connections per IP", () => {
  it("stops one IP at its cap, and another IP still connects and signs in", async () => {
    const hubServed = await hub({ connectionsPerIp: 3 });
    const hog = [await client(), await client(), await client()];
    const refused = await client();
    expect(await refused.closed).toEqual({
      code: 1013,
      reason: "too many connections from 127.0.0.1 (at most 3); try later",
    });
    for (const connected of hog) await answers(connected);

    const other = await signedInClient(account(), "127.0.0.2");
    await answers(other);

    // A freed place is taken again.
    await (hog[0] as ChatClient).close();
    await waitFor(() => hubServed.hub.connections() === 3, 10_000, "the hub to see the close");
    await answers(await client());
  });

  it("counts signed-in connections against the IP too", async () => {
    await hub({ connectionsPerIp: 2 });
    await signedInClient();
    await signedInClient();
    expect((await (await client()).closed).code).toBe(1013);
  });

  it("counts an IPv6 address by its /64 and an IPv4-mapped one as IPv4", () => {
    expect(ipKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(ipKey("2001:db8:1:2:bbbb::2")).toBe("2001:db8:1:2::/64");
    expect(ipKey("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(ipKey("::ffff:127.0.0.2")).toBe("127.0.0.2");
    expect(ipKey("127.0.0.2")).toBe("127.0.0.2");
  });
});

describe("connections not signed in", () => {
  it("wait in a pool of their own: when it is full, the one that waited longest is closed to make room", async () => {
    const hubServed = await hub({ unsignedConnections: 2 });
    // Signed-in connections are not in the pool, however many there are.
    for (let i = 0; i < 3; i++) await signedInClient(account(), `127.0.0.${10 + i}`);
    const first = await client("127.0.0.2");
    const second = await client("127.0.0.3");
    await answers(first);
    const third = await client("127.0.0.4");
    expect(await first.closed).toEqual({
      code: 1013,
      reason: "too many connections waiting to sign in; sign in sooner",
    });
    await answers(second);
    // A newcomer signs in: it leaves the pool, so the next one closes nobody.
    expect((await third.signIn(account())).type).toBe("welcome");
    const fourth = await client("127.0.0.5");
    await answers(second);
    await answers(fourth);
    await waitFor(() => hubServed.hub.connections() === 6, 10_000, "six connections");
  });

  it("are closed after the sign-in timeout, which is short by default", async () => {
    expect(DEFAULT_HUB_LIMITS.signInTimeoutMs).toBeLessThanOrEqual(10_000);
    const hubServed = await hub({ signInTimeoutMs: 300 });
    const idle = await client();
    expect(await idle.closed).toEqual({ code: 1008, reason: "sign in within 0.3 s" });
    await waitFor(() => hubServed.hub.connections() === 0, 10_000, "the hub to let it go");
  });
});

describe("connections per address", () => {
  it("refuses a sign-in past the address's cap, not another address's, and takes it once one closes", async () => {
    const hubServed = await hub({ connectionsPerAddress: 2 });
    const alice = account();
    const devices = [await signedInClient(alice), await signedInClient(alice, "127.0.0.2")];
    const third = await client("127.0.0.3");
    const refused = await third.signIn(alice);
    expect(refused).toMatchObject({
      type: "error",
      code: "TOO_MANY_CONNECTIONS",
      message: `sign-in: ${alice.address} already has 2 connections, the most allowed; close one first`,
    });
    await answers(third);
    await signedInClient(account(), "127.0.0.3");

    await (devices[0] as ChatClient).close();
    await waitFor(() => hubServed.hub.connections() === 3, 10_000, "the hub to see the close");
    expect((await third.signIn(alice)).type).toBe("welcome");
  });

  it("refuses a sign-in past the hub's cap on signed-in connections; others may still connect", async () => {
    await hub({ connections: 2 });
    await signedInClient();
    await signedInClient(account(), "127.0.0.2");
    const late = await client("127.0.0.3");
    expect(await late.signIn(account())).toMatchObject({
      type: "error",
      code: "TOO_MANY_CONNECTIONS",
      message: "sign-in: the hub serves at most 2 signed-in connections; try later",
    });
    await answers(late);
  });
});
