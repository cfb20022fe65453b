// `deno task eval` end to end: model mode on a freshly exported model (2 KITTI frames at quarter scale; the
// Cityscapes-format panoptic fixture), file mode on predictions equal to the fixture, and failing runs whose
// messages name the file.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../lib/runtime/backend.ts";
import { buildPanopticDeepLab } from "../lib/model/panoptic_deeplab.ts";
import { exportFloat16 } from "../lib/train/float16_export.ts";
import { FIXTURE_JSON, fixtureSample, writePredictions } from "../lib/eval/testing/round_trip.ts";
import { runTask } from "./testing/run_task.ts";

await initBackend({ force: "wasm", log: () => {} });

const inUnit = (v: unknown) => typeof v === "number" && v >= 0 && v <= 1;

/** A randomly initialised model exported as run `<dir>/tiny` at step 7. */
async function tinyRun(dir: string): Promise<string> {
  const run = join(dir, "tiny");
  const model = await buildPanopticDeepLab({ pretrained: false });
  await exportFloat16(model, join(run, "model"));
  model.dispose();
  writeFileSync(join(run, "train.jsonl"), '{"type":"step","step":7}\n');
  return run;
}

Deno.test("eval CLI, model mode: 2 frames at scale 0.25 → a record named so, with every section, scores in [0, 1]; the run's full record is left alone", async () => {
  const dir = mkdtempSync(join(tmpdir(), "eval-cli-"));
  try {
    const run = await tinyRun(dir);
    const full = '{"frames": 60}\n';
    writeFileSync(join(run, "eval-acdc_val.json"), full);
    const quick = ["--checkpoint", run, "--frames", "2", "--scale", "0.25"];
    const { code, stdout, stderr } = await runTask("eval.ts", quick);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /\| class \| IoU \| iIoU \|/);
    assert.match(stdout, /\| class \| PQ \| SQ \| RQ \| TP \| FP \| FN \|/);
    assert.match(stdout, /\| class \| AP \| AP50 \|/);
    assert.equal(readFileSync(join(run, "eval-acdc_val.json"), "utf8"), full);
    const out = join(run, "eval-acdc_val-frames2-scale0.25.json");
    assert.match(stdout, new RegExp(`record written to ${out}`));
    const record = JSON.parse(readFileSync(out, "utf8"));
    assert.deepEqual(Object.keys(record).sort(), [
      "attribution",
      "createdAt",
      "frames",
      "ikaProtocol",
      "instance",
      "instanceFrames",
      "instanceSource",
      "panoptic",
      "perFrame",
      "schemes",
      "secondsPerFrame",
      "semantic",
      "source",
    ]);
    assert.deepEqual([record.source.step, record.source.checkpoint], [7, join(run, "model")]);
    assert.deepEqual([record.frames, record.instanceFrames, record.perFrame.length], [2, 2, 2]);
    assert.equal(
      record.instanceSource,
      "pseudo labels (data/kitti-instances)",
      "the real KITTI folder has no instance/",
    );
    assert.match(stdout, /2 frames \(2 with instance labels from pseudo labels \(data\/kitti-instances\)\)/);
    assert.equal(record.semantic.perClass.length, 19);
    for (const v of [record.semantic.miou, record.semantic.pixelAccuracy, record.schemes.acdc30.miou]) {
      assert.ok(inUnit(v), `score ${v}`);
    }
    assert.ok(inUnit(record.schemes.ika12.miou) && inUnit(record.panoptic.all.pq) && inUnit(record.instance.ap));
    assert.ok(inUnit(record.ikaProtocol.miou) && record.ikaProtocol.perClass.length === 30);
    assert.match(stdout, /ika's protocol \(frames resized to 368x1248, .*\): ACDC-30 mIoU \d\.\d{3} over \d+ classes/);
    assert.ok(record.semantic.perClass.every((c: { iou: number | null }) => c.iou === null || inUnit(c.iou)));
    assert.ok(record.secondsPerFrame > 0);
    assert.match(record.attribution, /Geiger/);
    // The same evaluation with the network in two inference workers scores the same.
    const pooled = join(dir, "pooled.json");
    const two = await runTask("eval.ts", [...quick, "--workers", "2", "--out", pooled]);
    assert.equal(two.code, 0, two.stderr);
    const again = JSON.parse(readFileSync(pooled, "utf8"));
    for (const key of ["semantic", "schemes", "ikaProtocol", "panoptic", "instance"]) {
      assert.deepEqual(again[key], record[key], key);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("eval CLI, model mode on a panoptic JSON: PQ against its segments, no ika schemes; missing images named", async () => {
  const dir = mkdtempSync(join(tmpdir(), "eval-cli-"));
  try {
    const run = await tinyRun(dir);
    const { code, stderr } = await runTask("eval.ts", ["--checkpoint", run, "--data", FIXTURE_JSON, "--scale", "0.25"]);
    assert.equal(code, 0, stderr);
    const record = JSON.parse(readFileSync(join(run, "eval-cityscapes_panoptic_dummy_trainId-scale0.25.json"), "utf8"));
    assert.deepEqual(
      [record.frames, record.instanceFrames, record.schemes, record.ikaProtocol, record.attribution],
      [1, 1, null, null, null],
    );
    assert.equal(record.source.split, "cityscapes_panoptic_dummy_trainId");
    assert.ok(inUnit(record.semantic.miou) && inUnit(record.panoptic.all.pq) && inUnit(record.instance.ap));

    const noImages = await runTask("eval.ts", [
      "--checkpoint",
      run,
      "--data",
      FIXTURE_JSON,
      "--images",
      join(dir, "nowhere"),
    ]);
    assert.equal(noImages.code, 1);
    assert.match(noImages.stderr, /nowhere: image folder of .*cityscapes_panoptic_dummy_trainId\.json not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("eval CLI, file mode: panoptic round trip scores PQ 1; a panoptic id missing from the JSON fails", async () => {
  const dir = mkdtempSync(join(tmpdir(), "eval-cli-"));
  try {
    const pred = await writePredictions(dir, [await fixtureSample()]);
    const out = join(dir, "eval.json");
    const ok = await runTask("eval.ts", ["--gt", FIXTURE_JSON, "--pred", pred.panoptic, "--out", out]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Panoptic quality: PQ 1\.000/);
    const record = JSON.parse(readFileSync(out, "utf8"));
    assert.deepEqual([record.source.task, record.panoptic.all.pq, record.semantic], ["panoptic", 1, null]);

    const json = JSON.parse(readFileSync(pred.panoptic, "utf8"));
    json.annotations[0].segments_info.pop();
    writeFileSync(pred.panoptic, JSON.stringify(json));
    const bad = await runTask("eval.ts", ["--gt", FIXTURE_JSON, "--pred", pred.panoptic, "--out", out]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /eval: .*panoptic\/dummy_000000_000000\.png .*is in the map but not in the segment list/);
    const missing = await runTask("eval.ts", ["--checkpoint", join(dir, "none")]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /none: no such checkpoint or model folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
