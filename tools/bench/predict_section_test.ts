import assert from "node:assert/strict";
import { SHARED_KITTI } from "../../lib/testing/shared_data.ts";
import { DEFAULT_RUN_DIR } from "../../lib/train/config.ts";
import { predictSection } from "./predict_section.ts";
import type { PredictData } from "./predict_section.ts";

Deno.test("bench predict: two frames with the committed model, stage times, no tensor growth", async () => {
  const lines: string[] = [];
  const r = await predictSection.run({
    "predict-frames": "2",
    "predict-checkpoint": DEFAULT_RUN_DIR,
    "predict-data": SHARED_KITTI,
    "predict-split": "acdc_val",
    "predict-threads": "1",
    "predict-workers": "1",
  }, (l) => lines.push(l));
  const d = r.data as PredictData;
  assert.equal(d.perFrame.length, 2);
  assert.match(d.start.backend, /1 thread/);
  assert.equal(d.start.workers, 1);
  for (const f of d.perFrame) assert.ok(Object.values(f.stages).every((s) => s > 0), JSON.stringify(f.stages));
  // Stages overlap, but the network runs one image at a time: the images cannot come faster than it.
  const total = (key: (f: PredictData["perFrame"][number]) => number) => d.perFrame.reduce((s, f) => s + key(f), 0);
  assert.ok(total((f) => f.seconds) >= total((f) => f.stages.network), "wall time ≥ network time");
  assert.equal(d.perAdditionalFrameSeconds, d.perFrame[1].seconds);
  assert.deepEqual(d.tensors, [d.tensors[0], d.tensors[0]]);
  assert.match(String(r.rows[0][2]), /≤ 400 ms: (meets|misses)/);
  await assert.rejects(
    () => predictSection.run({ "predict-frames": "1" }, () => {}),
    /--predict-frames must be an integer ≥ 2, got 1/,
  );
});
