export { base64UrlDecode, base64UrlEncode } from "./codec.ts";
export { type DecodedLink, decodeLink } from "./decode-link.ts";
export { type Eip681Request, type EncodeEip681Options, encodeEip681, parseEip681 } from "./eip681.ts";
export { LinkError, type LinkErrorCode } from "./errors.ts";
export {
  type DecodedInvoiceLink,
  type DecodeInvoiceLinkOptions,
  decodeInvoiceLink,
  type EncodeInvoiceLinkParameters,
  encodeInvoiceLink,
  INVOICE_LINK_PREFIX,
} from "./invoice-link.ts";
export {
  canonicalMetadata,
  type InvoiceItem,
  type InvoiceMetadata,
  invoiceMetadataSchema,
  METADATA_LIMITS,
  metadataHash,
  parseInvoiceMetadata,
} from "./metadata.ts";
export { decodeRequestLink, encodeRequestLink, type PaymentRequest, REQUEST_LINK_PREFIX } from "./request-link.ts";
export { checkMerchantSignature, type MerchantSignatureCheck } from "./signature.ts";
export type { LinkTargetOptions } from "./target.ts";
