// Signing and checking envelopes: a signature holds for its sender, chain, escrow and exact content,
// and for nothing else.
import { bytesToHex, type Hex, hexToBytes } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { conversationOf, type Envelope, parseEnvelope } from "../../../protocol/chat/envelope.ts";
import {
  chatDomain,
  chatMessage,
  chatMessageTypes,
  signEnvelope,
  verifyEnvelope,
} from "../../../protocol/chat/sign.ts";
import { encodeInvoiceLink } from "../../../protocol/links/invoice-link.ts";
import { CHAIN_ID, DOMAIN, ESCROW, OTHER_ESCROW, TOKEN } from "../../kit/constants.ts";
import { pizza, signInvoice, typicalInvoice } from "../links/helpers.ts";
import { alice, bob, carol, chatError, GROUP_ID } from "./helpers.ts";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const hello = () =>
  signEnvelope(alice, { to: { type: "direct", address: bob.address }, body: { type: "text", text: "hello" } }, DOMAIN);

/** Signs `envelope`'s content as `signer` under another domain, keeping every field. */
async function resign(envelope: Envelope, signer = alice, domain = DOMAIN): Promise<Envelope> {
  const signature = await signer.signTypedData({
    domain: chatDomain(domain),
    types: chatMessageTypes,
    primaryType: "ChatMessage",
    message: chatMessage(envelope),
  });
  return { ...envelope, signature };
}

describe("signEnvelope / verifyEnvelope", () => {
  it("round-trips through JSON: the reader recovers the sender", async () => {
    const envelope = await hello();
    expect(envelope).toMatchObject({
      v: 1,
      chainId: CHAIN_ID,
      from: alice.address,
      body: { type: "text", text: "hello" },
    });
    expect(envelope.id).toMatch(/^0x[0-9a-f]{64}$/);
    expect(Math.abs(envelope.sentAt - Date.now())).toBeLessThan(5_000);
    const verified = await verifyEnvelope(parseEnvelope(JSON.stringify(envelope)), DOMAIN);
    expect(verified.signer).toBe(alice.address);
    expect(verified.conversation).toBe(conversationOf(bob.address, { type: "direct", address: alice.address }));
  });

  it("gives every message a fresh id", async () => {
    const ids = new Set(await Promise.all(Array.from({ length: 20 }, async () => (await hello()).id)));
    expect(ids.size).toBe(20);
  });

  it("refuses a message signed by someone else than its from", async () => {
    const forged = await resign(await hello(), carol);
    const error = await chatError(() => verifyEnvelope(forged, DOMAIN));
    expect(error.code).toBe("BAD_SIGNATURE");
    expect(error.message).toContain(`signed by ${carol.address}, not by its from ${alice.address}`);
  });

  it("refuses a message whose chain id is not the reader's", async () => {
    const envelope = await signEnvelope(
      alice,
      { to: { type: "direct", address: bob.address }, body: { type: "text", text: "hi" } },
      { ...DOMAIN, chainId: 1 },
    );
    const error = await chatError(() => verifyEnvelope(envelope, DOMAIN));
    expect(error.code).toBe("WRONG_CHAIN");
    expect(error.message).toBe(`envelope is signed for chain 1, this reader is on chain ${CHAIN_ID}`);
  });

  it("refuses a signature made for another chain under a relabelled chain id", async () => {
    const envelope = await resign(await hello(), alice, { ...DOMAIN, chainId: 1 });
    expect((await chatError(() => verifyEnvelope(envelope, DOMAIN))).code).toBe("BAD_SIGNATURE");
  });

  it("refuses a signature made against another escrow (verifying contract)", async () => {
    const envelope = await resign(await hello(), alice, { ...DOMAIN, escrow: OTHER_ESCROW });
    expect((await chatError(() => verifyEnvelope(envelope, DOMAIN))).code).toBe("BAD_SIGNATURE");
    // …and it verifies where it was signed.
    expect((await verifyEnvelope(envelope, { ...DOMAIN, escrow: OTHER_ESCROW })).signer).toBe(alice.address);
  });

  it.each<[string, (envelope: Envelope) => Envelope]>([
    ["the text", (e) => ({ ...e, body: { type: "text", text: "hellO" } })],
    ["the recipient", (e) => ({ ...e, to: { type: "direct", address: carol.address } })],
    ["the target kind", (e) => ({ ...e, to: { type: "group", id: GROUP_ID } })],
    ["the id", (e) => ({ ...e, id: `0x${"11".repeat(32)}` })],
    ["the time", (e) => ({ ...e, sentAt: e.sentAt + 1 })],
    ["the sender", (e) => ({ ...e, from: carol.address })],
  ])("refuses a message whose %s was changed after signing", async (_field, tamper) => {
    const error = await chatError(async () => verifyEnvelope(tamper(await hello()), DOMAIN));
    expect(error.code).toBe("BAD_SIGNATURE");
  });

  it("refuses the malleable twin of a valid signature (high s)", async () => {
    const envelope = await hello();
    const bytes = hexToBytes(envelope.signature);
    const s = BigInt(bytesToHex(bytes.subarray(32, 64)));
    bytes.set(hexToBytes(`0x${(N - s).toString(16).padStart(64, "0")}`), 32);
    bytes[64] = bytes[64] === 27 ? 28 : 27;
    const twin = { ...envelope, signature: bytesToHex(bytes) };
    const error = await chatError(() => verifyEnvelope(twin, DOMAIN));
    expect(error.code).toBe("BAD_SIGNATURE");
    expect(error.message).toContain("not a valid low-s ECDSA signature");
  });

  it("refuses an all-zero signature", async () => {
    const envelope = { ...(await hello()), signature: `0x${"00".repeat(65)}` as Hex };
    expect((await chatError(() => verifyEnvelope(envelope, DOMAIN))).code).toBe("BAD_SIGNATURE");
  });

  it("refuses to sign a bad draft, before anything is signed", async () => {
    let signed = 0;
    const account = {
      address: alice.address,
      signTypedData: async () => {
        signed++;
        return `0x${"00".repeat(65)}` as Hex;
      },
    };
    const error = await chatError(() =>
      signEnvelope(account, { to: { type: "direct", address: bob.address }, body: { type: "text", text: "" } }, DOMAIN),
    );
    expect(error.message).toBe("draft.body.text: expected 1 to 4000 characters, got 0");
    expect(signed).toBe(0);
  });

  it("refuses to sign an envelope over 16 KiB", async () => {
    const error = await chatError(() =>
      signEnvelope(
        alice,
        { to: { type: "direct", address: bob.address }, body: { type: "text", text: "😀".repeat(4_000) } },
        DOMAIN,
      ),
    );
    expect(error.code).toBe("TOO_LARGE");
  });

  it("names the same conversation from both sides, and a group apart from any direct chat", async () => {
    const ab = conversationOf(alice.address, { type: "direct", address: bob.address });
    expect(conversationOf(bob.address, { type: "direct", address: alice.address.toLowerCase() as Hex })).toBe(ab);
    expect(conversationOf(alice.address, { type: "direct", address: carol.address })).not.toBe(ab);
    expect(conversationOf(alice.address, { type: "group", id: ab })).not.toBe(ab);
  });

  it("signs group messages and payment, request and invoice bodies", async () => {
    const invoice = typicalInvoice({ payer: bob.address });
    const link = encodeInvoiceLink({
      chainId: CHAIN_ID,
      escrow: ESCROW,
      invoice,
      signature: await signInvoice(invoice),
    });
    const bodies = [
      {
        type: "payment",
        token: TOKEN,
        amount: "5000000000",
        to: bob.address,
        tx: `0x${"12".repeat(32)}`,
        memo: "lunch",
      },
      { type: "payment", token: TOKEN, amount: "1", to: bob.address, authorization: `0x${"34".repeat(32)}` },
      { type: "request", token: TOKEN, amount: "5000000000", expiry: 1_767_225_600, memo: "pizza" },
      { type: "invoice", link, ...pizza },
    ] as const;
    for (const body of bodies) {
      const envelope = await signEnvelope(alice, { to: { type: "group", id: GROUP_ID }, body }, DOMAIN);
      const verified = await verifyEnvelope(parseEnvelope(JSON.stringify(envelope)), DOMAIN);
      expect(verified.signer).toBe(alice.address);
      if (body.type === "invoice") {
        expect(verified.invoice).toMatchObject({
          signatureValid: true,
          escrow: ESCROW,
          invoice: { payer: bob.address },
        });
      }
    }
  });

  it("refuses an invoice card whose title is not what the merchant signed", async () => {
    const invoice = typicalInvoice();
    const link = encodeInvoiceLink({
      chainId: CHAIN_ID,
      escrow: ESCROW,
      invoice,
      signature: await signInvoice(invoice),
    });
    const envelope = await signEnvelope(
      alice,
      {
        to: { type: "direct", address: bob.address },
        body: { type: "invoice", link, title: "Free pizza", items: pizza.items },
      },
      DOMAIN,
    );
    const error = await chatError(() => verifyEnvelope(envelope, DOMAIN));
    expect(error.code).toBe("INVOICE_INVALID");
    expect(error.message).toContain("the invoice signs");
  });

  it("refuses an invoice link made for another escrow", async () => {
    const invoice = typicalInvoice();
    const signature = await signInvoice(invoice, { escrow: OTHER_ESCROW });
    const link = encodeInvoiceLink({ chainId: CHAIN_ID, escrow: OTHER_ESCROW, invoice, signature });
    const envelope = await signEnvelope(
      alice,
      { to: { type: "direct", address: bob.address }, body: { type: "invoice", link, ...pizza } },
      DOMAIN,
    );
    const error = await chatError(() => verifyEnvelope(envelope, DOMAIN));
    expect(error.code).toBe("INVOICE_INVALID");
    expect(error.message).toContain(`link is for escrow ${OTHER_ESCROW}`);
  });

  it("verifies messages of any key", async () => {
    for (let i = 0; i < 5; i++) {
      const account = privateKeyToAccount(generatePrivateKey());
      const envelope = await signEnvelope(
        account,
        { to: { type: "direct", address: account.address }, body: { type: "text", text: `note ${i}` } },
        DOMAIN,
      );
      expect((await verifyEnvelope(envelope, DOMAIN)).signer).toBe(account.address);
    }
  });
});
