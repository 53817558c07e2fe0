import { constants, type Stats } from "node:fs";
import { type FileHandle, open, realpath } from "node:fs/promises";
import { FileRefusedError } from "../errors.ts";

/** What a file is expected to be; every file the wallet reads is read through one of these. */
export interface FileBound {
  /** Named in errors: "keystore", "contacts file", "--password-file". */
  what: string;
  /** Larger than this is not a file of that kind. */
  maxBytes: number;
  /**
   * A pipe is accepted too (`--password-file <(pass show gram)`, a named pipe written by another
   * program), read until its writer closes it, for at most `timeoutMs`. Otherwise only a regular file.
   */
  pipe?: boolean | undefined;
  /** @default 30_000 */
  timeoutMs?: number | undefined;
}

/**
 * The limits of every file the wallet reads, each above the largest file of its kind the wallet writes
 * (or a user could mean), far below what would hurt. Documented in docs/WALLET.md.
 */
export const FILE_BOUNDS = {
  /** A v3 keystore with an encrypted 24-word mnemonic is about 1.5 KB. */
  keystore: { what: "keystore", maxBytes: 64 * 1024 },
  /** A password, a recovery phrase or a private key: one line. */
  password: { what: "--password-file", maxBytes: 4 * 1024, pipe: true },
  mnemonic: { what: "--mnemonic-file", maxBytes: 4 * 1024, pipe: true },
  privateKey: { what: "--private-key-file", maxBytes: 4 * 1024, pipe: true },
  /** About 90 bytes a contact: some 45,000 contacts. */
  contacts: { what: "contacts file", maxBytes: 4 * 1024 * 1024 },
  nonce: { what: "nonce file", maxBytes: 4 * 1024 },
  lock: { what: "lock file", maxBytes: 4 * 1024 },
  invoiceCounter: { what: "invoice counter", maxBytes: 4 * 1024 },
  /** A signed invoice with its title, items and memo (each bounded by the link codec) is a few KB. */
  invoice: { what: "invoice file", maxBytes: 1024 * 1024 },
  /**
   * The chat state keeps at most 2,000 ids, 200 cards and 200 payments (16 KiB envelopes), 1,000 unread
   * messages and 500 groups of up to 256 members (CHAT_STATE_LIMITS): under 30 MB even with every JSON
   * character escaped.
   */
  chatState: { what: "chat state", maxBytes: 64 * 1024 * 1024 },
} as const satisfies Record<string, FileBound>;

const READ_CHUNK = 64 * 1024;
const PIPE_POLL_MS = 10;

/**
 * Reads a file the wallet was pointed at, refusing what would hang it or exhaust its memory: it is
 * opened without blocking (a named pipe nobody writes to does not hang the open), then `fstat`ed, and
 * anything but a regular file (a pipe, with `pipe: true`) is refused, as is a file larger than
 * `maxBytes` — before its contents are read, and again if it grows while being read. The error names the
 * file, what it is and what was expected. A missing file is the `ENOENT` error of `open`.
 *
 * @example
 * const text = await readBoundedFile(file, FILE_BOUNDS.keystore);
 */
export async function readBoundedFile(file: string, bound: FileBound): Promise<string> {
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
  let handle: FileHandle;
  try {
    handle = await open(file, flags);
  } catch (error) {
    // A socket (or a device with no driver behind it) cannot be opened at all.
    if ((error as NodeJS.ErrnoException).code !== "ENXIO") throw error;
    throw new FileRefusedError(
      "FILE_NOT_REGULAR",
      `${bound.what} ${file} is a socket or a device; expected a regular file`,
    );
  }
  try {
    const stats = await handle.stat();
    const isPipe = stats.isFIFO();
    if (!stats.isFile() && !(isPipe && bound.pipe)) {
      const expected = bound.pipe ? "a regular file or a pipe" : "a regular file";
      throw new FileRefusedError(
        "FILE_NOT_REGULAR",
        `${bound.what} ${file} is ${await kindOf(file, stats)}; expected ${expected}`,
        { hint: "remove it, or put the file itself in its place (a symbolic link to a regular file is fine)" },
      );
    }
    if (stats.size > bound.maxBytes) throw tooLarge(file, bound, stats.size);
    const bytes = isPipe ? await readPipe(handle, file, bound) : await readRegular(handle, file, bound);
    return bytes.toString("utf8");
  } finally {
    await handle.close();
  }
}

/** Reads to the end in chunks, never more than one chunk past the limit (the file may grow meanwhile). */
async function readRegular(handle: FileHandle, file: string, bound: FileBound): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for (;;) {
    const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(READ_CHUNK), 0, READ_CHUNK, null);
    if (bytesRead === 0) return Buffer.concat(chunks, length);
    chunks.push(buffer.subarray(0, bytesRead));
    length += bytesRead;
    if (length > bound.maxBytes) throw tooLarge(file, bound, undefined);
  }
}

/**
 * A pipe opened without blocking answers "no data yet" (EAGAIN) while its writer works, and end of file
 * both before any writer has opened it and after the writer closed it: the end is the first end of file
 * after some data. Polled until then, or until the deadline.
 */
async function readPipe(handle: FileHandle, file: string, bound: FileBound): Promise<Buffer> {
  const timeoutMs = bound.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const buffer = Buffer.alloc(bound.maxBytes + 1);
  let length = 0;
  for (;;) {
    let bytesRead = 0;
    let writing = false;
    try {
      ({ bytesRead } = await handle.read(buffer, length, buffer.length - length, null));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      writing = true;
    }
    if (bytesRead > 0) {
      length += bytesRead;
      if (length > bound.maxBytes) throw tooLarge(file, bound, undefined);
      continue;
    }
    if (!writing && length > 0) return buffer.subarray(0, length);
    if (Date.now() > deadline) {
      const what = length === 0 ? "that nothing was written to" : "whose writer did not close it";
      throw new FileRefusedError(
        "FILE_TIMEOUT",
        `${bound.what} ${file} is a pipe ${what} within ${timeoutMs / 1000} s; expected its contents, then its end`,
        { hint: "make sure the program that writes it runs, or use a regular file" },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, PIPE_POLL_MS));
  }
}

function tooLarge(file: string, bound: FileBound, size: number | undefined) {
  const got = size === undefined ? `more than ${bound.maxBytes} bytes` : `${size} bytes`;
  return new FileRefusedError("FILE_TOO_LARGE", `${bound.what} ${file} is ${got}; expected at most ${bound.maxBytes}`, {
    hint: `a ${bound.what} is never that large: check that it is the right file`,
  });
}

/** "a named pipe", "a character device (/dev/zero)", "a folder": what the path turned out to be. */
async function kindOf(file: string, stats: Stats): Promise<string> {
  const kind = stats.isFIFO()
    ? "a named pipe"
    : stats.isCharacterDevice()
      ? "a character device"
      : stats.isBlockDevice()
        ? "a block device"
        : stats.isDirectory()
          ? "a folder"
          : stats.isSocket()
            ? "a socket"
            : "not a regular file";
  const target = await realpath(file).catch(() => file);
  return target === file ? kind : `${kind} (${target})`;
}
