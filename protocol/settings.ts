// The settings that the wallet, the node and the scripts all read: the chain's RPC, the node's URL and
// the folder of deployment records. Each is named once here (its flag, its environment variable, its
// default) and resolved by one function that every part calls: a flag wins, then the environment (an
// empty variable counts as unset), then the default. A value that does not fit is a `SettingError`
// naming where it came from: "--rpc: got 'foo', expected an http(s) or ws(s) URL".

import { BaseError } from "./errors.ts";

export type Env = Readonly<Record<string, string | undefined>>;

/** A setting: the flag that gives it, its environment variable, and its value when neither is given. */
export interface Setting {
  flag: string;
  env: string;
  default?: string | undefined;
}

export const SETTINGS = {
  rpc: { flag: "--rpc", env: "GRAM_RPC", default: "http://127.0.0.1:8545" },
  node: { flag: "--node", env: "GRAM_NODE" },
  deployments: { flag: "--deployments", env: "GRAM_DEPLOYMENTS_DIR", default: "deployments" },
} as const satisfies Record<string, Setting>;

/** The URLs a setting takes, and how an error says so. */
export const URL_KINDS = {
  /** viem's http transport, a node's API. */
  http: { protocols: ["http:", "https:"], expected: "an http(s) URL" },
  /** viem's http or webSocket transport. */
  rpc: { protocols: ["http:", "https:", "ws:", "wss:"], expected: "an http(s) or ws(s) URL" },
} as const;
export type UrlKind = keyof typeof URL_KINDS;

/** A flag or environment value that does not fit. */
export class SettingError extends BaseError {
  override name = "SettingError";
  readonly code = "INVALID_SETTING";
}

/** "--flag: got 'value', expected …", with the value cut short. */
export function settingError(label: string, got: string, expected: string): SettingError {
  return new SettingError(`${label}: got '${got.length > 80 ? got.slice(0, 80) : got}', expected ${expected}`);
}

export interface Resolved {
  value: string | undefined;
  /** The flag or the environment variable the value came from, to name in an error. */
  source: string;
}

/**
 * The flag's value if given, else the environment variable's (unless empty), else the default.
 *
 * @example
 * resolveSetting(SETTINGS.rpc, undefined, { GRAM_RPC: "http://10.0.0.2:8545" });
 * // { value: "http://10.0.0.2:8545", source: "GRAM_RPC" }
 */
export function resolveSetting(setting: Setting, given: string | undefined, env: Env): Resolved {
  if (given !== undefined) return { value: given, source: setting.flag };
  const fromEnv = env[setting.env];
  if (fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, source: setting.env };
  return { value: setting.default, source: setting.flag };
}

/** Whether `value` parses as a URL of one of `kind`'s schemes. */
export function isUrlOf(kind: UrlKind, value: string): boolean {
  const url = URL.parse(value);
  return url !== null && (URL_KINDS[kind].protocols as readonly string[]).includes(url.protocol);
}

export interface ResolveParameters {
  /** The flag's value, if the flag was given. */
  given?: string | undefined;
  env: Env;
  /** How errors name the setting; by default the flag or variable the value came from. */
  label?: string | undefined;
}

/**
 * The chain's JSON-RPC URL: `--rpc`, else GRAM_RPC, else (unless `fallback` is false) the local chain of
 * `npm start`. `kind: "http"` for a caller that only speaks HTTP to it.
 */
export function rpcUrl({
  given,
  env,
  label,
  kind = "rpc",
  fallback = true,
}: ResolveParameters & { kind?: UrlKind; fallback?: boolean }): string | undefined {
  const setting = fallback ? SETTINGS.rpc : { ...SETTINGS.rpc, default: undefined };
  const { value, source } = resolveSetting(setting, given, env);
  if (value !== undefined && !isUrlOf(kind, value))
    throw settingError(label ?? source, value, URL_KINDS[kind].expected);
  return value;
}

/** A gram node's base URL: `--node`, else GRAM_NODE; undefined when neither is set (or the flag is empty). */
export function nodeUrl({ given, env, label }: ResolveParameters): string | undefined {
  const { value, source } = resolveSetting(SETTINGS.node, given, env);
  if (value === undefined || value === "") return undefined;
  if (!isUrlOf("http", value)) throw settingError(label ?? source, value, NODE_URL_EXPECTED);
  return value;
}

export const NODE_URL_EXPECTED = `${URL_KINDS.http.expected} of a gram node`;

/** The folder of `<chainId>.json` deployment records: `--deployments`, else GRAM_DEPLOYMENTS_DIR, else `deployments`. */
export function deploymentsDir({ given, env }: Omit<ResolveParameters, "label">): string {
  return resolveSetting(SETTINGS.deployments, given, env).value ?? SETTINGS.deployments.default;
}
