import assert from "node:assert/strict";
import { collate, normaliseImage, prepareSample, transferList } from "./prepare.ts";
import { sceneSample } from "../datasets/synthetic.ts";

const scene = (name: string, h = 8, w = 10) =>
  sceneSample(name, h, w, [{ y: 2, x: 2, height: 3, width: 4, trainId: 13 }]);

Deno.test("normaliseImage maps 0 → -1, 255 → 1 (MobileNetV2 input range)", () => {
  assert.deepEqual([...normaliseImage(Uint8Array.from([0, 255, 51]))], [-1, 1, Math.fround(51 / 127.5 - 1)]);
});

Deno.test("prepareSample without augmentation keeps the frame and builds its targets", () => {
  const p = prepareSample(scene("a"), { augment: null }, 0);
  assert.deepEqual([p.height, p.width, p.targetHeight, p.targetWidth], [8, 10, 8, 10]);
  assert.equal(p.center[3 * 10 + 4], 1); // centre of the 3x4 car at rows 2..4, cols 2..5 (3.5 → 4, half to even)
  assert.equal(transferList(p).length, 7);
  const strided = prepareSample(scene("a"), { augment: null, targets: { outputStride: 2 } }, 0);
  assert.deepEqual([strided.targetHeight, strided.targetWidth, strided.image.length], [4, 5, 8 * 10 * 3]);
});

Deno.test("collate stacks samples in order along a leading batch axis", () => {
  const a = prepareSample(scene("a"), { augment: null }, 0);
  const b = prepareSample(sceneSample("b", 8, 10, []), { augment: null }, 0);
  const batch = collate([a, b]);
  assert.deepEqual(batch.names, ["a", "b"]);
  assert.equal(batch.size, 2);
  assert.deepEqual(batch.image.subarray(0, a.image.length), a.image);
  assert.deepEqual(batch.offsets.subarray(a.offsets.length), b.offsets);
  assert.deepEqual(batch.semantic.subarray(0, 80), a.semantic);
});

Deno.test("collate refuses frames of different sizes, naming both", () => {
  const a = prepareSample(scene("small", 8, 10), { augment: null }, 0);
  const b = prepareSample(scene("large", 9, 10), { augment: null }, 0);
  assert.throws(() => collate([a, b]), /large is 10x9 but small is 10x8/);
  assert.throws(() => collate([]), /empty batch/);
});
