// The other class schemes scored from the same predictions as the 19 Cityscapes classes: ika's ACDC 30 classes and
// ika's 12 classes, each with its statistics, its ground truth (from KITTI's labelIds) and its prediction mapping.
import { labelIdsToAcdc30, NUM_ACDC30_CLASSES, trainIdsToAcdc30 } from "../data/labels/acdc_labels.ts";
import type { Heads } from "../model/inference.ts";
import { IKA12_NONE, labelIdsToIka12, NUM_IKA12_CLASSES, trainIdsToIka12 } from "../data/labels/ika_labels.ts";
import {
  accumulateSemantic,
  createSemanticStats,
  type SemanticResult,
  semanticResult,
  type SemanticStats,
} from "../metrics/semantic.ts";

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
const SCHEME_NAMES = Object.keys(CLASS_SCHEMES) as SchemeName[];

export type SchemeStats = Record<SchemeName, SemanticStats>;

export function createSchemeStats(): SchemeStats {
  return Object.fromEntries(SCHEME_NAMES.map((k) => [k, CLASS_SCHEMES[k].stats()])) as SchemeStats;
}

/** A model's ACDC-30 prediction: a full-label head's own argmax, else its 19-class prediction mapped to ACDC-30. */
export function acdc30Prediction(heads: Heads, trainIds: Uint8Array): Uint8Array {
  return heads.full?.labels.name === "acdc30" ? heads.full.classes : trainIdsToAcdc30(trainIds);
}

/**
 * Adds one frame to every scheme: the ground truth's labelIds against the prediction, given as labelIds (prediction
 * files) or as trainIds (the model's output; `acdc30`: a full-label head's own ACDC-30 prediction, used for that
 * scheme instead of the trainIds mapped).
 */
export function accumulateSchemes(
  stats: SchemeStats,
  gtLabelIds: Uint8Array,
  predicted: Uint8Array,
  predictedAs: "labelIds" | "trainIds",
  source: string,
  acdc30?: Uint8Array,
): void {
  for (const k of SCHEME_NAMES) {
    const scheme = CLASS_SCHEMES[k];
    const pred = k === "acdc30" && acdc30
      ? acdc30
      : predictedAs === "labelIds"
      ? scheme.gt(predicted)
      : scheme.pred(predicted);
    accumulateSemantic(stats[k], scheme.gt(gtLabelIds), pred, source);
  }
}

export function schemeResults(stats: SchemeStats): Record<SchemeName, SemanticResult> {
  return Object.fromEntries(SCHEME_NAMES.map((k) => [k, semanticResult(stats[k])])) as Record<
    SchemeName,
    SemanticResult
  >;
}
