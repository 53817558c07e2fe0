// Text for people: the summary shown before signing, amounts and times.
import type { SafetyWarning } from "../summary/checkPaymentSafety.ts";
import type { TransactionSummary } from "../summary/types.ts";

const ACTIONS: Record<TransactionSummary["action"], string> = {
  transfer: "send tokens",
  approve: "allow the escrow to take tokens",
  nativeTransfer: "send native currency",
  cancel: "cancel a pending transaction",
  gaslessTransfer: "send tokens (gasless: the relayer pays the gas)",
  pay: "pay an invoice",
  payWithPermit: "pay an invoice (with a permit)",
  payWithAuthorization: "pay an invoice (gasless)",
  cancelInvoice: "cancel an invoice number",
  capture: "capture a held payment",
  confirm: "release a held payment to the merchant",
  void: "return a held payment to the payer",
  reclaim: "take back a held payment",
  refund: "refund a captured payment",
  dispute: "dispute a held payment",
  resolve: "resolve a dispute",
  withdraw: "withdraw from the escrow balance",
  permit: "sign a permit",
  signInvoice: "sign an invoice",
  cancelAuthorization: "cancel an authorization",
};

/**
 * The summary as lines, every field decoded from what is about to be signed. `labels` names known
 * addresses (`@bob`).
 */
export function renderSummary(summary: TransactionSummary, labels: Record<string, string> = {}): string[] {
  const name = (address: string) => {
    const label = labels[address.toLowerCase()];
    return label ? `${address} (${label})` : address;
  };
  const token = summary.token ? `${summary.token.symbol} (${summary.token.address})` : "";
  const lines = [
    `${summary.kind === "signature" ? "Signature" : "Transaction"}: ${ACTIONS[summary.action]}`,
    `  from      ${summary.from}`,
  ];
  if (summary.recipient) lines.push(`  to        ${name(summary.recipient)}`);
  if (summary.amount) lines.push(`  amount    ${summary.amount.formatted} ${token || "ETH"}`);
  if (summary.tip) lines.push(`  tip       ${summary.tip.formatted} ${summary.token?.symbol ?? ""}`);
  if (summary.invoiceId) lines.push(`  invoice   ${summary.invoiceId}`);
  lines.push(`  contract  ${summary.contract}${summary.knownContract ? ` (Gram ${summary.knownContract})` : ""}`);
  lines.push(`  chain     ${summary.chainId}${summary.chainName ? ` (${summary.chainName})` : ""}`);
  if (summary.fee) {
    lines.push(`  fee       at most ${summary.fee.max.formatted} ${summary.fee.symbol} (gas ${summary.fee.gas})`);
  }
  if (summary.expiry !== undefined) lines.push(`  expires   ${time(summary.expiry)}`);
  if (summary.nonce !== undefined) lines.push(`  replaces  nonce ${summary.nonce}`);
  for (const note of summary.notes) lines.push(`  note      ${note}`);
  return lines;
}

export function renderWarning(warning: SafetyWarning): string {
  const level = warning.level === "notice" ? "notice" : warning.level === "block" ? "WARNING" : "REFUSED";
  return `${level}: ${warning.message}`;
}

/** Unix seconds as an ISO time without milliseconds. */
export function time(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
}
