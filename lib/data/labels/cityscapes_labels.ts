// The Cityscapes label table (cityscapesScripts `helpers/labels.py`): 34 labelIds + licence plate, their 19
// trainIds (255 = ignore), categories, thing flags and colours, and conversions labelId ↔ trainId ↔ colour.

import { decodeColors, encodeColors, remapIds, type Rgb, rgbKey } from "./label_maps.ts";

export type { Rgb };

/** Value of ignored pixels in trainId maps. */
export const IGNORE_ID = 255;
/** Number of Cityscapes training classes (trainIds 0..18). */
export const NUM_TRAIN_CLASSES = 19;

export type CityscapesCategory =
  | "void"
  | "flat"
  | "construction"
  | "object"
  | "nature"
  | "sky"
  | "human"
  | "vehicle";

export interface CityscapesLabel {
  name: string;
  /** Regular labelId 0..33, or -1 for the licence plate. */
  id: number;
  /** 0..18, or 255 (IGNORE_ID) for classes not used in training/evaluation. */
  trainId: number;
  category: CityscapesCategory;
  /** True for classes annotated with instances (includes caravan and trailer, which are ignored). */
  hasInstances: boolean;
  ignoreInEval: boolean;
  color: Rgb;
}

function label(
  name: string,
  id: number,
  trainId: number,
  category: CityscapesCategory,
  hasInstances: boolean,
  ignoreInEval: boolean,
  color: Rgb,
): CityscapesLabel {
  return { name, id, trainId, category, hasInstances, ignoreInEval, color };
}

/** All 35 Cityscapes labels in labelId order (licence plate, id -1, last). */
export const CITYSCAPES_LABELS: readonly CityscapesLabel[] = [
  label("unlabeled", 0, 255, "void", false, true, [0, 0, 0]),
  label("ego vehicle", 1, 255, "void", false, true, [0, 0, 0]),
  label("rectification border", 2, 255, "void", false, true, [0, 0, 0]),
  label("out of roi", 3, 255, "void", false, true, [0, 0, 0]),
  label("static", 4, 255, "void", false, true, [0, 0, 0]),
  label("dynamic", 5, 255, "void", false, true, [111, 74, 0]),
  label("ground", 6, 255, "void", false, true, [81, 0, 81]),
  label("road", 7, 0, "flat", false, false, [128, 64, 128]),
  label("sidewalk", 8, 1, "flat", false, false, [244, 35, 232]),
  label("parking", 9, 255, "flat", false, true, [250, 170, 160]),
  label("rail track", 10, 255, "flat", false, true, [230, 150, 140]),
  label("building", 11, 2, "construction", false, false, [70, 70, 70]),
  label("wall", 12, 3, "construction", false, false, [102, 102, 156]),
  label("fence", 13, 4, "construction", false, false, [190, 153, 153]),
  label("guard rail", 14, 255, "construction", false, true, [180, 165, 180]),
  label("bridge", 15, 255, "construction", false, true, [150, 100, 100]),
  label("tunnel", 16, 255, "construction", false, true, [150, 120, 90]),
  label("pole", 17, 5, "object", false, false, [153, 153, 153]),
  label("polegroup", 18, 255, "object", false, true, [153, 153, 153]),
  label("traffic light", 19, 6, "object", false, false, [250, 170, 30]),
  label("traffic sign", 20, 7, "object", false, false, [220, 220, 0]),
  label("vegetation", 21, 8, "nature", false, false, [107, 142, 35]),
  label("terrain", 22, 9, "nature", false, false, [152, 251, 152]),
  label("sky", 23, 10, "sky", false, false, [70, 130, 180]),
  label("person", 24, 11, "human", true, false, [220, 20, 60]),
  label("rider", 25, 12, "human", true, false, [255, 0, 0]),
  label("car", 26, 13, "vehicle", true, false, [0, 0, 142]),
  label("truck", 27, 14, "vehicle", true, false, [0, 0, 70]),
  label("bus", 28, 15, "vehicle", true, false, [0, 60, 100]),
  label("caravan", 29, 255, "vehicle", true, true, [0, 0, 90]),
  label("trailer", 30, 255, "vehicle", true, true, [0, 0, 110]),
  label("train", 31, 16, "vehicle", true, false, [0, 80, 100]),
  label("motorcycle", 32, 17, "vehicle", true, false, [0, 0, 230]),
  label("bicycle", 33, 18, "vehicle", true, false, [119, 11, 32]),
  label("license plate", -1, 255, "vehicle", false, true, [0, 0, 142]),
];

/** Number of regular labelIds (0..33). */
export const NUM_LABEL_IDS = 34;

/** The label of a regular labelId 0..33 (or -1); throws on anything else. */
export function labelById(id: number): CityscapesLabel {
  const found = CITYSCAPES_LABELS.find((l) => l.id === id);
  if (!found) throw new Error(`unknown Cityscapes labelId ${id}`);
  return found;
}

/** The 19 training classes, index = trainId. */
export const TRAIN_LABELS: readonly CityscapesLabel[] = Array.from(
  { length: NUM_TRAIN_CLASSES },
  (_, t) => CITYSCAPES_LABELS.find((l) => l.trainId === t)!,
);

/** Class names indexed by trainId. */
export const TRAIN_CLASS_NAMES: readonly string[] = TRAIN_LABELS.map((l) => l.name);

/** Colours indexed by trainId. */
export const TRAIN_COLORS: readonly Rgb[] = TRAIN_LABELS.map((l) => l.color);

/** trainIds of the 8 thing classes: person, rider, car, truck, bus, train, motorcycle, bicycle. */
export const THING_TRAIN_IDS: readonly number[] = TRAIN_LABELS.filter((l) => l.hasInstances).map((l) => l.trainId);

/** isThingTrainId[t] = 1 for the 8 thing trainIds; length 256 so any uint8 value can index it. */
export const IS_THING_TRAIN_ID: Uint8Array = (() => {
  const lut = new Uint8Array(256);
  for (const t of THING_TRAIN_IDS) lut[t] = 1;
  return lut;
})();

/** labelId → trainId lookup (length 256; labelIds ≥ 34 map to IGNORE_ID). */
export const LABEL_ID_TO_TRAIN_ID: Uint8Array = (() => {
  const lut = new Uint8Array(256).fill(IGNORE_ID);
  for (const l of CITYSCAPES_LABELS) if (l.id >= 0) lut[l.id] = l.trainId;
  return lut;
})();

/** trainId → regular labelId lookup (length 256; IGNORE_ID and unused values map to 0 = unlabeled). */
export const TRAIN_ID_TO_LABEL_ID: Uint8Array = (() => {
  const lut = new Uint8Array(256);
  for (const l of TRAIN_LABELS) lut[l.trainId] = l.id;
  return lut;
})();

/** hasInstances per regular labelId (length 256): 1 for the 10 labelIds whose pixels carry instance ids. */
export const LABEL_ID_HAS_INSTANCES: Uint8Array = (() => {
  const lut = new Uint8Array(256);
  for (const l of CITYSCAPES_LABELS) if (l.id >= 0 && l.hasInstances) lut[l.id] = 1;
  return lut;
})();

/**
 * Colour → regular labelId; where labels share a colour the first in table order wins, which decodes the
 * ambiguous colours as the design fixes them: black → 0 unlabeled (not ego vehicle, rectification border,
 * out of roi, static), (153,153,153) → 17 pole (not polegroup), (0,0,142) → 26 car (not licence plate).
 */
export const COLOR_TO_LABEL_ID: ReadonlyMap<number, number> = (() => {
  const map = new Map<number, number>();
  for (const l of CITYSCAPES_LABELS) {
    const key = rgbKey(...l.color);
    if (!map.has(key)) map.set(key, l.id);
  }
  return map;
})();

/** Colour → trainId (via COLOR_TO_LABEL_ID); colours of ignored classes map to IGNORE_ID. */
export const COLOR_TO_TRAIN_ID: ReadonlyMap<number, number> = new Map(
  [...COLOR_TO_LABEL_ID].map(([key, id]) => [key, LABEL_ID_TO_TRAIN_ID[id]]),
);

/** Regular labelId map → trainId map (255 = ignore). */
export function labelIdsToTrainIds(labelIds: Uint8Array): Uint8Array {
  return remapIds(labelIds, LABEL_ID_TO_TRAIN_ID);
}

/** trainId map → regular labelId map (ignore → 0 unlabeled). */
export function trainIdsToLabelIds(trainIds: Uint8Array): Uint8Array {
  return remapIds(trainIds, TRAIN_ID_TO_LABEL_ID);
}

/** Cityscapes-coloured label image (H*W*3) → labelIds; throws naming `file` on colours not in the table. */
export function colorsToLabelIds(rgb: Uint8Array, file: string): Uint8Array {
  return decodeColors(rgb, COLOR_TO_LABEL_ID, file, "Cityscapes colour");
}

/** Cityscapes-coloured label image (H*W*3) → trainIds (255 = ignore); throws naming `file` on unknown colours. */
export function colorsToTrainIds(rgb: Uint8Array, file: string): Uint8Array {
  return decodeColors(rgb, COLOR_TO_TRAIN_ID, file, "Cityscapes colour");
}

/** trainId map → Cityscapes colours (ignore → black). */
export function trainIdsToColors(trainIds: Uint8Array): Uint8Array {
  return encodeColors(trainIds, TRAIN_COLORS);
}

/** Colours indexed by regular labelId 0..33. */
export const LABEL_COLORS: readonly Rgb[] = CITYSCAPES_LABELS.filter((l) => l.id >= 0).map((l) => l.color);

/** Regular labelId map → Cityscapes colours. */
export function labelIdsToColors(labelIds: Uint8Array): Uint8Array {
  return encodeColors(labelIds, LABEL_COLORS);
}

/** Throws naming `file` when a labelId map holds values outside 0..33, with their pixel counts. */
export function assertKnownLabelIds(labelIds: Uint8Array, file: string): void {
  const counts = new Float64Array(256);
  for (let i = 0; i < labelIds.length; i++) counts[labelIds[i]]++;
  const bad = [...counts.keys()].filter((v) => v >= NUM_LABEL_IDS && counts[v] > 0);
  if (bad.length) {
    const list = bad.slice(0, 8).map((v) => `${v} × ${counts[v]} px`).join(", ");
    throw new Error(`${file}: holds values that are not Cityscapes labelIds (0..33): ${list}`);
  }
}
