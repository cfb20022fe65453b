// Panoptic-DeepLab training losses as deeplab2 computes them (model/loss/base_loss.py, loss_builder.py): weighted
// softmax cross-entropy bootstrapped on the top-k % pixel losses, centre-heatmap MSE and offset L1, each averaged
// per image over its non-zero weighted losses, then over the batch, then weighted and summed.
import * as tf from "@tensorflow/tfjs-core";
import type { PanopticTargets } from "../data/pipeline/targets.ts";
import { IGNORE_ID } from "../data/labels/cityscapes_labels.ts";
import { softmaxCrossEntropy } from "./cross_entropy.ts";

/** The targets of a batch of N images on the H x W output grid (lib/data/pipeline/targets.ts maps, stacked as tensors). */
export interface PanopticTargetTensors {
  /** trainIds, int32 [N,H,W]; `ignoreLabel` (255) = ignore. */
  semantic: tf.Tensor3D;
  /** float32 [N,H,W]; multiplies each pixel's cross-entropy (ignored pixels count 0 whatever their weight). */
  semanticWeights: tf.Tensor3D;
  /** Centre heatmap, float32 [N,H,W,1]. */
  center: tf.Tensor4D;
  /** float32 [N,H,W]. */
  centerWeights: tf.Tensor3D;
  /** (dy, dx) to the instance centre, float32 [N,H,W,2]. */
  offsets: tf.Tensor4D;
  /** float32 [N,H,W]. */
  offsetWeights: tf.Tensor3D;
}

/** The raw heads at the targets' resolution. */
export interface PanopticPredictions {
  /** Semantic logits [N,H,W,C]. */
  semanticLogits: tf.Tensor4D;
  /** Centre heatmap [N,H,W,1], compared to the target as is (no activation applied here). */
  center: tf.Tensor4D;
  /** Offsets [N,H,W,2] in the targets' units. */
  offsets: tf.Tensor4D;
}

export interface LossOptions {
  /** deeplab2 Cityscapes: 1.0 */
  semanticWeight?: number;
  /** deeplab2 Cityscapes: 200 */
  centerWeight?: number;
  /** deeplab2 Cityscapes: 0.01 */
  offsetWeight?: number;
  /** Fraction of each image's pixels kept by the bootstrapped cross-entropy (deeplab2 Cityscapes: 0.2; 1 = all). */
  topKPercent?: number;
  ignoreLabel?: number;
}

/** Scalars; `semantic`, `center`, `offset` already carry their loss weight and `total` is their sum. */
export interface LossValues {
  total: tf.Scalar;
  semantic: tf.Scalar;
  center: tf.Scalar;
  offset: tf.Scalar;
}

export const DEFAULT_LOSS_OPTIONS: Required<LossOptions> = {
  semanticWeight: 1,
  centerWeight: 200,
  offsetWeight: 0.01,
  topKPercent: 0.2,
  ignoreLabel: IGNORE_ID,
};

/**
 * Per-image average of the `fraction` largest losses: losses [N,P] → [N]. As deeplab2's compute_average_top_k_loss,
 * k = round(fraction·P) is taken over all P pixels (zero-weighted ones included) and the sum of the kept losses is
 * divided by how many of them are non-zero (0 when none is). The gradient flows to the kept pixels only.
 */
export function averageTopKLoss(losses: tf.Tensor2D, fraction: number): tf.Tensor1D {
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`losses.ts: top-k fraction ${fraction} is not in (0, 1]`);
  const [n, p] = losses.shape;
  const k = Math.round(fraction * p);
  const forward = (x: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const mask = tf.tidy(() => (k === p ? tf.onesLike(x) : topKMask(x, k)));
    const kept = tf.mul(x, mask);
    const count = tf.sum(tf.cast(tf.notEqual(kept, 0), "float32"), 1);
    const safeCount = tf.maximum(count, 1);
    save([mask, safeCount]);
    return {
      value: tf.div(tf.sum(kept, 1), safeCount),
      gradFunc: (dy: tf.Tensor, [m, c]: tf.Tensor[]) => tf.mul(m, tf.reshape(tf.div(dy, c), [n, 1])),
    };
  };
  const average = tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]);
  return tf.tidy(() => average(losses) as tf.Tensor1D);
}

/** 1 on the k largest entries of each row, 0 elsewhere (ties resolved by tf.topk). */
function topKMask(x: tf.Tensor2D, k: number): tf.Tensor2D {
  const [n, p] = x.shape;
  if (k === 0) return tf.zeros([n, p]);
  const { values, indices } = tf.topk(x, k, false);
  values.dispose();
  const rows = tf.tile(tf.reshape(tf.range(0, n, 1, "int32"), [n, 1]), [1, k]);
  const positions = tf.reshape(tf.stack([rows, indices], 2), [n * k, 2]);
  return tf.scatterND(positions, tf.ones([n * k]), [n, p]);
}

function checkShapes(predictions: PanopticPredictions, targets: PanopticTargetTensors): void {
  const [n, h, w] = targets.semantic.shape;
  const expect = (what: string, shape: number[], wanted: number[]) => {
    if (shape.length !== wanted.length || shape.some((s, i) => wanted[i] >= 0 && s !== wanted[i])) {
      throw new Error(`losses.ts: ${what} has shape [${shape}] but [${wanted.map((s) => s < 0 ? "C" : s)}] is needed`);
    }
  };
  expect("semantic logits", predictions.semanticLogits.shape, [n, h, w, -1]);
  expect("centre prediction", predictions.center.shape, [n, h, w, 1]);
  expect("offset prediction", predictions.offsets.shape, [n, h, w, 2]);
  expect("semantic weights", targets.semanticWeights.shape, [n, h, w]);
  expect("centre target", targets.center.shape, [n, h, w, 1]);
  expect("centre weights", targets.centerWeights.shape, [n, h, w]);
  expect("offset target", targets.offsets.shape, [n, h, w, 2]);
  expect("offset weights", targets.offsetWeights.shape, [n, h, w]);
}

/** The three Panoptic-DeepLab losses and their weighted sum, each averaged over the batch. */
export function panopticLoss(
  predictions: PanopticPredictions,
  targets: PanopticTargetTensors,
  options: LossOptions = {},
): LossValues {
  const o = { ...DEFAULT_LOSS_OPTIONS, ...options };
  checkShapes(predictions, targets);
  const n = targets.semantic.shape[0];
  return tf.tidy(() => {
    const flat = (x: tf.Tensor) => tf.reshape(x, [n, -1]) as tf.Tensor2D;
    const keep = tf.cast(tf.notEqual(targets.semantic, o.ignoreLabel), "float32");
    const semanticPixels = tf.mul(
      softmaxCrossEntropy(predictions.semanticLogits, targets.semantic),
      tf.mul(targets.semanticWeights, keep),
    );
    const centerPixels = tf.mul(
      tf.mean(tf.squaredDifference(predictions.center, targets.center), 3),
      targets.centerWeights,
    );
    const offsetPixels = tf.mul(
      tf.mean(tf.abs(tf.sub(predictions.offsets, targets.offsets)), 3),
      targets.offsetWeights,
    );
    const semantic = tf.mul(
      tf.mean(averageTopKLoss(flat(semanticPixels), o.topKPercent)),
      o.semanticWeight,
    ) as tf.Scalar;
    const center = tf.mul(tf.mean(averageTopKLoss(flat(centerPixels), 1)), o.centerWeight) as tf.Scalar;
    const offset = tf.mul(tf.mean(averageTopKLoss(flat(offsetPixels), 1)), o.offsetWeight) as tf.Scalar;
    return { total: tf.addN([semantic, center, offset]) as tf.Scalar, semantic, center, offset };
  });
}

/** Stacks per-image targets (all on the same grid) into the tensors `panopticLoss` takes. */
export function stackTargets(batch: readonly PanopticTargets[]): PanopticTargetTensors {
  if (batch.length === 0) throw new Error("losses.ts: stackTargets needs at least one target");
  const { height: h, width: w } = batch[0];
  const bad = batch.find((t) => t.height !== h || t.width !== w);
  if (bad) throw new Error(`losses.ts: targets are ${bad.width}x${bad.height} and ${w}x${h}; a batch needs one size`);
  const n = batch.length;
  const concat = <T extends Float32Array | Int32Array>(
    make: new (len: number) => T,
    pick: (t: PanopticTargets) => ArrayLike<number>,
  ) => {
    const size = pick(batch[0]).length;
    const out = new make(n * size);
    batch.forEach((t, i) => out.set(pick(t), i * size));
    return out;
  };
  return {
    semantic: tf.tensor3d(concat(Int32Array, (t) => t.semantic), [n, h, w], "int32"),
    semanticWeights: tf.tensor3d(concat(Float32Array, (t) => t.semanticWeights), [n, h, w]),
    center: tf.tensor4d(concat(Float32Array, (t) => t.center), [n, h, w, 1]),
    centerWeights: tf.tensor3d(concat(Float32Array, (t) => t.centerWeights), [n, h, w]),
    offsets: tf.tensor4d(concat(Float32Array, (t) => t.offsets), [n, h, w, 2]),
    offsetWeights: tf.tensor3d(concat(Float32Array, (t) => t.offsetWeights), [n, h, w]),
  };
}
