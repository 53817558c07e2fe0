// The chat client runs in a page as well as in Node: the connection and its parts, the plain functions
// over it and the memory store import no Node module (nor `ws`), following every import they make (type
// imports aside: they are erased). Only the file store and the `ws` socket factory need Node, and nothing
// that runs anywhere imports them. The checker (test/kit/module-reach.ts) is the one behind the wallet's
// browser-safe entry points (test/wallet/browser-safe.test.ts).
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { notForBrowsers, ROOT, reach } from "../../kit/module-reach.ts";

const CHAT = join(ROOT, "wallet/chat");

const PORTABLE = [
  "connectChat.ts",
  "chat-state.ts",
  "standardWebSocket.ts",
  "registerUsername.ts",
  "lookupUser.ts",
  "addGroupMembers.ts",
  "createGroup.ts",
  "listGroups.ts",
  "readChatHistory.ts",
  "sendText.ts",
  "sendPayment.ts",
  "sendRequest.ts",
  "sendInvoice.ts",
  "cards.ts",
  "createPaymentTracker.ts",
  "verifyPayment.ts",
  "sendChatTransfer.ts",
  "payCard.ts",
  "names.ts",
  "resolvePeer.ts",
];

describe("what runs anywhere", () => {
  it.each(PORTABLE)("%s imports no Node module, directly or not", (file) => {
    expect(notForBrowsers(join(CHAT, file))).toEqual([]);
  });

  it("the connection reaches neither the file store nor the ws factory", () => {
    const reached = [...reach(join(CHAT, "connectChat.ts")).keys()].map((file) => relative(CHAT, file));
    expect(reached).toContain("openHubConnection.ts");
    expect(reached).not.toContain("fileChatStateStore.ts");
    expect(reached).not.toContain("nodeWebSocket.ts");
  });

  it("the Node parts are Node's: the file store and the ws factory", () => {
    expect(reach(join(CHAT, "fileChatStateStore.ts")).get(join(CHAT, "fileChatStateStore.ts"))).toContain("node:path");
    expect(reach(join(CHAT, "nodeWebSocket.ts")).get(join(CHAT, "nodeWebSocket.ts"))).toEqual(["ws"]);
  });
});
