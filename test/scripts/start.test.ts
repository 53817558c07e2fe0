// `npm start` as a user runs it: a child process serving the chain on loopback, then Ctrl-C.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, http, parseUnits } from "viem";
import { afterEach, describe, expect, it } from "vitest";
import { gramTokenAbi } from "../../protocol/abis.ts";
import { parseDeployment } from "../../protocol/deployments.ts";

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

function start(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ["scripts/start.ts", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start did not get ready:\n${output}`)), 60_000);
    child.stdout?.on("data", () => {
      const match = /gram: ready (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`start exited early:\n${output}`));
    });
  });
  // A run that is expected to fail is never awaited for readiness.
  ready.catch(() => {});
  return { child, ready, exited, output: () => output };
}

describe("npm start", () => {
  it("serves a chain with the contracts, the demo accounts funded and in a wallet, and the node; stops cleanly on SIGINT", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gram-start-"));
    try {
      const demo = join(dir, "demo");
      const run = start(["--port", "0", "--node-port", "0"], { GRAM_DEPLOYMENTS_DIR: dir, GRAM_DEMO_DIR: demo });
      const url = await run.ready;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = createPublicClient({ transport: http(url) });
      expect(await client.getChainId()).toBe(31337);
      const deployment = parseDeployment(JSON.parse(await readFile(join(dir, "31337.json"), "utf8")));
      const token = deployment.contracts.GramToken.address;
      expect(await client.readContract({ address: token, abi: gramTokenAbi, functionName: "symbol" })).toBe("GRAM");
      const alice = /alice\s+(0x[0-9a-fA-F]{40})/.exec(run.output())?.[1] as `0x${string}`;
      expect(
        await client.readContract({ address: token, abi: gramTokenAbi, functionName: "balanceOf", args: [alice] }),
      ).toBe(parseUnits("1000", 9));
      expect(await client.getCode({ address: deployment.contracts.MerchantEscrow.address })).toMatch(
        /^0x[0-9a-f]{100,}/,
      );

      // The node serves the chain's balances, and the printed environment drives the wallet CLI.
      const nodeUrl = /node \(API\)\s+(http:\/\/\S+)/.exec(run.output())?.[1] as string;
      const account = (await (await fetch(`${nodeUrl}/v1/accounts/${alice}`)).json()) as {
        balances: { balance: string }[];
      };
      expect(account.balances[0]?.balance).toBe(parseUnits("1000", 9).toString());
      const exported = /export (.+)/.exec(run.output())?.[1] as string;
      const env = Object.fromEntries(exported.split(" ").map((pair) => pair.split("=") as [string, string]));
      expect(env).toMatchObject({ GRAM_HOME: join(demo, "gram"), GRAM_NODE: nodeUrl, GRAM_RPC: url });
      const gram = spawnSync(process.execPath, ["bin/gram", "balance", "--account", "bob", "--json"], {
        env: { ...process.env, ...env },
        encoding: "utf8",
      });
      expect(gram.status, gram.stderr).toBe(0);
      expect(JSON.parse(gram.stdout)).toMatchObject({ balances: [{ formatted: "1000", symbol: "GRAM" }] });

      run.child.kill("SIGINT");
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain("stopping the node");
      await expect(client.getChainId()).rejects.toThrow();
      await expect(fetch(`${nodeUrl}/healthz`)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("refuses a port that is not a number and a host that is not loopback, with the expected form", async () => {
    const badPort = start(["--port", "eighty"]);
    expect(await badPort.exited).toBe(1);
    expect(badPort.output()).toContain("--port: got 'eighty', expected an integer 0..65535");
    const badHost = start(["--host", "0.0.0.0"]);
    expect(await badHost.exited).toBe(1);
    expect(badHost.output()).toContain("--host: got '0.0.0.0', expected a loopback address");
  }, 60_000);
});
