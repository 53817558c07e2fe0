// QR codes for the receive and scan screens, loaded only there: drawing one with `qrcode` (to a data:
// URL, which the CSP's img-src allows), reading one from an image with the browser's BarcodeDetector
// where it exists, else with `jsqr` (on Linux and Firefox the browser has none).

/** A QR code of `text` as a PNG data: URL. */
export async function qrDataUrl(text: string): Promise<string> {
  const { toDataURL } = await import("qrcode");
  return toDataURL(text, { errorCorrectionLevel: "M", margin: 2, width: 320 });
}

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: ImageBitmapSource): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

/** The browser's QR detector, when it has one that reads QR codes. */
export async function browserQrDetector(): Promise<BarcodeDetectorLike | undefined> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (Detector === undefined) return undefined;
  try {
    if (!(await Detector.getSupportedFormats()).includes("qr_code")) return undefined;
    return new Detector({ formats: ["qr_code"] });
  } catch {
    return undefined;
  }
}

/** The text of the first QR code in an image file; undefined when none is found. */
export async function readQrFromFile(file: Blob): Promise<string | undefined> {
  const bitmap = await createImageBitmap(file);
  try {
    const detector = await browserQrDetector();
    if (detector !== undefined) {
      const found = await detector.detect(bitmap);
      if (found[0] !== undefined) return found[0].rawValue;
    }
    return await decodeWithJsqr(bitmap);
  } finally {
    bitmap.close();
  }
}

type JsQr = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: { inversionAttempts?: "attemptBoth" },
) => { data: string } | null;

/** Reads a QR code from a bitmap or a video frame with `jsqr`, scaled down to at most 1024 px wide. */
export async function decodeWithJsqr(source: ImageBitmap | HTMLVideoElement): Promise<string | undefined> {
  const width = source instanceof HTMLVideoElement ? source.videoWidth : source.width;
  const height = source instanceof HTMLVideoElement ? source.videoHeight : source.height;
  if (width === 0 || height === 0) return undefined;
  const scale = Math.min(1, 1024 / width);
  const canvas = new OffscreenCanvas(Math.round(width * scale), Math.round(height * scale));
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (context === null) return undefined;
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  // A CommonJS module: its function is `default` for the bundler, `default.default` as Node types it.
  const loaded = (await import("jsqr")).default as unknown as JsQr | { default: JsQr };
  const jsQR = typeof loaded === "function" ? loaded : loaded.default;
  return jsQR(data, canvas.width, canvas.height, { inversionAttempts: "attemptBoth" })?.data ?? undefined;
}
