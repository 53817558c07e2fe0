// The `gram` CLI as a user runs it: a child process (node + the TypeScript entry, or the compiled one
// with GRAM_CLI=dist) against Hardhat's chain served on a loopback port, with GramToken and
// MerchantEscrow deployed into a temporary deployments folder, and a temporary $GRAM_HOME per user.
import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { artifacts, network } from "hardhat";
import { type Address, createPublicClient, getAddress, http, parseUnits, toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { gramTokenAbi } from "../../../protocol/abis.ts";
import { deployContracts } from "../../../scripts/lib/deploy-contracts.ts";
import { killAll, type NodeProcess, spawnNode, waitIndexed } from "../../node/binary/node-process.ts";
import { localAccount } from "../actions/accounts.ts";

const ROOT = resolve(import.meta.dirname, "../../..");
const ENTRY =
  process.env.GRAM_CLI === "dist" ? join(ROOT, "dist/wallet/cli/main.js") : join(ROOT, "wallet/cli/main.ts");

/** Hardhat's default accounts used as the CLI's users (published test keys). */
export const USERS = { merchant: 1, payer: 2, other: 3, treasury: 4, arbiter: 5 } as const;
export const PASSWORD = "correct horse battery staple 7";

export interface Run {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** Every run of the file, for the check that no key material was ever printed. */
export const runs: Run[] = [];

export async function startCliChain() {
  const server = await network.createServer("default", "127.0.0.1", 0);
  const { address, port } = await server.listen();
  const url = `http://${address}:${port}`;
  const connection = await network.create({ network: "localhost", override: { url } });
  const temp = await mkdtemp(join(tmpdir(), "gram-cli-"));
  const deployments = join(temp, "deployments");
  const { deployment } = await deployContracts({
    viem: connection.viem,
    artifacts,
    dir: deployments,
    env: { GRAM_ARBITER: localAccount(USERS.arbiter).address, GRAM_TREASURY: localAccount(USERS.treasury).address },
  });
  const token = deployment.contracts.GramToken.address;
  const escrow = deployment.contracts.MerchantEscrow.address;
  const publicClient = createPublicClient({ transport: http(url) });
  const [deployer] = await connection.viem.getWalletClients();
  if (!deployer) throw new Error("no deployer");
  for (const user of [USERS.payer, USERS.merchant, USERS.other]) {
    const hash = await deployer.writeContract({
      address: token,
      abi: gramTokenAbi,
      functionName: "mint",
      args: [localAccount(user).address, parseUnits("1000", 9)],
    });
    await publicClient.waitForTransactionReceipt({ hash });
  }
  const passwordFile = join(temp, "password.txt");
  await writeFile(passwordFile, `${PASSWORD}\n`);
  let homes = 0;

  /** A fresh $GRAM_HOME with Hardhat account `user` imported from its private key. */
  async function homeWith(user: number): Promise<string> {
    const home = join(temp, `home-${homes++}`);
    const keyFile = join(temp, `key-${user}-${homes}.txt`);
    await writeFile(keyFile, `${keyOf(user)}\n`);
    const imported = await gram(["import", "--private-key-file", keyFile, "--password-file", passwordFile], { home });
    if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
    await rm(keyFile);
    return home;
  }

  /** Runs `gram args…` with $GRAM_HOME = home, this chain and deployments, and no password in the environment. */
  function gram(args: string[], { home, env = {} }: { home?: string | undefined; env?: Record<string, string> } = {}) {
    return new Promise<Run>((done) => {
      execFile(
        process.execPath,
        [ENTRY, ...args],
        {
          cwd: temp,
          env: {
            PATH: process.env.PATH,
            GRAM_RPC: url,
            GRAM_DEPLOYMENTS_DIR: deployments,
            GRAM_SCRYPT_N: "1024",
            ...(home ? { GRAM_HOME: home } : {}),
            ...env,
          },
          timeout: 60_000,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
          const run = { args, code, stdout, stderr };
          runs.push(run);
          done(run);
        },
      );
    });
  }

  const balanceOf = (who: Address) =>
    publicClient.readContract({ address: token, abi: gramTokenAbi, functionName: "balanceOf", args: [who] });

  return {
    url,
    temp,
    deployments,
    chainId: deployment.chainId,
    token: getAddress(token),
    escrow: getAddress(escrow),
    publicClient,
    passwordFile,
    gram,
    homeWith,
    balanceOf,
    rpc: (method: string, params: unknown[] = []) =>
      publicClient.request({ method: method as never, params: params as never }),
    close: async () => {
      await connection.close();
      await server.close();
      await rm(temp, { recursive: true, force: true });
    },
  };
}

export type CliChain = Awaited<ReturnType<typeof startCliChain>>;

/** Hardhat account 6 (funded, used by nobody else) is the relayer of the node `startRelayingNode` runs. */
export const RELAYER = mnemonicToAccount("test test test test test test test test test test test junk", {
  addressIndex: 6,
});
/** RELAYER's private key, as hex. */
export const RELAYER_KEY = toHex(RELAYER.getHdKey().privateKey as Uint8Array);

/**
 * A real `gram-node` child process on `chain` (data in the chain's temp folder, finality 5), relaying
 * with RELAYER's key from a 0600 key file. Resolves once it serves.
 */
export async function startRelayingNode(chain: CliChain) {
  const keyFile = join(chain.temp, "relayer.key");
  await writeFile(keyFile, `${RELAYER_KEY}\n`);
  await chmod(keyFile, 0o600);
  // biome-ignore format: one flag and its value a line.
  const node: NodeProcess = spawnNode([
    "--rpc", chain.url,
    "--data-dir", join(chain.temp, "node-data"),
    "--deployments", chain.deployments,
    "--port", "0",
    "--finality", "5",
    "--poll-interval-ms", "10",
    "--relayer-key-file", keyFile,
  ]);
  const url = await node.ready;
  return {
    node,
    url,
    /** Waits until the node has indexed the chain's head block. */
    synced: () => waitIndexed(chain.publicClient, url),
    /** SIGTERMs the node (if it still runs) and waits for its exit, then kills any child left. */
    async stop() {
      if (node.child.exitCode === null) {
        node.child.kill("SIGTERM");
        await node.exited;
      }
      killAll();
    },
  };
}

/** The private key of Hardhat account `user`, as hex. */
export function keyOf(user: number): `0x${string}` {
  return TEST_KEYS[user] as `0x${string}`;
}

// Hardhat's published default keys for accounts 0-5 (from "test test … junk").
const TEST_KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
];

/** The JSON object a --json run printed. */
export function jsonOf(run: Run): Record<string, unknown> & { ok: boolean } {
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
}

/**
 * No private key (hex, with or without 0x), recovery phrase or password in any output, except the runs
 * that were asked to print them (`export --reveal`, `init --show-mnemonic`).
 */
export function keyMaterialLeaks(secrets: string[]): string[] {
  const leaks: string[] = [];
  for (const run of runs) {
    if (run.args.includes("--reveal") || run.args.includes("--show-mnemonic")) continue;
    const all = `${run.stdout}\n${run.stderr}`.toLowerCase();
    for (const secret of secrets) {
      if (all.includes(secret.toLowerCase())) leaks.push(`${run.args.join(" ")}: ${secret.slice(0, 6)}…`);
    }
    if (/\b(test ){11}junk\b/.test(all)) leaks.push(`${run.args.join(" ")}: mnemonic`);
  }
  return leaks;
}

/** The secrets the tests hand to the CLI. */
export const SECRETS = [PASSWORD, ...TEST_KEYS.map((key) => key.slice(2))];
