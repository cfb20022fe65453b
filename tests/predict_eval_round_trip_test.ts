// Round trip: `deno task predict` on the Cityscapes-format fixture frame writes panoptic.json into its folder, and
// `deno task eval --gt <panoptic json> --pred <that folder>` scores it, with the PQ model mode measures; a later
// prediction into the same folder adds its frame to panoptic.json.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../lib/runtime/backend.ts";
import { evaluateCheckpoint } from "../lib/eval/model_eval.ts";
import { FIXTURE, FIXTURE_JSON, FIXTURE_NAME, PROJECT } from "../lib/eval/testing/round_trip.ts";
import { runTask } from "./testing/run_task.ts";
import { exportUntrainedModel } from "./testing/untrained_model.ts";

await initBackend({ force: "wasm", log: () => {} });

Deno.test("predict → eval --gt <panoptic json> --pred <predict folder>: a PQ record equal to model mode's", async () => {
  const dir = mkdtempSync(join(tmpdir(), "predict-eval-"));
  try {
    const modelDir = await exportUntrainedModel(dir);
    const out = join(dir, "predictions");
    const image = join(FIXTURE, "leftImg8bit", `${FIXTURE_NAME}_leftImg8bit.png`);
    const predicted = await runTask("predict.ts", [
      image,
      "--checkpoint",
      modelDir,
      "--out",
      out,
      "--scale",
      "0.5",
    ]);
    assert.equal(predicted.code, 0, predicted.stderr);

    const recordPath = join(dir, "eval.json");
    const scored = await runTask("eval.ts", ["--gt", FIXTURE_JSON, "--pred", out, "--out", recordPath]);
    assert.equal(scored.code, 0, scored.stderr);
    assert.match(scored.stdout, /Panoptic quality: PQ /);
    const record = JSON.parse(readFileSync(recordPath, "utf8"));
    assert.deepEqual([record.source.task, record.source.predFormat, record.frames], ["panoptic", "coco-panoptic", 1]);
    assert.ok(record.panoptic.all.pq >= 0 && record.panoptic.all.pq <= 1);

    const { record: direct } = await evaluateCheckpoint({
      checkpoint: modelDir,
      data: FIXTURE_JSON,
      split: "acdc_val",
      instances: null,
      frames: 0,
      scale: 0.5,
    });
    assert.deepEqual(record.panoptic.all, direct.panoptic!.all);

    // A later prediction into the folder adds its frame to panoptic.json and keeps the earlier one.
    const kitti = join(PROJECT, "data", "kitti", "image_2", "000000_10.png");
    const again = await runTask("predict.ts", [
      kitti,
      "--checkpoint",
      modelDir,
      "--out",
      out,
      "--scale",
      "0.25",
    ]);
    assert.equal(again.code, 0, again.stderr);
    const json = JSON.parse(readFileSync(join(out, "panoptic.json"), "utf8"));
    assert.deepEqual(json.annotations.map((a: { image_id: string }) => a.image_id), ["000000_10", FIXTURE_NAME]);
    assert.deepEqual(json.images.map((im: { file_name: string }) => im.file_name), [
      "000000_10.png",
      `${FIXTURE_NAME}_leftImg8bit.png`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
