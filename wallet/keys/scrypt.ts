import { scryptAsync } from "@noble/hashes/scrypt";
import { scrypt } from "ethers";

let registered = false;

/**
 * Makes ethers derive scrypt keys with @noble/hashes 1.8 instead of the 1.3 copy it bundles.
 *
 * The bundled copy enforces RFC 7914's `N < 2^(16 r)`, which the Web3 Secret Storage spec's own scrypt
 * test vector (N = 2^18, r = 1, p = 8) breaks, and so do keystores written by tools that copied it
 * (geth and go-ethereum's Go scrypt do not check it). 1.8 dropped that check for this reason (see
 * RFC 7914 errata); the algorithm, the derived keys and the progress callback are otherwise the same.
 * Global to ethers in this process, hence done once and only by the keystore functions.
 */
export function useCompatibleScrypt() {
  if (registered) return;
  scrypt.register((password, salt, N, r, p, dkLen, progress) =>
    scryptAsync(password, salt, { N, r, p, dkLen, maxmem: 2 ** 30, ...(progress ? { onProgress: progress } : {}) }),
  );
  registered = true;
}
