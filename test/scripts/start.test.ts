// `npm start` as a user runs it: a child process serving the chain on loopback, then Ctrl-C.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
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

/** `detached`: in a process group of its own, as a terminal runs it, so that the group can be signalled. */
function start(args: string[], env: NodeJS.ProcessEnv = {}, { detached = false } = {}) {
  const child = spawn(process.execPath, ["scripts/start.ts", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached,
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
      // The web app's URL comes first among the endpoints, and the node serves the built app there.
      const endpoints = run.output().match(/^ {2}\S.*\s(http:\/\/\S+)/gm) ?? [];
      expect(endpoints[0]).toBe(`  web app         ${nodeUrl}/`);
      const app = await fetch(`${nodeUrl}/`);
      expect(app.headers.get("cache-control")).toBe("no-cache");
      expect(await app.text()).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
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

  it("--rpc: uses a running chain, reuses its deployment and resumes the node's index and chat after a restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gram-start-rpc-"));
    const { network } = await import("hardhat");
    const server = await network.createServer("default", "127.0.0.1", 0);
    const { address, port } = await server.listen();
    const rpc = `http://${address}:${port}`;
    const env = { GRAM_DEPLOYMENTS_DIR: dir, GRAM_DEMO_DIR: join(dir, "demo") };
    // Not spawnSync: the chain is served by this process, and must answer while the command runs.
    const gram = (args: string[], output: string) => {
      const exported = /export (.+)/.exec(output)?.[1] as string;
      const vars = Object.fromEntries(exported.split(" ").map((pair) => pair.split("=") as [string, string]));
      const child = spawn(process.execPath, ["bin/gram", ...args], { env: { ...process.env, ...vars } });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      return new Promise<{ status: number | null; stderr: string }>((resolve) =>
        child.on("exit", (status) => resolve({ status, stderr })),
      );
    };
    try {
      const first = start(["--rpc", rpc, "--node-port", "0"], env);
      expect(await first.ready).toBe(rpc);
      expect(first.output()).toMatch(/chain id 31337, --rpc/);
      expect(first.output()).toMatch(/deployment .*\(deployed\)/);
      expect(first.output()).toMatch(/node data .*\(new index\)/);
      const registered = await gram(["chat", "register", "alice_rpc", "--account", "alice"], first.output());
      expect(registered.status, registered.stderr).toBe(0);
      first.child.kill("SIGINT");
      expect(await first.exited).toBe(0);
      // The chain was not the script's to stop.
      expect(first.output()).not.toContain("stopping the chain");

      const second = start(["--rpc", rpc, "--node-port", "0"], env);
      await second.ready;
      expect(second.output()).toMatch(/deployment .*\(reused\)/);
      // The node's own word: its index resumed from its LevelDB, past the blocks of the first run.
      const resumedAt = Number(/node data .*\(resumed at block (\d+)\)/.exec(second.output())?.[1]);
      expect(resumedAt).toBeGreaterThan(2);
      // The hub's LevelDB survived: the name registered before the restart is still alice's.
      const again = await gram(["chat", "register", "alice_rpc", "--account", "bob"], second.output());
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('username: "alice_rpc" belongs to another address; choose another');
      second.child.kill("SIGINT");
      expect(await second.exited).toBe(0);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it("--rpc: refuses what is not an http(s) URL and says when the chain cannot be reached", async () => {
    const notUrl = start(["--rpc", "localhost:8545"]);
    expect(await notUrl.exited).toBe(1);
    expect(notUrl.output()).toContain("--rpc: got 'localhost:8545', expected the http(s) URL of a running chain");
    // A port that was free a moment ago: nothing answers there.
    const closed = createServer().listen(0, "127.0.0.1");
    await once(closed, "listening");
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const down = start(["--rpc", `http://127.0.0.1:${port}`]);
    expect(await down.exited).toBe(1);
    expect(down.output()).toContain(
      `--rpc: cannot reach http://127.0.0.1:${port} (ECONNREFUSED); is the chain running?`,
    );
  }, 60_000);

  it("Ctrl-C in a terminal stops the node once, cleanly; a killed npm start leaves no node behind", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gram-start-signals-"));
    const nodeUrlOf = (output: string) => {
      const url = /node \(API\)\s+(http:\/\/\S+)/.exec(output)?.[1];
      expect(url, output).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      return url as string;
    };
    const gone = async (url: string) => {
      for (let i = 0; i < 100; i++) {
        if (
          !(await fetch(`${url}/healthz`).then(
            () => true,
            () => false,
          ))
        )
          return true;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return false;
    };
    try {
      // A terminal's Ctrl-C signals the whole foreground process group.
      const run = start(
        ["--port", "0", "--node-port", "0"],
        { GRAM_DEPLOYMENTS_DIR: join(dir, "a"), GRAM_DEMO_DIR: join(dir, "a") },
        { detached: true },
      );
      await run.ready;
      const nodeUrl = nodeUrlOf(run.output());
      process.kill(-(run.child.pid as number), "SIGINT");
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain("stopping the node");
      expect(run.output()).not.toContain("second signal");
      expect(await gone(nodeUrl)).toBe(true);

      const killed = start(["--port", "0", "--node-port", "0"], {
        GRAM_DEPLOYMENTS_DIR: join(dir, "b"),
        GRAM_DEMO_DIR: join(dir, "b"),
      });
      await killed.ready;
      const orphanUrl = nodeUrlOf(killed.output());
      expect((await fetch(`${orphanUrl}/healthz`)).status).toBe(200);
      killed.child.kill("SIGKILL");
      expect(await gone(orphanUrl)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("GRAM_PARENT_PID: npm start run by a supervisor stops, node and chain, when the supervisor is SIGKILLed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gram-start-parent-"));
    // The supervisor is a small process of its own, so that it can be killed: it runs npm start with its
    // pid in GRAM_PARENT_PID, as `npm run demo` does, and passes its output on.
    const supervisor = spawn(
      process.execPath,
      [
        "-e",
        `const { spawn } = require("node:child_process");
         const child = spawn(process.execPath, ["scripts/start.ts", "--port", "0", "--node-port", "0"], {
           env: { ...process.env, GRAM_PARENT_PID: String(process.pid) }, stdio: "inherit", detached: true });
         setInterval(() => {}, 1000);`,
      ],
      {
        env: { ...process.env, GRAM_DEPLOYMENTS_DIR: dir, GRAM_DEMO_DIR: join(dir, "demo") },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    children.push(supervisor);
    let output = "";
    supervisor.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      const until = Date.now() + 60_000;
      while (!/gram: ready (\S+)/.test(output) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      const rpc = /gram: ready (\S+)/.exec(output)?.[1];
      const nodeUrl = /node \(API\)\s+(http:\/\/\S+)/.exec(output)?.[1];
      expect(rpc, output).toBeDefined();
      expect(nodeUrl, output).toBeDefined();
      supervisor.kill("SIGKILL");
      const answers = (url: string) =>
        fetch(`${url}/healthz`).then(
          () => true,
          () => false,
        );
      let stillUp = true;
      for (let i = 0; i < 100 && stillUp; i++) {
        await new Promise((r) => setTimeout(r, 100));
        stillUp = (await answers(nodeUrl as string)) || (await answers(rpc as string));
      }
      expect(stillUp, "the node or the chain outlived its supervisor").toBe(false);
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
