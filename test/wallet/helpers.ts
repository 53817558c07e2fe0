import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { WalletError } from "../../wallet/errors.ts";

/** The Hardhat / Anvil test mnemonic and its first accounts: published values every tool agrees on. */
export const TEST_MNEMONIC = "test test test test test test test test test test test junk";
export const ACCOUNT_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
export const ACCOUNT_1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
/** ACCOUNT_1 with the case of one letter swapped: mixed case that is no longer EIP-55. */
export const BAD_CHECKSUM = ACCOUNT_1.replace("C", "c");
export const KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/** Tests write keystores at scrypt N = 2^10; the default (2^17) is tested once, on its own. */
export const FAST_SCRYPT_N = 1024;

const homes: string[] = [];
afterAll(() => Promise.all(homes.map((home) => rm(home, { recursive: true, force: true }))));

/** A fresh, empty `$GRAM_HOME` (not created: the wallet must create it). */
export async function tempHome(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "gram-wallet-"));
  homes.push(dir);
  return join(dir, "home");
}

/** The WalletError of class `type` that `action` throws or rejects with. */
export async function failure<T extends WalletError>(
  type: abstract new (...args: never[]) => T,
  action: Promise<unknown> | (() => unknown),
): Promise<T> {
  try {
    await (typeof action === "function" ? action() : action);
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as T;
  }
  throw new Error(`expected a ${type.name}, but it succeeded`);
}

/** Every error a wallet function throws is a WalletError: the CLI relies on it for exit codes and --json. */
export function isWalletError(error: unknown): error is WalletError {
  return error instanceof WalletError;
}
