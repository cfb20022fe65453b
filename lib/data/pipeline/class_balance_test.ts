import assert from "node:assert/strict";
import type { FrameSource } from "../datasets/sources.ts";
import { sceneSample } from "../datasets/synthetic.ts";
import { classCropWeights, classPixelCounts } from "./class_balance.ts";

Deno.test("classPixelCounts sums each class over the frames, leaving ignored pixels out; weights follow power", async () => {
  const frames = [
    sceneSample("a", 4, 5, [{ y: 0, x: 0, height: 1, width: 5, trainId: 255, instance: false }], { background: 0 }),
    sceneSample("b", 4, 5, [{ y: 0, x: 0, height: 2, width: 2, trainId: 2, instance: false }], { background: 0 }),
  ];
  const source: FrameSource = {
    names: ["a", "b"],
    read: (name) => Promise.resolve(frames.find((f) => f.name === name)!),
    instanceSource: null,
  };
  const counts = await classPixelCounts(source, 3);
  assert.deepEqual(counts, [15 + 16, 0, 4]);
  assert.deepEqual(classCropWeights(counts, 0), [1, 0, 1]);
  const inverse = classCropWeights(counts, 1);
  assert.ok(Math.abs(inverse[2] / inverse[0] - 31 / 4) < 1e-12);
  assert.throws(() => classCropWeights(counts, -1), /power -1 must be ≥ 0/);
});
