import { homedir } from "node:os";
import { join, resolve } from "node:path";

export interface GramHomeParameters {
  /** `--home`; wins over `$GRAM_HOME`. */
  home?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/**
 * The folder that holds the wallet's files: `--home`, else `$GRAM_HOME`, else `~/.gram`.
 *
 * @example
 * const home = gramHome({ home: options.home });
 */
export function gramHome({ home, env = process.env }: GramHomeParameters = {}): string {
  const chosen = home || env.GRAM_HOME;
  return chosen ? resolve(chosen) : join(homedir(), ".gram");
}

/** `$GRAM_HOME/keystore`: one Web3 Secret Storage file per account. */
export function keystoreDir(home: string): string {
  return join(home, "keystore");
}

/** `$GRAM_HOME/contacts.json`. */
export function contactsFile(home: string): string {
  return join(home, "contacts.json");
}
