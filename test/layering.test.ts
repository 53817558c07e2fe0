// The layers of the tree (protocol below wallet and node, wallet never reaching into the node, the
// indexer and store below the parts that serve them, scripts apart from tests, no cycles), checked on the
// real tree; then the checker itself, on small trees written to a temp folder, one per rule.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { checkLayering, findCycles, importSpecifiers, layerViolations, readImportGraph } from "./layering.ts";

const ROOT = join(import.meta.dirname, "..");

/** Writes `files` (path → source) under a fresh temp folder and returns the folder. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "gram-layering-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A tree of two files, `from` importing `to`. */
const importing = (from: string, to: string, how = "import") =>
  tree({ [from]: `${how} { x } from "${relative(dirname(from), to)}";\n`, [to]: "export const x = 1;\n" });

describe("the source tree", () => {
  const graph = readImportGraph(ROOT);

  it("reads the files of every layer", () => {
    // biome-ignore format: one list of the layers' files.
    for (const file of ["protocol/api.ts", "wallet/cli/main.ts", "node/main.ts", "scripts/start.ts", "bin/gram-node", "web/src/main.tsx"]) {
      expect(graph.has(file), file).toBe(true);
    }
    expect(graph.get("bin/gram-node")).toEqual(["node/main.ts"]);
  });

  it("has no import that crosses a layer the wrong way", () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it("has no import cycle", () => {
    expect(findCycles(graph).map((cycle) => cycle.join(" → "))).toEqual([]);
  });
});

describe("importSpecifiers", () => {
  it("reads static, type-only, re-exported, side-effect and dynamic imports, not strings or comments", () => {
    const text = [
      'import type { A } from "./a.ts";',
      'import { type B, c } from "./b.ts";',
      'export * from "./c.ts";',
      'export { d } from "./d.ts";',
      'import "./e.ts";',
      'const f = await import("./f.ts");',
      'type G = typeof import("./g.ts");',
      'import { z } from "zod";',
      "const text = \"import x from './not-a.ts'\";",
      '// import h from "./not-b.ts";',
    ].join("\n");
    expect(importSpecifiers(text)).toEqual([
      "./a.ts",
      "./b.ts",
      "./c.ts",
      "./d.ts",
      "./e.ts",
      "./f.ts",
      "./g.ts",
      "zod",
    ]);
  });
});

describe("readImportGraph", () => {
  it("resolves relative imports to the layers' files and leaves out packages and files outside them", () => {
    const root = tree({
      "protocol/a.ts": [
        'import { z } from "zod";',
        'import { readFileSync } from "node:fs";',
        'import config from "../hardhat.config.ts";',
        'import { b } from "./b.ts";',
        'import { c } from "./c";',
        'import { d } from "./d";',
      ].join("\n"),
      "protocol/b.ts": "export const b = 1;\n",
      "protocol/c.ts": "export const c = 1;\n",
      "protocol/d/index.ts": "export const d = 1;\n",
      "protocol/types.d.ts": 'import type { W } from "../wallet/w.ts";\n',
      "hardhat.config.ts": 'import { a } from "./protocol/a.ts";\n',
      "bin/tool": 'await import("../node/main.ts");\n',
      "node/main.ts": "export {};\n",
    });
    const graph = readImportGraph(root);
    expect([...graph.keys()].sort()).toEqual([
      "bin/tool",
      "node/main.ts",
      "protocol/a.ts",
      "protocol/b.ts",
      "protocol/c.ts",
      "protocol/d/index.ts",
    ]);
    expect(graph.get("protocol/a.ts")).toEqual(["protocol/b.ts", "protocol/c.ts", "protocol/d/index.ts"]);
    expect(graph.get("bin/tool")).toEqual(["node/main.ts"]);
  });
});

describe("layerViolations", () => {
  const protocolRule = "protocol never imports wallet or node";
  const nodeRule = "node/indexer, node/store and node/internal never import node/api, hub, relayer or cli";
  it.each([
    ["protocol/amounts.ts", "wallet/keys.ts", protocolRule],
    ["protocol/chat/frames.ts", "node/hub/context.ts", protocolRule],
    ["wallet/actions/send.ts", "node/errors.ts", "wallet never imports node"],
    ["node/indexer/backfill.ts", "node/api/metrics.ts", nodeRule],
    ["node/store/keys.ts", "node/hub/keys.ts", nodeRule],
    ["node/indexer/rpc.ts", "node/relayer/fees.ts", nodeRule],
    ["node/store/rollback.ts", "node/cli/log.ts", nodeRule],
    ["node/internal/serial.ts", "node/api/stream.ts", nodeRule],
    ["scripts/bench/gas.ts", "test/contracts/fixture.ts", "scripts never import test"],
  ])("%s → %s breaks “%s”", (from, to, rule) => {
    expect(layerViolations(readImportGraph(importing(from, to)))).toEqual([`${from} → ${to} (${rule})`]);
    // A type-only import ties the layers as much as any other.
    expect(layerViolations(readImportGraph(importing(from, to, "import type")))).toEqual([`${from} → ${to} (${rule})`]);
  });

  it.each([
    ["wallet/actions/send.ts", "protocol/amounts.ts"],
    ["node/api/serialize.ts", "protocol/api.ts"],
    ["node/api/context.ts", "node/indexer/create-indexer.ts"],
    ["node/hub/statuses.ts", "node/internal/serial.ts"],
    ["node/indexer/context.ts", "node/internal/logger.ts"],
    ["node/cli/start-node.ts", "node/relayer/index.ts"],
    ["test/gas/gas-snapshot.test.ts", "scripts/bench/measure-gas.ts"],
    ["scripts/demo.ts", "wallet/index.ts"],
  ])("%s → %s is allowed", (from, to) => {
    expect(layerViolations(readImportGraph(importing(from, to)))).toEqual([]);
  });
});

describe("findCycles", () => {
  it("names each tangle of imports once, by its shortest loop from its first file, through types too", () => {
    const root = tree({
      "node/relayer/context.ts": 'import type { Submitter } from "./submit.ts";\n',
      "node/relayer/submit.ts": 'import type { Clients } from "./context.ts";\n',
      "wallet/a.ts": 'import { b } from "./b.ts";\nimport { d } from "./d.ts";\n',
      "wallet/b.ts": 'import { c } from "./c.ts";\n',
      "wallet/c.ts": 'const { a } = await import("./a.ts");\n',
      "wallet/d.ts": 'export * from "./a.ts";\n',
      "protocol/self.ts": 'import { self } from "./self.ts";\n',
    });
    expect(findCycles(readImportGraph(root))).toEqual([
      ["node/relayer/context.ts", "node/relayer/submit.ts", "node/relayer/context.ts"],
      ["protocol/self.ts", "protocol/self.ts"],
      ["wallet/a.ts", "wallet/d.ts", "wallet/a.ts"],
    ]);
  });

  it("finds none where imports only go one way, however they join", () => {
    const root = tree({
      "wallet/top.ts": 'import { l } from "./left.ts";\nimport { r } from "./right.ts";\n',
      "wallet/left.ts": 'import { b } from "./bottom.ts";\n',
      "wallet/right.ts": 'import { b } from "./bottom.ts";\n',
      "wallet/bottom.ts": "export const b = 1;\n",
    });
    expect(findCycles(readImportGraph(root))).toEqual([]);
  });
});

describe("checkLayering", () => {
  it("lists the imports that cross a layer, then the cycles", () => {
    const root = tree({
      "scripts/demo.ts": 'import { kit } from "../test/kit.ts";\n',
      "test/kit.ts": 'import { demo } from "../scripts/demo.ts";\n',
    });
    expect(checkLayering(root)).toEqual([
      "scripts/demo.ts → test/kit.ts (scripts never import test)",
      "scripts/demo.ts → test/kit.ts → scripts/demo.ts (cycle)",
    ]);
  });
});
