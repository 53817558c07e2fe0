// The app's frame: a header with the status bar, the navigation of a signed-in tab, and the screen of
// the current route. Screens are a table of routes; the first match wins. A route that needs an account
// shows the welcome screen while the tab is signed out.
import type { ComponentChildren } from "preact";
import { ChatListScreen } from "./chat/chat-list-screen.tsx";
import { ConversationScreen } from "./chat/conversation-screen.tsx";
import { LazyScreen } from "./lazy-screen.tsx";
import { MerchantScreen } from "./merchant/merchant-screen.tsx";
import { Nav } from "./nav.tsx";
import { PaySheetHost } from "./pay/pay-sheet-host.tsx";
import { matchRoute, path } from "./router.ts";
import { LinkScreen } from "./screens/link-screen.tsx";
import { WelcomeScreen } from "./screens/welcome-screen.tsx";
import { session } from "./session.ts";
import { StatusBar } from "./status-bar.tsx";
import { WalletScreen } from "./wallet/wallet-screen.tsx";

interface Route {
  pattern: string;
  screen: (rest: string) => ComponentChildren;
  /** Shown only to a signed-in tab (the welcome screen otherwise). */
  signedIn?: boolean;
}

const ROUTES: Route[] = [
  { pattern: "/", screen: () => <WelcomeScreen /> },
  { pattern: "/link", screen: () => <LinkScreen link="" /> },
  { pattern: "/pay/*", screen: (rest) => <LinkScreen link={rest} /> },
  { pattern: "/chats", screen: () => <ChatListScreen />, signedIn: true },
  { pattern: "/chat/*", screen: (rest) => <ConversationScreen route={rest} key={rest} />, signedIn: true },
  { pattern: "/wallet", screen: () => <WalletScreen />, signedIn: true },
  { pattern: "/merchant", screen: () => <MerchantScreen />, signedIn: true },
  { pattern: "/receive", screen: () => <LazyScreen key="receive" load={loadReceive} />, signedIn: true },
  { pattern: "/scan", screen: () => <LazyScreen key="scan" load={loadScan} />, signedIn: true },
  { pattern: "/keys/create", screen: () => <LazyScreen key="create" load={loadCreateWallet} /> },
  { pattern: "/keys/import", screen: () => <LazyScreen key="import" load={loadImport} /> },
  { pattern: "/settings", screen: () => <LazyScreen key="settings" load={loadSettings} />, signedIn: true },
];

// Screens in chunks of their own: the vault library, the QR code and its reader are not in the first load.
const loadCreateWallet = () => import("./keys/create-wallet-screen.tsx").then((m) => m.CreateWalletScreen);
const loadImport = () => import("./keys/import-screen.tsx").then((m) => m.ImportScreen);
const loadSettings = () => import("./settings/settings-screen.tsx").then((m) => m.SettingsScreen);
const loadReceive = () => import("./receive/receive-screen.tsx").then((m) => m.ReceiveScreen);
const loadScan = () => import("./receive/scan-screen.tsx").then((m) => m.ScanScreen);

export function App() {
  const current = path.value;
  const signedIn = session.value !== undefined;
  let screen: ComponentChildren = <NotFound path={current} />;
  for (const route of ROUTES) {
    const match = matchRoute(route.pattern, current);
    if (match !== undefined) {
      screen = route.signedIn === true && !signedIn ? <WelcomeScreen /> : route.screen(match.rest);
      break;
    }
  }
  return (
    <>
      <button type="button" class="skip" onClick={skipToMain}>
        Skip to content
      </button>
      <header class="top">
        <a class="brand" href="#/">
          Gram
        </a>
        <StatusBar />
      </header>
      {signedIn && <Nav />}
      <main id="main" tabIndex={-1}>
        {screen}
      </main>
      <PaySheetHost />
    </>
  );
}

// The hash is the router's: skipping to the content moves focus instead of changing it.
function skipToMain() {
  document.getElementById("main")?.focus();
}

function NotFound({ path }: { path: string }) {
  return (
    <section class="screen">
      <h1>Nothing here</h1>
      <p>
        No screen at <code>{path}</code>. <a href="#/">Open a payment link</a>
      </p>
    </section>
  );
}
