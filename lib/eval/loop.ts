// Evaluates a model on the frames of a dataset source (a KITTI split, Cityscapes, a panoptic JSON): inference at a
// chosen scale, Panoptic-DeepLab post-processing, and the semantic / panoptic / instance scores
// (lib/metrics/evaluate.ts), plus ika's class schemes on KITTI. Used by training and `deno task eval`.
import type * as tfl from "@tensorflow/tfjs-layers";
import { labelIdsToAcdc30, NUM_ACDC30_CLASSES, trainIdsToAcdc30 } from "../data/labels/acdc_labels.ts";
import { NUM_TRAIN_CLASSES } from "../data/labels/cityscapes_labels.ts";
import { IKA12_NONE, labelIdsToIka12, NUM_IKA12_CLASSES, trainIdsToIka12 } from "../data/labels/ika_labels.ts";
import { readKittiLabelIds } from "../data/datasets/kitti.ts";
import { type DatasetSource, openSource } from "../data/datasets/sources.ts";
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
  /** Where the frames come from; PQ and AP need instance labels (for KITTI: instance/ or `options.instanceDir`). */
  source: DatasetSource;
  /** First N frames of the source (0 = all). */
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
  /** ika's schemes, scored against KITTI's labelIds (null for other sources). */
  schemes: Record<SchemeName, SemanticResult> | null;
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
  /** Where the instance labels (PQ, AP, iIoU) came from, e.g. "kitti instance maps" or "pseudo labels (dir)". */
  instanceSource: string | null;
}

export async function evaluateModel(model: tfl.LayersModel, options: ValidationOptions): Promise<ModelEvaluation> {
  const start = performance.now();
  const source = await openSource(options.source);
  const kitti = options.source.kind === "kitti" ? options.source : null;
  const names = options.frames > 0 ? source.names.slice(0, options.frames) : source.names;
  const ev = createEvaluation();
  const stats = Object.fromEntries(
    Object.entries(CLASS_SCHEMES).map(([k, s]) => [k, s.stats()]),
  ) as Record<SchemeName, SemanticStats>;
  const perFrame: FrameScore[] = [];
  for (const [i, name] of names.entries()) {
    const frameStart = performance.now();
    const sample = await source.read(name);
    const heads = await predictHeads(model, sample.image, sample.height, sample.width, { scale: options.scale });
    const prediction = panopticFromModelHeads(heads);
    addFrame(ev, sample, prediction);
    if (kitti) {
      const labelIds = (await readKittiLabelIds(kitti.root, name)).data;
      for (const [k, scheme] of Object.entries(CLASS_SCHEMES) as [SchemeName, typeof CLASS_SCHEMES[SchemeName]][]) {
        accumulateSemantic(stats[k], scheme.gt(labelIds), scheme.pred(prediction.semantic), name);
      }
    }
    const own = createSemanticStats(NUM_TRAIN_CLASSES);
    accumulateSemantic(own, sample.semantic, prediction.semantic, name);
    const { miou, pixelAccuracy } = semanticResult(own);
    perFrame.push({ name, miou, pixelAccuracy, seconds: (performance.now() - frameStart) / 1000 });
    options.onFrame?.(i + 1, names.length);
  }
  const result = evaluationResult(ev);
  const schemes = kitti ? { acdc30: semanticResult(stats.acdc30), ika12: semanticResult(stats.ika12) } : null;
  const seconds = (performance.now() - start) / 1000;
  return { result, schemes, summary: summarize(result, schemes, seconds, source.instanceSource), perFrame };
}

export function summarize(
  result: EvaluationResult,
  schemes: Record<SchemeName, SemanticResult> | null,
  seconds: number,
  instanceSource: string | null,
): ValidationSummary {
  return {
    frames: result.frames,
    miou: result.semantic.miou,
    miouAcdc30: schemes?.acdc30.miou ?? NaN,
    miouIka12: schemes?.ika12.miou ?? NaN,
    pixelAccuracy: result.semantic.pixelAccuracy,
    pq: result.panoptic?.all.pq ?? null,
    sq: result.panoptic?.all.sq ?? null,
    rq: result.panoptic?.all.rq ?? null,
    ap: result.instance?.ap ?? null,
    ap50: result.instance?.ap50 ?? null,
    seconds,
    instanceSource,
  };
}
