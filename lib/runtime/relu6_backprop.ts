// The input gradient of ReLU6 from its output y, dy · [0 < y < 6], as an op: the "Relu6Backprop" kernel where the
// backend has one registered (our SIMD kernel on wasm, registered with the training kernels by backend.ts), else
// step() and arithmetic. The op itself imports no kernel, so inference code (the model's layers) can use it in a
// browser without the training kernels and their Node-only SIMD pool.
import * as tf from "@tensorflow/tfjs-core";

/** The kernel's name (lib/runtime/kernels/relu6_backprop.ts registers it for wasm). */
export const RELU6_BACKPROP = "Relu6Backprop";

/** dy · [0 < y < 6] for y = relu6(x). */
export function relu6Backprop(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  if (tf.getKernel(RELU6_BACKPROP, tf.getBackend())) {
    return tf.engine().runKernel(RELU6_BACKPROP, { dy, y }) as tf.Tensor;
  }
  return tf.mul(dy, tf.mul(tf.step(y), tf.step(tf.sub(6, y))));
}
