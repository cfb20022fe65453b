// Tests: leading-axis Sum/Mean on wasm against the cpu backend, and the fallback for other reductions.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { leadingAxes } from "./reduce_leading.ts";
import { relativeError, runOn, seeded, useWasm } from "./testing/kernel_check.ts";

Deno.test("leadingAxes accepts only proper leading prefixes", () => {
  assert.equal(leadingAxes([4, 5, 6, 7], [0, 1, 2]), 3);
  assert.equal(leadingAxes([4, 5, 6, 7], [2, 0, 1]), 3);
  assert.equal(leadingAxes([4, 5, 6, 7], [0]), 1);
  assert.equal(leadingAxes([4, 5, 6, 7], [-4, -3]), 2);
  assert.equal(leadingAxes([4, 5, 6, 7], [1, 2]), 0);
  assert.equal(leadingAxes([4, 5, 6, 7], [0, 1, 2, 3]), 0);
  assert.equal(leadingAxes([4, 5, 6, 7], [3]), 0);
});

Deno.test("wasm Sum and Mean over leading axes equal the cpu backend (with and without keepDims)", async () => {
  await useWasm();
  const shape = [3, 5, 7, 4];
  const x = seeded(3 * 5 * 7 * 4, 11);
  for (const kernel of ["Sum", "Mean"]) {
    for (const axis of [[0, 1, 2], [0], [0, 1], [1, 2], [3], [0, 1, 2, 3]]) {
      for (const keepDims of [false, true]) {
        const call = {
          kernel,
          inputs: { x: [shape, x] } as Record<string, [number[], Float32Array]>,
          attrs: { axis, keepDims },
        };
        const wasm = await runOn("wasm", call);
        const cpu = await runOn("cpu", call);
        const label = `${kernel} axis ${axis} keepDims ${keepDims}`;
        assert.deepEqual(wasm.shape, cpu.shape, label);
        assert.ok(relativeError(wasm.values, cpu.values) <= 1e-5, label);
      }
    }
  }
});

Deno.test("wasm Sum of int32 still goes to the stock kernel and stays int32", async () => {
  await useWasm();
  const t = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], "int32");
  const s = tf.sum(t, 0);
  assert.equal(s.dtype, "int32");
  assert.deepEqual(Array.from(s.dataSync()), [9, 12]);
  tf.dispose([t, s]);
});
