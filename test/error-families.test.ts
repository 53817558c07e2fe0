// Every error class of the source tree extends the one base (protocol/errors.ts), so that the CLI
// reports it, its code is stable and its kind gives the exit code. The classes are found by reading
// the source, then imported: a new family that extends Error directly fails here, whatever file it is in.
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { BaseError } from "../protocol/errors.ts";

const ROOT = join(import.meta.dirname, "..");
const SOURCES = ["protocol", "wallet", "node", "scripts"];

/** Classes that extend Error on purpose without being errors, and why. */
const NOT_ERRORS: Record<string, string> = {
  "node/cli/config.ts ConfigExit": "--help and --version leave through it with exit code 0",
};

const CLASS = /^(export )?(?:abstract )?class (\w+)(?:<[^>]*>)? extends (\w+)/gm;

interface Declared {
  file: string;
  name: string;
  exported: boolean;
  parent: string;
}

async function declaredClasses(): Promise<Declared[]> {
  const found: Declared[] = [];
  for (const dir of SOURCES) {
    for (const entry of await readdir(join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".d.ts")) continue;
      const path = join(entry.parentPath, entry.name);
      const file = relative(ROOT, path);
      for (const [, exported, name, parent] of (await readFile(path, "utf8")).matchAll(CLASS)) {
        found.push({ file, name: name as string, exported: exported !== undefined, parent: parent as string });
      }
    }
  }
  return found;
}

describe("error families", () => {
  it("every exported error class extends BaseError", async () => {
    const declared = await declaredClasses();
    const errors: string[] = [];
    const strays: string[] = [];
    for (const { file, name } of declared.filter((d) => d.exported)) {
      const value = (await import(pathToFileURL(join(ROOT, file)).href))[name] as unknown;
      if (typeof value !== "function" || !(value.prototype instanceof Error)) continue;
      errors.push(name);
      const extendsBase = value === BaseError || value.prototype instanceof BaseError;
      if (!extendsBase && NOT_ERRORS[`${file} ${name}`] === undefined) strays.push(`${file}: ${name}`);
    }
    expect(strays).toEqual([]);
    // The scan found the families, so that a broken pattern cannot pass by finding nothing.
    expect(errors).toEqual(
      expect.arrayContaining([
        "BaseError",
        "WalletError",
        "CliError",
        "ChatError",
        "GramNodeError",
        "ApiError",
        "ConfigError",
        "LinkError",
        "ChatProtocolError",
        "AmountError",
        "DeploymentError",
        "DeployError",
      ]),
    );
    expect(errors.length).toBeGreaterThan(70);
  });

  it("no class, exported or not, extends Error directly but the base", async () => {
    const direct = (await declaredClasses())
      .filter((d) => /^(Error|TypeError|RangeError)$/.test(d.parent))
      .map((d) => `${d.file} ${d.name}`)
      .filter((where) => where !== "protocol/errors.ts BaseError" && NOT_ERRORS[where] === undefined);
    expect(direct).toEqual([]);
  });
});
