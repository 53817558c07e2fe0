import { describe, expect, it } from "vitest";
import { ChatRefusedError } from "../../../wallet/chat/errors.ts";

describe("ChatRefusedError", () => {
  it.each([
    ["RATE_LIMITED", "failure"],
    ["TOO_MANY_CONNECTIONS", "failure"],
    ["INTERNAL", "failure"],
    ["USERNAME_TAKEN", "user"],
    ["MALFORMED", "user"],
  ] as const)("a hub's %s is a %s", (hubCode, kind) => {
    const error = new ChatRefusedError(hubCode, "refused");
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(`CHAT_${hubCode}`);
  });

  it("a hub code that is not SCREAMING_SNAKE is reported as CHAT_REFUSED", () => {
    expect(new ChatRefusedError("<script>", "refused").code).toBe("CHAT_REFUSED");
  });
});
