// Tests: the wasm ReLU6 gradient kernel against its definition, on every thread split and the scalar tail.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { relu6Backprop } from "../relu6_backprop.ts";
import { seeded, useWasm } from "./testing/kernel_check.ts";

Deno.test("wasm Relu6Backprop passes dy exactly where 0 < y < 6 (odd sizes, y at 0 and 6)", async () => {
  await useWasm();
  assert.ok(tf.getKernel("Relu6Backprop", "wasm"), "the kernel is registered on wasm");
  for (const size of [1, 3, 4, 1003]) {
    const y = seeded(size, size).map((v, i) => (i % 5 === 0 ? 0 : i % 5 === 1 ? 6 : 5 * v + 3));
    const dy = seeded(size, size + 1);
    const got = tf.tidy(() => relu6Backprop(tf.tensor1d(dy), tf.tensor1d(y)).dataSync());
    const expected = dy.map((g, i) => (y[i] > 0 && y[i] < 6 ? g : 0));
    assert.deepEqual(Array.from(got), Array.from(expected), `size ${size}`);
  }
});
