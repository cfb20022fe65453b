// Turns a Sample into model-ready arrays (augmented crop, image normalised to [-1, 1] for MobileNetV2, Panoptic-
// DeepLab targets) and stacks prepared samples into NHWC batches of plain typed arrays.

import type { Sample } from "../datasets/sample.ts";
import { type AugmentOptions, augmentSample } from "./augment.ts";
import { buildTargets, type PanopticTargets, type TargetOptions } from "./targets.ts";

/** How a frame becomes a training/validation example. `augment: null` keeps the frame as read (validation). */
export interface PrepareConfig {
  augment: AugmentOptions | null;
  targets?: TargetOptions;
}

/** One prepared example: NHWC image without the N, plus its targets (see PanopticTargets). */
export interface PreparedSample extends Omit<PanopticTargets, "height" | "width"> {
  name: string;
  height: number;
  width: number;
  /** Size of the target grid (image size divided by the targets' output stride, rounded up). */
  targetHeight: number;
  targetWidth: number;
  /** H*W*3, values in [-1, 1]. */
  image: Float32Array;
}

/** A batch: every array is the per-sample array concatenated along a leading batch axis. */
export interface Batch extends Omit<PreparedSample, "name"> {
  names: string[];
  size: number;
}

/** Maps RGB bytes to [-1, 1] as MobileNetV2 expects (x / 127.5 − 1). */
export function normaliseImage(rgb: Uint8Array): Float32Array {
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = rgb[i] / 127.5 - 1;
  return out;
}

/** Augments (with `seed`) and builds targets for one sample. */
export function prepareSample(sample: Sample, config: PrepareConfig, seed: number): PreparedSample {
  const s = config.augment ? augmentSample(sample, config.augment, seed) : sample;
  const { height: targetHeight, width: targetWidth, ...targets } = buildTargets(s, config.targets);
  return {
    name: s.name,
    height: s.height,
    width: s.width,
    targetHeight,
    targetWidth,
    image: normaliseImage(s.image),
    ...targets,
  };
}

const ARRAY_KEYS = [
  "image",
  "semantic",
  "semanticWeights",
  "center",
  "centerWeights",
  "offsets",
  "offsetWeights",
] as const;

/** The buffers of a prepared sample, to transfer (not copy) it between workers. */
export function transferList(p: PreparedSample): ArrayBuffer[] {
  return ARRAY_KEYS.map((k) => p[k].buffer as ArrayBuffer);
}

/** Stacks prepared samples of equal size into one batch; a size mismatch is an error naming the frames. */
export function collate(items: readonly PreparedSample[]): Batch {
  if (items.length === 0) throw new Error("collate: empty batch");
  const first = items[0];
  for (const p of items) {
    if (p.height !== first.height || p.width !== first.width || p.targetHeight !== first.targetHeight) {
      throw new Error(
        `collate: frame ${p.name} is ${p.width}x${p.height} but ${first.name} is ${first.width}x${first.height}; ` +
          "use an augmentation crop (or batch size 1) for frames of different sizes",
      );
    }
  }
  const stack = <T extends Float32Array | Uint8Array>(key: typeof ARRAY_KEYS[number]): T => {
    const per = first[key].length;
    const out = new (first[key].constructor as { new (n: number): T })(per * items.length);
    items.forEach((p, i) => out.set(p[key] as T, i * per));
    return out;
  };
  return {
    names: items.map((p) => p.name),
    size: items.length,
    height: first.height,
    width: first.width,
    targetHeight: first.targetHeight,
    targetWidth: first.targetWidth,
    image: stack("image"),
    semantic: stack("semantic"),
    semanticWeights: stack("semanticWeights"),
    center: stack("center"),
    centerWeights: stack("centerWeights"),
    offsets: stack("offsets"),
    offsetWeights: stack("offsetWeights"),
  };
}
