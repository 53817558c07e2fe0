// The hub connection's state, on the chat list and in a conversation: nothing while it is up; offline or
// reconnecting (it reconnects and resyncs by itself) with how many messages wait in the outbox.
import type { ChatModel } from "./conversations.ts";

export function ConnectionBanner({ model }: { model: ChatModel }) {
  const waiting = model.outbox.filter((q) => q.failed === undefined).length;
  const pending = waiting === 0 ? "" : ` ${waiting} message${waiting === 1 ? "" : "s"} will be sent when it is back.`;
  return (
    <p
      class={`chat-connection chat-connection-${model.connection}`}
      data-testid="chat-connection"
      data-state={model.connection}
      role="status"
    >
      {model.connection === "online" && waiting === 0 && "Connected to the chat hub."}
      {model.connection === "online" && waiting > 0 && `Sending ${waiting} queued message${waiting === 1 ? "" : "s"}…`}
      {model.connection === "offline" && `Offline.${pending}`}
      {model.connection === "reconnecting" && `Connection to the chat hub lost; reconnecting…${pending}`}
    </p>
  );
}
