import { ClassicLevel } from "classic-level";

export interface Store {
  readonly db: ClassicLevel<string, string>;
  /** fsync every batch: survives power loss, not only a killed process (LevelDB's log survives that). */
  readonly sync: boolean;
  close(): Promise<void>;
}

export interface OpenStoreParameters {
  /** The data folder; created when missing. */
  path: string;
  sync?: boolean;
}

/**
 * Opens (or creates) the node's LevelDB in `path`. See `keys.ts` for what it holds.
 *
 * @example
 * const store = await openStore({ path: "./data" });
 */
export async function openStore({ path, sync = false }: OpenStoreParameters): Promise<Store> {
  const db = new ClassicLevel<string, string>(path, { keyEncoding: "utf8", valueEncoding: "utf8" });
  await db.open();
  return { db, sync, close: () => db.close() };
}
