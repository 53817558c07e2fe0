// `npm run bench:relayer`: the relayer's hardening figures (issue 11, item 3). On Hardhat's chain served
// on loopback by this process, with the contracts deployed and the real `bin/gram-node` (with its
// relayer) in a child process (./wallet-setup.ts), it measures:
//   1. refusals cost no gas: N requests of each kind the relayer must refuse (a bad signature, zero, dust,
//      expired, unaffordable, a call that would revert, a contract signer burning 11 million gas, another
//      payer of a paid invoice, the payer's and the IP's rate limits, a spent hourly budget, a full
//      queue), each kind against a node whose limits make it refuse; the relayer's ETH and nonce before
//      and after, which must not move;
//   2. time from a dropped relayer transaction to the next relay landing: with a block every second,
//      a relay is dropped from the mempool (`hardhat_dropTransaction`), the next relay is sent (its
//      nonce now behind a gap), and the clock runs until that next relay's receipt; for the watchdog's
//      default interval (5 s) and 1 s. Each drop waits a random (seeded) part of the interval first, so
//      that the samples fall anywhere between two of the watchdog's checks.
// Prints tables and the machine. A refusal that spends gas, or a relay that never lands, exits 1.
//
// Flags: --requests <n> (20 per kind), --runs <n> (5 per interval).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { artifacts } from "hardhat";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  formatEther,
  type Hex,
  http,
  keccak256,
  type LocalAccount,
  stringToHex,
  zeroAddress,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { gramTokenAbi } from "../../protocol/abis.ts";
import {
  escrowDomain,
  gramTokenDomain,
  invoiceTypes,
  receiveWithAuthorizationTypes,
  transferWithAuthorizationTypes,
} from "../../protocol/eip712.ts";
import { type Invoice, invoiceId } from "../../protocol/invoice.ts";
import type { RelayPayRequestJson, RelayTransferRequestJson } from "../../protocol/relay.ts";
import { ROUTES } from "../../protocol/routes.ts";
import { RelayError } from "../../wallet/errors.ts";
import { createNodeClient } from "../../wallet/node/createNodeClient.ts";
import { http as nodeHttp } from "../../wallet/node/http.ts";
import { relayPay } from "../../wallet/node/relayPay.ts";
import { relayTransfer } from "../../wallet/node/relayTransfer.ts";
import { random } from "../lib/random.ts";
import { killAll } from "../lib/spawn-gram-node.ts";
import { describeMachine, percentile } from "./report.ts";
import { type GramNode, startBenchNode, startWalletBenchChain, type WalletBenchChain } from "./wallet-setup.ts";

type RelayRoute = typeof ROUTES.relayTransfer | typeof ROUTES.relayPay;

const { values } = (() => {
  try {
    return parseArgs({
      options: { requests: { type: "string", default: "20" }, runs: { type: "string", default: "5" } },
    });
  } catch (error) {
    console.error(`bench:relayer: ${(error as Error).message}; expected --requests <n>, --runs <n>`);
    process.exit(2);
  }
})();
const positive = (flag: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench:relayer: --${flag}: got '${text}', expected a positive integer`);
    process.exit(2);
  }
  return n;
};
const REQUESTS = positive("requests", values.requests);
const RUNS = positive("runs", values.runs);
const HOUR = 3_600n;

// ---------------------------------------------------------------------------------------------------
// Everything started is stopped on success, failure and Ctrl-C.

let temp: string | undefined;
let chain: WalletBenchChain | undefined;
const nodes: GramNode[] = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const node of nodes) await node.stop().catch(() => {});
    // A node still starting when Ctrl-C came.
    killAll();
    await chain?.close().catch(() => {});
    if (temp !== undefined) await rm(temp, { recursive: true, force: true }).catch(() => {});
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\nbench:relayer: ${signal}, stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------------

const machine = describeMachine();
temp = await mkdtemp(join(tmpdir(), "gram-bench-relayer-"));
try {
  chain = await startWalletBenchChain(temp);
  const bench = chain;
  const client = createPublicClient({ transport: http(bench.url) });
  const [owner] = await bench.rpc<Address[]>("eth_accounts");
  const relayer = bench.relayer.address;
  let nodeCount = 0;
  const startNode = async (flags: string[]) => {
    const node = await startBenchNode(bench, temp as string, [
      "--data-dir",
      join(temp as string, `node-${nodeCount++}`),
      ...flags,
    ]);
    nodes.push(node);
    return node;
  };
  const send = async (to: Address, data: Hex) => {
    const hash = await bench.rpc<Hex>("eth_sendTransaction", [{ from: owner, to, data }]);
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`setup transaction ${hash} reverted`);
  };
  const mint = (to: Address, amount: bigint) =>
    send(bench.token, encodeFunctionData({ abi: gramTokenAbi, functionName: "mint", args: [to, amount] }));
  const payer = async (gram = 10n ** 12n) => {
    const account = privateKeyToAccount(generatePrivateKey());
    if (gram > 0n) await mint(account.address, gram);
    return account;
  };
  const now = async () => (await client.getBlock()).timestamp;
  let nonces = 0;
  const signTransfer = async (
    from: LocalAccount,
    {
      value,
      to = bench.user.address,
      validBefore,
      fromAddress,
    }: { value: bigint; to?: Address; validBefore?: bigint; fromAddress?: Address },
  ) => {
    const message = {
      from: fromAddress ?? from.address,
      to,
      value,
      validAfter: 0n,
      validBefore: validBefore ?? (await now()) + HOUR,
      nonce: keccak256(stringToHex(`bench-relayer-${process.pid}-${nonces++}`)),
    };
    const signature = await from.signTypedData({
      domain: gramTokenDomain(bench.chainId, bench.token),
      types: transferWithAuthorizationTypes,
      primaryType: "TransferWithAuthorization",
      message,
    });
    return {
      chainId: bench.chainId,
      token: bench.token,
      from: message.from,
      to: message.to,
      value: String(message.value),
      validAfter: "0",
      validBefore: String(message.validBefore),
      nonce: message.nonce,
      signature,
    };
  };
  /** A relay through the wallet's node client: the status and, for a refusal, the relayer's code. */
  const post = async (node: GramNode, path: RelayRoute, body: unknown) => {
    const client = createNodeClient({ transport: nodeHttp(node.url) });
    try {
      const { txHash } =
        path === ROUTES.relayPay
          ? await relayPay(client, { request: body as RelayPayRequestJson })
          : await relayTransfer(client, { request: body as RelayTransferRequestJson });
      return { status: 200, txHash, code: undefined };
    } catch (error) {
      if (!(error instanceof RelayError)) throw error;
      return { status: error.status, txHash: undefined, code: error.relayCode };
    }
  };
  const spend = async () => ({
    eth: await client.getBalance({ address: relayer }),
    nonce: await client.getTransactionCount({ address: relayer, blockTag: "pending" }),
  });

  // -------------------------------------------------------------------------------------------------
  // 1. Refusals cost no gas.

  const merchant = privateKeyToAccount(generatePrivateKey());
  let invoiceNumber = 0n;
  const signInvoice = async (): Promise<Invoice & { signature: Hex }> => {
    const t = Number(await now());
    const invoice: Invoice = {
      merchant: merchant.address,
      token: bench.token,
      amount: 5_000_000_000n,
      maxTip: 0n,
      cashbackBps: 0,
      payer: zeroAddress,
      nonce: invoiceNumber++,
      payBefore: t + 3_600,
      captureBefore: t + 7 * 86_400,
      refundBefore: t + 30 * 86_400,
      ref: keccak256(stringToHex(`bench-order-${invoiceNumber}`)),
      metadataHash: keccak256(stringToHex("{}")),
    };
    const signature = await merchant.signTypedData({
      domain: escrowDomain(bench.chainId, bench.escrow),
      types: invoiceTypes,
      primaryType: "Invoice",
      message: invoice,
    });
    return { ...invoice, signature };
  };
  const signPay = async (
    account: LocalAccount,
    { signature: merchantSignature, ...invoice }: Invoice & { signature: Hex },
  ) => {
    const validBefore = (await now()) + HOUR;
    const signature = await account.signTypedData({
      domain: gramTokenDomain(bench.chainId, bench.token),
      types: receiveWithAuthorizationTypes,
      primaryType: "ReceiveWithAuthorization",
      message: {
        from: account.address,
        to: bench.escrow,
        value: invoice.amount,
        validAfter: 0n,
        validBefore,
        nonce: invoiceId({ chainId: bench.chainId, escrow: bench.escrow, invoice }),
      },
    });
    return {
      chainId: bench.chainId,
      escrow: bench.escrow,
      invoice: { ...invoice, amount: String(invoice.amount), maxTip: "0", nonce: String(invoice.nonce) },
      merchantSignature,
      tip: "0",
      payer: account.address,
      validAfter: "0",
      validBefore: String(validBefore),
      signature,
    };
  };
  const burnerOwner = privateKeyToAccount(generatePrivateKey());
  const burner = await (async () => {
    const artifact = await artifacts.readArtifact("GasBurningERC1271Wallet");
    const deployer = createWalletClient({
      account: privateKeyToAccount(bench.user.privateKey),
      transport: http(bench.url),
    });
    const hash = await deployer.deployContract({
      chain: null,
      abi: artifact.abi,
      bytecode: artifact.bytecode as Hex,
      args: [burnerOwner.address, 11_000_000n],
    });
    const address = (await client.waitForTransactionReceipt({ hash })).contractAddress as Address;
    await mint(address, 10n ** 12n);
    return address;
  })();

  interface Kind {
    name: string;
    flags: string[];
    /** Done before the measured requests (not counted): e.g. one relay that fills the queue. */
    before?: (node: GramNode) => Promise<void>;
    request: (i: number) => Promise<[path: RelayRoute, body: unknown]>;
    after?: () => Promise<void>;
  }
  const rich = await payer();
  const poor = await payer(1_000n);
  const mallory = privateKeyToAccount(generatePrivateKey());
  const paidInvoice = await signInvoice();
  const transfer = (body: unknown): [RelayRoute, unknown] => [ROUTES.relayTransfer, body];
  const kinds: Kind[] = [
    {
      name: "bad signature",
      flags: [],
      request: async () =>
        transfer({ ...(await signTransfer(mallory, { value: 10n ** 9n, fromAddress: rich.address })) }),
    },
    { name: "zero amount", flags: [], request: async () => transfer(await signTransfer(rich, { value: 0n })) },
    {
      name: "dust (below 0.001 GRAM)",
      flags: [],
      request: async () => transfer(await signTransfer(rich, { value: 999_999n })),
    },
    {
      name: "expired",
      flags: [],
      request: async () => transfer(await signTransfer(rich, { value: 10n ** 9n, validBefore: (await now()) - 1n })),
    },
    {
      name: "more than the payer holds",
      flags: [],
      request: async () => transfer(await signTransfer(poor, { value: 10n ** 9n })),
    },
    {
      name: "would revert (to the zero address)",
      flags: [],
      request: async () => transfer(await signTransfer(rich, { value: 10n ** 9n, to: zeroAddress })),
    },
    {
      name: "contract signer burning 11M gas",
      flags: [],
      request: async () => transfer(await signTransfer(burnerOwner, { value: 10n ** 9n, fromAddress: burner })),
    },
    {
      name: "another payer of a paid invoice",
      flags: [],
      before: async (node) => {
        const first = await post(node, ROUTES.relayPay, await signPay(rich, paidInvoice));
        if (first.status !== 200) throw new Error(`the first payment was refused: ${JSON.stringify(first)}`);
      },
      request: async () => [ROUTES.relayPay, await signPay(privateKeyToAccount(generatePrivateKey()), paidInvoice)],
    },
    {
      name: "payer rate limit (1 a minute)",
      flags: ["--relay-rate-limit", "1"],
      before: async (node) => {
        await post(node, ROUTES.relayTransfer, await signTransfer(rich, { value: 10n ** 9n }));
      },
      request: async () => transfer(await signTransfer(rich, { value: 10n ** 9n })),
    },
    {
      name: "IP rate limit (1 a minute)",
      flags: ["--relay-ip-rate-limit", "1"],
      before: async (node) => {
        await post(node, ROUTES.relayTransfer, await signTransfer(rich, { value: 10n ** 9n }));
      },
      request: async () => transfer(await signTransfer(rich, { value: 10n ** 9n })),
    },
    {
      name: "hourly budget spent (1 transaction)",
      flags: ["--relay-max-tx-per-hour", "1"],
      before: async (node) => {
        await post(node, ROUTES.relayTransfer, await signTransfer(rich, { value: 10n ** 9n }));
      },
      request: async () => transfer(await signTransfer(rich, { value: 10n ** 9n })),
    },
    {
      name: "queue full (1 waiting to be mined)",
      flags: ["--relay-max-queue", "1"],
      before: async (node) => {
        await bench.rpc("evm_setAutomine", [false]);
        await post(node, ROUTES.relayTransfer, await signTransfer(rich, { value: 10n ** 9n }));
      },
      request: async () => transfer(await signTransfer(rich, { value: 10n ** 9n })),
      after: async () => {
        await bench.rpc("evm_mine");
        await bench.rpc("evm_setAutomine", [true]);
      },
    },
  ];
  const refusals: Record<string, string | number>[] = [];
  let spentOnRefusals = false;
  for (const kind of kinds) {
    const node = await startNode(kind.flags);
    await kind.before?.(node);
    const bodies = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => kind.request(i)));
    const before = await spend();
    const answers: string[] = [];
    for (const [path, body] of bodies) {
      const answer = await post(node, path, body);
      answers.push(`${answer.status} ${answer.code ?? "relayed"}`);
    }
    const after = await spend();
    await kind.after?.();
    await node.stop();
    const codes = [...new Set(answers)].join(", ");
    const eth = before.eth - after.eth;
    const sent = after.nonce - before.nonce;
    if (eth !== 0n || sent !== 0 || answers.some((a) => a.endsWith("relayed"))) spentOnRefusals = true;
    refusals.push({
      refusal: kind.name,
      requests: REQUESTS,
      answered: codes,
      "relayer txs sent": sent,
      "ETH spent": formatEther(eth),
    });
  }

  // -------------------------------------------------------------------------------------------------
  // 2. From a dropped relayer transaction to the next relay landing.

  const BLOCK_MS = 1_000;
  const phase = random(11);
  const landing: Record<string, string | number>[] = [];
  let neverLanded = false;
  for (const intervalMs of [5_000, 1_000]) {
    const node = await startNode(["--relay-watchdog-interval-ms", String(intervalMs)]);
    const samples: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const [a, b] = [await signTransfer(rich, { value: 10n ** 9n }), await signTransfer(rich, { value: 10n ** 9n })];
      await bench.rpc("evm_setAutomine", [false]);
      await bench.rpc("evm_setIntervalMining", [0]);
      await new Promise((done) => setTimeout(done, phase.next() * intervalMs));
      const dropped = await post(node, ROUTES.relayTransfer, a);
      if (!(await bench.rpc<boolean>("hardhat_dropTransaction", [dropped.txHash]))) throw new Error("drop failed");
      const droppedAt = performance.now();
      const next = await post(node, ROUTES.relayTransfer, b);
      if (next.status !== 200) throw new Error(`the next relay was refused: ${JSON.stringify(next)}`);
      await bench.rpc("evm_setIntervalMining", [BLOCK_MS]);
      const deadline = droppedAt + 60_000;
      let landedAt: number | undefined;
      while (landedAt === undefined && performance.now() < deadline) {
        const receipt = await client.getTransactionReceipt({ hash: next.txHash as Hex }).catch(() => undefined);
        if (receipt?.status === "success") landedAt = performance.now();
        else await new Promise((done) => setTimeout(done, 10));
      }
      if (landedAt === undefined) {
        neverLanded = true;
        break;
      }
      samples.push(landedAt - droppedAt);
    }
    await bench.rpc("evm_setIntervalMining", [0]);
    await bench.rpc("evm_setAutomine", [true]);
    await node.stop();
    const ms = (p: number) => (samples.length === 0 ? "never" : `${(percentile(samples, p) / 1_000).toFixed(2)} s`);
    landing.push({
      "watchdog interval": `${intervalMs / 1_000} s`,
      "block time": `${BLOCK_MS / 1_000} s`,
      runs: samples.length,
      p50: ms(50),
      max: ms(100),
    });
  }

  console.log(
    `bench:relayer on ${machine.cpus} × ${machine.model}, ${machine.memory}, Node ${machine.node}, ${machine.date}, load ${machine.load}`,
  );
  console.log("\nRelayer refusals cost no gas (the relayer's ETH and pending nonce before and after each kind):");
  console.table(refusals);
  console.log("\nFrom a dropped relayer transaction to the next relay landing:");
  console.table(landing);
  if (spentOnRefusals) console.error("bench:relayer: a refusal spent gas or was relayed");
  if (neverLanded) console.error("bench:relayer: a relay behind a dropped transaction never landed");
  process.exitCode = spentOnRefusals || neverLanded ? 1 : 0;
} catch (error) {
  console.error(`bench:relayer: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
