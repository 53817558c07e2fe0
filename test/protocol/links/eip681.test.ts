import fc from "fast-check";
import { getAddress } from "viem";
import { describe, expect, it } from "vitest";
import { type Eip681Request, encodeEip681, parseEip681 } from "../../../protocol/links/eip681.ts";
import { CHAIN_ID, TOKEN } from "../../kit/constants.ts";
import {
  addressArbitrary,
  chainIdArbitrary,
  displayTextArbitrary,
  linkError,
  PAYER,
  UINT256_MAX,
  uint256Arbitrary,
} from "./helpers.ts";

// The examples in the text of EIP-681 (ethereum/ERCs, ERCS/erc-681.md).
const EIP_UNICORN_TRANSFER =
  "ethereum:0x89205a3a3b2a69de6dbf7f01ed13b2108b2c43e7/transfer?address=0x8e23ee67d1332ad560396262c48ffbb01f93d052&uint256=1";
const EIP_ETHER_PAYMENT = "ethereum:0xfb6916095ca1df60bb79Ce92ce3ea74c37c5d359?value=2.014e18";

describe("EIP-681: the examples of the EIP", () => {
  it("the Unicorn transfer parses to token, payee and 1 base unit on the wallet's chain", () => {
    expect(parseEip681(EIP_UNICORN_TRANSFER, { chainId: 1 })).toEqual({
      chainId: 1,
      token: "0x89205A3A3b2A69De6Dbf7f01ED13B2108B2c43e7",
      to: "0x8e23Ee67d1332aD560396262C48ffbB01F93D052",
      amount: 1n,
    });
  });

  it("the 2.014 ETH payment parses to exactly 2014 × 10^15 wei once its address is uncased", () => {
    // The EIP's address predates EIP-55: its mixed case is not a valid checksum (see the next test).
    expect(parseEip681(EIP_ETHER_PAYMENT.toLowerCase(), { chainId: 1 })).toEqual({
      chainId: 1,
      to: "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
      amount: 2_014_000_000_000_000_000n,
    });
  });

  it("the 2.014 ETH payment as printed is refused: its mixed-case address fails EIP-55", async () => {
    expect(getAddress("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359")).not.toBe(
      "0xfb6916095ca1df60bb79Ce92ce3ea74c37c5d359",
    );
    expect(await linkError(() => parseEip681(EIP_ETHER_PAYMENT, { chainId: 1 }))).toEqual({
      code: "INVALID_ADDRESS",
      message: "target address: 0xfb6916095ca1df60bb79Ce92ce3ea74c37c5d359 fails its EIP-55 checksum",
    });
  });

  it("without @chainId a link means the wallet's chain; with no wallet chain given it is refused", async () => {
    expect(parseEip681(EIP_UNICORN_TRANSFER, { chainId: CHAIN_ID }).chainId).toBe(CHAIN_ID);
    expect(await linkError(() => parseEip681(EIP_UNICORN_TRANSFER))).toEqual({
      code: "MISSING_CHAIN_ID",
      message: "EIP-681 link: missing chain id (@<chainId>)",
    });
  });

  it("the pay- prefix, gas parameters and the grammar's number forms are read", () => {
    const to = PAYER.toLowerCase();
    expect(parseEip681(`ethereum:pay-${to}@5?value=1E3&gasLimit=21000&gasPrice=2e9`)).toEqual({
      chainId: 5,
      to: PAYER,
      amount: 1000n,
      gasLimit: 21000n,
      gasPrice: 2_000_000_000n,
    });
    expect(parseEip681(`ethereum:${to}@5?value=10&gas=50000`).gasLimit).toBe(50000n);
    for (const [number, value] of [
      ["+5", 5n],
      [".5e1", 5n],
      ["0.5e1", 5n],
      ["007", 7n],
      ["2.014e18", 2_014_000_000_000_000_000n],
      ["12.5e9", 12_500_000_000n],
      ["0e99999", 0n],
      ["0", 0n],
      [UINT256_MAX.toString(), UINT256_MAX],
    ] as const) {
      expect(parseEip681(`ethereum:${to}@5?value=${number}`).amount).toBe(value);
    }
  });

  it("a link naming no amount leaves it to the payer", () => {
    expect(parseEip681(`ethereum:${PAYER}@1`)).toEqual({ chainId: 1, to: PAYER, amount: undefined });
    expect(parseEip681(`ethereum:${TOKEN}@1/transfer?address=${PAYER}`).amount).toBeUndefined();
  });
});

describe("EIP-681: refusals name what was wrong", () => {
  const transfer = (query: string) => `ethereum:${TOKEN}@${CHAIN_ID}/transfer?address=${PAYER}&${query}`;
  const badPayer = `${PAYER.slice(0, 10)}${PAYER[10] === "d" ? "D" : "d"}${PAYER.slice(11)}`;
  const cases: [string, string, string][] = [
    [
      transfer("uint256=2.014e2"),
      "INVALID_AMOUNT",
      'uint256="2.014e2" is not an integer: 3 digits after the point need an exponent of at least 3',
    ],
    [transfer("uint256=1e-2"), "INVALID_AMOUNT", 'uint256="1e-2": expected an integer such as 1000 or 2.014e18'],
    [
      transfer("uint256=1.5"),
      "INVALID_AMOUNT",
      'uint256="1.5" is not an integer: 1 digits after the point need an exponent of at least 1',
    ],
    [
      transfer("uint256=2.0140e3"),
      "INVALID_AMOUNT",
      'uint256="2.0140e3" is not an integer: 4 digits after the point need an exponent of at least 4',
    ],
    [transfer("uint256=-1"), "INVALID_AMOUNT", 'uint256="-1": expected an integer such as 1000 or 2.014e18'],
    [transfer("uint256="), "INVALID_AMOUNT", 'uint256="": expected an integer such as 1000 or 2.014e18'],
    [transfer("uint256=1e"), "INVALID_AMOUNT", 'uint256="1e": expected an integer such as 1000 or 2.014e18'],
    [transfer("uint256=1."), "INVALID_AMOUNT", 'uint256="1.": expected an integer such as 1000 or 2.014e18'],
    [transfer("uint256=0x10"), "INVALID_AMOUNT", 'uint256="0x10": expected an integer such as 1000 or 2.014e18'],
    [transfer("uint256=1%20000"), "INVALID_AMOUNT", 'uint256="1 000": expected an integer such as 1000 or 2.014e18'],
    [transfer("uint256=1e78"), "INVALID_AMOUNT", 'uint256="1e78": larger than a uint256'],
    [transfer("uint256=1e99999"), "INVALID_AMOUNT", 'uint256="1e99999": larger than a uint256'],
    [transfer(`uint256=${2n ** 256n}`), "INVALID_AMOUNT", `uint256="${2n ** 256n}": larger than a uint256`],
    [
      `ethereum:${TOKEN}@${CHAIN_ID}/transfer?address=${badPayer}`,
      "INVALID_ADDRESS",
      `address: ${badPayer} fails its EIP-55 checksum`,
    ],
    [
      `ethereum:${TOKEN}@${CHAIN_ID}/transfer?address=0x1234`,
      "INVALID_ADDRESS",
      'address: "0x1234" is not a 0x address of 40 hex digits',
    ],
    [
      `ethereum:alice.eth@${CHAIN_ID}?value=1`,
      "INVALID_ADDRESS",
      'target address: "alice.eth" is not a 0x address of 40 hex digits',
    ],
    [
      `ethereum:${PAYER.slice(2)}@${CHAIN_ID}`,
      "INVALID_ADDRESS",
      `target address: "${PAYER.slice(2)}" is not a 0x address of 40 hex digits`,
    ],
    [
      `ethereum:${TOKEN}@${CHAIN_ID}/approve?address=${PAYER}&uint256=1`,
      "UNKNOWN_FUNCTION",
      'EIP-681 link: unknown function "approve"',
    ],
    [
      `ethereum:${TOKEN}@${CHAIN_ID}/transferFrom?address=${PAYER}`,
      "UNKNOWN_FUNCTION",
      'EIP-681 link: unknown function "transferFrom"',
    ],
    [`ethereum:${TOKEN}@${CHAIN_ID}/?address=${PAYER}`, "UNKNOWN_FUNCTION", 'EIP-681 link: unknown function ""'],
    [
      `ethereum:${TOKEN}@0/transfer?address=${PAYER}`,
      "INVALID_CHAIN_ID",
      'EIP-681 link: chain id "0" is not a decimal number',
    ],
    [
      `ethereum:${TOKEN}@01/transfer?address=${PAYER}`,
      "INVALID_CHAIN_ID",
      'EIP-681 link: chain id "01" is not a decimal number',
    ],
    [
      `ethereum:${TOKEN}@/transfer?address=${PAYER}`,
      "INVALID_CHAIN_ID",
      'EIP-681 link: chain id "" is not a decimal number',
    ],
    [
      `ethereum:${TOKEN}@0x1/transfer?address=${PAYER}`,
      "INVALID_CHAIN_ID",
      'EIP-681 link: chain id "0x1" is not a decimal number',
    ],
    [
      `ethereum:${TOKEN}@9007199254740992/transfer?address=${PAYER}`,
      "INVALID_CHAIN_ID",
      "EIP-681 link: chain id: got 9007199254740992, expected a positive integer below 2^53",
    ],
    [
      `ethereum:${TOKEN}@${CHAIN_ID}/transfer?uint256=1`,
      "INVALID_PARAMETER",
      "EIP-681 transfer: missing address= (the payee)",
    ],
    [transfer("uint256=1&uint256=2"), "INVALID_PARAMETER", "EIP-681 link: uint256 given twice"],
    [transfer("value=1"), "INVALID_PARAMETER", 'EIP-681 link: unknown parameter "value"'],
    [transfer("foo=1"), "INVALID_PARAMETER", 'EIP-681 link: unknown parameter "foo"'],
    [
      `ethereum:${PAYER}@${CHAIN_ID}?address=${TOKEN}`,
      "INVALID_PARAMETER",
      'EIP-681 link: unknown parameter "address"',
    ],
    [`ethereum:${PAYER}@${CHAIN_ID}?value=1&&gas=1`, "INVALID_PARAMETER", 'EIP-681 link: "" is not key=value'],
    [`ethereum:${PAYER}@${CHAIN_ID}?value`, "INVALID_PARAMETER", 'EIP-681 link: "value" is not key=value'],
    [
      `ethereum:${PAYER}@${CHAIN_ID}?value=1&gas=1&gasLimit=1`,
      "INVALID_PARAMETER",
      "EIP-681 link: gas and gasLimit are the same parameter; give one",
    ],
    [transfer("message=%E0%A4%A"), "INVALID_PARAMETER", "EIP-681 link: message has malformed percent-encoding"],
    [`${transfer("uint256=1")}#fragment`, "INVALID_PARAMETER", "EIP-681 link: a fragment (#) is not allowed"],
    [
      transfer("message=%1B%5B31mPAID"),
      "INVALID_TEXT",
      "message: contains U+001B at position 0, a control or formatting character",
    ],
    [
      transfer("message=to%E2%80%AEeb"),
      "INVALID_TEXT",
      "message: contains U+202E at position 2, a control or formatting character",
    ],
    [`bitcoin:${PAYER}`, "INVALID_PREFIX", `not an EIP-681 link: expected "ethereum:…", got "bitcoin:${PAYER}"`],
  ];

  it.each(cases)("%s → %s", async (link, code, message) => {
    expect(await linkError(() => parseEip681(link))).toEqual({ code, message });
  });

  it("a link for another chain or token than the wallet's is refused", async () => {
    const link = `ethereum:${TOKEN}@10/transfer?address=${PAYER}&uint256=1`;
    expect(await linkError(() => parseEip681(link, { chainId: CHAIN_ID }))).toEqual({
      code: "WRONG_CHAIN",
      message: "link is for chain 10, wallet is on chain 31337",
    });
    expect(await linkError(() => parseEip681(link, { token: PAYER }))).toEqual({
      code: "WRONG_TOKEN",
      message: `link is for token ${TOKEN}, wallet uses token ${PAYER}`,
    });
    expect(await linkError(() => parseEip681(`ethereum:${PAYER}@10?value=1`, { token: TOKEN }))).toEqual({
      code: "WRONG_TOKEN",
      message: `EIP-681 link asks for the chain's native coin, wallet pays in token ${TOKEN}`,
    });
  });
});

describe("EIP-681: encoding", () => {
  it("writes a GRAM transfer with the token's decimals as exponent, and the memo percent-encoded", () => {
    const link = encodeEip681(
      { chainId: CHAIN_ID, token: TOKEN, to: PAYER, amount: 12_500_000_000n, memo: "pizza & beer" },
      { decimals: 9 },
    );
    expect(link).toBe(`ethereum:${TOKEN}@31337/transfer?address=${PAYER}&uint256=12.5e9&message=pizza%20%26%20beer`);
    expect(encodeEip681({ chainId: 1, to: PAYER, amount: 2_014_000_000_000_000_000n })).toBe(
      `ethereum:${PAYER}@1?value=2014000000000000000`,
    );
  });

  it("refuses to encode what it would refuse to parse", async () => {
    expect((await linkError(() => encodeEip681({ chainId: 0, to: PAYER }))).code).toBe("INVALID_CHAIN_ID");
    expect((await linkError(() => encodeEip681({ chainId: 1, to: PAYER, amount: -1n }))).code).toBe("INVALID_AMOUNT");
    expect((await linkError(() => encodeEip681({ chainId: 1, to: PAYER, memo: "a\nb" }))).code).toBe("INVALID_TEXT");
    expect((await linkError(() => encodeEip681({ chainId: 1, to: badCase(PAYER) }))).code).toBe("INVALID_ADDRESS");
  });

  it("random requests survive encode → parse unchanged, in plain and scientific notation", () => {
    fc.assert(
      fc.property(
        fc.record({
          chainId: chainIdArbitrary,
          token: fc.option(addressArbitrary, { nil: undefined }),
          to: addressArbitrary,
          amount: fc.option(uint256Arbitrary, { nil: undefined }),
          memo: fc.option(displayTextArbitrary(80), { nil: undefined }),
          gasLimit: fc.option(fc.bigInt({ min: 0n, max: 30_000_000n }), { nil: undefined }),
        }),
        fc.option(fc.integer({ min: 0, max: 36 }), { nil: undefined }),
        (request: Eip681Request, decimals) => {
          // toEqual treats an undefined property as absent, as the parser leaves it.
          expect(parseEip681(encodeEip681(request, { decimals }))).toEqual(request);
        },
      ),
      { numRuns: 500 },
    );
  });
});

function badCase(address: string) {
  const i = [...address].findIndex((char, at) => at > 1 && /[a-f]/i.test(char));
  const char = address[i] as string;
  const swapped = char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase();
  return `${address.slice(0, i)}${swapped}${address.slice(i + 1)}` as `0x${string}`;
}
