// The `gram` CLI's global options, each declared once: its flag, its environment variable, its default,
// what it expects and what it is for. `gram --help` is written from this table, and so are the errors
// about a value ("--rpc: got 'foo', expected an http(s) or ws(s) URL", see ./config.ts). Nothing here
// loads more than commander, so that `gram --version` stays fast.
import type { Command } from "commander";
import { NODE_URL_EXPECTED, SETTINGS, URL_KINDS } from "../../protocol/settings.ts";

export interface Flag {
  /** As commander takes it: `--rpc <url>`, `-y, --yes`. */
  flag: string;
  env?: string | undefined;
  /** What is used when neither the flag nor the variable is given, as `--help` shows it. */
  default?: string | undefined;
  /** What the value must be: the second half of an error about it. */
  expected?: string | undefined;
  describe: string;
}

export const FLAGS = {
  rpc: {
    flag: `${SETTINGS.rpc.flag} <url>`,
    env: SETTINGS.rpc.env,
    default: SETTINGS.rpc.default,
    expected: URL_KINDS.rpc.expected,
    describe: "chain JSON-RPC URL",
  },
  node: {
    flag: `${SETTINGS.node.flag} <url>`,
    env: SETTINGS.node.env,
    expected: NODE_URL_EXPECTED,
    describe: "gram node API URL for reads and gasless sends",
  },
  home: { flag: "--home <dir>", env: "GRAM_HOME", default: "~/.gram", describe: "wallet folder" },
  account: {
    flag: "--account <n|address|name>",
    env: "GRAM_ACCOUNT",
    default: "0",
    describe: "account number from `gram accounts`, its address, or a contact name for one of its accounts",
  },
  passwordFile: {
    flag: "--password-file <file>",
    describe: "read the keystore password from a file (or set GRAM_PASSWORD)",
  },
  deployments: {
    flag: `${SETTINGS.deployments.flag} <dir>`,
    env: SETTINGS.deployments.env,
    default: `./${SETTINGS.deployments.default}`,
    describe: "folder of <chainId>.json deployments",
  },
  yes: {
    flag: "-y, --yes",
    describe: "sign without asking (the summary is still printed); never overrides a blocking warning",
  },
  json: { flag: "--json", describe: "machine-readable output and errors on stdout" },
} as const satisfies Record<string, Flag>;

/** The long flag alone: `--rpc` of `--rpc <url>`, `--yes` of `-y, --yes`. */
export function flagName(spec: Flag): string {
  return /--[a-z-]+/.exec(spec.flag)?.[0] ?? spec.flag;
}

/** The global options, as commander parses them. */
export type GlobalOptions = {
  [K in keyof typeof FLAGS]?: (K extends "yes" | "json" ? boolean : string) | undefined;
};

/** Every environment variable the CLI reads, for `--help`. */
export const ENVIRONMENT = [
  ...Object.values(FLAGS as Record<string, Flag>).flatMap((flag) => (flag.env === undefined ? [] : [flag.env])),
  "GRAM_PASSWORD",
];

/** Declares every global option on `program`, with its help: "chain JSON-RPC URL (GRAM_RPC; default …)". */
export function addGlobalOptions(program: Command): Command {
  for (const spec of Object.values(FLAGS as Record<string, Flag>)) {
    const about = [spec.env, spec.default === undefined ? undefined : `default ${spec.default}`].filter(
      (part) => part !== undefined,
    );
    program.option(spec.flag, about.length === 0 ? spec.describe : `${spec.describe} (${about.join("; ")})`);
  }
  return program;
}
