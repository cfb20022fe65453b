import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  id2rgb,
  listPanopticFrames,
  type PanopticAnnotation,
  readPanopticFrame,
  readPanopticJson,
  rgb2id,
} from "./coco_panoptic.ts";
import { TRAIN_ID_TO_LABEL_ID } from "../labels/cityscapes_labels.ts";
import { writePng } from "../../io/image_io.ts";
import { PANOPTIC_FRAME } from "../../testing/shared_data.ts";

const FRAME = PANOPTIC_FRAME;
const JSON_PATH = join(FRAME, "gtFine", "cityscapes_panoptic_dummy_trainId.json");

Deno.test("rgb2id / id2rgb round trip", () => {
  const ids = Int32Array.from([0, 7, 26000, 26, 255 + 256 * 3 + 65536 * 2]);
  assert.deepEqual(rgb2id(id2rgb(ids)), ids);
  assert.deepEqual([...id2rgb(Int32Array.from([26000]))], [26000 & 255, 26000 >> 8, 0]);
});

Deno.test("fixture frame reads back with the JSON's exact segment areas, classes, instances and crowd", async () => {
  const [entry] = listPanopticFrames(JSON_PATH, join(FRAME, "leftImg8bit"));
  assert.equal(entry.name, "dummy_000000_000000");
  assert.match(entry.image, /leftImg8bit\/dummy_000000_000000_leftImg8bit\.png$/);
  const { sample, areas } = await readPanopticFrame(entry.image, entry.png, entry.annotation, "trainId", JSON_PATH);
  const segments = entry.annotation.segments_info;
  assert.equal(segments.length, 10);
  for (const s of segments) assert.equal(areas.get(s.id), s.area, `segment ${s.id}`);
  assert.equal(areas.size, 10);
  // semantic histogram = sum of the segments' areas per category; the rest is void
  const hist = new Map<number, number>();
  for (const v of sample.semantic) hist.set(v, (hist.get(v) ?? 0) + 1);
  const expected = new Map<number, number>();
  for (const s of segments) expected.set(s.category_id, (expected.get(s.category_id) ?? 0) + s.area!);
  const labelled = segments.reduce((a, s) => a + s.area!, 0);
  if (labelled < 800 * 800) expected.set(255, 800 * 800 - labelled);
  assert.deepEqual(hist, expected);
  // five car instances numbered by ascending id, with their areas; the crowd car is the crowd mask
  const things = segments.filter((s) => s.category_id === 13 && !s.iscrowd).sort((a, b) => a.id - b.id);
  const perInstance = new Map<number, number>();
  for (const v of sample.instances!) if (v) perInstance.set(v, (perInstance.get(v) ?? 0) + 1);
  assert.deepEqual(perInstance, new Map(things.map((s, k) => [k + 1, s.area!])));
  assert.equal(sample.crowd!.reduce((a, v) => a + v, 0), segments.find((s) => s.iscrowd)!.area);
});

Deno.test("labelId category ids give the same Sample as trainId ones", async () => {
  const [entry] = listPanopticFrames(JSON_PATH, join(FRAME, "leftImg8bit"));
  const asLabelIds: PanopticAnnotation = {
    ...entry.annotation,
    segments_info: entry.annotation.segments_info.map((s) => ({
      ...s,
      category_id: TRAIN_ID_TO_LABEL_ID[s.category_id],
    })),
  };
  const a = await readPanopticFrame(entry.image, entry.png, entry.annotation, "trainId");
  const b = await readPanopticFrame(entry.image, entry.png, asLabelIds, "labelId");
  assert.deepEqual(b.sample.semantic, a.sample.semantic);
  assert.deepEqual(b.sample.instances, a.sample.instances);
  const c = await readPanopticFrame(
    entry.image,
    entry.png,
    entry.annotation,
    new Map([[13, 13], [8, 8], [10, 10], [2, 2], [0, 0]]),
  );
  assert.deepEqual(c.sample.semantic, a.sample.semantic);
});

Deno.test("bad panoptic input: id not in JSON, segment not in PNG, unknown category, bad JSON, missing image", async () => {
  const dir = mkdtempSync(join(tmpdir(), "coco_panoptic_test-"));
  try {
    const ids = Int32Array.from([7, 7, 26000, 99]);
    const png = join(dir, "a_gtFine_panoptic.png");
    await writePng(png, { data: id2rgb(ids), width: 2, height: 2, channels: 3 });
    const image = join(dir, "a.png");
    await writePng(image, { data: new Uint8Array(12), width: 2, height: 2, channels: 3 });
    const ann = (segments: PanopticAnnotation["segments_info"]): PanopticAnnotation => ({
      image_id: "a",
      file_name: "a_gtFine_panoptic.png",
      segments_info: segments,
    });
    const road = { id: 7, category_id: 0 }, car = { id: 26000, category_id: 13 };
    await assert.rejects(
      readPanopticFrame(image, png, ann([road, car]), "trainId", "p.json"),
      /a_gtFine_panoptic\.png: segment ids not in the segments_info of p\.json: 99 × 1 px/,
    );
    await assert.rejects(
      readPanopticFrame(
        image,
        png,
        ann([road, car, { id: 99, category_id: 8 }, { id: 5, category_id: 2 }]),
        "trainId",
        "p.json",
      ),
      /a_gtFine_panoptic\.png: segments 5 listed in p\.json do not occur in the PNG/,
    );
    await assert.rejects(
      readPanopticFrame(image, png, ann([road, car, { id: 99, category_id: 40 }]), "trainId", "p.json"),
      /p\.json \(a_gtFine_panoptic\.png\): category_id 40 is not a Cityscapes trainId/,
    );
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ nope");
    assert.throws(() => readPanopticJson(bad), /bad\.json: not valid JSON/);
    writeFileSync(bad, JSON.stringify({ annotations: [ann([{ id: 7 } as never])] }));
    assert.throws(() => readPanopticJson(bad), /bad\.json: a segment of a_gtFine_panoptic\.png lacks an integer id/);
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify({ annotations: [ann([road])] }));
    mkdirSync(join(dir, "images"));
    assert.throws(
      () => listPanopticFrames(good, join(dir, "images")),
      /missing pair: .*a_gtFine_panoptic\.png has no image under/,
    );
    copyFileSync(image, join(dir, "images", "a_leftImg8bit.png"));
    assert.equal(listPanopticFrames(good, join(dir, "images"))[0].image, join(dir, "images", "a_leftImg8bit.png"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
