import { type Address, bytesToHex, type Hex, hexToBytes, isAddressEqual, recoverTypedDataAddress } from "viem";
import { escrowDomain, invoiceTypes } from "../eip712.ts";
import type { Invoice } from "../invoice.ts";

// secp256k1 n / 2: OpenZeppelin's ECDSA refuses a larger s (the malleable twin of a valid signature).
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

export interface MerchantSignatureCheck {
  /** The EOA the signature recovers to as the escrow's ECDSA would, or null when it recovers to none. */
  recovered: Address | null;
  /** `recovered` is the invoice's merchant: the escrow will accept the signature. */
  signatureValid: boolean;
  /**
   * "merchant": checked offline. "contract-or-invalid": not an ECDSA signature by the merchant. That is
   * what an ERC-1271 (contract) merchant's signature looks like offline, so only the chain can tell it
   * from a forgery: check it there (viem `verifyTypedData`) or refuse it.
   */
  signer: "merchant" | "contract-or-invalid";
}

/** Checks an invoice signature offline, by the rules of the escrow's `ECDSA.tryRecoverCalldata`. */
export async function checkMerchantSignature(
  chainId: number,
  escrow: Address,
  invoice: Invoice,
  signature: Hex,
): Promise<MerchantSignatureCheck> {
  const recovered = await recoverEcdsa(chainId, escrow, invoice, signature);
  const signatureValid = recovered !== null && isAddressEqual(recovered, invoice.merchant);
  return { recovered, signatureValid, signer: signatureValid ? "merchant" : "contract-or-invalid" };
}

async function recoverEcdsa(chainId: number, escrow: Address, invoice: Invoice, signature: Hex) {
  const bytes = hexToBytes(signature);
  if (bytes.length !== 65) return null;
  const s = BigInt(bytesToHex(bytes.subarray(32, 64)));
  const v = bytes[64];
  // viem also reads v = 0/1 and high s; the escrow's ecrecover does not, and that is what counts.
  if ((v !== 27 && v !== 28) || s > HALF_N) return null;
  try {
    return await recoverTypedDataAddress({
      domain: escrowDomain(chainId, escrow),
      types: invoiceTypes,
      primaryType: "Invoice",
      message: invoice,
      signature,
    });
  } catch {
    // r or s out of range, or no point on the curve: no signer.
    return null;
  }
}
