// The wallet library's tests: a fresh $GRAM_HOME per test (removed after the file), and the WalletError an
// action throws.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { WalletError } from "../../wallet/errors.ts";

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
