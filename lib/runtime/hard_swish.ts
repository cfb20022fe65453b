// Hard-swish, x · relu6(x + 3) · scale, as an op for inference: the "HardSwish" kernel where the backend has one
// registered (our SIMD kernel on wasm, registered with the training kernels by backend.ts: one pass over every thread
// instead of four single-threaded ones over the full-size tensor), else those four tfjs ops. Both compute the same
// operations in the same order, so the values agree bit for bit. No gradient: the MobileNetV3 encoder's layer takes its
// own under a gradient tape. The op imports no kernel, so a browser bundle can use it.
import * as tf from "@tensorflow/tfjs-core";

/** The kernel's name (lib/runtime/kernels/hard_swish.ts registers it for wasm). */
export const HARD_SWISH = "HardSwish";

/** x · relu6(x + 3) · scale. */
export function hardSwishInference(x: tf.Tensor, scale: number): tf.Tensor {
  if (tf.getKernel(HARD_SWISH, tf.getBackend())) {
    return tf.engine().runKernel(HARD_SWISH, { x }, { scale }) as tf.Tensor;
  }
  return tf.tidy(() => tf.mul(x, tf.mul(tf.relu6(tf.add(x, 3)), scale)));
}
