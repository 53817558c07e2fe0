import { fork } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { network } from "hardhat";
import { createPublicClient, http } from "viem";
import { describe, expect, it } from "vitest";
import { deployGram, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { NonceFileError } from "../../../wallet/errors.ts";
import { nonceFile, readStoredNonce, withNonce } from "../../../wallet/nonce/withNonce.ts";
import { localAccount } from "../../kit/accounts.ts";
import { failure, tempHome } from "../../kit/wallet-helpers.ts";

const ADDRESS = localAccount(2).address;
const base = (home: string, pending: number) => ({
  home,
  chainId: 31337,
  address: ADDRESS,
  pendingNonce: async () => pending,
});

describe("withNonce", () => {
  it("takes the chain's pending count, records the next nonce, and keeps the sequence across restarts", async () => {
    const home = await tempHome();
    expect((await withNonce(base(home, 4), async (n) => n)).nonce).toBe(4);
    // A restart with an RPC that has not seen the last transaction yet: the file wins.
    expect((await withNonce(base(home, 4), async (n) => n)).nonce).toBe(5);
    expect((await withNonce(base(home, 3), async (n) => n)).nonce).toBe(6);
    // The chain ahead of the file (sent from another machine): the chain wins.
    expect((await withNonce(base(home, 10), async (n) => n)).nonce).toBe(10);
    expect((await readStoredNonce(nonceFile(home, 31337, ADDRESS)))?.next).toBe(11);
  });

  it("records nothing when the send fails, so a refused transaction leaves no gap", async () => {
    const home = await tempHome();
    await expect(withNonce(base(home, 2), async () => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
    expect(await readStoredNonce(nonceFile(home, 31337, ADDRESS))).toBeUndefined();
    expect((await withNonce(base(home, 2), async (n) => n)).nonce).toBe(2);
  });

  it("stops trusting a stored nonce the chain has not caught up with after trustMs (a dropped transaction)", async () => {
    const home = await tempHome();
    await withNonce(base(home, 7), async (n) => n);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await withNonce({ ...base(home, 3), trustMs: 10 }, async (n) => n)).nonce).toBe(3);
  });

  it("concurrent sends in one process get distinct, consecutive nonces", async () => {
    const home = await tempHome();
    let pending = 0;
    const send = async (n: number) => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      pending = n + 1;
      return n;
    };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => withNonce({ ...base(home, 0), pendingNonce: async () => pending }, send)),
    );
    expect(results.map((r) => r.nonce).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("a corrupt nonce file is a clear error", async () => {
    const home = await tempHome();
    const file = nonceFile(home, 31337, ADDRESS);
    await mkdir(join(home, "nonces"), { recursive: true });
    await writeFile(file, "{not json");
    const error = await failure(
      NonceFileError,
      withNonce(base(home, 0), async (n) => n),
    );
    expect(error.shortMessage).toBe(`${file}: expected {"next": <nonce>, "updatedAt": <ms>}`);
  });
});

describe("a damaged nonce file", () => {
  const write = async (home: string, next: number, updatedAt: number) => {
    const file = nonceFile(home, 31337, ADDRESS);
    await mkdir(join(home, "nonces"), { recursive: true });
    await writeFile(file, `${JSON.stringify({ chainId: 31337, address: ADDRESS, next, updatedAt })}\n`);
    return file;
  };

  it("dated in the future is refused, naming the file, and nothing is sent", async () => {
    const home = await tempHome();
    const file = await write(home, 5, Date.UTC(2099, 0, 1));
    let sent = false;
    const error = await failure(
      NonceFileError,
      withNonce(base(home, 3), async (n) => {
        sent = true;
        return n;
      }),
    );
    expect(error.shortMessage).toMatch(
      new RegExp(
        `^${file}: written at 2099-01-01T00:00:00.000Z, which is after now \\(20\\d\\d-.*\\); expected a time in the past$`,
      ),
    );
    expect(error.hint).toBe("remove the file: the wallet then takes the nonce from the chain");
    expect(sent).toBe(false);
    // A time beyond what a date can hold is named in milliseconds.
    await write(home, 5, 1e300);
    expect((await failure(NonceFileError, readStoredNonce(file))).shortMessage).toContain("written at 1e+300 ms");
  });

  it("a few seconds ahead of this clock (a clock corrected meanwhile) is still read", async () => {
    const home = await tempHome();
    await write(home, 5, Date.now() + 30_000);
    expect((await withNonce(base(home, 3), async (n) => n)).nonce).toBe(5);
  });

  it("far ahead of the chain's count is refused, naming the file; 64 ahead is not", async () => {
    const home = await tempHome();
    const file = await write(home, 1_000_000, Date.now());
    const error = await failure(
      NonceFileError,
      withNonce(base(home, 3), async (n) => n),
    );
    expect(error.shortMessage).toBe(
      `${file}: next nonce 1000000 is 999997 ahead of the chain's count 3; expected at most 64 ahead`,
    );
    await write(home, 3 + 64, Date.now());
    expect((await withNonce(base(home, 3), async (n) => n)).nonce).toBe(67);
  });

  it("far ahead but older than trustMs is ignored, as any stale file (a chain reset a while ago)", async () => {
    const home = await tempHome();
    await write(home, 1_000_000, Date.now() - 10 * 60_000);
    expect((await withNonce(base(home, 3), async (n) => n)).nonce).toBe(3);
  });
});

describe("two wallet processes sending at once", () => {
  it("get distinct nonces, and every transfer is mined", async () => {
    const server = await network.createServer("default", "127.0.0.1", 0);
    const { address, port } = await server.listen();
    const url = `http://${address}:${port}`;
    const connection = await network.create({ network: "localhost", override: { url } });
    try {
      const f = await deployGram(connection);
      const to = localAccount(3).address;
      const before = await f.token.read.balanceOf([to]);
      const home = await tempHome();
      const script = new URL("./send-child.ts", import.meta.url).pathname;
      const child = () =>
        new Promise<{ nonce: number; hash: `0x${string}` }[]>((resolve, reject) => {
          const proc = fork(script, [url, home, "2", f.token.address, f.escrow.address, to, "5"], {
            stdio: ["ignore", "pipe", "pipe", "ipc"],
          });
          let out = "";
          let err = "";
          proc.stdout?.on("data", (chunk) => (out += chunk));
          proc.stderr?.on("data", (chunk) => (err += chunk));
          proc.on("exit", (code) =>
            code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}: ${err}`)),
          );
        });
      const [a, b] = await Promise.all([child(), child()]);
      const nonces = [...a, ...b].map((s) => s.nonce).sort((x, y) => x - y);
      expect(new Set(nonces).size).toBe(10);
      const client = createPublicClient({ transport: http(url) });
      for (const { hash } of [...a, ...b]) {
        expect((await client.waitForTransactionReceipt({ hash, pollingInterval: 10 })).status).toBe("success");
      }
      expect(await f.token.read.balanceOf([to])).toBe(before + gram("10"));
      expect((await readStoredNonce(nonceFile(home, f.chainId, localAccount(2).address)))?.next).toBe(
        (nonces.at(-1) ?? 0) + 1,
      );
    } finally {
      await connection.close();
      await server.close();
    }
  });
});
