import { createRequire } from "node:module";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

// The compiler comes from the pinned npm `solc` package: nothing is downloaded at build time.
// Keep this version equal to the `solc` entry of package.json and the contracts' pragma.
const SOLC_VERSION = "0.8.37";

export default defineConfig({
  plugins: [hardhatViem, hardhatNetworkHelpers],
  solidity: {
    version: SOLC_VERSION,
    path: require.resolve("solc/soljson.js"),
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 1_000_000 },
      viaIR: true,
    },
  },
  networks: {
    // `npm run deploy -- --network localhost` targets a chain served on this machine (npm start, or
    // `npx hardhat node`); `--network custom` reads GRAM_RPC_URL and GRAM_DEPLOYER_KEY.
    localhost: {
      type: "http",
      chainType: "l1",
      url: "http://127.0.0.1:8545",
    },
    custom: {
      type: "http",
      chainType: "generic",
      url: configVariable("GRAM_RPC_URL"),
      accounts: [configVariable("GRAM_DEPLOYER_KEY")],
    },
  },
});
