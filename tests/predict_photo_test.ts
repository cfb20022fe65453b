// `deno task predict` on real photos: a 12-megapixel JPEG is predicted scaled down to 2048·1024 pixels (said
// in the output and recorded in the segments JSON), and two inputs with the same name are refused before any work.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { readImageSize } from "../lib/io/image_io.ts";
import { KITTI } from "../lib/eval/testing/round_trip.ts";
import { runTask } from "./testing/run_task.ts";

Deno.test("predict CLI on a 12-megapixel JPEG: scaled down (said in the output and the segments JSON), < 3 GB", async () => {
  const dir = mkdtempSync(join(tmpdir(), "predict-photo-"));
  try {
    const photo = join(dir, "photo.jpg");
    await sharp(join(KITTI, "image_2", "000000_10.png")).resize(4000, 3000, { fit: "fill" }).jpeg().toFile(photo);
    const out = join(dir, "out");
    // The final model (runs/final, read only): a trained model's instances are what a real photo costs.
    const run = await runTask("predict.ts", [photo, "--out", out]);
    assert.equal(run.code, 0, run.stderr);
    if (run.peakBytes !== null) assert.ok(run.peakBytes < 3 * 2 ** 30, `peak memory ${run.peakBytes} bytes`);
    // 4000x3000 scaled to at most 2048·1024 pixels (lib/eval/predict_image.ts: MAX_PREDICT_PIXELS).
    const size = { width: 1672, height: 1254 };
    assert.match(run.stdout, new RegExp(`photo\\.jpg: scaled 4000x3000 → ${size.width}x${size.height}`));
    const record = JSON.parse(readFileSync(join(out, "photo_segments.json"), "utf8"));
    assert.deepEqual([record.width, record.height], [size.width, size.height]);
    assert.deepEqual(record.source, { width: 4000, height: 3000 });
    assert.equal(record.sourceScale, size.width / 4000);
    for (const suffix of ["panoptic", "semantic", "labelIds"]) {
      assert.deepEqual(await readImageSize(join(out, `photo_${suffix}.png`)), size, suffix);
    }
    const overlay = await readImageSize(join(out, "photo_overlay.png"));
    assert.equal(overlay.width, size.width, "overlay width");
    assert.ok(overlay.height > size.height, "the overlay has the class legend below the frame");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("predict CLI: two images with the same name are an error naming both, before any work", async () => {
  const dir = mkdtempSync(join(tmpdir(), "predict-clash-"));
  try {
    mkdirSync(join(dir, "a"));
    mkdirSync(join(dir, "b"));
    const first = join(dir, "a", "x.png"), second = join(dir, "b", "x.jpg");
    const frame = sharp(join(KITTI, "image_2", "000000_10.png"));
    await frame.clone().png().toFile(first);
    await frame.clone().jpeg().toFile(second);
    const out = join(dir, "out");
    // No model at --checkpoint: loading one (work) would fail with exit 1.
    const run = await runTask("predict.ts", [first, second, "--checkpoint", join(dir, "none"), "--out", out]);
    assert.equal(run.code, 2, run.stderr);
    const [line] = run.stderr.split("\n");
    assert.equal(
      line,
      `predict: ${first} and ${second} have the same name (x): their outputs would overwrite each other (rename ` +
        "one, or predict them into separate --out folders)",
    );
    assert.equal(run.stdout, "");
    assert.ok(!existsSync(out), "nothing written");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
