import { type Address, parseEther } from "viem";

/**
 * What the relayer will spend and for whom: every limit a public relayer needs so that nobody can
 * drain its gas money or block it. `createRelayer` fills what is not given with `DEFAULT_RELAYER_LIMITS`;
 * `gram-node` sets each with a `--relay-…` flag.
 */
export interface RelayerLimits {
  /** Relays counted per payer per minute, once the payer's signature has verified. */
  perPayerPerMinute: number;
  /** Relay requests per client IP per minute, counted before any work. */
  perIpPerMinute: number;
  /**
   * The smallest amount relayed, in base units: per token, else `default`, else a thousandth of one
   * whole token (10^(decimals − 3), read from the token). Zero is refused whatever the setting.
   */
  minAmount: { default?: bigint; tokens?: Readonly<Record<Address, bigint>> };
  /** The most gas a transaction of each route may take (the estimate), with EOA signers. */
  maxGas: { transfer: bigint; pay: bigint };
  /**
   * What each contract (ERC-1271) signer may add to the route's ceiling, and the most gas its
   * `isValidSignature` may take when the relayer checks it.
   */
  contractSignerGas: bigint;
  /** Relayed transactions in any hour. */
  maxTransactionsPerHour: number;
  /** Wei committed to gas in any hour, each transaction counted at gas limit × max fee. */
  maxWeiPerHour: bigint;
  /** Relayer transactions not yet mined beyond which new relays are refused (503). */
  maxQueue: number;
  /** How often the watchdog compares the relayer's nonce with the chain's. */
  watchdogIntervalMs: number;
  /** How long a transaction may wait in the mempool before the watchdog replaces it with a higher fee. */
  stuckAfterMs: number;
}

/**
 * Sane for a public node: a relayed GRAM transfer takes about 65,000 gas and an invoice payment about
 * 115,000, so the ceilings leave room for a token's cold storage and nothing like the millions a
 * gas-burning signer would make the relayer pay.
 */
export const DEFAULT_RELAYER_LIMITS: RelayerLimits = {
  perPayerPerMinute: 10,
  perIpPerMinute: 60,
  minAmount: {},
  maxGas: { transfer: 100_000n, pay: 200_000n },
  contractSignerGas: 100_000n,
  maxTransactionsPerHour: 1_000,
  maxWeiPerHour: parseEther("0.1"),
  maxQueue: 16,
  watchdogIntervalMs: 5_000,
  stuckAfterMs: 30_000,
};

/** The default minimum of a token with `decimals` decimals: a thousandth of one token, at least 1 base unit. */
export const defaultMinAmount = (decimals: number) => 10n ** BigInt(Math.max(0, decimals - 3));
