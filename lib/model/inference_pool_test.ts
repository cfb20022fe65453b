import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../runtime/backend.ts";
import { exportFloat16 } from "../train/float16_export.ts";
import { predictHeads } from "./inference.ts";
import { InferencePool, modelRunner } from "./inference_pool.ts";
import { constantHeadsModel } from "./testing/constant_heads.ts";

await initBackend({ force: "wasm", log: () => {} });

/** A frame whose pixels differ, so that a frame answered for another would show. */
function frame(height: number, width: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: height * width * 3 }, (_, i) => (i * 7 + seed * 31) % 256);
}

Deno.test("an inference pool's workers give the heads the model gives on this thread, ACDC-30 read-out included", async () => {
  const dir = mkdtempSync(join(tmpdir(), "inference_pool_test-"));
  // ACDC-30 logits (float16-exact): parking (id 2, no trainId) largest, then car (id 6, trainId 13).
  const model = constantHeadsModel(Array.from({ length: 30 }, (_, c) => (c === 2 ? 4 : c === 6 ? 3 : c / 8)), 0.5, [
    2,
    -4,
  ]);
  let pool: InferencePool | null = null;
  try {
    await exportFloat16(model, join(dir, "model"));
    pool = await InferencePool.start(join(dir, "model"), 2, 1);
    assert.equal(pool.parallel, 2);
    const sizes = [[37, 70], [16, 32], [48, 40], [20, 20]];
    const answers = await Promise.all(sizes.map(([h, w], k) => pool!.heads(frame(h, w, k), h, w)));
    for (const [k, [h, w]] of sizes.entries()) {
      const local = await predictHeads(model, frame(h, w, k), h, w);
      const { heads, seconds } = answers[k];
      assert.ok(seconds > 0);
      assert.deepEqual([heads.height, heads.width, heads.numClasses], [h, w, 19]);
      assert.deepEqual(heads.probabilities, local.probabilities);
      assert.deepEqual(heads.center, local.center);
      assert.deepEqual(heads.offsets, local.offsets);
      assert.equal(heads.full?.labels, local.full?.labels, "the label set's descriptor, not its name");
      assert.deepEqual(heads.full?.classes, local.full?.classes);
    }
    const scaled = await pool.heads(frame(64, 96, 9), 64, 96, { scale: 0.5 });
    assert.deepEqual(
      scaled.heads.offsets,
      (await predictHeads(model, frame(64, 96, 9), 64, 96, { scale: 0.5 })).offsets,
    );
  } finally {
    pool?.close();
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("an inference pool on a folder without a model fails to start, naming the folder", async () => {
  const dir = mkdtempSync(join(tmpdir(), "inference_pool_test-"));
  try {
    await assert.rejects(
      InferencePool.start(join(dir, "missing"), 2, 1),
      /inference worker \d: .*missing: no such checkpoint or model folder/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("a model runner answers in the order asked, one frame at a time", async () => {
  const model = constantHeadsModel([0, 2, 0], 0.5, [2, -4]);
  const runner = modelRunner(model);
  const sizes = [[16, 16], [32, 48], [8, 24]];
  const answers = await Promise.all(sizes.map(([h, w]) => runner.heads(new Uint8Array(h * w * 3), h, w)));
  assert.deepEqual(answers.map((a) => [a.heads.height, a.heads.width]), sizes);
  assert.equal(runner.parallel, 1);
  model.dispose();
});
