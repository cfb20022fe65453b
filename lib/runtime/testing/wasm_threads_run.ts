// Test helper run as a subprocess: starts wasm with PANOPTIC_WASM_THREADS threads, grows the wasm heap (the SIMD
// pool must follow it), runs a seeded convolution, its filter gradient (the SIMD pool) and a matMul (XNNPACK), and
// prints the thread count and results as JSON. It must then exit by itself: idle threads may not hold it open.
import * as tf from "@tensorflow/tfjs-core";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { initBackend } from "../backend.ts";

await initBackend({ force: "wasm", log: () => {} });
tf.zeros([64, 1024, 1024]).dispose(); // 256 MB
const x = tf.randomUniform([2, 24, 40, 16], -1, 1, "float32", 1) as tf.Tensor4D;
const filter = tf.randomUniform([3, 3, 16, 32], -1, 1, "float32", 2) as tf.Tensor4D;
const y = tf.conv2d(x, filter, 1, "same");
const dFilter = tf.grad((f) => tf.sum(tf.square(tf.conv2d(x, f as tf.Tensor4D, 1, "same"))))(filter);
const product = tf.matMul(tf.reshape(x, [-1, 16]), tf.randomUniform([16, 64], -1, 1, "float32", 3));
console.log(JSON.stringify({
  threads: getThreadsCount(),
  conv: Array.from(y.dataSync()),
  filterGradient: Array.from(dFilter.dataSync()),
  matMul: Array.from(product.dataSync()),
}));
