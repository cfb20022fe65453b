// Runs the Panoptic-DeepLab model on one RGB frame of any size: optional rescale, padding to a multiple of 16,
// the three heads cropped and resized back to the frame (offsets rescaled), then Panoptic-DeepLab post-processing.
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { THING_TRAIN_IDS } from "../data/labels/cityscapes_labels.ts";
import { panopticFromHeads, type PanopticPrediction, type PostprocessOptions } from "../postprocess/panoptic.ts";
import { SIZE_MULTIPLE } from "./outputs.ts";

export interface Heads {
  height: number;
  width: number;
  numClasses: number;
  /** Softmax probabilities, H*W*C (channels last). */
  probabilities: Float32Array;
  /** Centre heatmap, H*W. */
  center: Float32Array;
  /** (dy, dx) per pixel in frame pixels, H*W*2. */
  offsets: Float32Array;
}

export interface InferenceOptions {
  /** The frame is resized by this factor before the network (heads are resized back). Default 1. */
  scale?: number;
}

/** Post-processing defaults for a frame of `height` x `width` (deeplab2's MobileNet settings). */
export function defaultPostprocess(height: number, width: number): PostprocessOptions {
  return {
    thingClasses: THING_TRAIN_IDS,
    centerThreshold: 0.1,
    nmsKernel: 7,
    keepK: 200,
    // deeplab2's 2048 px at 1024x2048, scaled to the frame's area.
    stuffAreaLimit: Math.round(2048 * (height * width) / (1024 * 2048)),
  };
}

/** The model's heads on one RGB frame (uint8, H*W*3), at the frame's resolution (read back asynchronously). */
export async function predictHeads(
  model: tfl.LayersModel,
  rgb: Uint8Array,
  height: number,
  width: number,
  options: InferenceOptions = {},
): Promise<Heads> {
  const scale = options.scale ?? 1;
  const h = Math.max(SIZE_MULTIPLE, Math.round(height * scale));
  const w = Math.max(SIZE_MULTIPLE, Math.round(width * scale));
  const padH = Math.ceil(h / SIZE_MULTIPLE) * SIZE_MULTIPLE;
  const padW = Math.ceil(w / SIZE_MULTIPLE) * SIZE_MULTIPLE;
  const [probabilities, center, offsets] = tf.tidy(() => {
    let x = tf.sub(tf.div(tf.tensor4d(Float32Array.from(rgb), [1, height, width, 3]), 127.5), 1) as tf.Tensor4D;
    if (h !== height || w !== width) x = tf.image.resizeBilinear(x, [h, w]);
    x = tf.pad(x, [[0, 0], [0, padH - h], [0, padW - w], [0, 0]]);
    const outputs = model.predict(x) as tf.Tensor4D[];
    const back = (t: tf.Tensor4D) => {
      const cropped = tf.slice(t, [0, 0, 0, 0], [1, h, w, -1]) as tf.Tensor4D;
      return h === height && w === width ? cropped : tf.image.resizeBilinear(cropped, [height, width]);
    };
    return [
      tf.softmax(back(outputs[0])),
      back(outputs[1]),
      tf.div(back(outputs[2]), scale),
    ];
  });
  try {
    return {
      height,
      width,
      numClasses: probabilities.shape[3]!,
      probabilities: await probabilities.data() as Float32Array,
      center: await center.data() as Float32Array,
      offsets: await offsets.data() as Float32Array,
    };
  } finally {
    tf.dispose([probabilities, center, offsets]);
  }
}

/** Heads → panoptic map and scored instances. */
export function panopticFromModelHeads(heads: Heads, options?: Partial<PostprocessOptions>): PanopticPrediction {
  return panopticFromHeads(
    { probabilities: heads.probabilities, numClasses: heads.numClasses },
    heads.center,
    heads.offsets,
    heads.height,
    heads.width,
    { ...defaultPostprocess(heads.height, heads.width), ...options },
  );
}

/** The heads' values at `count` evenly spaced pixels (every channel), to compare runs of the model across runtimes. */
export interface HeadSamples {
  pixels: number[];
  probabilities: number[];
  center: number[];
  offsets: number[];
}

export function sampleHeads(heads: Heads, count = 64): HeadSamples {
  const size = heads.height * heads.width, c = heads.numClasses;
  const pixels = Array.from(
    { length: Math.min(count, size) },
    (_, k) => Math.floor((k * size) / Math.min(count, size)),
  );
  return {
    pixels,
    probabilities: pixels.flatMap((p) => [...heads.probabilities.subarray(p * c, p * c + c)]),
    center: pixels.map((p) => heads.center[p]),
    offsets: pixels.flatMap((p) => [heads.offsets[2 * p], heads.offsets[2 * p + 1]]),
  };
}
