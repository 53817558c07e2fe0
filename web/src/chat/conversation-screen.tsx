// `#/chat/<address or group id>`: one conversation. Text messages; payment cards with their live status
// (the chain's word through the session's payment tracker: pending, confirmed in block N, NOT CONFIRMED
// and why); request and invoice cards decoded from what was signed, with a Pay button on one received
// (the pay sheet pays it); a composer (Enter sends, kept in the outbox while offline) with Pay (the pay
// sheet, announced in this chat) and Request (amount in the token's decimals, memo). A direct chat's peer
// can be added to the contacts or renamed there.
import { useEffect, useRef, useState } from "preact/hooks";
import { type Address, type Hex, isAddressEqual } from "viem";
import { parseTokenAmount } from "../../../wallet/actions/internal/amount.ts";
import { chainNow } from "../../../wallet/actions/internal/chainNow.ts";
import { sendRequest } from "../../../wallet/chat/sendRequest.ts";
import { addContact } from "../../../wallet/contacts/addContact.ts";
import { listContacts } from "../../../wallet/contacts/listContacts.ts";
import { removeContact } from "../../../wallet/contacts/removeContact.ts";
import { openPaySheet } from "../pay/pay-intent.ts";
import { AddMembersForm } from "./add-members-form.tsx";
import { shortTime } from "./chat-list-screen.tsx";
import { ConnectionBanner } from "./connection-banner.tsx";
import {
  type ChatModel,
  type Conversation,
  chatModel,
  conversationFor,
  discardQueued,
  formatUnits,
  labelOf,
  loadOlder,
  type MessageItem,
  markRead,
  openConversation,
  revision,
  sendMessage,
  shortLabel,
  targetOfRoute,
} from "./conversations.ts";
import "./chat.css";

const REQUEST_EXPIRY_S = 7 * 86_400;

export function ConversationScreen({ route }: { route: string }) {
  revision.value;
  const model = chatModel.value;
  const target = targetOfRoute(route);
  const conversation = model !== undefined && target !== undefined ? conversationFor(model, target) : undefined;
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (model === undefined || conversation === undefined) return;
    openConversation(model, conversation).catch((caught: unknown) => setError((caught as Error).message));
    const visible = () => {
      if (document.visibilityState === "visible") markRead(model, conversation);
    };
    document.addEventListener("visibilitychange", visible);
    return () => {
      document.removeEventListener("visibilitychange", visible);
      if (model.open === conversation.id) model.open = undefined;
    };
  }, [model, conversation?.id]);
  if (target === undefined) {
    return (
      <section class="screen">
        <h1>No such chat</h1>
        <p>
          <code>{route}</code> is neither an address nor a group id. <a href="#/chats">Back to the chats</a>
        </p>
      </section>
    );
  }
  if (model === undefined || conversation === undefined) {
    return (
      <section class="screen">
        <p class="muted">Connecting to the chat…</p>
      </section>
    );
  }
  return (
    <section class="screen conversation-screen" data-testid="conversation">
      <header class="conversation-head">
        <a href="#/chats" class="button-quiet">
          <span aria-hidden="true">←</span> Chats
        </a>
        <h1 data-testid="conversation-title">
          {conversation.target.type === "group" && <span class="chat-tag">Group</span>}
          {shortLabel(conversation.label)}
        </h1>
      </header>
      {conversation.target.type === "direct" && <ContactTools model={model} conversation={conversation} />}
      {conversation.target.type === "group" && <GroupMembers model={model} conversation={conversation} />}
      <ConnectionBanner model={model} />
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <Messages model={model} conversation={conversation} />
      <Composer model={model} conversation={conversation} />
    </section>
  );
}

function Messages({ model, conversation }: { model: ChatModel; conversation: Conversation }) {
  const end = useRef<HTMLDivElement>(null);
  const count = conversation.messages.length;
  useEffect(() => {
    end.current?.scrollIntoView({ block: "end" });
    markRead(model, conversation);
  }, [count]);
  return (
    <div class="messages" data-testid="messages">
      {conversation.more && (
        <button type="button" class="button-quiet" onClick={() => void loadOlder(model, conversation).catch(() => {})}>
          Older messages
        </button>
      )}
      {count === 0 && <p class="muted">No messages yet.</p>}
      <ol class="message-list" aria-label={`Messages with ${conversation.label}`}>
        {conversation.messages.map((item) => (
          <li
            key={item.key}
            class={`message ${item.outgoing ? "message-out" : "message-in"}`}
            data-testid="message"
            data-message-id={item.id}
            data-type={item.body.type}
            data-queued={item.queued === undefined ? undefined : "true"}
          >
            {conversation.target.type === "group" && !item.outgoing && (
              <span class="message-from">{labelOf(model, item.from)}</span>
            )}
            <MessageBody model={model} item={item} conversation={conversation} />
            <span class="message-meta muted">
              {item.queued === undefined
                ? shortTime(item.sentAt)
                : item.queued.failed === undefined
                  ? "Waiting to send…"
                  : "Not sent"}
            </span>
            {item.queued?.failed !== undefined && (
              <span class="error">
                {item.queued.failed}{" "}
                <button type="button" class="button-quiet" onClick={() => discardQueued(model, item.id)}>
                  Discard
                </button>
              </span>
            )}
          </li>
        ))}
      </ol>
      <div ref={end} />
    </div>
  );
}

function MessageBody({
  model,
  item,
  conversation,
}: {
  model: ChatModel;
  item: MessageItem;
  conversation: Conversation;
}) {
  const { body } = item;
  if (body.type === "text") return <p class="message-text">{body.text}</p>;
  if (body.type === "payment") {
    const v = item.verification;
    const state = v?.state ?? "pending";
    const mark =
      state === "confirmed"
        ? (v?.reason ?? "confirmed")
        : state === "pending"
          ? `Pending${v === undefined ? "" : `: ${v.reason.replace(/^pending: /, "")}`}`
          : `${v?.reason ?? "NOT CONFIRMED"}`;
    return (
      <div
        class={`chat-card chat-card-payment chat-card-${state}`}
        data-testid="payment-card"
        data-state={state}
        data-code={v?.code}
      >
        <p class="chat-card-kind">{item.outgoing ? "You paid" : "Payment"}</p>
        <p class="chat-card-amount">{formatUnits(model, body.token, BigInt(body.amount))}</p>
        <p class="muted">to {body.to === model.session.address ? "you" : labelOf(model, body.to)}</p>
        {body.memo !== undefined && <p>“{body.memo}”</p>}
        <p class="chat-card-status" data-testid="payment-status">
          {state === "unconfirmed" && <strong>NOT CONFIRMED </strong>}
          {mark.replace(/^NOT CONFIRMED:? ?/, state === "unconfirmed" ? "— " : "")}
          {v?.code !== undefined && state === "unconfirmed" && <span class="muted"> ({v.code})</span>}
        </p>
      </div>
    );
  }
  const card = item.card;
  if (card === undefined) return <p class="muted">A {body.type} card that does not decode.</p>;
  const payment = paymentFor(conversation, card);
  const paidState = payment?.verification?.state ?? (payment === undefined ? undefined : "pending");
  const payable =
    paidState !== "confirmed" &&
    paidState !== "pending" &&
    !item.outgoing &&
    (card.kind === "request" ? true : card.payer === null || card.payer === model.session.address);
  return (
    <div class={`chat-card chat-card-${card.kind}`} data-testid={`${card.kind}-card`}>
      <p class="chat-card-kind">{card.kind === "request" ? (item.outgoing ? "You asked" : "Request") : "Invoice"}</p>
      {card.kind === "invoice" && <p class="chat-card-title">{card.metadata.title}</p>}
      <p class="chat-card-amount">{formatUnits(model, card.token, card.amount)}</p>
      {card.kind === "request" && card.memo !== undefined && <p>“{card.memo}”</p>}
      {card.kind === "invoice" && card.maxTip > 0n && (
        <p class="muted">Tip up to {formatUnits(model, card.token, card.maxTip)}</p>
      )}
      <p class="muted">
        {card.kind === "request" ? "Until" : "Pay before"}{" "}
        {new Date((card.kind === "request" ? card.expiry : card.payBefore) * 1000).toLocaleString()}
      </p>
      {card.kind === "invoice" &&
        card.warnings.map((warning) => (
          <p class="notice notice-warning" key={warning}>
            {warning}
          </p>
        ))}
      {payment !== undefined && (
        <p class={`chat-card-status card-paid-${paidState}`} data-testid="card-status" data-state={paidState}>
          {paidState === "confirmed"
            ? `Paid${payment.outgoing ? " by you" : ""}: ${payment.verification?.reason ?? "confirmed"}`
            : paidState === "pending"
              ? "Payment pending"
              : `Payment NOT CONFIRMED (${payment.verification?.code ?? "unknown"})`}
        </p>
      )}
      {payable && (
        <button type="button" data-testid="pay-card" onClick={() => openPaySheet({ kind: "card", card })}>
          Pay
        </button>
      )}
    </div>
  );
}

/**
 * The payment message in this conversation that pays `card` (its `ref` is the request's message id or the
 * invoice id), from someone other than who asked; its verification says whether the card is paid.
 */
function paymentFor(conversation: Conversation, card: NonNullable<MessageItem["card"]>): MessageItem | undefined {
  const ref = (card.kind === "request" ? card.id : card.invoiceId).toLowerCase();
  const asker = card.kind === "request" ? card.payee : card.merchant;
  const payments = conversation.messages.filter(
    (m) =>
      m.body.type === "payment" &&
      typeof m.body.ref === "string" &&
      m.body.ref.toLowerCase() === ref &&
      !isAddressEqual(m.from, asker),
  );
  return payments.find((m) => m.verification?.state === "confirmed") ?? payments[0];
}

function Composer({ model, conversation }: { model: ChatModel; conversation: Conversation }) {
  const [text, setText] = useState("");
  const [asking, setAsking] = useState(false);
  const send = () => {
    const value = text.trim();
    if (value === "") return;
    setText("");
    void sendMessage(model, conversation, value);
  };
  const peer = conversation.target.type === "direct" ? conversation.target.address : undefined;
  return (
    <div class="composer-area">
      {asking && <RequestForm model={model} conversation={conversation} onDone={() => setAsking(false)} />}
      <form
        class="composer"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <label for="composer-text" class="visually-hidden">
          Message
        </label>
        <textarea
          id="composer-text"
          data-testid="composer"
          rows={1}
          value={text}
          placeholder="Message"
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="submit">Send</button>
        {peer !== undefined && (
          <button
            type="button"
            data-testid="pay-button"
            onClick={() => openPaySheet({ kind: "send", to: peer, chatWith: peer })}
          >
            Pay
          </button>
        )}
        <button type="button" aria-expanded={asking} onClick={() => setAsking(!asking)}>
          Request
        </button>
      </form>
    </div>
  );
}

function RequestForm({
  model,
  conversation,
  onDone,
}: {
  model: ChatModel;
  conversation: Conversation;
  onDone: () => void;
}) {
  const [amount, setAmount] = useState("");
  const [memo, setMemo] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const { client, chat } = model.session;
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { units, token } = await parseTokenAmount(client, { text: amount.trim(), what: "amount" });
      if (units === 0n) throw new Error("amount: 0 is nothing; expected more than 0");
      const expiry = (await chainNow(client)) + REQUEST_EXPIRY_S;
      const text = memo.trim();
      await sendRequest(chat, {
        to: conversation.target,
        token: token.address,
        amount: units,
        expiry,
        ...(text === "" ? {} : { memo: text }),
      });
      onDone();
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="chat-form request-form" onSubmit={submit} data-testid="request-form">
      <label for="request-amount">
        Amount to ask ({model.tokens.get(client.contracts.token.toLowerCase())?.symbol ?? "GRAM"})
      </label>
      <input
        id="request-amount"
        inputMode="decimal"
        autocomplete="off"
        value={amount}
        onInput={(e) => setAmount((e.target as HTMLInputElement).value)}
        required
      />
      <label for="request-memo">What for (optional)</label>
      <input id="request-memo" value={memo} onInput={(e) => setMemo((e.target as HTMLInputElement).value)} />
      <div class="button-row">
        <button type="submit" disabled={busy}>
          Send request
        </button>
        <button type="button" class="button-quiet" onClick={onDone}>
          Cancel
        </button>
      </div>
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function ContactTools({ model, conversation }: { model: ChatModel; conversation: Conversation }) {
  const address = (conversation.target as { address: Address }).address;
  const [name, setName] = useState("");
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const contacts = model.session.client.stores.contacts;
  const isContact = conversation.label.startsWith("@");
  const save = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      const existing = (await listContacts({ contacts })).filter(
        (c) => c.address.toLowerCase() === address.toLowerCase(),
      );
      const added = await addContact({ contacts, name: name.trim(), address });
      for (const old of existing) await removeContact({ contacts, name: old.name });
      const label = `@${added.name}`;
      model.labels.set(address.toLowerCase(), label);
      conversation.label = label;
      setEditing(false);
      setName("");
      revision.value++;
    } catch (caught) {
      setError((caught as Error).message);
    }
  };
  return (
    <div class="contact-tools">
      <span class="mono muted chat-address" title={address}>
        {address}
      </span>
      {!editing && (
        <button type="button" class="button-quiet" onClick={() => setEditing(true)}>
          {isContact ? "Rename contact" : "Add to contacts"}
        </button>
      )}
      {editing && (
        <form class="chat-form-row" onSubmit={save}>
          <label for="contact-name" class="visually-hidden">
            Contact name
          </label>
          <input
            id="contact-name"
            value={name}
            placeholder="name"
            autocomplete="off"
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
            required
          />
          <button type="submit">Save</button>
          <button type="button" class="button-quiet" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      )}
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function GroupMembers({ model, conversation }: { model: ChatModel; conversation: Conversation }) {
  const id = (conversation.target as { id: string }).id;
  const group = model.session.chat.state.groups.find((g) => g.id === id);
  if (group === undefined) return null;
  return (
    <>
      <p class="muted group-members" data-testid="group-members">
        Members:{" "}
        {group.members
          .map((member) =>
            isAddressEqual(member as Address, model.session.address) ? "you" : labelOf(model, member as Address),
          )
          .join(", ")}
      </p>
      <AddMembersForm model={model} group={group.id as Hex} />
    </>
  );
}
