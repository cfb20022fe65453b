// Semantic segmentation scores as cityscapesScripts evalPixelLevelSemanticLabeling computes them, for any class
// scheme: a confusion matrix accumulated over frames, per-class IoU and mIoU (nan rules), pixel accuracy, and
// instance-weighted iIoU from GT instance maps (not available, null, unless every frame had one).

import { IGNORE_LABEL } from "../data/labels/descriptor.ts";

/** Average instance size per class name (cityscapesScripts `avgClassSize`; caravan/trailer are ignored there). */
export const CITYSCAPES_AVG_CLASS_SIZE: Readonly<Record<string, number>> = {
  person: 3462.4756337644,
  rider: 3930.4788056518,
  car: 12794.0202738185,
  truck: 27855.1264367816,
  bus: 35732.1511111111,
  train: 67583.7075812274,
  motorcycle: 6298.7200839748,
  bicycle: 4672.3249222261,
};

/**
 * Counts accumulated over frames. `confusion` is numClasses rows (GT class) × numClasses+1 columns (predicted
 * class; the last column counts predictions of the ignore label, i.e. "predicted void"). GT pixels with the
 * ignore label are not counted, so predictions on void GT are free, as in cityscapesScripts.
 */
export interface SemanticStats {
  numClasses: number;
  ignoreLabel: number;
  confusion: Float64Array;
  /** Per class: average instance size for iIoU weights; NaN for classes without instances. */
  avgInstanceSize: Float64Array;
  tpWeighted: Float64Array;
  fnWeighted: Float64Array;
  /** Frames added by accumulateSemantic, and those of them whose instance map accumulateInstanceWeights added. */
  frames: number;
  instanceFrames: number;
}

export interface SemanticResult {
  /** Per class: tp/(tp+fp+fn), NaN when the class is absent from both GT and prediction. */
  iou: number[];
  /** Mean over the classes whose IoU is not NaN (a class with only false positives counts as 0). */
  miou: number;
  /**
   * Per class: instance-weighted IoU; NaN for classes without instances or with nothing to score. null = not
   * available: a frame had no instance map (cityscapesScripts refuses such ground truth for iIoU).
   */
  iiou: number[] | null;
  miiou: number | null;
  /** Correct pixels / GT pixels that are not ignored (a void prediction counts as wrong). */
  pixelAccuracy: number;
  /** GT pixels counted (not ignored). */
  pixels: number;
}

export interface SemanticOptions {
  /** GT value that is not evaluated, and predicted value meaning "void" (default 255). */
  ignoreLabel?: number;
  /** Per class average instance size (iIoU weights); NaN or missing = class has no instances. */
  avgInstanceSize?: ArrayLike<number>;
}

export function createSemanticStats(numClasses: number, options: SemanticOptions = {}): SemanticStats {
  const ignoreLabel = options.ignoreLabel ?? IGNORE_LABEL;
  if (ignoreLabel >= 0 && ignoreLabel < numClasses) {
    throw new Error(`semantic metrics: ignore label ${ignoreLabel} is one of the ${numClasses} classes`);
  }
  const avgInstanceSize = new Float64Array(numClasses).fill(NaN);
  if (options.avgInstanceSize) {
    if (options.avgInstanceSize.length !== numClasses) {
      throw new Error(
        `semantic metrics: ${options.avgInstanceSize.length} average instance sizes for ${numClasses} classes`,
      );
    }
    avgInstanceSize.set(Array.from(options.avgInstanceSize, (v) => v ?? NaN));
  }
  return {
    numClasses,
    ignoreLabel,
    confusion: new Float64Array(numClasses * (numClasses + 1)),
    avgInstanceSize,
    tpWeighted: new Float64Array(numClasses),
    fnWeighted: new Float64Array(numClasses),
    frames: 0,
    instanceFrames: 0,
  };
}

/** Cityscapes average instance sizes indexed by class, for a list of class names (e.g. the 19 trainId names). */
export function cityscapesAvgInstanceSize(classNames: readonly string[]): Float64Array {
  return Float64Array.from(classNames, (name) => CITYSCAPES_AVG_CLASS_SIZE[name] ?? NaN);
}

function checkSizes(n: number, m: number, what: string, source: string): void {
  if (n !== m) throw new Error(`${source}: ${what} has ${m} pixels but the ground truth has ${n}`);
}

/**
 * Adds one frame (GT and prediction class maps of the same size) to the confusion matrix. A GT value that is
 * neither a class nor the ignore label, or a predicted value that is neither, throws naming `source`.
 */
export function accumulateSemantic(
  stats: SemanticStats,
  gt: ArrayLike<number>,
  pred: ArrayLike<number>,
  source = "frame",
): void {
  checkSizes(gt.length, pred.length, "prediction", source);
  const { numClasses: c, ignoreLabel, confusion } = stats;
  const cols = c + 1;
  for (let i = 0; i < gt.length; i++) {
    const g = gt[i];
    if (g === ignoreLabel) continue;
    const p = pred[i];
    if (!(g >= 0 && g < c)) {
      throw new Error(`${source}: ground-truth value ${g} at pixel ${i} is not a class 0..${c - 1}`);
    }
    if (p >= 0 && p < c) confusion[g * cols + p]++;
    else if (p === ignoreLabel) confusion[g * cols + c]++;
    else throw new Error(`${source}: predicted value ${p} at pixel ${i} is not a class 0..${c - 1} or ${ignoreLabel}`);
  }
  stats.frames++;
}

/**
 * Adds one frame's instance-weighted counts for iIoU. `instances` holds GT instance ids (0 = none, e.g. stuff or
 * crowd groups); each instance's class is its GT class, weight = avgInstanceSize[class] / instance size;
 * tp = its pixels predicted as that class, fn = the rest. Instances of classes without a size are skipped.
 * iIoU is available only when this is called for every frame that accumulateSemantic adds.
 */
export function accumulateInstanceWeights(
  stats: SemanticStats,
  gt: ArrayLike<number>,
  instances: ArrayLike<number>,
  pred: ArrayLike<number>,
  source = "frame",
): void {
  checkSizes(gt.length, pred.length, "prediction", source);
  checkSizes(gt.length, instances.length, "instance map", source);
  let maxId = 0;
  for (let i = 0; i < instances.length; i++) if (instances[i] > maxId) maxId = instances[i];
  const size = new Float64Array(maxId + 1);
  const hits = new Float64Array(maxId + 1);
  const cls = new Int32Array(maxId + 1).fill(-1);
  for (let i = 0; i < instances.length; i++) {
    const k = instances[i];
    if (k <= 0) continue;
    const g = gt[i];
    if (g === stats.ignoreLabel) continue;
    if (cls[k] === -1) cls[k] = g;
    else if (cls[k] !== g) throw new Error(`${source}: instance ${k} covers classes ${cls[k]} and ${g}`);
    size[k]++;
    if (pred[i] === g) hits[k]++;
  }
  for (let k = 1; k <= maxId; k++) {
    if (size[k] === 0) continue;
    const avg = stats.avgInstanceSize[cls[k]];
    if (Number.isNaN(avg)) continue;
    const weight = avg / size[k];
    stats.tpWeighted[cls[k]] += hits[k] * weight;
    stats.fnWeighted[cls[k]] += (size[k] - hits[k]) * weight;
  }
  stats.instanceFrames++;
}

function nanMean(values: readonly number[]): number {
  let sum = 0, n = 0;
  for (const v of values) {
    if (!Number.isNaN(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? NaN : sum / n;
}

export function semanticResult(stats: SemanticStats): SemanticResult {
  const { numClasses: c, confusion } = stats;
  const cols = c + 1;
  const iou: number[] = [];
  const iiou: number[] = [];
  const weighted = stats.frames > 0 && stats.instanceFrames === stats.frames;
  let correct = 0, pixels = 0;
  for (let l = 0; l < c; l++) {
    const tp = confusion[l * cols + l];
    let row = 0, column = 0;
    for (let k = 0; k < cols; k++) row += confusion[l * cols + k];
    for (let r = 0; r < c; r++) column += confusion[r * cols + l];
    const fn = row - tp;
    const fp = column - tp;
    iou.push(tp + fp + fn === 0 ? NaN : tp / (tp + fp + fn));
    const tpW = stats.tpWeighted[l], fnW = stats.fnWeighted[l];
    const denomW = tpW + fp + fnW;
    iiou.push(Number.isNaN(stats.avgInstanceSize[l]) || denomW === 0 ? NaN : tpW / denomW);
    correct += tp;
    pixels += row;
  }
  return {
    iou,
    miou: nanMean(iou),
    iiou: weighted ? iiou : null,
    miiou: weighted ? nanMean(iiou) : null,
    pixelAccuracy: correct / pixels,
    pixels,
  };
}
