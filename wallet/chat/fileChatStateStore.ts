// The chat state in a file, for the CLI and the Node scripts: one JSON file per account and hub under
// `$GRAM_HOME/chat/`, written atomically, mode 0600 (whom one talks to is private). The one part of the
// chat client that needs a file system.
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Address } from "viem";
import { FILE_BOUNDS } from "../internal/readBoundedFile.ts";
import { readFileIfExists } from "../internal/readFileIfExists.ts";
import { writeFileAtomic } from "../internal/writeFileAtomic.ts";
import { type ChatStateStore, chatStateSchema, trim } from "./chat-state.ts";
import { ChatStateFileError } from "./errors.ts";

/**
 * `$GRAM_HOME/chat/<chainId>-<address>-<hub>.json`, where `<hub>` is a short hash of the hub's URL: seqs
 * are numbered by each hub, so two hubs never share a cursor.
 *
 * @example
 * const file = chatStateFile(home, { chainId: 31337, address, url: "ws://127.0.0.1:8787/v1/chat" });
 */
export function chatStateFile(
  home: string,
  { chainId, address, url }: { chainId: number; address: Address; url: string },
) {
  const hub = createHash("sha256").update(url).digest("hex").slice(0, 12);
  return join(home, "chat", `${chainId}-${address.toLowerCase()}-${hub}.json`);
}

/**
 * Reads and writes the state as JSON in `file`, atomically, mode 0600. A file that is not a chat state is
 * a `ChatStateFileError` naming it.
 *
 * @example
 * const chat = await connectChat({ url, account, chainId, escrow, state: fileChatStateStore(file) });
 */
export function fileChatStateStore(file: string): ChatStateStore {
  return {
    async load() {
      const text = await readFileIfExists(file, FILE_BOUNDS.chatState);
      if (text === undefined) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw invalid(file, "not valid JSON");
      }
      const parsed = chatStateSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw invalid(file, `${issue?.path.join(".") || "state"}: ${issue?.message ?? "invalid"}`);
      }
      return parsed.data;
    },
    async save(state) {
      await writeFileAtomic({ file, data: `${JSON.stringify(trim(state))}\n`, mode: 0o600, dirMode: 0o700 });
    },
  };
}

function invalid(file: string, what: string) {
  return new ChatStateFileError(`${file}: ${what}`, {
    hint: "remove the file: the next `gram chat read` syncs from what the hub last recorded as read",
  });
}
