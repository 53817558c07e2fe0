// The steps every payment takes, in this order: inputs checked read-only (recipient, amount, balance),
// safety warnings (a look-alike address blocks even --yes unless --i-know), then unlock, summary,
// confirmation, sign, send, wait.
import type { Address, Hash } from "viem";
import { formatAmount } from "../../../protocol/amounts.ts";
import type { RelayPayRequestJson, RelayTransferRequestJson } from "../../../protocol/relay.ts";
import type { GramClient } from "../../actions/client.ts";
import { parseTokenAmount } from "../../actions/internal/amount.ts";
import { ensureBalance, sendTransfer } from "../../actions/sendTransfer.ts";
import { sendTransferGasless } from "../../actions/sendTransferGasless.ts";
import { waitForRelayedPayment } from "../../actions/waitForRelayedPayment.ts";
import { readContacts } from "../../contacts/contacts-store.ts";
import { InvalidAmountError } from "../../errors.ts";
import type { AccountInfo } from "../../keys/listAccounts.ts";
import { checkPaymentSafety, type SafetyWarning } from "../../summary/checkPaymentSafety.ts";
import type { TransactionSummary } from "../../summary/types.ts";
import { nodeClient, requireNode } from "../config.ts";
import { type Connection, confirmer, unlock, useAccount } from "../context.ts";
import { CliError } from "../errors.ts";
import type { Cli } from "../options.ts";
import { type CommandResult, result } from "../output.ts";
import { renderWarning } from "../render.ts";

/**
 * Checks what a link or the user asks to pay against the wallet's contacts and history; prints the
 * warnings. Throws on `refuse`, and on `block` unless `iKnow`.
 */
export async function checkSafety(
  cli: Cli,
  connection: Connection,
  from: Address,
  {
    recipient,
    chainId,
    token,
    iKnow,
    hubName,
  }: {
    recipient: Address;
    chainId?: number;
    token?: Address;
    iKnow?: boolean | undefined;
    /** The hub's username the recipient was found by, when it is no contact (`gram chat pay @name`). */
    hubName?: string | undefined;
  },
): Promise<SafetyWarning[]> {
  const safety = await checkPaymentSafety(connection.client, {
    recipient,
    from,
    fromBlock: BigInt(connection.deployment.deployBlock),
    ...(chainId === undefined ? {} : { chainId }),
    ...(token === undefined ? {} : { token }),
    hubName,
  });
  for (const warning of safety.warnings) cli.out.note(renderWarning(warning));
  const first = safety.warnings.find((w) => w.level !== "notice");
  if (safety.refused && first) throw new CliError(first.code, `refused: ${first.message}`);
  if (safety.blocking && first && !iKnow) {
    throw new CliError(first.code, `blocked: ${first.message}; nothing was signed`, {
      hint: "check the address with its owner through another channel; --i-know sends anyway (--yes alone does not)",
    });
  }
  return safety.warnings;
}

/** Contact names by lower-case address, for summaries. */
export async function labels(home: string): Promise<Record<string, string>> {
  const contacts = await readContacts(home);
  return Object.fromEntries(Object.entries(contacts).map(([name, address]) => [address.toLowerCase(), `@${name}`]));
}

export interface TransferParameters {
  account: AccountInfo;
  recipient: Address;
  amount: string;
  token?: Address | undefined;
  gasless?: boolean | undefined;
  iKnow?: boolean | undefined;
  /** What a link named, checked against the wallet's. */
  linkChainId?: number | undefined;
  linkToken?: Address | undefined;
  extra?: Record<string, unknown> | undefined;
}

export async function transfer(cli: Cli, connection: Connection, p: TransferParameters): Promise<CommandResult> {
  const { client } = connection;
  const token = p.token ?? client.contracts.token;
  const node = p.gasless ? nodeClient(requireNode(cli, "--gasless")) : undefined;
  const { units, token: info } = await parseTokenAmount(client, { text: p.amount, token, what: "amount" });
  if (units === 0n) throw new InvalidAmountError("amount: 0 sends nothing; expected more than 0", { reason: "zero" });
  await ensureBalance(client, { owner: p.account.address, token: info, units });
  const warnings = await checkSafety(cli, connection, p.account.address, {
    recipient: p.recipient,
    ...(p.linkChainId === undefined ? {} : { chainId: p.linkChainId }),
    ...(p.linkToken === undefined ? {} : { token: p.linkToken }),
    iKnow: p.iKnow,
  });
  useAccount(client, await unlock(cli, p.account));
  const shown: TransactionSummary[] = [];
  const confirm = confirmer(cli, shown, await labels(client.home));
  const common = {
    from: p.account.address,
    to: p.recipient,
    amount: formatAmount(units, info.decimals),
    units: units.toString(),
    symbol: info.symbol,
    token: info.address,
    warnings,
    ...p.extra,
  };
  if (node !== undefined) {
    const { hash, request, summary } = await sendTransferGasless(client, {
      node,
      to: p.recipient,
      amount: p.amount,
      token,
      confirm,
    });
    const receipt = await waitForGasless(client, hash, request);
    return result({ ...common, gasless: true, hash, ...receipt, summary }, [
      `sent ${common.amount} ${info.symbol} to ${p.recipient} (gasless)`,
      `tx ${hash} ${receipt.status}`,
    ]);
  }
  const sent = await sendTransfer(client, { to: p.recipient, amount: p.amount, token, confirm });
  const receipt = await waitFor(client, sent.hash);
  return result({ ...common, gasless: false, hash: sent.hash, nonce: sent.nonce, ...receipt, summary: sent.summary }, [
    `sent ${common.amount} ${info.symbol} to ${p.recipient}`,
    `tx ${sent.hash} ${receipt.status} in block ${receipt.blockNumber}`,
  ]);
}

/** Waits for the receipt; a reverted transaction is a failure (exit 2). */
export async function waitFor(client: GramClient, hash: Hash) {
  const receipt = await client.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 200, timeout: 120_000 });
  if (receipt.status !== "success") {
    throw new CliError("REVERTED", `transaction ${hash} reverted in block ${receipt.blockNumber}`, { kind: "failure" });
  }
  return { status: receipt.status, blockNumber: Number(receipt.blockNumber), gasUsed: receipt.gasUsed.toString() };
}

/**
 * Waits for a relayed transaction; it counts as paid only if its receipt shows this wallet's own
 * authorization used (and, for an invoice, the invoice paid by this account). Anything else is a
 * RelayedPaymentError (exit 2) saying what happened, until when the authorization stays valid, and how
 * to cancel it.
 */
export async function waitForGasless(
  client: GramClient,
  hash: Hash,
  request: RelayTransferRequestJson | RelayPayRequestJson,
) {
  const receipt = await waitForRelayedPayment(client, { txHash: hash, request });
  return { status: receipt.status, blockNumber: Number(receipt.blockNumber), gasUsed: receipt.gasUsed.toString() };
}
