import { decodeEventLog, type Hex, type RpcLog, toEventSelector } from "viem";
import { gramTokenAbi, merchantEscrowAbi } from "../../protocol/abis.ts";
import { InconsistentResponseError } from "../errors.ts";
import type { ChainEvent, Contracts, EventBody, EventMeta } from "../internal/chain-events.ts";

const TRANSFER = toEventSelector("event Transfer(address indexed from, address indexed to, uint256 value)");

const tokenEvents = new Set(["AuthorizationUsed", "AuthorizationCanceled"]);
const escrowEvents = new Set([
  "InvoicePaid",
  "InvoiceCanceled",
  "PaymentCaptured",
  "PaymentVoided",
  "PaymentReclaimed",
  "PaymentRefunded",
  "PaymentDisputed",
  "DisputeResolved",
  "MerchantWithdrew",
  "FeesCollected",
  "PaymentCredited",
  "CreditClaimed",
]);
const selectorsOf = (abi: readonly { type: string; name?: string }[], names: Set<string>) =>
  new Set(
    abi
      .filter((item) => item.type === "event" && names.has(item.name ?? ""))
      .map((item) => toEventSelector(item as Parameters<typeof toEventSelector>[0])),
  );
const tokenSelectors = selectorsOf(gramTokenAbi, tokenEvents);
const escrowSelectors = selectorsOf(merchantEscrowAbi, escrowEvents);

const addressFromTopic = (topic: Hex) => `0x${topic.slice(26)}` as Hex;

/**
 * Decodes the logs the indexer cares about and drops the rest (approvals, role changes, other
 * contracts' events). Transfers, nearly every log, are decoded by hand from their topics; the rest
 * with viem's `decodeEventLog`. A log that claims a known event but does not decode is a garbled
 * response, refetched.
 */
export function decodeLogs(logs: readonly RpcLog[], contracts: Contracts): ChainEvent[] {
  const tokens = new Set([contracts.gramToken, ...contracts.extraTokens]);
  const events: ChainEvent[] = [];
  for (const log of logs) {
    const address = log.address.toLowerCase() as Hex;
    const topic = log.topics[0];
    if (topic === undefined) continue;
    const meta = () => metaOf(log, address);
    if (tokens.has(address)) {
      if (topic === TRANSFER) {
        // ERC-721 shares the signature with a third indexed topic; only ERC-20 transfers count.
        if (log.topics.length !== 3 || log.data.length !== 66) continue;
        events.push({
          ...meta(),
          kind: "Transfer",
          from: addressFromTopic(log.topics[1] as Hex),
          to: addressFromTopic(log.topics[2] as Hex),
          value: BigInt(log.data),
        });
      } else if (tokenSelectors.has(topic)) {
        const { eventName, args } = decode(gramTokenAbi, log);
        if (eventName === "AuthorizationUsed" || eventName === "AuthorizationCanceled") {
          const { authorizer, nonce } = args as { authorizer: Hex; nonce: Hex };
          events.push({ ...meta(), kind: eventName, authorizer: authorizer.toLowerCase() as Hex, nonce });
        }
      }
    } else if (address === contracts.escrow && escrowSelectors.has(topic)) {
      events.push({ ...meta(), ...escrowEvent(log) } as ChainEvent);
    }
  }
  return events;
}

/** Where a log happened; built only for the logs that are kept. */
function metaOf(log: RpcLog, address: Hex): EventMeta {
  return {
    blockNumber: Number(log.blockNumber),
    blockHash: log.blockHash as Hex,
    logIndex: Number(log.logIndex),
    txHash: log.transactionHash as Hex,
    address,
  };
}

function decode<const abi extends typeof gramTokenAbi | typeof merchantEscrowAbi>(abi: abi, log: RpcLog) {
  try {
    return decodeEventLog({ abi, data: log.data, topics: log.topics as [Hex, ...Hex[]], strict: true });
  } catch (cause) {
    throw new InconsistentResponseError("a log does not decode as the event its topic names", {
      details: `log ${Number(log.logIndex)} of block ${Number(log.blockNumber)} from ${log.address}`,
      cause,
    });
  }
}

const lower = (value: unknown) => (value as string).toLowerCase() as Hex;

function escrowEvent(log: RpcLog): EventBody {
  const { eventName, args } = decode(merchantEscrowAbi, log);
  const a = args as Record<string, unknown>;
  switch (eventName) {
    case "InvoicePaid":
      return {
        kind: eventName,
        id: lower(a.id),
        merchant: lower(a.merchant),
        payer: lower(a.payer),
        token: lower(a.token),
        amount: a.amount as bigint,
        tip: a.tip as bigint,
      };
    case "InvoiceCanceled":
      return { kind: eventName, merchant: lower(a.merchant), nonce: a.nonce as bigint };
    case "PaymentCaptured":
      return { kind: eventName, id: lower(a.id), amount: a.amount as bigint, cashback: a.cashback as bigint };
    case "PaymentVoided":
    case "PaymentReclaimed":
    case "PaymentRefunded":
      return { kind: eventName, id: lower(a.id), amount: a.amount as bigint };
    case "PaymentDisputed":
      return { kind: eventName, id: lower(a.id) };
    case "DisputeResolved":
      return {
        kind: eventName,
        id: lower(a.id),
        toPayer: a.toPayer as bigint,
        toMerchant: a.toMerchant as bigint,
        cashback: a.cashback as bigint,
      };
    case "MerchantWithdrew":
      return {
        kind: eventName,
        merchant: lower(a.merchant),
        token: lower(a.token),
        to: lower(a.to),
        amount: a.amount as bigint,
        fee: a.fee as bigint,
      };
    case "FeesCollected":
      return { kind: eventName, token: lower(a.token), treasury: lower(a.treasury), amount: a.amount as bigint };
    case "PaymentCredited":
      return {
        kind: eventName,
        id: lower(a.id),
        payer: lower(a.payer),
        token: lower(a.token),
        amount: a.amount as bigint,
      };
    case "CreditClaimed":
      return {
        kind: eventName,
        account: lower(a.account),
        token: lower(a.token),
        to: lower(a.to),
        amount: a.amount as bigint,
      };
    default:
      throw new InconsistentResponseError(`an escrow log decoded as ${eventName}, which its topic does not name`);
  }
}
