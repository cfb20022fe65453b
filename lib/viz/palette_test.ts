import assert from "node:assert/strict";
import { IS_THING_TRAIN_ID, TRAIN_CLASS_NAMES, TRAIN_COLORS } from "../data/labels/cityscapes_labels.ts";
import { blend, colourDistance, heatmapColours, hsvToRgb, instanceColours, MIN_CLASS_DISTANCE } from "./palette.ts";

Deno.test("instance colours: 0 is black, ids are stable and distinct", () => {
  const c = instanceColours(new Int32Array([0, 1, 2, 1]));
  assert.deepEqual([...c.subarray(0, 3)], [0, 0, 0]);
  assert.deepEqual([...c.subarray(3, 6)], [...c.subarray(9, 12)]);
  assert.notDeepEqual([...c.subarray(3, 6)], [...c.subarray(6, 9)]);
  assert.deepEqual(hsvToRgb(0, 1, 1), [255, 0, 0]);
});

Deno.test("instance colours keep a minimum distance from every stuff (and thing) class colour", () => {
  assert.ok(MIN_CLASS_DISTANCE >= 30, "ΔE 30: clearly different colours");
  // Raw ids (instance maps) and panoptic ids (class * 1000 + k) of person and car.
  const ids = Int32Array.from([
    ...Array(300).keys(),
    ...[11000, 13000].flatMap((c) => [...Array(100).keys()].map((k) => c + k + 1)),
  ]);
  const colours = instanceColours(ids);
  for (let i = 1; i < ids.length; i++) {
    const colour = [...colours.subarray(i * 3, i * 3 + 3)] as [number, number, number];
    TRAIN_COLORS.forEach((classColour, c) => {
      const d = colourDistance(colour, classColour);
      const kind = IS_THING_TRAIN_ID[c] ? "thing" : "stuff";
      assert.ok(
        d >= MIN_CLASS_DISTANCE,
        `id ${ids[i]} ${colour} is ΔE ${d.toFixed(1)} from ${kind} ${TRAIN_CLASS_NAMES[c]}`,
      );
    });
    if (ids[i] === ids[i - 1] + 1) {
      const previous = [...colours.subarray(i * 3 - 3, i * 3)] as [number, number, number];
      assert.ok(colourDistance(colour, previous) >= 20, `ids ${ids[i - 1]} and ${ids[i]} look alike`);
    }
  }
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
