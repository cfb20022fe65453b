// One accumulator for the three evaluations of post-processed predictions against Samples (trainId labels):
// semantic IoU/iIoU, panoptic quality (GT thing pixels without an instance are crowd) and instance AP.

import { IGNORE_ID, NUM_TRAIN_CLASSES, THING_TRAIN_IDS, TRAIN_CLASS_NAMES } from "../data/labels/cityscapes_labels.ts";
import type { Sample } from "../data/datasets/sample.ts";
import type { PanopticPrediction } from "../postprocess/panoptic.ts";
import {
  accumulateInstances,
  createInstanceStats,
  gtFromLabels,
  type InstanceResult,
  instanceResult,
  type InstanceStats,
} from "./instance.ts";
import {
  accumulatePanoptic,
  createPanopticStats,
  frameFromLabelMap,
  type PanopticResult,
  panopticResult,
  type PanopticStats,
} from "./panoptic.ts";
import {
  accumulateInstanceWeights,
  accumulateSemantic,
  cityscapesAvgInstanceSize,
  createSemanticStats,
  type SemanticResult,
  semanticResult,
  type SemanticStats,
} from "./semantic.ts";

export interface EvaluationOptions {
  numClasses?: number;
  thingClasses?: readonly number[];
  /** Class names, for the iIoU weights (Cityscapes average instance sizes by name). */
  classNames?: readonly string[];
  /** panoptic value = class * divisor + instance, as post-processing writes it. */
  divisor?: number;
}

export interface Evaluation {
  divisor: number;
  thingClasses: ReadonlySet<number>;
  semantic: SemanticStats;
  panoptic: PanopticStats;
  instance: InstanceStats;
  /** Frames added, and those with instance labels (the only ones scored for PQ and AP). */
  frames: number;
  instanceFrames: number;
}

export interface EvaluationResult {
  semantic: SemanticResult;
  /** null when no frame had instance labels. */
  panoptic: PanopticResult | null;
  instance: InstanceResult | null;
  frames: number;
  instanceFrames: number;
}

export function createEvaluation(options: EvaluationOptions = {}): Evaluation {
  const numClasses = options.numClasses ?? NUM_TRAIN_CLASSES;
  const things = options.thingClasses ?? THING_TRAIN_IDS;
  const names = options.classNames ?? TRAIN_CLASS_NAMES;
  const thingClasses = new Set(things);
  return {
    divisor: options.divisor ?? 1000,
    thingClasses,
    semantic: createSemanticStats(numClasses, {
      avgInstanceSize: cityscapesAvgInstanceSize(names.slice(0, numClasses)),
    }),
    panoptic: createPanopticStats(
      Array.from({ length: numClasses }, (_, id) => ({ id, isThing: thingClasses.has(id) })),
    ),
    instance: createInstanceStats(things),
    frames: 0,
    instanceFrames: 0,
  };
}

/** Adds one frame; the prediction must have the sample's size. */
export function addFrame(ev: Evaluation, sample: Sample, pred: PanopticPrediction): void {
  if (pred.width !== sample.width || pred.height !== sample.height) {
    throw new Error(
      `${sample.name}: prediction is ${pred.width}x${pred.height} but the frame is ${sample.width}x${sample.height}`,
    );
  }
  accumulateSemantic(ev.semantic, sample.semantic, pred.semantic, sample.name);
  ev.frames++;
  if (!sample.instances) return;
  accumulateInstanceWeights(ev.semantic, sample.semantic, sample.instances, pred.semantic, sample.name);
  const gtMap = new Int32Array(sample.semantic.length);
  for (let i = 0; i < gtMap.length; i++) gtMap[i] = sample.semantic[i] * ev.divisor + sample.instances[i];
  const gt = frameFromLabelMap(gtMap, { divisor: ev.divisor, voidClass: IGNORE_ID, crowdClasses: ev.thingClasses });
  const predFrame = frameFromLabelMap(pred.panoptic, { divisor: ev.divisor, voidClass: IGNORE_ID });
  accumulatePanoptic(ev.panoptic, gt, predFrame, sample.name);
  const instanceGt = gtFromLabels(sample.semantic, sample.instances, sample.crowd, [...ev.thingClasses]);
  accumulateInstances(ev.instance, instanceGt, pred.instances, sample.name);
  ev.instanceFrames++;
}

export function evaluationResult(ev: Evaluation): EvaluationResult {
  const scored = ev.instanceFrames > 0;
  return {
    semantic: semanticResult(ev.semantic),
    panoptic: scored ? panopticResult(ev.panoptic) : null,
    instance: scored ? instanceResult(ev.instance) : null,
    frames: ev.frames,
    instanceFrames: ev.instanceFrames,
  };
}
