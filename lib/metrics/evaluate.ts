// One accumulator for the three evaluations of post-processed predictions against Samples in one label set (the
// 19 trainIds by default): semantic IoU/iIoU, panoptic quality (GT thing pixels without an instance are crowd) and
// instance AP.

import { type DatasetDescriptor, LABEL_SETS } from "../data/labels/descriptor.ts";
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

/** What an evaluation needs of a label set: its classes (names give the iIoU weights), ignore label, divisor. */
export type EvaluatedLabels = Pick<DatasetDescriptor, "classes" | "ignoreLabel" | "labelDivisor">;

export interface Evaluation {
  /** panoptic value = class * divisor + instance, as post-processing writes it. */
  divisor: number;
  ignoreLabel: number;
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

export function createEvaluation(labels: EvaluatedLabels = LABEL_SETS.cityscapes19): Evaluation {
  const things = labels.classes.filter((c) => c.isThing).map((c) => c.id);
  return {
    divisor: labels.labelDivisor,
    ignoreLabel: labels.ignoreLabel,
    thingClasses: new Set(things),
    semantic: createSemanticStats(labels.classes.length, {
      ignoreLabel: labels.ignoreLabel,
      avgInstanceSize: cityscapesAvgInstanceSize(labels.classes.map((c) => c.name)),
    }),
    panoptic: createPanopticStats(labels.classes.map((c) => ({ id: c.id, isThing: c.isThing }))),
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
  const gt = frameFromLabelMap(gtMap, {
    divisor: ev.divisor,
    voidClass: ev.ignoreLabel,
    crowdClasses: ev.thingClasses,
  });
  const predFrame = frameFromLabelMap(pred.panoptic, { divisor: ev.divisor, voidClass: ev.ignoreLabel });
  accumulatePanoptic(ev.panoptic, gt, predFrame, sample.name);
  const instanceGt = gtFromLabels(
    sample.semantic,
    sample.instances,
    sample.crowd,
    [...ev.thingClasses],
    ev.ignoreLabel,
  );
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
