// The app's view of the chain: the node's `/web-config.json` (chain id, RPC, contracts), parsed by the
// protocol's schema, and the wallet library's read-only client over that RPC. Loaded once; a failure is
// kept as the error to show, never retried behind the user's back.
import { signal } from "@preact/signals";
import { createPublicClient, http, webSocket } from "viem";
import { WEB_CONFIG_PATH, type WebConfig, webConfigSchema } from "../../protocol/web-config.ts";
import { createGramClient, type GramClient } from "../../wallet/actions/client.ts";
import { memoryWalletStores } from "../../wallet/wallet-stores.ts";

export interface Chain {
  config: WebConfig;
  client: GramClient;
}

/** The chain once loaded; `error` when the configuration or the RPC could not be read. */
export const chain = signal<{ state: "loading" } | { state: "ready"; chain: Chain } | { state: "error"; error: Error }>(
  { state: "loading" },
);

let loading: Promise<Chain> | undefined;

/** Loads the configuration and builds the client (once); resolves when ready, rejects with the error shown. */
export function loadChain(): Promise<Chain> {
  loading ??= (async () => {
    const response = await fetch(WEB_CONFIG_PATH, { cache: "no-store" });
    if (!response.ok) throw new Error(`the node did not serve ${WEB_CONFIG_PATH} (HTTP ${response.status})`);
    const config = webConfigSchema.parse(await response.json());
    const transport = /^wss?:/.test(config.rpc) ? webSocket(config.rpc) : http(config.rpc);
    const client = await createGramClient({
      publicClient: createPublicClient({ transport }),
      chainId: config.chainId,
      contracts: config.contracts as GramClient["contracts"],
      // A read-only client (no account is unlocked here) writes nothing: memory stores. A client that
      // signs for an account takes that account's IndexedDB stores (web/storage/indexed-db-stores.ts).
      stores: memoryWalletStores(),
    });
    return { config, client };
  })();
  loading.then(
    (ready) => {
      chain.value = { state: "ready", chain: ready };
    },
    (error: unknown) => {
      chain.value = { state: "error", error: error instanceof Error ? error : new Error(String(error)) };
    },
  );
  return loading;
}
