// The keystores in files, for the CLI: `$GRAM_HOME/keystore/<address>.json`, mode 0600 in a 0700 folder,
// written once (never replaced), read within a bound, with a warning when others may read them.
import { mkdir, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { KeystoreWriteError } from "../errors.ts";
import { keystoreDir } from "../home.ts";
import { FILE_BOUNDS, readBoundedFile } from "../internal/readBoundedFile.ts";
import { restrictDir, writeFileAtomic } from "../internal/writeFileAtomic.ts";
import { type KeystoreStore, keystoreExists } from "./keystore-store.ts";

/**
 * The keystores in `$GRAM_HOME/keystore/`: every `.json` file that does not start with a dot is an entry.
 *
 * @example
 * const { accounts } = await listAccounts({ keystores: fileKeystoreStore(home) });
 */
export function fileKeystoreStore(home: string): KeystoreStore {
  const dir = keystoreDir(home);
  return {
    where: dir,
    async names() {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
      }
      return names
        .filter((n) => n.endsWith(".json") && !n.startsWith("."))
        .sort()
        .map((name) => join(dir, name));
    },
    async named(address) {
      const file = join(dir, `${address}.json`);
      try {
        await stat(file);
        return file;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        return undefined;
      }
    },
    read: (name) => readBoundedFile(name, FILE_BOUNDS.keystore),
    async add(address, json) {
      const file = join(dir, `${address}.json`);
      try {
        await mkdir(home, { recursive: true, mode: 0o700 });
        await writeFileAtomic({ file, data: `${json}\n`, mode: 0o600, dirMode: 0o700, exclusive: true });
        await restrictDir(dir, 0o700);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") throw keystoreExists(address, file);
        throw new KeystoreWriteError(`could not write ${file}: ${(error as Error).message}`, { cause: error });
      }
      return file;
    },
    warnings: modeWarnings,
  };
}

/** Other users may read the keystore (a brute-force target) or list its folder. */
async function modeWarnings(file: string): Promise<string[]> {
  if (process.platform === "win32") return [];
  const warnings: string[] = [];
  const dir = join(file, "..");
  for (const [path, expected] of [
    [dir, 0o700],
    [file, 0o600],
  ] as const) {
    const mode = (await stat(path)).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      warnings.push(
        `${path} has mode ${octal(mode)}; expected ${octal(expected)}, so that only you can read it (chmod ${octal(expected)} '${path}')`,
      );
    }
  }
  return warnings;
}

function octal(mode: number) {
  return `0${mode.toString(8).padStart(3, "0")}`;
}
