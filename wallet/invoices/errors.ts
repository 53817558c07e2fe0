import { WalletError } from "../errors.ts";

export class InvoiceNotFoundError extends WalletError {
  override name = "InvoiceNotFoundError";
  readonly code = "INVOICE_NOT_FOUND";
}

/** A file under `$GRAM_HOME/invoices` that is not what this wallet writes. */
export class InvoiceFileError extends WalletError {
  override name = "InvoiceFileError";
  readonly code = "INVOICE_FILE_INVALID";
}

/** Invoice inputs that do not make an invoice: deadlines out of order, cashback above 100%, … */
export class InvoiceInputError extends WalletError {
  override name = "InvoiceInputError";
  readonly code = "INVALID_INVOICE_INPUT";
}
