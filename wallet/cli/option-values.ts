// The values of options that are not plain text, parsed once for every command that takes them: a
// duration ("2h", "7d") and a cashback rate ("2.5%" or basis points). A value that does not fit is an
// INVALID_OPTION error naming the flag, what it got and what it expected.
import { CliError } from "./errors.ts";

/** "90", "30s", "15m", "2h", "7d", "1w" → seconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^([1-9][0-9]{0,8})([smhdw]?)$/.exec(text);
  if (!match) {
    throw new CliError(
      "INVALID_OPTION",
      `${flag}: got '${text.slice(0, 40)}', expected a duration such as 30m, 2h, 7d or seconds`,
    );
  }
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[match[2] as "" | "s" | "m" | "h" | "d" | "w"];
  const seconds = Number(match[1]) * unit;
  if (seconds > 10 * 365 * 86_400) throw new CliError("INVALID_OPTION", `${flag}: ${text} is more than 10 years`);
  return seconds;
}

/** `--cashback`: "2.5%" or "250" (basis points). */
export function parseBps(text: string): number {
  const percent = /^(\d{1,3})(?:\.(\d{1,2}))?%$/.exec(text);
  const bps = percent
    ? Number(percent[1]) * 100 + Number((percent[2] ?? "").padEnd(2, "0"))
    : /^\d{1,5}$/.test(text)
      ? Number(text)
      : Number.NaN;
  if (!(bps >= 0 && bps <= 10_000)) {
    throw new CliError(
      "INVALID_OPTION",
      `--cashback: got '${text}', expected basis points 0..10000 or a percentage like 2.5%`,
    );
  }
  return bps;
}
