import assert from "node:assert/strict";
import sharp from "sharp";
import { TRAIN_COLORS } from "../data/cityscapes_labels.ts";
import type { PanopticPrediction } from "../postprocess/panoptic.ts";
import { imageGrid } from "./grid.ts";
import { ERROR_COLOURS, errorMap, panopticOverlay, panopticTile } from "./panoptic_overlay.ts";

// 5x2: road (0) at x 0..1, car instance 13001 at x 2..3 of both rows, void at x 4.
const prediction: PanopticPrediction = {
  width: 5,
  height: 2,
  panoptic: new Int32Array([0, 0, 13001, 13001, 255000, 0, 0, 13001, 13001, 255000]),
  semantic: new Uint8Array([0, 0, 13, 13, 0, 0, 0, 13, 13, 0]),
  instances: [{
    panopticId: 13001,
    classId: 13,
    score: 0.87,
    centreScore: 0.9,
    centre: { y: 1, x: 2 },
    pixels: new Uint32Array([2, 3, 7, 8]),
  }],
};

Deno.test("panopticOverlay: stuff in its class colour, instance outlined, void untouched", () => {
  const image = new Uint8Array(10 * 3).fill(100);
  const out = panopticOverlay(image, prediction, 1).data;
  const px = (x: number, y: number) => [...out.slice((y * 5 + x) * 3, (y * 5 + x) * 3 + 3)];
  assert.deepEqual(px(0, 1), [...TRAIN_COLORS[0]], "road pixel fully in the road colour at alpha 1");
  assert.deepEqual(px(1, 0), [0, 0, 0], "road pixel left of the car is on the instance's contour");
  assert.deepEqual(px(3, 0), [0, 0, 0], "car pixel left of void is on the contour");
  assert.deepEqual(px(4, 1), [100, 100, 100], "void pixel keeps the image");
  assert.notDeepEqual(px(2, 1), [...TRAIN_COLORS[13]], "the instance has its own colour, not the class colour");
  assert.notDeepEqual(px(2, 1), [0, 0, 0], "inner instance pixel is not on the contour");
  assert.throws(() => panopticOverlay(new Uint8Array(3), prediction), /prediction is 5x2/);
});

Deno.test("panopticTile draws the labels into a grid PNG", async () => {
  const png = await imageGrid([panopticTile(new Uint8Array(30).fill(100), prediction, "x")], {
    columns: 1,
    tileWidth: 50,
  });
  assert.equal((await sharp(png).metadata()).width, 62);
});

Deno.test("errorMap marks correct, wrong and ignored pixels", () => {
  const { data } = errorMap(new Uint8Array([1, 2, 255]), new Uint8Array([1, 3, 4]), 3, 1);
  assert.deepEqual([...data], [...ERROR_COLOURS.correct, ...ERROR_COLOURS.wrong, ...ERROR_COLOURS.ignored]);
  assert.throws(() => errorMap(new Uint8Array(3), new Uint8Array(2), 3, 1), /expected 3x1/);
});
