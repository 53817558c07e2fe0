// Reconnecting on its own (openHubConnection), against the fake hub of fake-hub.ts, which drops every
// socket when told to: with `reconnect`, the client signs in again and says so, and its requests go to
// the new socket; without it, it stays down. A hub that then asks for a sign-in elsewhere is refused and
// not tried again, and a connection closed while it waits to retry stays closed.
import { describe, expect, it } from "vitest";
import { ChatUnavailableError } from "../../../wallet/chat/errors.ts";
import { nodeWebSocket } from "../../../wallet/chat/nodeWebSocket.ts";
import { openHubConnection } from "../../../wallet/chat/openHubConnection.ts";
import { CHAIN_ID } from "../../kit/constants.ts";
import { closeAfterTest, type FakeHubOptions, type Frame, fakeHub } from "../../kit/fake-hub.ts";
import { alice } from "../../protocol/chat/helpers.ts";

async function startHub(options: Omit<FakeHubOptions, "chainId"> = {}) {
  return closeAfterTest(await fakeHub({ chainId: CHAIN_ID, ...options }));
}

/** Alice's connection to `hub`, with what it reported. */
async function connect(hub: Awaited<ReturnType<typeof startHub>>, reconnect: boolean) {
  const events: string[] = [];
  const connection = await openHubConnection({
    url: hub.url,
    chainId: CHAIN_ID,
    account: alice,
    timeoutMs: 10_000,
    webSocket: nodeWebSocket,
    onFrame: () => {},
    reconnect,
    onDisconnected: (code) => events.push(`disconnected ${code}`),
    onReconnected: () => {
      events.push("reconnected");
    },
  });
  return { connection: closeAfterTest(connection), events };
}

const count = (hub: { received: Frame[] }, op: string) => hub.received.filter((f) => f.op === op).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string) {
  const end = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe("openHubConnection", () => {
  it("signs in; the welcome says where the inbox stands", async () => {
    const hub = await startHub({ inbox: async () => [{ type: "status", seq: 1, status: {} }] });
    const { connection } = await connect(hub, false);
    expect(connection.welcome).toMatchObject({ type: "welcome", address: alice.address, lastSeq: 1, ackedSeq: 0 });
    expect(connection.username).toBeNull();
    expect(connection.open).toBe(true);
    expect(await connection.request({ op: "ack", seq: 1 })).toMatchObject({ type: "acked", seq: 1 });
  });

  it("with reconnect, signs in again after a drop and says so; requests go to the new socket", async () => {
    const hub = await startHub();
    const { connection, events } = await connect(hub, true);
    hub.drop();
    await until(() => events.includes("reconnected"), "the new sign-in");
    expect(events).toEqual(["disconnected 1006", "reconnected"]);
    expect(count(hub, "signin")).toBe(2);
    expect(connection.open).toBe(true);
    expect(await connection.request({ op: "ack", seq: 0 })).toMatchObject({ type: "acked" });
  });

  it("without reconnect, stays down: a request is CHAT_UNAVAILABLE", async () => {
    const hub = await startHub();
    const { connection, events } = await connect(hub, false);
    hub.drop();
    await until(() => events.length > 0, "the drop");
    const refused = await connection.request({ op: "ack", seq: 0 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ChatUnavailableError);
    expect((refused as ChatUnavailableError).message).toBe("the connection to the chat hub is closed");
    await sleep(600);
    expect(count(hub, "challenge")).toBe(1);
  });

  it("a hub that now asks for a sign-in elsewhere is refused once and not tried again", async () => {
    let elsewhere = false;
    const hub = await startHub({ challenge: () => (elsewhere ? { domain: "chat.example.org" } : {}) });
    const { events } = await connect(hub, true);
    elsewhere = true;
    hub.drop();
    await until(() => count(hub, "challenge") === 2, "the second challenge");
    // The next try would come 500 ms later.
    await sleep(1_200);
    expect(count(hub, "challenge")).toBe(2);
    expect(count(hub, "signin")).toBe(1);
    expect(events).toEqual(["disconnected 1006"]);
  });

  it("closed while waiting to retry, it stays closed", async () => {
    const hub = await startHub();
    const { connection, events } = await connect(hub, true);
    hub.drop();
    await until(() => events.length > 0, "the drop");
    await connection.close();
    await sleep(600);
    expect(count(hub, "challenge")).toBe(1);
    expect(events).toEqual(["disconnected 1006"]);
  });
});
