// The wallet library, as a program that holds keys uses it: keys and keystores, actions on the chain
// (viem-style: `sendTransfer(client, { … })`), invoices, what a transaction or a signature does in words,
// contacts, the chat client and the node client. The `gram` CLI (`cli/`) is one user of it.
export * from "./actions/index.ts";
export { parseAddress } from "./address.ts";
export * from "./chat/index.ts";
export * from "./contacts/index.ts";
export * from "./errors.ts";
export { fileWalletStores } from "./fileWalletStores.ts";
export { contactsFile, type GramHomeParameters, gramHome, keystoreDir } from "./home.ts";
export * from "./invoices/index.ts";
export * from "./keys/index.ts";
export * from "./node/index.ts";
export * from "./nonce/index.ts";
export * from "./summary/index.ts";
export * from "./vault/index.ts";
export { memoryWalletStores, type WalletStores } from "./wallet-stores.ts";
