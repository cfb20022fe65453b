// Test-only: a tiny KITTI semantics folder (image_2/, semantic/ labelIds, splits/<split>.txt) with frames whose
// labels cycle through every Cityscapes labelId, for readers and converters that start from KITTI.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NUM_LABEL_IDS } from "../cityscapes_labels.ts";
import { writePng } from "../image_io.ts";

export const TINY_WIDTH = 24, TINY_HEIGHT = 16;

/** The labelIds of tiny frame `index`: every labelId 0..33 in turn, shifted per frame. */
export function tinyLabelIds(index: number): Uint8Array {
  return Uint8Array.from({ length: TINY_WIDTH * TINY_HEIGHT }, (_, i) => (i + 5 * index) % NUM_LABEL_IDS);
}

/** Writes `frames` frames named 00000k_10 into `dir` and lists them in splits/<split>.txt; returns the names. */
export async function writeTinyKitti(dir: string, split: string, frames: number): Promise<string[]> {
  const names = Array.from({ length: frames }, (_, k) => `${String(k).padStart(6, "0")}_10`);
  for (const [k, name] of names.entries()) {
    const rgb = Uint8Array.from({ length: TINY_WIDTH * TINY_HEIGHT * 3 }, (_, i) => (i * 7 + k * 31) % 256);
    await writePng(join(dir, "image_2", `${name}.png`), {
      data: rgb,
      width: TINY_WIDTH,
      height: TINY_HEIGHT,
      channels: 3,
    });
    await writePng(join(dir, "semantic", `${name}.png`), {
      data: tinyLabelIds(k),
      width: TINY_WIDTH,
      height: TINY_HEIGHT,
      channels: 1,
    });
  }
  mkdirSync(join(dir, "splits"), { recursive: true });
  writeFileSync(join(dir, "splits", `${split}.txt`), names.map((n) => `${n}.png`).join("\n") + "\n");
  return names;
}
