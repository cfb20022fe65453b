// Writers (and the instance-list reader) for the official result formats, so the reference evaluators can score
// our predictions: Cityscapes semantic `*_labelIds.png`, Cityscapes instance `.txt` lists + mask PNGs, and
// COCO-panoptic PNG + JSON with labelIds as category ids. All files are written atomically.

import { IGNORE_LABEL, LABEL_DIVISOR } from "../data/labels/descriptor.ts";
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { TRAIN_ID_TO_LABEL_ID, TRAIN_LABELS, trainIdsToLabelIds } from "../data/labels/cityscapes_labels.ts";
import { id2rgb } from "../data/datasets/coco_panoptic.ts";
import type { PanopticAnnotation, PanopticJson, PanopticSegmentInfo } from "../data/datasets/coco_panoptic.ts";
import { assertSameSize, readGray, type Size, writePng } from "../io/image_io.ts";
import { writeFileAtomic } from "../io/atomic_write.ts";
import type { InstancePrediction } from "../metrics/instance.ts";

function checkSize(n: number, width: number, height: number, what: string): void {
  if (n !== width * height) throw new Error(`${what}: ${n} pixels do not make a ${width}x${height} frame`);
}

/**
 * Semantic result for evalPixelLevelSemanticLabeling: trainIds (255 = void) as an 8-bit PNG of regular
 * labelIds (void → 0 unlabeled). Name it `<city>_<seq>_<frame>*.png`, alone in its results folder.
 */
export async function writeLabelIdsPng(path: string, trainIds: Uint8Array, width: number, height: number) {
  checkSize(trainIds.length, width, height, path);
  await writePng(path, { data: trainIdsToLabelIds(trainIds), width, height, channels: 1 });
}

/**
 * Instance results for evalInstanceLevelSemanticLabeling: `<dir>/<name>.txt` with one line per instance
 * `masks/<name>_<k>.png <labelId> <score>` and the masks (0/255) beside it. Class ids are trainIds unless
 * `toLabelId` says otherwise. Returns the .txt path.
 */
export async function writeInstanceResults(
  dir: string,
  name: string,
  instances: readonly InstancePrediction[],
  width: number,
  height: number,
  toLabelId: (classId: number) => number = (t) => TRAIN_ID_TO_LABEL_ID[t],
): Promise<string> {
  const lines: string[] = [];
  for (const [k, inst] of instances.entries()) {
    const rel = `masks/${name}_${k}.png`;
    const mask = new Uint8Array(width * height);
    for (let j = 0; j < inst.pixels.length; j++) {
      const i = inst.pixels[j];
      if (!(i >= 0 && i < mask.length)) throw new Error(`${name}: instance ${k} has pixel ${i} outside the frame`);
      mask[i] = 255;
    }
    await writePng(join(dir, rel), { data: mask, width, height, channels: 1 });
    lines.push(`${rel} ${toLabelId(inst.classId)} ${inst.score}`);
  }
  const txt = join(dir, `${name}.txt`);
  writeFileAtomic(txt, lines.length ? lines.join("\n") + "\n" : "");
  return txt;
}

/**
 * Reads a Cityscapes instance result list (lines `relPath labelID conf`, masks relative to the list's folder,
 * any non-zero pixel in the mask). Class ids are the labelIds as written. Errors name the list and the line;
 * with `expected`, a mask of another size than that frame (`expected.file`) is an error naming both.
 */
export async function readInstanceResults(
  txtPath: string,
  expected?: Size & { file: string },
): Promise<InstancePrediction[]> {
  let text: string;
  try {
    text = readFileSync(txtPath, "utf8");
  } catch {
    throw new Error(`${txtPath}: file not found or unreadable`);
  }
  const out: InstancePrediction[] = [];
  for (const [lineNo, line] of text.split("\n").entries()) {
    if (!line.trim()) continue;
    const parts = line.trim().split(/\s+/);
    const labelId = Number(parts[1]), score = Number(parts[2]);
    if (parts.length !== 3 || !Number.isInteger(labelId) || !Number.isFinite(score)) {
      throw new Error(`${txtPath}:${lineNo + 1}: expected "relPath labelID conf", got "${line}"`);
    }
    const maskPath = join(dirname(txtPath), parts[0]);
    const mask = await readGray(maskPath);
    if (expected) assertSameSize(expected, expected.file, mask, maskPath);
    const pixels: number[] = [];
    for (let i = 0; i < mask.data.length; i++) if (mask.data[i] !== 0) pixels.push(i);
    out.push({ classId: labelId, score, pixels: Uint32Array.from(pixels) });
  }
  return out;
}

export interface PanopticExportOptions {
  /** panoptic value = class * divisor + instance (default 1000). */
  divisor?: number;
  /** Class meaning void in the input map (default 255). */
  voidClass?: number;
  /** class → COCO category id; default trainId → Cityscapes labelId (road = 7, so no segment collides with 0). */
  toCategoryId?: (classId: number) => number;
}

/**
 * Writes one frame of a COCO-panoptic result: `<pngDir>/<name>.png` with segment id = categoryId * divisor +
 * instance (0 = void) as R + 256 G + 256² B, and returns its annotation (areas and boxes counted).
 */
export async function writePanopticPng(
  pngDir: string,
  name: string,
  panoptic: Int32Array,
  width: number,
  height: number,
  options: PanopticExportOptions = {},
): Promise<PanopticAnnotation> {
  checkSize(panoptic.length, width, height, name);
  const divisor = options.divisor ?? LABEL_DIVISOR, voidClass = options.voidClass ?? IGNORE_LABEL;
  const toCategory = options.toCategoryId ?? ((t: number) => TRAIN_ID_TO_LABEL_ID[t]);
  const ids = new Int32Array(panoptic.length);
  const segments = new Map<number, PanopticSegmentInfo & { box: number[] }>();
  for (let i = 0; i < panoptic.length; i++) {
    const v = panoptic[i];
    const cls = Math.floor(v / divisor);
    if (cls === voidClass) continue;
    const categoryId = toCategory(cls);
    const id = categoryId * divisor + (v % divisor);
    if (!(categoryId > 0) || id >= 1 << 24) {
      throw new Error(`${name}: class ${cls} maps to category ${categoryId}, segment id ${id} (need 1..2^24-1)`);
    }
    ids[i] = id;
    const x = i % width, y = (i - x) / width;
    let s = segments.get(id);
    if (!s) {
      s = { id, category_id: categoryId, iscrowd: 0, area: 0, box: [x, y, x, y] };
      segments.set(id, s);
    }
    s.area!++;
    s.box[0] = Math.min(s.box[0], x);
    s.box[1] = Math.min(s.box[1], y);
    s.box[2] = Math.max(s.box[2], x);
    s.box[3] = Math.max(s.box[3], y);
  }
  const fileName = `${name}.png`;
  await writePng(join(pngDir, fileName), { data: id2rgb(ids), width, height, channels: 3 });
  const segmentsInfo = [...segments.values()].map(({ box, ...s }) => ({
    ...s,
    bbox: [box[0], box[1], box[2] - box[0] + 1, box[3] - box[1] + 1],
  }));
  return { image_id: name, file_name: fileName, segments_info: segmentsInfo };
}

/** Cityscapes' 19 evaluated classes as COCO categories (id = labelId), as createPanopticImgs writes them. */
export function cityscapesCategories(): NonNullable<PanopticJson["categories"]> {
  return TRAIN_LABELS.map((l) => ({
    id: l.id,
    name: l.name,
    isthing: l.hasInstances ? 1 : 0,
    supercategory: l.category,
    color: [...l.color],
  }));
}

/**
 * Writes the COCO-panoptic JSON for the annotations written by writePanopticPng (PNG folder: the JSON's path
 * without `.json`, see panopticPngDir); `images` gives each frame's size and input image file name.
 */
export function writePanopticJson(
  jsonPath: string,
  annotations: readonly PanopticAnnotation[],
  images: ReadonlyMap<string, { width: number; height: number; fileName: string }>,
  categories: PanopticJson["categories"] = cityscapesCategories(),
): void {
  const imageList = annotations.map((a) => {
    const image = images.get(String(a.image_id));
    if (!image) throw new Error(`${jsonPath}: no image entry (size, file name) for ${a.image_id}`);
    return { id: a.image_id, file_name: image.fileName, width: image.width, height: image.height };
  });
  const json = { images: imageList, annotations, categories };
  writeFileAtomic(jsonPath, JSON.stringify(json));
}

/** Folder for the PNGs of a panoptic JSON (`x/y.json` → `x/y`). */
export function panopticPngDir(jsonPath: string): string {
  return join(dirname(jsonPath), basename(jsonPath).replace(/\.json$/, ""));
}
