// lookupUser against the fake hub of fake-hub.ts: by name or by address, nulls for someone the hub does
// not know, and an answer that does not parse taken as the hub's failure.
import { describe, expect, it } from "vitest";
import { ChatUnavailableError } from "../../../wallet/chat/errors.ts";
import { lookupUser } from "../../../wallet/chat/lookupUser.ts";
import { chatAnswering } from "../../kit/fake-hub.ts";
import { alice, bob, carol } from "../../protocol/chat/helpers.ts";

/** A hub that knows bob as "bob", and answers a lookup of carol with an address that is no address. */
const signedIn = async () =>
  (
    await chatAnswering(alice, "lookup", (frame) => {
      if (frame.address === carol.address) return { type: "user", username: "carol", address: "0x12" };
      const isBob = frame.username === "bob" || frame.address === bob.address;
      return { type: "user", username: isBob ? "bob" : null, address: isBob ? bob.address : null };
    })
  ).chat;

describe("lookupUser", () => {
  it("finds a user by name or by address", async () => {
    const chat = await signedIn();
    expect(await lookupUser(chat, { username: "bob" })).toEqual({ username: "bob", address: bob.address });
    expect(await lookupUser(chat, { address: bob.address })).toEqual({ username: "bob", address: bob.address });
  });

  it("someone the hub does not know is nulls", async () => {
    const chat = await signedIn();
    expect(await lookupUser(chat, { username: "nobody" })).toEqual({ username: null, address: null });
  });

  it("an answer that does not parse is the hub's failure", async () => {
    const chat = await signedIn();
    const failed = await lookupUser(chat, { address: carol.address }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ChatUnavailableError);
    expect((failed as ChatUnavailableError).shortMessage).toBe(
      'the chat hub answered with something other than "user"',
    );
  });
});
