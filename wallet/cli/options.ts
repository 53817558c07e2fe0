import type { GlobalOptions } from "./flags.ts";
import type { Output } from "./output.ts";

/** What every command gets: the options, `$GRAM_HOME` resolved, where to write, and the environment. */
export interface Cli {
  options: GlobalOptions;
  home: string;
  out: Output;
  env: NodeJS.ProcessEnv;
}
