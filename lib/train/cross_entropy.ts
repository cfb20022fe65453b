// Softmax cross-entropy over per-pixel class logits with an ignore label: per pixel, as a sum, and the labelled-pixel
// count.
import { IGNORE_LABEL } from "../data/labels/descriptor.ts";
import * as tf from "@tensorflow/tfjs-core";
import { SOFTMAX_CROSS_ENTROPY } from "../runtime/kernels/softmax_cross_entropy.ts";

export { IGNORE_LABEL };

/**
 * Per-pixel -log softmax(logits)[label], [N,H,W] from logits [N,H,W,C]; 0 where the label is ≥ classes (e.g. 255,
 * ignored). Its gradient is (softmax − onehot(label)) · dy, given directly rather than through logsumexp's max, whose
 * tfjs gradient is a broadcast equality over every logit (a fifth of a wasm training step). On wasm one fused kernel
 * (lib/runtime/kernels/softmax_cross_entropy.ts) gives the loss terms and the gradient; elsewhere tfjs ops do.
 */
export function softmaxCrossEntropy(logits: tf.Tensor4D, labels: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => {
    const intLabels = tf.cast(labels, "int32");
    const perPixel = tf.getKernel(SOFTMAX_CROSS_ENTROPY, tf.getBackend())
      ? fusedSoftmaxCrossEntropy(intLabels)
      : softmaxCrossEntropyOps(intLabels);
    return perPixel(logits) as tf.Tensor3D;
  });
}

/** Sum over labelled pixels of -log softmax(logits)[label]; labels ≥ classes (e.g. 255) are ignored. */
export function softmaxCrossEntropySum(logits: tf.Tensor4D, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(softmaxCrossEntropy(logits, labels)));
}

/** The per-pixel loss from the fused kernel: log Σ e^(z − max z) + (max z − z_label), its gradient saved. */
function fusedSoftmaxCrossEntropy(labels: tf.Tensor) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [logits, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [grad, normaliser, offset] = tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits, labels }) as tf.Tensor[];
    save([grad]);
    return {
      value: tf.add(tf.log(normaliser), offset),
      gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.mul(tf.expandDims(dy, -1), saved),
    };
  });
}

/** The same loss and gradient from tfjs ops (oneHot gives an all-zero row for an ignored label). */
function softmaxCrossEntropyOps(labels: tf.Tensor) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [logits, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    const classes = logits.shape[3];
    const target = tf.oneHot(labels as tf.Tensor3D, classes);
    const labelled = tf.cast(tf.less(labels, classes), "float32");
    const picked = tf.sum(tf.mul(logits, target), 3);
    save([logits, target, labelled]);
    return {
      value: tf.mul(tf.sub(tf.logSumExp(logits, 3), picked), labelled),
      // An ignored pixel's loss is 0 whatever its logits, so its gradient is too.
      gradFunc: (dy: tf.Tensor, [z, t, m]: tf.Tensor[]) =>
        tf.mul(tf.expandDims(tf.mul(dy, m), -1), tf.sub(tf.softmax(z), t)),
    };
  });
}

/** Number of labels below `classes` (the pixels softmaxCrossEntropySum counts). */
export function countLabelled(labels: ArrayLike<number>, classes: number): number {
  let n = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] < classes) n++;
  return n;
}
