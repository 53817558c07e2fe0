export { type AllocateInvoiceNonceParameters, allocateInvoiceNonce } from "./allocateInvoiceNonce.ts";
export { type CreateInvoiceParameters, type CreateInvoiceReturnType, createInvoice } from "./createInvoice.ts";
export {
  fileInvoiceStore,
  invoiceCounterFile,
  invoiceFile,
  invoicesDir,
  readAllInvoices,
  readInvoice,
  saveInvoice,
} from "./invoice-store.ts";
export { type ListInvoicesParameters, type ListInvoicesReturnType, listInvoices } from "./listInvoices.ts";
export { type InvoiceState, readInvoiceState } from "./readInvoiceState.ts";
export {
  type RecoverPaidInvoiceParameters,
  type RecoverPaidInvoiceReturnType,
  recoverPaidInvoice,
} from "./recoverPaidInvoice.ts";
export { type ShowInvoiceParameters, type ShowInvoiceReturnType, showInvoice } from "./showInvoice.ts";
export {
  allInvoices,
  findInvoice,
  type InvoiceCounterKey,
  type InvoiceStore,
  invoiceToJson,
  memoryInvoiceStore,
  parseStoredInvoice,
  type StoredInvoice,
} from "./stored-invoices.ts";
