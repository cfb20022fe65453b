// Reader for COCO-panoptic annotations (PNG with segment id = R + 256*G + 256²*B, plus JSON segments_info), as
// used by Cityscapes' gtFine/cityscapes_panoptic_*: category ids as trainIds, labelIds or a custom map.

import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { findFiles } from "../../io/find_files.ts";
import { IGNORE_ID, LABEL_ID_TO_TRAIN_ID, NUM_LABEL_IDS, NUM_TRAIN_CLASSES } from "../labels/cityscapes_labels.ts";
import { assertSameSize, readRgb } from "../../io/image_io.ts";
import { splitInstances } from "./instance_split.ts";
import type { Sample } from "./sample.ts";

export interface PanopticSegmentInfo {
  id: number;
  category_id: number;
  area?: number;
  iscrowd?: number;
  bbox?: number[];
}

export interface PanopticAnnotation {
  image_id: string | number;
  file_name: string;
  segments_info: PanopticSegmentInfo[];
}

export interface PanopticJson {
  annotations: PanopticAnnotation[];
  categories?: { id: number; name: string; isthing?: number }[];
  images?: { id: string | number; file_name: string; width?: number; height?: number }[];
}

/**
 * How JSON category ids become trainIds: "trainId" (Cityscapes `_trainId.json`), "labelId" (regular
 * Cityscapes ids, mapped through the label table) or an explicit map category id → trainId.
 */
export type CategoryIds = "trainId" | "labelId" | ReadonlyMap<number, number>;

/** Segment ids of a COCO-panoptic RGB PNG (H*W*3): R + 256*G + 256*256*B. */
export function rgb2id(rgb: Uint8Array): Int32Array {
  const out = new Int32Array(rgb.length / 3);
  for (let i = 0, j = 0; i < out.length; i++, j += 3) out[i] = rgb[j] + 256 * rgb[j + 1] + 65536 * rgb[j + 2];
  return out;
}

/** Inverse of rgb2id. */
export function id2rgb(ids: Int32Array): Uint8Array {
  const out = new Uint8Array(ids.length * 3);
  for (let i = 0, j = 0; i < ids.length; i++, j += 3) {
    out[j] = ids[i] & 255;
    out[j + 1] = (ids[i] >> 8) & 255;
    out[j + 2] = (ids[i] >> 16) & 255;
  }
  return out;
}

/** Parses and checks a COCO-panoptic JSON file; errors name the file. */
export function readPanopticJson(path: string): PanopticJson {
  if (!existsSync(path)) throw new Error(`${path}: file not found`);
  let json: PanopticJson;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(json?.annotations)) throw new Error(`${path}: has no "annotations" array`);
  for (const a of json.annotations) {
    if (typeof a.file_name !== "string" || !Array.isArray(a.segments_info)) {
      throw new Error(`${path}: annotation ${JSON.stringify(a.image_id)} lacks file_name or segments_info`);
    }
    for (const s of a.segments_info) {
      if (!Number.isInteger(s.id) || !Number.isInteger(s.category_id)) {
        throw new Error(`${path}: a segment of ${a.file_name} lacks an integer id or category_id`);
      }
    }
  }
  return json;
}

function categoryToTrainId(categoryId: number, ids: CategoryIds, where: string): number {
  if (ids === "trainId") {
    if (categoryId >= 0 && categoryId < NUM_TRAIN_CLASSES) return categoryId;
  } else if (ids === "labelId") {
    if (categoryId >= 0 && categoryId < NUM_LABEL_IDS) return LABEL_ID_TO_TRAIN_ID[categoryId];
  } else {
    const t = ids.get(categoryId);
    if (t !== undefined) return t;
  }
  const scheme = typeof ids === "string" ? `a Cityscapes ${ids}` : "in the category map";
  throw new Error(`${where}: category_id ${categoryId} is not ${scheme}`);
}

export interface PanopticFrame {
  sample: Sample;
  /** Segment id per pixel as read from the PNG (0 = void). */
  segmentIds: Int32Array;
  /** Pixel count per segment id found in the PNG (void excluded). */
  areas: Map<number, number>;
}

/**
 * Reads an image and its panoptic PNG into a Sample: semantic = the segment's category as trainId (void and
 * ignored categories → 255); thing segments become instances (numbered by ascending segment id), crowd
 * segments (iscrowd = 1) the crowd mask. Like panopticapi, a PNG id missing from segments_info, or a segment
 * missing from the PNG, is an error.
 */
export async function readPanopticFrame(
  imagePath: string,
  pngPath: string,
  annotation: PanopticAnnotation,
  categoryIds: CategoryIds,
  jsonPath = "JSON",
): Promise<PanopticFrame> {
  const image = await readRgb(imagePath);
  const png = await readRgb(pngPath, { require8Bit: true });
  assertSameSize(image, imagePath, png, pngPath);
  const segmentIds = rgb2id(png.data);
  const bySegment = new Map<number, { trainId: number; key: number }>();
  for (const s of annotation.segments_info) {
    const trainId = categoryToTrainId(s.category_id, categoryIds, `${jsonPath} (${annotation.file_name})`);
    bySegment.set(s.id, { trainId, key: s.iscrowd ? 0 : s.id });
  }
  const n = segmentIds.length;
  const semantic = new Uint8Array(n);
  const keys = new Int32Array(n);
  const areas = new Map<number, number>();
  const unknown = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const id = segmentIds[i];
    if (id === 0) {
      semantic[i] = IGNORE_ID;
      continue;
    }
    const seg = bySegment.get(id);
    if (!seg) {
      unknown.set(id, (unknown.get(id) ?? 0) + 1);
      continue;
    }
    semantic[i] = seg.trainId;
    keys[i] = seg.key;
    areas.set(id, (areas.get(id) ?? 0) + 1);
  }
  if (unknown.size) {
    const list = [...unknown].slice(0, 8).map(([id, c]) => `${id} × ${c} px`).join(", ");
    throw new Error(`${pngPath}: segment ids not in the segments_info of ${jsonPath}: ${list}`);
  }
  const absent = [...bySegment.keys()].filter((id) => !areas.has(id));
  if (absent.length) {
    throw new Error(`${pngPath}: segments ${absent.join(", ")} listed in ${jsonPath} do not occur in the PNG`);
  }
  const { instances, crowd } = splitInstances(semantic, keys);
  const name = String(annotation.image_id);
  return {
    sample: { name, width: image.width, height: image.height, image: image.data, semantic, instances, crowd },
    segmentIds,
    areas,
  };
}

/** Where a panoptic JSON's PNGs are: the folder named like the JSON without .json when it exists, else beside it. */
export function panopticPngFolder(jsonPath: string): string {
  const sibling = jsonPath.replace(/\.json$/, "");
  return existsSync(sibling) ? sibling : dirname(jsonPath);
}

export interface PanopticEntry {
  name: string;
  image: string;
  png: string;
  annotation: PanopticAnnotation;
}

/**
 * Pairs each annotation of a panoptic JSON with its PNG (in `pngDir`; default: the folder named like the JSON
 * without .json when it exists, else the JSON's folder) and its image, searched recursively under `imageRoot`
 * by the `images` entry's file_name, `<image_id>_leftImg8bit.png` (Cityscapes) or the PNG's name as .jpg/.png.
 */
export function listPanopticFrames(jsonPath: string, imageRoot: string, pngDir?: string): PanopticEntry[] {
  const json = readPanopticJson(jsonPath);
  const dir = pngDir ?? panopticPngFolder(jsonPath);
  const byName = new Map(findFiles(imageRoot, "").map((p) => [basename(p), p]));
  const imageNames = new Map((json.images ?? []).map((im) => [String(im.id), im.file_name]));
  return json.annotations.map((annotation) => {
    const png = join(dir, annotation.file_name);
    if (!existsSync(png)) throw new Error(`${jsonPath}: panoptic PNG ${png} not found`);
    const id = String(annotation.image_id);
    const stem = annotation.file_name.replace(/\.png$/, "");
    const candidates = [imageNames.get(id), `${id}_leftImg8bit.png`, `${stem}.jpg`, `${stem}.png`]
      .filter((c): c is string => !!c).map((c) => basename(c));
    const found = candidates.map((c) => byName.get(c)).find((p) => p && p !== png);
    if (!found) {
      throw new Error(`missing pair: ${png} has no image under ${imageRoot} (looked for ${candidates.join(", ")})`);
    }
    return { name: id, image: found, png, annotation };
  });
}
