import assert from "node:assert/strict";
import { join } from "node:path";
import { defaultRecordPath, evaluateCheckpoint, TRAIN_CATEGORIES } from "./model_eval.ts";
import { KITTI } from "./testing/round_trip.ts";

const options = { checkpoint: "runs/none", data: KITTI, split: "acdc_val", instances: null, frames: 1, scale: 1 };

Deno.test("model eval: the record goes beside the run, else into the model folder", () => {
  assert.equal(
    defaultRecordPath("/r/default", "/r/default/model", "acdc_val"),
    join("/r/default", "eval-acdc_val.json"),
  );
  assert.equal(defaultRecordPath(null, "/m", "acdc_train"), join("/m", "eval-acdc_train.json"));
  assert.deepEqual(TRAIN_CATEGORIES.filter((c) => c.isThing).map((c) => c.id), [11, 12, 13, 14, 15, 16, 17, 18]);
});

Deno.test("model eval: missing data, instance folder or checkpoint are named in the error", async () => {
  await assert.rejects(evaluateCheckpoint({ ...options, data: "/no/kitti" }), /\/no\/kitti: dataset folder not found/);
  await assert.rejects(
    evaluateCheckpoint({ ...options, instances: "/no/inst" }),
    /\/no\/inst: instance label folder not found \(pass --instances none/,
  );
  await assert.rejects(evaluateCheckpoint({ ...options, scale: 0 }), /scale must be positive, got 0/);
  await assert.rejects(evaluateCheckpoint(options), /runs\/none: no such checkpoint or model folder/);
});
