// The app's frame: a header with the status bar, and the screen of the current route. Screens are a
// table of routes; the first match wins.
import type { ComponentChildren } from "preact";
import { matchRoute, path } from "./router.ts";
import { LinkScreen } from "./screens/link-screen.tsx";
import { StatusBar } from "./status-bar.tsx";

interface Route {
  pattern: string;
  screen: (rest: string) => ComponentChildren;
}

const ROUTES: Route[] = [
  { pattern: "/", screen: () => <LinkScreen link="" /> },
  { pattern: "/pay/*", screen: (rest) => <LinkScreen link={rest} /> },
];

export function App() {
  const current = path.value;
  let screen: ComponentChildren = <NotFound path={current} />;
  for (const route of ROUTES) {
    const match = matchRoute(route.pattern, current);
    if (match !== undefined) {
      screen = route.screen(match.rest);
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
      <main id="main" tabIndex={-1}>
        {screen}
      </main>
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
