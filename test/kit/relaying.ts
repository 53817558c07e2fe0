// The relayer against a Hardhat chain served on loopback: its own funded key, a real LevelDB in a temp
// folder, the fastify plugin on 127.0.0.1 with a free port, and payers with local keys and no ETH at all
// who sign transfers and invoice payments for it to relay over real HTTP.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  getAddress,
  type Hex,
  http,
  keccak256,
  type LocalAccount,
  parseEther,
  stringToHex,
  toHex,
  zeroAddress,
} from "viem";
import { expect } from "vitest";
import { createRelayer, type Relayer } from "../../node/relayer/create-relayer.ts";
import type { RelayerLimits } from "../../node/relayer/limits.ts";
import { relayRoutes } from "../../node/relayer/routes.ts";
import {
  cancelAuthorizationTypes,
  escrowDomain,
  gramTokenDomain,
  invoiceTypes,
  receiveWithAuthorizationTypes,
  transferWithAuthorizationTypes,
} from "../../protocol/eip712.ts";
import { type Invoice, invoiceId } from "../../protocol/invoice.ts";
import {
  type RelayPayRequestJson,
  type RelayTransferRequestJson,
  relayTransferRequestJson,
} from "../../protocol/relay.ts";
import { createGramClient, type GramClient } from "../../wallet/actions/client.ts";
import { labeledKey } from "./accounts.ts";
import { startChain, type TestChain } from "./chain.ts";
import { type HttpAnswer, postJson } from "./http.ts";
import { tempHome } from "./wallet-helpers.ts";

const HOUR = 3_600;

export async function chainTime(chain: TestChain): Promise<number> {
  return Number((await chain.client.getBlock()).timestamp);
}

export async function setupRelaying(chain: TestChain) {
  const dirs: string[] = [];
  const relayerKey = labeledKey("relayer");
  await chain.client.request({
    method: "eth_sendTransaction" as never,
    params: [{ from: chain.owner, to: relayerKey.address, value: toHex(parseEther("100")) }] as never,
  });
  const merchantWallet = createWalletClient({ transport: http(chain.url) });

  /** A relayer and its HTTP server; `dataDir` to reopen an earlier one's records (a restart). */
  async function startRelayer({
    perPayerPerMinute = 1_000,
    dataDir,
    key = relayerKey,
    limits = {},
  }: {
    perPayerPerMinute?: number;
    dataDir?: string;
    key?: LocalAccount;
    /** Limits other than the defaults; unless given, the tests' minimum amount is 1 base unit and IPs are not limited. */
    limits?: Partial<RelayerLimits>;
  } = {}) {
    const dir = dataDir ?? (await mkdtemp(join(tmpdir(), "gram-relayer-")));
    if (dataDir === undefined) dirs.push(dir);
    const relayer = await createRelayer({
      publicClient: chain.client,
      walletClient: createWalletClient({ account: key, transport: http(chain.url) }),
      chainId: chain.chainId,
      tokens: [chain.token],
      escrow: chain.escrow,
      dataDir: dir,
      limits: { perPayerPerMinute, perIpPerMinute: 100_000, minAmount: { default: 1n }, ...limits },
    });
    const app = Fastify();
    await app.register(relayRoutes, { relayer });
    const address = await app.listen({ host: "127.0.0.1", port: 0 });
    return {
      relayer,
      dataDir: dir,
      url: address,
      post: (path: string, body: unknown, init: { raw?: boolean; headers?: Record<string, string> } = {}) =>
        postJson(`${address}${path}`, body, init),
      close: async () => {
        await app.close();
        await relayer.close();
      },
    };
  }

  let minted = 0;
  /** A payer with a local key, `gram` base units and no ETH. */
  async function payer(label: string, gram = 1_000_000_000_000n): Promise<LocalAccount> {
    const account = labeledKey(`payer:${label}:${minted++}`);
    if (gram > 0n)
      await chain.assertMined(
        await chain.send(chain.owner, chain.token, chain.tokenCall("mint", [account.address, gram])),
      );
    return account;
  }

  const tokenDomain = (token: Address = chain.token, chainId = chain.chainId) => gramTokenDomain(chainId, token);
  let nonces = 0;
  const freshNonce = () => keccak256(stringToHex(`nonce-${Date.now()}-${nonces++}`));

  async function signTransfer(
    from: LocalAccount,
    params: {
      to: Address;
      value: bigint;
      validAfter?: bigint;
      validBefore?: bigint;
      nonce?: Hex;
      chainId?: number;
      token?: Address;
      signer?: LocalAccount;
      /** Sign for this address instead of `from` (a contract wallet's owner signing for it). */
      fromAddress?: Address;
    },
  ): Promise<RelayTransferRequestJson> {
    const now = BigInt(await chainTime(chain));
    const message = {
      from: params.fromAddress ?? from.address,
      to: params.to,
      value: params.value,
      validAfter: params.validAfter ?? 0n,
      validBefore: params.validBefore ?? now + BigInt(HOUR),
      nonce: params.nonce ?? freshNonce(),
    };
    const chainId = params.chainId ?? chain.chainId;
    const token = params.token ?? chain.token;
    const signature = await (params.signer ?? from).signTypedData({
      domain: tokenDomain(token, chainId),
      types: transferWithAuthorizationTypes,
      primaryType: "TransferWithAuthorization",
      message,
    });
    return relayTransferRequestJson({ chainId, token, message, signature });
  }

  let invoiceNumber = 10_000n;
  /**
   * An invoice signed by `merchant` (one of the chain's unlocked merchants), or by `signer` for a
   * `merchant` that is a contract wallet it owns.
   */
  async function invoice(params: {
    merchant?: Address;
    signer?: LocalAccount;
    payer?: Address;
    amount?: bigint;
    maxTip?: bigint;
    payBefore?: number;
  }): Promise<{ invoice: Invoice; merchantSignature: Hex; id: Hex }> {
    const now = await chainTime(chain);
    const payBefore = params.payBefore ?? now + HOUR;
    const merchant = params.merchant ?? (chain.merchants[0] as Address);
    const value: Invoice = {
      merchant,
      token: chain.token,
      amount: params.amount ?? 5_000_000_000n,
      maxTip: params.maxTip ?? 0n,
      cashbackBps: 0,
      payer: params.payer ?? zeroAddress,
      nonce: invoiceNumber++,
      payBefore,
      captureBefore: Math.max(payBefore, now) + 7 * 24 * HOUR,
      refundBefore: Math.max(payBefore, now) + 30 * 24 * HOUR,
      ref: keccak256(stringToHex(`relayer-order-${invoiceNumber}`)),
      metadataHash: keccak256(stringToHex("{}")),
    };
    const typed = {
      domain: escrowDomain(chain.chainId, chain.escrow),
      types: invoiceTypes,
      primaryType: "Invoice",
      message: value,
    } as const;
    const merchantSignature = params.signer
      ? await params.signer.signTypedData(typed)
      : await merchantWallet.signTypedData({ account: merchant, ...typed });
    return {
      invoice: value,
      merchantSignature,
      id: invoiceId({ chainId: chain.chainId, escrow: chain.escrow, invoice: value }),
    };
  }

  async function signPay(
    payer: LocalAccount,
    { invoice: inv, merchantSignature }: { invoice: Invoice; merchantSignature: Hex },
    params: { tip?: bigint; validAfter?: bigint; validBefore?: bigint } = {},
  ): Promise<RelayPayRequestJson> {
    const now = BigInt(await chainTime(chain));
    const tip = params.tip ?? 0n;
    const validAfter = params.validAfter ?? 0n;
    const validBefore = params.validBefore ?? now + BigInt(HOUR);
    const signature = await payer.signTypedData({
      domain: tokenDomain(),
      types: receiveWithAuthorizationTypes,
      primaryType: "ReceiveWithAuthorization",
      message: {
        from: payer.address,
        to: chain.escrow,
        value: inv.amount + tip,
        validAfter,
        validBefore,
        nonce: invoiceId({ chainId: chain.chainId, escrow: chain.escrow, invoice: inv }),
      },
    });
    return {
      chainId: chain.chainId,
      escrow: chain.escrow,
      invoice: {
        ...inv,
        amount: inv.amount.toString(),
        maxTip: inv.maxTip.toString(),
        nonce: inv.nonce.toString(),
      },
      merchantSignature,
      tip: tip.toString(),
      payer: payer.address,
      validAfter: validAfter.toString(),
      validBefore: validBefore.toString(),
      signature,
    };
  }

  /** Cancels `nonce` on chain with `authorizer`'s signed cancellation, submitted by the chain's owner. */
  async function cancelOnChain(authorizer: LocalAccount, nonce: Hex) {
    const signature = await authorizer.signTypedData({
      domain: tokenDomain(),
      types: cancelAuthorizationTypes,
      primaryType: "CancelAuthorization",
      message: { authorizer: authorizer.address, nonce },
    });
    await chain.assertMined(
      await chain.send(
        chain.owner,
        chain.token,
        chain.tokenCall("cancelAuthorization", [authorizer.address, nonce, signature]),
      ),
    );
  }

  const balanceOf = (account: Address) =>
    chain.client.readContract({
      address: chain.token,
      abi: [
        {
          type: "function",
          name: "balanceOf",
          stateMutability: "view",
          inputs: [{ name: "account", type: "address" }],
          outputs: [{ type: "uint256" }],
        },
      ],
      functionName: "balanceOf",
      args: [account],
    });

  /** The relayer's ETH and nonce: unchanged means no gas was spent. */
  const relayerSpend = async () => ({
    eth: await chain.client.getBalance({ address: relayerKey.address }),
    nonce: await chain.client.getTransactionCount({ address: relayerKey.address }),
  });

  /** The payer paid no gas: it has no ETH and has never sent a transaction. */
  async function expectGasless(account: Address) {
    expect(await chain.client.getBalance({ address: account })).toBe(0n);
    expect(await chain.client.getTransactionCount({ address: account })).toBe(0);
  }

  /**
   * A contract wallet that accepts `owner`'s signatures (ERC-1271); with `burn`, one that first burns
   * that much gas in `isValidSignature`.
   */
  async function deployContractWallet(owner: Address, { burn }: { burn?: bigint } = {}): Promise<Address> {
    const name = burn === undefined ? "MockERC1271Wallet" : "GasBurningERC1271Wallet";
    const artifact = JSON.parse(
      await readFile(new URL(`../../artifacts/contracts/test/${name}.sol/${name}.json`, import.meta.url), "utf8"),
    ) as { abi: never; bytecode: Hex };
    const hash = await merchantWallet.deployContract({
      account: chain.owner,
      chain: null,
      abi: artifact.abi,
      bytecode: artifact.bytecode,
      args: (burn === undefined ? [owner] : [owner, burn]) as never,
    });
    const receipt = await chain.client.getTransactionReceipt({ hash });
    return getAddress(receipt.contractAddress as Address);
  }

  return {
    relayerKey,
    relayerAddress: relayerKey.address,
    startRelayer,
    payer,
    freshNonce,
    signTransfer,
    invoice,
    signPay,
    cancelOnChain,
    balanceOf,
    relayerSpend,
    expectGasless,
    deployContractWallet,
    cleanup: () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))),
  };
}

export type Relaying = Awaited<ReturnType<typeof setupRelaying>>;

/** Sends the request and asserts the refusal, and that the relayer spent nothing on it (ETH and nonce). */
export async function expectRefused(
  relaying: Relaying,
  send: () => Promise<HttpAnswer>,
  expected: { status?: number; code: string; message: string | RegExp },
) {
  const before = await relaying.relayerSpend();
  const answer = await send();
  expect({ status: answer.status, code: answer.json?.error?.code }).toEqual({
    status: expected.status ?? 400,
    code: expected.code,
  });
  expect(answer.json.error.message).toMatch(expected.message);
  expect(await relaying.relayerSpend()).toEqual(before);
  return answer;
}
export type RelayerServer = Awaited<ReturnType<Relaying["startRelayer"]>>;

/**
 * A fresh chain with relaying set up on it and a relayer server started, for a test file's `beforeAll`;
 * `close` stops the server and the chain and removes the relayer's folders (also when start-up fails).
 */
export async function startRelayingServer() {
  const chain = await startChain();
  let relaying: Relaying | undefined;
  let server: RelayerServer | undefined;
  const close = async () => {
    await server?.close();
    await chain.close();
    await relaying?.cleanup();
  };
  try {
    relaying = await setupRelaying(chain);
    server = await relaying.startRelayer();
  } catch (error) {
    await close();
    throw error;
  }
  return { chain, relaying, server, close };
}
export type { HttpAnswer, Relayer };

/** A wallet client of `account` on the relaying chain, with a fresh wallet home: the payer's side. */
export async function payerClient(chain: TestChain, account: LocalAccount): Promise<GramClient> {
  return createGramClient({
    publicClient: createPublicClient({ transport: http(chain.url), pollingInterval: 50 }),
    walletClient: createWalletClient({ account, transport: http(chain.url) }),
    chainId: chain.chainId,
    contracts: { token: chain.token, escrow: chain.escrow },
    home: await tempHome(),
  });
}
