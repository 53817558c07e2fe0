import {
  type Address,
  type Hash,
  type Hex,
  isAddressEqual,
  parseEventLogs,
  TransactionNotFoundError,
  type TransactionReceipt,
  TransactionReceiptNotFoundError,
} from "viem";
import { gramTokenAbi, merchantEscrowAbi } from "../../protocol/abis.ts";
import type { PaymentBody } from "../../protocol/chat/body.ts";
import type { GramClient } from "../actions/client.ts";

/**
 * `pending`: not (yet) on chain in a way that can be judged: the transaction waits to be mined, or the
 * chain could not be asked. `confirmed`: a mined, successful transaction moves what the message says from
 * its sender to its receiver. `unconfirmed`: it does not: there is no such transaction, it reverted, or
 * it pays someone else, less, another token, or is not the sender's.
 */
export type PaymentState = "pending" | "confirmed" | "unconfirmed";

export type PaymentCheckCode =
  | "CONFIRMED"
  | "MINING"
  | "UNREACHABLE"
  | "NO_SUCH_TRANSACTION"
  | "REVERTED"
  | "UNKNOWN_TOKEN"
  | "PAYS_SOMEONE_ELSE"
  | "NOT_FROM_SENDER"
  | "WRONG_AMOUNT"
  | "WRONG_TOKEN"
  | "AUTHORIZATION_NOT_USED"
  | "AUTHORIZATION_MISMATCH"
  | "DUPLICATE";

export interface PaymentVerification {
  state: PaymentState;
  code: PaymentCheckCode;
  /** For people: "confirmed in block 12", "NOT CONFIRMED: no such transaction". */
  reason: string;
  /** The transaction judged (for an authorization alone: the one found using it). */
  tx?: Hash;
  block?: number;
  blockHash?: Hash;
  /** For a confirmed payment: the logs it stands on, as `claimKey` names them; no other message may claim them. */
  claims?: string[];
}

export interface VerifyPaymentParameters {
  /** The message's sender, whose word the payment is. */
  from: Address;
  payment: PaymentBody;
  /** Whom it must reach: in a direct chat, the other party. Left out in a group (its `to` is shown instead). */
  expectedTo?: Address | undefined;
  /** Tokens this wallet recognises; a payment in any other is unconfirmed. @default the configured GramToken */
  tokens?: readonly Address[] | undefined;
  /** Where to start looking for the use of an authorization. @default 0n */
  fromBlock?: bigint | undefined;
  /**
   * Which other payment message already stands on a log (`claimKey`), if any: a transfer proves at most one
   * payment. Left out, every log is free (a stateless check).
   */
  claimedBy?: ((claim: string) => Hex | undefined) | undefined;
}

/** How a log is named in claims: `<chainId>:<contract>:<tx hash>:<log index>`, all lower case. */
export const claimKey = (chainId: number, log: { address: Address; transactionHash: Hash; logIndex: number }) =>
  `${chainId}:${log.address.toLowerCase()}:${log.transactionHash.toLowerCase()}:${log.logIndex}`;

/**
 * Checks a chat `payment` against the chain, never on the sender's word: the transaction (or, for a
 * relayed ERC-3009 authorization, the one that used it) must be mined and successful and must move
 * `amount` of `token` from the sender to `to`, as the token's own `Transfer` logs in the receipt say; for
 * an invoice payment (`ref` = invoice id), the escrow's `InvoicePaid` log must name the sender as payer,
 * `to` as merchant and amount + tip = `amount`. One log proves one payment: a plain payment stands on one
 * `Transfer` of at least `amount`, an invoice payment on its `InvoicePaid` (and the transfers it made);
 * when every such log already confirmed another message (`claimedBy`), it is a `DUPLICATE`. The confirmed
 * answer names its logs in `claims`, for the caller to record. Never throws: an unreachable chain is
 * `pending`.
 *
 * @example
 * const { state, reason } = await verifyPayment(client, { from: envelope.from, payment: envelope.body,
 *   expectedTo: me });
 */
export async function verifyPayment(
  client: Pick<GramClient, "publicClient" | "contracts" | "chainId">,
  {
    from,
    payment,
    expectedTo,
    tokens = [client.contracts.token],
    fromBlock = 0n,
    claimedBy = () => undefined,
  }: VerifyPaymentParameters,
): Promise<PaymentVerification> {
  if (!tokens.some((token) => isAddressEqual(token, payment.token))) {
    return no("UNKNOWN_TOKEN", `token ${payment.token} is not one this wallet knows`);
  }
  if (expectedTo !== undefined && !isAddressEqual(payment.to, expectedTo)) {
    return no("PAYS_SOMEONE_ELSE", `pays someone else (${payment.to})`);
  }
  try {
    let tx = payment.tx;
    if (tx === undefined) {
      const used = await client.publicClient.getContractEvents({
        address: payment.token,
        abi: gramTokenAbi,
        eventName: "AuthorizationUsed",
        args: { authorizer: from, nonce: payment.authorization },
        fromBlock,
        toBlock: "latest",
      });
      const found = used[0];
      if (found === undefined) return no("AUTHORIZATION_NOT_USED", "no transaction has used that authorization");
      tx = found.transactionHash;
    }
    let receipt: TransactionReceipt;
    try {
      receipt = await client.publicClient.getTransactionReceipt({ hash: tx });
    } catch (error) {
      if (!(error instanceof TransactionReceiptNotFoundError)) throw error;
      const waiting = await client.publicClient.getTransaction({ hash: tx }).catch((missing: unknown) => {
        if (missing instanceof TransactionNotFoundError) return undefined;
        throw missing;
      });
      if (waiting === undefined) return no("NO_SUCH_TRANSACTION", "no such transaction", tx);
      return { state: "pending", code: "MINING", reason: "pending: the transaction waits to be mined", tx };
    }
    return judge(client, { from, payment, receipt, claimedBy });
  } catch (error) {
    const why = (error as { shortMessage?: string }).shortMessage ?? String(error);
    return { state: "pending", code: "UNREACHABLE", reason: `pending: could not ask the chain (${why})` };
  }
}

function judge(
  client: Pick<GramClient, "contracts" | "chainId">,
  {
    from,
    payment,
    receipt,
    claimedBy,
  }: {
    from: Address;
    payment: PaymentBody;
    receipt: TransactionReceipt;
    claimedBy: (claim: string) => Hex | undefined;
  },
): PaymentVerification {
  const tx = receipt.transactionHash;
  const where = { tx, block: Number(receipt.blockNumber), blockHash: receipt.blockHash };
  const key = (log: Parameters<typeof claimKey>[1]) => claimKey(client.chainId, log);
  const duplicate = (holder: Hex) =>
    no("DUPLICATE", `duplicate: transaction ${tx} already confirmed payment message ${holder}`, tx, where);
  if (receipt.status !== "success") return no("REVERTED", "the transaction reverted", tx, where);
  const amount = BigInt(payment.amount);
  if (payment.authorization !== undefined) {
    const used = parseEventLogs({ abi: gramTokenAbi, eventName: "AuthorizationUsed", logs: receipt.logs }).some(
      (log) =>
        isAddressEqual(log.address, payment.token) &&
        isAddressEqual(log.args.authorizer, from) &&
        log.args.nonce.toLowerCase() === payment.authorization,
    );
    if (!used)
      return no("AUTHORIZATION_MISMATCH", "the transaction does not use the sender's authorization", tx, where);
  }
  if (payment.ref !== undefined) {
    const paid = parseEventLogs({ abi: merchantEscrowAbi, eventName: "InvoicePaid", logs: receipt.logs }).find(
      (log) => isAddressEqual(log.address, client.contracts.escrow) && log.args.id.toLowerCase() === payment.ref,
    );
    if (paid !== undefined) {
      const { payer, merchant, token, amount: held, tip } = paid.args;
      if (!isAddressEqual(payer, from)) return no("NOT_FROM_SENDER", `the invoice was paid by ${payer}`, tx, where);
      if (!isAddressEqual(merchant, payment.to))
        return no("PAYS_SOMEONE_ELSE", `pays someone else (${merchant})`, tx, where);
      if (!isAddressEqual(token, payment.token))
        return no("WRONG_TOKEN", `pays in another token (${token})`, tx, where);
      if (held + tip !== amount) return no("WRONG_AMOUNT", "pays another amount than it says", tx, where);
      // The invoice's log, and the escrow's pull and the tip it made right after: none may prove another payment.
      const moved = parseEventLogs({ abi: gramTokenAbi, eventName: "Transfer", logs: receipt.logs }).filter(
        (log) =>
          log.logIndex > paid.logIndex && isAddressEqual(log.address, token) && isAddressEqual(log.args.from, from),
      );
      const pull = moved.find((log) => isAddressEqual(log.args.to, paid.address) && log.args.value === held);
      const tipped =
        tip === 0n ? undefined : moved.find((log) => isAddressEqual(log.args.to, merchant) && log.args.value === tip);
      const claims = [paid, pull, tipped].flatMap((log) => (log === undefined ? [] : [key(log)]));
      const holder = claims.map(claimedBy).find((by) => by !== undefined);
      if (holder !== undefined) return duplicate(holder);
      return {
        state: "confirmed",
        code: "CONFIRMED",
        reason: `confirmed: invoice paid in block ${where.block}`,
        ...where,
        claims,
      };
    }
  }
  const transfers = parseEventLogs({ abi: gramTokenAbi, eventName: "Transfer", logs: receipt.logs }).filter(
    (log) => isAddressEqual(log.address, payment.token) && isAddressEqual(log.args.from, from),
  );
  if (transfers.length === 0)
    return no("NOT_FROM_SENDER", "the transaction moves none of the sender's tokens", tx, where);
  const toReceiver = transfers.filter((log) => isAddressEqual(log.args.to, payment.to));
  if (toReceiver.length === 0) {
    return no("PAYS_SOMEONE_ELSE", `pays someone else (${transfers[0]?.args.to})`, tx, where);
  }
  // One transfer proves one payment: the first of at least the amount that no other message stands on.
  const enough = toReceiver.filter((log) => log.args.value >= amount);
  if (enough.length === 0) return no("WRONG_AMOUNT", "pays less than it says", tx, where);
  const free = enough.find((log) => claimedBy(key(log)) === undefined);
  if (free === undefined) return duplicate(claimedBy(key(enough[0] as (typeof enough)[number])) as Hex);
  return {
    state: "confirmed",
    code: "CONFIRMED",
    reason: `confirmed in block ${where.block}`,
    ...where,
    claims: [key(free)],
  };
}

function no(
  code: PaymentCheckCode,
  why: string,
  tx?: Hash,
  where: { block?: number; blockHash?: Hash } = {},
): PaymentVerification {
  return { state: "unconfirmed", code, reason: `NOT CONFIRMED: ${why}`, ...(tx === undefined ? {} : { tx }), ...where };
}
