// The web tests' browser itself: Debian's Chromium through playwright-core, with what the web app needs
// of it on a plain http://127.0.0.1 origin (a secure context): WebCrypto's AES-GCM and PBKDF2, IndexedDB
// that keeps data per context, and contexts that do not share storage (alice's window is not bob's).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../kit/browser.ts";

let browser: Browser;
let server: Server;
let origin: string;

beforeAll(async () => {
  browser = await launchBrowser();
  server = createServer((_, response) => response.end("<!doctype html><title>gram</title>"));
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise((closed) => server?.close(closed));
});

describe("the test browser", () => {
  it("is a secure context on loopback with WebCrypto's PBKDF2 and AES-GCM", async () => {
    const page = await browser.newPage();
    await page.goto(origin);
    const roundTrip = await page.evaluate(async () => {
      const salt = crypto.getRandomValues(new Uint8Array(16));
      const base = await crypto.subtle.importKey("raw", new TextEncoder().encode("pw"), "PBKDF2", false, ["deriveKey"]);
      const key = await crypto.subtle.deriveKey(
        { name: "PBKDF2", salt, iterations: 1000, hash: "SHA-256" },
        base,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      );
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode("hello"));
      const opened = await crypto.subtle.decrypt({ name: "AES-GCM", iv }, key, sealed);
      return { secure: isSecureContext, text: new TextDecoder().decode(opened) };
    });
    expect(roundTrip).toEqual({ secure: true, text: "hello" });
    await page.close();
  });

  it("keeps IndexedDB per context: one person's window does not see another's", async () => {
    const put = async (context: Awaited<ReturnType<Browser["newContext"]>>, value: string | null) => {
      const page = await context.newPage();
      await page.goto(origin);
      return page.evaluate(
        (value) =>
          new Promise<string | null>((resolve, reject) => {
            const open = indexedDB.open("gram-test", 1);
            open.onupgradeneeded = () => open.result.createObjectStore("kv");
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const tx = open.result.transaction("kv", "readwrite");
              const store = tx.objectStore("kv");
              if (value !== null) store.put(value, "who");
              const read = store.get("who");
              tx.oncomplete = () => resolve((read.result as string | undefined) ?? null);
            };
          }),
        value,
      );
    };
    const alice = await browser.newContext();
    const bob = await browser.newContext();
    expect(await put(alice, "alice")).toBe("alice");
    expect(await put(alice, null)).toBe("alice");
    expect(await put(bob, null)).toBe(null);
    await alice.close();
    await bob.close();
  });
});
