// Image I/O with sharp: decode PNG/JPEG to RGB uint8, 8-bit gray or 16-bit gray maps, resize (bilinear for
// images, nearest for label maps) and encode/write PNGs atomically. Every error names the file.

import sharp, { type Metadata } from "sharp";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "./atomic_write.ts";

/** Interleaved 8-bit pixels, H*W*channels. */
export interface Image8 {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
}

/** A single-channel 16-bit map, H*W. */
export interface Image16 {
  data: Uint16Array;
  width: number;
  height: number;
}

export interface Size {
  width: number;
  height: number;
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new Error(code === "ENOENT" ? `${path}: file not found` : `${path}: cannot read (${(e as Error).message})`);
  }
}

/** Runs a sharp decode, turning its errors into "<file>: corrupt or truncated image (…)". */
async function decode<T>(path: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw new Error(`${path}: corrupt or truncated image (${(e as Error).message})`);
  }
}

async function metadataOf(path: string, bytes: Uint8Array): Promise<Metadata> {
  const meta = await decode(path, () => sharp(bytes).metadata());
  if (!meta.width || !meta.height) throw new Error(`${path}: image has no size`);
  return meta;
}

function bitDepthError(path: string, meta: Metadata, expected: string): Error {
  const bits = meta.depth === "ushort" ? "16-bit" : meta.depth === "uchar" ? "8-bit" : `${meta.depth}`;
  return new Error(`${path}: is a ${bits} image; expected ${expected}`);
}

/** Width and height from the file header, without decoding the pixels. */
export async function readImageSize(path: string): Promise<Size> {
  if (!existsSync(path)) throw new Error(`${path}: file not found`);
  const meta = await decode(path, () => sharp(path).metadata());
  if (!meta.width || !meta.height) throw new Error(`${path}: image has no size`);
  return { width: meta.width, height: meta.height };
}

/**
 * Decodes any image sharp reads (PNG, JPEG, …; gray, palette, 16-bit, alpha) to 8-bit RGB. With
 * `require8Bit` (colour-coded label images) a 16-bit file is an error instead of being scaled down. With `size`
 * the image is resized while decoding (sharp's default kernel; a large JPEG is shrunk on load, never held whole).
 */
export async function readRgb(path: string, options: { require8Bit?: boolean; size?: Size } = {}): Promise<Image8> {
  const bytes = await readBytes(path);
  if (options.require8Bit) {
    const meta = await metadataOf(path, bytes);
    if (meta.depth !== "uchar") throw bitDepthError(path, meta, "an 8-bit colour label image");
  }
  const { data, info } = await decode(path, () => {
    const image = sharp(bytes, { failOn: "truncated" });
    if (options.size) image.resize(options.size.width, options.size.height, { fit: "fill" });
    return image.removeAlpha().toColourspace("srgb").raw().toBuffer({ resolveWithObject: true });
  });
  if (info.channels !== 3) throw new Error(`${path}: decoded to ${info.channels} channels, expected RGB`);
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
    channels: 3,
  };
}

/**
 * Decodes a single-channel 8-bit map (e.g. Cityscapes `*_labelIds.png`). Accepts gray (± alpha) and RGB
 * files whose three channels are equal; rejects 16-bit files, palette PNGs and real colour images.
 */
export async function readGray(path: string): Promise<Image8> {
  const bytes = await readBytes(path);
  const meta = await metadataOf(path, bytes);
  if (meta.depth !== "uchar") throw bitDepthError(path, meta, "an 8-bit single-channel map");
  if (meta.isPalette) {
    throw new Error(`${path}: is a palette (indexed-colour) PNG; expected an 8-bit single-channel map`);
  }
  const gray = (meta.channels ?? 0) <= 2;
  const { data, info } = await decode(path, () => {
    const s = sharp(bytes, { failOn: "truncated" });
    return (gray ? s.extractChannel(0) : s.removeAlpha()).raw().toBuffer({ resolveWithObject: true });
  });
  const n = info.width * info.height;
  if (info.channels === 1) {
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, n),
      width: info.width,
      height: info.height,
      channels: 1,
    };
  }
  const out = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += info.channels) {
    if (data[j] !== data[j + 1] || data[j] !== data[j + 2]) {
      throw new Error(
        `${path}: is a colour image (pixel ${i} is ${data[j]},${data[j + 1]},${data[j + 2]}); ` +
          "expected an 8-bit single-channel map",
      );
    }
    out[i] = data[j];
  }
  return { data: out, width: info.width, height: info.height, channels: 1 };
}

/** Decodes a single-channel 16-bit map (e.g. KITTI `instance/*.png`); an 8-bit gray file is widened unscaled. */
export async function readGray16(path: string): Promise<Image16> {
  const bytes = await readBytes(path);
  const meta = await metadataOf(path, bytes);
  if ((meta.channels ?? 0) > 2 || meta.isPalette) {
    throw new Error(
      `${path}: has ${meta.channels} channels${meta.isPalette ? " (palette)" : ""}; expected a ` +
        "single-channel 16-bit map",
    );
  }
  if (meta.depth === "uchar") {
    const g = await readGray(path);
    return { data: Uint16Array.from(g.data), width: g.width, height: g.height };
  }
  if (meta.depth !== "ushort") throw bitDepthError(path, meta, "a 16-bit single-channel map");
  const { data, info } = await decode(
    path,
    () =>
      sharp(bytes, { failOn: "truncated" }).extractChannel(0).toColourspace("grey16").raw({ depth: "ushort" })
        .toBuffer({ resolveWithObject: true }),
  );
  const n = info.width * info.height;
  const out = new Uint16Array(n);
  out.set(new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + n * 2)));
  return { data: out, width: info.width, height: info.height };
}

/** Throws "<fileB> is WxH but <fileA> is WxH" unless both have the same size. */
export function assertSameSize(a: Size, fileA: string, b: Size, fileB: string): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`${fileB} is ${b.width}x${b.height} but ${fileA} is ${a.width}x${a.height}`);
  }
}

/** Bilinear resize of an 8-bit image (sharp's linear kernel, corners not aligned). */
export async function resizeBilinear(image: Image8, width: number, height: number): Promise<Image8> {
  const { data, info } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  }).resize(width, height, { kernel: "linear", fit: "fill" }).raw().toBuffer({ resolveWithObject: true });
  const out = new Uint8Array(data.buffer, data.byteOffset, data.length);
  return { data: out, width: info.width, height: info.height, channels: image.channels };
}

type LabelArray = Uint8Array | Uint16Array | Int32Array;

/**
 * Nearest-neighbour resize of an H*W*channels map of any integer type (label ids, instance ids): each output
 * pixel takes the input pixel under its centre, so no new values appear.
 */
export function resizeNearest<T extends LabelArray>(
  data: T,
  size: Size,
  channels: number,
  width: number,
  height: number,
): T {
  const out = new (data.constructor as new (n: number) => T)(width * height * channels);
  const xs = new Int32Array(width);
  for (let x = 0; x < width; x++) xs[x] = Math.min(size.width - 1, Math.floor(((x + 0.5) * size.width) / width));
  for (let y = 0; y < height; y++) {
    const sy = Math.min(size.height - 1, Math.floor(((y + 0.5) * size.height) / height));
    const row = sy * size.width;
    for (let x = 0; x < width; x++) {
      const src = (row + xs[x]) * channels;
      const dst = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) out[dst + c] = data[src + c];
    }
  }
  return out;
}

/** Encodes an 8-bit RGB or gray image, or a 16-bit gray map (Image16), as PNG bytes. */
export async function encodePng(image: Image8 | Image16): Promise<Uint8Array> {
  const is16 = image.data instanceof Uint16Array;
  const channels = is16 ? 1 : (image as Image8).channels;
  const s = sharp(image.data, { raw: { width: image.width, height: image.height, channels } });
  const buf = await (is16 ? s.toColourspace("grey16") : channels === 1 ? s.toColourspace("b-w") : s).png()
    .toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/** Encodes and writes a PNG atomically (temp file in the same folder, then rename). */
export async function writePng(path: string, image: Image8 | Image16): Promise<void> {
  writeFileAtomic(path, await encodePng(image));
}
