// The 30-class scheme of ika's ACDC semantic segmentation notebooks (`rgb_to_class_id` in acdc-notebooks'
// image_segmentation_utils.py) and conversions to it from Cityscapes labelIds, trainIds and label colours, plus the
// notebooks' own colour decode (their table as written, unknown colours → 0) for scoring with their protocol.

import {
  CITYSCAPES_LABELS,
  COLOR_TO_LABEL_ID,
  IGNORE_ID,
  LABEL_ID_TO_TRAIN_ID,
  NUM_LABEL_IDS,
} from "./cityscapes_labels.ts";
import { decodeColors, encodeColors, lookupTable, remapIds, type Rgb, rgbKey } from "./label_maps.ts";

export interface Acdc30Class {
  /** 0..29 as in the notebooks. */
  id: number;
  name: string;
  color: Rgb;
  /** Cityscapes labels merged into this class (by name). */
  cityscapes: readonly string[];
}

/**
 * The 30 classes. Colours are the notebooks' except tunnel: the notebooks list (50,120,90) but the labels use
 * the Cityscapes colour (150,120,90), which is kept here. Static is (20,20,20) in the notebooks; Cityscapes paints
 * it black, so black label pixels decode to 29 none.
 */
export const ACDC30_CLASSES: readonly Acdc30Class[] = [
  { id: 0, name: "road", color: [128, 64, 128], cityscapes: ["road"] },
  { id: 1, name: "sidewalk", color: [244, 35, 232], cityscapes: ["sidewalk"] },
  { id: 2, name: "parking", color: [250, 170, 160], cityscapes: ["parking"] },
  { id: 3, name: "rail track", color: [230, 150, 140], cityscapes: ["rail track"] },
  { id: 4, name: "person", color: [220, 20, 60], cityscapes: ["person"] },
  { id: 5, name: "rider", color: [255, 0, 0], cityscapes: ["rider"] },
  { id: 6, name: "car", color: [0, 0, 142], cityscapes: ["car", "license plate"] },
  { id: 7, name: "truck", color: [0, 0, 70], cityscapes: ["truck"] },
  { id: 8, name: "bus", color: [0, 60, 100], cityscapes: ["bus"] },
  { id: 9, name: "on rails", color: [0, 80, 100], cityscapes: ["train"] },
  { id: 10, name: "motorcycle", color: [0, 0, 230], cityscapes: ["motorcycle"] },
  { id: 11, name: "bicycle", color: [119, 11, 32], cityscapes: ["bicycle"] },
  { id: 12, name: "caravan", color: [0, 0, 90], cityscapes: ["caravan"] },
  { id: 13, name: "trailer", color: [0, 0, 110], cityscapes: ["trailer"] },
  { id: 14, name: "building", color: [70, 70, 70], cityscapes: ["building"] },
  { id: 15, name: "wall", color: [102, 102, 156], cityscapes: ["wall"] },
  { id: 16, name: "fence", color: [190, 153, 153], cityscapes: ["fence"] },
  { id: 17, name: "guard rail", color: [180, 165, 180], cityscapes: ["guard rail"] },
  { id: 18, name: "bridge", color: [150, 100, 100], cityscapes: ["bridge"] },
  { id: 19, name: "tunnel", color: [150, 120, 90], cityscapes: ["tunnel"] },
  { id: 20, name: "pole", color: [153, 153, 153], cityscapes: ["pole", "polegroup"] },
  { id: 21, name: "traffic sign", color: [220, 220, 0], cityscapes: ["traffic sign"] },
  { id: 22, name: "traffic light", color: [250, 170, 30], cityscapes: ["traffic light"] },
  { id: 23, name: "vegetation", color: [107, 142, 35], cityscapes: ["vegetation"] },
  { id: 24, name: "terrain", color: [152, 251, 152], cityscapes: ["terrain"] },
  { id: 25, name: "sky", color: [70, 130, 180], cityscapes: ["sky"] },
  { id: 26, name: "ground", color: [81, 0, 81], cityscapes: ["ground"] },
  { id: 27, name: "dynamic", color: [111, 74, 0], cityscapes: ["dynamic"] },
  { id: 28, name: "static", color: [20, 20, 20], cityscapes: ["static"] },
  {
    id: 29,
    name: "none",
    color: [0, 0, 0],
    cityscapes: ["unlabeled", "ego vehicle", "rectification border", "out of roi"],
  },
];

export const NUM_ACDC30_CLASSES = 30;
/** The ACDC-30 class that ignored / unknown pixels fall into. */
export const ACDC30_NONE = 29;

/** The notebooks' own tunnel colour, accepted when decoding ACDC-30 colour images. */
const NOTEBOOK_TUNNEL_COLOR: Rgb = [50, 120, 90];

/** Cityscapes labelId → ACDC-30 id (length 256; unknown labelIds → 29 none). */
export const LABEL_ID_TO_ACDC30: Uint8Array = lookupTable(
  CITYSCAPES_LABELS.filter((l) => l.id >= 0).map((l) => [
    l.id,
    ACDC30_CLASSES.find((c) => c.cityscapes.includes(l.name))!.id,
  ]),
  ACDC30_NONE,
);

/** trainId → ACDC-30 id (length 256; 255 ignore → 29 none: the ignored Cityscapes classes cannot be recovered). */
export const TRAIN_ID_TO_ACDC30: Uint8Array = lookupTable(
  [...Array(NUM_LABEL_IDS).keys()]
    .filter((id) => LABEL_ID_TO_TRAIN_ID[id] !== IGNORE_ID)
    .map((id) => [LABEL_ID_TO_TRAIN_ID[id], LABEL_ID_TO_ACDC30[id]]),
  ACDC30_NONE,
);

/** ACDC-30 colour → id: the table's colours, every Cityscapes label colour, and the notebooks' tunnel colour. */
export const COLOR_TO_ACDC30: ReadonlyMap<number, number> = new Map([
  ...[...COLOR_TO_LABEL_ID].map(([key, id]) => [key, LABEL_ID_TO_ACDC30[id]] as const),
  ...ACDC30_CLASSES.map((c) => [rgbKey(...c.color), c.id] as const),
  [rgbKey(...NOTEBOOK_TUNNEL_COLOR), 19],
]);

/** The notebooks' `rgb_to_class_id` as written: the table's colours with their tunnel colour (50,120,90). */
export const NOTEBOOK_COLOR_TO_ACDC30: ReadonlyMap<number, number> = new Map(
  ACDC30_CLASSES.map((c) => [rgbKey(...(c.name === "tunnel" ? NOTEBOOK_TUNNEL_COLOR : c.color)), c.id] as const),
);

/**
 * Colour label image (H*W*3) → ACDC-30 ids as the notebooks' `convert_rgb_encoding_to_segmentation_map` decodes
 * it: exact colour match in NOTEBOOK_COLOR_TO_ACDC30, any other colour stays 0 (road). Black is 29 none, and the
 * labels' tunnel colour (150,120,90), missing from their table, becomes road.
 */
export function notebookColorsToAcdc30(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgb.length / 3);
  for (let i = 0, j = 0; i < out.length; i++, j += 3) {
    out[i] = NOTEBOOK_COLOR_TO_ACDC30.get(rgbKey(rgb[j], rgb[j + 1], rgb[j + 2])) ?? 0;
  }
  return out;
}

export function labelIdsToAcdc30(labelIds: Uint8Array): Uint8Array {
  return remapIds(labelIds, LABEL_ID_TO_ACDC30);
}

export function trainIdsToAcdc30(trainIds: Uint8Array): Uint8Array {
  return remapIds(trainIds, TRAIN_ID_TO_ACDC30);
}

/** Colour label image (Cityscapes or ACDC-30 colours, H*W*3) → ACDC-30 ids; throws naming `file` on unknowns. */
export function colorsToAcdc30(rgb: Uint8Array, file: string): Uint8Array {
  return decodeColors(rgb, COLOR_TO_ACDC30, file, "ACDC-30 colour");
}

export function acdc30ToColors(ids: Uint8Array): Uint8Array {
  return encodeColors(ids, ACDC30_CLASSES.map((c) => c.color));
}
