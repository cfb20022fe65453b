import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyInstances, writeTinyKitti } from "../data/testing/tiny_kitti.ts";
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

Deno.test("model eval: a KITTI folder with its own instance/ maps does not need the pseudo label folder", async () => {
  const dir = mkdtempSync(join(tmpdir(), "model_eval_test-"));
  try {
    const kitti = join(dir, "kitti");
    await writeTinyInstances(kitti, join(dir, "pseudo"), await writeTinyKitti(kitti, "val", 1));
    await assert.rejects(
      evaluateCheckpoint({ ...options, data: kitti, split: "val", instances: "/no/inst" }),
      /runs\/none: no such checkpoint or model folder/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
