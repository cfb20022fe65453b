// Tests: the zero-copy wasm Identity shares buffers and frees them with the last holder.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { useWasm } from "./testing/kernel_check.ts";

Deno.test("wasm Identity shares the buffer, and each holder can be disposed independently", async () => {
  await useWasm();
  const buffers = () => tf.engine().backend.numDataIds();
  const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const before = buffers();
  const y = tf.clone(x);
  assert.equal(buffers(), before, "clone allocated a second buffer");
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3, 4]);
  y.dispose();
  assert.equal(buffers(), before - 1);
});
