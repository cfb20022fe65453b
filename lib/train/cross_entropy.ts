// Softmax cross-entropy over per-pixel class logits with an ignore label, as a sum plus the labelled-pixel count.
import * as tf from "@tensorflow/tfjs-core";

export const IGNORE_LABEL = 255;

/** Sum over labelled pixels of -log softmax(logits)[label]; labels ≥ classes (e.g. 255) are ignored. */
export function softmaxCrossEntropySum(logits: tf.Tensor4D, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const classes = logits.shape[3];
    // oneHot gives an all-zero row for out-of-range labels, which drops ignored pixels from the sum.
    const target = tf.oneHot(tf.cast(labels, "int32") as tf.Tensor3D, classes);
    return tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)))) as tf.Scalar;
  });
}

/** Number of labels below `classes` (the pixels softmaxCrossEntropySum counts). */
export function countLabelled(labels: ArrayLike<number>, classes: number): number {
  let n = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] < classes) n++;
  return n;
}
