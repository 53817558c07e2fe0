// What a module reaches through its value imports (type imports are erased; `import("…")` inside a function
// loads only when it runs, so it is not followed): the one checker behind "runs anywhere" and "browser-safe".
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, relative, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");

/** Packages a page cannot load: Node's own modules and `ws`; and ethers, which the web app does not ship. */
export const NOT_FOR_BROWSERS = new Set([
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
  "ws",
  "ethers",
]);

/** Every module `entry` reaches through value imports, each with the packages it imports. */
export function reach(entry: string): Map<string, string[]> {
  const modules = new Map<string, string[]>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    const packages: string[] = [];
    modules.set(file, packages);
    const text = readFileSync(file, "utf8");
    for (const [, typeOnly, spec] of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?\bfrom\s+"([^"]+)"/gms)) {
      if (typeOnly !== undefined || spec === undefined) continue;
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec));
      else packages.push(spec);
    }
  };
  visit(entry);
  return modules;
}

/** `<module>: <package>` for each package a page cannot load that `entry` reaches; empty when it runs anywhere. */
export function notForBrowsers(entry: string): string[] {
  return [...reach(entry)].flatMap(([module, packages]) =>
    packages.filter((name) => NOT_FOR_BROWSERS.has(name)).map((name) => `${relative(ROOT, module)}: ${name}`),
  );
}
