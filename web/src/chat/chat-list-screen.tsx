// `#/chats`: the account's conversations, newest first — direct chats and groups, the last message, an
// unread count, a badge when the last message is a payment, request or invoice — the hub connection's
// state, and the ways to start one: a new chat (an @name, a contact or an address, resolved as the CLI
// does) and a new group. An account with no username on the hub is offered to register one.
import { useState } from "preact/hooks";
import { createGroup } from "../../../wallet/chat/createGroup.ts";
import { registerUsername } from "../../../wallet/chat/registerUsername.ts";
import { resolvePeer } from "../../../wallet/chat/resolvePeer.ts";
import { navigate } from "../router.ts";
import { ConnectionBanner } from "./connection-banner.tsx";
import {
  type ChatModel,
  chatModel,
  conversationFor,
  revision,
  shortLabel,
  sortedConversations,
} from "./conversations.ts";
import { resolveMembers } from "./group-members.ts";
import "./chat.css";

const BADGES = { payment: "Payment", request: "Request", invoice: "Invoice" } as const;

export function ChatListScreen() {
  revision.value;
  const model = chatModel.value;
  if (model === undefined) {
    return (
      <section class="screen">
        <h1>Chats</h1>
        <p class="muted">Connecting to the chat…</p>
      </section>
    );
  }
  const list = sortedConversations(model);
  return (
    <section class="screen chat-list-screen">
      <h1>Chats</h1>
      <ConnectionBanner model={model} />
      {model.username === null ? (
        <RegisterName model={model} />
      ) : (
        <p class="muted">You are ~{model.username} on this hub.</p>
      )}
      <div class="chat-actions">
        <NewChat model={model} />
        <NewGroup model={model} />
      </div>
      {model.refused > 0 && (
        <p class="notice notice-warning" data-testid="refused-count">
          {model.refused} message{model.refused === 1 ? "" : "s"} refused (bad signature, replay or not for you): not
          shown. Last: {model.lastRefusal}
        </p>
      )}
      {list.length === 0 ? (
        <p class="muted">No chats yet: start one above.</p>
      ) : (
        <ul class="chat-list" data-testid="chat-list">
          {list.map((c) => (
            <li key={c.id}>
              <a class="chat-row" href={`#/chat/${c.route}`} data-testid="chat-row" data-route={c.route.toLowerCase()}>
                <span class="chat-row-top">
                  <span class="chat-row-name">
                    {c.target.type === "group" && <span class="chat-tag">Group</span>}
                    {shortLabel(c.label)}
                  </span>
                  {c.last !== undefined && <time class="muted chat-row-time">{shortTime(c.last.sentAt)}</time>}
                </span>
                <span class="chat-row-bottom">
                  <span class="chat-row-last">
                    {c.last?.badge !== undefined && (
                      <span class={`chat-badge chat-badge-${c.last.badge}`} data-testid="chat-badge">
                        {BADGES[c.last.badge]}
                      </span>
                    )}
                    {c.last === undefined ? "" : `${c.last.outgoing ? "You: " : ""}${c.last.text}`}
                  </span>
                  {c.unread > 0 && (
                    <span class="chat-unread" data-testid="unread">
                      {c.unread}
                      <span class="visually-hidden"> unread</span>
                    </span>
                  )}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function shortTime(ms: number): string {
  const date = new Date(ms);
  const today = new Date();
  return date.toDateString() === today.toDateString()
    ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleDateString([], { month: "short", day: "numeric" });
}

function NewChat({ model }: { model: ChatModel }) {
  const [peer, setPeer] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const resolved = await resolvePeer(model.session.chat, {
        contacts: model.session.client.stores.contacts,
        peer: peer.trim(),
      });
      const target =
        resolved.target.type === "direct"
          ? { type: "direct" as const, address: resolved.target.address }
          : { type: "group" as const, id: resolved.target.id };
      const conversation = conversationFor(model, target, resolved.label);
      navigate(`/chat/${conversation.route}`);
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="chat-form" onSubmit={submit}>
      <label for="new-chat">New chat</label>
      <div class="chat-form-row">
        <input
          id="new-chat"
          value={peer}
          placeholder="@name or 0x address"
          autocomplete="off"
          spellcheck={false}
          onInput={(e) => setPeer((e.target as HTMLInputElement).value)}
          required
        />
        <button type="submit" disabled={busy}>
          Open
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

function NewGroup({ model }: { model: ChatModel }) {
  const [name, setName] = useState("");
  const [members, setMembers] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const addresses = await resolveMembers(model, members);
      const group = await createGroup(model.session.chat, { name: name.trim(), members: addresses });
      const conversation = conversationFor(model, { type: "group", id: group.id }, group.name);
      navigate(`/chat/${conversation.route}`);
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="chat-form">
      <summary>New group</summary>
      <form onSubmit={submit}>
        <label for="group-name">Group name</label>
        <input id="group-name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} required />
        <label for="group-members">Members (@names or addresses, separated by commas)</label>
        <input
          id="group-members"
          value={members}
          autocomplete="off"
          spellcheck={false}
          onInput={(e) => setMembers((e.target as HTMLInputElement).value)}
          required
        />
        <button type="submit" disabled={busy}>
          Create group
        </button>
        {error !== undefined && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </details>
  );
}

function RegisterName({ model }: { model: ChatModel }) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      const registered = await registerUsername(model.session.chat, name.trim());
      model.username = registered.username;
      revision.value++;
    } catch (caught) {
      setError((caught as Error).message);
    }
  };
  return (
    <form class="chat-form" onSubmit={submit} data-testid="register-username">
      <label for="username">Choose a username others can reach you by (~name)</label>
      <div class="chat-form-row">
        <input
          id="username"
          value={name}
          autocomplete="off"
          spellcheck={false}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
          required
        />
        <button type="submit">Register</button>
      </div>
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
