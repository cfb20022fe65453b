// Panoptic predictions drawn for review: stuff in its Cityscapes class colour, each instance in its own colour with
// dark contours and a "class score" label at its centre; and error maps (correct / wrong / ignored pixels).
import type { SKRSContext2D } from "@napi-rs/canvas";
import { IGNORE_ID, TRAIN_CLASS_NAMES, trainIdsToColors } from "../data/cityscapes_labels.ts";
import type { PanopticPrediction } from "../postprocess/panoptic.ts";
import type { GridTile, RgbImage } from "./grid.ts";
import { blend, instanceColours } from "./palette.ts";

/** Colours of the error map: correct, wrong, ignored (GT void). */
export const ERROR_COLOURS = {
  correct: [40, 170, 70],
  wrong: [220, 40, 40],
  ignored: [0, 0, 0],
} as const satisfies Record<string, readonly [number, number, number]>;

/**
 * The frame with the prediction blended in (opacity `alpha`): stuff in its class colour, instances in distinct
 * colours outlined in black, void pixels left as they are.
 */
export function panopticOverlay(
  image: Uint8Array,
  prediction: PanopticPrediction,
  alpha = 0.55,
  divisor = 1000,
): RgbImage {
  const { width, height, panoptic } = prediction;
  if (image.length !== width * height * 3) {
    throw new Error(`panopticOverlay: image has ${image.length} bytes, the prediction is ${width}x${height}`);
  }
  const classes = Uint8Array.from(panoptic, (v) => Math.min(IGNORE_ID, Math.floor(v / divisor)));
  const colours = trainIdsToColors(classes);
  const things = Int32Array.from(panoptic, (v) => (v % divisor ? v : 0));
  const thingColours = instanceColours(things);
  for (let p = 0; p < things.length; p++) if (things[p]) colours.set(thingColours.subarray(p * 3, p * 3 + 3), p * 3);
  const out = blend(image, colours, alpha, Uint8Array.from(classes, (c) => (c === IGNORE_ID ? 0 : 1)));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x, id = things[p];
      const right = x + 1 < width ? things[p + 1] : id, below = y + 1 < height ? things[p + width] : id;
      if ((id || right || below) && (right !== id || below !== id)) out.fill(0, p * 3, p * 3 + 3);
    }
  }
  return { data: out, width, height };
}

/**
 * Draws "class score" at each instance's centre (for a grid tile's `draw`), with a dark box behind the text. The
 * font size is in image pixels: by default a fixed share of the image width, so labels stay legible in a scaled tile.
 */
export function instanceLabels(
  prediction: PanopticPrediction,
  options: { classNames?: readonly string[]; fontSize?: number } = {},
): (ctx: SKRSContext2D) => void {
  const names = options.classNames ?? TRAIN_CLASS_NAMES;
  const font = options.fontSize ?? Math.max(12, Math.round(prediction.width / 45));
  return (ctx) => {
    ctx.font = `${font}px DejaVu Sans, sans-serif`;
    for (const inst of prediction.instances) {
      const text = `${names[inst.classId] ?? inst.classId} ${inst.score.toFixed(2)}`;
      const w = ctx.measureText(text).width;
      const x = Math.min(Math.max(0, inst.centre.x - w / 2), prediction.width - w), y = inst.centre.y;
      ctx.fillStyle = "rgba(0,0,0,0.6)";
      ctx.fillRect(x - 2, y - font, w + 4, font + 4);
      ctx.fillStyle = "white";
      ctx.fillText(text, x, y);
    }
  };
}

/** A grid tile of the panoptic overlay with instance labels. */
export function panopticTile(image: Uint8Array, prediction: PanopticPrediction, caption?: string): GridTile {
  return { image: panopticOverlay(image, prediction), caption, draw: instanceLabels(prediction) };
}

/** Green where the predicted class equals the GT, red where it differs, black where the GT is `ignore`. */
export function errorMap(
  gt: Uint8Array,
  pred: Uint8Array,
  width: number,
  height: number,
  ignore = IGNORE_ID,
): RgbImage {
  if (gt.length !== width * height || pred.length !== gt.length) {
    throw new Error(`errorMap: GT has ${gt.length} pixels, prediction ${pred.length}, expected ${width}x${height}`);
  }
  const out = new Uint8Array(gt.length * 3);
  for (let p = 0; p < gt.length; p++) {
    const colour = gt[p] === ignore
      ? ERROR_COLOURS.ignored
      : gt[p] === pred[p]
      ? ERROR_COLOURS.correct
      : ERROR_COLOURS.wrong;
    out.set(colour, p * 3);
  }
  return { data: out, width, height };
}
