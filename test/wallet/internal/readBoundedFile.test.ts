// The one reader of every file the wallet reads, against real special files: a named pipe (mkfifo) with
// and without a writer, a symlink to /dev/zero, a folder, an oversized file.
import { execFile, spawn } from "node:child_process";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { FileRefusedError } from "../../../wallet/errors.ts";
import { FILE_BOUNDS, readBoundedFile } from "../../../wallet/internal/readBoundedFile.ts";
import { readFileIfExists } from "../../../wallet/internal/readFileIfExists.ts";
import { failure, tempHome } from "../../kit/wallet-helpers.ts";

const run = promisify(execFile);

async function folder() {
  const dir = await tempHome();
  await mkdir(dir, { recursive: true });
  return dir;
}

async function fifo(dir: string, name: string) {
  const file = join(dir, name);
  await run("mkfifo", [file]);
  return file;
}

describe("readBoundedFile", () => {
  it("reads a regular file, and readFileIfExists answers undefined for a missing one", async () => {
    const dir = await folder();
    await writeFile(join(dir, "contacts.json"), '{"bob":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8"}\n');
    expect(await readBoundedFile(join(dir, "contacts.json"), FILE_BOUNDS.contacts)).toContain('"bob"');
    expect(await readFileIfExists(join(dir, "nothing.json"), FILE_BOUNDS.contacts)).toBeUndefined();
  });

  it("refuses a named pipe as a keystore at once, without waiting for a writer", async () => {
    const dir = await folder();
    const file = await fifo(dir, "0xabc.json");
    const error = await failure(FileRefusedError, readBoundedFile(file, FILE_BOUNDS.keystore));
    expect(error.code).toBe("FILE_NOT_REGULAR");
    expect(error.shortMessage).toBe(`keystore ${file} is a named pipe; expected a regular file`);
  });

  it("refuses a symlink to /dev/zero, naming what it points at, before reading a byte", async () => {
    const dir = await folder();
    const file = join(dir, "contacts.json");
    await symlink("/dev/zero", file);
    const error = await failure(FileRefusedError, readFileIfExists(file, FILE_BOUNDS.contacts));
    expect(error.code).toBe("FILE_NOT_REGULAR");
    expect(error.shortMessage).toBe(`contacts file ${file} is a character device (/dev/zero); expected a regular file`);
  });

  it("refuses a folder where a file should be", async () => {
    const dir = await folder();
    const file = join(dir, "nonce.json");
    await mkdir(file);
    const error = await failure(FileRefusedError, readFileIfExists(file, FILE_BOUNDS.nonce));
    expect(error.shortMessage).toBe(`nonce file ${file} is a folder; expected a regular file`);
  });

  it("refuses a file larger than its kind can be, by its size, and accepts one at the limit", async () => {
    const dir = await folder();
    const file = join(dir, "key.json");
    await writeFile(file, "x".repeat(FILE_BOUNDS.keystore.maxBytes + 1));
    const error = await failure(FileRefusedError, readBoundedFile(file, FILE_BOUNDS.keystore));
    expect(error.code).toBe("FILE_TOO_LARGE");
    expect(error.shortMessage).toBe(`keystore ${file} is 65537 bytes; expected at most 65536`);
    await writeFile(file, "x".repeat(FILE_BOUNDS.keystore.maxBytes));
    expect((await readBoundedFile(file, FILE_BOUNDS.keystore)).length).toBe(FILE_BOUNDS.keystore.maxBytes);
  });

  it("reads a password from a named pipe that another process writes to, and closes", async () => {
    const dir = await folder();
    const file = await fifo(dir, "password");
    // The writer opens the pipe after the reader has started polling it (the order of `--password-file <(…)`).
    const writer = spawn("sh", ["-c", `sleep 0.3; printf 'a password\\n' > '${file}'`]);
    const closed = new Promise((resolve) => writer.on("close", resolve));
    try {
      expect(await readBoundedFile(file, FILE_BOUNDS.password)).toBe("a password\n");
      expect(await closed).toBe(0);
    } finally {
      writer.kill();
    }
    // A writer that pauses between two writes: the pause is not the end.
    const slow = spawn("sh", ["-c", `{ printf 'a '; sleep 0.3; printf 'password'; } > '${file}'`]);
    try {
      expect(await readBoundedFile(file, FILE_BOUNDS.password)).toBe("a password");
    } finally {
      slow.kill();
    }
  });

  it("gives up on a pipe nobody writes to after its time bound, and on one that sends too much", async () => {
    const dir = await folder();
    const silent = await fifo(dir, "silent");
    const error = await failure(FileRefusedError, readBoundedFile(silent, { ...FILE_BOUNDS.password, timeoutMs: 300 }));
    expect(error.code).toBe("FILE_TIMEOUT");
    expect(error.shortMessage).toBe(
      `--password-file ${silent} is a pipe that nothing was written to within 0.3 s; expected its contents, then its end`,
    );

    const flood = await fifo(dir, "flood");
    const writer = spawn("sh", ["-c", `exec cat /dev/zero > '${flood}'`]);
    try {
      const large = await failure(FileRefusedError, readBoundedFile(flood, FILE_BOUNDS.password));
      expect(large.shortMessage).toBe(`--password-file ${flood} is more than 4096 bytes; expected at most 4096`);
    } finally {
      writer.kill();
    }
  });

  it("refuses a pipe where only a regular file makes sense, even with a writer", async () => {
    const dir = await folder();
    const file = await fifo(dir, "contacts.json");
    const error = await failure(FileRefusedError, readFileIfExists(file, FILE_BOUNDS.contacts));
    expect(error.shortMessage).toBe(`contacts file ${file} is a named pipe; expected a regular file`);
  });
});
