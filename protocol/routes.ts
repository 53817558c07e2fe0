// The node's routes, written once: the server registers the patterns (fastify's `:name` syntax) and
// clients fill them in. Every path is absolute from the node's base URL; a client resolves it under that
// URL, so that a node behind a proxy at `https://host/gram` keeps its prefix.

/** Every route the node serves, as the server registers it. */
export const ROUTES = {
  status: "/v1/status",
  account: "/v1/accounts/:address",
  history: "/v1/accounts/:address/history",
  invoice: "/v1/invoices/:id",
  merchantInvoices: "/v1/merchants/:address/invoices",
  merchantBalances: "/v1/merchants/:address/balances",
  /** WebSocket: indexed events per address or invoice. */
  stream: "/v1/stream",
  /** WebSocket: the chat hub. */
  chat: "/v1/chat",
  relayTransfer: "/v1/relay/transfer",
  relayPay: "/v1/relay/pay",
  relayStatus: "/v1/relay/status",
  healthz: "/healthz",
  metrics: "/metrics",
} as const;

export type Route = (typeof ROUTES)[keyof typeof ROUTES];

/** The `:name` parameters of a pattern, each a string. */
export type RouteParams<Pattern extends string> = Pattern extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & RouteParams<`/${Rest}`>
  : Pattern extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;

/**
 * A route's path with its parameters filled in (each URI-encoded), for a client.
 *
 * @example
 * routePath(ROUTES.history, { address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" });
 * // "/v1/accounts/0x70997970C51812dc3A010C7d01b50e0d17dc79C8/history"
 */
export function routePath<Pattern extends Route>(pattern: Pattern, params: RouteParams<Pattern>): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_match, name: string) =>
    encodeURIComponent((params as Record<string, string>)[name] ?? ""),
  );
}
