import {
  type Address,
  BaseError,
  Eip1559FeesNotSupportedError,
  type Hex,
  InsufficientFundsError,
  keccak256,
  type LocalAccount,
  NonceTooLowError,
} from "viem";
import type { Log } from "../indexer/context.ts";
import { createSerial } from "../serial.ts";
import type { RelayerPublicClient, RelayerWalletClient } from "./context.ts";
import { RelayerUnavailableError } from "./errors.ts";
import type { RelayRecord, RelayRecords } from "./records.ts";

export interface SubmitParameters {
  /** The idempotency record's key. */
  key: string;
  kind: RelayRecord["kind"];
  id: Hex;
  to: Address;
  data: Hex;
  gas: bigint;
}

export interface Submitter {
  /** Signs, records and broadcasts one transaction; resolves to its hash once the node has accepted it. */
  submit(params: SubmitParameters): Promise<Hex>;
  /** Broadcasts a recorded transaction again; false when the chain refuses it (its nonce went to another). */
  rebroadcast(record: RelayRecord): Promise<boolean>;
}

export interface CreateSubmitterParameters {
  publicClient: RelayerPublicClient;
  walletClient: RelayerWalletClient;
  account: LocalAccount;
  chainId: number;
  records: RelayRecords;
  log: Log;
}

/**
 * Sends the relayer's transactions one at a time from its own key, with its own nonce counter: read
 * from the chain (pending) once, then counted up locally, so concurrent relays never share a nonce.
 * Each transaction is signed locally and its record written (fsync'd) before it is broadcast; a
 * broadcast the node refuses deletes the record and re-reads the nonce from the chain.
 *
 * @example
 * const submitter = createSubmitter({ publicClient, walletClient, account, chainId, records, log });
 * const hash = await submitter.submit({ key, kind: "transfer", id, to: token, data, gas });
 */
export function createSubmitter({
  publicClient,
  walletClient,
  account,
  chainId,
  records,
  log,
}: CreateSubmitterParameters): Submitter {
  let next: number | undefined;
  const serialize = createSerial();

  async function fees() {
    try {
      const { maxFeePerGas, maxPriorityFeePerGas } = await publicClient.estimateFeesPerGas();
      return { type: "eip1559", maxFeePerGas, maxPriorityFeePerGas } as const;
    } catch (error) {
      if (!(error instanceof Eip1559FeesNotSupportedError)) throw error;
      return { type: "legacy", gasPrice: await publicClient.getGasPrice() } as const;
    }
  }

  return {
    async submit({ key, kind, id, to, data, gas }) {
      let price: Awaited<ReturnType<typeof fees>>;
      try {
        price = await fees();
      } catch (error) {
        throw new RelayerUnavailableError("the relayer could not read the chain's gas price", { cause: error });
      }
      const readNonce = async () => {
        try {
          return await publicClient.getTransactionCount({ address: account.address, blockTag: "pending" });
        } catch (error) {
          throw new RelayerUnavailableError("the relayer could not read its account's nonce", { cause: error });
        }
      };
      const send = async (nonce: number) => {
        const raw = await account.signTransaction({ chainId, to, data, gas, nonce, ...price });
        const txHash = keccak256(raw);
        await records.put(key, { kind, id, txHash, raw, nonce, at: Date.now() });
        try {
          await walletClient.sendRawTransaction({ serializedTransaction: raw });
          return txHash;
        } catch (error) {
          await records.delete(key);
          throw error;
        }
      };
      return serialize(async () => {
        let nonce = next ?? (await readNonce());
        try {
          let txHash: Hex;
          try {
            txHash = await send(nonce);
          } catch (error) {
            // Something else sent from this key (another relayer, an operator): count again from the chain.
            if (!matches(error, NonceTooLowError, /nonce too low/i)) throw error;
            log.warn({ id, nonce }, "the relayer's nonce was taken; reading it again from the chain");
            nonce = await readNonce();
            txHash = await send(nonce);
          }
          next = nonce + 1;
          log.info({ id, kind, txHash, nonce }, "relayed");
          return txHash;
        } catch (error) {
          next = undefined;
          if (error instanceof RelayerUnavailableError) throw error;
          log.error({ err: error, id, nonce }, "the chain refused a relayed transaction");
          if (matches(error, InsufficientFundsError, /insufficient funds|enough funds/i)) {
            throw new RelayerUnavailableError("the relayer's account has too little ETH to pay the gas", {
              cause: error,
              hint: `fund ${account.address}`,
            });
          }
          throw new RelayerUnavailableError("the chain refused the relayer's transaction", { cause: error });
        }
      });
    },
    async rebroadcast(record) {
      try {
        await walletClient.sendRawTransaction({ serializedTransaction: record.raw });
        return true;
      } catch (error) {
        log.warn(
          { err: error, id: record.id, txHash: record.txHash },
          "a recorded transaction could not be sent again",
        );
        return false;
      }
    },
  };
}

/** Whether `error` or one of its causes is a `kind`, or says what `pattern` matches (a node's own words). */
function matches(error: unknown, kind: new (...args: never[]) => Error, pattern: RegExp): boolean {
  if (!(error instanceof BaseError)) return false;
  return error.walk((e) => e instanceof kind || pattern.test((e as Error).message)) !== null;
}
