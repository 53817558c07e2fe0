import { type Address, encodeFunctionData } from "viem";
import { gramTokenAbi } from "../../protocol/abis.ts";
import { formatAmount } from "../../protocol/amounts.ts";
import { resolveRecipient } from "../contacts/resolveRecipient.ts";
import { InsufficientBalanceError, InvalidAmountError } from "../errors.ts";
import { type GramClient, requireAccount } from "./client.ts";
import { parseTokenAmount } from "./internal/amount.ts";
import { type Confirm, type SentTransaction, submitTransaction } from "./internal/submitTransaction.ts";

export interface SendTransferParameters {
  /** `@name` from the contacts or an address (EIP-55 checked when mixed case). */
  to: string;
  /** In whole tokens, as the user typed it: "12.5". */
  amount: string;
  /** @default the configured GramToken */
  token?: Address | undefined;
  confirm?: Confirm | undefined;
}

export type SendTransferReturnType = SentTransaction;

/**
 * Sends tokens with an ERC-20 `transfer` from the unlocked account: amount parsed with the token's own
 * decimals, balance checked, EIP-1559 fees estimated, nonce from the nonce manager. Resolves once the
 * node has the transaction; wait for its receipt with `waitForTransactionReceipt`.
 *
 * @example
 * const { hash, summary } = await sendTransfer(client, { to: "@bob", amount: "12.5", confirm: askUser });
 */
export async function sendTransfer(
  client: GramClient,
  { to, amount, token = client.contracts.token, confirm }: SendTransferParameters,
): Promise<SendTransferReturnType> {
  const account = requireAccount(client);
  const { address: recipient } = await resolveRecipient({ contacts: client.stores.contacts, recipient: to });
  const { units, token: info } = await parseTokenAmount(client, { text: amount, token, what: "amount" });
  if (units === 0n) throw new InvalidAmountError("amount: 0 sends nothing; expected more than 0", { reason: "zero" });
  await ensureBalance(client, { owner: account.address, token: info, units });
  return submitTransaction(
    client,
    {
      to: info.address,
      data: encodeFunctionData({ abi: gramTokenAbi, functionName: "transfer", args: [recipient, units] }),
    },
    { confirm, what: "transfer" },
  );
}

/** Refuses to sign what the balance cannot cover, saying how much is there. */
export async function ensureBalance(
  client: GramClient,
  {
    owner,
    token,
    units,
  }: { owner: Address; token: { address: Address; symbol: string; decimals: number }; units: bigint },
) {
  const balance = await client.publicClient.readContract({
    address: token.address,
    abi: gramTokenAbi,
    functionName: "balanceOf",
    args: [owner],
  });
  if (balance < units) {
    throw new InsufficientBalanceError(
      `balance is ${formatAmount(balance, token.decimals)} ${token.symbol}; ${formatAmount(units, token.decimals)} ${token.symbol} needed`,
    );
  }
}
