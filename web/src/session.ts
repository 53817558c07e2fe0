// The account this tab is signed in as: a client that signs with it (the vault's session account, or a
// demo account's published key), its IndexedDB stores, and its chat connection to the node's hub (signed
// in, reconnecting, the inbox synced into the account's stored chat state), with the name book and the
// payment tracker the CLI's `gram chat` uses. One tab holds an account's chat at a time (a Web Lock), so
// two tabs never read the same inbox cursor or spend the same nonce.
import { signal } from "@preact/signals";
import type { Address, LocalAccount } from "viem";
import { isDevChain } from "../../protocol/dev-chain.ts";
import type { GramClient } from "../../wallet/actions/client.ts";
import { type ChatConnection, connectChat } from "../../wallet/chat/connectChat.ts";
import type { ChatEvent } from "../../wallet/chat/createChatListeners.ts";
import { createPaymentTracker, type PaymentTracker } from "../../wallet/chat/createPaymentTracker.ts";
import { createNameBook, type NameBook } from "../../wallet/chat/names.ts";
import { openGramDb } from "../storage/gram-db.ts";
import { indexedDbChatStateStore, indexedDbWalletStores } from "../storage/indexed-db-stores.ts";
import { type Chain, loadChain } from "./chain.ts";

export interface Session {
  address: Address;
  /** The account's label: the vault's name, or the demo account's. */
  name: string;
  /** A demo account (Hardhat's published key, development chains only): never saved in the vault. */
  demo: boolean;
  chain: Chain;
  /** The wallet library's client, signing as this account, with the account's IndexedDB stores. */
  client: GramClient;
  chat: ChatConnection;
  names: NameBook;
  payments: PaymentTracker;
  /** The node's base URL when it relays gasless payments (`relayer` of the wallet's actions). */
  relayer: string | undefined;
  /**
   * Every chat event, in order, for the screens (a listener's failure is its own). The first listener
   * also gets the events that came before it (the first sync runs while the session opens).
   */
  onChat(listener: (event: ChatEvent) => void): () => void;
  /** Closes the chat and forgets the signer; the tab is signed out. */
  close(): Promise<void>;
}

/** The signed-in account of this tab; undefined when signed out (or locked). */
export const session = signal<Session | undefined>(undefined);

export interface OpenSessionParameters {
  account: LocalAccount;
  name: string;
  demo?: boolean;
  /** Runs once when the session closes (the vault's lock, so that signing out of a vault account locks it). */
  onClose?: () => void;
}

/**
 * Signs this tab in as `account`: loads the chain, opens the account's stores, takes the account's chat
 * lock (refused when another tab holds it) and connects to the hub. Replaces (closes) the session before.
 *
 * @example
 * const unlocked = await unlockVault(store, { password });
 * await openSession({ account: unlocked.account(address), name: "Account 1" });
 */
export async function openSession({ account, name, demo = false, onClose }: OpenSessionParameters): Promise<Session> {
  await session.value?.close();
  const chain = await loadChain();
  const { config } = chain;
  const release = await holdChatLock(`gram:chat:${config.chainId}:${account.address.toLowerCase()}`);
  try {
    const db = await openGramDb();
    const stores = indexedDbWalletStores(db, account.address);
    const client: GramClient = { ...chain.client, account, stores, tokens: chain.client.tokens };
    const url = location.origin;
    const listeners = new Set<(event: ChatEvent) => void>();
    // Events of the first sync arrive before any screen listens: kept for the first listener.
    let early: ChatEvent[] | undefined = [];
    const chat = await connectChat({
      url,
      account,
      chainId: config.chainId,
      escrow: client.contracts.escrow,
      state: indexedDbChatStateStore(db, { account: account.address, chainId: config.chainId, url }),
      sync: true,
      autoSave: true,
      reconnect: true,
      onEvent: (event) => {
        if (early !== undefined && listeners.size === 0) {
          if (early.length < 10_000) early.push(event);
          return;
        }
        for (const listener of listeners) {
          try {
            listener(event);
          } catch (error) {
            console.error("a chat screen failed on an event", error);
          }
        }
      },
    });
    const names = await createNameBook(chat, stores.contacts);
    const payments = createPaymentTracker({ client, state: chat.state, fromBlock: BigInt(config.deployBlock) });
    // Every caller of close() waits for the same closing (the chat lock is released at its end).
    let closing: Promise<void> | undefined;
    const opened: Session = {
      address: account.address,
      name,
      demo,
      chain,
      client,
      chat,
      names,
      payments,
      relayer: config.relayer ? url : undefined,
      onChat(listener) {
        listeners.add(listener);
        const missed = early ?? [];
        early = undefined;
        for (const event of missed) {
          try {
            listener(event);
          } catch (error) {
            console.error("a chat screen failed on an event", error);
          }
        }
        return () => listeners.delete(listener);
      },
      close() {
        closing ??= (async () => {
          if (session.value === opened) session.value = undefined;
          listeners.clear();
          onClose?.();
          await chat.close().catch(() => {});
          release();
        })();
        return closing;
      },
    };
    session.value = opened;
    return opened;
  } catch (error) {
    release();
    throw error;
  }
}

/** The demo accounts the node offers, on a development chain only; none elsewhere, whatever it says. */
export function demoAccountsOf(chain: Chain): { name: string; index: number }[] {
  return isDevChain(chain.config.chainId) ? (chain.config.demoAccounts ?? []) : [];
}

/**
 * Signs in as a demo account: Hardhat's published mnemonic at `index`, derived in the page and held in
 * memory only (nothing is written to the vault). Refused off a development chain.
 */
export async function openDemoSession({ name, index }: { name: string; index: number }): Promise<Session> {
  const chain = await loadChain();
  if (!demoAccountsOf(chain).some((demo) => demo.name === name && demo.index === index)) {
    throw new Error(
      `no demo account ${name} on chain ${chain.config.chainId}: demo accounts exist on development chains only`,
    );
  }
  const { demoAccount } = await import("./demo-account.ts");
  return openSession({ account: demoAccount(index), name, demo: true });
}

/** Takes the exclusive Web Lock `name` if no other tab holds it; resolves to its release. */
function holdChatLock(name: string): Promise<() => void> {
  return new Promise((resolve, reject) => {
    let release = () => {};
    const released = new Promise<void>((done) => {
      release = done;
    });
    navigator.locks
      .request(name, { ifAvailable: true }, async (lock) => {
        if (lock === null) {
          reject(new Error("this account is open in another tab: close it there (or lock it) to use it here"));
          return;
        }
        resolve(release);
        await released;
      })
      .catch(reject);
  });
}
