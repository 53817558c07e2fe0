// Connections and what each has been sent. A signed-in session follows its address's inbox: an entry
// is pushed when it is committed if the session is live (not syncing, not behind after a partial sync)
// and the entry is newer than the session's cursor, so that each entry reaches a session once, in order.
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";

export interface Session {
  readonly id: number;
  readonly socket: WebSocket;
  /** The TCP connection under `socket`: corked while a batch of deliveries is written to it. */
  readonly stream: Pick<Duplex, "cork" | "uncork"> | undefined;
  /** Lowercase; set by a good sign-in, never changed after. */
  address: string | undefined;
  /** The nonce this connection was given, until a sign-in spends it. */
  challenge: { nonce: string; issuedAt: number; expiresAt: number } | undefined;
  /** The newest inbox seq this session has been sent (or told of at sign-in). */
  cursor: number;
  /** A `sync` is reading the inbox: live pushes wait, the sync picks them up. */
  syncing: boolean;
  /** The last sync stopped at its limit: live pushes wait until the client syncs the rest. */
  behind: boolean;
  /** Frames received and not handled yet; handled one at a time, in order. */
  pending: number;
  queue: Promise<void>;
}

export type Sessions = ReturnType<typeof createSessions>;

export function createSessions({ maxBufferedBytes }: { maxBufferedBytes: number }) {
  const all = new Set<Session>();
  const byAddress = new Map<string, Set<Session>>();
  let nextId = 1;
  // Deliveries of one committed batch leave in one write per connection, not one per frame: the streams
  // corked during the batch are uncorked together once it has been handed out. It pays when a batch holds
  // several messages for one member (a busy group, a sync catching up); with one, it costs a Set entry.
  const corked = new Set<Pick<Duplex, "cork" | "uncork">>();
  const uncorkAll = () => {
    for (const stream of corked) stream.uncork();
    corked.clear();
  };

  /** Sends `text`, or disconnects a client whose unsent frames pile up past the limit. */
  function send(session: Session, text: string): boolean {
    const { socket } = session;
    if (socket.readyState !== socket.OPEN) return false;
    if (socket.bufferedAmount > maxBufferedBytes) {
      socket.close(1013, "too slow: frames piled up");
      return false;
    }
    socket.send(text);
    return true;
  }

  return {
    all,
    send,
    open(socket: WebSocket, stream?: Pick<Duplex, "cork" | "uncork">): Session {
      const session: Session = {
        id: nextId++,
        socket,
        stream,
        address: undefined,
        challenge: undefined,
        cursor: 0,
        syncing: false,
        behind: false,
        pending: 0,
        queue: Promise.resolve(),
      };
      all.add(session);
      return session;
    },
    bind(session: Session, address: string, cursor: number) {
      session.address = address;
      session.cursor = cursor;
      let set = byAddress.get(address);
      if (set === undefined) {
        set = new Set();
        byAddress.set(address, set);
      }
      set.add(session);
    },
    remove(session: Session) {
      all.delete(session);
      if (session.address === undefined) return;
      const set = byAddress.get(session.address);
      set?.delete(session);
      if (set?.size === 0) byAddress.delete(session.address);
    },
    /** Pushes a committed inbox entry to the live sessions of `address`. */
    deliver(address: string, seq: number, text: string) {
      for (const session of byAddress.get(address) ?? []) {
        if (session.syncing || session.behind || seq <= session.cursor) continue;
        session.cursor = seq;
        const { stream } = session;
        if (stream !== undefined && !corked.has(stream)) {
          if (corked.size === 0) process.nextTick(uncorkAll);
          stream.cork();
          corked.add(stream);
        }
        send(session, text);
      }
    },
  };
}
