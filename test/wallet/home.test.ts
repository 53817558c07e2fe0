import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { gramHome } from "../../wallet/home.ts";

describe("gramHome", () => {
  it("is --home, else $GRAM_HOME, else ~/.gram, always absolute", () => {
    expect(gramHome({ home: "rel/home", env: { GRAM_HOME: "/env/home" } })).toBe(resolve("rel/home"));
    expect(gramHome({ env: { GRAM_HOME: "/env/home" } })).toBe("/env/home");
    expect(gramHome({ env: {} })).toBe(join(homedir(), ".gram"));
    expect(gramHome({ env: { GRAM_HOME: "" } })).toBe(join(homedir(), ".gram"));
  });
});
