// Tests: the BatchMatMul replacement against the cpu backend (transposed, rearranged and batched products).
import assert from "node:assert/strict";
import { relativeError, runOn, seeded, useWasm } from "./testing/kernel_check.ts";

// [a shape, b shape, transposeA, transposeB]: tall filter-gradient products (both choices of the operand to
// transpose), input-gradient products, both transposed, rank 3 with batch 1, and a batched product (stock path).
const CASES: [number[], number[], boolean, boolean][] = [
  [[300, 5], [300, 40], true, false],
  [[300, 40], [300, 5], true, false],
  [[1, 257, 33], [1, 257, 70], true, false],
  [[120, 7], [9, 7], false, true],
  [[1, 120, 70], [1, 33, 70], false, true],
  [[6, 11], [13, 6], true, true],
  [[3, 10, 4], [3, 10, 6], true, false],
];

Deno.test("wasm BatchMatMul with transposed operands equals the cpu backend", async () => {
  await useWasm();
  for (const [i, [as, bs, transposeA, transposeB]] of CASES.entries()) {
    const call = {
      kernel: "BatchMatMul",
      inputs: {
        a: [as, seeded(as.reduce((p, q) => p * q), 3 + i)],
        b: [bs, seeded(bs.reduce((p, q) => p * q), 20 + i)],
      } as Record<string, [number[], Float32Array]>,
      attrs: { transposeA, transposeB },
    };
    const wasm = await runOn("wasm", call);
    const cpu = await runOn("cpu", call);
    const label = `a ${as} b ${bs} transposeA ${transposeA} transposeB ${transposeB}`;
    assert.deepEqual(wasm.shape, cpu.shape, label);
    assert.ok(relativeError(wasm.values, cpu.values) <= 1e-5, label);
  }
});

Deno.test("wasm BatchMatMul of a large, wide untransposed b (rearranged product) equals the cpu backend", async () => {
  await useWasm();
  const call = {
    kernel: "BatchMatMul",
    inputs: {
      a: [[1, 3, 40000], seeded(120000, 8)],
      b: [[1, 40000, 60], seeded(2400000, 9)],
    } as Record<string, [number[], Float32Array]>,
    attrs: { transposeA: false, transposeB: false },
  };
  const wasm = await runOn("wasm", call);
  const cpu = await runOn("cpu", call);
  assert.deepEqual(wasm.shape, [1, 3, 60]);
  assert.ok(relativeError(wasm.values, cpu.values) <= 1e-5);
});
