import assert from "node:assert/strict";
import { mkdtempSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listIkaFrames, readIkaFrame, writeIkaFrame } from "./ika.ts";
import { writePng } from "../../io/image_io.ts";

function withDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "ika_test-"));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const image = { data: new Uint8Array(4 * 3 * 3).fill(50), width: 4, height: 3, channels: 3 as const };
const ika12 = Uint8Array.from({ length: 12 }, (_, i) => i);

Deno.test(
  "ika frames written in ika's layout read back as ika-12 ids",
  withDir(async (dir) => {
    await writeIkaFrame(dir, "2_frame_000002", image, ika12);
    await writeIkaFrame(dir, "2_frame_000001", image, ika12.map((v) => 11 - v));
    const frames = listIkaFrames(dir);
    assert.deepEqual(frames.map((f) => f.name), ["2_frame_000001", "2_frame_000002"]);
    assert.match(frames[1].label, /label\/2_frame_000002_gtFine_labelColor\.png$/);
    const f = await readIkaFrame(frames[1]);
    assert.deepEqual(f.ika12, ika12);
    assert.deepEqual(f.image, image.data);
    assert.equal(f.width, 4);
  }),
);

Deno.test(
  "bad ika input: missing pair both ways, unknown colour, size mismatch",
  withDir(async (dir) => {
    await writeIkaFrame(dir, "a", image, ika12);
    await writeIkaFrame(dir, "b", image, ika12);
    unlinkSync(join(dir, "label", "a_gtFine_labelColor.png"));
    assert.throws(() => listIkaFrames(dir), /missing pair: .*input\/a\.png has no label .*a_gtFine_labelColor\.png/);
    unlinkSync(join(dir, "input", "a.png"));
    unlinkSync(join(dir, "input", "b.png"));
    assert.throws(() => listIkaFrames(dir), /missing pair: .*b_gtFine_labelColor\.png has no image .*input\/b\.png/);
    await writePng(join(dir, "input", "b.png"), image);
    const label = join(dir, "label", "b_gtFine_labelColor.png");
    const wall = new Uint8Array(4 * 3 * 3).fill(0);
    wall.set([102, 102, 156, 102, 102, 156]);
    await writePng(label, { data: wall, width: 4, height: 3, channels: 3 });
    await assert.rejects(
      readIkaFrame(listIkaFrames(dir)[0]),
      /b_gtFine_labelColor\.png: 2 pixels .*ika-12 colour table: \(102,102,156\) × 2 px/,
    );
    await writePng(label, { data: new Uint8Array(5 * 3 * 3), width: 5, height: 3, channels: 3 });
    await assert.rejects(
      readIkaFrame(listIkaFrames(dir)[0]),
      /b_gtFine_labelColor\.png is 5x3 but .*input\/b\.png is 4x3/,
    );
  }),
);
