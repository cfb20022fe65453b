// Evaluates a model on an ika-layout folder (ika's validation data or its KITTI stand-in): inference, Panoptic-DeepLab
// post-processing, the 19-class prediction reduced to ika-12, and ika-12 IoU ("none" is void, as in training).
import type * as tfl from "@tensorflow/tfjs-layers";
import { type IkaFrame, listIkaFrames, readIkaFrame } from "../data/datasets/ika.ts";
import { IKA12_CLASSES, IKA12_NONE, trainIdsToIka12 } from "../data/labels/ika_labels.ts";
import { accumulateSemantic, semanticResult } from "../metrics/semantic.ts";
import { forEachPrediction } from "./loop.ts";
import type { HeadsRunner } from "../model/inference_pool.ts";
import { CLASS_SCHEMES } from "./schemes.ts";

export interface IkaEvalOptions {
  /** First N frames of the folder (0 or absent = all). */
  frames?: number;
  /** Frames are resized by this factor before the network (default 1). */
  scale?: number;
  /** Called after each frame with the frame and its prediction as ika-12 ids (e.g. to keep a few for overlays). */
  onFrame?: (frame: IkaFrame, predictedIka12: Uint8Array, done: number, total: number) => void;
}

export interface IkaFrameScore {
  name: string;
  /** mIoU of the frame alone (classes absent from its GT and prediction are left out). */
  miou: number;
  /** What the frame added to the loop's time (frames overlap: see forEachPrediction). */
  seconds: number;
}

export interface IkaEvaluation {
  /** The scored classes: ika-12 without "none" (void). */
  classNames: string[];
  /** Per class, in `classNames` order; NaN when a class is in neither GT nor prediction. */
  iou: number[];
  miou: number;
  pixelAccuracy: number;
  perFrame: IkaFrameScore[];
  secondsPerFrame: number;
}

/** Scores `model` on the frames of the ika-layout folder `dir`. */
export async function evaluateIka(
  model: tfl.LayersModel | HeadsRunner,
  dir: string,
  options: IkaEvalOptions = {},
): Promise<IkaEvaluation> {
  const all = listIkaFrames(dir);
  const paths = options.frames ? all.slice(0, options.frames) : all;
  if (paths.length === 0) throw new Error(`${dir}: no ika frames to evaluate`);
  const stats = CLASS_SCHEMES.ika12.stats();
  const scores: { name: string; miou: number }[] = [];
  const seconds = await forEachPrediction(model, paths, readIkaFrame, (frame, prediction, p) => {
    const predicted = trainIdsToIka12(prediction.semantic);
    accumulateSemantic(stats, frame.ika12, predicted, p.label);
    const own = CLASS_SCHEMES.ika12.stats();
    accumulateSemantic(own, frame.ika12, predicted, p.label);
    scores.push({ name: frame.name, miou: semanticResult(own).miou });
    options.onFrame?.(frame, predicted, scores.length, paths.length);
  }, { scale: options.scale });
  const perFrame = scores.map((score, i) => ({ ...score, seconds: seconds[i] }));
  const { iou, miou, pixelAccuracy } = semanticResult(stats);
  return {
    classNames: IKA12_CLASSES.filter((c) => c.id !== IKA12_NONE).map((c) => c.name),
    iou,
    miou,
    pixelAccuracy,
    perFrame,
    secondsPerFrame: perFrame.reduce((s, f) => s + f.seconds, 0) / perFrame.length,
  };
}
