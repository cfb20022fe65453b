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
