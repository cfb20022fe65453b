// Tests: the in-heap Tile replacement against the cpu backend, for several ranks, repeats and dtypes.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { runOn, seeded, useWasm } from "./testing/kernel_check.ts";

const CASES: { shape: number[]; reps: number[] }[] = [
  { shape: [1, 1, 1, 5], reps: [2, 3, 4, 1] },
  { shape: [2, 3], reps: [3, 2] },
  { shape: [3, 1, 2], reps: [1, 4, 3] },
  { shape: [2, 2, 3, 2], reps: [2, 1, 2, 3] },
  { shape: [4], reps: [5] },
  { shape: [2, 3], reps: [1, 1] },
];

Deno.test("wasm Tile (heap block copies) equals the cpu backend for several ranks and repeats", async () => {
  await useWasm();
  for (const [i, c] of CASES.entries()) {
    const call = {
      kernel: "Tile",
      inputs: { x: [c.shape, seeded(c.shape.reduce((a, b) => a * b), i + 1)] } as Record<
        string,
        [number[], Float32Array]
      >,
      attrs: { reps: c.reps },
    };
    const wasm = await runOn("wasm", call);
    const cpu = await runOn("cpu", call);
    assert.deepEqual(wasm.shape, cpu.shape, `shape ${c.shape} reps ${c.reps}`);
    assert.deepEqual(wasm.values, cpu.values, `shape ${c.shape} reps ${c.reps}`);
  }
});

Deno.test("wasm Tile keeps int32 and bool values", async () => {
  await useWasm();
  const ints = tf.tensor2d([1, -2, 3, 4], [2, 2], "int32");
  const bools = tf.tensor1d([true, false, true], "bool");
  const tiledInts = tf.tile(ints, [2, 2]);
  const tiledBools = tf.tile(bools, [2]);
  assert.deepEqual(Array.from(tiledInts.dataSync()), [1, -2, 1, -2, 3, 4, 3, 4, 1, -2, 1, -2, 3, 4, 3, 4]);
  assert.equal(tiledInts.dtype, "int32");
  assert.deepEqual(Array.from(tiledBools.dataSync()), [1, 0, 1, 1, 0, 1]);
  tf.dispose([ints, bools, tiledInts, tiledBools]);
});
