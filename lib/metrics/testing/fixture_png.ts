// Test-only decoders for the shared PQ fixtures: PIL's 'L' (luma) conversion that deeplab2's tests apply to their
// instance maps, and BDD100K panoptic bitmasks (RGBA: the alpha byte carries instance ids, which lib/data/image_io
// drops) turned into panopticapi-style frames.

import sharp from "sharp";
import type { Image8 } from "../../io/image_io.ts";
import type { PanopticFrame, PanopticSegment } from "../panoptic.ts";

export interface Rgba {
  width: number;
  height: number;
  /** H*W*4 interleaved. */
  data: Uint8Array;
}

/** Decodes a PNG to 8-bit RGBA, alpha kept. */
export async function readRgba(path: string): Promise<Rgba> {
  const { data, info } = await sharp(path).toColourspace("srgb").ensureAlpha().raw().toBuffer({
    resolveWithObject: true,
  });
  if (info.channels !== 4) throw new Error(`${path}: decoded to ${info.channels} channels, expected 4`);
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** PIL `Image.convert("L")` of an RGB image: L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16 (ITU-R 601-2). */
export function pilLuma(img: Image8): Uint8Array {
  if (img.channels !== 3) throw new Error(`pilLuma: expected an RGB image, got ${img.channels} channel(s)`);
  const out = new Uint8Array(img.width * img.height);
  for (let i = 0, j = 0; i < out.length; i++, j += 3) {
    out[i] = (img.data[j] * 19595 + img.data[j + 1] * 38470 + img.data[j + 2] * 7471 + 0x8000) >>> 16;
  }
  return out;
}

/** Id given to GT pixels with instance 0 (BDD "unlabeled"): above every 16-bit instance id. */
export const BDD_UNLABELED_ID = 65536;

/**
 * BDD100K bitmask (R = category, G = attributes: bit 0 ignore, bit 1 crowd, B*256+A = instance id) → frame with
 * segment id = instance id and category id = R. BDD's evaluator counts GT pixels of instance 0 in unions (it
 * does not subtract void), so on the GT side they become an ordinary segment of category 0, which is never
 * averaged; on the prediction side instance 0 is VOID. Ignore/crowd GT segments become crowd.
 */
export function bddFrame(img: Rgba, side: "gt" | "pred", file: string): PanopticFrame {
  const n = img.width * img.height;
  const ids = new Int32Array(n);
  const segments = new Map<number, PanopticSegment>();
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    let id = (img.data[j + 2] << 8) | img.data[j + 3];
    if (id === 0) {
      if (side === "pred") continue;
      id = BDD_UNLABELED_ID;
    }
    ids[i] = id;
    const categoryId = id === BDD_UNLABELED_ID ? 0 : img.data[j];
    const isCrowd = (img.data[j + 1] & 3) !== 0;
    const seen = segments.get(id);
    if (seen === undefined) segments.set(id, { id, categoryId, isCrowd });
    else if (seen.categoryId !== categoryId) {
      throw new Error(`${file}: instance ${id} has categories ${seen.categoryId} and ${categoryId}`);
    }
  }
  return { ids, segments: [...segments.values()] };
}
