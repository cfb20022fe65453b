// Tests: the wasm hard-swish kernel against the four tfjs ops it replaces, bit for bit, on every thread split and the
// scalar tail.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { HARD_SWISH, hardSwishInference } from "../hard_swish.ts";
import { seeded, useWasm } from "./testing/kernel_check.ts";

/** The MobileNetV3 graph's 1/6 (lib/model/mobilenet_v3_layers.ts). */
const SCALE = 0.1666259765625;

/** Values around hard-swish's corners: below -3, exactly -3, 0 and 3, between, above 3. */
function hardSwishCorners(size: number): Float32Array {
  return seeded(size, size).map((v, i) => (i % 7 === 0 ? -3 : i % 7 === 1 ? 3 : i % 7 === 2 ? 0 : 8 * v));
}

Deno.test("wasm HardSwish equals x · relu6(x + 3) · scale as tfjs' ops compute it, bit for bit", async () => {
  await useWasm();
  assert.ok(tf.getKernel(HARD_SWISH, "wasm"), "the kernel is registered on wasm");
  for (const size of [1, 3, 4, 7, 1003, 64 * 1024 + 5]) {
    const x = tf.tensor1d(hardSwishCorners(size));
    const ours = await hardSwishInference(x, SCALE).data();
    const ops = await tf.tidy(() => tf.mul(x, tf.mul(tf.relu6(tf.add(x, 3)), SCALE))).data();
    assert.deepEqual(Array.from(ours), Array.from(ops), `size ${size}`);
    tf.dispose(x);
  }
});
