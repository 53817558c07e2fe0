// The naming rule (test/naming.ts) on the real tree, then the checker on small lists of files, one per case.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readImportGraph } from "./layering.ts";
import { declaredExports, namingViolations } from "./naming.ts";

const ROOT = join(import.meta.dirname, "..");

describe("the source tree", () => {
  it("names every file by the rule, and every test of one module after it", () => {
    const files = [...readImportGraph(ROOT).keys()]
      .filter((path) => path.endsWith(".ts"))
      .map((path) => ({ path, exports: declaredExports(readFileSync(join(ROOT, path), "utf8")) }));
    expect(files.length).toBeGreaterThan(400);
    expect(namingViolations(files)).toEqual([]);
  });
});

describe("the checker", () => {
  const file = (path: string, ...exports: string[]) => ({ path, exports });

  it("reads the names a module declares as exported", () => {
    const text = "export async function sendTransfer() {}\nexport interface SendTransferParameters {}\nconst x = 1;\n";
    expect(declaredExports(text)).toEqual(["sendTransfer", "SendTransferParameters"]);
  });

  it("takes kebab-case anywhere, and camelCase in the wallet's library named after its export", () => {
    expect(
      namingViolations([
        file("node/hub/create-chat-hub.ts", "createChatHub"),
        file("wallet/actions/sendTransfer.ts", "sendTransfer"),
        file("wallet/chat/chat-state.ts", "emptyChatState", "trim"),
        file("protocol/api.ts"),
      ]),
    ).toEqual([]);
  });

  it("refuses camelCase outside the library, or not named after an export, and other cases", () => {
    expect(
      namingViolations([
        file("node/hub/createChatHub.ts", "createChatHub"),
        file("wallet/cli/chatView.ts", "chatView"),
        file("wallet/chat/chatState.ts", "emptyChatState"),
        file("protocol/Invoice_state.ts"),
      ]),
    ).toEqual([
      "node/hub/createChatHub.ts: camelCase outside the wallet's library folders; expected kebab-case",
      "protocol/Invoice_state.ts: neither kebab-case nor camelCase",
      "wallet/chat/chatState.ts: camelCase but exports no chatState; expected kebab-case",
      "wallet/cli/chatView.ts: camelCase outside the wallet's library folders; expected kebab-case",
    ]);
  });

  it("wants a test of one module named after it, and leaves tests of a behaviour alone", () => {
    const modules = [file("wallet/chat/createGroup.ts", "createGroup"), file("node/hub/create-chat-hub.ts")];
    expect(
      namingViolations([
        ...modules,
        file("test/wallet/chat/create-group.test.ts"),
        file("test/node/hub/createChatHub.test.ts"),
        file("test/wallet/chat/createGroup.test.ts"),
        file("test/wallet/cli/with-node.test.ts"),
      ]),
    ).toEqual([
      "test/node/hub/createChatHub.test.ts: a test of node/hub/create-chat-hub.ts is named create-chat-hub.test.ts",
      "test/wallet/chat/create-group.test.ts: a test of wallet/chat/createGroup.ts is named createGroup.test.ts",
    ]);
  });
});
