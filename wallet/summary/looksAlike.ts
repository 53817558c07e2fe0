import type { Address } from "viem";

/**
 * Whether two different addresses share their first 4 and last 4 hex digits (case aside): what people
 * check by eye, and what address-poisoning attacks forge with a vanity key.
 *
 * @example
 * looksAlike("0xf39F…2266", "0xf39Fd6e5…b92266"); // true when the middles differ
 */
export function looksAlike(a: Address, b: Address): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x !== y && x.slice(2, 6) === y.slice(2, 6) && x.slice(-4) === y.slice(-4);
}
