// The wallet library's entry: one import gives a program the keys, the actions on the chain, invoices,
// summaries, contacts, the chat client and the node client.
import { describe, expect, it } from "vitest";
import * as wallet from "../../wallet/index.ts";

describe("wallet/index.ts", () => {
  it("exports the actions, the chat client, invoices, summaries, nonces and the node client", () => {
    const entries = [
      "sendTransfer",
      "payInvoice",
      "signGaslessTransfer",
      "connectChat",
      "sendText",
      "createInvoice",
      "describeTransaction",
      "withNonce",
      "createNodeClient",
      "unlockAccount",
      "addContact",
      "addAccount",
      "unlockVault",
      "exportPhrase",
      "createMemoryVaultStore",
    ] as const;
    for (const name of entries) expect(typeof (wallet as Record<string, unknown>)[name], name).toBe("function");
  });
});
