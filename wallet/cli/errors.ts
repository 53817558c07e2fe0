// How the CLI reports a failure: one stable code, a short message and a hint, and an exit code (1 for
// what the user can fix, 2 for what failed outside their hands). Nothing here imports viem or ethers, so
// that `gram --version` and usage errors stay fast.
import { BaseError } from "../../protocol/errors.ts";
import { WalletError, type WalletErrorKind, type WalletErrorParameters } from "../errors.ts";

/** A refusal or bad input the CLI itself detects (usage, missing password, a blocked payment, …). */
export class CliError extends WalletError {
  override name = "CliError";
  readonly code: string;

  constructor(code: string, shortMessage: string, parameters: WalletErrorParameters & { kind?: WalletErrorKind } = {}) {
    super(shortMessage, parameters);
    this.code = code;
  }
}

/** What `--json` prints under `error`, and the exit code. Field names are stable. */
export interface Reported {
  exitCode: 1 | 2;
  error: { code: string; message: string; hint?: string | undefined; details?: string | undefined };
}

/**
 * Maps anything thrown by a command to its report. Every error of Gram's (`BaseError`) the same way, with
 * the exit code of its kind; a file the system refused is the user's; any other error is a failure (exit 2).
 */
export function report(error: unknown): Reported {
  if (error instanceof BaseError) {
    // The code as the error shows it outside its family (a link's `WRONG_CHAIN` is `LINK_WRONG_CHAIN`).
    const { code } = error.toJSON();
    return {
      exitCode: error.kind === "user" ? 1 : 2,
      error: { code, message: error.shortMessage, hint: error.hint, details: error.details },
    };
  }
  const named = error as { message?: unknown; code?: unknown } | undefined;
  if (named?.code === "ENOENT" || named?.code === "EACCES" || named?.code === "EISDIR") {
    return { exitCode: 1, error: { code: "FILE", message: firstLine(named.message) } };
  }
  return {
    exitCode: 2,
    error: {
      code: "INTERNAL",
      message: firstLine(error instanceof Error ? error.message : String(error)),
      hint: "this is a failure outside your input; run again, or report it with the command you ran",
    },
  };
}

function firstLine(text: unknown): string {
  return String(text).split("\n")[0] ?? "";
}
