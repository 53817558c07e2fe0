// Where the CLI writes. Results go to stdout: text lines, or with --json one JSON object
// (`{ "ok": true, … }` / `{ "ok": false, "error": { code, message, hint } }`). What a person must see
// before signing (the summary, warnings, prompts, progress) goes to stderr, and never in --json mode,
// where it is part of the result instead.

/** What a command hands back: the JSON fields and the lines a person reads. */
export interface CommandResult {
  data: Record<string, unknown>;
  text: string[];
  /**
   * Runs once the result is written out, before the exit: `chat read` moves its cursor only then, so that
   * a read that dies in between shows the same messages again rather than never.
   */
  afterOutput?: () => Promise<void>;
}

export function result(data: Record<string, unknown>, text: string[] | string): CommandResult {
  return { data, text: typeof text === "string" ? [text] : text };
}

export interface Output {
  json: boolean;
  /** A line for a person, on stderr; dropped in --json mode. */
  note: (line: string) => void;
  /** A progress line rewritten in place on a terminal; dropped elsewhere. */
  progress: (line: string | undefined) => void;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export function createOutput(json: boolean): Output {
  const stderr = (text: string) => void process.stderr.write(text);
  const stdout = (text: string) => void process.stdout.write(text);
  let shown = false;
  return {
    json,
    note: (line) => {
      if (!json) stderr(`${line}\n`);
    },
    progress: (line) => {
      if (json || !process.stderr.isTTY) return;
      if (line === undefined) {
        if (shown) stderr("\r\x1b[2K");
        shown = false;
        return;
      }
      stderr(`\r\x1b[2K${line}`);
      shown = true;
    },
    stdout,
    stderr,
  };
}

/** JSON with bigints as decimal strings and undefined fields left out. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v));
}
