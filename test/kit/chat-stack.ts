// The whole chat stack for `gram chat` tests: the CLI's chain (./cli-chain.ts) and a real `gram-node` child
// process (API, indexer, relayer and the chat hub on /v1/chat). A test that cuts the hub's connections runs
// a hub in this process instead (./serve-hub.ts with a chain).
import type { NodeProcess } from "../../scripts/lib/spawn-gram-node.ts";
import { type CliChain, type GramOptions, type Run, startCliChain, startRelayingNode } from "./cli-chain.ts";

export interface ChatStack {
  chain: CliChain;
  node: NodeProcess;
  nodeUrl: string;
  /** The hub's base URL (http://127.0.0.1:port); its WebSocket is /v1/chat. */
  hubUrl: string;
  /** Where a chat client connects: the node (it serves /v1/chat). */
  chatUrl: string;
  /** The environment every `gram chat` run gets: where the node and the hub are. */
  env: Record<string, string>;
  /** `gram args…` as `home`, with the stack's environment. */
  gram(args: string[], options?: Omit<GramOptions, "input">): Promise<Run>;
  /** `gram args…` with `input` piped to its stdin (the interactive mode). */
  gramWithInput(args: string[], input: string, options: { home: string; env?: Record<string, string> }): Promise<Run>;
  /** Waits until the node has indexed the chain's head. */
  synced(): Promise<void>;
  close(): Promise<void>;
}

/** `{ withNode: false }` skips the node and the hub: for a test that brings its own (hostile) hub. */
export async function startChatStack({ withNode = true }: { withNode?: boolean } = {}): Promise<ChatStack> {
  const chain = await startCliChain();
  let served: Awaited<ReturnType<typeof startRelayingNode>> | undefined;
  try {
    if (withNode) served = await startRelayingNode(chain);
  } catch (error) {
    await chain.close();
    throw error;
  }
  const nodeUrl = served?.url ?? "";
  const env: Record<string, string> = withNode ? { GRAM_NODE: nodeUrl } : {};
  return {
    chain,
    node: served?.node as NodeProcess,
    nodeUrl,
    hubUrl: nodeUrl,
    chatUrl: nodeUrl,
    env,
    gram: (args, options = {}) => chain.gram(args, { ...options, env: { ...env, ...options.env } }),
    gramWithInput: (args, input, options) =>
      chain.gram(args, { home: options.home, env: { ...env, ...options.env }, input, timeoutMs: 90_000 }),
    async synced() {
      await served?.synced();
    },
    async close() {
      await served?.stop();
      await chain.close();
    },
  };
}
