import { type Address, getAddress, isAddress } from "viem";
import { z } from "zod";
import { BaseError } from "../../protocol/errors.ts";

/** The escrow's constructor caps the withdrawal fee at 1% (`EscrowFeeTooHigh`). */
export const MAX_WITHDRAW_FEE_BPS = 100;
/** What `npm run deploy` charges on withdrawals unless GRAM_WITHDRAW_FEE_BPS says otherwise. */
export const DEFAULT_WITHDRAW_FEE_BPS = 50;

/** What `npm run deploy` reads from the environment, after validation. */
export interface DeployConfig {
  treasury: Address;
  arbiter: Address;
  withdrawFeeBps: number;
}

export type DeployEnv = Readonly<Record<string, string | undefined>>;

export class DeployConfigError extends BaseError {
  override name = "DeployConfigError";
  readonly code = "DEPLOY_CONFIG_INVALID";
}

const addressSchema = z
  .string()
  .refine((value) => isAddress(value), { message: "a 0x-prefixed 20-byte address (checksummed if mixed-case)" })
  .transform((value) => getAddress(value));

const feeSchema = z
  .string()
  .regex(/^\d+$/, { message: `an integer 0..${MAX_WITHDRAW_FEE_BPS}` })
  .transform(Number)
  .pipe(z.number().max(MAX_WITHDRAW_FEE_BPS, { message: `an integer 0..${MAX_WITHDRAW_FEE_BPS}` }));

/** An unset or empty variable takes the default, so that `GRAM_TREASURY= npm run deploy` behaves as unset. */
function read<T>(env: DeployEnv, name: string, schema: z.ZodType<T, string>, fallback: T, problems: string[]): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  problems.push(`${name}: got '${raw}', expected ${result.error.issues[0]?.message ?? "a valid value"}`);
  return fallback;
}

/**
 * Validates GRAM_TREASURY, GRAM_ARBITER and GRAM_WITHDRAW_FEE_BPS before anything is sent; the
 * addresses default to the deployer and the fee to 50 bps. Every bad variable is reported at once.
 *
 * @example
 * parseDeployConfig({ GRAM_WITHDRAW_FEE_BPS: "x" }, deployer);
 * // DeployConfigError: GRAM_WITHDRAW_FEE_BPS: got 'x', expected an integer 0..100
 */
export function parseDeployConfig(env: DeployEnv, deployer: Address): DeployConfig {
  const problems: string[] = [];
  const config = {
    treasury: read(env, "GRAM_TREASURY", addressSchema, deployer, problems),
    arbiter: read(env, "GRAM_ARBITER", addressSchema, deployer, problems),
    withdrawFeeBps: read(env, "GRAM_WITHDRAW_FEE_BPS", feeSchema, DEFAULT_WITHDRAW_FEE_BPS, problems),
  };
  if (problems.length > 0) throw new DeployConfigError(problems.join("\n"));
  return config;
}
