import { readFile } from "node:fs/promises";

/**
 * The file's text, or undefined when there is no such file (a wallet folder starts empty). Any other
 * failure (no permission, a folder in its place) is thrown: it is not the same as "nothing stored yet".
 *
 * @example
 * const text = await readFileIfExists(contactsFile(home));
 * if (text === undefined) return {};
 */
export async function readFileIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
