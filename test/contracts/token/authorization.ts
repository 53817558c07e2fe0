// Signing helpers for the GramToken tests: ERC-3009 authorizations and cancellations signed the way a
// wallet signs them, split into `v, r, s`, and made malleable for the high-s tests.
import {
  type Address,
  encodeAbiParameters,
  getAddress,
  type Hex,
  hexToBigInt,
  keccak256,
  numberToHex,
  parseSignature,
  serializeSignature,
  stringToHex,
  type TypedDataDomain,
} from "viem";
import {
  cancelAuthorizationTypes,
  gramTokenDomain,
  receiveWithAuthorizationTypes,
  transferWithAuthorizationTypes,
} from "../../../protocol/eip712.ts";
import { type GramFixture, gram } from "../../../scripts/lib/contracts-fixture.ts";

/** The order of the secp256k1 group; EIP-2 and OpenZeppelin's ECDSA accept only s <= n / 2. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export type Authorization = {
  from: Address;
  to: Address;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: Hex;
};

/** A distinct ERC-3009 nonce per label (nonces are random `bytes32` values, not counters). */
export const nonceOf = (label: string) => keccak256(stringToHex(`gram-test-nonce:${label}`));

let nonceCounter = 0;

/** An authorization of 10 GRAM valid from now for an hour with a fresh nonce, with `params` applied. */
export async function makeAuthorization(
  f: GramFixture,
  params: Pick<Authorization, "from" | "to"> & Partial<Authorization>,
): Promise<Authorization> {
  const now = BigInt(await f.networkHelpers.time.latest());
  return {
    value: gram("10"),
    validAfter: 0n,
    validBefore: now + 3600n,
    nonce: nonceOf(`auto-${nonceCounter++}`),
    ...params,
  };
}

type SignOptions = { signer?: Address; domain?: TypedDataDomain };

const domainOf = (f: GramFixture, options: SignOptions) =>
  options.domain ?? gramTokenDomain(f.chainId, f.token.address);

/** `from`'s (or `signer`'s) EIP-712 signature over a TransferWithAuthorization. */
export function signTransfer(f: GramFixture, auth: Authorization, options: SignOptions = {}) {
  return f.accounts.owner.signTypedData({
    account: options.signer ?? auth.from,
    domain: domainOf(f, options),
    types: transferWithAuthorizationTypes,
    primaryType: "TransferWithAuthorization",
    message: auth,
  });
}

/** `from`'s (or `signer`'s) EIP-712 signature over a ReceiveWithAuthorization. */
export function signReceive(f: GramFixture, auth: Authorization, options: SignOptions = {}) {
  return f.accounts.owner.signTypedData({
    account: options.signer ?? auth.from,
    domain: domainOf(f, options),
    types: receiveWithAuthorizationTypes,
    primaryType: "ReceiveWithAuthorization",
    message: auth,
  });
}

/** `authorizer`'s (or `signer`'s) EIP-712 signature over a CancelAuthorization. */
export function signCancel(f: GramFixture, authorizer: Address, nonce: Hex, options: SignOptions = {}) {
  return f.accounts.owner.signTypedData({
    account: options.signer ?? authorizer,
    domain: domainOf(f, options),
    types: cancelAuthorizationTypes,
    primaryType: "CancelAuthorization",
    message: { authorizer, nonce },
  });
}

/** The authorization's fields in the order the contract takes them. */
export const authArgs = (a: Authorization) => [a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce] as const;

/** A 65-byte signature as the `uint8 v, bytes32 r, bytes32 s` arguments (v is 27 or 28). */
export function vrs(signature: Hex) {
  const { r, s, yParity } = parseSignature(signature);
  return [yParity + 27, r, s] as const;
}

/** The other valid signature of the same message: s' = n - s with the parity flipped (EIP-2 forbids it). */
export function malleate(signature: Hex): Hex {
  const { r, s, yParity } = parseSignature(signature);
  return serializeSignature({
    r,
    s: numberToHex(SECP256K1_N - hexToBigInt(s), { size: 32 }),
    yParity: yParity === 0 ? 1 : 0,
  });
}

/** What the ecrecover precompile (address 0x01) returns for `digest` and `signature`, high-s or not. */
export async function ecrecoverPrecompile(f: GramFixture, digest: Hex, signature: Hex): Promise<Address> {
  const [v, r, s] = vrs(signature);
  const { data } = await f.publicClient.call({
    to: "0x0000000000000000000000000000000000000001",
    data: encodeAbiParameters(
      [{ type: "bytes32" }, { type: "uint8" }, { type: "bytes32" }, { type: "bytes32" }],
      [digest, v, r, s],
    ),
  });
  if (data === undefined || data === "0x") throw new Error("ecrecover returned nothing");
  return getAddress(`0x${data.slice(-40)}`);
}

/**
 * The fixture accounts' checksummed addresses: hardhat-viem reports wallet addresses in lower case,
 * while decoded events and errors carry checksummed ones.
 */
export function addressesOf(f: GramFixture) {
  const entries = Object.entries(f.accounts).map(([name, wallet]) => [name, getAddress(wallet.account.address)]);
  return Object.fromEntries(entries) as Record<keyof GramFixture["accounts"], Address>;
}
