// The naming rule of the tree (README, "Project layout"): a library module of the wallet that holds one
// export is named after it in camelCase (`wallet/actions/sendTransfer.ts` exports `sendTransfer`), every
// other file is kebab-case (`node/hub/create-chat-hub.ts`, `wallet/chat/chat-state.ts`), and a test of one
// module is named after that module exactly (`test/wallet/chat/createGroup.test.ts`). A test of a
// behaviour across modules is kebab-case, named for the behaviour (`test/wallet/cli/with-node.test.ts`).

/** One source file: its path from the root (with `/`) and the names it exports. */
export interface NamedFile {
  path: string;
  exports: readonly string[];
}

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CAMEL = /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/;

/** Where camelCase names belong: the wallet's library folders (the CLI is an application). */
const isLibrary = (path: string) => path.startsWith("wallet/") && !path.startsWith("wallet/cli/");

const baseName = (path: string) => (path.split("/").at(-1) ?? path).replace(/(\.test)?\.tsx?$/, "");
const camelOf = (name: string) => name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
const kebabOf = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** The names a TypeScript module exports by declaration (`export function x`, `export const x`, …). */
export function declaredExports(text: string): string[] {
  const names = text.matchAll(
    /^export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|const|let|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm,
  );
  return [...names].map((match) => match[1] as string);
}

/**
 * Every file of `files` whose name breaks the rule, with why. `files` holds the sources (outside `test/`)
 * and the tests (`test/**\/*.test.ts`); a test is matched against the module at its mirrored path.
 */
export function namingViolations(files: readonly NamedFile[]): string[] {
  const modules = new Set(files.filter((file) => !file.path.startsWith("test/")).map((file) => file.path));
  const found: string[] = [];
  for (const { path, exports } of files) {
    const name = baseName(path);
    if (path.startsWith("test/")) {
      if (!path.endsWith(".test.ts")) continue;
      const mirrored = path.slice("test/".length).replace(/[^/]+$/, "");
      if (modules.has(`${mirrored}${name}.ts`)) continue;
      const module = [camelOf(name), kebabOf(name)]
        .map((variant) => `${mirrored}${variant}.ts`)
        .find((m) => modules.has(m));
      if (module !== undefined) found.push(`${path}: a test of ${module} is named ${baseName(module)}.test.ts`);
      continue;
    }
    if (KEBAB.test(name)) continue;
    // A tool's configuration is named as the tool looks for it (web/vite.config.ts).
    if (/^[a-z]+\.config$/.test(name)) continue;
    if (!CAMEL.test(name)) found.push(`${path}: neither kebab-case nor camelCase`);
    else if (!isLibrary(path))
      found.push(`${path}: camelCase outside the wallet's library folders; expected kebab-case`);
    else if (!exports.includes(name)) found.push(`${path}: camelCase but exports no ${name}; expected kebab-case`);
  }
  return found.sort();
}
