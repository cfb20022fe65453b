import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runNumpyPeer, scorePq, syntheticPqFrame, syntheticPqFrames, writePqFrames } from "./pq_peer.ts";
import { ignoreWithoutPython, TEST_PYTHON } from "./testing/python_peer.ts";

const noNumpy = await ignoreWithoutPython("numpy");

Deno.test("synthetic PQ frames are seeded and imperfect: crowd and void in the GT, partial matches", () => {
  const a = syntheticPqFrame(90, 300, 10, 7), b = syntheticPqFrame(90, 300, 10, 7);
  assert.deepEqual(a.gt.ids, b.gt.ids);
  assert.deepEqual(a.pred.segments, b.pred.segments);
  assert.ok(a.gt.segments.some((s) => s.isCrowd), "no crowd segment");
  assert.ok(a.gt.ids.includes(0), "no void pixel");
  assert.ok(!a.pred.segments.some((s) => s.isCrowd));
  const s = scorePq(syntheticPqFrames(4, 90, 300, 10));
  assert.ok(s.all.pq > 0.2 && s.all.pq < 0.95, `PQ ${s.all.pq}`);
  assert.equal(s.things.n + s.stuff.n, s.all.n);
});

Deno.test("writePqFrames: int32 GT then prediction per frame, segments_info with GT areas", () => {
  const frames = syntheticPqFrames(2, 20, 30, 3);
  const dir = mkdtempSync(join(tmpdir(), "pq-frames-"));
  try {
    writePqFrames(dir, frames, 20, 30);
    const bin = new Int32Array(readFileSync(join(dir, "frames.bin")).buffer.slice(0));
    assert.equal(bin.length, 2 * 2 * 600);
    assert.deepEqual(bin.subarray(1800, 2400), frames[1].pred.ids);
    const meta = JSON.parse(readFileSync(join(dir, "frames.json"), "utf8"));
    const seg = meta.frames[0].gt[0];
    assert.equal(seg.area, frames[0].gt.ids.filter((id) => id === seg.id).length);
    assert.equal(meta.categories.filter((c: { isthing: number }) => c.isthing).length, 8);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("the numpy peer (panopticapi's core loop) reports our PQ, SQ, RQ on the same frames", {
  ignore: noNumpy,
}, async () => {
  const frames = syntheticPqFrames(3, 80, 240, 8, 3);
  const peer = await runNumpyPeer(frames, 80, 240, 0, 1, TEST_PYTHON);
  const ours = scorePq(frames);
  assert.equal(peer.frames, 3);
  assert.ok(peer.timing.medianMs > 0);
  for (const part of ["all", "things", "stuff"] as const) {
    assert.equal(peer.scores[part].n, ours[part].n);
    for (const k of ["pq", "sq", "rq"] as const) {
      assert.ok(Math.abs(peer.scores[part][k] - ours[part][k]) < 1e-12, `${part}.${k}: ${peer.scores[part][k]}`);
    }
  }
});
