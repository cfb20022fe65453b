// Tests: the SIMD pool on a memory of its own (no tfjs): its threads together compute what direct loops do, and bad
// thread counts or tables are clear errors.
import assert from "node:assert/strict";
import { SimdPool } from "./pool.ts";
import { threadRange } from "./tensor_call.ts";

function sharedHeap(bytes: number) {
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) + 1, maximum: 65536, shared: true });
  let next = 1024;
  return { memory, malloc: (n: number) => (next += Math.ceil(n / 64) * 64) - Math.ceil(n / 64) * 64 };
}

Deno.test("a 2-thread SIMD pool sums products per channel as direct loops do, each thread its own rows", async () => {
  const [pixels, channels] = [37, 32];
  const heap = sharedHeap(4 * (2 * pixels * channels + channels) + 8192);
  const pool = await SimdPool.create(heap, 2);
  const a = heap.malloc(pixels * channels * 4), b = heap.malloc(pixels * channels * 4), c = heap.malloc(channels * 4);
  const f32 = new Float32Array(heap.memory.buffer);
  for (let i = 0; i < pixels * channels; i++) {
    f32[a / 4 + i] = Math.sin(i);
    f32[b / 4 + i] = Math.cos(3 * i);
  }
  // accumulateProducts: thread t takes its range of pixels for one of the two 16-channel blocks.
  const table = heap.malloc(2 * 13 * 4);
  const i32 = new Int32Array(heap.memory.buffer);
  [0, 1].forEach((t) =>
    i32.set([a + 64 * t, channels * 4, b + 64 * t, channels * 4, pixels, c + 64 * t, 1], table / 4 + 13 * t)
  );
  pool.runTables("accumulateProducts", [{ offset: table, count: 1 }, { offset: table + 52, count: 1 }]);
  for (let j = 0; j < channels; j++) {
    let want = 0;
    for (let p = 0; p < pixels; p++) want += f32[a / 4 + p * channels + j] * f32[b / 4 + p * channels + j];
    assert.ok(Math.abs(f32[c / 4 + j] - want) <= 1e-5 * Math.max(1, Math.abs(want)), `channel ${j}`);
  }
  assert.throws(() => pool.runTables("accumulateProducts", [{ offset: table, count: 0 }]), /1 tables for 2 threads/);
});

Deno.test("SIMD pool: a bad thread count, or threads without a shared memory, is a clear error", async () => {
  await assert.rejects(SimdPool.create(sharedHeap(0), 0), /thread count must be an integer in 1\.\.126, got 0/);
  const unshared = { memory: new WebAssembly.Memory({ initial: 1 }), malloc: () => 1024 };
  await assert.rejects(SimdPool.create(unshared, 2), /2 threads need a shared memory/);
});

Deno.test("threadRange splits items evenly, in multiples, covering each once", () => {
  assert.deepEqual([0, 1, 2].map((t) => threadRange(t, 3, 10)), [[0, 4], [4, 8], [8, 10]]);
  assert.deepEqual([0, 1].map((t) => threadRange(t, 2, 10, 4)), [[0, 8], [8, 10]]);
  assert.deepEqual([0, 1].map((t) => threadRange(t, 2, 1)), [[0, 1], [1, 1]]);
});
