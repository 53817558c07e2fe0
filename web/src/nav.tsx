// The navigation of a signed-in tab: the main screens, whose account this is, and signing out (a vault
// account locks; a demo account is forgotten).
import { vaultAccounts } from "./keys/vault.ts";
import { path } from "./router.ts";
import { session } from "./session.ts";

const LINKS: { href: string; label: string; prefix: string }[] = [
  { href: "#/chats", label: "Chats", prefix: "/chat" },
  { href: "#/wallet", label: "Wallet", prefix: "/wallet" },
  { href: "#/receive", label: "Receive", prefix: "/receive" },
  { href: "#/scan", label: "Scan", prefix: "/scan" },
  { href: "#/settings", label: "Settings", prefix: "/settings" },
];

export function Nav() {
  const current = session.value;
  if (current === undefined) return null;
  // A vault account renamed in Settings shows its new name at once.
  const name = vaultAccounts.value?.find((account) => account.address === current.address)?.name ?? current.name;
  return (
    <nav class="nav" aria-label="Main">
      <ul>
        {LINKS.map((link) => (
          <li key={link.href}>
            <a href={link.href} aria-current={path.value.startsWith(link.prefix) ? "page" : undefined}>
              {link.label}
            </a>
          </li>
        ))}
      </ul>
      <span class="nav-account" data-testid="signed-in-as" title={current.address}>
        {name}
        {current.demo && " (demo)"}
      </span>
      <button
        type="button"
        class="button-quiet"
        onClick={() => {
          void current.close();
          location.hash = "/";
        }}
      >
        {current.demo ? "Sign out" : "Lock"}
      </button>
    </nav>
  );
}
