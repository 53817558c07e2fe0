// Sign-In with Ethereum (EIP-4361) for the chat hub. The hub hands out a challenge (a fresh nonce with
// its domain, URI and chain id); the client builds the message with `createChatSignIn` and signs it
// with `account.signMessage`; the hub checks it with `verifyChatSignIn`, which binds the connection to
// the recovered address. Built and parsed with viem/siwe; checked strictly on top of that: the message
// must be exactly what `createSiweMessage` writes for the fields it holds (no extra text), live for at
// most 10 minutes, issued no earlier than the challenge and no later than now (both give or take the
// allowed clock skew), for the hub's own domain, URI, chain id and nonce. The signature is an EOA's, as
// for chat messages: 65 bytes, v 27 or 28, low s (protocol/recover.ts). Nothing is signed but this text,
// which moves no funds.
import { type Address, type Hex, hashMessage, isAddressEqual } from "viem";
import { createSiweMessage, parseSiweMessage, validateSiweMessage } from "viem/siwe";
import { recoverDigestSigner } from "../recover.ts";
import { ChatProtocolError } from "./errors.ts";

/** The longest a sign-in message may be valid. */
export const SIGN_IN_MAX_TTL_MS = 10 * 60 * 1000;
/** The clock difference tolerated between client and hub. */
export const SIGN_IN_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** The statement every chat sign-in shows the user. */
export const SIGN_IN_STATEMENT = "Sign in to Gram chat. This signature moves no funds.";

/** What the hub asks to be signed (its `challenge` frame). */
export interface SignInChallenge {
  /** Single use, at least 8 letters and digits. */
  nonce: string;
  /** The hub's RFC 3986 authority, such as `127.0.0.1:8545` or `chat.example.org`. */
  domain: string;
  /** The hub's chat URI, such as `ws://127.0.0.1:8545/v1/chat`. */
  uri: string;
  chainId: number;
}

/**
 * What a client checks before it signs a challenge: that the hub asks it to sign in to the URL it
 * connected to and for its wallet's chain. A relaying page or proxy that hands out its own hub's
 * challenge fails here, so that the signature it collects is never one the user meant for another hub.
 *
 * @example
 * checkSignInChallenge(challenge, { url: "ws://127.0.0.1:8545/v1/chat", chainId: 31337 });
 */
export function checkSignInChallenge(challenge: SignInChallenge, { url, chainId }: { url: string; chainId: number }) {
  if (challenge.uri !== url) {
    fail(
      `the hub asks to sign in to ${JSON.stringify(challenge.uri)}, but this client connected to ${JSON.stringify(url)}`,
    );
  }
  if (challenge.domain !== new URL(url).host) {
    fail(
      `the hub asks to sign in for domain ${JSON.stringify(challenge.domain)}, expected ${JSON.stringify(new URL(url).host)}`,
    );
  }
  if (challenge.chainId !== chainId) fail(`the hub is on chain ${challenge.chainId}, this wallet on chain ${chainId}`);
}

export interface CreateChatSignInParameters {
  address: Address;
  challenge: SignInChallenge;
  /** Now by default. */
  issuedAt?: Date;
  /** How long the message stays valid: 5 minutes by default, at most 10. */
  ttlMs?: number;
}

/**
 * The EIP-4361 message a client signs to sign in.
 *
 * @example
 * const message = createChatSignIn({ address: account.address, challenge });
 * socket.send(JSON.stringify({ op: "signin", message, signature: await account.signMessage({ message }) }));
 */
export function createChatSignIn({
  address,
  challenge,
  issuedAt = new Date(),
  ttlMs = 5 * 60 * 1000,
}: CreateChatSignInParameters): string {
  if (!(ttlMs > 0 && ttlMs <= SIGN_IN_MAX_TTL_MS)) {
    throw new ChatProtocolError("SIGNIN_FAILED", `ttlMs: got ${ttlMs}, expected 1 to ${SIGN_IN_MAX_TTL_MS}`);
  }
  return createSiweMessage({
    address,
    chainId: challenge.chainId,
    domain: challenge.domain,
    uri: challenge.uri,
    nonce: challenge.nonce,
    issuedAt,
    expirationTime: new Date(issuedAt.getTime() + ttlMs),
    statement: SIGN_IN_STATEMENT,
    version: "1",
  });
}

export interface VerifyChatSignInParameters {
  message: string;
  signature: Hex;
  /** What the hub asked for on this connection. */
  expected: SignInChallenge & {
    /** When the nonce was handed out, unix ms: a message cannot be issued before it. */
    issuedAt: number;
  };
  /** Unix ms; now by default. */
  now?: number;
  clockSkewMs?: number;
}

export interface VerifiedSignIn {
  address: Address;
  issuedAt: Date;
  expirationTime: Date;
}

/**
 * Checks a sign-in message and its signature (an EOA's, EIP-191) against the challenge. Throws a
 * `ChatProtocolError` (`SIGNIN_FAILED`) that says which field did not hold and what was expected.
 *
 * @example
 * const { address } = await verifyChatSignIn({ message, signature, expected: { ...challenge, issuedAt } });
 */
export async function verifyChatSignIn({
  message,
  signature,
  expected,
  now = Date.now(),
  clockSkewMs = SIGN_IN_CLOCK_SKEW_MS,
}: VerifyChatSignInParameters): Promise<VerifiedSignIn> {
  const fields = parseSiweMessage(message);
  const { address, issuedAt, expirationTime } = fields;
  if (address === undefined || fields.chainId === undefined || fields.nonce === undefined || fields.uri === undefined) {
    fail("not an EIP-4361 message: expected the text createSiweMessage writes");
  }
  if (issuedAt === undefined || expirationTime === undefined) fail("expected both Issued At and Expiration Time");
  // Anything parseSiweMessage skipped over (extra lines, another layout of the dates) shows here.
  let rebuilt: string | undefined;
  try {
    rebuilt = createSiweMessage({
      ...fields,
      address,
      chainId: fields.chainId,
      domain: fields.domain ?? "",
      nonce: fields.nonce,
      uri: fields.uri,
      version: "1",
    });
  } catch {
    rebuilt = undefined;
  }
  if (rebuilt !== message) fail("the message is not in the canonical EIP-4361 layout (createSiweMessage's)");
  if (fields.domain !== expected.domain)
    fail(`domain: got ${JSON.stringify(fields.domain)}, expected ${JSON.stringify(expected.domain)}`);
  if (fields.uri !== expected.uri)
    fail(`URI: got ${JSON.stringify(fields.uri)}, expected ${JSON.stringify(expected.uri)}`);
  if (fields.chainId !== expected.chainId) fail(`chain id: got ${fields.chainId}, expected ${expected.chainId}`);
  if (fields.nonce !== expected.nonce)
    fail("nonce: not the one this connection was given (each nonce is used once; ask for a new challenge)");
  if (fields.notBefore !== undefined) fail("Not Before is not accepted: sign in when the message is to be used");
  const issued = issuedAt.getTime();
  const expires = expirationTime.getTime();
  if (expires - issued > SIGN_IN_MAX_TTL_MS || expires <= issued) {
    fail(`Expiration Time must be after Issued At and at most ${SIGN_IN_MAX_TTL_MS / 60_000} minutes later`);
  }
  if (issued > now + clockSkewMs) fail(`Issued At ${issuedAt.toISOString()} is in the future`);
  if (issued < expected.issuedAt - clockSkewMs)
    fail(`Issued At ${issuedAt.toISOString()} is before the challenge was given`);
  if (!validateSiweMessage({ message: fields, domain: expected.domain, nonce: expected.nonce, time: new Date(now) })) {
    fail(`the message expired at ${expirationTime.toISOString()}`);
  }
  const signer = recoverDigestSigner(hashMessage(message), signature);
  if (signer === null || !isAddressEqual(signer, address))
    fail(`the signature is not ${address}'s signature of this message`);
  return { address, issuedAt, expirationTime };
}

function fail(message: string): never {
  throw new ChatProtocolError("SIGNIN_FAILED", `sign-in: ${message}`);
}
