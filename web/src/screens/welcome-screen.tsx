// The first screen of a signed-out tab: open an account. On a development chain the node may offer demo
// accounts (Hardhat's published keys) in one click; they are never offered on another chain. The vault's
// part (web/src/keys/unlock-card.tsx) unlocks an account of this device, or creates or imports one.
import { useSignal } from "@preact/signals";
import { chain } from "../chain.ts";
import { UnlockCard } from "../keys/unlock-card.tsx";
import { navigate } from "../router.ts";
import { demoAccountsOf, openDemoSession } from "../session.ts";

export function WelcomeScreen() {
  const busy = useSignal<string | undefined>(undefined);
  const error = useSignal<string | undefined>(undefined);
  const loaded = chain.value;
  const demos = loaded.state === "ready" ? demoAccountsOf(loaded.chain) : [];

  const openDemo = async (demo: { name: string; index: number }) => {
    busy.value = demo.name;
    error.value = undefined;
    try {
      await openDemoSession(demo);
      navigate("/chats");
    } catch (failure) {
      error.value = (failure as Error).message;
    } finally {
      busy.value = undefined;
    }
  };

  return (
    <section class="screen" aria-labelledby="welcome-title">
      <h1 id="welcome-title">Welcome to Gram</h1>
      <p class="muted">Chat and pay, with keys that stay on this device.</p>
      <UnlockCard />
      {demos.length > 0 && (
        <section class="card" aria-labelledby="demo-title">
          <h2 id="demo-title">Demo accounts</h2>
          <p class="muted">
            This node runs a development chain. Its demo accounts use Hardhat's published keys: open one here and
            another in a second window to chat and pay. They are kept in this tab only.
          </p>
          <div class="button-row">
            {demos.map((demo) => (
              <button
                key={demo.name}
                type="button"
                class="button"
                data-testid={`demo-${demo.name}`}
                disabled={busy.value !== undefined}
                onClick={() => void openDemo(demo)}
              >
                {busy.value === demo.name ? `Opening ${demo.name}…` : `Open ${demo.name}`}
              </button>
            ))}
          </div>
        </section>
      )}
      {error.value !== undefined && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
      <p>
        <a href="#/link">Open a payment link</a> without an account.
      </p>
    </section>
  );
}
