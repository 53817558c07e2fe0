// The import graph of the source tree and the rules it must keep (as Ponder's `internal/layering.test.ts`
// guards its sync engine). Imports are read with the TypeScript compiler's own pre-processor, so that
// `import type`, `export … from` and `import("…")` count like any import: a type-only edge still ties
// two modules together, and a cycle through types is a cycle a reader has to untangle.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

/** The folders whose files make the graph, relative to the repository's root. */
export const LAYERED_FOLDERS = ["protocol", "wallet", "node", "scripts", "test", "bin", "web"] as const;

/** A forbidden direction: no file under a `from` folder imports a file under a `to` folder. */
export interface LayerRule {
  name: string;
  from: readonly string[];
  to: readonly string[];
}

export const LAYER_RULES: readonly LayerRule[] = [
  { name: "protocol never imports wallet or node", from: ["protocol/"], to: ["wallet/", "node/"] },
  { name: "wallet never imports node", from: ["wallet/"], to: ["node/"] },
  {
    // node/internal/ holds what the indexer and the store share with the rest: it stays below them too.
    name: "node/indexer, node/store and node/internal never import node/api, hub, relayer or cli",
    from: ["node/indexer/", "node/store/", "node/internal/"],
    to: ["node/api/", "node/hub/", "node/relayer/", "node/cli/"],
  },
  { name: "scripts never import test", from: ["scripts/"], to: ["test/"] },
  // The web app is screens over protocol/ and wallet/; nothing but the browser's bundle depends on it.
  { name: "web never imports node, scripts or test", from: ["web/"], to: ["node/", "scripts/", "test/"] },
  { name: "protocol, wallet and node never import web", from: ["protocol/", "wallet/", "node/"], to: ["web/"] },
];

/** Files by their path from the root (with `/`), each with the files it imports, sorted. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

const toPosix = (path: string) => path.split(sep).join("/");

/** TypeScript sources, and the extensionless scripts of `bin/`; declaration files declare, they do not import. */
function isSource(path: string): boolean {
  return (
    (path.endsWith(".ts") && !path.endsWith(".d.ts")) ||
    path.endsWith(".tsx") ||
    (path.startsWith("bin/") && !path.includes("."))
  );
}

function listFiles(root: string, folder: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(path);
      } else if (entry.isFile() && isSource(path)) {
        files.push(path);
      }
    }
  };
  if (statSync(join(root, folder), { throwIfNoEntry: false })?.isDirectory()) walk(folder);
  return files;
}

/** Every module specifier `text` imports: static, type-only, re-exports and `import("…")` with a literal. */
export function importSpecifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/**
 * The import graph of `folders` under `root`. Relative specifiers are resolved to files; packages and
 * `node:` modules are left out, and so are files outside `folders` (they belong to no layer).
 *
 * @example
 * const graph = readImportGraph(process.cwd());
 * graph.get("node/main.ts"); // ["node/cli/config.ts", "node/cli/log.ts", …]
 */
export function readImportGraph(root: string, folders: readonly string[] = LAYERED_FOLDERS): ImportGraph {
  const files = folders.flatMap((folder) => listFiles(root, folder));
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const specifier of importSpecifiers(readFileSync(join(root, file), "utf8"))) {
      if (!specifier.startsWith(".")) continue;
      const path = toPosix(relative(root, resolve(root, dirname(file), specifier)));
      const target = [path, `${path}.ts`, `${path}/index.ts`].find((candidate) => known.has(candidate));
      if (target !== undefined) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** Each import that crosses a layer the wrong way, as `from → to (rule)`, sorted. */
export function layerViolations(graph: ImportGraph, rules: readonly LayerRule[] = LAYER_RULES): string[] {
  const violations: string[] = [];
  const under = (path: string, folders: readonly string[]) => folders.some((folder) => path.startsWith(folder));
  for (const [from, targets] of graph) {
    for (const rule of rules) {
      if (!under(from, rule.from)) continue;
      for (const to of targets) if (under(to, rule.to)) violations.push(`${from} → ${to} (${rule.name})`);
    }
  }
  return violations.sort();
}

/**
 * The import cycles of `graph`: one per strongly connected component of more than one file (or a file
 * importing itself), as the path `a → b → … → a` starting from its first file in sort order. Tarjan's
 * algorithm finds the components; a breadth-first search inside one finds the shortest way round.
 */
export function findCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];

  // Iterative, so that a deep chain of imports cannot overflow the call stack.
  const connect = (start: string) => {
    const work: { file: string; next: number }[] = [{ file: start, next: 0 }];
    index.set(start, index.size);
    low.set(start, index.get(start) as number);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { file: string; next: number };
      const targets = graph.get(frame.file) ?? [];
      if (frame.next < targets.length) {
        const to = targets[frame.next++] as string;
        if (!graph.has(to)) continue;
        if (!index.has(to)) {
          index.set(to, index.size);
          low.set(to, index.get(to) as number);
          stack.push(to);
          onStack.add(to);
          work.push({ file: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.file, Math.min(low.get(frame.file) as number, index.get(to) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) {
        low.set(parent.file, Math.min(low.get(parent.file) as number, low.get(frame.file) as number));
      }
      if (low.get(frame.file) === index.get(frame.file)) {
        const component: string[] = [];
        let file: string;
        do {
          file = stack.pop() as string;
          onStack.delete(file);
          component.push(file);
        } while (file !== frame.file);
        components.push(component);
      }
    }
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) connect(file);

  return components
    .filter((component) => component.length > 1 || graph.get(component[0] as string)?.includes(component[0] as string))
    .map((component) => shortestLoop(graph, new Set(component)))
    .sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

/** The shortest path from the component's first file back to itself, through the component only. */
function shortestLoop(graph: ImportGraph, component: ReadonlySet<string>): string[] {
  const start = [...component].sort()[0] as string;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let at = 0; at < queue.length; at++) {
    const file = queue[at] as string;
    for (const to of graph.get(file) ?? []) {
      if (!component.has(to)) continue;
      if (to === start) {
        const path = [file];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0] as string) as string);
        return [...path, start];
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, file);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

/**
 * Everything wrong with the layers of the tree at `root`: each import crossing a layer the wrong way,
 * then each cycle as `a → b → a (cycle)`.
 *
 * @example
 * expect(checkLayering(process.cwd())).toEqual([]);
 */
export function checkLayering(root: string, rules: readonly LayerRule[] = LAYER_RULES): string[] {
  const graph = readImportGraph(root);
  return [...layerViolations(graph, rules), ...findCycles(graph).map((cycle) => `${cycle.join(" → ")} (cycle)`)];
}
