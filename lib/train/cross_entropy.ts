// Softmax cross-entropy over per-pixel class logits with an ignore label, as a sum plus the labelled-pixel count.
import { IGNORE_LABEL } from "../data/labels/descriptor.ts";
import * as tf from "@tensorflow/tfjs-core";
import { SOFTMAX_CROSS_ENTROPY } from "../runtime/kernels/softmax_cross_entropy.ts";

export { IGNORE_LABEL };

/**
 * Sum over labelled pixels of -log softmax(logits)[label]; labels ≥ classes (e.g. 255) are ignored. On wasm one
 * fused kernel (lib/runtime/kernels/softmax_cross_entropy.ts) gives the loss terms and the gradient.
 */
export function softmaxCrossEntropySum(logits: tf.Tensor4D, labels: tf.Tensor): tf.Scalar {
  if (tf.getKernel(SOFTMAX_CROSS_ENTROPY, tf.getBackend())) {
    return tf.tidy(() => fusedSoftmaxCrossEntropy(tf.cast(labels, "int32"))(logits) as tf.Scalar);
  }
  return tf.tidy(() => {
    const classes = logits.shape[3];
    // oneHot gives an all-zero row for out-of-range labels, which drops ignored pixels from the sum.
    const target = tf.oneHot(tf.cast(labels, "int32") as tf.Tensor3D, classes);
    return tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)))) as tf.Scalar;
  });
}

/** The loss as a function of the logits whose gradient is the fused kernel's softmax − onehot. */
function fusedSoftmaxCrossEntropy(labels: tf.Tensor) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [logits, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [grad, normaliser, offset] = tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits, labels }) as tf.Tensor[];
    save([grad]);
    return {
      value: tf.add(tf.sum(tf.log(normaliser)), tf.sum(offset)),
      gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.mul(dy, saved),
    };
  });
}

/** Number of labels below `classes` (the pixels softmaxCrossEntropySum counts). */
export function countLabelled(labels: ArrayLike<number>, classes: number): number {
  let n = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] < classes) n++;
  return n;
}
