// lookupUser against the fake hub of fake-hub.ts: by name or by address, nulls for someone the hub does
// not know, and an answer that does not parse taken as the hub's failure.
import { afterEach, describe, expect, it } from "vitest";
import type { ChatConnection } from "../../../wallet/chat/connectChat.ts";
import { ChatUnavailableError } from "../../../wallet/chat/errors.ts";
import { lookupUser } from "../../../wallet/chat/lookupUser.ts";
import { alice, bob, carol } from "../../protocol/chat/helpers.ts";
import { CHAIN_ID } from "../../protocol/links/helpers.ts";
import { fakeHub } from "./fake-hub.ts";

let chat: ChatConnection | undefined;
let hub: Awaited<ReturnType<typeof fakeHub>> | undefined;
afterEach(async () => {
  await chat?.close();
  await hub?.close();
});

/** A hub that knows bob as "bob", and answers `lookup` for carol with an address that is no address. */
async function signedIn() {
  hub = await fakeHub({
    chainId: CHAIN_ID,
    handle: (frame, { reply }) => {
      if (frame.op !== "lookup") return false;
      const isBob = frame.username === "bob" || frame.address === bob.address;
      if (frame.address === carol.address) reply({ type: "user", username: "carol", address: "0x12" });
      else reply({ type: "user", username: isBob ? "bob" : null, address: isBob ? bob.address : null });
      return true;
    },
  });
  chat = await hub.connect(alice);
  return chat;
}

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
