import fc from "fast-check";
import { type Address, bytesToHex, hexToBytes, stringToBytes } from "viem";
import { describe, expect, it } from "vitest";
import { invoiceId } from "../../../protocol/invoice.ts";
import { base64UrlDecode } from "../../../protocol/links/codec.ts";
import { decodeInvoiceLink, encodeInvoiceLink, INVOICE_LINK_PREFIX } from "../../../protocol/links/invoice-link.ts";
import { metadataHash } from "../../../protocol/links/metadata.ts";
import { encodeRequestLink, REQUEST_LINK_PREFIX } from "../../../protocol/links/request-link.ts";
import { CHAIN_ID, ESCROW, TOKEN } from "../../kit/constants.ts";
import {
  addressArbitrary,
  bytes32Arbitrary,
  chainIdArbitrary,
  indexOfBytes,
  linkError,
  merchant,
  metadataArbitrary,
  PAYER,
  payerArbitrary,
  pizza,
  reseal,
  signInvoice,
  splice,
  stranger,
  typicalInvoice,
  uint40Arbitrary,
  uint256Arbitrary,
} from "./helpers.ts";

const invoice = typicalInvoice();
const signature = await signInvoice(invoice);
const link = encodeInvoiceLink({ chainId: CHAIN_ID, escrow: ESCROW, invoice, signature, metadata: pizza });
const bareLink = encodeInvoiceLink({ chainId: CHAIN_ID, escrow: ESCROW, invoice, signature });
const payloadOf = (text: string) => text.slice(INVOICE_LINK_PREFIX.length);
const resealed = (mutate: (payload: Uint8Array) => Uint8Array) => reseal(link, INVOICE_LINK_PREFIX, mutate);

describe("invoice links: round trip", () => {
  it(`a typical invoice with its title and item is ${link.length} characters, under 400`, async () => {
    expect(link.startsWith("gram:invoice/")).toBe(true);
    expect(payloadOf(link)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(link.length).toBeLessThan(400);
    expect(bareLink.length).toBeLessThan(link.length);
    const decoded = await decodeInvoiceLink(link, { chainId: CHAIN_ID, escrow: ESCROW, token: TOKEN });
    expect(decoded).toEqual({
      chainId: CHAIN_ID,
      escrow: ESCROW,
      invoice,
      signature,
      id: invoiceId({ chainId: CHAIN_ID, escrow: ESCROW, invoice }),
      metadata: pizza,
      recovered: merchant.address,
      signatureValid: true,
      signer: "merchant",
    });
  });

  it("a link without metadata decodes with metadata undefined and the hash still signed", async () => {
    const decoded = await decodeInvoiceLink(bareLink);
    expect(decoded.metadata).toBeUndefined();
    expect(decoded.invoice.metadataHash).toBe(metadataHash(pizza));
    expect(decoded.signatureValid).toBe(true);
  });

  it("an open invoice (zero payer) is 20 bytes shorter: the payer is a flag, not an address", async () => {
    const open = typicalInvoice({ payer: "0x0000000000000000000000000000000000000000" });
    const openLink = encodeInvoiceLink({
      chainId: CHAIN_ID,
      escrow: ESCROW,
      invoice: open,
      signature: await signInvoice(open),
      metadata: pizza,
    });
    // 20 bytes are 26.67 base64url characters.
    expect(link.length - openLink.length).toBeGreaterThanOrEqual(26);
    expect(link.length - openLink.length).toBeLessThanOrEqual(27);
    const decoded = await decodeInvoiceLink(openLink);
    expect(decoded.invoice.payer).toBe("0x0000000000000000000000000000000000000000");
    expect(decoded.signatureValid).toBe(true);
  });

  it("random invoices, domains and metadata survive link → decode unchanged, and re-encode to the same link", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          token: addressArbitrary,
          amount: uint256Arbitrary,
          maxTip: uint256Arbitrary,
          cashbackBps: fc.integer({ min: 0, max: 2 ** 16 - 1 }),
          payer: payerArbitrary,
          nonce: uint256Arbitrary,
          payBefore: uint40Arbitrary,
          captureBefore: uint40Arbitrary,
          refundBefore: uint40Arbitrary,
          ref: bytes32Arbitrary,
        }),
        chainIdArbitrary,
        addressArbitrary,
        fc.option(metadataArbitrary, { nil: undefined }),
        bytes32Arbitrary,
        async (fields, chainId, escrow, metadata, unrelatedHash) => {
          const random = {
            ...fields,
            merchant: merchant.address,
            metadataHash: metadata === undefined ? unrelatedHash : metadataHash(metadata),
          };
          const sig = await signInvoice(random, { chainId, escrow });
          const encoded = encodeInvoiceLink({ chainId, escrow, invoice: random, signature: sig, metadata });
          const decoded = await decodeInvoiceLink(encoded, { chainId, escrow });
          expect(decoded.invoice).toEqual(random);
          expect(decoded.metadata).toEqual(metadata);
          expect(decoded.id).toBe(invoiceId({ chainId, escrow, invoice: random }));
          expect(decoded.signatureValid).toBe(true);
          expect(
            encodeInvoiceLink({
              chainId: decoded.chainId,
              escrow: decoded.escrow,
              invoice: decoded.invoice,
              signature: decoded.signature,
              metadata: decoded.metadata,
            }),
          ).toBe(encoded);
        },
      ),
      { numRuns: 120 },
    );
  });

  it("carries a contract merchant's longer ERC-1271 signature, reported as not checkable offline", async () => {
    const contractSignature = bytesToHex(Uint8Array.from({ length: 130 }, (_, i) => i));
    const contractLink = encodeInvoiceLink({
      chainId: CHAIN_ID,
      escrow: ESCROW,
      invoice,
      signature: contractSignature,
    });
    const decoded = await decodeInvoiceLink(contractLink);
    expect(decoded.signature).toBe(contractSignature);
    expect(decoded).toMatchObject({ signatureValid: false, signer: "contract-or-invalid", recovered: null });
  });
});

describe("invoice links: a damaged link is refused before anything is read", () => {
  it("changing any single character of the payload to any other base64url character is refused", async () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const payload = payloadOf(link);
    const messages = new Map<string, number>();
    for (let i = 0; i < payload.length; i++) {
      for (const char of alphabet) {
        if (char === payload[i]) continue;
        const mangled = INVOICE_LINK_PREFIX + payload.slice(0, i) + char + payload.slice(i + 1);
        const { code, message } = await linkError(() => decodeInvoiceLink(mangled));
        expect(code).toBe("DAMAGED");
        messages.set(message, (messages.get(message) ?? 0) + 1);
      }
    }
    // The last character carries padding bits the checksum cannot see; canonical base64url catches those.
    expect([...messages.keys()].sort()).toEqual([
      "invoice link is damaged: checksum mismatch",
      "invoice link is damaged: its last character is not canonical base64url",
    ]);
    expect(messages.get("invoice link is damaged: checksum mismatch")).toBeGreaterThan(payload.length * 60);
  });

  it("every truncation of the link is refused", async () => {
    for (let length = 0; length < link.length; length++) {
      const { code } = await linkError(() => decodeInvoiceLink(link.slice(0, length)));
      expect(code).toBe(length < INVOICE_LINK_PREFIX.length ? "INVALID_PREFIX" : "DAMAGED");
    }
  });

  it("characters outside base64url, padding, inserted whitespace and impossible lengths are refused", async () => {
    const payload = payloadOf(link);
    // Base64 never ends with a lone character: 4k + 1 characters cannot come from any bytes.
    const impossible = "A".repeat((((1 - payload.length) % 4) + 4) % 4);
    for (const [mangled, message] of [
      [`${link}=`, `invoice link is damaged: "=" at position ${payload.length} is not base64url`],
      [
        `${INVOICE_LINK_PREFIX}${payload.slice(0, 10)}+${payload.slice(11)}`,
        'invoice link is damaged: "+" at position 10 is not base64url',
      ],
      [
        `${INVOICE_LINK_PREFIX}${payload.slice(0, 10)} ${payload.slice(10)}`,
        'invoice link is damaged: " " at position 10 is not base64url',
      ],
      [
        `${link}${impossible}`,
        `invoice link is damaged: ${payload.length + impossible.length} characters is not a possible length`,
      ],
      [
        `${INVOICE_LINK_PREFIX}${payload.slice(0, 10)}/${payload.slice(11)}`,
        'invoice link is damaged: "/" at position 10 is not base64url',
      ],
    ] as const) {
      expect(await linkError(() => decodeInvoiceLink(mangled))).toEqual({ code: "DAMAGED", message });
    }
  });

  it("random multi-character corruption is refused (fast-check)", async () => {
    const payload = payloadOf(link);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(payload.length - 1), fc.constantFrom(..."AZaz09-_QwErTy")), {
          minLength: 2,
          maxLength: 6,
        }),
        async (edits) => {
          const chars = [...payload];
          for (const [at, char] of edits) chars[at] = char;
          fc.pre(chars.join("") !== payload);
          const { code } = await linkError(() => decodeInvoiceLink(INVOICE_LINK_PREFIX + chars.join("")));
          expect(code).toBe("DAMAGED");
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a wrong prefix is refused with what was expected", async () => {
    const payload = payloadOf(link);
    for (const wrong of [
      `gram:invoices/${payload}`,
      `GRAM:invoice/${payload}`,
      `gram:${payload}`,
      `https://gram.example/invoice/${payload}`,
      `ethereum:${ESCROW}`,
      "",
    ]) {
      const { code, message } = await linkError(() => decodeInvoiceLink(wrong));
      expect(code).toBe("INVALID_PREFIX");
      expect(message).toMatch(/^not an invoice link: expected "gram:invoice\/…", got "/);
    }
  });

  it("the checksum is checked before the chain: a damaged link for another chain says damaged", async () => {
    const payload = payloadOf(link);
    const mangled = `${INVOICE_LINK_PREFIX}${payload.slice(0, 40)}${payload[40] === "A" ? "B" : "A"}${payload.slice(41)}`;
    expect((await linkError(() => decodeInvoiceLink(mangled, { chainId: 10 }))).code).toBe("DAMAGED");
  });

  it("surrounding whitespace from a chat message is ignored", async () => {
    expect((await decodeInvoiceLink(`  ${link}\n`)).signatureValid).toBe(true);
  });
});

describe("invoice links: version, kind and layout", () => {
  it("an unknown layout version is refused with the version this wallet reads", async () => {
    const newer = resealed((payload) => splice(payload, 1, 1, Uint8Array.of(2)));
    expect(await linkError(() => decodeInvoiceLink(newer))).toEqual({
      code: "UNSUPPORTED_VERSION",
      message: "invoice link: layout version 2 is not supported (this wallet reads version 1)",
    });
  });

  it("a request payload under the invoice prefix is refused as the wrong kind, and vice versa", async () => {
    const request = encodeRequestLink({ chainId: CHAIN_ID, to: PAYER, token: TOKEN, amount: 5n });
    const swapped = INVOICE_LINK_PREFIX + request.slice(REQUEST_LINK_PREFIX.length);
    expect(await linkError(() => decodeInvoiceLink(swapped))).toEqual({
      code: "UNSUPPORTED_VERSION",
      message: "invoice link: the payload is a request link, not an invoice link",
    });
    const unknown = resealed((payload) => splice(payload, 0, 1, Uint8Array.of(0)));
    expect(await linkError(() => decodeInvoiceLink(unknown))).toEqual({
      code: "UNSUPPORTED_VERSION",
      message: "invoice link: unknown kind byte 0x00",
    });
  });

  it("non-canonical layouts are refused even with a valid checksum", async () => {
    const payload = base64UrlDecode(payloadOf(link), "link");
    const payerAt = indexOfBytes(payload, hexToBytes(PAYER));
    const cases: [string, (bytes: Uint8Array) => Uint8Array, string][] = [
      ["a trailing byte", (p) => Uint8Array.from([...p, 0]), "1 unexpected bytes after the last field"],
      ["a cut-short body", (p) => p.subarray(0, 150), "it ends inside metadataHash"],
      ["an unknown flag", (p) => splice(p, payerAt - 1, 1, Uint8Array.of(0x0b)), "unknown flags 0xb"],
      [
        "a zero payer written out",
        (p) => splice(p, payerAt, 20, new Uint8Array(20)),
        "a zero payer must be left out, not written",
      ],
      // amount 12.5e9 is 5 bytes after a length byte at offset 2 + 3 (chain id) + 60 (three addresses).
      [
        "a non-minimal amount",
        (p) => splice(p, 65, 6, Uint8Array.of(6, 0, ...p.subarray(66, 71))),
        "amount has a leading zero byte",
      ],
      [
        "an oversized amount",
        (p) => splice(p, 65, 1, Uint8Array.of(33)),
        "amount is 33 bytes long, at most 32 allowed",
      ],
      ["a zero chain id", (p) => splice(p, 2, 3, Uint8Array.of(0)), "chain id 0 is out of range"],
    ];
    for (const [, mutate, message] of cases) {
      expect(await linkError(() => decodeInvoiceLink(resealed(mutate)))).toEqual({
        code: "MALFORMED",
        message: `invoice link is malformed: ${message}`,
      });
    }
  });
});

describe("invoice links: signature", () => {
  it("a changed signature byte (checksum recomputed) is reported invalid, never as the merchant's", async () => {
    const tampered = resealed((payload) => {
      const at = indexOfBytes(payload, hexToBytes(signature));
      const copy = Uint8Array.from(payload);
      copy[at + 10] = (copy[at + 10] as number) ^ 0x01;
      return copy;
    });
    const decoded = await decodeInvoiceLink(tampered);
    expect(decoded.signatureValid).toBe(false);
    expect(decoded.signer).toBe("contract-or-invalid");
    expect(decoded.recovered).not.toBe(merchant.address);
  });

  it("an invoice signed by someone else names the real signer and is invalid", async () => {
    const forged = await signInvoice(invoice, { signer: stranger });
    const decoded = await decodeInvoiceLink(
      encodeInvoiceLink({ chainId: CHAIN_ID, escrow: ESCROW, invoice, signature: forged, metadata: pizza }),
    );
    expect(decoded).toMatchObject({
      recovered: stranger.address,
      signatureValid: false,
      signer: "contract-or-invalid",
    });
  });

  it("a changed amount (checksum recomputed) no longer matches the merchant's signature", async () => {
    const raised = resealed((payload) => splice(payload, 65, 6, Uint8Array.of(5, 0xff, 0xff, 0xff, 0xff, 0xff)));
    const decoded = await decodeInvoiceLink(raised);
    expect(decoded.invoice.amount).toBe(0xffffffffffn);
    expect(decoded.signatureValid).toBe(false);
  });

  it("a signature made for another chain or escrow does not verify under the link's domain", async () => {
    for (const domain of [{ chainId: 10 }, { escrow: TOKEN as Address }]) {
      const other = await signInvoice(invoice, domain);
      const decoded = await decodeInvoiceLink(
        encodeInvoiceLink({ chainId: CHAIN_ID, escrow: ESCROW, invoice, signature: other }),
      );
      expect(decoded.signatureValid).toBe(false);
    }
  });

  it("the malleable twin (high s) and v of 0/1 are invalid, as the escrow's ECDSA rules them", async () => {
    const bytes = hexToBytes(signature);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(bytesToHex(bytes.subarray(32, 64)));
    const twin = Uint8Array.from(bytes);
    twin.set(hexToBytes(`0x${(n - s).toString(16).padStart(64, "0")}`), 32);
    twin[64] = bytes[64] === 27 ? 28 : 27;
    const lowV = Uint8Array.from(bytes);
    lowV[64] = (bytes[64] as number) - 27;
    for (const variant of [twin, lowV]) {
      const decoded = await decodeInvoiceLink(
        encodeInvoiceLink({ chainId: CHAIN_ID, escrow: ESCROW, invoice, signature: bytesToHex(variant) }),
      );
      expect(decoded).toMatchObject({ signatureValid: false, recovered: null, signer: "contract-or-invalid" });
    }
  });
});

describe("invoice links: metadata", () => {
  it("metadata changed in the link (checksum recomputed) is refused: it no longer hashes to the signed value", async () => {
    const altered = resealed((payload) => {
      const at = indexOfBytes(payload, stringToBytes("12.5"));
      return splice(payload, at, 4, stringToBytes("02.5"));
    });
    const expectedHash = metadataHash({ ...pizza, items: [{ name: "Margherita", quantity: "1", price: "12.5" }] });
    expect(await linkError(() => decodeInvoiceLink(altered))).toEqual({
      code: "INVALID_METADATA",
      message: "metadata: items.0.price: expected a decimal number such as 2 or 12.5",
    });
    const renamed = resealed((payload) => {
      const at = indexOfBytes(payload, stringToBytes("\nMargherita\x011"));
      return splice(payload, at + 1, 10, stringToBytes("Margherito"));
    });
    const renamedHash = metadataHash({ ...pizza, items: [{ name: "Margherito", quantity: "1", price: "12.5" }] });
    expect(await linkError(() => decodeInvoiceLink(renamed))).toEqual({
      code: "METADATA_MISMATCH",
      message: `invoice link: metadata hashes to ${renamedHash}, the invoice signs ${expectedHash}`,
    });
  });

  it("a title smuggling a right-to-left override is refused before its hash is compared", async () => {
    const spoofed = resealed((payload) => {
      const at = indexOfBytes(payload, stringToBytes("\nMargherita\x01\n"));
      return splice(payload, at, 11, Uint8Array.of(13, ...stringToBytes("Marg\u202eherita")));
    });
    expect(await linkError(() => decodeInvoiceLink(spoofed))).toEqual({
      code: "INVALID_TEXT",
      message: "metadata: title: contains U+202E at position 4, a control or formatting character",
    });
  });

  it("encoding refuses metadata that does not hash to the invoice's metadataHash", async () => {
    const other = { ...pizza, title: "Quattro formaggi" };
    expect(
      await linkError(() =>
        encodeInvoiceLink({ chainId: CHAIN_ID, escrow: ESCROW, invoice, signature, metadata: other }),
      ),
    ).toEqual({
      code: "METADATA_MISMATCH",
      message: `the metadata to encode: metadata hashes to ${metadataHash(other)}, the invoice signs ${invoice.metadataHash}`,
    });
  });
});

describe("invoice links: the wallet's chain, escrow and token", () => {
  it("a link for another chain is refused", async () => {
    const optimism = typicalInvoice();
    const optimismLink = encodeInvoiceLink({
      chainId: 10,
      escrow: ESCROW,
      invoice: optimism,
      signature: await signInvoice(optimism, { chainId: 10 }),
    });
    expect(await linkError(() => decodeInvoiceLink(optimismLink, { chainId: CHAIN_ID }))).toEqual({
      code: "WRONG_CHAIN",
      message: "link is for chain 10, wallet is on chain 31337",
    });
    expect((await decodeInvoiceLink(optimismLink, { chainId: 10 })).signatureValid).toBe(true);
  });

  it("a link for another escrow or token is refused", async () => {
    const otherEscrow: Address = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
    expect(await linkError(() => decodeInvoiceLink(link, { chainId: CHAIN_ID, escrow: otherEscrow }))).toEqual({
      code: "WRONG_ESCROW",
      message: `link is for escrow ${ESCROW}, wallet uses escrow ${otherEscrow}`,
    });
    expect(await linkError(() => decodeInvoiceLink(link, { token: otherEscrow }))).toEqual({
      code: "WRONG_TOKEN",
      message: `link is for token ${TOKEN}, wallet uses token ${otherEscrow}`,
    });
  });

  it("addresses given in lowercase compare equal to the link's checksummed ones", async () => {
    const decoded = await decodeInvoiceLink(link, {
      escrow: ESCROW.toLowerCase() as Address,
      token: TOKEN.toLowerCase() as Address,
    });
    expect(decoded.escrow).toBe(ESCROW);
  });
});
