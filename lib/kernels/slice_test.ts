import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { runOn, seeded, useWasm } from "./test_util.ts";

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
