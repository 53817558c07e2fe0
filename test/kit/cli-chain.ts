// The `gram` CLI as a user runs it: a child process (scripts/lib/run-gram.ts: the TypeScript entry, or the
// compiled one with GRAM_CLI=dist) against the deployed chain of ./deployed-chain.ts, with the payer, the
// merchant and `other` holding 1,000 GRAM each, a temporary $GRAM_HOME per user, and the password in a
// file; and `gram-node` relaying with the relayer's key, for the CLI's node tests.
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Address, parseUnits } from "viem";
import { gramTokenAbi } from "../../protocol/abis.ts";
import { type Run, runGram } from "../../scripts/lib/run-gram.ts";
import { killAll, startGramNode } from "../../scripts/lib/spawn-gram-node.ts";
import { waitIndexed } from "../../scripts/lib/wait-indexed.ts";
import { localAccount, privateKeyOf, ROLE } from "./accounts.ts";
import { FAST_SCRYPT_N, PASSWORD } from "./constants.ts";
import { startDeployedChain } from "./deployed-chain.ts";

export type { Run };

/** Every run of the file, for the check that no key material was ever printed. */
export const runs: Run[] = [];

export interface GramOptions {
  home?: string | undefined;
  env?: Record<string, string>;
  /** Piped to its stdin (the interactive mode). */
  input?: string;
  timeoutMs?: number;
}

export async function startCliChain() {
  const chain = await startDeployedChain();
  const { client, token, temp } = chain;
  try {
    const [deployer] = await chain.connection.viem.getWalletClients();
    if (!deployer) throw new Error("no deployer");
    for (const user of [ROLE.payer, ROLE.merchant, ROLE.other]) {
      const hash = await deployer.writeContract({
        address: token,
        abi: gramTokenAbi,
        functionName: "mint",
        args: [localAccount(user).address, parseUnits("1000", 9)],
      });
      await client.waitForTransactionReceipt({ hash });
    }
  } catch (error) {
    await chain.close();
    throw error;
  }
  const passwordFile = join(temp, "password.txt");
  await writeFile(passwordFile, `${PASSWORD}\n`);
  let homes = 0;

  /** A fresh $GRAM_HOME with Hardhat account `user` imported from its private key. */
  async function homeWith(user: number): Promise<string> {
    const home = join(temp, `home-${homes++}`);
    const keyFile = join(temp, `key-${user}-${homes}.txt`);
    await writeFile(keyFile, `${privateKeyOf(user)}\n`);
    const imported = await gram(["import", "--private-key-file", keyFile, "--password-file", passwordFile], { home });
    if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
    await rm(keyFile);
    return home;
  }

  /** Runs `gram args…` with $GRAM_HOME = home, this chain and deployments, and no password in the environment. */
  async function gram(args: string[], { home, env = {}, input, timeoutMs }: GramOptions = {}) {
    const run = await runGram(args, {
      cwd: temp,
      env: {
        GRAM_RPC: chain.url,
        GRAM_DEPLOYMENTS_DIR: chain.deployments,
        GRAM_SCRYPT_N: String(FAST_SCRYPT_N),
        ...(home ? { GRAM_HOME: home } : {}),
        ...env,
      },
      ...(input === undefined ? {} : { input }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    runs.push(run);
    return run;
  }

  const balanceOf = (who: Address) =>
    client.readContract({ address: token, abi: gramTokenAbi, functionName: "balanceOf", args: [who] });

  return { ...chain, passwordFile, gram, homeWith, balanceOf };
}

export type CliChain = Awaited<ReturnType<typeof startCliChain>>;

/**
 * A real `gram-node` child process on `chain` (data in the chain's temp folder, finality 5), relaying with
 * the relayer's key (Hardhat account 6: funded, used by nobody else) from a 0600 key file. Resolves once it
 * serves.
 */
export async function startRelayingNode(chain: CliChain) {
  const node = await startGramNode({
    rpc: chain.url,
    deployments: chain.deployments,
    dir: chain.temp,
    relayerKey: privateKeyOf(ROLE.relayer),
    flags: ["--finality", "5", "--poll-interval-ms", "10"],
  });
  return {
    node,
    url: node.url,
    /** Waits until the node has indexed the chain's head block. */
    synced: () => waitIndexed(chain.client, node.url),
    /** Stops the node, then kills any child left. */
    async stop() {
      await node.stop();
      killAll();
    },
  };
}

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

/** The secrets the tests hand to the CLI: the password and the keys of Hardhat's accounts 0 to 5. */
export const SECRETS = [PASSWORD, ...[0, 1, 2, 3, 4, 5].map((index) => privateKeyOf(index).slice(2))];
