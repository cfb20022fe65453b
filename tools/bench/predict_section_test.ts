import assert from "node:assert/strict";
import { SHARED_KITTI } from "../../lib/testing/shared_data.ts";
import { DEFAULT_RUN_DIR } from "../../lib/train/config.ts";
import { predictSection } from "./predict_section.ts";
import type { PredictData } from "./predict_section.ts";

Deno.test("bench predict: two frames with the committed model, stages within each frame's time, no tensor growth", async () => {
  const lines: string[] = [];
  const r = await predictSection.run({
    "predict-frames": "2",
    "predict-checkpoint": DEFAULT_RUN_DIR,
    "predict-data": SHARED_KITTI,
    "predict-split": "acdc_val",
    "predict-threads": "1",
  }, (l) => lines.push(l));
  const d = r.data as PredictData;
  assert.equal(d.perFrame.length, 2);
  assert.match(d.start.backend, /1 thread/);
  for (const f of d.perFrame) {
    const stages = Object.values(f.stages).reduce((a, b) => a + b, 0);
    assert.ok(stages > 0 && stages <= f.seconds, `stages ${stages} s within the frame's ${f.seconds} s`);
    assert.ok(f.stages.network > 0 && f.stages.write > 0);
  }
  assert.equal(d.perAdditionalFrameSeconds, d.perFrame[1].seconds);
  assert.deepEqual(d.tensors, [d.tensors[0], d.tensors[0]]);
  assert.match(String(r.rows[0][2]), /≤ 400 ms: (meets|misses)/);
  await assert.rejects(
    () => predictSection.run({ "predict-frames": "1" }, () => {}),
    /--predict-frames must be an integer ≥ 2, got 1/,
  );
});
