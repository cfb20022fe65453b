// The pseudo-instance labeller: detector boxes on the frame's image + assignment of its semantic thing pixels; its
// KITTI form (Cityscapes-coloured semantic label → Cityscapes instanceIds map) and its PQ on a frame with true
// instances.
import type { GraphModel } from "@tensorflow/tfjs-converter";
import { join } from "node:path";
import { DEFAULT_DETECT_OPTIONS, detectFrame, type DetectOptions } from "./centernet.ts";
import {
  colorsToLabelIds,
  IS_THING_TRAIN_ID,
  labelIdsToTrainIds,
  TRAIN_CLASS_NAMES,
} from "../data/labels/cityscapes_labels.ts";
import { listPanopticFrames, readPanopticFrame } from "../data/datasets/coco_panoptic.ts";
import { assertSameSize, type Image16, type Image8, readRgb } from "../io/image_io.ts";
import {
  assignInstances,
  type AssignOptions,
  DEFAULT_ASSIGN_OPTIONS,
  type Detection,
  encodeInstanceIds,
  type InstanceAssignment,
} from "./assign.ts";
import { type FixtureQuality, pseudoInstancePQ } from "./quality.ts";

export interface PseudoLabelOptions {
  detect: DetectOptions;
  assign: AssignOptions;
}

export const DEFAULT_PSEUDO_LABEL_OPTIONS: PseudoLabelOptions = {
  detect: DEFAULT_DETECT_OPTIONS,
  assign: DEFAULT_ASSIGN_OPTIONS,
};

export interface PseudoLabel extends InstanceAssignment {
  detections: Detection[];
}

/** Detects things on `image` (RGB) and assigns the thing pixels of `semantic` (trainIds, same size) to them. */
export async function pseudoLabel(
  model: GraphModel,
  image: Image8,
  semantic: Uint8Array,
  options: PseudoLabelOptions = DEFAULT_PSEUDO_LABEL_OPTIONS,
): Promise<PseudoLabel> {
  const detections = await detectFrame(model, image.data, image.width, image.height, options.detect);
  return { detections, ...assignInstances(semantic, image.width, image.height, detections, options.assign) };
}

/** Pseudo-labels KITTI frame `name` (e.g. "000000_10") of `kittiDir` as a Cityscapes instanceIds map. */
export async function pseudoLabelKittiFrame(
  model: GraphModel,
  kittiDir: string,
  name: string,
  options: PseudoLabelOptions = DEFAULT_PSEUDO_LABEL_OPTIONS,
): Promise<{ instanceIds: Image16; label: PseudoLabel }> {
  const imagePath = join(kittiDir, "image_2", `${name}.png`);
  const labelPath = join(kittiDir, "semantic_rgb", `${name}.png`);
  const image = await readRgb(imagePath);
  const colours = await readRgb(labelPath);
  assertSameSize(colours, labelPath, image, imagePath);
  const labelIds = colorsToLabelIds(colours.data, labelPath);
  const label = await pseudoLabel(model, image, labelIdsToTrainIds(labelIds), options);
  return {
    instanceIds: { data: encodeInstanceIds(labelIds, label), width: image.width, height: image.height },
    label,
  };
}

/**
 * Runs the labeller on a COCO-panoptic frame with true instances (its image and true semantic map) and scores the
 * derived thing instances against the true ones with PQ.
 */
export async function evaluateOnPanopticFrame(
  model: GraphModel,
  jsonPath: string,
  imageRoot: string,
  frameLabel: string,
  options: PseudoLabelOptions = DEFAULT_PSEUDO_LABEL_OPTIONS,
): Promise<FixtureQuality> {
  const entries = listPanopticFrames(jsonPath, imageRoot);
  if (entries.length !== 1) throw new Error(`${jsonPath}: expected one frame, found ${entries.length}`);
  const [entry] = entries;
  const { sample } = await readPanopticFrame(entry.image, entry.png, entry.annotation, "trainId", jsonPath);
  if (!sample.instances) throw new Error(`${jsonPath}: frame ${entry.name} has no instances`);
  const image = { data: sample.image, width: sample.width, height: sample.height, channels: 3 as const };
  const label = await pseudoLabel(model, image, sample.semantic, options);
  const result = pseudoInstancePQ(
    sample.semantic,
    { instances: sample.instances, crowd: sample.crowd },
    label,
    jsonPath,
  );
  const perClass = [...result.perCategory].filter(([t, c]) => IS_THING_TRAIN_ID[t] && c.tp + c.fp + c.fn > 0)
    .map(([t, c]) => ({ name: TRAIN_CLASS_NAMES[t], pq: c.pq, sq: c.sq, rq: c.rq, tp: c.tp, fp: c.fp, fn: c.fn }));
  let thingPixels = 0, crowdPixels = 0;
  sample.semantic.forEach((t, p) => {
    thingPixels += IS_THING_TRAIN_ID[t];
    crowdPixels += label.crowd[p];
  });
  return {
    frame: frameLabel,
    trueInstances: sample.instances.reduce((m, v) => Math.max(m, v), 0),
    pseudoInstances: label.instanceTrainIds.length,
    thingPixels,
    crowdPixels,
    things: result.things,
    perClass,
  };
}
