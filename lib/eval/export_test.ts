import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listCityscapesFrames, readCityscapesFrame } from "../data/datasets/cityscapes.ts";
import { listPanopticFrames, readPanopticFrame, readPanopticJson } from "../data/datasets/coco_panoptic.ts";
import { writePng } from "../io/image_io.ts";
import {
  panopticPngDir,
  readInstanceResults,
  writeInstanceResults,
  writeLabelIdsPng,
  writePanopticJson,
  writePanopticPng,
} from "./export.ts";

const W = 6, H = 2;
const NAME = "city_000000_000001";

function withTempDir(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "export-test-"));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String);
}

async function writeImage(path: string) {
  await writePng(path, { data: new Uint8Array(W * H * 3).fill(90), width: W, height: H, channels: 3 });
}

Deno.test(
  "export: semantic labelIds PNG reads back through the Cityscapes reader",
  withTempDir(async (dir) => {
    const trainIds = Uint8Array.from([0, 1, 13, 255, 18, 10, 11, 11, 2, 255, 5, 0]);
    await writeImage(join(dir, "leftImg8bit/val/city", `${NAME}_leftImg8bit.png`));
    await writeLabelIdsPng(join(dir, "gtFine/val/city", `${NAME}_gtFine_labelIds.png`), trainIds, W, H);
    const [frame] = listCityscapesFrames(dir, "val");
    const sample = await readCityscapesFrame(frame);
    assert.deepEqual(Array.from(sample.semantic), Array.from(trainIds));
    assert.ok(allFiles(dir).every((f) => !f.includes(".tmp-")), "no temp files left");
    await assert.rejects(() => writeLabelIdsPng(join(dir, "x.png"), trainIds, W, 3), /12 pixels do not make a 6x3/);
  }),
);

Deno.test(
  "export: instance .txt + masks read back with labelIds, scores and masks",
  withTempDir(async (dir) => {
    const instances = [
      { classId: 13, score: 0.875, pixels: Uint32Array.from([0, 1, 6, 7]) },
      { classId: 11, score: 0.25, pixels: Uint32Array.from([11]) },
    ];
    const txt = await writeInstanceResults(dir, NAME, instances, W, H);
    assert.equal(
      readFileSync(txt, "utf8"),
      `masks/${NAME}_0.png 26 0.875\nmasks/${NAME}_1.png 24 0.25\n`,
    );
    const back = await readInstanceResults(txt);
    assert.deepEqual(back.map((p) => [p.classId, p.score, Array.from(p.pixels)]), [
      [26, 0.875, [0, 1, 6, 7]],
      [24, 0.25, [11]],
    ]);
    assert.equal((await readInstanceResults(txt, { width: W, height: H, file: "gt.png" })).length, 2);
    await assert.rejects(
      () => readInstanceResults(txt, { width: W - 1, height: H, file: "gt.png" }),
      new RegExp(`masks/${NAME}_0\\.png is ${W}x${H} but gt\\.png is ${W - 1}x${H}`),
    );
    assert.deepEqual(await readInstanceResults(await writeInstanceResults(dir, "empty", [], W, H)), []);
    const bad = join(dir, "bad.txt");
    Deno.writeTextFileSync(bad, "masks/a.png car 0.5\n");
    await assert.rejects(() => readInstanceResults(bad), /bad\.txt:1: expected "relPath labelID conf"/);
  }),
);

Deno.test(
  "export: COCO-panoptic PNG + JSON read back through the panoptic reader (road kept apart from void)",
  withTempDir(async (dir) => {
    // road, car #1, car #2, person #1, void, sky
    // deno-fmt-ignore
    const panoptic = Int32Array.from([
      0, 13001, 13001, 13002, 11001, 255000,
      0, 13001, 255000, 13002, 11001, 10000,
    ]);
    const jsonPath = join(dir, "results", "panoptic_val.json");
    const annotation = await writePanopticPng(panopticPngDir(jsonPath), NAME, panoptic, W, H);
    const imageName = `${NAME}_leftImg8bit.png`;
    await writeImage(join(dir, "images", imageName));
    writePanopticJson(jsonPath, [annotation], new Map([[NAME, { width: W, height: H, fileName: imageName }]]));

    const json = readPanopticJson(jsonPath);
    const segs = json.annotations[0].segments_info;
    assert.deepEqual(segs.map((s) => [s.id, s.category_id, s.area]), [
      [7000, 7, 2], // road: labelId 7, so its id is not the void id 0
      [26001, 26, 3],
      [26002, 26, 2],
      [24001, 24, 2],
      [23000, 23, 1],
    ]);
    assert.deepEqual(segs[1].bbox, [1, 0, 2, 2]);
    assert.equal(json.categories!.length, 19);

    const [entry] = listPanopticFrames(jsonPath, join(dir, "images"));
    const frame = await readPanopticFrame(entry.image, entry.png, entry.annotation, "labelId", jsonPath);
    assert.deepEqual(Array.from(frame.sample.semantic), [0, 13, 13, 13, 11, 255, 0, 13, 255, 13, 11, 10]);
    const inst = Array.from(frame.sample.instances!);
    assert.equal(new Set(inst.filter((k) => k > 0)).size, 3);
    assert.equal(inst[1], inst[2]);
    assert.equal(inst[1], inst[7]);
    assert.notEqual(inst[1], inst[3]);
    assert.ok(allFiles(dir).every((f) => !f.includes(".tmp-")), "no temp files left");
  }),
);
