// A group conversation's "Add members": @names, contacts or addresses; the hub tells every member the new
// list (a `group` event), which the conversation shows.

import { useState } from "preact/hooks";
import type { Hex } from "viem";
import { addGroupMembers } from "../../../wallet/chat/addGroupMembers.ts";
import type { ChatModel } from "./conversations.ts";
import { resolveMembers } from "./group-members.ts";

export function AddMembersForm({ model, group }: { model: ChatModel; group: Hex }) {
  const [members, setMembers] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await addGroupMembers(model.session.chat, { group, members: await resolveMembers(model, members) });
      setMembers("");
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="chat-form">
      <summary>Add members</summary>
      <form onSubmit={submit}>
        <label for="add-members">People to add (@names or addresses, separated by commas)</label>
        <input
          id="add-members"
          value={members}
          autocomplete="off"
          spellcheck={false}
          onInput={(e) => setMembers((e.target as HTMLInputElement).value)}
          required
        />
        <button type="submit" disabled={busy}>
          Add
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
