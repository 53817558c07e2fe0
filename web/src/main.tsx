// The web app's entry: the styles, the node's status, the chain, the app, and the service worker that
// keeps the app shell for offline starts.
// zod is told not to compile with `new Function` by /zod-jitless.js, which index.html loads first.
import { render } from "preact";
import { App } from "./app.tsx";
import { loadChain } from "./chain.ts";
import { watchVault } from "./keys/vault.ts";
import { watchNode } from "./node-status.ts";
import "./styles.css";

watchNode();
watchVault();
void loadChain().catch(() => {});
render(<App />, document.getElementById("app") as HTMLElement);
// Preact renders synchronously: the first screen is in the DOM here (npm run bench:web reads the mark).
performance.mark("gram:first-screen");

if ("serviceWorker" in navigator && location.protocol !== "file:") {
  // At the origin's root, so that it controls every route; a registration failure only loses offline starts.
  void navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}
