import type { KeystoreStore } from "./keystore-store.ts";

/** Where the keys functions find the keystores: a store (a test), or the CLI's home folder. */
export type KeystoreSource = { keystores: KeystoreStore; home?: undefined } | { home: string; keystores?: undefined };

/**
 * The store of `source`: the one given, or the files in `home`, loaded only when a home folder is given.
 *
 * @example
 * const names = await (await keystoreStoreOf({ home })).names();
 */
export async function keystoreStoreOf(source: KeystoreSource): Promise<KeystoreStore> {
  if (source.keystores !== undefined) return source.keystores;
  const { fileKeystoreStore } = await import("./fileKeystoreStore.ts");
  return fileKeystoreStore(source.home);
}
