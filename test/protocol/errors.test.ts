// The error base: how the message is laid out, what `walk` finds down a chain of causes, what `toJSON`
// gives the CLI, the kind's default, and the protocol families built on it.
import { describe, expect, it } from "vitest";
import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import { BaseError, quote, statusKind } from "../../protocol/errors.ts";
import { LinkError } from "../../protocol/links/errors.ts";

class FooError extends BaseError {
  override name = "FooError";
  readonly code = "FOO_FAILED";
}

class BarError extends BaseError {
  override name = "BarError";
  readonly code = "BAR";
  override readonly kind = "failure";
}

describe("BaseError", () => {
  it("lays the message out as the short message, the meta lines, then Details and Hint", () => {
    const error = new FooError("contact 'bob' exists", {
      metaMessages: ["  bob  0x1111", "  ann  0x2222"],
      details: "contacts.json names it twice",
      hint: "remove it first",
    });
    expect(error.message).toBe(
      "contact 'bob' exists\n  bob  0x1111\n  ann  0x2222\nDetails: contacts.json names it twice\nHint: remove it first",
    );
    expect([error.shortMessage, error.details, error.hint]).toEqual([
      "contact 'bob' exists",
      "contacts.json names it twice",
      "remove it first",
    ]);
    expect(error.metaMessages).toEqual(["  bob  0x1111", "  ann  0x2222"]);
  });

  it("is only the short message when nothing else is given, and leaves out empty parts", () => {
    expect(new FooError("no account").message).toBe("no account");
    expect(new FooError("no account", { details: "", hint: "" }).message).toBe("no account");
    expect(new FooError("no account", { hint: "create one" }).message).toBe("no account\nHint: create one");
  });

  it("keeps its name, code and cause, and is an Error with a stack", () => {
    const cause = new Error("EACCES");
    const error = new FooError("could not write", { cause });
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.code, error.cause]).toEqual(["FooError", "FOO_FAILED", cause]);
    expect(error.stack).toContain("FooError: could not write");
    expect("cause" in new FooError("no cause")).toBe(false);
  });

  it("is the user's to fix unless the error or the caller says it is a failure", () => {
    expect(new FooError("bad input").kind).toBe("user");
    expect(new FooError("disk full", { kind: "failure" }).kind).toBe("failure");
    expect(new BarError("hub down").kind).toBe("failure");
  });

  it("walks to the innermost cause, or to the first error that a predicate accepts", () => {
    const root = new Error("ECONNREFUSED");
    const middle = new BarError("node unreachable", { cause: root });
    const top = new FooError("balance unknown", { cause: middle });
    expect(top.walk()).toBe(root);
    expect(new FooError("alone").walk()).toBeInstanceOf(FooError);
    expect(top.walk((error) => error instanceof BarError)).toBe(middle);
    expect(top.walk((error) => error === top)).toBe(top);
    expect(top.walk((error) => error instanceof TypeError)).toBeNull();
    // A type guard narrows what comes back.
    const bar: BarError | null = top.walk((error): error is BarError => error instanceof BarError);
    expect(bar?.code).toBe("BAR");
  });

  it("walks causes that are not errors, and stops on a chain that loops", () => {
    expect(new FooError("parse failed", { cause: "not JSON" }).walk()).toBe("not JSON");
    const a = new FooError("a");
    const b = new FooError("b", { cause: a });
    Object.defineProperty(a, "cause", { value: b });
    expect(a.walk()).toBe(b);
    expect(a.walk((error) => error === "never")).toBeNull();
  });

  it("gives --json its code, name and texts, without the parts it lacks", () => {
    expect(new FooError("no account", { details: "the keystore is empty", hint: "create one" }).toJSON()).toEqual({
      code: "FOO_FAILED",
      name: "FooError",
      message: "no account",
      details: "the keystore is empty",
      hint: "create one",
    });
    expect(JSON.stringify(new FooError("no account", { cause: new Error("x") }))).toBe(
      '{"code":"FOO_FAILED","name":"FooError","message":"no account"}',
    );
  });
});

describe("the protocol's coded errors", () => {
  it("are one shape: a code from the family, the short message and a hint", () => {
    const link = new LinkError("WRONG_CHAIN", "link is for chain 1, wallet is on chain 31337", { hint: "switch" });
    const chat = new ChatProtocolError("WRONG_CHAIN", "envelope is signed for chain 1", { hint: "switch" });
    for (const error of [link, chat]) {
      expect(error).toBeInstanceOf(BaseError);
      expect([error.code, error.hint, error.kind]).toEqual(["WRONG_CHAIN", "switch", "user"]);
    }
    expect(link.message).toBe("link is for chain 1, wallet is on chain 31337\nHint: switch");
  });

  it("name a link's code LINK_… outside the family, where a wallet's WRONG_CHAIN also exists", () => {
    const error = new LinkError("INVALID_PREFIX", 'not a payment link: got "bitcoin:x"');
    expect(error.code).toBe("INVALID_PREFIX");
    expect(error.toJSON()).toEqual({
      code: "LINK_INVALID_PREFIX",
      name: "LinkError",
      message: 'not a payment link: got "bitcoin:x"',
    });
  });

  it("make the hub's trouble, rate limits and connection caps failures, the rest the request's fault", () => {
    const kinds = Object.fromEntries(
      (["RATE_LIMITED", "TOO_MANY_CONNECTIONS", "INTERNAL", "MALFORMED", "USERNAME_TAKEN"] as const).map((code) => [
        code,
        new ChatProtocolError(code, "refused").kind,
      ]),
    );
    expect(kinds).toEqual({
      RATE_LIMITED: "failure",
      TOO_MANY_CONNECTIONS: "failure",
      INTERNAL: "failure",
      MALFORMED: "user",
      USERNAME_TAKEN: "user",
    });
  });
});

describe("statusKind", () => {
  it("makes a rate limit and a server's trouble failures, other refusals the request's fault", () => {
    expect([400, 404, 413, 429, 500, 503].map(statusKind)).toEqual([
      "user",
      "user",
      "user",
      "failure",
      "failure",
      "failure",
    ]);
  });
});

describe("quote", () => {
  it("quotes strings as JSON, other values as their JSON, and cuts both", () => {
    expect(quote("abc")).toBe('"abc"');
    expect(quote('a"b\n')).toBe('"a\\"b\\n"');
    expect(quote(42)).toBe("42");
    expect(quote(undefined)).toBe("nothing");
    expect(quote("x".repeat(100), 5)).toBe('"xxxxx…"');
    expect(quote({ a: "b".repeat(100) }, 8)).toBe('{"a":"bb…');
  });
});
