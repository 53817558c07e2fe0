// balance and history: from the node's API when --node is set (fast, indexed), else from the chain. The
// node's path loads neither viem nor the chain client (see ../light.ts): `gram balance --node` is a
// process start and two HTTP requests, through the node client (wallet/node/).
import type { Address } from "viem";
import { formatAmount } from "../../../protocol/amounts.ts";
import type { HistoryItem } from "../../../protocol/api.ts";
import { checksumAddress } from "../../../protocol/checksum.ts";
import { csvLine, HISTORY_CSV_COLUMNS, historyRowOf } from "../../history/history-rows.ts";
import { getAccount } from "../../node/getAccount.ts";
import { getHistory } from "../../node/getHistory.ts";
import { getStatus } from "../../node/getStatus.ts";
import { nodeClient, nodeUrl } from "../config.ts";
import { CliError } from "../errors.ts";
import { readAccountAddress, recordedToken } from "../light.ts";
import type { Cli } from "../options.ts";
import { type CommandResult, result } from "../output.ts";
import { time } from "../render.ts";

async function whose(cli: Cli, of: string | undefined): Promise<Address> {
  if (of === undefined) return readAccountAddress(cli);
  const { parseAddress } = await import("../../address.ts");
  return parseAddress(of, "--of");
}

export async function balance(cli: Cli, options: { of?: string }): Promise<CommandResult> {
  const address = await whose(cli, options.of);
  const url = nodeUrl(cli);
  if (url !== undefined) {
    const node = nodeClient(url);
    const [status, account] = await Promise.all([getStatus(node), getAccount(node, { address })]);
    const token = (await recordedToken(cli, status.chainId))?.toLowerCase();
    const balances = account.balances
      .filter((b) => token === undefined || b.token.toLowerCase() === token)
      .map((b) => ({
        token: checksumAddress(b.token),
        symbol: b.symbol,
        decimals: b.decimals,
        units: b.balance,
        formatted: b.decimals === null ? null : formatAmount(BigInt(b.balance), b.decimals),
        confirmedUnits: b.confirmed,
        confirmedFormatted: b.decimals === null ? null : formatAmount(BigInt(b.confirmed), b.decimals),
      }));
    return result(
      {
        address,
        source: "node",
        chainId: status.chainId,
        block: account.block,
        confirmedBlock: account.confirmedBlock,
        balances,
      },
      balances.map((b) => {
        const line = `${b.formatted ?? `${b.units} base units of`} ${b.symbol ?? b.token}`;
        // Pending: in a block the node has indexed but not yet deep enough (`--confirmations`).
        return b.units === b.confirmedUnits ? line : `${line} (${b.confirmedFormatted ?? b.confirmedUnits} confirmed)`;
      }),
    );
  }
  const [{ connect }, { readBalance }] = await Promise.all([
    import("../context.ts"),
    import("../../actions/readBalance.ts"),
  ]);
  const { client } = await connect(cli);
  const read = await readBalance(client, { address });
  const balances = [
    {
      token: read.token.address,
      symbol: read.token.symbol,
      decimals: read.token.decimals,
      units: read.balance.units.toString(),
      formatted: read.balance.formatted,
    },
  ];
  return result(
    {
      address,
      source: "chain",
      chainId: client.chainId,
      block: Number(read.blockNumber),
      balances,
      native: { symbol: read.native.symbol, units: read.native.units.toString(), formatted: read.native.formatted },
    },
    [`${read.balance.formatted} ${read.token.symbol}`, `${read.native.formatted} ${read.native.symbol} (for gas)`],
  );
}

interface Row {
  time: string;
  type: string;
  direction: string;
  counterparty: string;
  amount: string;
  symbol: string;
  tx: string;
  block: number;
}

export async function history(
  cli: Cli,
  options: { of?: string; csv?: boolean; limit?: string },
): Promise<CommandResult> {
  const address = await whose(cli, options.of);
  const limit = options.limit === undefined ? 50 : Number(options.limit);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) {
    throw new CliError("INVALID_OPTION", `--limit: got '${options.limit}', expected an integer 1..1000`);
  }
  const url = nodeUrl(cli);
  let rows: Row[];
  let source: "node" | "chain";
  if (url !== undefined) {
    source = "node";
    const node = nodeClient(url);
    const [page, account] = await Promise.all([getHistory(node, { address, limit }), getAccount(node, { address })]);
    const tokens = new Map(account.balances.map((b) => [b.token.toLowerCase(), b]));
    rows = page.items.map((item) => {
      const row = rowOfNodeItem(item);
      const token = "token" in item ? tokens.get(item.token.toLowerCase()) : undefined;
      if (token?.decimals == null || row.amount === "") return row;
      return { ...row, amount: formatAmount(BigInt(row.amount), token.decimals), symbol: token.symbol ?? "" };
    });
  } else {
    source = "chain";
    const [{ connect }, { readHistory }] = await Promise.all([
      import("../context.ts"),
      import("../../actions/readHistory.ts"),
    ]);
    const { client, deployment } = await connect(cli);
    const read = await readHistory(client, { address, fromBlock: BigInt(deployment.deployBlock), limit });
    rows = read.entries.map((e) => ({
      time: time(e.timestamp),
      type: "transfer",
      direction: e.direction,
      counterparty: e.counterparty,
      amount: e.amount,
      symbol: read.token.symbol,
      tx: e.hash,
      block: Number(e.blockNumber),
    }));
  }
  if (options.csv) {
    const header = HISTORY_CSV_COLUMNS.join(",");
    const lines = rows.map((r) =>
      csvLine([r.time, r.type, r.direction, r.counterparty, r.amount, r.symbol, r.tx, r.block]),
    );
    return result({ address, source, csv: [header, ...lines].join("\n") }, [header, ...lines]);
  }
  return result(
    { address, source, entries: rows },
    rows.length === 0
      ? ["no transfers yet"]
      : rows.map(
          (r) =>
            `${r.time || `block ${r.block}`}  ${r.direction.padEnd(4)} ${r.amount.padStart(14)} ${r.symbol}  ${r.counterparty}  ${r.tx}`,
        ),
  );
}

function rowOfNodeItem(item: HistoryItem): Row {
  const { type, direction, counterparty, units } = historyRowOf(item);
  // Base units, named so, until the token's decimals are known; no amount of its own: no unit either.
  const symbol = units === undefined ? "" : "units";
  // In the order `--json` has always given them.
  return { time: "", tx: item.tx, block: item.block, symbol, type, direction, counterparty, amount: units ?? "" };
}
