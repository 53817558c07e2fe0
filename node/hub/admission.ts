// Who may hold a connection to the hub, so that no one client can lock the others out:
// - every connection counts against its IP address's cap (an IPv6 address by its /64, the block one
//   subscriber is given), signed in or not;
// - a connection that has not signed in waits in a pool of its own, closed after a short timeout
//   (`signInTimeoutMs`, create-chat-hub.ts); when the pool is full, the one that has waited longest is
//   closed to make room, so that sockets left unsigned can neither fill the hub nor keep newcomers out;
// - a signed-in connection counts against its address's cap and the hub's cap on signed-in connections.
import ipaddr from "ipaddr.js";
import { getAddress } from "viem";
import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import type { HubLimits } from "./limits.ts";

export type AdmissionLimits = Pick<
  HubLimits,
  "connections" | "unsignedConnections" | "connectionsPerIp" | "connectionsPerAddress"
>;

/** What `admit` decided: a refusal to close the new connection with, or an older unsigned one to close. */
export type Admitted<S> = { refused: string } | { refused?: undefined; evict: S | undefined };

export interface Admission<S> {
  /** A new connection from `ip`: refused past its IP's cap; admitted to the unsigned pool otherwise. */
  admit(session: S, ip: string): Admitted<S>;
  /**
   * Moves an admitted connection from the pool to `address`'s sessions, or throws `TOO_MANY_CONNECTIONS`
   * (past the address's or the hub's cap; a connection closed meanwhile is refused too).
   */
  signIn(session: S, address: string): void;
  /** Forgets a connection; a second call, or one for a connection never admitted, does nothing. */
  remove(session: S): void;
  /** Connections admitted and not signed in. */
  unsigned(): number;
}

/** The key an IP address is counted under: IPv4 (also IPv4-mapped IPv6) whole, IPv6 by its /64. */
export function ipKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === "ipv4") return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(":")}::/64`;
}

/**
 * Counts connections by IP, by address and by state, and says who may connect and sign in.
 *
 * @example
 * const admission = createAdmission(limits);
 * const decision = admission.admit(session, request.ip);
 * if (decision.refused !== undefined) return socket.close(1013, decision.refused);
 * decision.evict?.socket.close(1013, "…");
 */
export function createAdmission<S>(limits: AdmissionLimits): Admission<S> {
  const entries = new Map<S, { ip: string; address: string | undefined }>();
  const perIp = new Map<string, number>();
  const perAddress = new Map<string, number>();
  // Insertion-ordered: the first is the connection that has waited longest.
  const waiting = new Set<S>();
  let signedIn = 0;

  const add = (map: Map<string, number>, key: string, by: number) => {
    const count = (map.get(key) ?? 0) + by;
    if (count === 0) map.delete(key);
    else map.set(key, count);
  };

  function remove(session: S) {
    const entry = entries.get(session);
    if (entry === undefined) return;
    entries.delete(session);
    add(perIp, entry.ip, -1);
    if (entry.address === undefined) {
      waiting.delete(session);
    } else {
      signedIn--;
      add(perAddress, entry.address, -1);
    }
  }

  return {
    admit(session, ip) {
      const key = ipKey(ip);
      if ((perIp.get(key) ?? 0) >= limits.connectionsPerIp) {
        return { refused: `too many connections from ${key} (at most ${limits.connectionsPerIp}); try later` };
      }
      let evict: S | undefined;
      if (waiting.size >= limits.unsignedConnections) {
        evict = waiting.values().next().value as S;
        remove(evict);
      }
      entries.set(session, { ip: key, address: undefined });
      add(perIp, key, 1);
      waiting.add(session);
      return { evict };
    },
    signIn(session, address) {
      const entry = entries.get(session);
      if (entry === undefined) {
        throw new ChatProtocolError("TOO_MANY_CONNECTIONS", "sign-in: this connection was closed to make room");
      }
      if ((perAddress.get(address) ?? 0) >= limits.connectionsPerAddress) {
        throw new ChatProtocolError(
          "TOO_MANY_CONNECTIONS",
          `sign-in: ${getAddress(address)} already has ${limits.connectionsPerAddress} connections, the most allowed; close one first`,
        );
      }
      if (signedIn >= limits.connections) {
        throw new ChatProtocolError(
          "TOO_MANY_CONNECTIONS",
          `sign-in: the hub serves at most ${limits.connections} signed-in connections; try later`,
        );
      }
      waiting.delete(session);
      entry.address = address;
      signedIn++;
      add(perAddress, address, 1);
    },
    remove,
    unsigned: () => waiting.size,
  };
}
