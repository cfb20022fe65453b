// Test-only: a tiny KITTI semantics folder (image_2/, semantic/ labelIds, splits/<split>.txt) with frames whose
// labels cycle through every Cityscapes labelId, for readers and converters that start from KITTI, and two
// instance label sets for it that disagree (KITTI's own instance/ maps, Cityscapes-format pseudo labels).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NUM_LABEL_IDS } from "../../labels/cityscapes_labels.ts";
import { writePng } from "../../../io/image_io.ts";

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

/** labelId of a car (Cityscapes). */
const CAR = 26;

/**
 * Writes instance labels for the tiny frames `names` (as writeTinyKitti numbers them) that disagree on the cars:
 * KITTI's own `<dir>/instance/<name>.png` (uint16 labelId*256 + k, every car pixel an instance of its own) and
 * Cityscapes-format pseudo labels `<pseudoDir>/<name>_instanceIds.png` (all cars of a frame one instance).
 * Returns each frame's number of cars in KITTI's maps.
 */
export async function writeTinyInstances(dir: string, pseudoDir: string, names: readonly string[]): Promise<number[]> {
  const size = { width: TINY_WIDTH, height: TINY_HEIGHT };
  const cars: number[] = [];
  for (const [k, name] of names.entries()) {
    const labelIds = tinyLabelIds(k);
    let car = 0;
    const kitti = Uint16Array.from(labelIds, (id) => id * 256 + (id === CAR ? ++car : 0));
    const pseudo = Uint16Array.from(labelIds, (id) => (id === CAR ? CAR * 1000 : id));
    await writePng(join(dir, "instance", `${name}.png`), { data: kitti, ...size });
    await writePng(join(pseudoDir, `${name}_instanceIds.png`), { data: pseudo, ...size });
    cars.push(car);
  }
  return cars;
}

/** A tiny KITTI folder `<dir>/kitti` (split "val") with both instance label sets, the pseudo ones in `<dir>/pseudo`. */
export async function writeTinyKittiWithInstances(dir: string, frames: number) {
  const kitti = join(dir, "kitti"), pseudo = join(dir, "pseudo");
  const names = await writeTinyKitti(kitti, "val", frames);
  return { kitti, pseudo, names, cars: await writeTinyInstances(kitti, pseudo, names) };
}
