import type { Address, TypedDataDomain } from "viem";

/** EIP-712 domain of the escrow: invoices signed under it bind the chain id and the escrow's address. */
export function escrowDomain(chainId: number, escrow: Address) {
  return {
    name: "Gram MerchantEscrow",
    version: "1",
    chainId,
    verifyingContract: escrow,
  } as const satisfies TypedDataDomain;
}

/** EIP-712 domain of GramToken, shared by EIP-2612 permits and ERC-3009 authorizations. */
export function gramTokenDomain(chainId: number, token: Address) {
  return { name: "Gram", version: "1", chainId, verifyingContract: token } as const satisfies TypedDataDomain;
}

/** The escrow's `Invoice`, field for field as in `IMerchantEscrow.Invoice`. */
export const invoiceTypes = {
  Invoice: [
    { name: "merchant", type: "address" },
    { name: "token", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "maxTip", type: "uint256" },
    { name: "cashbackBps", type: "uint16" },
    { name: "payer", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "payBefore", type: "uint40" },
    { name: "captureBefore", type: "uint40" },
    { name: "refundBefore", type: "uint40" },
    { name: "ref", type: "bytes32" },
    { name: "metadataHash", type: "bytes32" },
  ],
} as const;

const authorizationFields = [
  { name: "from", type: "address" },
  { name: "to", type: "address" },
  { name: "value", type: "uint256" },
  { name: "validAfter", type: "uint256" },
  { name: "validBefore", type: "uint256" },
  { name: "nonce", type: "bytes32" },
] as const;

/** ERC-3009 `transferWithAuthorization`: anyone may submit it (the node's relayer does). */
export const transferWithAuthorizationTypes = { TransferWithAuthorization: authorizationFields } as const;

/** ERC-3009 `receiveWithAuthorization`: only the payee may submit it (the escrow does, for invoices). */
export const receiveWithAuthorizationTypes = { ReceiveWithAuthorization: authorizationFields } as const;

/** ERC-3009 `cancelAuthorization`. */
export const cancelAuthorizationTypes = {
  CancelAuthorization: [
    { name: "authorizer", type: "address" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

/** EIP-2612 `permit`. */
export const permitTypes = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;
