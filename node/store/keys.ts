/**
 * The LevelDB key schema. Keys and values are UTF-8 strings; addresses are lowercase `0x…` hex; amounts
 * are unsigned decimal strings (a missing key is zero, and a zero amount is deleted rather than stored);
 * block numbers are zero-padded to 12 digits and log indexes to 6, so that byte order is chain order and a
 * reverse iterator over a prefix yields newest first.
 *
 * | key                                        | value                                          |
 * | ------------------------------------------ | ---------------------------------------------- |
 * | `m:cursor`                                 | `<number>:<hash>` last block fully applied      |
 * | `m:chain`                                  | JSON {chainId, contracts, fromBlock}: whose data |
 * | `m:events`                                 | events indexed so far (decimal)                 |
 * | `h:<block>`                                | `<hash>:<parentHash>` of a block kept for reorgs |
 * | `u:<block>`                                | JSON [[key, previous value or null], …]: undo   |
 * | `b:<token>:<account>`                      | token balance                                   |
 * | `x:<account>:<block>:<logIndex>:<n>`       | JSON history entry (n: 0, 1 for a self-transfer) |
 * | `i:<invoiceId>`                            | JSON invoice state                              |
 * | `im:<merchant>:<block>:<logIndex>:<id>`    | "" invoice index by merchant (paid at)          |
 * | `ip:<payer>:<block>:<logIndex>:<id>`       | "" invoice index by payer (paid at)             |
 * | `ic:<merchant>:<nonce>`                    | `<block>` invoice number canceled unpaid         |
 * | `e:<merchant>:<token>`                     | merchant's balance in the escrow                |
 * | `f:<token>`                                | withdrawal fees accrued in the escrow           |
 * | `c:<account>:<token>`                      | payer's credit in the escrow, to claim          |
 * | `n:<token>:<authorizer>:<nonce>`           | `used` or `canceled`: ERC-3009 nonce state      |
 *
 * Headers and undo records exist only for blocks that are not final yet (the last `finality` blocks
 * below the cursor, plus the block at the boundary): older ones are pruned in the same batch that moves
 * the cursor.
 */

const BLOCK_WIDTH = 12;
const LOG_INDEX_WIDTH = 6;

const pad = (n: number | bigint, width: number) => n.toString().padStart(width, "0");
const padBlock = (block: number) => pad(block, BLOCK_WIDTH);
const padLog = (logIndex: number) => pad(logIndex, LOG_INDEX_WIDTH);

export const cursorKey = "m:cursor";
export const chainKey = "m:chain";
export const eventsKey = "m:events";

export const headerKey = (block: number) => `h:${padBlock(block)}`;
export const headerPrefix = "h:";
export const undoKey = (block: number) => `u:${padBlock(block)}`;
export const undoPrefix = "u:";

export const balanceKey = (token: string, account: string) => `b:${token}:${account}`;

export const historyKey = (account: string, block: number, logIndex: number, n: number) =>
  `x:${account}:${padBlock(block)}:${padLog(logIndex)}:${n}`;
export const historyPrefix = (account: string) => `x:${account}:`;

export const invoiceKey = (id: string) => `i:${id}`;
export const merchantInvoiceKey = (merchant: string, block: number, logIndex: number, id: string) =>
  `im:${merchant}:${padBlock(block)}:${padLog(logIndex)}:${id}`;
export const merchantInvoicePrefix = (merchant: string) => `im:${merchant}:`;
export const payerInvoiceKey = (payer: string, block: number, logIndex: number, id: string) =>
  `ip:${payer}:${padBlock(block)}:${padLog(logIndex)}:${id}`;
export const canceledInvoiceKey = (merchant: string, nonce: bigint) => `ic:${merchant}:${nonce}`;

export const escrowBalanceKey = (merchant: string, token: string) => `e:${merchant}:${token}`;
export const escrowBalancePrefix = (merchant: string) => `e:${merchant}:`;
export const feesKey = (token: string) => `f:${token}`;
export const creditKey = (account: string, token: string) => `c:${account}:${token}`;
export const nonceKey = (token: string, authorizer: string, nonce: string) => `n:${token}:${authorizer}:${nonce}`;

/**
 * The first key past every key that starts with `prefix` (its last character, plus one): the upper bound
 * of a prefix scan, exact whatever characters follow the prefix.
 */
export const prefixEnd = (prefix: string) =>
  prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
