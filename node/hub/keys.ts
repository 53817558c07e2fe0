/**
 * The chat hub's LevelDB key schema: a database of its own (by default `<data-dir>/hub`), apart from the
 * indexer's, because chat history cannot be rebuilt from the chain. Keys and values are UTF-8; addresses
 * lowercase `0x…`; seqs and indexes zero-padded to 16 digits so that byte order is numeric order.
 *
 * | key                               | value                                                        |
 * | --------------------------------- | ------------------------------------------------------------ |
 * | `meta:layout`                     | `1`: the layout version of this table                         |
 * | `meta:status`                     | last block whose events were turned into statuses             |
 * | `u:<username>`                    | the address it belongs to                                     |
 * | `n:<address>`                     | the address's username                                       |
 * | `h:<username>`                    | JSON {address, until}: a name its owner gave up, held for it until unix ms `until` |
 * | `hb:<address>`                    | the one name held for the address (a second release frees the first) |
 * | `k:<address>`                     | unix ms of its first sign-in: statuses go to known addresses |
 * | `a:<address>`                     | the highest seq it acknowledged                               |
 * | `i:<address>:<seq>`               | inbox entry: `m<from>:<id>` a message, `g<groupId>` a group, `s<json>` a status |
 * | `m:<from>:<id>`                   | the envelope (JSON); also what makes a replayed id refused    |
 * | `c:<conversation>:<index>`        | `<from>:<id>`: the conversation's messages in order           |
 * | `g:<groupId>`                     | the group (JSON `GroupInfo`)                                  |
 * | `p:<address>:<groupId>`           | "": the groups an address is a member of                      |
 * | `r:<block>:<logIndex>`            | JSON {status, to}: a status of a block that may be reorganised away |
 *
 * Nothing is ever rewritten but `meta:*`, `a:` and usernames (`u:`, `n:`, `h:`, `hb:`); entries are added in atomic batches, each
 * with every key it implies (a message, its conversation entry and every member's inbox entry together).
 */

export const LAYOUT_VERSION = "1";

const SEQ_WIDTH = 16;
const pad = (n: number, width = SEQ_WIDTH) => n.toString().padStart(width, "0");

export const layoutKey = "meta:layout";
export const statusCursorKey = "meta:status";

export const usernameKey = (name: string) => `u:${name}`;
export const nameOfKey = (address: string) => `n:${address}`;
export const heldNameKey = (name: string) => `h:${name}`;
export const heldByKey = (address: string) => `hb:${address}`;
export const knownKey = (address: string) => `k:${address}`;
export const knownPrefix = "k:";
export const ackKey = (address: string) => `a:${address}`;

export const inboxPrefix = (address: string) => `i:${address}:`;
export const inboxKey = (address: string, seq: number) => `i:${address}:${pad(seq)}`;

export const messageRef = (from: string, id: string) => `${from}:${id}`;
export const messageKey = (ref: string) => `m:${ref}`;

export const conversationPrefix = (conversation: string) => `c:${conversation}:`;
export const conversationKey = (conversation: string, index: number) => `c:${conversation}:${pad(index)}`;

export const groupKey = (id: string) => `g:${id}`;
export const membershipPrefix = (address: string) => `p:${address}:`;
export const membershipKey = (address: string, id: string) => `p:${address}:${id}`;

export const pendingStatusPrefix = "r:";
export const pendingStatusKey = (block: number, logIndex: number) => `r:${pad(block, 12)}:${pad(logIndex, 6)}`;

// The upper bound of a prefix scan: the store's.
export { prefixEnd } from "../store/keys.ts";

/** The number at the end of a padded key. */
export const trailingNumber = (key: string) => Number(key.slice(key.lastIndexOf(":") + 1));
