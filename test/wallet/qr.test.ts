import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeInvoiceLink } from "../../protocol/links/invoice-link.ts";
import { QR_MAX_BYTES, QrContentError, qrPng, qrSvg, qrSymbol, qrTerminal } from "../../wallet/qr.ts";
import { CHAIN_ID, ESCROW } from "../kit/constants.ts";
import { pizza, signInvoice, typicalInvoice } from "../protocol/links/helpers.ts";

const invoice = typicalInvoice();
const link = encodeInvoiceLink({
  chainId: CHAIN_ID,
  escrow: ESCROW,
  invoice,
  signature: await signInvoice(invoice),
  metadata: pizza,
});
const symbol = qrSymbol(link);
const size = symbol.modules.size;
const dark = (x: number, y: number) => symbol.modules.get(y, x) === 1;

describe("QR codes of links", () => {
  it(`a typical invoice link is a version ${symbol.version} QR code (${size}×${size} modules) at error correction M`, () => {
    // The format bits carry the level: M is 0 (L 1, Q 3, H 2).
    expect(symbol.errorCorrectionLevel.bit).toBe(0);
    expect(symbol.version).toBeLessThanOrEqual(15);
    expect(size).toBe(17 + 4 * symbol.version);
  });

  it("the PNG is a PNG of (modules + 8) × 8 pixels whose pixels are the QR's modules", async () => {
    const png = await qrPng(link);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const image = decodePng(png);
    expect(image.width).toBe((size + 8) * 8);
    expect(image.height).toBe((size + 8) * 8);
    let mismatches = 0;
    for (let y = -4; y < size + 4; y++) {
      for (let x = -4; x < size + 4; x++) {
        const inside = x >= 0 && y >= 0 && x < size && y < size;
        const pixelDark = image.isDark((x + 4) * 8 + 4, (y + 4) * 8 + 4);
        if (pixelDark !== (inside && dark(x, y))) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it("honours scale and margin", async () => {
    const image = decodePng(await qrPng(link, { scale: 2, margin: 1 }));
    expect(image.width).toBe((size + 2) * 2);
  });

  it("the SVG is an SVG document whose view box is the symbol plus its quiet zone", async () => {
    const svg = await qrSvg(link);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain(`viewBox="0 0 ${size + 8} ${size + 8}"`);
    expect(svg).toContain("<path");
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  });

  it("the plain terminal text draws the modules two rows per line", async () => {
    const text = await qrTerminal(link, { ansi: false });
    const lines = text.split("\n");
    // Four modules of quiet zone: two half-block lines above and below, four columns either side.
    expect(lines).toHaveLength(Math.ceil(size / 2) + 4);
    for (let row = 0; row < Math.ceil(size / 2); row++) {
      const line = [...(lines[row + 2] as string)];
      expect(line).toHaveLength(size + 8);
      for (let x = 0; x < size; x++) {
        const top = dark(x, 2 * row);
        const bottom = 2 * row + 1 < size && dark(x, 2 * row + 1);
        expect(line[x + 4]).toBe(top ? (bottom ? "█" : "▀") : bottom ? "▄" : " ");
      }
    }
  });

  it("the ANSI terminal text forces dark-on-light colours and is half as tall as the symbol", async () => {
    const text = await qrTerminal(link);
    expect(text).toContain("\u001b[47m\u001b[30m");
    // One module of border on each side; the renderer ends with a line of colour resets only.
    const rows = text
      .split("\n")
      .map((line) => line.replace(/\p{Cc}\[[0-9;]*m/gu, ""))
      .filter((line) => line !== "");
    expect(rows).toHaveLength(Math.ceil((size + 2) / 2));
    for (const row of rows) expect([...row]).toHaveLength(size + 2);
  });
});

describe("QR size guard", () => {
  it(`${QR_MAX_BYTES} bytes fit (version 40); one more is refused by every renderer with the size`, async () => {
    expect(qrSymbol("x".repeat(QR_MAX_BYTES)).version).toBe(40);
    const tooLong = "x".repeat(QR_MAX_BYTES + 1);
    for (const render of [
      () => qrSymbol(tooLong),
      () => qrPng(tooLong),
      () => qrSvg(tooLong),
      () => qrTerminal(tooLong),
    ]) {
      const error = await caught(render);
      expect(error).toBeInstanceOf(QrContentError);
      expect((error as QrContentError).toJSON()).toEqual({
        code: "QR_CONTENT_INVALID",
        name: "QrContentError",
        message: "too long for a QR code: 2332 bytes",
        details: "A QR code at error correction M holds at most 2331 bytes of text.",
        hint: "Leave out the invoice's items or memo, or share the link as text.",
      });
    }
  });

  it("counts UTF-8 bytes, not characters, and refuses empty content", async () => {
    expect(((await caught(() => qrSymbol("é".repeat(1200)))) as QrContentError).shortMessage).toBe(
      "too long for a QR code: 2400 bytes",
    );
    expect(((await caught(() => qrSymbol(""))) as QrContentError).shortMessage).toBe(
      "nothing to put in a QR code: the text is empty",
    );
  });
});

async function caught(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

/** A minimal PNG reader (8-bit greyscale/RGB/RGBA, all five filters), enough to look at the pixels. */
function decodePng(png: Uint8Array) {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Uint8Array[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = view.getUint32(offset);
    const type = new TextDecoder().decode(png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      const ihdr = new DataView(data.buffer, data.byteOffset, data.byteLength);
      width = ihdr.getUint32(0);
      height = ihdr.getUint32(4);
      expect(data[8]).toBe(8); // bit depth
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[data[9] as number] ?? 0;
      expect(data[12]).toBe(0); // not interlaced
    }
    if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i] as number;
      const a = i >= channels ? (pixels[y * stride + i - channels] as number) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + i] as number) : 0;
      const c = y > 0 && i >= channels ? (pixels[(y - 1) * stride + i - channels] as number) : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predictor = [0, a, b, Math.floor((a + b) / 2), paeth][filter as number] as number;
      pixels[y * stride + i] = (x + predictor) & 0xff;
    }
  }
  return { width, height, isDark: (x: number, y: number) => (pixels[y * stride + x * channels] as number) < 128 };
}
