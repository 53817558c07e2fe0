// What every `gram chat` command starts with: the account and the chain (read-only, so that a typo is
// caught before the password is asked for), then the unlock and the sign-in to the hub. The hub is the
// node's (`--node` / GRAM_NODE), or `--chat` / GRAM_CHAT when it runs elsewhere.
import type { Address } from "viem";
import { chatUrlOf } from "../../../chat/chat-url.ts";
import { type ChatConnection, connectChat } from "../../../chat/connectChat.ts";
import type { ChatListener } from "../../../chat/createChatListeners.ts";
import { createPaymentTracker, type PaymentTracker } from "../../../chat/createPaymentTracker.ts";
import { chatStateFile, fileChatStateStore } from "../../../chat/fileChatStateStore.ts";
import { createNameBook, type NameBook } from "../../../chat/names.ts";
import { nodeWebSocket } from "../../../chat/nodeWebSocket.ts";
import { LockTimeoutError } from "../../../errors.ts";
import { withFileLock } from "../../../internal/withFileLock.ts";
import type { AccountInfo } from "../../../keys/listAccounts.ts";
import { nodeUrl, requireNode } from "../../config.ts";
import { type Connection, connect, selectAccount, unlock, useAccount } from "../../context.ts";
import { CliError } from "../../errors.ts";
import type { Cli } from "../../options.ts";

/** The `chat` command's own options, seen by each subcommand through optsWithGlobals. */
export interface ChatOptions {
  chat?: string | undefined;
}

export interface PreparedChat {
  account: AccountInfo;
  connection: Connection;
  /** The hub's WebSocket URL. */
  url: string;
  /** The node's base URL, when one is configured: its relayer sends gasless payments. */
  node: string | undefined;
  stateFile: string;
}

export interface ChatSession extends PreparedChat {
  chat: ChatConnection;
  names: NameBook;
  payments: PaymentTracker;
  me: Address;
  close(): Promise<void>;
}

/** The hub's URL: `--chat`, else GRAM_CHAT, else the node's `/v1/chat`. */
export function hubUrl(cli: Cli): string {
  const own = (cli.options as ChatOptions).chat ?? cli.env.GRAM_CHAT;
  const url = own === undefined || own === "" ? requireNode(cli, "gram chat") : own;
  try {
    return chatUrlOf(url);
  } catch {
    throw new CliError("INVALID_OPTION", `--chat: got '${url.slice(0, 80)}', expected an http(s) or ws(s) URL`);
  }
}

/** Account, chain and hub URL, without the password. */
export async function prepareChat(cli: Cli): Promise<PreparedChat> {
  const url = hubUrl(cli);
  const account = await selectAccount(cli);
  const connection = await connect(cli);
  const stateFile = chatStateFile(cli.home, { chainId: connection.client.chainId, address: account.address, url });
  return { account, connection, url, node: nodeUrl(cli), stateFile };
}

export interface SignInOptions {
  /** Read the inbox (default false: commands that only send). */
  sync?: boolean;
  autoSave?: boolean;
  /** Sign in again after a dropped connection (the interactive mode). */
  reconnect?: boolean;
  onEvent?: ChatListener;
}

/**
 * Takes this account's chat lock for this hub until the returned function is called: reads that move the
 * cursor, the interactive mode and card payments take turns, so that nothing is shown twice or paid twice.
 */
export async function holdChatLock(prepared: PreparedChat): Promise<() => Promise<void>> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let taken = () => {};
  const held = new Promise<void>((resolve) => {
    taken = resolve;
  });
  const holding = withFileLock({ file: `${prepared.stateFile}.lock`, timeoutMs: 10_000 }, async () => {
    taken();
    await released;
  }).catch((error: unknown) => {
    if (!(error instanceof LockTimeoutError)) throw error;
    throw new CliError("CHAT_BUSY", "another `gram chat` (an interactive session?) is using this account's chat", {
      hint: `close it and try again; if none is running, remove ${prepared.stateFile}.lock`,
    });
  });
  // Taken, or the reason it could not be.
  await Promise.race([held, holding]);
  return async () => {
    release();
    await holding;
  };
}

/** Runs `body` holding the chat lock (see `holdChatLock`). */
export async function withChatLock<T>(prepared: PreparedChat, body: () => Promise<T>): Promise<T> {
  const release = await holdChatLock(prepared);
  try {
    return await body();
  } finally {
    await release();
  }
}

/** Unlocks the account and signs in to the hub. */
export async function signInChat(cli: Cli, prepared: PreparedChat, options: SignInOptions = {}): Promise<ChatSession> {
  const { client, deployment } = prepared.connection;
  useAccount(client, await unlock(cli, prepared.account));
  const account = client.account;
  if (account === undefined) throw new CliError("NO_ACCOUNT", "no account unlocked");
  const chat = await connectChat({
    url: prepared.url,
    account,
    chainId: client.chainId,
    escrow: client.contracts.escrow,
    state: fileChatStateStore(prepared.stateFile),
    webSocket: nodeWebSocket,
    sync: options.sync ?? false,
    autoSave: options.autoSave ?? false,
    reconnect: options.reconnect ?? false,
    onEvent: options.onEvent,
  });
  const names = await createNameBook(chat, cli.home);
  const payments = createPaymentTracker({ client, state: chat.state, fromBlock: BigInt(deployment.deployBlock) });
  return { ...prepared, chat, names, payments, me: account.address, close: () => chat.close() };
}

/** Runs `body` in `session`, then closes it. */
export async function withSession<T>(session: ChatSession, body: (session: ChatSession) => Promise<T>): Promise<T> {
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}
