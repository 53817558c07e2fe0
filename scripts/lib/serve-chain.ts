// Hardhat's chain served on loopback by this process, on a free port, with a Hardhat connection to it: what
// the tests and the benchmarks run the node, the CLI and child processes against. The caller deploys
// (`deployFresh` or `deployContracts`) and funds what it needs.
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

export interface ServedChain {
  /** http://127.0.0.1:<port> */
  url: string;
  /** A connection to the served chain: its `viem` deploys and signs for the unlocked development accounts. */
  connection: NetworkConnection;
  /** One JSON-RPC call to the chain (`evm_mine`, `evm_setAutomine`, …). */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** Closes the connection, then stops serving. */
  close(): Promise<void>;
}

/**
 * Serves a fresh in-process Hardhat chain on 127.0.0.1 and connects to it.
 *
 * @example
 * const chain = await serveChain();
 * const deployment = await deployFresh({ viem: chain.connection.viem });
 * await chain.close();
 */
export async function serveChain(): Promise<ServedChain> {
  const server = await network.createServer("default", "127.0.0.1", 0);
  const { address, port } = await server.listen();
  const url = `http://${address}:${port}`;
  let connection: NetworkConnection;
  try {
    connection = await network.create({ network: "localhost", override: { url } });
  } catch (error) {
    await server.close().catch(() => {});
    throw error;
  }
  const opened = connection;
  return {
    url,
    connection,
    rpc: <T>(method: string, params: unknown[] = []) => opened.provider.request({ method, params }) as Promise<T>,
    close: async () => {
      await opened.close();
      await server.close();
    },
  };
}
