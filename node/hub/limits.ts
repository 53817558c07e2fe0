// Apart from `context.ts`: admission takes these limits too, and the context holds the admission, so
// keeping them there would make an import cycle.

/** What the hub allows; every field has a default (`DEFAULT_HUB_LIMITS`). */
export interface HubLimits {
  /** Messages and groups created per address per minute, which is also the burst allowed. */
  messagesPerMinute: number;
  /** Frames of any kind per connection per minute. */
  framesPerMinute: number;
  /** Frames a connection may have waiting to be handled; past it the connection is closed. */
  pendingFrames: number;
  /** The largest frame taken, in bytes; the WebSocket layer's own `maxPayload` closes the connection above its limit. */
  frameBytes: number;
  /** A client whose unsent frames pile up past this is too slow to follow: it is disconnected. */
  maxBufferedBytes: number;
  /** How far `sentAt` and a sign-in's times may be from the hub's clock. */
  clockSkewMs: number;
  /** A connection that has not signed in after this long is closed. */
  signInTimeoutMs: number;
  /** Signed-in connections, all addresses together. */
  connections: number;
  /** Connections not signed in yet; past it, the one that has waited longest is closed to make room. */
  unsignedConnections: number;
  /** Connections from one IP address (an IPv6 /64), signed in or not. */
  connectionsPerIp: number;
  /** Signed-in connections of one address (its devices). */
  connectionsPerAddress: number;
  /** How long a username its owner gave up stays reserved for that owner before anyone else may take it. */
  usernameCooldownMs: number;
}

export const DEFAULT_HUB_LIMITS: HubLimits = {
  messagesPerMinute: 120,
  framesPerMinute: 1_200,
  pendingFrames: 256,
  frameBytes: 64 * 1024,
  maxBufferedBytes: 4 * 1024 * 1024,
  clockSkewMs: 5 * 60 * 1000,
  signInTimeoutMs: 10_000,
  connections: 10_000,
  unsignedConnections: 1_000,
  connectionsPerIp: 64,
  connectionsPerAddress: 10,
  usernameCooldownMs: 7 * 24 * 60 * 60 * 1000,
};
