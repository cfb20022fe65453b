// Runs the Panoptic-DeepLab model on one RGB frame of any size: optional rescale, padding to a multiple of 16,
// the three heads cropped and resized back to the frame (offsets rescaled), optionally averaged with the mirrored
// frame's, then Panoptic-DeepLab post-processing.
// A head over a larger label set (ACDC-30) is also read as the 19 Cityscapes classes: the argmax over the channels
// of the classes that have a trainId, so that post-processing and the Cityscapes metrics see a 19-class model.
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { channelsOf, type DatasetDescriptor, LABEL_SET_NAMES, LABEL_SETS } from "../data/labels/descriptor.ts";
import { panopticFromHeads, type PanopticPrediction, type PostprocessOptions } from "../postprocess/panoptic.ts";
import { paddedSize, SIZE_MULTIPLE } from "./outputs.ts";

export interface Heads {
  height: number;
  width: number;
  numClasses: number;
  /**
   * Softmax probabilities, H*W*C (channels last); for a head over a larger label set, its probabilities of the 19
   * Cityscapes classes (C = 19, not summing to 1).
   */
  probabilities: Float32Array;
  /** A head over a label set larger than the 19 trainIds: that set and its own argmax (H*W); else null. */
  full: { labels: DatasetDescriptor; classes: Uint8Array } | null;
  /** Centre heatmap, H*W. */
  center: Float32Array;
  /** (dy, dx) per pixel in frame pixels, H*W*2. */
  offsets: Float32Array;
}

export interface InferenceOptions {
  /** The frame is resized by this factor before the network (heads are resized back). Default 1. */
  scale?: number;
  /**
   * Also run the network on the mirrored frame and average the two (the Panoptic-DeepLab paper's flip test): semantic
   * probabilities and centre heatmaps, offsets with dx negated. Twice the network's work. Default false.
   */
  flip?: boolean;
}

/** Post-processing defaults for a frame of `height` x `width` (deeplab2's MobileNet settings). */
export function defaultPostprocess(height: number, width: number): PostprocessOptions {
  return {
    thingClasses: LABEL_SETS.cityscapes19.thingIds,
    centerThreshold: 0.1,
    nmsKernel: 7,
    keepK: 200,
    // deeplab2's 2048 px at 1024x2048, scaled to the frame's area.
    stuffAreaLimit: Math.round(2048 * (height * width) / (1024 * 2048)),
  };
}

/** The label set larger than the 19 trainIds that a semantic head of `channels` outputs predicts, if any. */
function fullLabelSet(channels: number): DatasetDescriptor | null {
  const cityscapes = LABEL_SETS.cityscapes19;
  return LABEL_SET_NAMES.map((n) => LABEL_SETS[n])
    .find((d) => d !== cityscapes && d.classes.length === channels) ?? null;
}

/**
 * `x`'s last-axis channels `channels`, in that order: a matrix product with a one-hot selection (exact), as tfjs-wasm's
 * gather along the last axis takes ten times as long (about 0.5 s for a KITTI frame's thirty classes on two cores).
 */
export function selectChannels(x: tf.Tensor4D, channels: readonly number[]): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, depth] = x.shape;
    const picks = tf.oneHot(tf.tensor1d(channels as number[], "int32"), depth);
    const selection = tf.transpose(tf.cast(picks, "float32")) as tf.Tensor2D;
    const selected = tf.matMul(tf.reshape(x, [-1, depth]) as tf.Tensor2D, selection);
    return tf.reshape(selected, [n, h, w, channels.length]) as tf.Tensor4D;
  });
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
  const flip = options.flip ?? false;
  const h = Math.max(SIZE_MULTIPLE, Math.round(height * scale));
  const w = Math.max(SIZE_MULTIPLE, Math.round(width * scale));
  const padH = paddedSize(h);
  const padW = paddedSize(w);
  const full = fullLabelSet(model.outputs[0].shape[3]!);
  const [probabilities, center, offsets, fullClasses] = tf.tidy(() => {
    let x = tf.sub(tf.div(tf.tensor4d(Float32Array.from(rgb), [1, height, width, 3]), 127.5), 1) as tf.Tensor4D;
    if (h !== height || w !== width) x = tf.image.resizeBilinear(x, [h, w]);
    if (flip) x = tf.concat([x, tf.reverse(x, 2)]); // mirrored before padding, so both pad at the bottom right
    x = tf.pad(x, [[0, 0], [0, padH - h], [0, padW - w], [0, 0]]);
    const outputs = model.predict(x) as tf.Tensor4D[];
    const back = (t: tf.Tensor4D) => {
      const cropped = tf.slice(t, [0, 0, 0, 0], [t.shape[0], h, w, -1]) as tf.Tensor4D;
      return h === height && w === width ? cropped : tf.image.resizeBilinear(cropped, [height, width]);
    };
    // The mirrored frame's heads, mirrored back (offsets' dx negated), averaged with the frame's own.
    const merge = (t: tf.Tensor4D, sign?: [number, number]) => {
      if (!flip) return t;
      const [own, mirrored] = tf.split(t, 2);
      const unmirrored = tf.reverse(sign ? tf.mul(mirrored, tf.tensor1d(sign)) : mirrored, 2);
      return tf.mul(tf.add(own, unmirrored), 0.5) as tf.Tensor4D;
    };
    const probabilities = merge(tf.softmax(back(outputs[0])));
    return [
      full ? selectChannels(probabilities, channelsOf(full, LABEL_SETS.cityscapes19)) : probabilities,
      merge(back(outputs[1])),
      tf.div(merge(back(outputs[2]), [1, -1]), scale),
      full ? tf.argMax(probabilities, 3) : null,
    ];
  });
  try {
    return {
      height,
      width,
      numClasses: probabilities.shape[3]!,
      probabilities: await probabilities.data() as Float32Array,
      full: full && fullClasses ? { labels: full, classes: Uint8Array.from(await fullClasses.data()) } : null,
      center: await center.data() as Float32Array,
      offsets: await offsets.data() as Float32Array,
    };
  } finally {
    tf.dispose([probabilities, center, offsets, fullClasses].filter((t) => t !== null));
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
