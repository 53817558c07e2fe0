import { describe, expect, it } from "vitest";
import { createKeyedSerial, createSerial } from "../../../node/internal/serial.ts";

const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe("createSerial", () => {
  it("runs tasks one at a time in the order given; a failure goes to its caller and the next task still runs", async () => {
    const run = createSerial();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await later(ms, undefined);
      log.push(`end ${name}`);
      return name;
    };
    const a = run(task("a", 30));
    const b = run(async () => {
      log.push("b fails");
      throw new Error("b");
    });
    const c = run(task("c", 1));
    await expect(a).resolves.toBe("a");
    await expect(b).rejects.toThrow("b");
    await expect(c).resolves.toBe("c");
    expect(log).toEqual(["start a", "end a", "b fails", "start c", "end c"]);
  });
});

describe("createKeyedSerial", () => {
  it("serialises tasks of one key and runs different keys side by side", async () => {
    const run = createKeyedSerial();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await later(ms, undefined);
      log.push(`end ${name}`);
    };
    await Promise.all([run("x", task("x1", 30)), run("x", task("x2", 1)), run("y", task("y1", 1))]);
    // y1 ran while x1 was running; x2 waited for x1.
    expect(log.indexOf("end y1")).toBeLessThan(log.indexOf("end x1"));
    expect(log.indexOf("start x2")).toBeGreaterThan(log.indexOf("end x1"));
  });
});
