import assert from "node:assert/strict";
import { benchPostprocessAndMetrics } from "./postprocess_metrics.ts";

Deno.test("bench: heads built from the labels post-process to a perfect prediction (mIoU, PQ, AP = 1)", () => {
  const r = benchPostprocessAndMetrics(120, 400, 12, 1);
  assert.equal(r.instancesFound, 12);
  assert.equal(r.miou, 1);
  assert.equal(r.pq, 1);
  assert.equal(r.ap, 1);
  for (const [stage, ms] of Object.entries(r.medianMs)) {
    assert.ok(ms >= r.minMs[stage as keyof typeof r.minMs] && ms < 5000, `${stage}: ${ms} ms`);
  }
});

Deno.test("bench: extra (unused) classes still post-process and score perfectly; fewer than 19 is refused", () => {
  const r = benchPostprocessAndMetrics(120, 400, 6, 1, 21);
  assert.deepEqual([r.classes, r.instancesFound, r.miou, r.pq, r.ap], [21, 6, 1, 1, 1]);
  assert.throws(() => benchPostprocessAndMetrics(60, 200, 6, 1, 18), /at least the 19 trainId classes, got 18/);
});
