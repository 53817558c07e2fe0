import { ROUTES } from "../../protocol/routes.ts";
import { InvalidChatUrlError } from "./errors.ts";

/** The hub's route on a gram node. */
export const CHAT_ROUTE = ROUTES.chat.slice(1);

/**
 * The WebSocket URL of the chat hub: a node's base URL (`http://127.0.0.1:8787`) becomes its
 * `ws://…/v1/chat` (`https` → `wss`); a `ws(s)://` URL is taken as the hub's own. The result is what the
 * hub's sign-in challenge must name, character for character.
 *
 * @example
 * chatUrlOf("http://127.0.0.1:8787"); // "ws://127.0.0.1:8787/v1/chat"
 */
export function chatUrlOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidChatUrlError(`chat URL: got '${url.slice(0, 80)}', expected an http(s) or ws(s) URL`);
  }
  if (parsed.protocol === "ws:" || parsed.protocol === "wss:") {
    if (parsed.pathname === "/" || parsed.pathname === "") parsed.pathname = `/${CHAT_ROUTE}`;
    return parsed.href;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new InvalidChatUrlError(`chat URL: got '${url.slice(0, 80)}', expected an http(s) or ws(s) URL`);
  }
  const base = parsed.href.endsWith("/") ? parsed.href : `${parsed.href}/`;
  const chat = new URL(CHAT_ROUTE, base);
  chat.protocol = parsed.protocol === "https:" ? "wss:" : "ws:";
  chat.search = "";
  chat.hash = "";
  return chat.href;
}
