import { createRequire } from "node:module";

import hardhatToolboxMochaEthersPlugin from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

// The compiler comes from the npm `solc` package pinned in package.json: Hardhat never downloads one.
const require = createRequire(import.meta.url);
const SOLC_VERSION = "0.8.30";
const soljson = require.resolve("solc/soljson.js");

// Tests, gas figures and deployments use the same optimizer settings, so the gas measured by
// `hardhat test --gas-stats` is the gas a deployed contract charges.
const compilerSettings = {
  evmVersion: "prague",
  optimizer: { enabled: true, runs: 200 },
};

const DEV_CHAIN_HISTORY_DAYS = 180;

// Solidity fuzz and invariant settings. Hardhat 3.17 accepts only one (`default`) Solidity test profile, so the
// profile is chosen by environment: `SOLIDITY_TEST_PROFILE=ci` (set by `npm run test:fuzz-ci` in `.ci/run`)
// raises the fuzz runs from 256 to 5,000 per property.
const SOLIDITY_TEST_PROFILES = {
  default: {
    fuzz: { runs: 256 },
    invariant: { runs: 64, depth: 32, failOnRevert: false },
  },
  ci: {
    fuzz: { runs: 5000 },
    invariant: { runs: 256, depth: 64, failOnRevert: false },
  },
} as const;

export default defineConfig({
  plugins: [hardhatToolboxMochaEthersPlugin],
  solidity: {
    profiles: {
      default: { version: SOLC_VERSION, path: soljson, settings: compilerSettings },
      production: { version: SOLC_VERSION, path: soljson, settings: compilerSettings },
    },
  },
  paths: {
    tests: {
      mocha: "test/ts",
      solidity: "test/solidity",
    },
  },
  test: {
    solidity: SOLIDITY_TEST_PROFILES[process.env.SOLIDITY_TEST_PROFILE === "ci" ? "ci" : "default"],
    mocha: {
      timeout: 120_000,
    },
  },
  networks: {
    // The chain `npm run dev` serves (`hardhat node --network devChain`): it starts 180 days in the past so the
    // seed can spread months of demo history (doses, shipments) and end close to the wall-clock date.
    devChain: {
      type: "edr-simulated",
      chainType: "l1",
      chainId: 31337,
      initialDate: new Date(Date.now() - DEV_CHAIN_HISTORY_DAYS * 24 * 60 * 60 * 1000),
      // Hardhat's default mnemonic, one account more than the 20 personas: account #20 is the consent relayer's
      // (relayer/, RELAYER_PRIVATE_KEY in `npm run dev`), funded like the others and used by no persona.
      accounts: { count: 21 },
    },
    // The local node started by `npm run dev` (`hardhat node` on 127.0.0.1:8545, chain id 31337). Its port
    // moves with HEALTHTRACE_RPC_PORT, so two stacks (two checkouts) can run side by side.
    localhost: {
      type: "http",
      chainType: "l1",
      url: `http://127.0.0.1:${process.env.HEALTHTRACE_RPC_PORT ?? "8545"}`,
    },
    // Any public testnet or L2 is one entry like this one, filled from the environment (see .env.example).
    // Account #0 deploys; account #1 is the first regulator, which signs the Ignition wiring call.
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("SEPOLIA_PRIVATE_KEY"), configVariable("SEPOLIA_REGULATOR_PRIVATE_KEY")],
    },
    baseSepolia: {
      type: "http",
      chainType: "op",
      url: configVariable("BASE_SEPOLIA_RPC_URL"),
      accounts: [configVariable("BASE_SEPOLIA_PRIVATE_KEY"), configVariable("BASE_SEPOLIA_REGULATOR_PRIVATE_KEY")],
    },
  },
});
