// registerUsername against the fake hub of fake-hub.ts: the name asked for, the hub's answer parsed, its
// refusal kept with its code, and an answer of another kind taken as the hub's failure.
import { describe, expect, it } from "vitest";
import { ChatRefusedError, ChatUnavailableError } from "../../../wallet/chat/errors.ts";
import { registerUsername } from "../../../wallet/chat/registerUsername.ts";
import { chatAnswering } from "../../kit/fake-hub.ts";
import { alice } from "../../protocol/chat/helpers.ts";

describe("registerUsername", () => {
  it("asks for the name and returns what the hub registered", async () => {
    const { hub, chat } = await chatAnswering(alice, "register", (frame) => ({
      type: "user",
      username: frame.username,
      address: alice.address,
    }));
    expect(await registerUsername(chat, "alice_1")).toEqual({ username: "alice_1", address: alice.address });
    expect(hub.received.filter((f) => f.op === "register")).toEqual([
      expect.objectContaining({ op: "register", username: "alice_1" }),
    ]);
  });

  it("a name taken is the hub's refusal, with its code", async () => {
    const { chat } = await chatAnswering(alice, "register", () => ({
      type: "error",
      code: "USERNAME_TAKEN",
      message: "taken",
    }));
    const refused = await registerUsername(chat, "bob").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ChatRefusedError);
    expect(refused).toMatchObject({ code: "CHAT_USERNAME_TAKEN", hubCode: "USERNAME_TAKEN", kind: "user" });
  });

  it("an answer of another kind is the hub's failure", async () => {
    const { chat } = await chatAnswering(alice, "register", () => ({ type: "groups", groups: [] }));
    const failed = await registerUsername(chat, "alice").catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ChatUnavailableError);
    expect((failed as ChatUnavailableError).shortMessage).toBe(
      'the chat hub answered with something other than "user"',
    );
  });
});
