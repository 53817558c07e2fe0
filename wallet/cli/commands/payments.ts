// send, request, pay: payments between people, and paying a merchant's invoice link.
import { type Address, getAddress } from "viem";
import { formatAmount } from "../../../protocol/amounts.ts";
import { decodeLink } from "../../../protocol/links/decode-link.ts";
import { encodeRequestLink } from "../../../protocol/links/request-link.ts";
import { parseTokenAmount } from "../../actions/internal/amount.ts";
import { chainNow } from "../../actions/internal/chainNow.ts";
import { checkPayable } from "../../actions/internal/checkPayable.ts";
import { payInvoice } from "../../actions/payInvoice.ts";
import { payInvoiceGasless } from "../../actions/payInvoiceGasless.ts";
import { readTokenInfo } from "../../actions/readTokenInfo.ts";
import { ensureBalance } from "../../actions/sendTransfer.ts";
import { parseAddress } from "../../address.ts";
import { resolveRecipient } from "../../contacts/resolveRecipient.ts";
import { InvalidAmountError } from "../../errors.ts";
import type { TransactionSummary } from "../../summary/types.ts";
import { nodeClient, requireNode } from "../config.ts";
import { confirmer, connect, selectAccount, unlock, useAccount } from "../context.ts";
import { CliError } from "../errors.ts";
import { parseDuration } from "../option-values.ts";
import type { Cli } from "../options.ts";
import { type CommandResult, result } from "../output.ts";
import { time } from "../render.ts";
import { shareLink } from "../share-link.ts";
import { checkSafety, labels, transfer, waitFor, waitForGasless } from "./transfer.ts";

export async function send(
  cli: Cli,
  to: string,
  amount: string,
  options: { token?: string; gasless?: boolean; iKnow?: boolean },
): Promise<CommandResult> {
  const account = await selectAccount(cli);
  const token = options.token === undefined ? undefined : parseAddress(options.token, "--token");
  const connection = await connect(cli);
  const { address: recipient, contact } = await resolveRecipient({ home: cli.home, recipient: to });
  return transfer(cli, connection, {
    account,
    recipient,
    amount,
    token,
    gasless: options.gasless,
    iKnow: options.iKnow,
    extra: contact ? { contact } : {},
  });
}

export async function request(
  cli: Cli,
  amount: string,
  options: { memo?: string; expires?: string; png?: string; svg?: string },
): Promise<CommandResult> {
  const account = await selectAccount(cli);
  const seconds = options.expires === undefined ? undefined : parseDuration(options.expires, "--expires");
  const { client } = await connect(cli);
  const { units, token } = await parseTokenAmount(client, { text: amount, what: "amount" });
  if (units === 0n)
    throw new InvalidAmountError("amount: a request for 0 asks for nothing; expected more than 0", { reason: "zero" });
  const expiry = seconds === undefined ? undefined : (await chainNow(client)) + seconds;
  const link = encodeRequestLink({
    chainId: client.chainId,
    to: account.address,
    token: token.address,
    amount: units,
    ...(expiry === undefined ? {} : { expiry }),
    ...(options.memo === undefined ? {} : { memo: options.memo }),
  });
  const { files, lines } = await shareLink(cli, link, options);
  const formatted = formatAmount(units, token.decimals);
  const text = [
    `request: ${formatted} ${token.symbol} to ${account.address}${options.memo ? ` for "${options.memo}"` : ""}`,
    ...(expiry === undefined ? [] : [`expires ${time(expiry)}`]),
    ...lines,
  ];
  return result(
    {
      link,
      to: account.address,
      amount: formatted,
      units: units.toString(),
      symbol: token.symbol,
      token: token.address,
      chainId: client.chainId,
      expiry: expiry ?? null,
      memo: options.memo ?? null,
      files,
    },
    text,
  );
}

export async function pay(
  cli: Cli,
  link: string,
  options: { tip?: string; gasless?: boolean; permit?: boolean; amount?: string; iKnow?: boolean },
): Promise<CommandResult> {
  if (options.gasless && options.permit) throw new CliError("USAGE", "--gasless and --permit: choose one");
  const account = await selectAccount(cli);
  const connection = await connect(cli);
  const { client } = connection;
  const decoded = await decodeLink(link, {
    chainId: client.chainId,
    token: client.contracts.token,
    escrow: client.contracts.escrow,
  });
  if (decoded.kind !== "invoice") {
    if (options.tip !== undefined) throw new CliError("USAGE", "--tip is for invoices; this link is a plain payment");
    if (options.permit) throw new CliError("USAGE", "--permit is for invoices; this link is a plain payment");
    const r = decoded.request;
    const expiry = decoded.kind === "request" ? decoded.request.expiry : undefined;
    if (expiry !== undefined && (await chainNow(client)) >= expiry) {
      throw new CliError("LINK_EXPIRED", `the payment request expired at ${time(expiry)}`, {
        hint: "ask the payee for a new link",
      });
    }
    const token = r.token as Address;
    const info = await readTokenInfo(client, { token });
    let amount: string;
    if (r.amount === undefined) {
      if (options.amount === undefined) {
        throw new CliError("USAGE", "the link leaves the amount to the payer; pass --amount <amount>");
      }
      amount = options.amount;
    } else {
      if (options.amount !== undefined) throw new CliError("USAGE", "the link sets the amount; leave out --amount");
      amount = formatAmount(r.amount, info.decimals);
    }
    if (r.memo) cli.out.note(`memo: ${r.memo}`);
    return transfer(cli, connection, {
      account,
      recipient: getAddress(r.to),
      amount,
      token,
      gasless: options.gasless,
      iKnow: options.iKnow,
      linkChainId: r.chainId,
      linkToken: token,
      extra: { link: decoded.kind, ...(r.memo ? { memo: r.memo } : {}) },
    });
  }

  const { invoice, signature, metadata } = decoded.invoice;
  const tip = options.tip ?? "0";
  const node = options.gasless ? nodeClient(requireNode(cli, "--gasless")) : undefined;
  // Signature, payer, deadline, tip and "not yet paid", before the password is asked for.
  const checked = await checkPayable(client, { invoice, merchantSignature: signature, payer: account.address, tip });
  await ensureBalance(client, { owner: account.address, token: checked.token, units: invoice.amount + checked.tip });
  if (metadata) {
    cli.out.note(`Invoice: ${metadata.title}`);
    for (const item of metadata.items) cli.out.note(`  ${item.quantity} × ${item.name} @ ${item.price}`);
    if (metadata.memo) cli.out.note(`  memo: ${metadata.memo}`);
  }
  const warnings = await checkSafety(cli, connection, account.address, {
    recipient: invoice.merchant,
    chainId: decoded.invoice.chainId,
    token: invoice.token,
    iKnow: options.iKnow,
  });
  useAccount(client, await unlock(cli, account));
  const shown: TransactionSummary[] = [];
  const confirm = confirmer(cli, shown, await labels(cli.home));
  const stored = metadata
    ? { title: metadata.title, items: metadata.items, ...(metadata.memo ? { memo: metadata.memo } : {}) }
    : undefined;
  const common = {
    id: checked.id,
    merchant: invoice.merchant,
    amount: formatAmount(invoice.amount, checked.token.decimals),
    tip: formatAmount(checked.tip, checked.token.decimals),
    symbol: checked.token.symbol,
    title: metadata?.title ?? null,
    warnings,
  };
  if (node !== undefined) {
    const { hash, request } = await payInvoiceGasless(client, {
      node,
      invoice,
      merchantSignature: signature,
      tip,
      metadata: stored,
      confirm,
    });
    const receipt = await waitForGasless(client, hash, request);
    return result({ ...common, method: "gasless", hash, ...receipt, summaries: shown }, [
      `paid invoice ${checked.id} (gasless)`,
      `tx ${hash} ${receipt.status}`,
    ]);
  }
  const paid = await payInvoice(client, {
    invoice,
    merchantSignature: signature,
    tip,
    method: options.permit ? "permit" : "direct",
    metadata: stored,
    confirm,
  });
  const receipt = await waitFor(client, paid.hash);
  return result(
    {
      ...common,
      method: options.permit ? "permit" : "direct",
      hash: paid.hash,
      approval: paid.approval?.hash ?? null,
      ...receipt,
      summaries: shown,
    },
    [
      `paid ${common.amount} ${common.symbol}${checked.tip > 0n ? ` + ${common.tip} tip` : ""} for invoice ${checked.id}`,
      `the escrow holds it until the merchant captures it; \`gram confirm ${checked.id.slice(0, 10)}\` releases it`,
      `tx ${paid.hash} ${receipt.status} in block ${receipt.blockNumber}`,
    ],
  );
}
