// Dataset descriptors (deeplab2's DatasetDescriptor): the class set a model's semantic head predicts — each class's
// name, colour, the Cityscapes labelIds it is made of and whether it has instances — with the ignore label and the
// panoptic label divisor. Two label sets: the 19 Cityscapes trainIds, and ika's ACDC-30 classes (every class ika's
// notebooks score, "none" included). The 19-class view of an ACDC-30 prediction is `channelsOf`; the classes two label
// sets share (to carry a trained head across) are `sharedClasses`.

import { ACDC30_CLASSES } from "./acdc_labels.ts";
import { CITYSCAPES_LABELS, IGNORE_ID, TRAIN_LABELS } from "./cityscapes_labels.ts";
import { lookupTable, type Rgb } from "./label_maps.ts";

export interface DescribedClass {
  /** 0..N-1: the semantic head's channel. */
  id: number;
  name: string;
  color: Rgb;
  /** The Cityscapes labelIds merged into this class. */
  labelIds: readonly number[];
  /** Has instances: the post-processing groups its pixels by centre and the instance metrics score it. */
  isThing: boolean;
}

export interface DatasetDescriptor {
  name: LabelSetName;
  classes: readonly DescribedClass[];
  /** Class map value of pixels that are not scored (labelIds of no class, padding). */
  ignoreLabel: number;
  /** Panoptic id = class * labelDivisor + instance. */
  labelDivisor: number;
  /** Cityscapes labelId → class id (256 entries; labelIds of no class → ignoreLabel). */
  fromLabelIds: Uint8Array;
  thingIds: readonly number[];
  /** 1 at the class ids that have instances (256 entries). */
  isThing: Uint8Array;
}

export type LabelSetName = "cityscapes19" | "acdc30";
export const LABEL_SET_NAMES: readonly LabelSetName[] = ["cityscapes19", "acdc30"];

/** Panoptic ids are class * LABEL_DIVISOR + instance (Cityscapes' instanceIds, deeplab2's, ours). */
export const LABEL_DIVISOR = 1000;
/** Class map value of pixels that are not scored (both label sets). */
export const IGNORE_LABEL = IGNORE_ID;

const labelIdsNamed = (names: readonly string[]) =>
  CITYSCAPES_LABELS.filter((l) => l.id >= 0 && names.includes(l.name)).map((l) => l.id);

function describe(name: LabelSetName, classes: DescribedClass[]): DatasetDescriptor {
  const thingIds = classes.filter((c) => c.isThing).map((c) => c.id);
  return {
    name,
    classes,
    ignoreLabel: IGNORE_LABEL,
    labelDivisor: LABEL_DIVISOR,
    fromLabelIds: lookupTable(classes.flatMap((c) => c.labelIds.map((l) => [l, c.id] as const)), IGNORE_ID),
    thingIds,
    isThing: lookupTable(thingIds.map((id) => [id, 1] as const), 0),
  };
}

/** The 19 Cityscapes trainIds (caravan, trailer, parking, guard rail, ... are ignored). */
const CITYSCAPES_19 = describe(
  "cityscapes19",
  TRAIN_LABELS.map((l) => ({
    id: l.trainId,
    name: l.name,
    color: l.color,
    labelIds: [l.id],
    isThing: l.hasInstances,
  })),
);

/**
 * ika's 30 ACDC classes, "none" (unlabeled, ego vehicle, rectification border, out of roi) a class as in the
 * notebooks. Things are the classes that are Cityscapes things with a trainId: caravan and trailer, ignored by
 * Cityscapes' instance and panoptic evaluation, are predicted as semantic classes only.
 */
const ACDC_30 = describe(
  "acdc30",
  ACDC30_CLASSES.map((c) => {
    const labelIds = labelIdsNamed(c.cityscapes);
    return {
      id: c.id,
      name: c.name,
      color: c.color,
      labelIds,
      isThing: CITYSCAPES_19.classes.some((t) => t.isThing && t.labelIds.some((l) => labelIds.includes(l))),
    };
  }),
);

export const LABEL_SETS: Readonly<Record<LabelSetName, DatasetDescriptor>> = {
  cityscapes19: CITYSCAPES_19,
  acdc30: ACDC_30,
};

/** The descriptor whose classes a semantic head of `channels` outputs predicts; throws when none has that many. */
export function labelSetOfChannels(channels: number): DatasetDescriptor {
  const found = LABEL_SET_NAMES.map((n) => LABEL_SETS[n]).find((d) => d.classes.length === channels);
  if (!found) {
    throw new Error(
      `a semantic head of ${channels} classes matches no label set (${
        LABEL_SET_NAMES.map((n) => `${n}: ${LABEL_SETS[n].classes.length}`).join(", ")
      })`,
    );
  }
  return found;
}

/**
 * For each class of `to`, the class of `from` made of the same labelIds: the channels to gather from a `from`
 * prediction to predict `to`'s classes (an argmax over them picks the likeliest class `to` knows). Throws when a
 * class of `to` has no such class in `from`.
 */
export function channelsOf(from: DatasetDescriptor, to: DatasetDescriptor): number[] {
  return to.classes.map((c) => {
    const source = from.classes.find((f) => c.labelIds.every((l) => f.labelIds.includes(l)));
    if (!source) throw new Error(`label set ${from.name} has no class holding ${to.name}'s "${c.name}"`);
    return source.id;
  });
}

/**
 * For each class of `to`, the class of `from` that shares labelIds with it (the same class, perhaps with a group
 * label more or less: ACDC-30's pole holds Cityscapes' polegroup), or -1 where `from` has none: the classes a
 * semantic head trained on `from` has learnt for `to`.
 */
export function sharedClasses(from: DatasetDescriptor, to: DatasetDescriptor): number[] {
  return to.classes.map((c) => from.classes.find((f) => f.labelIds.some((l) => c.labelIds.includes(l)))?.id ?? -1);
}
