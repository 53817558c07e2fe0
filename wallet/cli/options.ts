import type { Output } from "./output.ts";

/** The global options, as commander parses them. */
export interface GlobalOptions {
  rpc?: string | undefined;
  node?: string | undefined;
  home?: string | undefined;
  account?: string | undefined;
  passwordFile?: string | undefined;
  deployments?: string | undefined;
  yes?: boolean | undefined;
  json?: boolean | undefined;
}

/** What every command gets: the options, `$GRAM_HOME` resolved, where to write, and the environment. */
export interface Cli {
  options: GlobalOptions;
  home: string;
  out: Output;
  env: NodeJS.ProcessEnv;
}
