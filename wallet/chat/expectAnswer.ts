import type { HubFrame, HubFrameOf } from "../../protocol/chat/frames.ts";
import { hubFrameSchema } from "../../protocol/chat/frames.ts";
import { ChatUnavailableError } from "./errors.ts";
import type { RawFrame } from "./openHubSocket.ts";

/**
 * The hub's answer to a request, checked against the wire protocol: a frame of another type, or one that
 * does not parse, is the hub's failure (`ChatUnavailableError`), not something to guess at.
 *
 * @example
 * const { groups } = expectAnswer(await chat.request({ op: "groups" }), "groups");
 */
export function expectAnswer<Type extends HubFrame["type"]>(frame: RawFrame, type: Type): HubFrameOf<Type> {
  const parsed = hubFrameSchema.safeParse(frame);
  if (!parsed.success || parsed.data.type !== type) {
    throw new ChatUnavailableError(`the chat hub answered with something other than "${type}"`, {
      details: JSON.stringify(frame).slice(0, 200),
    });
  }
  return parsed.data as HubFrameOf<Type>;
}
