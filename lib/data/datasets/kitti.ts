// Reader for the KITTI semantics 2015 layout: image_2/ + semantic_rgb/ (Cityscapes colours) or semantic/
// (labelIds), KITTI's own instance/ (uint16 labelId*256+k) or else a Cityscapes-format instance folder (the pseudo
// labels), split files, and a completeness check of a dataset folder.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  assertKnownLabelIds,
  colorsToLabelIds,
  IGNORE_ID,
  labelIdsToColors,
  NUM_TRAIN_CLASSES,
} from "../labels/cityscapes_labels.ts";
import { LABEL_SETS, type LabelSetName } from "../labels/descriptor.ts";
import { remapIds } from "../labels/label_maps.ts";
import { assertSameSize, type Image8, readGray, readGray16, readImageSize, readRgb } from "../../io/image_io.ts";
import { decodeCityscapesInstanceIds, decodeKittiInstanceIds, splitInstances } from "./instance_split.ts";
import type { Sample } from "./sample.ts";

export interface KittiReadOptions {
  /** Label source: "auto" (default) uses semantic/ (labelIds) when the frame has one there, else semantic_rgb/. */
  semantic?: "auto" | "semantic" | "semantic_rgb";
  /**
   * A folder of Cityscapes-format instance maps `<name>_instanceIds.png` (labelId*1000 + k; < 1000 on a thing =
   * crowd), e.g. pseudo labels; used only when the KITTI folder has no instance/ folder (real labels win).
   */
  instanceDir?: string;
  /** The classes of Sample.semantic (default "cityscapes19": trainIds). */
  labels?: LabelSetName;
}

/** Where a KITTI folder's instance maps come from (see kittiInstanceSource). */
export interface KittiInstanceSource {
  /** "kitti": `<dir>/<name>.png`, labelId*256 + k; "cityscapes": `<dir>/<name>_instanceIds.png`. */
  format: "kitti" | "cityscapes";
  dir: string;
  /** For records: "kitti instance maps" or "pseudo labels (<instanceDir>)". */
  description: string;
}

/**
 * The instance maps of the KITTI folder `dir`: its own instance/ folder when it has one (real labels first), else
 * the Cityscapes-format `instanceDir`, else none (null). Every frame read must then have its map there.
 */
export function kittiInstanceSource(dir: string, instanceDir?: string | null): KittiInstanceSource | null {
  const own = join(dir, "instance");
  if (existsSync(own)) return { format: "kitti", dir: own, description: "kitti instance maps" };
  if (!instanceDir) return null;
  return { format: "cityscapes", dir: instanceDir, description: `pseudo labels (${instanceDir})` };
}

function instanceFile(source: KittiInstanceSource, name: string): string {
  return join(source.dir, source.format === "kitti" ? `${name}.png` : `${name}_instanceIds.png`);
}

/** Attribution every figure, table or record derived from KITTI carries (its licence is CC BY-NC-SA 3.0). */
export const KITTI_ATTRIBUTION =
  "KITTI data © A. Geiger, P. Lenz, R. Urtasun (Are we ready for Autonomous Driving? The KITTI Vision Benchmark " +
  "Suite, CVPR 2012), CC BY-NC-SA 3.0: non-commercial use, attribution, share-alike.";

/** The split files the ACDC notebooks use (140 / 60 frames). */
export const KITTI_ACDC_SPLITS = ["acdc_train", "acdc_val"] as const;

const pngNames = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".png")).map((f) => f.slice(0, -4)).sort();

/** Frame names (file names without .png) in `<dir>/image_2`, sorted. */
export function listKittiFrames(dir: string): string[] {
  const images = join(dir, "image_2");
  if (!existsSync(images)) throw new Error(`${images}: folder not found (not a KITTI semantics folder)`);
  return pngNames(images);
}

/** Frame names listed in `<dir>/splits/<split>.txt` (lines like "000127_10.png" or "000127_10"). */
export function readKittiSplit(dir: string, split: string): string[] {
  const file = join(dir, "splits", `${split}.txt`);
  if (!existsSync(file)) throw new Error(`${file}: split file not found`);
  return readFileSync(file, "utf8").split("\n").map((l) => l.trim()).filter((l) => l).map((l) =>
    l.replace(/\.png$/, "")
  );
}

/** The label file of a frame and its kind: labelIds (semantic/) or Cityscapes colours (semantic_rgb/). */
export function kittiLabelFile(
  dir: string,
  name: string,
  source: KittiReadOptions["semantic"] = "auto",
): { path: string; labelIds: boolean } {
  const semantic = join(dir, "semantic", `${name}.png`);
  if (source === "semantic" || (source !== "semantic_rgb" && existsSync(semantic))) {
    return { path: semantic, labelIds: true };
  }
  return { path: join(dir, "semantic_rgb", `${name}.png`), labelIds: false };
}

function assertPair(imagePath: string, otherPath: string, what: string): void {
  if (!existsSync(otherPath)) throw new Error(`missing pair: ${imagePath} has no ${what} ${otherPath}`);
}

/** A frame's labels as Cityscapes labelIds (8-bit, 1 channel): semantic/ as stored, or semantic_rgb/ decoded. */
export async function readKittiLabelIds(
  dir: string,
  name: string,
  source: KittiReadOptions["semantic"] = "auto",
): Promise<Image8> {
  const { path, labelIds } = kittiLabelFile(dir, name, source);
  if (labelIds) {
    const ids = await readGray(path);
    assertKnownLabelIds(ids.data, path);
    return ids;
  }
  const rgb = await readRgb(path, { require8Bit: true });
  return { data: colorsToLabelIds(rgb.data, path), width: rgb.width, height: rgb.height, channels: 1 };
}

/**
 * A frame's labels as a colour image (H*W*3): semantic_rgb/ as stored (its colours are not checked), else the
 * labelIds of semantic/ painted with the Cityscapes colours.
 */
export async function readKittiLabelColors(dir: string, name: string): Promise<Image8> {
  const { path } = kittiLabelFile(dir, name, "semantic_rgb");
  if (existsSync(path)) return await readRgb(path, { require8Bit: true });
  const ids = await readKittiLabelIds(dir, name, "semantic");
  return { data: labelIdsToColors(ids.data), width: ids.width, height: ids.height, channels: 3 };
}

/**
 * Reads one frame as a Sample (semantic in the classes of options.labels, default trainIds; instances/crowd from
 * kittiInstanceSource's maps, else null).
 */
export async function readKittiFrame(dir: string, name: string, options: KittiReadOptions = {}): Promise<Sample> {
  const imagePath = join(dir, "image_2", `${name}.png`);
  const { path: labelPath } = kittiLabelFile(dir, name, options.semantic);
  if (!existsSync(imagePath)) {
    throw new Error(
      existsSync(labelPath) ? `missing pair: ${labelPath} has no image ${imagePath}` : `${imagePath}: file not found`,
    );
  }
  assertPair(imagePath, labelPath, "label");
  const image = await readRgb(imagePath);
  const label = await readKittiLabelIds(dir, name, options.semantic);
  assertSameSize(image, imagePath, label, labelPath);
  const labels = LABEL_SETS[options.labels ?? "cityscapes19"];
  const semantic = remapIds(label.data, labels.fromLabelIds);
  const sample: Sample = {
    name,
    width: image.width,
    height: image.height,
    image: image.data,
    semantic,
    instances: null,
    crowd: null,
  };
  const instanceSource = kittiInstanceSource(dir, options.instanceDir);
  if (instanceSource) {
    const instancePath = instanceFile(instanceSource, name);
    assertPair(imagePath, instancePath, "instance map");
    const raw = await readGray16(instancePath);
    assertSameSize(image, imagePath, raw, instancePath);
    const { keys } = instanceSource.format === "kitti"
      ? decodeKittiInstanceIds(raw.data)
      : decodeCityscapesInstanceIds(raw.data);
    const { instances, crowd } = splitInstances(semantic, keys, labels.isThing);
    sample.instances = instances;
    sample.crowd = crowd;
  }
  return sample;
}

export interface KittiCheckOptions {
  /** Number of frames the folder must hold (default 200); null to accept any number. */
  expectedFrames?: number | null;
  /** Split files (under splits/, without .txt) that must exist and partition the frames (default acdc_train/val). */
  splits?: readonly string[];
}

/**
 * Checks a KITTI-layout folder from its files and PNG headers (no decoding): frame count, every image paired
 * with a label (and instance map, when instance/ exists) of the same size, no empty files, split files present,
 * naming existing frames, disjoint and covering all frames. Returns the problems found (empty = complete).
 */
export async function checkKittiFolder(dir: string, options: KittiCheckOptions = {}): Promise<string[]> {
  const expected = options.expectedFrames === undefined ? 200 : options.expectedFrames;
  const splits = options.splits ?? KITTI_ACDC_SPLITS;
  if (!existsSync(dir)) return [`${dir}: folder not found`];
  const problems: string[] = [];
  const imageDir = join(dir, "image_2");
  if (!existsSync(imageDir)) return [`${imageDir}: folder not found`];
  const images = pngNames(imageDir);
  if (expected !== null && images.length !== expected) {
    problems.push(`${imageDir}: holds ${images.length} PNGs, expected ${expected}`);
  }
  const labelDirs = ["semantic_rgb", "semantic", "instance"].filter((d) => existsSync(join(dir, d)));
  if (!labelDirs.some((d) => d !== "instance")) {
    problems.push(`${join(dir, "semantic_rgb")}: folder not found (nor ${join(dir, "semantic")})`);
  }
  const imageSet = new Set(images);
  const sizes = new Map<string, string>();
  for (const name of images) {
    const path = join(imageDir, `${name}.png`);
    if (statSync(path).size === 0) problems.push(`${path}: empty file`);
    else {
      try {
        const s = await readImageSize(path);
        sizes.set(name, `${s.width}x${s.height}`);
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
  }
  for (const sub of labelDirs) {
    const labelDir = join(dir, sub);
    const labels = pngNames(labelDir);
    const labelSet = new Set(labels);
    for (const name of images) {
      if (!labelSet.has(name)) {
        problems.push(`missing pair: ${join(imageDir, `${name}.png`)} has no ${join(labelDir, `${name}.png`)}`);
      }
    }
    for (const name of labels) {
      const path = join(labelDir, `${name}.png`);
      if (!imageSet.has(name)) {
        problems.push(`missing pair: ${path} has no image ${join(imageDir, `${name}.png`)}`);
        continue;
      }
      if (statSync(path).size === 0) {
        problems.push(`${path}: empty file`);
        continue;
      }
      try {
        const s = await readImageSize(path);
        const imageSize = sizes.get(name);
        if (imageSize && imageSize !== `${s.width}x${s.height}`) {
          problems.push(`${path} is ${s.width}x${s.height} but ${join(imageDir, `${name}.png`)} is ${imageSize}`);
        }
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
  }
  const owner = new Map<string, string>();
  for (const split of splits) {
    let names: string[];
    try {
      names = readKittiSplit(dir, split);
    } catch (e) {
      problems.push((e as Error).message);
      continue;
    }
    const file = join(dir, "splits", `${split}.txt`);
    for (const name of names) {
      if (!imageSet.has(name)) problems.push(`${file}: lists ${name}, which is not in ${imageDir}`);
      const other = owner.get(name);
      if (other) problems.push(`${file}: ${name} is also listed in ${other}.txt`);
      else owner.set(name, split);
    }
  }
  if (splits.length && problems.every((p) => !p.includes("split file not found"))) {
    const unlisted = images.filter((n) => !owner.has(n));
    if (unlisted.length) {
      problems.push(
        `${join(dir, "splits")}: ${unlisted.length} frames are in no split (${unlisted.slice(0, 5).join(", ")}…)`,
      );
    }
  }
  return problems;
}

export interface KittiVerifyResult {
  /** Frames read without error. */
  frames: number;
  /** Pixels per trainId 0..18, then ignore (index 19), summed over the frames read. */
  trainIdPixels: number[];
  /** Instance count over the frames (0 without instance labels). */
  instances: number;
  /** One message per frame that failed to read. */
  problems: string[];
}

/** Reads every frame (or `names`) fully, collecting the class histogram and every frame's error. */
export async function verifyKittiFrames(
  dir: string,
  options: KittiReadOptions = {},
  names: readonly string[] = listKittiFrames(dir),
): Promise<KittiVerifyResult> {
  const trainIdPixels = new Array(NUM_TRAIN_CLASSES + 1).fill(0);
  let frames = 0;
  let instances = 0;
  const problems: string[] = [];
  for (const name of names) {
    try {
      const s = await readKittiFrame(dir, name, options);
      const counts = new Float64Array(256);
      for (let i = 0; i < s.semantic.length; i++) counts[s.semantic[i]]++;
      for (let t = 0; t < NUM_TRAIN_CLASSES; t++) trainIdPixels[t] += counts[t];
      trainIdPixels[NUM_TRAIN_CLASSES] += counts[IGNORE_ID];
      if (s.instances) instances += s.instances.reduce((m, v) => Math.max(m, v), 0);
      frames++;
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  return { frames, trainIdPixels, instances, problems };
}
