// How deep a chat value may nest. The protocol's deepest frame, a `history` page holding an invoice
// card, nests 7 levels (frame, messages, entry, envelope, body, items, item); nothing a client or the
// hub sends needs more. Checked before anything recurses into a value (JSON.stringify to measure it or to
// quote it in an error, the canonical encoding, the schemas): a frame of 64 KiB can nest 32,000 arrays
// deep, which overflows the stack of whatever walks it recursively and would fail as the hub's own error.
import { ChatProtocolError } from "./errors.ts";

/** The deepest a chat frame or envelope may nest, counting the outer object as 1. */
export const JSON_MAX_DEPTH = 16;

/**
 * Throws a `ChatProtocolError` (`MALFORMED`) naming `at` when `value` nests deeper than `max` arrays and
 * objects. Walks without recursion, and stops at the first value too deep.
 *
 * @example
 * checkDepth(JSON.parse(text), "frame");
 */
export function checkDepth(value: unknown, at: string, max = JSON_MAX_DEPTH): void {
  const stack: Array<[value: unknown, depth: number]> = [[value, 1]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [item, depth] = next;
    if (typeof item !== "object" || item === null) continue;
    if (depth > max) {
      throw new ChatProtocolError(
        "MALFORMED",
        `${at}: arrays and objects nested more than ${max} levels deep; none of the protocol's nests more than 7`,
      );
    }
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
}
