// QR codes for links (EIP-681, `gram:invoice/`, `gram:request/`): in the terminal for `gram request` and
// `gram invoice show`, and as PNG or SVG files for a shop's counter or web page. Error correction M (15%
// of the symbol can be lost) is what payment QR codes commonly use: it survives a smudged print or a
// screen photo while keeping a ~350-character invoice link at a size phones read easily.
import QRCode, { type QRCode as QrSymbol } from "qrcode";
import { WalletError } from "./errors.ts";

const ERROR_CORRECTION = "M" as const;
/** The byte-mode capacity of the largest QR code (version 40) at level M. */
export const QR_MAX_BYTES = 2331;

/** The content cannot be a QR code: empty, or more than a QR code at error correction M holds. */
export class QrContentError extends WalletError {
  override name = "QrContentError";
  readonly code = "QR_CONTENT_INVALID";
}

/**
 * The QR symbol for `text` at error correction M: its version, module matrix and size. Throws
 * `QrContentError` when `text` is empty or does not fit in a QR code.
 *
 * @example
 * const { version, modules } = qrSymbol(link); // modules.size × modules.size
 */
export function qrSymbol(text: string): QrSymbol {
  if (text === "") throw new QrContentError("nothing to put in a QR code: the text is empty");
  try {
    return QRCode.create(text, { errorCorrectionLevel: ERROR_CORRECTION });
  } catch (cause) {
    const bytes = new TextEncoder().encode(text).length;
    throw new QrContentError(`too long for a QR code: ${bytes} bytes`, {
      details: `A QR code at error correction M holds at most ${QR_MAX_BYTES} bytes of text.`,
      hint: "Leave out the invoice's items or memo, or share the link as text.",
      cause,
    });
  }
}

export interface QrTerminalOptions {
  /**
   * true (default): ANSI colours force dark-on-light, readable on any terminal theme. false: plain Unicode
   * half blocks, for files and logs; on a dark theme they show inverted, which some scanners refuse.
   */
  ansi?: boolean | undefined;
}

/**
 * The QR code as text for a terminal, two modules per character row.
 *
 * @example
 * console.log(await qrTerminal(link));
 */
export async function qrTerminal(text: string, { ansi = true }: QrTerminalOptions = {}): Promise<string> {
  qrSymbol(text);
  return ansi
    ? QRCode.toString(text, { type: "terminal", small: true, errorCorrectionLevel: ERROR_CORRECTION })
    : QRCode.toString(text, { type: "utf8", errorCorrectionLevel: ERROR_CORRECTION });
}

export interface QrImageOptions {
  /** Pixels per module (PNG only); default 8. */
  scale?: number | undefined;
  /** Quiet zone in modules; default 4, as the QR standard asks. */
  margin?: number | undefined;
}

/**
 * The QR code as a PNG image, `(modules + 2 × margin) × scale` pixels square.
 *
 * @example
 * await writeFile("invoice.png", await qrPng(link));
 */
export async function qrPng(text: string, { scale = 8, margin = 4 }: QrImageOptions = {}): Promise<Uint8Array> {
  qrSymbol(text);
  return QRCode.toBuffer(text, { type: "png", errorCorrectionLevel: ERROR_CORRECTION, scale, margin });
}

/**
 * The QR code as an SVG document, scalable for print and web pages.
 *
 * @example
 * await writeFile("invoice.svg", await qrSvg(link));
 */
export async function qrSvg(text: string, { margin = 4 }: QrImageOptions = {}): Promise<string> {
  qrSymbol(text);
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: ERROR_CORRECTION, margin });
}
