import { type Address, getAddress, type Hex, isAddressEqual } from "viem";
import type { Envelope } from "../../protocol/chat/envelope.ts";
import { parseEnvelopeValue } from "../../protocol/chat/envelope.ts";
import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import { type ChatDomainInfo, verifyEnvelope } from "../../protocol/chat/sign.ts";
import type { DecodedInvoiceLink } from "../../protocol/links/invoice-link.ts";

/** A message whose signature, chain and addressing hold: what a client may show. */
export interface ChatMessage {
  envelope: Envelope;
  /** `conversationOf(from, to)`: the same for both sides of a direct chat. */
  conversation: Hex;
  /** Sent by this account (from another device, or echoed back by the hub). */
  outgoing: boolean;
  /** For an invoice: its link decoded and checked against the chain, escrow and the card's title and items. */
  invoice?: DecodedInvoiceLink;
}

/** A message that must not be shown as genuine, and why. */
export interface RejectedMessage {
  id: Hex | undefined;
  /** Who it claims to be from; not to be believed. */
  from: Address | undefined;
  /**
   * `BAD_SIGNATURE`, `WRONG_CHAIN`, `INVOICE_INVALID`, `MALFORMED`, `UNKNOWN_VERSION`, `UNKNOWN_TYPE`,
   * `TOO_LARGE` (the protocol's), `NOT_FOR_YOU` (a direct message between two others), `REPLAYED` (an id
   * already received).
   */
  code: string;
  reason: string;
}

export interface VerifyIncomingParameters {
  domain: ChatDomainInfo;
  /** The reading account. */
  me: Address;
  /** Keys (`seenKey`) of messages already received; a message whose key is in it is a replay. */
  seen?: ReadonlySet<string> | undefined;
}

/** The key a message is deduplicated by: its sender and id. */
export const seenKey = (envelope: Pick<Envelope, "from" | "id">) => `${envelope.from.toLowerCase()}:${envelope.id}`;

/**
 * Checks a message the hub delivered, as if the hub were hostile: it parses by the protocol's schemas,
 * is signed by its `from` for this chain and escrow (`verifyEnvelope`: an invoice's link and card are
 * checked too), is addressed to this account (a direct message) and has not been received before.
 * Never throws for a bad message: it returns why it is rejected.
 *
 * @example
 * const checked = await verifyIncoming(frame.envelope, { domain: { chainId, escrow }, me: account.address });
 * if ("code" in checked) showRejected(checked);
 */
export async function verifyIncoming(
  raw: unknown,
  { domain, me, seen }: VerifyIncomingParameters,
): Promise<ChatMessage | RejectedMessage> {
  const claimed = claimedFields(raw);
  let envelope: Envelope;
  try {
    envelope = parseEnvelopeValue(raw);
  } catch (error) {
    return rejected(claimed, error);
  }
  let verified: Awaited<ReturnType<typeof verifyEnvelope>>;
  try {
    verified = await verifyEnvelope(envelope, domain);
  } catch (error) {
    return rejected(claimed, error);
  }
  const outgoing = isAddressEqual(envelope.from, me);
  if (envelope.to.type === "direct" && !outgoing && !isAddressEqual(envelope.to.address, me)) {
    return {
      ...claimed,
      code: "NOT_FOR_YOU",
      reason: `a message from ${envelope.from} to ${envelope.to.address}, not to you`,
    };
  }
  if (seen?.has(seenKey(envelope))) {
    return {
      ...claimed,
      code: "REPLAYED",
      reason: `message ${envelope.id} from ${envelope.from} was already received`,
    };
  }
  return {
    envelope,
    conversation: verified.conversation,
    outgoing,
    ...(verified.invoice === undefined ? {} : { invoice: verified.invoice }),
  };
}

export function isRejected(checked: ChatMessage | RejectedMessage): checked is RejectedMessage {
  return "code" in checked;
}

function rejected(claimed: Pick<RejectedMessage, "id" | "from">, error: unknown): RejectedMessage {
  if (error instanceof ChatProtocolError) return { ...claimed, code: error.code, reason: error.shortMessage };
  return { ...claimed, code: "MALFORMED", reason: error instanceof Error ? error.message : String(error) };
}

/** The id and sender a message claims, when they are at least well formed: to name it in a rejection. */
function claimedFields(raw: unknown): Pick<RejectedMessage, "id" | "from"> {
  const value = (typeof raw === "object" && raw !== null ? raw : {}) as { id?: unknown; from?: unknown };
  const id =
    typeof value.id === "string" && /^0x[0-9a-fA-F]{64}$/.test(value.id) ? (value.id.toLowerCase() as Hex) : undefined;
  const from =
    typeof value.from === "string" && /^0x[0-9a-fA-F]{40}$/.test(value.from)
      ? getAddress(value.from.toLowerCase())
      : undefined;
  return { id, from };
}
