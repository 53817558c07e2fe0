// The hash router: `#/…` routes, so that the node serves one `index.html` and a link such as
// `#/pay/gram:invoice/…` never reaches a server (the fragment is not sent). A route is a pattern and a
// screen in a table (`ROUTES` in app.tsx); this file only reads and writes the location.
import { signal } from "@preact/signals";

/** The current hash path without its `#`, e.g. "/pay/gram:request/…"; "/" when empty. */
export const path = signal(readPath());

function readPath(): string {
  const hash = location.hash.replace(/^#/, "");
  return hash.startsWith("/") ? hash : "/";
}

addEventListener("hashchange", () => {
  path.value = readPath();
});

/** Goes to `to` (a path such as "/pay/<link>"), as a new history entry. */
export function navigate(to: string) {
  location.hash = to;
}

export interface Match {
  /** What the route's `*` matched, decoded. */
  rest: string;
}

/**
 * Matches `path` against a pattern: an exact path ("/") or a prefix ending in `*` ("/pay/*"), whose tail
 * is URI-decoded (a link pasted into the address bar may arrive encoded or not).
 */
export function matchRoute(pattern: string, current: string): Match | undefined {
  if (!pattern.endsWith("*")) return pattern === current ? { rest: "" } : undefined;
  const prefix = pattern.slice(0, -1);
  if (!current.startsWith(prefix)) return undefined;
  const tail = current.slice(prefix.length);
  try {
    return { rest: decodeURIComponent(tail) };
  } catch {
    return { rest: tail };
  }
}
