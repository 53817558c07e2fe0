// How the CLI reports a failure: one stable code, a short message and a hint, and an exit code (1 for
// what the user can fix, 2 for what failed outside their hands). Nothing here imports viem or ethers, so
// that `gram --version` and usage errors stay fast.
import { AmountError } from "../../protocol/amounts.ts";
import { LinkError } from "../../protocol/links/errors.ts";
import { WalletError, type WalletErrorKind, type WalletErrorParameters } from "../errors.ts";

/** A refusal or bad input the CLI itself detects (usage, missing password, a blocked payment, …). */
export class CliError extends WalletError {
  override name = "CliError";
  readonly code: string;
  override readonly kind: WalletErrorKind;

  constructor(code: string, shortMessage: string, parameters: WalletErrorParameters & { kind?: WalletErrorKind } = {}) {
    super(shortMessage, parameters);
    this.code = code;
    this.kind = parameters.kind ?? "user";
  }
}

/** What `--json` prints under `error`, and the exit code. Field names are stable. */
export interface Reported {
  exitCode: 1 | 2;
  error: { code: string; message: string; hint?: string | undefined; details?: string | undefined };
}

/** Maps anything thrown by a command to its report. Unknown errors are failures (exit 2). */
export function report(error: unknown): Reported {
  if (error instanceof WalletError) {
    return {
      exitCode: error.kind === "user" ? 1 : 2,
      error: { code: error.code, message: error.shortMessage, hint: error.hint, details: error.details },
    };
  }
  if (error instanceof AmountError) {
    return {
      exitCode: 1,
      error: { code: "INVALID_AMOUNT", message: error.shortMessage, hint: error.hint, details: error.reason },
    };
  }
  if (error instanceof LinkError) {
    return {
      exitCode: 1,
      error: { code: `LINK_${error.code.toUpperCase().replace(/-/g, "_")}`, message: error.message, hint: error.hint },
    };
  }
  const named = error as { name?: unknown; message?: unknown; code?: unknown } | undefined;
  // protocol/deployments.ts pulls in viem; matched by name so that this file stays light.
  if (named?.name === "DeploymentError") {
    return {
      exitCode: 1,
      error: {
        code: "DEPLOYMENT",
        message: String(named.message),
        hint: "pass --deployments <dir> (or GRAM_DEPLOYMENTS_DIR) holding <chainId>.json, or check --rpc",
      },
    };
  }
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
