// `deno task predict` end to end on one KITTI frame with a freshly exported model: the files per image, scored by
// `deno task eval`'s file mode exactly as model mode scores them (with --flip too), the same files from two inference
// workers, and a clear error for a missing image.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../lib/runtime/backend.ts";
import { KITTI } from "../lib/eval/testing/round_trip.ts";
import { evaluateFiles } from "../lib/eval/file_eval.ts";
import { evaluateCheckpoint } from "../lib/eval/model_eval.ts";
import { readKittiSplit } from "../lib/data/datasets/kitti.ts";
import { runTask } from "./testing/run_task.ts";
import { exportUntrainedModel } from "./testing/untrained_model.ts";

await initBackend({ force: "wasm", log: () => {} });

Deno.test("predict CLI: panoptic, semantic and overlay PNGs and a segments JSON covering the frame", async () => {
  const dir = mkdtempSync(join(tmpdir(), "predict-cli-"));
  try {
    const modelDir = await exportUntrainedModel(dir);
    const [name] = readKittiSplit(KITTI, "acdc_val");
    const image = join(KITTI, "image_2", `${name}.png`);
    const out = join(dir, "out");
    /** The model at scale 0.25 on `images` into `folder`, with `flags`. */
    const predict = (images: string[], folder: string, ...flags: string[]) =>
      runTask("predict.ts", [...images, "--checkpoint", modelDir, "--out", folder, "--scale", "0.25", ...flags]);
    const ok = await predict([image], out);
    assert.equal(ok.code, 0, ok.stderr);
    for (const suffix of ["panoptic.png", "semantic.png", "labelIds.png", "overlay.png", "segments.json"]) {
      assert.ok(existsSync(join(out, `${name}_${suffix}`)), suffix);
    }
    const record = JSON.parse(readFileSync(join(out, `${name}_segments.json`), "utf8"));
    const area = record.segments.reduce((s: number, e: { area: number }) => s + e.area, 0);
    assert.equal(area, record.width * record.height);
    // The files score exactly what model mode measures on the same frame at the same scale.
    const fileEval = { gt: KITTI, pred: out, task: null, split: "acdc_val", frames: 1, instances: null };
    const scored = await evaluateFiles(fileEval);
    const modelEval = { checkpoint: modelDir, data: KITTI, split: "acdc_val", instances: null, frames: 1, scale: 0.25 };
    const { record: direct } = await evaluateCheckpoint(modelEval);
    assert.equal(scored.frames, 1);
    assert.ok(scored.semantic!.miou >= 0 && scored.semantic!.miou <= 1);
    assert.deepEqual(scored.semantic!.perClass, direct.semantic!.perClass);
    assert.deepEqual(scored.schemes, direct.schemes);
    // Two images through two inference workers: the first one's files are those predicted on this thread.
    const second = join(KITTI, "image_2", `${readKittiSplit(KITTI, "acdc_val")[1]}.png`);
    const pooled = join(dir, "pooled");
    const two = await predict([image, second], pooled, "--workers", "2");
    assert.equal(two.code, 0, two.stderr);
    for (const suffix of ["panoptic.png", "labelIds.png", "overlay.png"]) {
      assert.deepEqual(
        readFileSync(join(pooled, `${name}_${suffix}`)),
        readFileSync(join(out, `${name}_${suffix}`)),
        suffix,
      );
    }
    assert.ok(existsSync(join(pooled, `${readKittiSplit(KITTI, "acdc_val")[1]}_segments.json`)));
    // With --flip the files score what model mode measures with flip, and say so.
    const flippedOut = join(dir, "flipped");
    const flipped = await predict([image], flippedOut, "--flip");
    assert.equal(flipped.code, 0, flipped.stderr);
    assert.equal(JSON.parse(readFileSync(join(flippedOut, `${name}_segments.json`), "utf8")).flip, true);
    assert.equal(record.flip, false);
    const scoredFlipped = await evaluateFiles({ ...fileEval, pred: flippedOut });
    const { record: directFlipped } = await evaluateCheckpoint({ ...modelEval, flip: true });
    assert.equal(directFlipped.source.kind === "model" && directFlipped.source.flip, true);
    assert.deepEqual(scoredFlipped.semantic!.perClass, directFlipped.semantic!.perClass);
    assert.notDeepEqual(scoredFlipped.semantic!.perClass, scored.semantic!.perClass);
    const missing = await predict([join(dir, "nope.png")], out);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /predict: .*nope\.png: file not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
