// What the web app imports from the wallet and the protocol runs in a browser: no Node module and no ethers
// is reached through a module-level import (the checker of test/kit/module-reach.ts, also behind the chat's
// runs-anywhere.test.ts), and Vite bundles every entry point for the browser with nothing Node's in what an
// entry loads before it runs. Node-bound modules are listed apart, each with why; a file store is loaded
// by `import()` only when a home folder is given, so it lands in a lazy chunk a page never loads.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserBundle, bundleForBrowser, staticChunks } from "../kit/browser-bundle.ts";
import { notForBrowsers, ROOT } from "../kit/module-reach.ts";

/** The folders a page imports from; every module in them is browser-safe unless listed in `NODE_BOUND`. */
const FOLDERS = [
  "protocol",
  "protocol/chat",
  "wallet/actions",
  "wallet/actions/internal",
  "wallet/summary",
  "wallet/node",
  "wallet/node/internal",
  "wallet/chat",
  "wallet/contacts",
  "wallet/invoices",
  "wallet/nonce",
];

/** Single modules outside those folders that a page imports. */
const MODULES = ["wallet/wallet-stores.ts", "wallet/address.ts", "wallet/errors.ts", "wallet/internal/locked-slot.ts"];

/** Modules in those folders that need Node, by design. */
const NODE_BOUND: Record<string, string> = {
  "wallet/chat/fileChatStateStore.ts": "the chat state in a file",
  "wallet/chat/nodeWebSocket.ts": "the ws package",
  "wallet/chat/index.ts": "exports the file store and the ws factory",
  "wallet/contacts/contacts-store.ts": "the address book in a file",
  "wallet/contacts/index.ts": "exports the file store",
  "wallet/invoices/invoice-store.ts": "the invoices in files",
  "wallet/invoices/index.ts": "exports the file store",
  "wallet/nonce/fileNonceStore.ts": "the nonces in files, under a file lock",
  "wallet/nonce/withNonce.ts": "withStoredNonce over the files",
  "wallet/nonce/index.ts": "exports the file store",
};

const ENTRIES = [
  ...FOLDERS.flatMap((folder) =>
    readdirSync(join(ROOT, folder))
      .filter((name) => name.endsWith(".ts"))
      .map((name) => `${folder}/${name}`),
  ),
  ...MODULES,
]
  .filter((path) => NODE_BOUND[path] === undefined)
  .sort();

describe("browser-safe entry points", () => {
  it("covers the actions, summaries, chat, stores' logic, node client and protocol", () => {
    expect(ENTRIES.length).toBeGreaterThan(100);
    for (const path of [
      "wallet/actions/signGaslessTransfer.ts",
      "wallet/actions/sendTransfer.ts",
      "wallet/chat/connectChat.ts",
      "wallet/chat/payCard.ts",
      "wallet/contacts/addContact.ts",
      "wallet/invoices/createInvoice.ts",
      "wallet/nonce/withStoredNonce.ts",
      "wallet/summary/describeTransaction.ts",
      "wallet/node/createNodeClient.ts",
      "protocol/deployment-record.ts",
    ]) {
      expect(ENTRIES).toContain(path);
    }
  });

  it.each(ENTRIES)("%s imports neither Node nor ethers, directly or not", (path) => {
    expect(notForBrowsers(join(ROOT, path))).toEqual([]);
  });

  it("the Node-bound ones are Node's indeed (a list that does not rot)", () => {
    for (const path of Object.keys(NODE_BOUND)) expect(notForBrowsers(join(ROOT, path)), path).not.toEqual([]);
  });

  describe("bundled by Vite for the browser", () => {
    let bundle: BrowserBundle;
    const name = (path: string) => path.replace(/\.ts$/, "").replaceAll("/", "__");
    beforeAll(async () => {
      bundle = await bundleForBrowser(Object.fromEntries(ENTRIES.map((path) => [name(path), path])));
    }, 120_000);
    afterAll(async () => {
      const { rm } = await import("node:fs/promises");
      if (bundle !== undefined) await rm(bundle.dir, { recursive: true, force: true });
    });

    it("builds every entry, and none loads a Node module or ethers before it runs", () => {
      const offending = ENTRIES.flatMap((path) =>
        staticChunks(bundle, name(path)).flatMap((chunk) =>
          chunk.moduleIds
            .filter((id) => id.includes("__vite-browser-external") || /node_modules\/(ethers|ws)\//.test(id))
            .map((id) => `${path}: ${id}`),
        ),
      );
      expect(bundle.chunks.filter((chunk) => chunk.isEntry)).toHaveLength(ENTRIES.length);
      expect(offending).toEqual([]);
    });
  });
});
