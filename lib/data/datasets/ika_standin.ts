// ika's validation data when present (data/ika-dataset), else a stand-in in exactly ika's layout written from the
// KITTI frames of a split: images copied, labels recoloured with ika's palette (labelIds → ika-12 → colours).
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { listIkaFrames, writeIkaFrame } from "./ika.ts";
import { labelIdsToIka12 } from "../labels/ika_labels.ts";
import { assertSameSize, readRgb } from "../../io/image_io.ts";
import { KITTI_ATTRIBUTION, kittiLabelFile, readKittiLabelIds, readKittiSplit } from "./kitti.ts";
import { writeFileAtomic } from "../../io/atomic_write.ts";

export interface IkaDataset {
  /** The ika-layout folder (input/ + label/). */
  dir: string;
  frames: number;
  /** True when the folder is the KITTI stand-in, false for ika's own data. */
  standIn: boolean;
}

/** Where ika's dataset goes when a user has it, and where the stand-in is written (both relative to the project). */
export const IKA_DATASET_DIR = join("data", "ika-dataset");
export const IKA_STANDIN_DIR = join("data", "ika-standin");
/** The KITTI split the stand-in is made from: the 60 frames ika's course validates on. */
export const IKA_STANDIN_SPLIT = "acdc_val";

function standInReadme(kittiDir: string, split: string, frames: number): string {
  return `# Stand-in for ika's validation dataset\n\n` +
    `Written by lib/data/datasets/ika_standin.ts from the ${frames} KITTI frames of split \`${split}\` ` +
    `(${kittiDir}): images unchanged, labels recoloured with ika's 12-class palette. Not ika's data.\n\n` +
    `${KITTI_ATTRIBUTION}\n`;
}

/**
 * Writes the stand-in for `split` into `outDir` unless it is already there (then nothing is written). The folder
 * is built under a temporary name beside it and renamed into place, so it is either absent or complete.
 */
export async function ensureIkaStandIn(kittiDir: string, split: string, outDir: string): Promise<IkaDataset> {
  const names = readKittiSplit(kittiDir, split);
  if (existsSync(outDir)) {
    const frames = listIkaFrames(outDir).length;
    if (frames !== names.length) {
      throw new Error(
        `${outDir}: holds ${frames} frames but split ${split} has ${names.length}; delete the folder to rebuild it`,
      );
    }
    return { dir: outDir, frames, standIn: true };
  }
  mkdirSync(dirname(outDir), { recursive: true });
  const tmp = join(dirname(outDir), `.${basename(outDir)}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`);
  try {
    for (const name of names) {
      const imagePath = join(kittiDir, "image_2", `${name}.png`);
      const image = await readRgb(imagePath);
      const labelIds = await readKittiLabelIds(kittiDir, name);
      assertSameSize(image, imagePath, labelIds, kittiLabelFile(kittiDir, name).path);
      await writeIkaFrame(tmp, name, image, labelIdsToIka12(labelIds.data));
    }
    writeFileAtomic(join(tmp, "README.md"), standInReadme(kittiDir, split, names.length));
    renameSync(tmp, outDir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    // Another process may have finished the same stand-in first: use it.
    if (existsSync(outDir) && listIkaFrames(outDir).length === names.length) {
      return { dir: outDir, frames: names.length, standIn: true };
    }
    throw e;
  }
  return { dir: outDir, frames: names.length, standIn: true };
}

/** `<root>/data/ika-dataset` when it exists, else the stand-in from KITTI `acdc_val` (written on first use). */
export async function resolveIkaDataset(projectRoot: string): Promise<IkaDataset> {
  const real = join(projectRoot, IKA_DATASET_DIR);
  if (existsSync(real)) return { dir: real, frames: listIkaFrames(real).length, standIn: false };
  return await ensureIkaStandIn(
    join(projectRoot, "data", "kitti"),
    IKA_STANDIN_SPLIT,
    join(projectRoot, IKA_STANDIN_DIR, IKA_STANDIN_SPLIT),
  );
}
