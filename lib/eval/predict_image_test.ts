import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { initBackend } from "../runtime/backend.ts";
import { labelIdsToTrainIds, THING_TRAIN_IDS, TRAIN_COLORS } from "../data/labels/cityscapes_labels.ts";
import { rgb2id } from "../data/datasets/coco_panoptic.ts";
import { readGray, readImageSize, readRgb } from "../io/image_io.ts";
import { sceneSample } from "../data/datasets/synthetic.ts";
import { buildTargets } from "../data/pipeline/targets.ts";
import { panopticFromHeads } from "../postprocess/panoptic.ts";
import { buildPanopticDeepLab } from "../model/panoptic_deeplab.ts";
import {
  MAX_PREDICT_PIXELS,
  predictImage,
  predictImages,
  predictionFiles,
  predictionSize,
  type SegmentEntry,
  writePrediction,
} from "./predict_image.ts";

await initBackend({ force: "wasm", log: () => {} });
const KITTI_IMAGE = fileURLToPath(new URL("../../data/kitti/image_2/000000_10.png", import.meta.url));

function withTempDir(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "predict-test-"));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Pixel count per segment id of a COCO-panoptic PNG. */
async function pngAreas(path: string): Promise<Map<number, number>> {
  const ids = rgb2id((await readRgb(path)).data);
  const areas = new Map<number, number>();
  for (const id of ids) areas.set(id, (areas.get(id) ?? 0) + 1);
  return areas;
}

Deno.test(
  "predictImage on a KITTI frame: all files written; segments cover the frame and match the panoptic PNG",
  withTempDir(async (dir) => {
    const model = await buildPanopticDeepLab({ pretrained: false });
    const result = await predictImage(model, KITTI_IMAGE, dir, { scale: 0.25, checkpoint: "test" });
    model.dispose();
    for (const file of Object.values(result.files)) assert.ok(existsSync(file), file);
    assert.deepEqual(result.files, predictionFiles(dir, KITTI_IMAGE));
    for (const [stage, s] of Object.entries(result.seconds)) assert.ok(s > 0, `${stage}: ${s} s`);
    const record = JSON.parse(readFileSync(result.files.segments, "utf8"));
    assert.deepEqual([record.width, record.height, record.checkpoint], [1242, 375, "test"]);
    const segments: SegmentEntry[] = record.segments;
    assert.equal(segments.reduce((s, e) => s + e.area, 0), 1242 * 375);
    const areas = await pngAreas(result.files.panoptic);
    assert.deepEqual(new Map(segments.map((s) => [s.id, s.area])), areas);
    for (const s of segments.filter((s) => s.id !== 0)) {
      assert.equal(Math.floor(s.id / 1000), s.labelId);
      assert.equal(s.isThing, THING_TRAIN_IDS.includes(s.trainId));
    }
    const overlay = await readImageSize(result.files.overlay);
    assert.ok(overlay.width === 1242 && overlay.height > 375, "the frame, and its class legend below");
    const semantic = (await readRgb(result.files.semantic)).data;
    const labelIds = (await readGray(result.files.labelIds)).data;
    const semanticTrainIds = labelIdsToTrainIds(labelIds);
    assert.ok(semanticTrainIds.every((t) => t < 19), "every pixel has one of the 19 classes");
    const palette = new Set(TRAIN_COLORS.map((c) => c.join()));
    for (let p = 0; p < semantic.length; p += 3 * 997) assert.ok(palette.has(semantic.slice(p, p + 3).join()));
  }),
);

Deno.test(
  "writePrediction: things carry their instance score, stuff none, void is segment 0",
  withTempDir(async (dir) => {
    const H = 40, W = 60;
    const sample = sceneSample("cars", H, W, [
      { y: 5, x: 5, height: 12, width: 12, trainId: 13 },
      { y: 5, x: 30, height: 12, width: 12, trainId: 13 },
    ]);
    const t = buildTargets(sample);
    const prediction = panopticFromHeads({ classes: sample.semantic }, t.center, t.offsets, H, W, {
      thingClasses: THING_TRAIN_IDS,
      stuffAreaLimit: 1,
    });
    for (let i = 0; i < W; i++) prediction.panoptic[i] = 255000; // first row void
    const segments = await writePrediction(predictionFiles(dir, "x.png"), sample.image, prediction);
    assert.deepEqual(segments.map((s) => [s.id, s.className, s.score !== null]), [
      [0, "void", false],
      [7000, "road", false],
      [26001, "car", true],
      [26002, "car", true],
    ]);
    assert.deepEqual(segments.map((s) => s.area), [W, H * W - W - 288, 144, 144]);
    assert.equal(segments[2].score, prediction.instances[0].score);
    assert.deepEqual(segments[2].bbox, [5, 5, 12, 12]);
  }),
);

Deno.test("predictionSize: images up to MAX_PREDICT_PIXELS keep their size, larger ones keep their aspect", () => {
  assert.deepEqual(predictionSize({ width: 2048, height: 1024 }), { width: 2048, height: 1024 });
  const photo = predictionSize({ width: 4000, height: 3000 });
  assert.ok(photo.width * photo.height <= MAX_PREDICT_PIXELS);
  assert.ok((photo.width + 1) * (photo.height + 1) > MAX_PREDICT_PIXELS);
  assert.ok(Math.abs(photo.width / photo.height - 4 / 3) < 0.002);
});

Deno.test(
  "predictImages overlaps decoding and writing with the network: same files as predictImage, in order; a bad file " +
    "fails after the previous image's outputs are written",
  withTempDir(async (dir) => {
    const model = await buildPanopticDeepLab({ pretrained: false });
    const second = fileURLToPath(new URL("../../data/kitti/image_2/000001_10.png", import.meta.url));
    const one = await predictImage(model, second, join(dir, "one"), { scale: 0.25 });
    const order: string[] = [];
    const results = new Map<string, SegmentEntry[]>();
    await predictImages(model, [KITTI_IMAGE, second], join(dir, "both"), { scale: 0.25 }, (image, r) => {
      order.push(image);
      results.set(image, r.segments);
      for (const file of Object.values(r.files)) assert.ok(existsSync(file), file);
    });
    assert.deepEqual(order, [KITTI_IMAGE, second]);
    assert.deepEqual(results.get(second), one.segments);
    assert.deepEqual(
      readFileSync(one.files.panoptic),
      readFileSync(predictionFiles(join(dir, "both"), second).panoptic),
    );
    const written: string[] = [];
    await assert.rejects(
      () =>
        predictImages(model, [KITTI_IMAGE, join(dir, "missing.png")], join(dir, "bad"), { scale: 0.25 }, (image) => {
          written.push(image);
        }),
      /missing\.png/,
    );
    assert.deepEqual(written, [KITTI_IMAGE]);
    model.dispose();
  }),
);
