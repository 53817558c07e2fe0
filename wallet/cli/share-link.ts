// What `gram request` and `gram invoice create` print and write for a link they made: the link on a line
// of its own, its QR code on the terminal (not in --json mode), and the QR as PNG and SVG files when asked.
import { writeFile } from "node:fs/promises";
import { qrPng, qrSvg, qrTerminal } from "../qr.ts";
import type { Cli } from "./options.ts";

export interface ShareLinkOptions {
  /** Write the QR code as a PNG image here. */
  png?: string;
  /** Write the QR code as an SVG image here. */
  svg?: string;
}

/** Writes the QR files asked for; the files written, and the lines that show the link under a heading. */
export async function shareLink(
  cli: Cli,
  link: string,
  options: ShareLinkOptions,
): Promise<{ files: string[]; lines: string[] }> {
  const files: string[] = [];
  if (options.png !== undefined) {
    await writeFile(options.png, await qrPng(link));
    files.push(options.png);
  }
  if (options.svg !== undefined) {
    await writeFile(options.svg, await qrSvg(link));
    files.push(options.svg);
  }
  const lines = [
    "",
    link,
    "",
    ...(cli.options.json ? [] : [await qrTerminal(link)]),
    ...files.map((file) => `QR code written to ${file}`),
  ];
  return { files, lines };
}
