// `npm start`: a local Gram chain on embedded defaults. Serves Hardhat's in-process chain on a loopback
// port, deploys GramToken and MerchantEscrow (deployments/<chainId>.json), funds the demo accounts and
// waits; Ctrl-C stops it. Flags: --port <n> (default 8545, 0 = any free port), --host <loopback address>.
// GRAM_DEPLOYMENTS_DIR moves the deployment record (default deployments/).
import { parseArgs } from "node:util";
import { artifacts, network } from "hardhat";
import { formatUnits, getAddress, parseUnits } from "viem";
import { gramTokenAbi } from "../protocol/abis.ts";
import { deployContracts } from "./lib/deploy-contracts.ts";

const DEMO_ACCOUNTS = ["alice", "bob", "merchant", "arbiter"] as const;
const DEMO_FUNDS = parseUnits("1000", 9);

function fail(message: string): never {
  console.error(`gram start: ${message}`);
  process.exit(1);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        port: { type: "string", default: process.env.GRAM_PORT ?? "8545" },
        host: { type: "string", default: "127.0.0.1" },
      },
    });
  } catch (error) {
    return fail(`${(error as Error).message}; expected --port <0-65535> and --host <loopback address>`);
  }
})();
const port = Number(values.port);
if (!/^\d+$/.test(values.port) || port > 65_535) fail(`--port: got '${values.port}', expected an integer 0..65535`);
if (!["127.0.0.1", "localhost", "::1"].includes(values.host)) {
  fail(`--host: got '${values.host}', expected a loopback address (127.0.0.1, localhost or ::1)`);
}

const server = await network.createServer("default", values.host, port);
const listening = await server
  .listen()
  .catch((error: NodeJS.ErrnoException) =>
    fail(
      error.code === "EADDRINUSE"
        ? `port ${port} is in use; pass --port <another> (0 picks a free one)`
        : error.message,
    ),
  );
const url = `http://${listening.address.includes(":") ? `[${listening.address}]` : listening.address}:${listening.port}`;

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.log("\ngram: stopping the chain...");
  await server.close();
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

const connection = await network.create({ network: "localhost", override: { url } });
const wallets = await connection.viem.getWalletClients();
const [deployer, ...others] = wallets;
if (deployer === undefined || others.length < DEMO_ACCOUNTS.length) fail("the chain has too few accounts");
const demo = Object.fromEntries(DEMO_ACCOUNTS.map((name, i) => [name, getAddress(others[i]?.account.address ?? "")]));

const { deployment, file } = await deployContracts({
  viem: connection.viem,
  artifacts,
  dir: process.env.GRAM_DEPLOYMENTS_DIR || "deployments",
  env: { GRAM_ARBITER: demo.arbiter, GRAM_TREASURY: deployer.account.address },
});
const token = deployment.contracts.GramToken.address;
const publicClient = await connection.viem.getPublicClient();
for (const name of DEMO_ACCOUNTS) {
  const hash = await deployer.writeContract({
    address: token,
    abi: gramTokenAbi,
    functionName: "mint",
    args: [demo[name] as `0x${string}`, DEMO_FUNDS],
  });
  await publicClient.waitForTransactionReceipt({ hash });
}

const lines = [
  "",
  "Gram is running on a local chain.",
  "",
  `  RPC             ${url}  (chain id ${deployment.chainId})`,
  `  GramToken       ${token}`,
  `  MerchantEscrow  ${deployment.contracts.MerchantEscrow.address}`,
  `  deployment      ${file}`,
  "",
  "  Demo accounts (Hardhat's public development keys: never use them on a real chain):",
  ...DEMO_ACCOUNTS.map((name) => `    ${name.padEnd(9)} ${demo[name]}  ${formatUnits(DEMO_FUNDS, 9)} GRAM`),
  "",
  "  Next:",
  `    npm run deploy -- --network localhost   # reuses this deployment${listening.port === 8545 ? "" : " (only on port 8545)"}`,
  "    npm test                                # every test, on its own in-process chains",
  "    npm run bench:gas                       # gas of every operation",
  "",
  "Press Ctrl-C to stop.",
];
console.log(lines.join("\n"));
console.log(`gram: ready ${url}`);
