import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { artifacts, network } from "hardhat";
import { createPublicClient, getAddress, http, keccak256, stringToHex } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { gramTokenAbi, merchantEscrowAbi } from "../../protocol/abis.ts";
import { loadDeployment, parseDeployment } from "../../protocol/deployments.ts";
import { DeployConfigError } from "../../scripts/lib/deploy-config.ts";
import { deployContracts } from "../../scripts/lib/deploy-contracts.ts";

const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();
const wallets = await viem.getWalletClients();
const deployer = getAddress(wallets[0]?.account.address ?? "0x");
const chainId = await publicClient.getChainId();

const dirs: string[] = [];
afterAll(async () => {
  await connection.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), "gram-deploy-"));
  dirs.push(dir);
  return dir;
}

/** What the chain has seen: a run that sends nothing leaves both unchanged (the chain automines). */
const chainState = async () => ({
  block: await publicClient.getBlockNumber(),
  nonce: await publicClient.getTransactionCount({ address: deployer }),
});

const deploy = (dir: string, env: Record<string, string> = {}) => deployContracts({ viem, artifacts, dir, env });

describe("deployContracts", () => {
  it("deploys both contracts and records them in <dir>/<chainId>.json", async () => {
    const dir = await tempDir();
    const { status, file, deployment } = await deploy(dir);
    expect(status).toBe("deployed");
    expect(file).toBe(join(dir, `${chainId}.json`));
    expect(await readdir(dir)).toEqual([`${chainId}.json`]); // no temporary file left behind
    expect(parseDeployment(JSON.parse(await readFile(file, "utf8")))).toEqual(deployment);
    expect(await loadDeployment(chainId, dir)).toEqual(deployment);
    expect(deployment.chainId).toBe(chainId);
    expect(deployment.abiHash).toBe(
      keccak256(stringToHex(JSON.stringify({ GramToken: gramTokenAbi, MerchantEscrow: merchantEscrowAbi }))),
    );
    const { GramToken, MerchantEscrow } = deployment.contracts;
    expect(deployment.deployBlock).toBe(Math.min(GramToken.blockNumber, MerchantEscrow.blockNumber));
    for (const { address, blockNumber } of [GramToken, MerchantEscrow]) {
      expect((await publicClient.getCode({ address }))?.length).toBeGreaterThan(1000);
      const block = await publicClient.getBlock({ blockNumber: BigInt(blockNumber), includeTransactions: true });
      expect(block.transactions.some((tx) => tx.to === null && tx.from === deployer.toLowerCase())).toBe(true);
    }
    const token = await viem.getContractAt("GramToken", GramToken.address);
    expect(await token.read.symbol()).toBe("GRAM");
    expect(await token.read.hasRole([await token.read.DEFAULT_ADMIN_ROLE(), deployer])).toBe(true);
    const escrow = await viem.getContractAt("MerchantEscrow", MerchantEscrow.address);
    expect([await escrow.read.owner(), await escrow.read.treasury(), await escrow.read.arbiter()]).toEqual([
      deployer,
      deployer,
      deployer,
    ]);
    expect(await escrow.read.withdrawFeeBps()).toBe(50n);
  });

  it("takes the treasury, arbiter and fee from the environment", async () => {
    const treasury = getAddress(wallets[4]?.account.address ?? "0x");
    const arbiter = getAddress(wallets[5]?.account.address ?? "0x");
    const { deployment } = await deploy(await tempDir(), {
      GRAM_TREASURY: treasury.toLowerCase(),
      GRAM_ARBITER: arbiter,
      GRAM_WITHDRAW_FEE_BPS: "0",
    });
    const escrow = await viem.getContractAt("MerchantEscrow", deployment.contracts.MerchantEscrow.address);
    expect(await escrow.read.treasury()).toBe(treasury);
    expect(await escrow.read.arbiter()).toBe(arbiter);
    expect(await escrow.read.withdrawFeeBps()).toBe(0n);
  });

  it("a second run reuses the deployment, sends nothing and leaves the file as it was", async () => {
    const dir = await tempDir();
    const first = await deploy(dir);
    const text = await readFile(first.file, "utf8");
    const before = await chainState();
    const second = await deploy(dir);
    expect(second.status).toBe("reused");
    expect(second.deployment).toEqual(first.deployment);
    expect(await chainState()).toEqual(before);
    expect(await readFile(first.file, "utf8")).toBe(text);
  });

  it("a stale file whose addresses have no code (a restarted chain) is replaced", async () => {
    const dir = await tempDir();
    const { deployment: live } = await deploy(await tempDir());
    const stale = {
      ...live,
      contracts: {
        GramToken: { address: "0x00000000000000000000000000000000000000aa", blockNumber: 1 },
        MerchantEscrow: { address: "0x00000000000000000000000000000000000000bb", blockNumber: 1 },
      },
    };
    await writeFile(join(dir, `${chainId}.json`), JSON.stringify(stale));
    const before = await chainState();
    const { status, deployment } = await deploy(dir);
    expect(status).toBe("deployed");
    expect((await chainState()).nonce).toBe(before.nonce + 2);
    expect(await loadDeployment(chainId, dir)).toEqual(deployment);
    expect(deployment.contracts.GramToken.address).not.toBe(stale.contracts.GramToken.address);
    expect(await publicClient.getCode({ address: deployment.contracts.MerchantEscrow.address })).toMatch(/^0x.{1000}/);
  });

  it("a file whose addresses hold other code (the contracts swapped) is replaced", async () => {
    const dir = await tempDir();
    const { deployment: live, file } = await deploy(dir);
    const swapped = {
      ...live,
      contracts: { GramToken: live.contracts.MerchantEscrow, MerchantEscrow: live.contracts.GramToken },
    };
    await writeFile(file, JSON.stringify(swapped));
    const { status, deployment } = await deploy(dir);
    expect(status).toBe("deployed");
    expect(deployment.contracts.GramToken.address).not.toBe(live.contracts.GramToken.address);
    expect(deployment.contracts.GramToken.address).not.toBe(live.contracts.MerchantEscrow.address);
    expect(await loadDeployment(chainId, dir)).toEqual(deployment);
  });

  it("a file recorded with other ABIs is replaced", async () => {
    const dir = await tempDir();
    const { deployment: live, file } = await deploy(dir);
    await writeFile(file, JSON.stringify({ ...live, abiHash: `0x${"00".repeat(32)}` }));
    const { status, deployment } = await deploy(dir);
    expect(status).toBe("deployed");
    expect(deployment.abiHash).toBe(live.abiHash);
    expect(deployment.contracts.MerchantEscrow.address).not.toBe(live.contracts.MerchantEscrow.address);
  });

  it("a bad GRAM_WITHDRAW_FEE_BPS fails with a clear message before anything is sent or written", async () => {
    const dir = await tempDir();
    const before = await chainState();
    for (const [value, shown] of [
      ["x", "x"],
      ["101", "101"],
      ["-1", "-1"],
      ["1.5", "1.5"],
    ]) {
      const attempt = deploy(dir, { GRAM_WITHDRAW_FEE_BPS: value as string });
      await expect(attempt).rejects.toThrow(DeployConfigError);
      await expect(attempt).rejects.toThrow(
        new DeployConfigError(`GRAM_WITHDRAW_FEE_BPS: got '${shown}', expected an integer 0..100`),
      );
    }
    expect(await readdir(dir)).toEqual([]);
    expect(await chainState()).toEqual(before);
  });

  it("bad addresses are all reported at once", async () => {
    await expect(deploy(await tempDir(), { GRAM_TREASURY: "alice", GRAM_ARBITER: "0x12" })).rejects.toThrow(
      new DeployConfigError(
        "GRAM_TREASURY: got 'alice', expected a 0x-prefixed 20-byte address (checksummed if mixed-case)\n" +
          "GRAM_ARBITER: got '0x12', expected a 0x-prefixed 20-byte address (checksummed if mixed-case)",
      ),
    );
  });
});

// The first default Hardhat account: the served chain funds it, so the script can deploy from it.
const HARDHAT_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const HARDHAT_CLI = resolve("node_modules/hardhat/dist/src/cli.js");

/** Runs `hardhat run --no-compile --network custom scripts/deploy.ts`; killed if it outlives `timeout`. */
function runDeployScript(env: Record<string, string>, timeout = 45_000) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("GRAM_")));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    execFile(
      process.execPath,
      [HARDHAT_CLI, "run", "--no-compile", "--network", "custom", "scripts/deploy.ts"],
      { env: { ...inherited, ...env }, timeout, killSignal: "SIGKILL" },
      (error, stdout, stderr) => {
        if (error?.killed) fail(new Error(`scripts/deploy.ts did not finish within ${timeout} ms\n${stdout}${stderr}`));
        else done({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("scripts/deploy.ts", () => {
  it("deploys to a chain served on loopback, then reports it as already deployed", async () => {
    const server = await network.createServer("default", "127.0.0.1", 0);
    const { address, port } = await server.listen();
    try {
      const url = `http://${address}:${port}`;
      const served = createPublicClient({ transport: http(url) });
      const dir = await tempDir();
      const env = { GRAM_RPC_URL: url, GRAM_DEPLOYER_KEY: HARDHAT_KEY_0, GRAM_DEPLOYMENTS_DIR: dir };

      const first = await runDeployScript(env);
      expect(first.stderr).not.toMatch(/error/i);
      expect(first.code).toBe(0);
      const servedChainId = await served.getChainId();
      const file = join(dir, `${servedChainId}.json`);
      const deployment = await loadDeployment(servedChainId, dir);
      const { GramToken, MerchantEscrow } = deployment.contracts;
      expect(first.stdout).toContain("deployed on chain");
      expect(first.stdout).toContain(GramToken.address);
      expect(first.stdout).toContain(MerchantEscrow.address);
      expect(first.stdout).toContain(file);
      expect((await served.getCode({ address: GramToken.address }))?.length).toBeGreaterThan(1000);
      expect((await served.getCode({ address: MerchantEscrow.address }))?.length).toBeGreaterThan(1000);

      const text = await readFile(file, "utf8");
      const block = await served.getBlockNumber();
      const second = await runDeployScript(env);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain("already deployed");
      expect(second.stdout).toContain(GramToken.address);
      expect(await served.getBlockNumber()).toBe(block);
      expect(await readFile(file, "utf8")).toBe(text);

      const bad = await runDeployScript({ ...env, GRAM_WITHDRAW_FEE_BPS: "lots" });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("deploy: GRAM_WITHDRAW_FEE_BPS: got 'lots', expected an integer 0..100");
      expect(bad.stderr).not.toContain("    at "); // a message, not a stack trace
      expect(await served.getBlockNumber()).toBe(block);
    } finally {
      await server.close();
    }
  }, 150_000); // three Hardhat start-ups, each allowed 45 s on a loaded machine
});
