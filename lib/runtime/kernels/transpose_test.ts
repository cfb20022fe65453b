// Tests: permutation simplification and the blocked Transpose replacement against the cpu backend.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { simplifyPermutation } from "./transpose.ts";
import { runOn, seeded, useWasm } from "./testing/kernel_check.ts";

Deno.test("simplifyPermutation merges adjacent axes and drops size-1 axes", () => {
  assert.deepEqual(simplifyPermutation([4, 5, 6, 7], [3, 0, 1, 2]), { shape: [120, 7], perm: [1, 0] });
  assert.deepEqual(simplifyPermutation([9, 5, 6], [0, 2, 1]), { shape: [9, 5, 6], perm: [0, 2, 1] });
  assert.deepEqual(simplifyPermutation([1, 5, 6], [0, 2, 1]), { shape: [5, 6], perm: [1, 0] });
  assert.deepEqual(simplifyPermutation([2, 3, 4], [2, 0, 1]), { shape: [6, 4], perm: [1, 0] });
  assert.deepEqual(simplifyPermutation([2, 3, 4], [1, 0, 2]), { shape: [2, 3, 4], perm: [1, 0, 2] });
  assert.deepEqual(simplifyPermutation([2, 3], [0, 1]), { shape: [6], perm: [0] });
});

Deno.test("wasm Transpose (blocked heap loop, or stock) equals the cpu backend", async () => {
  await useWasm();
  const cases: [number[], number[]][] = [
    [[37, 19], [1, 0]],
    [[2, 5, 7, 3], [3, 0, 1, 2]],
    [[9, 13, 10], [0, 2, 1]],
    [[1, 13, 10], [0, 2, 1]],
    [[2, 3, 4], [1, 0, 2]],
    [[2, 3, 4, 5], [0, 3, 1, 2]],
  ];
  for (const [i, [shape, perm]] of cases.entries()) {
    const call = {
      kernel: "Transpose",
      inputs: { x: [shape, seeded(shape.reduce((a, b) => a * b), 50 + i)] } as Record<string, [number[], Float32Array]>,
      attrs: { perm },
    };
    const wasm = await runOn("wasm", call);
    const cpu = await runOn("cpu", call);
    assert.deepEqual(wasm.shape, cpu.shape, `${shape} ${perm}`);
    assert.deepEqual(wasm.values, cpu.values, `${shape} ${perm}`);
  }
  const ints = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], "int32");
  const t = tf.transpose(ints);
  assert.deepEqual(Array.from(t.dataSync()), [1, 4, 2, 5, 3, 6]);
  assert.equal(t.dtype, "int32");
  tf.dispose([ints, t]);
});
