import assert from "node:assert/strict";
import { blend, heatmapColours, hsvToRgb, instanceColours } from "./palette.ts";

Deno.test("instance colours: 0 is black, ids are stable and distinct", () => {
  const c = instanceColours(new Int32Array([0, 1, 2, 1]));
  assert.deepEqual([...c.subarray(0, 3)], [0, 0, 0]);
  assert.deepEqual([...c.subarray(3, 6)], [...c.subarray(9, 12)]);
  assert.notDeepEqual([...c.subarray(3, 6)], [...c.subarray(6, 9)]);
  assert.deepEqual(hsvToRgb(0, 1, 1), [255, 0, 0]);
});

Deno.test("heatmap colours get brighter with the value and clamp", () => {
  const c = heatmapColours(new Float32Array([0, 0.25, 0.5, 0.75, 1, 2]));
  const lum = (k: number) => c[k * 3] + c[k * 3 + 1] + c[k * 3 + 2];
  for (let k = 1; k < 5; k++) assert.ok(lum(k) > lum(k - 1));
  assert.deepEqual([...c.subarray(12, 15)], [...c.subarray(15, 18)]);
});

Deno.test("blend mixes only masked pixels", () => {
  const out = blend(new Uint8Array([0, 0, 0, 100, 100, 100]), new Uint8Array([200, 200, 200, 200, 200, 200]), 0.5, [
    1,
    0,
  ]);
  assert.deepEqual([...out], [100, 100, 100, 100, 100, 100]);
});
