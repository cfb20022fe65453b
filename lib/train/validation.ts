// Evaluates a model on the frames of a KITTI split: inference at a chosen scale, Panoptic-DeepLab post-processing,
// and the semantic / panoptic / instance scores (lib/metrics/evaluate.ts). Used by training and `deno task eval`.
import type * as tfl from "@tensorflow/tfjs-layers";
import { readKittiFrame, readKittiSplit } from "../data/kitti.ts";
import { addFrame, createEvaluation, type EvaluationResult, evaluationResult } from "../metrics/evaluate.ts";
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

/** The headline numbers of an evaluation, as training records them. */
export interface ValidationSummary {
  frames: number;
  miou: number;
  pixelAccuracy: number;
  pq: number | null;
  sq: number | null;
  rq: number | null;
  ap: number | null;
  ap50: number | null;
  seconds: number;
}

export async function evaluateModel(
  model: tfl.LayersModel,
  options: ValidationOptions,
): Promise<{ result: EvaluationResult; summary: ValidationSummary }> {
  const start = performance.now();
  const all = readKittiSplit(options.root, options.split);
  const names = options.frames > 0 ? all.slice(0, options.frames) : all;
  const ev = createEvaluation();
  for (const [i, name] of names.entries()) {
    const sample = await readKittiFrame(
      options.root,
      name,
      options.instanceDir ? { instanceDir: options.instanceDir } : {},
    );
    const heads = predictHeads(model, sample.image, sample.height, sample.width, { scale: options.scale });
    addFrame(ev, sample, panopticFromModelHeads(heads));
    options.onFrame?.(i + 1, names.length);
  }
  const result = evaluationResult(ev);
  return { result, summary: summarize(result, (performance.now() - start) / 1000) };
}

export function summarize(result: EvaluationResult, seconds: number): ValidationSummary {
  return {
    frames: result.frames,
    miou: result.semantic.miou,
    pixelAccuracy: result.semantic.pixelAccuracy,
    pq: result.panoptic?.all.pq ?? null,
    sq: result.panoptic?.all.sq ?? null,
    rq: result.panoptic?.all.rq ?? null,
    ap: result.instance?.ap ?? null,
    ap50: result.instance?.ap50 ?? null,
    seconds,
  };
}
