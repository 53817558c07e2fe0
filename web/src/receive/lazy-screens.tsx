// The receive and scan screens, loaded when first shown: the QR code and its reader stay out of the
// first screen's JavaScript.
import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";

function lazyScreen(load: () => Promise<FunctionComponent>): FunctionComponent {
  let loaded: FunctionComponent | undefined;
  return function LazyScreen() {
    const [Screen, setScreen] = useState<FunctionComponent | undefined>(() => loaded);
    const [error, setError] = useState<string | undefined>(undefined);
    useEffect(() => {
      if (Screen !== undefined) return;
      load().then(
        (screen) => {
          loaded = screen;
          setScreen(() => screen);
        },
        (failure: Error) => setError(failure.message),
      );
    }, []);
    if (error !== undefined) {
      return (
        <p class="notice notice-error" role="alert">
          This screen could not be loaded: {error}
        </p>
      );
    }
    return Screen === undefined ? <p class="muted">Loading…</p> : <Screen />;
  };
}

export const ReceiveRoute = lazyScreen(async () => (await import("./receive-screen.tsx")).ReceiveScreen);
export const ScanRoute = lazyScreen(async () => (await import("./scan-screen.tsx")).ScanScreen);
