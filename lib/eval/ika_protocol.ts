// ika's own scoring of its U-Net exercise (acdc-notebooks, semantic image segmentation), applied to our model on
// a KITTI split: every frame resized to 368x1248 as the notebook's `parse_sample` does (image tf.image.resize
// bilinear then cast to uint8, label colours nearest), the label colours decoded with the notebook's table ("None"
// is a class, tunnel pixels become road), the prediction in ACDC-30 (a full-label head's own, a 19-class one mapped), and one confusion matrix over all
// pixels of all frames scored like Keras MeanIoU(30): mean IoU over the classes with TP+FP+FN > 0.
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { join } from "node:path";
import { ACDC30_CLASSES, notebookColorsToAcdc30 } from "../data/labels/acdc_labels.ts";
import { assertSameSize, type Image8, readRgb, resizeNearest } from "../io/image_io.ts";
import { kittiLabelFile, readKittiLabelColors } from "../data/datasets/kitti.ts";
import { accumulateSemantic, type SemanticResult, semanticResult, type SemanticStats } from "../metrics/semantic.ts";
import { forEachPrediction, type PredictionLoopOptions } from "./loop.ts";
import type { HeadsRunner } from "../model/inference_pool.ts";
import { acdc30Prediction, CLASS_SCHEMES } from "./schemes.ts";

/** The notebook's frame size, [height, width]. */
export const IKA_PROTOCOL_RESOLUTION = [368, 1248] as const;

/** ika's protocol in an evaluation record: ACDC-30 scores with the classes averaged and the frame size used. */
export interface IkaProtocolSection {
  miou: number;
  /** Classes in the mean: those with TP+FP+FN > 0 (a class predicted but absent from the labels scores 0). */
  classes: number;
  pixelAccuracy: number;
  /** [height, width] every frame and label was resized to. */
  resolution: readonly [number, number];
  /** Per ACDC-30 class; NaN (null in the JSON) when the class is in neither labels nor prediction. */
  perClass: { id: number; name: string; iou: number }[];
}

/** The notebook's image resize: tf.image.resize bilinear (half-pixel centres, no antialiasing), cast to uint8. */
async function resizeImageLikeNotebook(image: Image8, height: number, width: number): Promise<Uint8Array> {
  const resized = tf.tidy(() =>
    tf.cast(
      tf.floor(
        tf.image.resizeBilinear(
          tf.tensor3d(Float32Array.from(image.data), [image.height, image.width, 3]),
          [height, width],
          false,
          true,
        ),
      ),
      "int32",
    )
  );
  try {
    return Uint8Array.from(await resized.data());
  } finally {
    resized.dispose();
  }
}

/** The 30-class confusion matrix the protocol accumulates (no ignore label: every pixel counts). */
export function createIkaProtocolStats(): SemanticStats {
  return CLASS_SCHEMES.acdc30.stats();
}

/**
 * Adds one frame at the protocol's size: its label colours (H*W*3) decoded as the notebook does, against the
 * prediction (ACDC-30 ids, H*W).
 */
export function accumulateIkaProtocol(
  stats: SemanticStats,
  labelColors: Uint8Array,
  predictedAcdc30: Uint8Array,
  source: string,
): void {
  accumulateSemantic(stats, notebookColorsToAcdc30(labelColors), predictedAcdc30, source);
}

/** One frame of the KITTI folder `root` at the protocol's size: its image and its label colours (H*W*3). */
async function readProtocolFrame(root: string, name: string) {
  const [height, width] = IKA_PROTOCOL_RESOLUTION;
  const imagePath = join(root, "image_2", `${name}.png`);
  const image = await readRgb(imagePath);
  const colors = await readKittiLabelColors(root, name);
  assertSameSize(image, imagePath, colors, kittiLabelFile(root, name).path);
  return {
    image: await resizeImageLikeNotebook(image, height, width),
    height,
    width,
    labelColors: resizeNearest(colors.data, colors, 3, width, height),
  };
}

/**
 * Scores `model` on the frames `names` of the KITTI folder `root` with ika's protocol (`flip`: mirrored-frame
 * averaging, InferenceOptions.flip).
 */
export async function evaluateIkaProtocol(
  model: tfl.LayersModel | HeadsRunner,
  root: string,
  names: readonly string[],
  options: Pick<PredictionLoopOptions, "flip" | "onFrame"> = {},
): Promise<SemanticResult> {
  const stats = createIkaProtocolStats();
  await forEachPrediction(
    model,
    names,
    (name) => readProtocolFrame(root, name),
    (frame, prediction, name, heads) =>
      accumulateIkaProtocol(stats, frame.labelColors, acdc30Prediction(heads, prediction.semantic), name),
    options,
  );
  return semanticResult(stats);
}

/** The record section of an evaluateIkaProtocol result. */
export function ikaProtocolSection(r: SemanticResult): IkaProtocolSection {
  return {
    miou: r.miou,
    classes: r.iou.filter((v) => !Number.isNaN(v)).length,
    pixelAccuracy: r.pixelAccuracy,
    resolution: IKA_PROTOCOL_RESOLUTION,
    perClass: r.iou.map((iou, id) => ({ id, name: ACDC30_CLASSES[id].name, iou })),
  };
}
