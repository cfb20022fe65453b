// The one per-frame evaluation loop (read → network → post-processing → score), and the evaluation of a model on a
// dataset source built on it (a KITTI split, Cityscapes, a panoptic JSON): inference at a chosen scale,
// Panoptic-DeepLab post-processing, the semantic / panoptic / instance scores (lib/metrics/evaluate.ts), plus ika's
// class schemes on KITTI. Training's validation, `deno task eval`, ika's evaluations and the notebooks use it.
import type * as tfl from "@tensorflow/tfjs-layers";
import { NUM_TRAIN_CLASSES } from "../data/labels/cityscapes_labels.ts";
import { readKittiLabelIds } from "../data/datasets/kitti.ts";
import type { Sample } from "../data/datasets/sample.ts";
import { type DatasetSource, openSource } from "../data/datasets/sources.ts";
import { addFrame, createEvaluation, type EvaluationResult, evaluationResult } from "../metrics/evaluate.ts";
import { accumulateSemantic, createSemanticStats, type SemanticResult, semanticResult } from "../metrics/semantic.ts";
import { type Heads, panopticFromModelHeads, predictHeads } from "../model/inference.ts";
import type { PanopticPrediction } from "../postprocess/panoptic.ts";
import { accumulateSchemes, acdc30Prediction, createSchemeStats, type SchemeName, schemeResults } from "./schemes.ts";

/** What the loop needs of a frame: its RGB image (H*W*3); readers return more (labels) for the scorer. */
export interface LoopFrame {
  image: Uint8Array;
  height: number;
  width: number;
}

export interface PredictionLoopOptions {
  /** Frames are resized by this factor before the network (default 1). */
  scale?: number;
  /** Called after each frame (for progress output). */
  onFrame?: (done: number, total: number) => void;
}

/**
 * Reads each item, runs the network on its image, post-processes the heads and hands frame and prediction to
 * `score`, in order. Returns each frame's seconds (reading, inference, post-processing, scoring).
 */
export async function forEachPrediction<T, F extends LoopFrame>(
  model: tfl.LayersModel,
  items: readonly T[],
  read: (item: T) => Promise<F>,
  score: (frame: F, prediction: PanopticPrediction, item: T, heads: Heads) => void | Promise<void>,
  options: PredictionLoopOptions = {},
): Promise<number[]> {
  const seconds: number[] = [];
  for (const [i, item] of items.entries()) {
    const start = performance.now();
    const frame = await read(item);
    const heads = await predictHeads(model, frame.image, frame.height, frame.width, { scale: options.scale });
    await score(frame, panopticFromModelHeads(heads), item, heads);
    seconds.push((performance.now() - start) / 1000);
    options.onFrame?.(i + 1, items.length);
  }
  return seconds;
}

export interface ValidationOptions {
  /** Where the frames come from; PQ and AP need instance labels (for KITTI: instance/ or `options.instanceDir`). */
  source: DatasetSource;
  /** First N frames of the source (0 = all). */
  frames: number;
  /** Frames are resized by this factor before the network. */
  scale: number;
  /** Called after each frame (for progress output). */
  onFrame?: (done: number, total: number) => void;
  /** Called with each frame and its prediction (e.g. to keep a few for figures). */
  onPrediction?: (sample: Sample, prediction: PanopticPrediction) => void;
}

export interface ModelEvaluation {
  result: EvaluationResult;
  /** ika's schemes, scored against KITTI's labelIds (null for other sources). */
  schemes: Record<SchemeName, SemanticResult> | null;
  summary: ValidationSummary;
  /** Semantic confusion counts, ground truth × prediction (trainIds, void as the last prediction column). */
  confusion: Float64Array;
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
  const stats = createSchemeStats();
  const frameScores: { miou: number; pixelAccuracy: number }[] = [];
  const seconds = await forEachPrediction(model, names, source.read, async (sample, prediction, name, heads) => {
    addFrame(ev, sample, prediction);
    if (kitti) {
      const labelIds = (await readKittiLabelIds(kitti.root, name)).data;
      accumulateSchemes(
        stats,
        labelIds,
        prediction.semantic,
        "trainIds",
        name,
        acdc30Prediction(heads, prediction.semantic),
      );
    }
    const own = createSemanticStats(NUM_TRAIN_CLASSES);
    accumulateSemantic(own, sample.semantic, prediction.semantic, name);
    const { miou, pixelAccuracy } = semanticResult(own);
    frameScores.push({ miou, pixelAccuracy });
    options.onPrediction?.(sample, prediction);
  }, options);
  const perFrame = names.map((name, i) => ({ name, ...frameScores[i], seconds: seconds[i] }));
  const result = evaluationResult(ev);
  const schemes = kitti ? schemeResults(stats) : null;
  const summary = summarize(result, schemes, (performance.now() - start) / 1000, source.instanceSource);
  return { result, schemes, summary, confusion: ev.semantic.confusion, perFrame };
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
