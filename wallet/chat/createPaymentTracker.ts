import type { Address, Hash, Hex } from "viem";
import { parseEnvelopeValue } from "../../protocol/chat/envelope.ts";
import type { StatusUpdate } from "../../protocol/chat/frames.ts";
import type { GramClient } from "../actions/client.ts";
import type { ChatState, PaymentRecord } from "./chat-state.ts";
import { type ChatMessage, seenKey } from "./verifyIncoming.ts";
import { type PaymentState, type PaymentVerification, verifyPayment } from "./verifyPayment.ts";

/** A payment whose verification changed. */
export interface PaymentUpdate {
  id: Hex;
  from: Address;
  previous: PaymentState;
  verification: PaymentVerification;
}

export interface PaymentTracker {
  /** Verifies a `payment` message and remembers it, to re-check it until the chain settles it. */
  check(message: ChatMessage): Promise<PaymentVerification>;
  /**
   * A `status` from the hub: a hint, never trusted by itself. Re-checks on the chain the payments it
   * names (a `reverted` one too, even if confirmed) and those not yet confirmed.
   */
  hint(status: StatusUpdate): Promise<PaymentUpdate[]>;
  /** Re-checks every payment not yet confirmed. */
  recheck(): Promise<PaymentUpdate[]>;
  /** The last verification of payment message `id`. */
  get(id: Hex): PaymentRecord | undefined;
}

export interface CreatePaymentTrackerParameters {
  client: Pick<GramClient, "publicClient" | "contracts" | "chainId">;
  /** Where records and claims are kept (`chat.state`): they outlive the process. */
  state: ChatState;
  /** Tokens this wallet recognises. @default the configured GramToken */
  tokens?: readonly Address[] | undefined;
  /** Where to look for authorizations' use: the deployment block. */
  fromBlock?: bigint | undefined;
  /** Unconfirmed payments older than this (by their sentAt) are no longer re-checked. @default one day */
  giveUpAfterMs?: number | undefined;
}

/**
 * Keeps the verification of each payment message: pending until the chain confirms it, unconfirmed when it
 * does not hold, and re-checked when the hub hints (a `status`) or the caller asks (a new block, a read).
 * A transfer proves at most one payment: the state remembers which log confirmed which message
 * (`state.claims`), so a second message standing on the same log is `unconfirmed` / `DUPLICATE`, while
 * the first stays confirmed when it is seen again (a re-sync, a restart). A message that stops holding (a
 * reorg) gives its logs up.
 *
 * @example
 * const payments = createPaymentTracker({ client, state: chat.state, fromBlock });
 * chat.on(async (event) => {
 *   if (event.type === "message" && event.message.envelope.body.type === "payment") show(await payments.check(event.message));
 *   if (event.type === "status") for (const update of await payments.hint(event.status)) redraw(update);
 * });
 */
export function createPaymentTracker({
  client,
  state,
  tokens,
  fromBlock,
  giveUpAfterMs = 86_400_000,
}: CreatePaymentTrackerParameters): PaymentTracker {
  /** The message (other than `owner`) that stands on `log`, by its id. */
  const holderOf = (log: string, owner: string): Hex | undefined => {
    const by = state.claims.find((claim) => claim.log === log)?.by;
    return by === undefined || by === owner ? undefined : (by.slice(by.indexOf(":") + 1) as Hex);
  };

  async function verify(envelopeJson: Record<string, unknown>) {
    const envelope = parseEnvelopeValue(envelopeJson);
    if (envelope.body.type !== "payment") throw new Error("not a payment message");
    const owner = seenKey(envelope);
    const verification = await verifyPayment(client, {
      from: envelope.from,
      payment: envelope.body,
      expectedTo: envelope.to.type === "direct" ? envelope.to.address : undefined,
      tokens,
      fromBlock,
      claimedBy: (log) => holderOf(log, owner),
    });
    return settle(owner, verification);
  }

  /**
   * Records what a verification stands on, with no await between the last look at the claims and the
   * write: of two checks racing for one log, the second sees the first's claim.
   */
  function settle(owner: string, verification: PaymentVerification): PaymentVerification {
    if (verification.state === "pending") return verification;
    const claims = verification.state === "confirmed" ? (verification.claims ?? []) : [];
    const holder = claims.map((log) => holderOf(log, owner)).find((by) => by !== undefined);
    if (holder !== undefined) {
      const { tx, block, blockHash } = verification;
      return {
        state: "unconfirmed",
        code: "DUPLICATE",
        reason: `NOT CONFIRMED: duplicate: transaction ${tx} already confirmed payment message ${holder}`,
        ...(tx === undefined ? {} : { tx }),
        ...(block === undefined ? {} : { block }),
        ...(blockHash === undefined ? {} : { blockHash }),
      };
    }
    state.claims = [
      ...state.claims.filter((claim) => claim.by !== owner),
      ...claims.map((log) => ({ log, by: owner })),
    ];
    return verification;
  }

  function save(envelopeJson: Record<string, unknown>, verification: PaymentVerification): PaymentRecord {
    const record: PaymentRecord = {
      envelope: envelopeJson,
      state: verification.state,
      code: verification.code,
      reason: verification.reason,
      ...(verification.tx === undefined ? {} : { tx: verification.tx }),
      ...(verification.block === undefined ? {} : { block: verification.block }),
      checkedAt: Date.now(),
    };
    const id = envelopeJson.id;
    state.payments = [...state.payments.filter((known) => known.envelope.id !== id), record];
    return record;
  }

  async function recheckRecords(records: PaymentRecord[]): Promise<PaymentUpdate[]> {
    const updates: PaymentUpdate[] = [];
    for (const record of records) {
      let verification: PaymentVerification;
      try {
        verification = await verify(record.envelope);
      } catch {
        continue;
      }
      save(record.envelope, verification);
      if (verification.state !== record.state || verification.code !== record.code) {
        updates.push({
          id: record.envelope.id as Hex,
          from: record.envelope.from as Address,
          previous: record.state,
          verification,
        });
      }
    }
    return updates;
  }

  const open = () => {
    const now = Date.now();
    return state.payments.filter(
      (record) =>
        record.state === "pending" ||
        (record.state === "unconfirmed" && now - Number(record.envelope.sentAt) < giveUpAfterMs),
    );
  };

  return {
    async check(message) {
      const json = JSON.parse(JSON.stringify(message.envelope)) as Record<string, unknown>;
      const verification = await verify(json);
      save(json, verification);
      return verification;
    },
    async hint(status) {
      const named = state.payments.filter(
        (record) =>
          (record.tx !== undefined && record.tx.toLowerCase() === status.tx) ||
          (typeof (record.envelope.body as { tx?: unknown }).tx === "string" &&
            ((record.envelope.body as { tx: string }).tx.toLowerCase() as Hash) === status.tx),
      );
      const others = status.state === "reverted" ? [] : open().filter((record) => !named.includes(record));
      return recheckRecords([...named, ...others]);
    },
    recheck: () => recheckRecords(open()),
    get: (id) => state.payments.find((record) => record.envelope.id === id),
  };
}
