// Scan or paste: a `gram:` or `ethereum:` link pasted, read from the camera (the browser's BarcodeDetector,
// or jsqr on each frame where there is none), or from an image file, opens the pay sheet, which decodes
// and checks it. Anything else is refused here, saying what was read.
import { useEffect, useRef, useState } from "preact/hooks";
import { openPaySheet } from "../pay/pay-intent.ts";
import { browserQrDetector, decodeWithJsqr, readQrFromFile } from "./qr.ts";
import "./receive.css";

/** A payment link the pay sheet can open; the rest is refused before it gets there. */
export function isPaymentLink(text: string): boolean {
  return /^(gram|ethereum):/i.test(text.trim());
}

export function ScanScreen() {
  const [text, setText] = useState("");
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [camera, setCamera] = useState(false);

  const open = (value: string, from: string) => {
    const link = value.trim();
    if (!isPaymentLink(link)) {
      const shown = link.length > 80 ? `${link.slice(0, 77)}…` : link;
      setMessage(
        link === ""
          ? `No link ${from}.`
          : `Not a payment link ${from}: "${shown}". Expected a gram: or ethereum: link.`,
      );
      return;
    }
    setMessage(undefined);
    setCamera(false);
    openPaySheet({ kind: "link", link });
  };

  return (
    <section class="screen" aria-labelledby="scan-title">
      <h1 id="scan-title">Scan or paste</h1>
      <form
        class="scan-form card"
        onSubmit={(event) => {
          event.preventDefault();
          open(text, "pasted");
        }}
      >
        <label for="scan-link">Paste a gram: or ethereum: link</label>
        <textarea
          id="scan-link"
          rows={3}
          spellcheck={false}
          autocomplete="off"
          placeholder="gram:request/… or ethereum:0x…"
          value={text}
          onInput={(event) => setText((event.currentTarget as HTMLTextAreaElement).value)}
        />
        <div class="button-row">
          <button type="submit">Open</button>
        </div>
      </form>
      <div class="scan-form card">
        <label for="scan-file">Read a QR code from an image</label>
        <input
          id="scan-file"
          class="scan-file"
          type="file"
          accept="image/*"
          data-testid="scan-file"
          onChange={async (event) => {
            const input = event.currentTarget as HTMLInputElement;
            const file = input.files?.[0];
            input.value = "";
            if (file === undefined) return;
            try {
              const read = await readQrFromFile(file);
              if (read === undefined) setMessage(`No QR code found in ${file.name}.`);
              else open(read, `in ${file.name}`);
            } catch (error) {
              setMessage(`${file.name} could not be read as an image: ${(error as Error).message}`);
            }
          }}
        />
        {"mediaDevices" in navigator && (
          <div class="button-row">
            <button type="button" class="button-quiet" onClick={() => setCamera(!camera)}>
              {camera ? "Stop the camera" : "Scan with the camera"}
            </button>
          </div>
        )}
        {camera && <Camera onRead={(value) => open(value, "in the QR code")} onError={setMessage} />}
      </div>
      <div class="scan-form card">
        <p>Or pay someone by @name or address.</p>
        <div class="button-row">
          <button
            type="button"
            class="button-quiet"
            data-testid="scan-send"
            onClick={() => openPaySheet({ kind: "send" })}
          >
            Send…
          </button>
        </div>
      </div>
      {message !== undefined && (
        <p class="notice notice-error" role="alert" data-testid="scan-refused">
          {message}
        </p>
      )}
    </section>
  );
}

/** The camera's picture, read a few times a second until a QR code shows. */
function Camera({ onRead, onError }: { onRead: (text: string) => void; onError: (message: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
        if (stopped || video.current === null) return;
        video.current.srcObject = stream;
        await video.current.play();
        const detector = await browserQrDetector();
        const tick = async () => {
          if (stopped || video.current === null) return;
          const frame = video.current;
          const found =
            detector !== undefined ? (await detector.detect(frame))[0]?.rawValue : await decodeWithJsqr(frame);
          if (found !== undefined) onRead(found);
          else timer = setTimeout(() => void tick(), 250);
        };
        void tick();
      } catch (error) {
        onError(`The camera could not be used: ${(error as Error).message}`);
      }
    })();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, []);
  return <video ref={video} class="scan-video" muted playsInline aria-label="Camera picture" />;
}
