// Tests: the in-heap Slice and SplitV replacements against the cpu backend, for several ranks and dtypes.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { runOn, seeded, useWasm } from "./testing/kernel_check.ts";

const CASES: { shape: number[]; begin: number[]; size: number[] }[] = [
  { shape: [4, 5, 6, 3], begin: [1, 2, 0, 0], size: [2, 3, 6, 3] },
  { shape: [4, 5, 6, 3], begin: [0, 1, 2, 1], size: [4, 3, 3, 2] },
  { shape: [4, 5, 6, 3], begin: [0, 0, 0, 0], size: [4, 5, 6, 3] },
  { shape: [4, 5, 6, 3], begin: [3, 4, 5, 2], size: [1, 1, 1, 1] },
  { shape: [7, 9], begin: [2, 3], size: [4, 5] },
  { shape: [2, 3, 2, 3, 2, 4], begin: [1, 0, 1, 1, 0, 1], size: [1, 3, 1, 2, 2, 3] },
  { shape: [10], begin: [3], size: [-1] },
];

Deno.test("wasm Slice (in-heap block moves) equals the cpu backend", async () => {
  await useWasm();
  for (const [i, c] of CASES.entries()) {
    const call = {
      kernel: "Slice",
      inputs: { x: [c.shape, seeded(c.shape.reduce((a, b) => a * b), i + 1)] } as Record<
        string,
        [number[], Float32Array]
      >,
      attrs: { begin: c.begin, size: c.size },
    };
    const wasm = await runOn("wasm", call);
    const cpu = await runOn("cpu", call);
    assert.deepEqual(wasm.shape, cpu.shape, JSON.stringify(c));
    assert.deepEqual(wasm.values, cpu.values, JSON.stringify(c));
  }
});

Deno.test("wasm Slice keeps int32 and bool values", async () => {
  await useWasm();
  const ints = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], "int32");
  const bools = tf.tensor1d([true, false, true, true], "bool");
  const a = tf.slice(ints, [0, 1], [2, 2]);
  const b = tf.slice(bools, [1], [3]);
  assert.deepEqual(Array.from(a.dataSync()), [2, 3, 5, 6]);
  assert.deepEqual(Array.from(b.dataSync()), [0, 1, 1]);
  tf.dispose([ints, bools, a, b]);
});

Deno.test("wasm SplitV (in-heap block moves) equals the cpu backend", async () => {
  await useWasm();
  const cases: [number[], number | number[], number][] = [[[2, 3, 4, 5], [2, 3], 3], [[4, 6], 2, 0], [[2, 5, 3], [
    2,
    -1,
  ], 1]];
  for (const [shape, splits, axis] of cases) {
    const values = seeded(shape.reduce((a, b) => a * b), 9);
    const results: Float32Array[][] = [];
    for (const backend of ["wasm", "cpu"]) {
      await tf.setBackend(backend);
      const x = tf.tensor(values, shape);
      const parts = tf.split(x, splits, axis);
      results.push(parts.map((p) => p.dataSync() as Float32Array));
      tf.dispose([x, ...parts]);
    }
    await tf.setBackend("wasm");
    assert.deepEqual(results[0], results[1], `${shape} split ${splits} on axis ${axis}`);
  }
});
