// The web app's build: Preact through its Vite preset, `web/` as the root, the output in `web/dist/`
// (git-ignored) with content-hashed names under `assets/` (served immutable by gram-node). The app imports
// `protocol/` and `wallet/` from the repository, one level up.

import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [preact()],
  resolve: {
    // libsecp256k1's WebAssembly (1.2 MB) is Node's; the page recovers signers with noble's JavaScript.
    alias: { "tiny-secp256k1": fileURLToPath(new URL("src/platform/tiny-secp256k1.ts", import.meta.url)) },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2023",
    assetsDir: "assets",
    // No source maps in what the node serves; a module preload polyfill is not needed by any target browser.
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
});
