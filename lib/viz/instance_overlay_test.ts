import assert from "node:assert/strict";
import { evenlySpaced, instanceOverlay } from "./instance_overlay.ts";
import type { Sample } from "../data/datasets/sample.ts";

Deno.test("instanceOverlay colours instances, outlines their borders, hatches crowd and leaves stuff alone", () => {
  const width = 6, height = 2;
  const n = width * height;
  const sample: Sample = {
    name: "t",
    width,
    height,
    image: new Uint8Array(n * 3).fill(100),
    semantic: new Uint8Array(n),
    // Row 0: instance 1 at x 0..1, instance 2 at x 2; crowd at x 4..5 of both rows.
    instances: new Int32Array([1, 1, 2, 0, 0, 0, 1, 1, 2, 0, 0, 0]),
    crowd: new Uint8Array([0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1]),
  };
  const out = instanceOverlay(sample).data;
  const px = (x: number, y: number) => [...out.slice((y * width + x) * 3, (y * width + x) * 3 + 3)];
  assert.notDeepEqual(px(0, 1), [100, 100, 100], "instance pixel is tinted");
  assert.deepEqual(px(1, 1), [0, 0, 0], "border between instances 1 and 2 is outlined");
  assert.deepEqual(px(3, 0), [100, 100, 100], "stuff pixel unchanged");
  assert.deepEqual(px(5, 1), [255, 0, 255], "crowd pixel on the hatch ((x + y) % 6 < 2)");
  assert.deepEqual(px(4, 0), [100, 100, 100], "crowd pixel between hatch lines");
  assert.throws(() => instanceOverlay({ ...sample, instances: null }), /has no instance labels/);
});

Deno.test("evenlySpaced picks first, last and evenly spread names", () => {
  assert.deepEqual(evenlySpaced([0, 1, 2, 3, 4, 5, 6, 7, 8], 3), [0, 4, 8]);
  assert.deepEqual(evenlySpaced(["a", "b"], 5), ["a", "b"]);
});
