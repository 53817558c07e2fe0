// What users type into `gram chat`, parsed without a chain: the hub's URL derived from the node's, the
// interactive line's words, quotes and options, and card ids.
import { describe, expect, it } from "vitest";
import { parseCardId } from "../../../wallet/chat/cards.ts";
import { chatUrlOf } from "../../../wallet/chat/chat-url.ts";
import { parseLine } from "../../../wallet/cli/commands/chat/line.ts";

describe("chatUrlOf", () => {
  it.each([
    ["http://127.0.0.1:8787", "ws://127.0.0.1:8787/v1/chat"],
    ["http://127.0.0.1:8787/", "ws://127.0.0.1:8787/v1/chat"],
    ["https://node.example.org/gram", "wss://node.example.org/gram/v1/chat"],
    ["https://node.example.org/gram/?x=1#y", "wss://node.example.org/gram/v1/chat"],
    ["ws://127.0.0.1:9000", "ws://127.0.0.1:9000/v1/chat"],
    ["wss://chat.example.org/v1/chat", "wss://chat.example.org/v1/chat"],
    ["http://[::1]:8787", "ws://[::1]:8787/v1/chat"],
  ])("%s → %s", (url, expected) => {
    expect(chatUrlOf(url)).toBe(expected);
  });

  it.each(["ftp://example.org", "not a url", ""])("refuses %j", (url) => {
    expect(() => chatUrlOf(url)).toThrow(/expected an http\(s\) or ws\(s\) URL/);
  });
});

describe("parseLine", () => {
  it("splits words, keeps quoted ones whole, and takes options anywhere", () => {
    expect(parseLine('/invoice 12.50 "Margherita grande" --tip-max 3')).toEqual({
      command: "invoice",
      args: ["12.50", "Margherita grande"],
      options: { "tip-max": "3" },
    });
    expect(parseLine("/send @bob 5 --direct for the 'cab ride'", ["direct"])).toEqual({
      command: "send",
      args: ["@bob", "5", "for", "the", "cab ride"],
      options: { direct: true },
    });
    expect(parseLine('/PAY ""')).toEqual({ command: "pay", args: [""], options: {} });
  });

  it("refuses an open quote and an option without its value", () => {
    expect(() => parseLine('/request 5 "pizza')).toThrow('a " quote is not closed');
    expect(() => parseLine("/invoice 5 Soup --tip-max")).toThrow("--tip-max needs a value");
  });
});

describe("parseCardId", () => {
  it("takes a message id or a prefix of at least 6 hex digits, lowercased", () => {
    expect(parseCardId("0xABCDEF")).toBe("0xabcdef");
    expect(parseCardId(`0x${"a".repeat(64)}`)).toBe(`0x${"a".repeat(64)}`);
  });

  it.each(["0xabcde", "abcdef12", `0x${"a".repeat(65)}`, "0xabcdeg", "0x1234\u202e56"])("refuses %j", (id) => {
    expect(() => parseCardId(id)).toThrow(/expected a message id \(0x and 6 to 64 hex digits\)/);
  });
});
