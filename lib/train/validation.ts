// Evaluates a model on the frames of a KITTI split: inference at a chosen scale, Panoptic-DeepLab post-processing,
// and the semantic / panoptic / instance scores (lib/metrics/evaluate.ts). Used by training and `deno task eval`.
import type * as tfl from "@tensorflow/tfjs-layers";
import { labelIdsToAcdc30, NUM_ACDC30_CLASSES, trainIdsToAcdc30 } from "../data/acdc_labels.ts";
import { NUM_TRAIN_CLASSES } from "../data/cityscapes_labels.ts";
import { IKA12_NONE, labelIdsToIka12, NUM_IKA12_CLASSES, trainIdsToIka12 } from "../data/ika_labels.ts";
import { readKittiFrame, readKittiLabelIds, readKittiSplit } from "../data/kitti.ts";
import { addFrame, createEvaluation, type EvaluationResult, evaluationResult } from "../metrics/evaluate.ts";
import {
  accumulateSemantic,
  createSemanticStats,
  type SemanticResult,
  semanticResult,
  type SemanticStats,
} from "../metrics/semantic.ts";
import { panopticFromModelHeads, predictHeads } from "../model/inference.ts";

export interface ValidationOptions {
  root: string;
  split: string;
  /** Cityscapes-format instanceIds folder; without it only semantic scores are computed. */
  instanceDir: string | null;
  /** First N frames of the split (0 = all). */
  frames: number;
  /** Frames are resized by this factor before the network. */
  scale: number;
  /** Called after each frame (for progress output). */
  onFrame?: (done: number, total: number) => void;
}

/**
 * The other class schemes scored from the same predictions: ika's ACDC 30 classes ("none" is a class, as in the
 * course's Keras mean IoU) and ika's 12 classes ("none" is void). GT: the KITTI labels' labelIds, mapped.
 */
export const CLASS_SCHEMES = {
  acdc30: {
    stats: () => createSemanticStats(NUM_ACDC30_CLASSES),
    gt: labelIdsToAcdc30,
    pred: trainIdsToAcdc30,
  },
  ika12: {
    stats: () => createSemanticStats(NUM_IKA12_CLASSES - 1, { ignoreLabel: IKA12_NONE }),
    gt: labelIdsToIka12,
    pred: trainIdsToIka12,
  },
} as const;
export type SchemeName = keyof typeof CLASS_SCHEMES;

export interface ModelEvaluation {
  result: EvaluationResult;
  schemes: Record<SchemeName, SemanticResult>;
  summary: ValidationSummary;
  /** Every frame's own semantic scores and time (reading, inference, post-processing, scoring), in split order. */
  perFrame: FrameScore[];
}

export interface FrameScore {
  name: string;
  /** mIoU of the frame alone (19 classes; those absent from its GT and prediction are left out). */
  miou: number;
  pixelAccuracy: number;
  seconds: number;
}

/** The headline numbers of an evaluation, as training records them. */
export interface ValidationSummary {
  frames: number;
  miou: number;
  miouAcdc30: number;
  miouIka12: number;
  pixelAccuracy: number;
  pq: number | null;
  sq: number | null;
  rq: number | null;
  ap: number | null;
  ap50: number | null;
  seconds: number;
}

export async function evaluateModel(model: tfl.LayersModel, options: ValidationOptions): Promise<ModelEvaluation> {
  const start = performance.now();
  const all = readKittiSplit(options.root, options.split);
  const names = options.frames > 0 ? all.slice(0, options.frames) : all;
  const ev = createEvaluation();
  const stats = Object.fromEntries(
    Object.entries(CLASS_SCHEMES).map(([k, s]) => [k, s.stats()]),
  ) as Record<SchemeName, SemanticStats>;
  const perFrame: FrameScore[] = [];
  for (const [i, name] of names.entries()) {
    const frameStart = performance.now();
    const readOptions = options.instanceDir ? { instanceDir: options.instanceDir } : {};
    const sample = await readKittiFrame(options.root, name, readOptions);
    const heads = predictHeads(model, sample.image, sample.height, sample.width, { scale: options.scale });
    const prediction = panopticFromModelHeads(heads);
    addFrame(ev, sample, prediction);
    const labelIds = (await readKittiLabelIds(options.root, name)).data;
    for (const [k, scheme] of Object.entries(CLASS_SCHEMES) as [SchemeName, typeof CLASS_SCHEMES[SchemeName]][]) {
      accumulateSemantic(stats[k], scheme.gt(labelIds), scheme.pred(prediction.semantic), name);
    }
    const own = createSemanticStats(NUM_TRAIN_CLASSES);
    accumulateSemantic(own, sample.semantic, prediction.semantic, name);
    const { miou, pixelAccuracy } = semanticResult(own);
    perFrame.push({ name, miou, pixelAccuracy, seconds: (performance.now() - frameStart) / 1000 });
    options.onFrame?.(i + 1, names.length);
  }
  const result = evaluationResult(ev);
  const schemes = { acdc30: semanticResult(stats.acdc30), ika12: semanticResult(stats.ika12) };
  return { result, schemes, summary: summarize(result, schemes, (performance.now() - start) / 1000), perFrame };
}

export function summarize(
  result: EvaluationResult,
  schemes: Record<SchemeName, SemanticResult>,
  seconds: number,
): ValidationSummary {
  return {
    frames: result.frames,
    miou: result.semantic.miou,
    miouAcdc30: schemes.acdc30.miou,
    miouIka12: schemes.ika12.miou,
    pixelAccuracy: result.semantic.pixelAccuracy,
    pq: result.panoptic?.all.pq ?? null,
    sq: result.panoptic?.all.sq ?? null,
    rq: result.panoptic?.all.rq ?? null,
    ap: result.instance?.ap ?? null,
    ap50: result.instance?.ap50 ?? null,
    seconds,
  };
}
