/**
 * QR decoding in the browser with ZXing compiled to WebAssembly (zxing-wasm). The `.wasm` file is bundled by
 * Vite and served by the app itself (`?url` import), never fetched from a CDN. Loaded on first use only.
 */
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";

type Reader = typeof import("zxing-wasm/reader");
let reader: Promise<Reader> | null = null;

function load(): Promise<Reader> {
  reader ??= import("zxing-wasm/reader").then(async (module) => {
    await module.prepareZXingModule({
      overrides: { locateFile: (path: string, prefix: string) => (path.endsWith(".wasm") ? wasmUrl : prefix + path) },
      fireImmediately: true,
    });
    return module;
  });
  return reader;
}

/** The text of every QR code found in an image (a photo file, or a camera frame). */
export async function decodeQr(image: Blob | ImageData): Promise<string[]> {
  const { readBarcodes } = await load();
  const results = await readBarcodes(image, { formats: ["QRCode"], tryHarder: true, maxNumberOfSymbols: 4 });
  return results.filter((r) => r.isValid).map((r) => r.text);
}
