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
import { type Heads, type InferenceOptions, panopticFromModelHeads } from "../model/inference.ts";
import { asRunner, type HeadsRunner, type TimedHeads } from "../model/inference_pool.ts";
import type { PanopticPrediction } from "../postprocess/panoptic.ts";
import { accumulateSchemes, acdc30Prediction, createSchemeStats, type SchemeName, schemeResults } from "./schemes.ts";

/** What the loop needs of a frame: its RGB image (H*W*3); readers return more (labels) for the scorer. */
export interface LoopFrame {
  image: Uint8Array;
  height: number;
  width: number;
}

/** How the network runs on each frame (scale, flip), and progress. */
export interface PredictionLoopOptions extends InferenceOptions {
  /** Called after each frame (for progress output). */
  onFrame?: (done: number, total: number) => void;
}

/** A frame's network and post-processing times, in seconds. */
export interface FrameTimes {
  network: number;
  postprocess: number;
}

/**
 * Reads each item, runs the network on its image, post-processes the heads and hands frame and prediction to
 * `score`, in order. Frames overlap: the next frame is read while one goes through the network, the runner works on
 * as many frames at once as it takes, and a frame's scoring (its awaited part, e.g. writing files) goes on while the
 * next frame goes through the network; a frame is scored once the previous frame's scoring has finished, and a
 * failure ends the loop in that order. Returns, per frame, the seconds from the previous frame's scoring finishing
 * (or the start) to its own: what each frame adds to the loop's time.
 */
export async function forEachPrediction<T, F extends LoopFrame>(
  model: tfl.LayersModel | HeadsRunner,
  items: readonly T[],
  read: (item: T) => Promise<F>,
  score: (frame: F, prediction: PanopticPrediction, item: T, heads: Heads, times: FrameTimes) => void | Promise<void>,
  options: PredictionLoopOptions = {},
): Promise<number[]> {
  const runner = asRunner(model);
  // Only the inference options go to the runner (a worker's copy of them must not hold callbacks).
  const inference: InferenceOptions = { scale: options.scale, flip: options.flip };
  // Promises awaited later get a handler now, so that a failure waits for its turn instead of ending the process.
  const later = <P>(p: Promise<P>) => (p.catch(() => {}), p);
  const reads: Promise<F>[] = [];
  const readAhead = (k: number) => {
    if (k < items.length && !reads[k]) reads[k] = later(read(items[k]));
  };
  const networks: Promise<{ frame: F } & TimedHeads>[] = [];
  let dispatched = 0, taken = 0;
  /** Sends frames to the network until the runner has as many as it takes at once; reads the next one ahead. */
  const dispatch = () => {
    for (; dispatched < items.length && dispatched - taken < runner.parallel; dispatched++) {
      const k = dispatched;
      readAhead(k);
      networks[k] = later(reads[k].then(async (frame) => ({
        frame,
        ...await runner.heads(frame.image, frame.height, frame.width, inference),
      })));
      readAhead(k + 1);
    }
  };
  const seconds: number[] = [];
  let last = performance.now();
  let scoring: Promise<void> = Promise.resolve();
  for (const [i, item] of items.entries()) {
    dispatch();
    const { frame, heads, seconds: network } = await networks[i].catch(async (e) => {
      await scoring; // the frames before this one are scored first (their own failure comes first)
      throw e;
    });
    delete networks[i];
    delete reads[i];
    taken++;
    // A runner on this thread blocks it: its next frame waits until this one's scoring has started (below).
    if (!runner.onThisThread) dispatch();
    await scoring;
    const start = performance.now();
    const prediction = panopticFromModelHeads(heads);
    const times = { network, postprocess: (performance.now() - start) / 1000 };
    scoring = later(
      Promise.resolve(score(frame, prediction, item, heads, times)).then(() => {
        const now = performance.now();
        seconds.push((now - last) / 1000);
        last = now;
        options.onFrame?.(i + 1, items.length);
      }),
    );
  }
  await scoring;
  return seconds;
}

export interface ValidationOptions extends InferenceOptions {
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
  /** Every frame's own semantic scores and time (what it added to the loop's: see forEachPrediction), in split order. */
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

export async function evaluateModel(
  model: tfl.LayersModel | HeadsRunner,
  options: ValidationOptions,
): Promise<ModelEvaluation> {
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
