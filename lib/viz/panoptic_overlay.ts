// Panoptic predictions drawn for review: stuff in its Cityscapes class colour, each instance scoring at least a
// threshold in its own colour (apart from every class colour) with dark contours and a "class score" label placed
// so that labels never overlap, a legend strip of the classes in the frame below; and error maps (correct / wrong /
// ignored pixels). Pixels are typed arrays and text goes through a Context2D, so the web page draws with the same
// code as the Deno figures (lib/viz/panoptic_figure.ts).
import { LABEL_DIVISOR } from "../data/labels/descriptor.ts";
import {
  IGNORE_ID,
  IS_THING_TRAIN_ID,
  TRAIN_CLASS_NAMES,
  TRAIN_COLORS,
  trainIdsToColors,
} from "../data/labels/cityscapes_labels.ts";
import type { PanopticPrediction, PredictedInstance } from "../postprocess/panoptic.ts";
import type { Context2D } from "./context2d.ts";
import type { RgbImage } from "./grid.ts";
import { placeLabels, type Rect } from "./label_placement.ts";
import { type LegendEntry, legendStrip } from "./legend.ts";
import { blend, instanceColours } from "./palette.ts";

/** Colours of the error map: correct, wrong, ignored (GT void). */
export const ERROR_COLOURS = {
  correct: [40, 170, 70],
  wrong: [220, 40, 40],
  ignored: [0, 0, 0],
} as const satisfies Record<string, readonly [number, number, number]>;

/**
 * Instances scoring below this get no colour of their own, contour or label: their pixels show their class colour.
 * Chosen on runs/final's predictions for KITTI frames 000000-000039: of the instances scoring under 0.3, 6 % (19 of
 * 308) match a pseudo-label instance (IoU > 0.5); of those at 0.3 or more, 57 % (123 of 216), 87 % of all matches.
 */
export const DEFAULT_SCORE_THRESHOLD = 0.3;

export interface PanopticDrawOptions {
  /** Opacity of the colours over the image; default 0.55. */
  alpha?: number;
  /** Instances scoring below it are drawn as their class; default DEFAULT_SCORE_THRESHOLD. */
  scoreThreshold?: number;
  /** Panoptic id = class * divisor + instance; default 1000. */
  divisor?: number;
  /** Names by trainId; default the Cityscapes train classes. */
  classNames?: readonly string[];
}

/** The instances drawn as instances: those scoring at least the threshold. */
function shownInstances(prediction: PanopticPrediction, options: PanopticDrawOptions): PredictedInstance[] {
  const threshold = options.scoreThreshold ?? DEFAULT_SCORE_THRESHOLD;
  return prediction.instances.filter((inst) => inst.score >= threshold);
}

/**
 * The frame with the prediction blended in: stuff and the pixels of instances below the score threshold in their
 * class colour, shown instances in distinct colours outlined in black, void pixels left as they are.
 */
export function panopticOverlay(
  image: Uint8Array,
  prediction: PanopticPrediction,
  options: PanopticDrawOptions = {},
): RgbImage {
  const { width, height, panoptic } = prediction;
  if (image.length !== width * height * 3) {
    throw new Error(`panopticOverlay: image has ${image.length} bytes, the prediction is ${width}x${height}`);
  }
  const divisor = options.divisor ?? LABEL_DIVISOR;
  const classes = Uint8Array.from(panoptic, (v) => Math.min(IGNORE_ID, Math.floor(v / divisor)));
  const colours = trainIdsToColors(classes);
  const shown = new Set(shownInstances(prediction, options).map((inst) => inst.panopticId));
  const things = Int32Array.from(panoptic, (v) => (shown.has(v) ? v : 0));
  const thingColours = instanceColours(things);
  for (let p = 0; p < things.length; p++) if (things[p]) colours.set(thingColours.subarray(p * 3, p * 3 + 3), p * 3);
  const out = blend(image, colours, options.alpha ?? 0.55, Uint8Array.from(classes, (c) => (c === IGNORE_ID ? 0 : 1)));
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
 * One legend entry per class with pixels in the frame (void excluded), in trainId order, in its class colour;
 * thing classes with shown instances say how many, e.g. "car (3 shown)".
 */
export function panopticLegend(prediction: PanopticPrediction, options: PanopticDrawOptions = {}): LegendEntry[] {
  const names = options.classNames ?? TRAIN_CLASS_NAMES, divisor = options.divisor ?? LABEL_DIVISOR;
  const present = new Set<number>();
  for (const v of prediction.panoptic) present.add(Math.floor(v / divisor));
  present.delete(IGNORE_ID);
  const shown = new Map<number, number>();
  for (const inst of shownInstances(prediction, options)) shown.set(inst.classId, (shown.get(inst.classId) ?? 0) + 1);
  return [...present].sort((a, b) => a - b).map((c) => ({
    colour: TRAIN_COLORS[c],
    label: `${names[c] ?? c}${IS_THING_TRAIN_ID[c] && shown.has(c) ? ` (${shown.get(c)} shown)` : ""}`,
  }));
}

/** One segment of a panoptic map: a stuff region or an instance. */
export interface Segment {
  panopticId: number;
  classId: number;
  /** Its class name, e.g. "car". */
  label: string;
  /** Pixels it covers. */
  area: number;
  /** The instance's score; null for stuff. */
  score: number | null;
}

/** Every segment of the map but void, largest first (ties by panoptic id). */
export function panopticSegments(prediction: PanopticPrediction, options: PanopticDrawOptions = {}): Segment[] {
  const names = options.classNames ?? TRAIN_CLASS_NAMES, divisor = options.divisor ?? LABEL_DIVISOR;
  const areas = new Map<number, number>();
  for (const v of prediction.panoptic) areas.set(v, (areas.get(v) ?? 0) + 1);
  const scores = new Map(prediction.instances.map((inst) => [inst.panopticId, inst.score]));
  return [...areas].filter(([id]) => Math.floor(id / divisor) !== IGNORE_ID).map(([panopticId, area]) => {
    const classId = Math.floor(panopticId / divisor);
    return {
      panopticId,
      classId,
      label: names[classId] ?? String(classId),
      area,
      score: scores.get(panopticId) ?? null,
    };
  }).sort((a, b) => b.area - a.area || a.panopticId - b.panopticId);
}

/**
 * Label boxes ("class score") of the shown instances, placed by score (highest first) at their centres or nearby
 * without overlaps; labels with no free spot are left out. `measure` gives a text's width at `fontSize` px.
 */
export function instanceLabelBoxes(
  prediction: PanopticPrediction,
  measure: (text: string) => number,
  fontSize: number,
  options: PanopticDrawOptions = {},
): { text: string; rect: Rect }[] {
  const names = options.classNames ?? TRAIN_CLASS_NAMES;
  const labels = shownInstances(prediction, options).sort((a, b) => b.score - a.score).map((inst) => {
    const text = `${names[inst.classId] ?? inst.classId} ${inst.score.toFixed(2)}`;
    return { text, anchor: inst.center, width: measure(text) + 4, height: fontSize + 4 };
  });
  const rects = placeLabels(labels, prediction);
  return labels.flatMap(({ text }, k) => (rects[k] ? [{ text, rect: rects[k] }] : []));
}

/** The labels and legend of a panoptic figure, laid out: the figure's size, and drawing them. */
export interface PanopticAnnotations {
  width: number;
  /** The figure's height: the frame's and the legend strip's below it. */
  height: number;
  /** Draws the instance labels over the overlay (already drawn at (0, 0)) and the legend below it. */
  draw: (ctx: Context2D) => void;
}

/**
 * The instance labels and legend strip of the panoptic figure, measured on `measure`. Text sizes are shares of the
 * image width, so labels stay legible when the figure is scaled down into a grid.
 */
export function panopticAnnotations(
  prediction: PanopticPrediction,
  measure: Context2D,
  options: PanopticDrawOptions = {},
): PanopticAnnotations {
  const { width, height } = prediction;
  const fontSize = Math.max(12, Math.round(width / 45));
  const font = `${fontSize}px DejaVu Sans, sans-serif`;
  const legend = legendStrip(panopticLegend(prediction, options), width, Math.round(fontSize * 0.75), measure);
  measure.font = font;
  const labels = instanceLabelBoxes(prediction, (t) => measure.measureText(t).width, fontSize, options);
  return {
    width,
    height: height + legend.height,
    draw: (ctx) => {
      ctx.font = font;
      ctx.textBaseline = "top";
      for (const { text, rect } of labels) {
        ctx.fillStyle = "rgba(0,0,0,0.6)";
        ctx.fillRect(rect.x, rect.y, rect.width, rect.height);
        ctx.fillStyle = "white";
        ctx.fillText(text, rect.x + 2, rect.y + 2);
      }
      legend.draw(ctx, height);
    },
  };
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
