// Signing and checking envelopes. The sender signs EIP-712 typed data under the domain
// { name: "Gram Chat", version: "1", chainId, verifyingContract: the MerchantEscrow }, so a signature
// holds only on one chain and one deployment: the same message replayed on another chain or against
// another escrow recovers to someone else and is refused. The struct:
//
//   ChatMessage(uint8 version,address from,bytes32 conversation,bytes32 id,uint64 sentAt,bytes32 body)
//
// where `conversation` is `conversationOf(from, to)` and `body` is `bodyHash(body)`: keccak256 of the
// canonical JSON of the body (canonical.ts). Only externally owned accounts sign chat messages (ECDSA,
// 65 bytes, low s): a contract wallet cannot chat in version 1.
import {
  type Address,
  bytesToHex,
  type Hex,
  hashTypedData,
  isAddressEqual,
  type LocalAccount,
  type TypedDataDomain,
} from "viem";
import { LinkError } from "../links/errors.ts";
import { type DecodedInvoiceLink, decodeInvoiceLink } from "../links/invoice-link.ts";
import { metadataHash } from "../links/metadata.ts";
import { recoverDigestSigner } from "../recover.ts";
import type { BodyInput } from "./body.ts";
import { bodyHash } from "./canonical.ts";
import {
  type ConversationTargetInput,
  conversationOf,
  ENVELOPE_VERSION,
  type Envelope,
  parseEnvelopeValue,
} from "./envelope.ts";
import { ChatProtocolError } from "./errors.ts";

/** Where chat signatures hold: the chain and the deployment (its MerchantEscrow, from `deployments/<chainId>.json`). */
export interface ChatDomainInfo {
  chainId: number;
  escrow: Address;
}

/** The EIP-712 domain of chat messages. */
export function chatDomain({ chainId, escrow }: ChatDomainInfo) {
  return { name: "Gram Chat", version: "1", chainId, verifyingContract: escrow } as const satisfies TypedDataDomain;
}

/** The EIP-712 types of a chat message. */
export const chatMessageTypes = {
  ChatMessage: [
    { name: "version", type: "uint8" },
    { name: "from", type: "address" },
    { name: "conversation", type: "bytes32" },
    { name: "id", type: "bytes32" },
    { name: "sentAt", type: "uint64" },
    { name: "body", type: "bytes32" },
  ],
} as const;

/** What the sender fills in; `signEnvelope` adds `v`, `chainId`, `from` and the signature. */
export interface EnvelopeDraft {
  to: ConversationTargetInput;
  body: BodyInput;
  /** 32 random bytes by default. Never reuse one: the hub refuses a second message with the same id. */
  id?: Hex;
  /** Unix milliseconds; now by default. */
  sentAt?: number;
}

/** The account that signs: a viem local account (`privateKeyToAccount`, `mnemonicToAccount`). */
export type ChatSigner = Pick<LocalAccount, "address" | "signTypedData">;

/** A random 32-byte message id. */
export function randomMessageId(): Hex {
  return bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

/** The typed-data message of an envelope. */
export function chatMessage(envelope: Pick<Envelope, "from" | "to" | "id" | "sentAt" | "body">) {
  return {
    version: ENVELOPE_VERSION,
    from: envelope.from,
    conversation: conversationOf(envelope.from, envelope.to),
    id: envelope.id,
    sentAt: BigInt(envelope.sentAt),
    body: bodyHash(envelope.body),
  };
}

/**
 * Signs a message as `account` for `domain`'s chain and escrow. The draft is checked first, and so is
 * the result (at most 16 KiB): what comes out parses on the other side.
 *
 * @example
 * const envelope = await signEnvelope(privateKeyToAccount(key), {
 *   to: { type: "direct", address: bob },
 *   body: { type: "text", text: "lunch?" },
 * }, { chainId: 31337, escrow });
 * socket.send(JSON.stringify({ op: "send", envelope }));
 */
export async function signEnvelope(
  account: ChatSigner,
  draft: EnvelopeDraft,
  domain: ChatDomainInfo,
): Promise<Envelope> {
  const unsigned = {
    v: ENVELOPE_VERSION,
    chainId: domain.chainId,
    from: account.address,
    to: draft.to,
    id: draft.id ?? randomMessageId(),
    sentAt: draft.sentAt ?? Date.now(),
    body: draft.body,
    // Checked with a placeholder, so that a bad draft fails before anything is signed.
    signature: `0x${"00".repeat(65)}`,
  };
  const checked = parseEnvelopeValue(unsigned, "draft");
  const signature = await account.signTypedData({
    domain: chatDomain(domain),
    types: chatMessageTypes,
    primaryType: "ChatMessage",
    message: chatMessage(checked),
  });
  return parseEnvelopeValue({ ...unsigned, signature }, "draft");
}

/** What `verifyEnvelope` establishes. */
export interface VerifiedEnvelope {
  envelope: Envelope;
  /** Equal to `envelope.from`. */
  signer: Address;
  /** `conversationOf(from, to)`. */
  conversation: Hex;
  /** For an `invoice` body: the decoded link. `signatureValid: false` is a contract merchant's or a forgery: check on-chain. */
  invoice?: DecodedInvoiceLink;
}

/**
 * Checks that `envelope` was signed by its `from` for `domain`'s chain and escrow, and for an invoice
 * that its link is for this chain and escrow and that its title and items are the ones the merchant
 * signed. Throws a `ChatProtocolError`: `WRONG_CHAIN`, `BAD_SIGNATURE` or `INVOICE_INVALID`.
 * The hub checks every envelope it takes; clients check again every one they show.
 *
 * @example
 * const { signer, conversation } = await verifyEnvelope(parseEnvelope(text), { chainId: 31337, escrow });
 */
export async function verifyEnvelope(envelope: Envelope, domain: ChatDomainInfo): Promise<VerifiedEnvelope> {
  if (envelope.chainId !== domain.chainId) {
    throw new ChatProtocolError(
      "WRONG_CHAIN",
      `envelope is signed for chain ${envelope.chainId}, this reader is on chain ${domain.chainId}`,
    );
  }
  const message = chatMessage(envelope);
  const signer = recoverSigner(envelope.signature, domain, message);
  if (signer === null || !isAddressEqual(signer, envelope.from)) {
    throw new ChatProtocolError(
      "BAD_SIGNATURE",
      signer === null
        ? `envelope ${envelope.id}: the signature is not a valid low-s ECDSA signature`
        : `envelope ${envelope.id}: signed by ${signer}, not by its from ${envelope.from} (under chain ${domain.chainId} and escrow ${domain.escrow})`,
      { hint: "A forged or altered message; do not trust it." },
    );
  }
  const verified: VerifiedEnvelope = { envelope, signer: envelope.from, conversation: message.conversation };
  if (envelope.body.type === "invoice") verified.invoice = await checkInvoice(envelope.body, domain);
  return verified;
}

function recoverSigner(signature: Hex, domain: ChatDomainInfo, message: ReturnType<typeof chatMessage>) {
  const digest = hashTypedData({
    domain: chatDomain(domain),
    types: chatMessageTypes,
    primaryType: "ChatMessage",
    message,
  });
  return recoverDigestSigner(digest, signature);
}

async function checkInvoice(
  body: Extract<Envelope["body"], { type: "invoice" }>,
  domain: ChatDomainInfo,
): Promise<DecodedInvoiceLink> {
  let decoded: DecodedInvoiceLink;
  try {
    decoded = await decodeInvoiceLink(body.link, { chainId: domain.chainId, escrow: domain.escrow });
  } catch (error) {
    if (!(error instanceof LinkError)) throw error;
    throw new ChatProtocolError("INVOICE_INVALID", `envelope.body.link: ${error.shortMessage}`, {
      cause: error,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    });
  }
  const shown = metadataHash({
    title: body.title,
    items: body.items,
    ...(body.memo === undefined ? {} : { memo: body.memo }),
  });
  if (shown !== decoded.invoice.metadataHash.toLowerCase()) {
    throw new ChatProtocolError(
      "INVOICE_INVALID",
      `envelope.body: the title, items and memo hash to ${shown}, the invoice signs ${decoded.invoice.metadataHash}`,
      { hint: "The card does not show what the merchant signed; do not pay on the strength of it." },
    );
  }
  return decoded;
}
