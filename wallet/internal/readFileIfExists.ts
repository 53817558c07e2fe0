import { type FileBound, readBoundedFile } from "./readBoundedFile.ts";

/**
 * The file's text, or undefined when there is no such file (a wallet folder starts empty). Read within
 * `bound` (a regular file, at most so large: see `readBoundedFile`). Any other failure (no permission, a
 * folder or a pipe in its place) is thrown: it is not the same as "nothing stored yet".
 *
 * @example
 * const text = await readFileIfExists(contactsFile(home), FILE_BOUNDS.contacts);
 * if (text === undefined) return {};
 */
export async function readFileIfExists(file: string, bound: FileBound): Promise<string | undefined> {
  try {
    return await readBoundedFile(file, bound);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
