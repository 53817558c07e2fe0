// Runs one command: builds the context from the global options, calls the command, prints its result
// (text, or one JSON object with --json) or its error, and sets the exit code: 0 success, 1 the user's
// to fix, 2 a failure outside their hands.
import type { Command } from "commander";
import { gramHome } from "../home.ts";
import { report } from "./errors.ts";
import type { GlobalOptions } from "./flags.ts";
import type { Cli } from "./options.ts";
import { type CommandResult, createOutput, toJson } from "./output.ts";

export async function runCommand(command: Command, body: (cli: Cli) => Promise<CommandResult>): Promise<void> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const out = createOutput(options.json === true);
  const name = commandPath(command);
  let code = 0;
  try {
    const cli: Cli = { options, home: gramHome({ home: options.home }), out, env: process.env };
    const { data, text, afterOutput } = await body(cli);
    if (out.json) out.stdout(`${toJson({ ok: true, command: name, ...data })}\n`);
    else if (text.length > 0) out.stdout(`${text.join("\n")}\n`);
    await afterOutput?.();
  } catch (error) {
    const { exitCode, error: shown } = report(error);
    code = exitCode;
    printError(out.json, shown, name);
  }
  await exit(code);
}

export function printError(
  json: boolean,
  error: { code: string; message: string; hint?: string | undefined; details?: string | undefined },
  command?: string,
) {
  if (json) {
    process.stdout.write(`${toJson({ ok: false, ...(command ? { command } : {}), error })}\n`);
    return;
  }
  const lines = [`gram: ${error.message}`];
  if (error.details) lines.push(`  details: ${error.details}`);
  if (error.hint) lines.push(`  hint: ${error.hint}`);
  // The stable code, as --json gives it: what scripts and searches match on.
  lines.push(`  code: ${error.code}`);
  process.stderr.write(`${lines.join("\n")}\n`);
}

/** Exits once output is flushed: open RPC connections must not keep a finished command alive. */
export async function exit(code: number): Promise<never> {
  await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write("", () => resolve()));
  process.exit(code);
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}
