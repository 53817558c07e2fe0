export {
  type AllocateInvoiceNonceParameters,
  allocateInvoiceNonce,
  invoiceCounterFile,
} from "./allocateInvoiceNonce.ts";
export { type CreateInvoiceParameters, type CreateInvoiceReturnType, createInvoice } from "./createInvoice.ts";
export {
  invoiceFile,
  invoicesDir,
  invoiceToJson,
  readAllInvoices,
  readInvoice,
  type StoredInvoice,
  saveInvoice,
} from "./invoice-store.ts";
export { type ListInvoicesParameters, type ListInvoicesReturnType, listInvoices } from "./listInvoices.ts";
export { type InvoiceState, readInvoiceState } from "./readInvoiceState.ts";
export { type ShowInvoiceParameters, type ShowInvoiceReturnType, showInvoice } from "./showInvoice.ts";
