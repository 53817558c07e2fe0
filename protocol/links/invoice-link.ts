// `gram:invoice/…` links: a merchant's signed invoice, the EIP-712 domain it was signed under (chain id and
// escrow) and, optionally, the metadata the payer is shown. What a wallet displays is decoded from these
// bytes, checked against the signed hashes, never taken from the chat text around the link.
//
// Layout, version 1. The link is "gram:invoice/" + base64url(payload ‖ checksum), unpadded, where checksum
// is the first 4 bytes of keccak256(payload): a changed or truncated link fails it before anything is read.
// Integers are big-endian. "varuint" is a length byte (0–32) then that many bytes, no leading zero byte
// (zero is the single byte 0x00). "string" is a LEB128 byte length then UTF-8.
//
//   field          bytes  notes
//   kind           1      0x69 ("i"): an invoice (a request link under this prefix is refused)
//   version        1      0x01
//   chainId        1+n    varuint, n ≤ 7 (a JavaScript safe integer)        ┐ the EIP-712 domain
//   escrow         20                                                        ┘
//   merchant       20
//   token          20
//   amount         1+n    varuint
//   maxTip         1+n    varuint
//   cashbackBps    2      uint16
//   flags          1      bit 0: payer present; bit 1: metadata present; bit 2: signature is not 65 bytes;
//                         other bits zero
//   payer          20     only with bit 0; without it the payer is the zero address (whoever pays first)
//   nonce          1+n    varuint
//   payBefore      5      uint40
//   captureBefore  5      uint40
//   refundBefore   5      uint40
//   ref            32
//   metadataHash   32
//   signature      65     r ‖ s ‖ v; with bit 2, a LEB128 length then the bytes (ERC-1271 signatures)
//   metadata       …      only with bit 1: title, item count (LEB128), each item's name, quantity, price,
//                         then memo ("" when absent): all strings
//
// Every value has exactly one encoding (minimal integers, zero payer only as a flag, known flags only, no
// trailing bytes), so decode(encode(x)) = x and encode(decode(link)) = link.
import { type Address, bytesToHex, type Hex, hexToBytes, isAddressEqual, isHex, zeroAddress } from "viem";
import { type Invoice, invoiceId } from "../invoice.ts";
import { ByteReader, ByteWriter, readHeader, sealLink, unsealLink } from "./codec.ts";
import { LinkError } from "./errors.ts";
import { type InvoiceMetadata, METADATA_LIMITS, metadataHash, parseInvoiceMetadata } from "./metadata.ts";
import { checkMerchantSignature, type MerchantSignatureCheck } from "./signature.ts";
import { checkLinkTarget, readChainId, writeChainId } from "./target.ts";

export const INVOICE_LINK_PREFIX = "gram:invoice/";
export const INVOICE_LINK_KIND = 0x69;
export const INVOICE_LINK_VERSION = 1;

const WHAT = "invoice link";
const FLAG_PAYER = 1;
const FLAG_METADATA = 2;
const FLAG_LONG_SIGNATURE = 4;
const MAX_SIGNATURE_BYTES = 4096;

export interface EncodeInvoiceLinkParameters {
  chainId: number;
  escrow: Address;
  invoice: Invoice;
  /** The merchant's EIP-712 signature over `invoice` under `escrowDomain(chainId, escrow)`. */
  signature: Hex;
  /** Shown to the payer; must hash to `invoice.metadataHash`. */
  metadata?: InvoiceMetadata | undefined;
}

/**
 * Encodes a signed invoice as a `gram:invoice/` link. Refuses metadata that does not hash to the invoice's
 * `metadataHash`, so that no link a payer would reject leaves the merchant's wallet.
 *
 * @example
 * const link = encodeInvoiceLink({ chainId: 31337, escrow, invoice, signature, metadata });
 */
export function encodeInvoiceLink({
  chainId,
  escrow,
  invoice,
  signature,
  metadata,
}: EncodeInvoiceLinkParameters): string {
  if (metadata !== undefined) checkMetadata(metadata, invoice.metadataHash, "the metadata to encode");
  if (!isHex(signature, { strict: true }) || signature.length % 2 !== 0) {
    throw new LinkError("MALFORMED", "signature: expected hex bytes");
  }
  const signatureBytes = (signature.length - 2) / 2;
  const payerPresent = !isAddressEqual(invoice.payer, zeroAddress);
  const flags =
    (payerPresent ? FLAG_PAYER : 0) |
    (metadata === undefined ? 0 : FLAG_METADATA) |
    (signatureBytes === 65 ? 0 : FLAG_LONG_SIGNATURE);

  const out = new ByteWriter().byte(INVOICE_LINK_KIND).byte(INVOICE_LINK_VERSION);
  writeChainId(out, chainId);
  out
    .address(escrow, "escrow")
    .address(invoice.merchant, "merchant")
    .address(invoice.token, "token")
    .varUint(invoice.amount, "amount")
    .varUint(invoice.maxTip, "maxTip")
    .uint(invoice.cashbackBps, 2, "cashbackBps")
    .byte(flags);
  if (payerPresent) out.address(invoice.payer, "payer");
  out
    .varUint(invoice.nonce, "nonce")
    .uint(invoice.payBefore, 5, "payBefore")
    .uint(invoice.captureBefore, 5, "captureBefore")
    .uint(invoice.refundBefore, 5, "refundBefore")
    .bytes32(invoice.ref, "ref")
    .bytes32(invoice.metadataHash, "metadataHash");
  if (signatureBytes !== 65) {
    if (signatureBytes > MAX_SIGNATURE_BYTES) {
      throw new LinkError("MALFORMED", `signature: ${signatureBytes} bytes, at most ${MAX_SIGNATURE_BYTES}`);
    }
    out.leb128(signatureBytes);
  }
  out.raw(hexToBytes(signature));
  if (metadata !== undefined) {
    out.string(metadata.title).leb128(metadata.items.length);
    for (const item of metadata.items) out.string(item.name).string(item.quantity).string(item.price);
    out.string(metadata.memo ?? "");
  }
  return sealLink(INVOICE_LINK_PREFIX, out.finish());
}

export interface DecodeInvoiceLinkOptions {
  /** The wallet's chain: a link for another is refused. */
  chainId?: number | undefined;
  /** The escrow the wallet trusts: a link for another is refused. */
  escrow?: Address | undefined;
  /** The token the wallet pays in: a link for another is refused. */
  token?: Address | undefined;
}

export interface DecodedInvoiceLink extends MerchantSignatureCheck {
  chainId: number;
  escrow: Address;
  invoice: Invoice;
  signature: Hex;
  /** The invoice id: the EIP-712 digest the merchant signed, as the escrow computes it. */
  id: Hex;
  /** Checked against `invoice.metadataHash`; undefined when the link carries none (only the hash is known). */
  metadata: InvoiceMetadata | undefined;
}

/**
 * Decodes a `gram:invoice/` link: checksum first, then layout, the wallet's chain/escrow/token, metadata
 * against `metadataHash`, and the merchant's signature. A signature that does not recover to the merchant
 * is reported (`signatureValid: false`, `signer: "contract-or-invalid"`), not thrown: an ERC-1271 merchant
 * can only be checked on-chain. Everything else that is wrong throws a `LinkError`.
 *
 * @example
 * const { invoice, metadata, signatureValid } = await decodeInvoiceLink(link, { chainId: 31337, escrow });
 */
export async function decodeInvoiceLink(
  link: string,
  options: DecodeInvoiceLinkOptions = {},
): Promise<DecodedInvoiceLink> {
  const payload = unsealLink(link, INVOICE_LINK_PREFIX, WHAT);
  const data = new ByteReader(payload, WHAT);
  readHeader(data, INVOICE_LINK_KIND, INVOICE_LINK_VERSION, WHAT);
  const chainId = readChainId(data);
  const escrow = data.address("escrow");
  const merchant = data.address("merchant");
  const token = data.address("token");
  const amount = data.varUint("amount");
  const maxTip = data.varUint("maxTip");
  const cashbackBps = Number(data.uint(2, "cashbackBps"));
  const flags = data.byte("flags");
  if ((flags & ~(FLAG_PAYER | FLAG_METADATA | FLAG_LONG_SIGNATURE)) !== 0) {
    data.fail(`unknown flags 0x${flags.toString(16)}`);
  }
  const payer = flags & FLAG_PAYER ? data.address("payer") : zeroAddress;
  if (flags & FLAG_PAYER && payer === zeroAddress) data.fail("a zero payer must be left out, not written");
  const invoice: Invoice = {
    merchant,
    token,
    amount,
    maxTip,
    cashbackBps,
    payer,
    nonce: data.varUint("nonce"),
    payBefore: Number(data.uint(5, "payBefore")),
    captureBefore: Number(data.uint(5, "captureBefore")),
    refundBefore: Number(data.uint(5, "refundBefore")),
    ref: data.bytes32("ref"),
    metadataHash: data.bytes32("metadataHash"),
  };
  let signatureLength = 65;
  if (flags & FLAG_LONG_SIGNATURE) {
    signatureLength = data.leb128("signature length");
    if (signatureLength === 65) data.fail("a 65-byte signature must not carry a length");
    if (signatureLength > MAX_SIGNATURE_BYTES) data.fail(`signature is ${signatureLength} bytes`);
  }
  const signature = bytesToHex(data.take(signatureLength, "signature"));
  const metadata = flags & FLAG_METADATA ? readMetadata(data) : undefined;
  data.end();

  checkLinkTarget(WHAT, { chainId, token }, options);
  if (options.escrow !== undefined && !isAddressEqual(options.escrow, escrow)) {
    throw new LinkError("WRONG_ESCROW", `link is for escrow ${escrow}, wallet uses escrow ${options.escrow}`, {
      hint: "Only pay invoices through the escrow your wallet is configured with.",
    });
  }
  if (metadata !== undefined) checkMetadata(metadata, invoice.metadataHash, WHAT);
  const id = invoiceId({ chainId, escrow, invoice });
  const check = await checkMerchantSignature(chainId, escrow, invoice, signature);
  return { chainId, escrow, invoice, signature, id, metadata, ...check };
}

function readMetadata(data: ByteReader): InvoiceMetadata {
  // Byte limits are loose bounds (4 bytes per code point); parseInvoiceMetadata applies the real rules.
  const title = data.string("metadata title", 4 * METADATA_LIMITS.title);
  const count = data.leb128("metadata item count");
  if (count > METADATA_LIMITS.items) data.fail(`${count} metadata items, at most ${METADATA_LIMITS.items}`);
  const items = Array.from({ length: count }, (_, i) => ({
    name: data.string(`metadata item ${i} name`, 4 * METADATA_LIMITS.itemName),
    quantity: data.string(`metadata item ${i} quantity`, METADATA_LIMITS.decimal),
    price: data.string(`metadata item ${i} price`, METADATA_LIMITS.decimal),
  }));
  const memo = data.string("metadata memo", 4 * METADATA_LIMITS.memo);
  return parseInvoiceMetadata({ title, items, ...(memo === "" ? {} : { memo }) });
}

function checkMetadata(metadata: InvoiceMetadata, expected: Hex, what: string) {
  const actual = metadataHash(metadata);
  if (actual.toLowerCase() !== expected.toLowerCase()) {
    throw new LinkError("METADATA_MISMATCH", `${what}: metadata hashes to ${actual}, the invoice signs ${expected}`, {
      hint: "The title and items do not match what the merchant signed; do not pay on the strength of them.",
    });
  }
}
