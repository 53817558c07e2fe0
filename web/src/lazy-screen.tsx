// A screen whose module is loaded when its route is first shown: the vault's screens (viem's accounts,
// BIP-32/39, the KDFs), the QR code and its reader stay out of the first load of the app.
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";

export function LazyScreen({ load }: { load: () => Promise<ComponentType> }) {
  const [screen, setScreen] = useState<{ Screen: ComponentType } | { error: string } | undefined>(undefined);
  useEffect(() => {
    let live = true;
    load().then(
      (Screen) => live && setScreen({ Screen }),
      (error: unknown) => live && setScreen({ error: `this screen did not load: ${(error as Error).message}` }),
    );
    return () => {
      live = false;
    };
  }, [load]);
  if (screen === undefined) return <p class="muted">Loading…</p>;
  if ("error" in screen) {
    return (
      <p class="error" role="alert">
        {screen.error}
      </p>
    );
  }
  return <screen.Screen />;
}
