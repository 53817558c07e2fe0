// The connection's listeners on their own (createChatListeners): every listener gets each event in turn,
// the next event waits for them, a listener that throws stops no one, and one that left hears nothing.
import { describe, expect, it } from "vitest";
import { type ChatEvent, createChatListeners } from "../../../wallet/chat/createChatListeners.ts";

describe("createChatListeners", () => {
  it("calls every listener in turn, waiting for each; a failing one stops no one", async () => {
    const heard: string[] = [];
    const listeners = createChatListeners(async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      heard.push(`first ${event.type}`);
    });
    listeners.add(() => {
      throw new Error("a listener's own bug");
    });
    listeners.add((event) => {
      heard.push(`third ${event.type}`);
    });
    await listeners.emit({ type: "reconnected" });
    await listeners.emit({ type: "synced", lastSeq: 3 });
    expect(heard).toEqual(["first reconnected", "third reconnected", "first synced", "third synced"]);
  });

  it("a listener removed hears nothing more", async () => {
    const heard: ChatEvent[] = [];
    const listeners = createChatListeners();
    const leave = listeners.add((event) => {
      heard.push(event);
    });
    await listeners.emit({ type: "synced", lastSeq: 1 });
    leave();
    await listeners.emit({ type: "synced", lastSeq: 2 });
    expect(heard).toEqual([{ type: "synced", lastSeq: 1 }]);
  });
});
