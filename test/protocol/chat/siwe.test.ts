// Sign-In with Ethereum for the hub: the message viem writes, checked field by field against the
// challenge, the clock and the signer.
import { createSiweMessage } from "viem/siwe";
import { describe, expect, it } from "vitest";
import {
  checkSignInChallenge,
  createChatSignIn,
  SIGN_IN_MAX_TTL_MS,
  SIGN_IN_STATEMENT,
  type SignInChallenge,
  verifyChatSignIn,
} from "../../../protocol/chat/siwe.ts";
import { alice, bob, chatError } from "./helpers.ts";

const NOW = Date.parse("2026-03-01T12:00:00.000Z");
const challenge: SignInChallenge = {
  nonce: "0123456789abcdef0123456789abcdef",
  domain: "127.0.0.1:8545",
  uri: "ws://127.0.0.1:8545/v1/chat",
  chainId: 31337,
};
const expected = { ...challenge, issuedAt: NOW - 1_000 };

async function signedIn(message: string, signer = alice) {
  return { message, signature: await signer.signMessage({ message }) };
}

describe("chat sign-in", () => {
  it("writes an EIP-4361 message with the challenge, a statement and a short expiry", () => {
    const message = createChatSignIn({ address: alice.address, challenge, issuedAt: new Date(NOW) });
    expect(message).toBe(
      [
        `127.0.0.1:8545 wants you to sign in with your Ethereum account:`,
        alice.address,
        "",
        SIGN_IN_STATEMENT,
        "",
        "URI: ws://127.0.0.1:8545/v1/chat",
        "Version: 1",
        "Chain ID: 31337",
        `Nonce: ${challenge.nonce}`,
        "Issued At: 2026-03-01T12:00:00.000Z",
        "Expiration Time: 2026-03-01T12:05:00.000Z",
      ].join("\n"),
    );
  });

  it("accepts the signer's own message and returns its address", async () => {
    const message = createChatSignIn({ address: alice.address, challenge, issuedAt: new Date(NOW) });
    const result = await verifyChatSignIn({ ...(await signedIn(message)), expected, now: NOW + 1_000 });
    expect(result.address).toBe(alice.address);
    expect(result.expirationTime.toISOString()).toBe("2026-03-01T12:05:00.000Z");
  });

  const cases: Array<
    [name: string, build: () => Promise<{ message: string; signature: `0x${string}` }>, message: string, now?: number]
  > = [
    [
      "another domain",
      () =>
        signedIn(
          createChatSignIn({
            address: alice.address,
            challenge: { ...challenge, domain: "evil.example" },
            issuedAt: new Date(NOW),
          }),
        ),
      'domain: got "evil.example", expected "127.0.0.1:8545"',
    ],
    [
      "another URI",
      () =>
        signedIn(
          createChatSignIn({
            address: alice.address,
            challenge: { ...challenge, uri: "ws://evil.example/v1/chat" },
            issuedAt: new Date(NOW),
          }),
        ),
      "URI: got",
    ],
    [
      "another chain",
      () =>
        signedIn(
          createChatSignIn({
            address: alice.address,
            challenge: { ...challenge, chainId: 1 },
            issuedAt: new Date(NOW),
          }),
        ),
      "chain id: got 1, expected 31337",
    ],
    [
      "another nonce",
      () =>
        signedIn(
          createChatSignIn({
            address: alice.address,
            challenge: { ...challenge, nonce: "ffffffffffffffff" },
            issuedAt: new Date(NOW),
          }),
        ),
      "nonce: not the one this connection was given",
    ],
    [
      "an expired message",
      () => signedIn(createChatSignIn({ address: alice.address, challenge, issuedAt: new Date(NOW), ttlMs: 60_000 })),
      "the message expired at 2026-03-01T12:01:00.000Z",
      NOW + 60_000,
    ],
    [
      "a message valid for more than 10 minutes",
      () =>
        signedIn(
          createSiweMessage({
            ...challenge,
            address: alice.address,
            version: "1",
            issuedAt: new Date(NOW),
            expirationTime: new Date(NOW + SIGN_IN_MAX_TTL_MS + 1),
          }),
        ),
      "at most 10 minutes later",
    ],
    [
      "a message without expiry",
      () =>
        signedIn(createSiweMessage({ ...challenge, address: alice.address, version: "1", issuedAt: new Date(NOW) })),
      "expected both Issued At and Expiration Time",
    ],
    [
      "a message issued in the future",
      () => signedIn(createChatSignIn({ address: alice.address, challenge, issuedAt: new Date(NOW + 6 * 60_000) })),
      "is in the future",
    ],
    [
      "a message issued before the challenge",
      () =>
        signedIn(
          createChatSignIn({
            address: alice.address,
            challenge,
            issuedAt: new Date(NOW - 9 * 60_000),
            ttlMs: 10 * 60_000,
          }),
        ),
      "is before the challenge was given",
    ],
    [
      "a Not Before",
      () =>
        signedIn(
          createSiweMessage({
            ...challenge,
            address: alice.address,
            version: "1",
            issuedAt: new Date(NOW),
            expirationTime: new Date(NOW + 60_000),
            notBefore: new Date(NOW),
          }),
        ),
      "Not Before is not accepted",
    ],
    [
      "someone else's signature",
      async () => {
        const message = createChatSignIn({ address: alice.address, challenge, issuedAt: new Date(NOW) });
        return { message, signature: (await signedIn(message, bob)).signature };
      },
      `the signature is not ${alice.address}'s signature of this message`,
    ],
    [
      "a signature of other text",
      async () => {
        const message = createChatSignIn({ address: alice.address, challenge, issuedAt: new Date(NOW) });
        return { message, signature: await alice.signMessage({ message: "hello" }) };
      },
      "the signature is not",
    ],
    [
      // The same signer's malleable twin (s' = n - s, v flipped): valid ECDSA, but only low s is accepted.
      "the high-s twin of alice's signature",
      async () => {
        const message = createChatSignIn({ address: alice.address, challenge, issuedAt: new Date(NOW) });
        const { signature } = await signedIn(message);
        const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
        const s = BigInt(`0x${signature.slice(66, 130)}`);
        const v = signature.slice(130) === "1b" ? "1c" : "1b";
        const twin = `${signature.slice(0, 66)}${(n - s).toString(16).padStart(64, "0")}${v}` as `0x${string}`;
        return { message, signature: twin };
      },
      `the signature is not ${alice.address}'s signature of this message`,
    ],
    [
      "text before the message",
      async () =>
        signedIn(`Sign this!\n${createChatSignIn({ address: alice.address, challenge, issuedAt: new Date(NOW) })}`),
      "not an EIP-4361 message",
    ],
    [
      "text after the message",
      async () =>
        signedIn(`${createChatSignIn({ address: alice.address, challenge, issuedAt: new Date(NOW) })}\nSend 5 GRAM`),
      "not in the canonical EIP-4361 layout",
    ],
    ["no message at all", async () => signedIn("hello"), "not an EIP-4361 message"],
    [
      "another date layout",
      async () =>
        signedIn(
          createChatSignIn({ address: alice.address, challenge, issuedAt: new Date(NOW) }).replace(
            "Issued At: 2026-03-01T12:00:00.000Z",
            "Issued At: 2026-03-01T12:00:00Z",
          ),
        ),
      "not in the canonical EIP-4361 layout",
    ],
  ];

  it.each(cases)("refuses %s", async (_name, build, message, now = NOW + 1_000) => {
    const { message: text, signature } = await build();
    const error = await chatError(() => verifyChatSignIn({ message: text, signature, expected, now }));
    expect(error.code).toBe("SIGNIN_FAILED");
    expect(error.message).toContain(message);
  });

  it("refuses to write a message valid for longer than 10 minutes", async () => {
    const error = await chatError(() =>
      createChatSignIn({ address: alice.address, challenge, ttlMs: SIGN_IN_MAX_TTL_MS + 1 }),
    );
    expect(error.message).toBe("ttlMs: got 600001, expected 1 to 600000");
  });
});

describe("checkSignInChallenge", () => {
  const url = "ws://127.0.0.1:8545/v1/chat";

  it("accepts a challenge for the URL the client connected to and its chain", () => {
    expect(() => checkSignInChallenge(challenge, { url, chainId: 31337 })).not.toThrow();
  });

  it.each<[string, SignInChallenge, string]>([
    [
      "another URI",
      { ...challenge, uri: "ws://evil.example/v1/chat" },
      'the hub asks to sign in to "ws://evil.example/v1/chat"',
    ],
    [
      "another domain",
      { ...challenge, domain: "evil.example" },
      'for domain "evil.example", expected "127.0.0.1:8545"',
    ],
    ["another chain", { ...challenge, chainId: 1 }, "the hub is on chain 1, this wallet on chain 31337"],
  ])("refuses %s", async (_name, given, message) => {
    const error = await chatError(() => checkSignInChallenge(given, { url, chainId: 31337 }));
    expect(error.code).toBe("SIGNIN_FAILED");
    expect(error.message).toContain(message);
  });
});
