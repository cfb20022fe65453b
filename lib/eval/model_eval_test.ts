import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyInstances, writeTinyKitti } from "../data/datasets/testing/tiny_kitti.ts";
import { DEFAULT_EVAL, defaultRecordPath, evaluateCheckpoint, recordName, TRAIN_CATEGORIES } from "./model_eval.ts";
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

Deno.test("model eval: only the full evaluation on the default data gets the plain name; others say how they differ", () => {
  const full = { ...options, ...DEFAULT_EVAL, frames: 0, scale: 1 };
  assert.equal(recordName(full, "acdc_val"), "acdc_val");
  assert.equal(recordName({ ...full, frames: 2, scale: 0.5 }, "acdc_val"), "acdc_val-frames2-scale0.5");
  assert.equal(recordName({ ...full, flip: true }, "acdc_val"), "acdc_val-flip");
  assert.equal(recordName({ ...full, flip: false }, "acdc_val"), "acdc_val");
  assert.equal(recordName({ ...full, instances: null }, "acdc_val"), "acdc_val-semantic");
  assert.equal(recordName({ ...full, instances: "/x/pseudo" }, "acdc_val"), "acdc_val-instances-pseudo");
  assert.equal(recordName({ ...full, data: "/other/kitti2" }, "acdc_val"), "acdc_val-data-kitti2");
  const json = { ...full, data: "/d/gtFine/cityscapes_panoptic_val.json", instances: null };
  assert.equal(recordName(json, "cityscapes_panoptic_val"), "cityscapes_panoptic_val");
  assert.equal(recordName({ ...json, scale: 0.25 }, "cityscapes_panoptic_val"), "cityscapes_panoptic_val-scale0.25");
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
