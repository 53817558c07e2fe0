import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export interface WriteFileAtomicParameters {
  file: string;
  data: string;
  /** Mode of the file; set exactly, whatever the umask. */
  mode: number;
  /** Mode of the folder when it has to be created. */
  dirMode: number;
  /** Fail with EEXIST instead of replacing an existing file. */
  exclusive?: boolean | undefined;
}

/**
 * Writes a file so that readers see the old contents or the new, never a part: a temporary file in the
 * same folder, flushed to disk, then renamed over the target, then the folder flushed.
 */
export async function writeFileAtomic({ file, data, mode, dirMode, exclusive = false }: WriteFileAtomicParameters) {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true, mode: dirMode });
  const temp = join(dir, `.${basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "wx", mode);
    try {
      await handle.writeFile(data, "utf8");
      // The umask may have cleared bits of `mode` but cannot have added any; chmod makes it exact.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // link() refuses an existing target, where rename() would replace it.
    if (exclusive) await link(temp, file);
    else await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
  await syncDir(dir);
}

/** Tightens a folder's mode (the keystore folder: only its owner should list it). */
export async function restrictDir(dir: string, mode: number) {
  if (process.platform !== "win32") await chmod(dir, mode);
}

async function syncDir(dir: string) {
  if (process.platform === "win32") return;
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
