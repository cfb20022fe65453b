// ika's reduced 12-class scheme (ika-rwth-aachen/acdc `convert_cityscapes_to_ika_reduced.xml`) and conversions
// to it from Cityscapes labelIds, trainIds and colours; its label images are coloured with the table below.

import { CITYSCAPES_LABELS, IGNORE_ID, LABEL_ID_TO_TRAIN_ID, NUM_LABEL_IDS } from "./cityscapes_labels.ts";
import { decodeColors, encodeColors, lookupTable, remapIds, type Rgb, rgbKey } from "./label_maps.ts";

export interface Ika12Class {
  id: number;
  name: string;
  color: Rgb;
  isThing: boolean;
  /** Cityscapes labels merged into this class (by name); "none" takes every label not listed elsewhere. */
  cityscapes: readonly string[];
}

export const IKA12_CLASSES: readonly Ika12Class[] = [
  { id: 0, name: "road", color: [128, 64, 128], isThing: false, cityscapes: ["road"] },
  { id: 1, name: "sidewalk", color: [244, 35, 232], isThing: false, cityscapes: ["sidewalk"] },
  {
    id: 2,
    name: "building",
    color: [70, 70, 70],
    isThing: false,
    cityscapes: ["building", "wall", "bridge", "tunnel", "fence", "guard rail"],
  },
  {
    id: 3,
    name: "pole",
    color: [153, 153, 153],
    isThing: false,
    cityscapes: ["pole", "polegroup", "traffic light", "traffic sign"],
  },
  { id: 4, name: "vegetation", color: [107, 142, 35], isThing: false, cityscapes: ["vegetation", "terrain"] },
  { id: 5, name: "sky", color: [70, 130, 180], isThing: false, cityscapes: ["sky"] },
  { id: 6, name: "person", color: [220, 20, 60], isThing: true, cityscapes: ["person"] },
  { id: 7, name: "two-wheeler", color: [255, 0, 0], isThing: true, cityscapes: ["rider", "motorcycle", "bicycle"] },
  { id: 8, name: "car", color: [0, 0, 142], isThing: true, cityscapes: ["car", "trailer", "license plate"] },
  { id: 9, name: "truck", color: [0, 0, 70], isThing: true, cityscapes: ["truck"] },
  { id: 10, name: "bus", color: [0, 60, 100], isThing: true, cityscapes: ["bus", "caravan"] },
  { id: 11, name: "none", color: [0, 0, 0], isThing: false, cityscapes: [] },
];

export const NUM_IKA12_CLASSES = 12;
export const IKA12_NONE = 11;

/** Cityscapes labelId → ika-12 id (length 256; labels not merged into a class → 11 none). */
export const LABEL_ID_TO_IKA12: Uint8Array = lookupTable(
  CITYSCAPES_LABELS.filter((l) => l.id >= 0).map((l) => [
    l.id,
    IKA12_CLASSES.find((c) => c.cityscapes.includes(l.name))?.id ?? IKA12_NONE,
  ]),
  IKA12_NONE,
);

/** trainId → ika-12 id (length 256; 255 ignore → 11 none). */
export const TRAIN_ID_TO_IKA12: Uint8Array = lookupTable(
  [...Array(NUM_LABEL_IDS).keys()]
    .filter((id) => LABEL_ID_TO_TRAIN_ID[id] !== IGNORE_ID)
    .map((id) => [LABEL_ID_TO_TRAIN_ID[id], LABEL_ID_TO_IKA12[id]]),
  IKA12_NONE,
);

/** ika-12 label colour → id (exactly the 12 colours of the table). */
export const COLOR_TO_IKA12: ReadonlyMap<number, number> = new Map(
  IKA12_CLASSES.map((c) => [rgbKey(...c.color), c.id]),
);

export function labelIdsToIka12(labelIds: Uint8Array): Uint8Array {
  return remapIds(labelIds, LABEL_ID_TO_IKA12);
}

export function trainIdsToIka12(trainIds: Uint8Array): Uint8Array {
  return remapIds(trainIds, TRAIN_ID_TO_IKA12);
}

/** ika-coloured label image (`*_gtFine_labelColor.png`, H*W*3) → ika-12 ids; throws naming `file` on unknowns. */
export function colorsToIka12(rgb: Uint8Array, file: string): Uint8Array {
  return decodeColors(rgb, COLOR_TO_IKA12, file, "ika-12 colour");
}

export function ika12ToColors(ids: Uint8Array): Uint8Array {
  return encodeColors(ids, IKA12_CLASSES.map((c) => c.color));
}
