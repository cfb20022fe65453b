import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listCityscapesFrames, readCityscapesFrame } from "./cityscapes.ts";
import { listPanopticFrames, readPanopticFrame } from "./coco_panoptic.ts";
import { writePng } from "../../io/image_io.ts";
import { PANOPTIC_FRAME } from "../../testing/shared_data.ts";

const FRAME = PANOPTIC_FRAME;
const JSON_PATH = join(FRAME, "gtFine", "cityscapes_panoptic_dummy_trainId.json");

/**
 * Builds root/{leftImg8bit,gtFine}/val/dummy/ from the fixture. Its segment ids already follow the
 * instanceIds convention (26000.. cars, 26 crowd car, plain labelIds for stuff, 0 void).
 */
async function makeCityscapes(root: string) {
  const [entry] = listPanopticFrames(JSON_PATH, join(FRAME, "leftImg8bit"));
  const panoptic = await readPanopticFrame(entry.image, entry.png, entry.annotation, "trainId");
  const { width, height } = panoptic.sample;
  const ids = panoptic.segmentIds;
  const base = join(root, "gtFine", "val", "dummy", "dummy_000000_000000");
  mkdirSync(join(root, "leftImg8bit", "val", "dummy"), { recursive: true });
  copyFileSync(entry.image, join(root, "leftImg8bit", "val", "dummy", "dummy_000000_000000_leftImg8bit.png"));
  const labelIds = Uint8Array.from(ids, (v) => (v >= 1000 ? Math.floor(v / 1000) : v));
  await writePng(`${base}_gtFine_labelIds.png`, { data: labelIds, width, height, channels: 1 });
  await writePng(`${base}_gtFine_instanceIds.png`, { data: Uint16Array.from(ids), width, height });
  return { panoptic, base };
}

function withRoot(fn: (root: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const root = mkdtempSync(join(tmpdir(), "cityscapes_test-"));
    try {
      await fn(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
}

Deno.test(
  "labelIds + instanceIds read to the same Sample as the panoptic PNG + JSON",
  withRoot(async (root) => {
    const { panoptic } = await makeCityscapes(root);
    const frames = listCityscapesFrames(root, "val");
    assert.equal(frames.length, 1);
    assert.equal(frames[0].name, "dummy_000000_000000");
    assert.ok(frames[0].instanceIds);
    const s = await readCityscapesFrame(frames[0]);
    assert.deepEqual(s.semantic, panoptic.sample.semantic);
    assert.deepEqual(s.instances, panoptic.sample.instances);
    assert.deepEqual(s.crowd, panoptic.sample.crowd);
    assert.deepEqual(s.image, panoptic.sample.image);
    assert.equal(s.instances!.reduce((m, v) => Math.max(m, v), 0), 5);
    assert.equal(s.crowd!.reduce((a, v) => a + v, 0), 6178);
  }),
);

Deno.test(
  "without instanceIds the frame has no instances",
  withRoot(async (root) => {
    const { base } = await makeCityscapes(root);
    unlinkSync(`${base}_gtFine_instanceIds.png`);
    const [frame] = listCityscapesFrames(root, "val");
    assert.equal(frame.instanceIds, null);
    const s = await readCityscapesFrame(frame);
    assert.equal(s.instances, null);
    assert.equal(s.crowd, null);
  }),
);

Deno.test(
  "bad Cityscapes input: missing pair, 16-bit labelIds, size mismatch, disagreeing instanceIds",
  withRoot(async (root) => {
    const { base } = await makeCityscapes(root);
    const [frame] = listCityscapesFrames(root, "val");
    await writePng(frame.labelIds, { data: new Uint16Array(800 * 800).fill(7), width: 800, height: 800 });
    await assert.rejects(readCityscapesFrame(frame), /_gtFine_labelIds\.png: is a 16-bit image; expected an 8-bit/);
    await writePng(frame.labelIds, { data: new Uint8Array(80 * 80).fill(7), width: 80, height: 80, channels: 1 });
    await assert.rejects(
      readCityscapesFrame(frame),
      /_gtFine_labelIds\.png is 80x80 but .*_leftImg8bit\.png is 800x800/,
    );
    await writePng(frame.labelIds, { data: new Uint8Array(800 * 800).fill(7), width: 800, height: 800, channels: 1 });
    await assert.rejects(
      readCityscapesFrame(frame),
      /_gtFine_instanceIds\.png: classes disagree with .*_gtFine_labelIds\.png at \d+ pixels/,
    );
    unlinkSync(`${base}_gtFine_labelIds.png`);
    assert.throws(
      () => listCityscapesFrames(root, "val"),
      /missing pair: .*_leftImg8bit\.png has no label .*dummy_000000_000000_gtFine_labelIds\.png/,
    );
    assert.throws(() => listCityscapesFrames(root, "train"), /leftImg8bit\/train: folder not found/);
  }),
);
