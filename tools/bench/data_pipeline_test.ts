import assert from "node:assert/strict";
import { benchDataPipeline } from "./data_pipeline.ts";

Deno.test("data pipeline bench times every stage and measures throughput per worker count", async () => {
  const r = await benchDataPipeline({
    source: { kind: "synthetic", count: 6, height: 60, width: 100, seed: 0 },
    cropHeight: 32,
    cropWidth: 64,
    workerCounts: [0, 1],
    batchSize: 2,
    batches: 2,
    frames: 3,
  });
  for (const [stage, ms] of Object.entries(r.stageMs)) assert.ok(ms >= 0 && ms < 5000, `${stage}: ${ms}`);
  assert.deepEqual(r.throughput.map((t) => [t.workers, t.images, t.height, t.width]), [[0, 4, 32, 64], [1, 4, 32, 64]]);
  assert.ok(r.throughput.every((t) => t.imagesPerSecond > 0));
});
