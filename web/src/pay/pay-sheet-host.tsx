// Where the pay sheet appears: over any screen while `payIntent` is set and the tab is signed in. The
// sheet's code (the wallet's actions, summaries, the chat's payCard) is loaded on first use, not with the
// first screen.
import { useEffect, useState } from "preact/hooks";
import { session } from "../session.ts";
import { closePaySheet, type PayIntent, payIntent } from "./pay-intent.ts";

type SheetComponent = typeof import("./pay-sheet.tsx").PaySheet;

export function PaySheetHost() {
  const intent = payIntent.value;
  const current = session.value;
  const [Sheet, setSheet] = useState<SheetComponent | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);

  useEffect(() => {
    if (intent === undefined || Sheet !== undefined) return;
    import("./pay-sheet.tsx").then(
      (module) => setSheet(() => module.PaySheet),
      (error: unknown) => setFailure(`the pay sheet could not be loaded: ${(error as Error).message}`),
    );
  }, [intent, Sheet]);
  // Signed out (or locked) while open: nothing can be paid, so nothing is shown.
  useEffect(() => {
    if (intent !== undefined && current === undefined) closePaySheet();
  }, [intent, current]);

  if (intent === undefined || current === undefined) return null;
  if (failure !== undefined) {
    return (
      <p class="notice notice-error" role="alert">
        {failure}
      </p>
    );
  }
  if (Sheet === undefined) return null;
  return <Sheet key={keyOf(intent)} intent={intent} session={current} />;
}

// A new intent is a new sheet: its state starts over.
const keys = new WeakMap<PayIntent, number>();
let next = 0;
function keyOf(intent: PayIntent): number {
  let key = keys.get(intent);
  if (key === undefined) {
    key = next++;
    keys.set(intent, key);
  }
  return key;
}
