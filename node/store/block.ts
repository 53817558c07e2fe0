import type { Hex } from "viem";

/** A block as the indexer keeps it: enough to follow parent hashes. */
export interface BlockRef {
  number: number;
  hash: Hex;
  parentHash: Hex;
}

/** The last block whose effects are in the store. */
export interface Cursor {
  number: number;
  hash: Hex;
}

export const encodeHeader = (block: BlockRef) => `${block.hash}:${block.parentHash}`;

export function decodeHeader(number: number, value: string): BlockRef {
  const [hash, parentHash] = value.split(":") as [Hex, Hex];
  return { number, hash, parentHash };
}

export const encodeCursor = (cursor: Cursor) => `${cursor.number}:${cursor.hash}`;

export function decodeCursor(value: string): Cursor {
  const [number, hash] = value.split(":") as [string, Hex];
  return { number: Number(number), hash };
}
