// Pictures for the photo tests, made in the page the way a camera app hands them over (a
// canvas encodes a JPEG), and what the app keeps of them: the Blobs in IndexedDB
// (`safewalk-blobs`, object store `blobs`, keyed by attachment id; src/store/blobs.rs).
import { Locator, Page } from "@playwright/test";

export const BLOB_DATABASE = "safewalk-blobs";
/** The archive of delivered inspections (src/store/archive.rs). */
export const RECORD_DATABASE = "safewalk-records";
export const BLOB_STORE = "blobs";

export interface PictureSpec {
  width: number;
  height: number;
  /** Seeds the scene's shapes and noise: the same seed gives the same picture. */
  seed?: number;
  /** An EXIF orientation tag (1–8) written into the file, as phone cameras do. */
  orientation?: number;
  /** JPEG quality of the file itself (a camera's is high). */
  quality?: number;
}

/**
 * In the page: a JPEG of a scene — the top half red, the bottom half blue (so where they end
 * up shows whether the orientation was applied), circles, and sensor-like noise over all of
 * it, so it does not compress trivially. With `keep`, the file stays on `window.__picture`
 * (for a DataTransfer) and only its size comes back; otherwise its bytes, base64.
 */
async function generateJpeg(spec: PictureSpec & { keep?: boolean }): Promise<{ bytes: number; base64?: string }> {
  const { width, height, seed = 1, orientation, quality = 0.92, keep = false } = spec;
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const canvas = new OffscreenCanvas(width, height);
  const g = canvas.getContext("2d")!;
  const half = (y: number, from: string, to: string) => {
    const gradient = g.createLinearGradient(0, 0, width, 0);
    gradient.addColorStop(0, from);
    gradient.addColorStop(1, to);
    g.fillStyle = gradient;
    g.fillRect(0, y, width, height / 2);
  };
  half(0, "#b02020", "#e05030");
  half(height / 2, "#202a70", "#3050c0");
  for (let i = 0; i < 60; i++) {
    g.globalAlpha = 0.35;
    g.fillStyle = `hsl(${Math.floor(random() * 360)} 60% ${30 + Math.floor(random() * 40)}%)`;
    g.beginPath();
    g.arc(random() * width, random() * height, (0.005 + random() * 0.02) * width, 0, 2 * Math.PI);
    g.fill();
  }
  // Noise: a random tile drawn over the whole picture at low opacity.
  const size = 512;
  const tile = new OffscreenCanvas(size, size);
  const pixels = new ImageData(size, size);
  for (let i = 0; i < pixels.data.length; i += 4) {
    const v = Math.floor(random() * 256);
    pixels.data[i] = v;
    pixels.data[i + 1] = (v * 7 + 91) & 255;
    pixels.data[i + 2] = (v * 13 + 37) & 255;
    pixels.data[i + 3] = 255;
  }
  tile.getContext("2d")!.putImageData(pixels, 0, 0);
  g.globalAlpha = 0.45;
  for (let x = 0; x < width; x += size) for (let y = 0; y < height; y += size) g.drawImage(tile, x, y);
  g.globalAlpha = 1;

  let bytes = new Uint8Array(await (await canvas.convertToBlob({ type: "image/jpeg", quality })).arrayBuffer());
  if (orientation !== undefined) {
    // APP1 "Exif": a little-endian TIFF whose IFD0 holds one entry, Orientation (0x0112,
    // SHORT, 1 value), inserted after the encoder's JFIF APP0 segment.
    const tiff = [0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0, 0, 0, 0, 0];
    const body = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
    const app1 = [0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
    const at = bytes[2] === 0xff && bytes[3] === 0xe0 ? 4 + ((bytes[4] << 8) | bytes[5]) : 2;
    const tagged = new Uint8Array(bytes.length + app1.length);
    tagged.set(bytes.subarray(0, at), 0);
    tagged.set(app1, at);
    tagged.set(bytes.subarray(at), at + app1.length);
    bytes = tagged;
  }
  if (keep) {
    (window as unknown as { __picture: File }).__picture = new File([bytes], "IMG_0001.jpg", { type: "image/jpeg" });
    return { bytes: bytes.length };
  }
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { bytes: bytes.length, base64: btoa(binary) };
}

/** A JPEG file for `setInputFiles`. */
export async function jpegFile(page: Page, spec: PictureSpec, name = "IMG_0001.jpg"): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const { base64 } = await page.evaluate(generateJpeg, { ...spec, keep: false });
  return { name, mimeType: "image/jpeg", buffer: Buffer.from(base64!, "base64") };
}

/** Makes the picture in the page and hands it to a file input as a picked file would arrive
 * (a DataTransfer and a `change` event), without carrying its megabytes through the test
 * driver. Returns the file's size. */
export async function choosePictureInPage(page: Page, input: Locator, spec: PictureSpec): Promise<number> {
  const { bytes } = await page.evaluate(generateJpeg, { ...spec, keep: true });
  await input.evaluate((element: HTMLInputElement) => {
    const files = new DataTransfer();
    files.items.add((window as unknown as { __picture: File }).__picture);
    element.files = files.files;
    element.dispatchEvent(new Event("change", { bubbles: true }));
  });
  return bytes;
}

/** What the device holds for one attachment id. */
export interface StoredPicture {
  size: number;
  type: string;
  sha256: string;
  /** The first bytes, hex: ffd8ff is a JPEG, 89504e47 a PNG. */
  magic: string;
  width: number;
  height: number;
  /** Mean colour of the left and right thirds of the middle row band, [r, g, b]. */
  left: number[];
  right: number[];
}

/** The picture stored under `id`, decoded; `null` when there is none (or no database). */
export async function storedPicture(page: Page, id: string): Promise<StoredPicture | null> {
  return page.evaluate(
    async ([database, storeName, key]) => {
      if (!(await indexedDB.databases()).some((d) => d.name === database)) return null;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(database);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      let value: unknown;
      try {
        if (!db.objectStoreNames.contains(storeName)) return null;
        value = await new Promise((resolve, reject) => {
          const request = db.transaction(storeName).objectStore(storeName).get(key);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      } finally {
        db.close();
      }
      if (value === undefined) return null;
      if (!(value instanceof Blob)) throw new Error(`${key} holds ${Object.prototype.toString.call(value)}, not a Blob`);
      const buffer = await value.arrayBuffer();
      const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      const sha256 = hex(new Uint8Array(await crypto.subtle.digest("SHA-256", buffer)));
      const bitmap = await createImageBitmap(value);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const g = canvas.getContext("2d")!;
      g.drawImage(bitmap, 0, 0);
      const mean = (x0: number, x1: number) => {
        const y0 = Math.floor(bitmap.height * 0.4);
        const data = g.getImageData(x0, y0, x1 - x0, Math.floor(bitmap.height * 0.2)).data;
        const sum = [0, 0, 0];
        for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += data[i + c];
        return sum.map((s) => Math.round(s / (data.length / 4)));
      };
      const third = Math.floor(bitmap.width / 3);
      return {
        size: value.size,
        type: value.type,
        sha256,
        magic: hex(new Uint8Array(buffer.slice(0, 4))),
        width: bitmap.width,
        height: bitmap.height,
        left: mean(0, third),
        right: mean(bitmap.width - third, bitmap.width),
      };
    },
    [BLOB_DATABASE, BLOB_STORE, id] as const
  );
}

/** Every attachment id with a picture on the device, sorted. */
export async function storedPictureIds(page: Page): Promise<string[]> {
  return page.evaluate(
    async ([database, storeName]) => {
      if (!(await indexedDB.databases()).some((d) => d.name === database)) return [];
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(database);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        if (!db.objectStoreNames.contains(storeName)) return [];
        const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
          const request = db.transaction(storeName).objectStore(storeName).getAllKeys();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        return keys.map(String).sort();
      } finally {
        db.close();
      }
    },
    [BLOB_DATABASE, BLOB_STORE] as const
  );
}

/** Clears what the browser keeps for the site, as "clear site data" would: localStorage and
 * the picture database. The app's open connection closes itself on the deletion's
 * `versionchange`, so the deletion goes through while the page is open. */
export async function clearSiteStorage(page: Page): Promise<void> {
  // What clearing the site's data removes: localStorage and every IndexedDB database (the
  // photos' and the archive of delivered inspections).
  for (const database of [BLOB_DATABASE, RECORD_DATABASE]) {
    const outcome = await page.evaluate(
      (database) =>
        new Promise<string>((resolve) => {
          localStorage.clear();
          const request = indexedDB.deleteDatabase(database);
          request.onsuccess = () => resolve("deleted");
          request.onerror = () => resolve(`failed: ${request.error}`);
          request.onblocked = () => resolve("blocked");
        }),
      database
    );
    if (outcome !== "deleted") throw new Error(`deleting ${database}: ${outcome}`);
  }
}
