// The chat client runs in a page as well as in Node: the connection and its parts, the plain functions
// over it and the memory store import no Node module (nor `ws`), following every import they make (type
// imports aside: they are erased). Only the file store and the `ws` socket factory need Node, and nothing
// that runs anywhere imports them.
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");
const CHAT = join(ROOT, "wallet/chat");
const NODE_ONLY = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`), "ws"]);

/** Every module `entry` reaches through value imports, each with the packages it imports. */
function reach(entry: string) {
  const modules = new Map<string, string[]>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    const packages: string[] = [];
    modules.set(file, packages);
    const text = readFileSync(file, "utf8");
    for (const [, typeOnly, spec] of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?\bfrom\s+"([^"]+)"/gms)) {
      if (typeOnly !== undefined || spec === undefined) continue;
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec));
      else packages.push(spec);
    }
  };
  visit(entry);
  return modules;
}

const PORTABLE = [
  "connectChat.ts",
  "chat-state.ts",
  "standardWebSocket.ts",
  "registerUsername.ts",
  "lookupUser.ts",
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
];

describe("what runs anywhere", () => {
  it.each(PORTABLE)("%s imports no Node module, directly or not", (file) => {
    const modules = reach(join(CHAT, file));
    const nodeOnly = [...modules].flatMap(([module, packages]) =>
      packages.filter((name) => NODE_ONLY.has(name)).map((name) => `${relative(ROOT, module)}: ${name}`),
    );
    expect(nodeOnly).toEqual([]);
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
