// What a user types as words: the interactive chat's input line (`/command args…`, with "double" or
// 'single' quotes around an argument that holds spaces, and `--name value` or `--flag` options anywhere
// after the command), and a command's trailing words as one text.
import { CliError } from "../../errors.ts";

export interface ParsedLine {
  command: string;
  args: string[];
  options: Record<string, string | true>;
}

/**
 * Splits a slash command; `flags` names the options that take no value.
 *
 * @example
 * parseLine('/invoice 12.50 "Margherita" --tip-max 3', ["direct"]);
 * // { command: "invoice", args: ["12.50", "Margherita"], options: { "tip-max": "3" } }
 */
export function parseLine(line: string, flags: readonly string[] = []): ParsedLine {
  const tokens = tokenize(line.trim().replace(/^\//, ""));
  const [command = "", ...rest] = tokens;
  const args: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i] as string;
    const option = /^--([a-z][a-z-]*)$/.exec(token)?.[1];
    if (option === undefined) {
      args.push(token);
    } else if (flags.includes(option)) {
      options[option] = true;
    } else {
      const value = rest[i + 1];
      if (value === undefined) throw new CliError("USAGE", `--${option} needs a value`);
      options[option] = value;
      i++;
    }
  }
  return { command: command.toLowerCase(), args, options };
}

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quote: '"' | "'" | undefined;
  let started = false;
  for (const char of text) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started) tokens.push(current);
      current = "";
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (quote !== undefined) throw new CliError("USAGE", `a ${quote} quote is not closed`);
  if (started) tokens.push(current);
  return tokens;
}

/** A command's trailing words (`chat send @bob hello there`) as one text; undefined when there are none. */
export function words(parts: string[] | undefined): string | undefined {
  return parts === undefined || parts.length === 0 ? undefined : parts.join(" ");
}
