import { type Logger, pino } from "pino";
import type { LogLevel } from "./config.ts";

/** One line at the bottom of a terminal that log lines print above (the backfill progress). */
export interface StatusLine {
  set(text: string): void;
  clear(): void;
  /** Prints a full line above the status line. */
  println(text: string): void;
}

export function createStatusLine(stream: NodeJS.WriteStream): StatusLine {
  let current = "";
  const erase = () => (current === "" ? "" : "\r\x1b[2K");
  return {
    set(text) {
      const width = stream.columns || 100;
      const line = text.length > width - 1 ? text.slice(0, width - 1) : text;
      if (line === current) return;
      stream.write(`${erase()}${line}`);
      current = line;
    },
    clear() {
      if (current !== "") stream.write(erase());
      current = "";
    },
    println(text) {
      stream.write(`${erase()}${text}\n${current}`);
    },
  };
}

const LEVELS: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO ",
  40: "WARN ",
  50: "ERROR",
  60: "FATAL",
};
const OMIT = new Set(["level", "time", "pid", "hostname", "msg", "err"]);

/** A pino record as one readable line: `12:03:04.123 INFO  serving url=http://127.0.0.1:8787`. */
function formatLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json);
  } catch {
    return json.trimEnd();
  }
  const time = new Date(Number(record.time)).toISOString().slice(11, 23);
  const level = LEVELS[Number(record.level)] ?? String(record.level);
  const fields = Object.entries(record)
    .filter(([key]) => !OMIT.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  let line = `${time} ${level} ${String(record.msg ?? "")}${fields.length > 0 ? `  ${fields.join(" ")}` : ""}`;
  const err = record.err as { type?: string; message?: string; stack?: string } | undefined;
  if (err !== undefined) {
    // The message carries the error's details and hint on their own lines: keep them, indented.
    const text = Number(record.level) >= 50 ? (err.stack ?? err.message) : err.message;
    line += `\n    ${err.type ?? "Error"}: ${String(text ?? "").replace(/\n/g, "\n    ")}`;
  }
  return line;
}

/**
 * The node's logger: JSON lines on stdout (for log shippers), or readable one-line records when stdout
 * is a terminal, printed above the progress line.
 *
 * @example
 * const log = createLogger({ level: "info", status: process.stdout.isTTY ? createStatusLine(process.stdout) : undefined });
 */
export function createLogger({ level, status }: { level: LogLevel; status: StatusLine | undefined }): Logger {
  const options = { level, base: { pid: process.pid } };
  if (status === undefined) return pino(options, pino.destination({ dest: 1, sync: true }));
  return pino(options, {
    write(json: string) {
      status.println(formatLine(json));
    },
  });
}
