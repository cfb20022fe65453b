import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readKittiLabelIds, readKittiSplit } from "../data/datasets/kitti.ts";
import { writePng } from "../io/image_io.ts";
import {
  TINY_HEIGHT,
  TINY_WIDTH,
  tinyLabelIds,
  writeTinyInstances,
  writeTinyKitti,
} from "../data/datasets/testing/tiny_kitti.ts";
import { panopticPngDir, writeLabelIdsPng, writePanopticJson, writePanopticPng } from "./export.ts";
import { evaluateFiles, type FileEvalOptions } from "./file_eval.ts";
import { recordTables } from "./record.ts";
import {
  FIXTURE_JSON,
  fixtureSample,
  KITTI,
  KITTI_INSTANCES,
  kittiSamples,
  writeGtFine,
  writePredictions,
} from "./testing/round_trip.ts";

const base = { task: null, split: null, frames: 0, instances: null } satisfies Partial<FileEvalOptions>;

function withTempDir(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "file-eval-test-"));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

Deno.test(
  "file eval: predictions equal to the Cityscapes-format fixture score mIoU 1, AP 1, PQ 1; wrong ones score lower",
  withTempDir(async (dir) => {
    const sample = await fixtureSample();
    const gtFine = await writeGtFine(join(dir, "gt"), sample);
    const pred = await writePredictions(join(dir, "pred"), [sample]);

    const semantic = await evaluateFiles({ ...base, gt: gtFine, pred: pred.semantic });
    assert.deepEqual([semantic.source.kind, semantic.frames], ["files", 1]);
    assert.equal(semantic.semantic!.miou, 1);
    assert.equal(semantic.semantic!.miiou, 1, "iIoU from the instanceIds");
    assert.equal(semantic.semantic!.pixelAccuracy, 1);
    assert.equal(semantic.instance, null);
    assert.equal(semantic.schemes!.ika12.miou, 1);

    const instance = await evaluateFiles({ ...base, gt: gtFine, pred: pred.instance });
    assert.deepEqual([instance.instance!.ap, instance.instance!.ap50], [1, 1]);
    assert.equal(instance.instance!.perClass.find((c) => c.name === "car")!.ap, 1);

    const panoptic = await evaluateFiles({ ...base, gt: FIXTURE_JSON, pred: pred.panoptic });
    assert.equal(panoptic.source.kind === "files" && panoptic.source.task, "panoptic");
    assert.deepEqual([panoptic.panoptic!.all.pq, panoptic.panoptic!.all.sq, panoptic.panoptic!.all.rq], [1, 1, 1]);
    assert.equal(panoptic.panoptic!.perClass.find((c) => c.name === "car")!.tp, 5, "five cars, the crowd one ignored");

    // Wrong: vegetation predicted as sky, the first car dropped.
    const wrong = { ...sample, semantic: sample.semantic.map((c) => (c === 8 ? 10 : c)) };
    const firstCar = Math.min(...sample.instances!.filter((k) => k > 0));
    wrong.instances = sample.instances!.map((k) => (k === firstCar ? 0 : k));
    const bad = await writePredictions(join(dir, "wrong"), [wrong]);
    const s2 = await evaluateFiles({ ...base, gt: gtFine, pred: bad.semantic });
    assert.ok(s2.semantic!.miou < 1 && s2.semantic!.perClass[8].iou === 0, `mIoU ${s2.semantic!.miou}`);
    assert.ok(s2.schemes!.ika12.miou < 1, "vegetation as sky is wrong in ika-12 too");
    const i2 = await evaluateFiles({ ...base, gt: gtFine, pred: bad.instance });
    assert.ok(i2.instance!.ap < 1 && i2.instance!.ap > 0, `AP ${i2.instance!.ap}`);
    const p2 = await evaluateFiles({ ...base, gt: FIXTURE_JSON, pred: bad.panoptic });
    assert.ok(p2.panoptic!.all.pq < 1, `PQ ${p2.panoptic!.all.pq}`);
  }),
);

Deno.test(
  "file eval: two KITTI frames (with pseudo instances) scored against labelIds and instance results",
  withTempDir(async (dir) => {
    const names = readKittiSplit(KITTI, "acdc_val").slice(0, 2);
    const samples = await kittiSamples(names);
    const pred = await writePredictions(dir, samples);
    const kitti = { ...base, gt: KITTI, split: "acdc_val", frames: 2, instances: KITTI_INSTANCES };
    const semantic = await evaluateFiles({ ...kitti, pred: pred.semantic });
    assert.equal(semantic.frames, 2);
    assert.deepEqual([semantic.semantic!.miou, semantic.semantic!.miiou], [1, 1]);
    assert.equal(semantic.schemes!.ika12.miou, 1, "ika-12 merges no class that trainIds lose");
    // ACDC-30 keeps classes trainIds lose (parking, guard rail, …): only the labelIds themselves score 1 there.
    for (const name of names) {
      const labelIds = await readKittiLabelIds(KITTI, name);
      await writePng(join(dir, "labelIds", `${name}_labelIds.png`), labelIds);
    }
    const exact = await evaluateFiles({ ...kitti, pred: join(dir, "labelIds") });
    assert.deepEqual([exact.schemes!.acdc30.miou, exact.schemes!.ika12.miou, exact.semantic!.miou], [1, 1, 1]);
    assert.match(semantic.attribution!, /KITTI.*CC BY-NC-SA 3\.0/);
    const instance = await evaluateFiles({ ...kitti, pred: pred.instance });
    assert.equal(instance.instance!.ap, 1);
    await assert.rejects(
      evaluateFiles({ ...kitti, instances: null, pred: pred.instance }),
      new RegExp(`semantic_rgb/${names[0]}\\.png: frame ${names[0]} has no instance labels`),
    );
  }),
);

Deno.test(
  "file eval: KITTI ground truth without instance maps has iIoU not available (null, printed –), not 0",
  withTempDir(async (dir) => {
    const names = readKittiSplit(KITTI, "acdc_val").slice(0, 1);
    const [sample] = await kittiSamples(names);
    // Road predicted as car: false positives of a thing class, which alone made iIoU 0 without instance weights.
    const wrong = { ...sample, semantic: sample.semantic.map((c) => (c === 0 ? 13 : c)) };
    const pred = await writePredictions(dir, [wrong]);
    const record = await evaluateFiles({ ...base, gt: KITTI, split: "acdc_val", frames: 1, pred: pred.semantic });
    assert.equal(record.instanceFrames, 0);
    assert.ok(record.semantic!.miou < 1);
    assert.equal(record.semantic!.miiou, null);
    assert.equal(record.semantic!.perClass[13].iiou, null);
    const tables = recordTables(record);
    assert.match(tables, /mIoU 0\.\d{3}, iIoU –, pixel accuracy/);
    assert.match(tables, /\| car \| 0\.\d{3} \| – \|/);
    const withInstances = await evaluateFiles({
      ...base,
      gt: KITTI,
      split: "acdc_val",
      frames: 1,
      instances: KITTI_INSTANCES,
      pred: pred.semantic,
    });
    assert.equal(typeof withInstances.semantic!.miiou, "number", "with instance maps iIoU is scored");
  }),
);

Deno.test(
  "file eval: a KITTI folder's own instance/ maps win over --instances; the record and its tables name them",
  withTempDir(async (dir) => {
    const kitti = join(dir, "kitti"), pseudo = join(dir, "pseudo"), pred = join(dir, "pred");
    const names = await writeTinyKitti(kitti, "val", 2);
    await writeTinyInstances(kitti, pseudo, names);
    for (const [k, name] of names.entries()) {
      const labelIds = { data: tinyLabelIds(k), width: TINY_WIDTH, height: TINY_HEIGHT, channels: 1 as const };
      await writePng(join(pred, `${name}_labelIds.png`), labelIds);
    }
    const record = await evaluateFiles({ ...base, gt: kitti, split: "val", instances: pseudo, pred });
    assert.deepEqual([record.instanceFrames, record.instanceSource], [2, "kitti instance maps"]);
    assert.match(recordTables(record), /2 frames \(2 with instance labels from kitti instance maps\)/);
    rmSync(join(kitti, "instance"), { recursive: true });
    const fromPseudo = await evaluateFiles({ ...base, gt: kitti, split: "val", instances: pseudo, pred });
    assert.equal(fromPseudo.instanceSource, `pseudo labels (${pseudo})`);
    const none = await evaluateFiles({ ...base, gt: kitti, split: "val", pred });
    assert.deepEqual([none.instanceFrames, none.instanceSource], [0, null]);
  }),
);

Deno.test(
  "file eval errors name the file: size mismatch, unknown labelId, panoptic id not in segments_info, missing frame",
  withTempDir(async (dir) => {
    const names = readKittiSplit(KITTI, "acdc_val").slice(0, 1);
    const kitti = { ...base, gt: KITTI, split: "acdc_val", frames: 1 };
    const predFile = join(dir, "semantic", `${names[0]}_labelIds.png`);
    await writeLabelIdsPng(predFile, new Uint8Array(12).fill(7), 4, 3);
    await assert.rejects(
      evaluateFiles({ ...kitti, pred: join(dir, "semantic") }),
      new RegExp(`${predFile} is 4x3 but .*semantic_rgb/${names[0]}\\.png is 1242x375`),
    );
    const [sample] = await kittiSamples(names);
    const unknown = sample.semantic.slice().fill(40);
    await writePng(predFile, { data: unknown, width: sample.width, height: sample.height, channels: 1 });
    await assert.rejects(
      evaluateFiles({ ...kitti, pred: join(dir, "semantic") }),
      new RegExp(`${predFile}: holds values that are not Cityscapes labelIds \\(0\\.\\.33\\): 40`),
    );
    await assert.rejects(
      evaluateFiles({ ...kitti, frames: 2, pred: join(dir, "semantic") }),
      /semantic: found no prediction for frame \d+_10/,
    );

    const fixture = await fixtureSample();
    const pred = await writePredictions(join(dir, "pan"), [fixture]);
    const json = JSON.parse(readFileSync(pred.panoptic, "utf8"));
    const dropped = json.annotations[0].segments_info.shift().id;
    writeFileSync(pred.panoptic, JSON.stringify(json));
    await assert.rejects(
      evaluateFiles({ ...base, gt: FIXTURE_JSON, pred: pred.panoptic }),
      new RegExp(
        `pan/panoptic/${fixture.name}\\.png \\(segments in .*panoptic\\.json\\): prediction segment id ` +
          `${dropped} is in the map but not in the segment list`,
      ),
    );
  }),
);

Deno.test(
  "file eval: a non-Cityscapes COCO-panoptic dataset is scored in its own categories; --split is KITTI-only",
  withTempDir(async (dir) => {
    const W = 4, H = 2;
    // category 1 "lane" (stuff), 2 "cone" (thing): two cones, one lane region
    const map = Int32Array.from([1000, 1000, 2001, 2001, 1000, 1000, 2002, 2002]);
    const categories = [{ id: 1, name: "lane", isthing: 0 }, { id: 2, name: "cone", isthing: 1 }];
    const write = async (json: string, m: Int32Array) => {
      const annotation = await writePanopticPng(panopticPngDir(json), "f", m, W, H, { toCategoryId: (c) => c });
      writePanopticJson(json, [annotation], new Map([["f", { width: W, height: H, fileName: "f.png" }]]), categories);
    };
    await write(join(dir, "gt.json"), map);
    await write(join(dir, "pred.json"), map);
    const same = await evaluateFiles({ ...base, gt: join(dir, "gt.json"), pred: join(dir, "pred.json") });
    assert.deepEqual(same.panoptic!.perClass.map((c) => [c.name, c.isThing, c.pq]), [["lane", false, 1], [
      "cone",
      true,
      1,
    ]]);
    await write(join(dir, "merged.json"), map.map((v) => (v > 2000 ? 2001 : v)));
    const merged = await evaluateFiles({ ...base, gt: join(dir, "gt.json"), pred: join(dir, "merged.json") });
    assert.equal(merged.panoptic!.things.pq, 0, "one cone covering two: IoU 0.5 is no match");
    await assert.rejects(
      evaluateFiles({ ...base, split: "acdc_val", gt: join(dir, "gt.json"), pred: join(dir, "pred.json") }),
      /gt\.json: --split and --instances apply to KITTI ground truth only \(this is coco-panoptic/,
    );
  }),
);
