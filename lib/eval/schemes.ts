// The other class schemes scored from the same predictions as the 19 Cityscapes classes: ika's ACDC 30 classes and
// ika's 12 classes, each with its statistics, its ground truth (from KITTI's labelIds) and its prediction mapping.
import { labelIdsToAcdc30, NUM_ACDC30_CLASSES, trainIdsToAcdc30 } from "../data/labels/acdc_labels.ts";
import { IKA12_NONE, labelIdsToIka12, NUM_IKA12_CLASSES, trainIdsToIka12 } from "../data/labels/ika_labels.ts";
import { createSemanticStats } from "../metrics/semantic.ts";

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
