import assert from "node:assert/strict";
import sharp from "sharp";
import { TRAIN_COLORS } from "../data/labels/cityscapes_labels.ts";
import type { PanopticPrediction, PredictedInstance } from "../postprocess/panoptic.ts";
import { imageGrid } from "./grid.ts";
import { overlaps } from "./label_placement.ts";
import {
  DEFAULT_SCORE_THRESHOLD,
  ERROR_COLOURS,
  errorMap,
  instanceLabelBoxes,
  panopticLegend,
  panopticOverlay,
} from "./panoptic_overlay.ts";
import { panopticFigure, panopticTile } from "./panoptic_figure.ts";

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
    centerScore: 0.9,
    center: { y: 1, x: 2 },
    pixels: new Uint32Array([2, 3, 7, 8]),
  }],
};

Deno.test("panopticOverlay: stuff in its class colour, instance outlined, void untouched", () => {
  const image = new Uint8Array(10 * 3).fill(100);
  const out = panopticOverlay(image, prediction, { alpha: 1 }).data;
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

/** A 120x60 prediction of vertical bands (panoptic ids of columns [from, to)) and instances with these scores. */
function bands(spec: [number, number, number][], scores: Record<number, number>): PanopticPrediction {
  const width = 120, height = 60;
  const panoptic = new Int32Array(width * height);
  for (let p = 0; p < panoptic.length; p++) panoptic[p] = spec.find(([, , to]) => p % width < to)![0];
  const instances = Object.entries(scores).map(([id, score]): PredictedInstance => {
    const pixels = Uint32Array.from(panoptic.keys()).filter((p) => panoptic[p] === Number(id));
    const xs = [...pixels].map((p) => p % width);
    const center = { y: height / 2, x: (Math.min(...xs) + Math.max(...xs)) / 2 };
    return {
      panopticId: Number(id),
      classId: Math.floor(Number(id) / 1000),
      score,
      centerScore: score,
      center,
      pixels,
    };
  });
  return { width, height, panoptic, semantic: Uint8Array.from(panoptic, (v) => Math.floor(v / 1000)), instances };
}

// road | sidewalk | car 0.87 | person 0.10 | void | road.
const scene = bands(
  [[0, 0, 20], [1000, 20, 40], [13001, 40, 70], [11001, 70, 100], [255000, 100, 110], [0, 110, 120]],
  { 13001: 0.87, 11001: 0.1 },
);
const measure = (text: string) => 6 * text.length;

Deno.test("panopticLegend lists exactly the classes in the frame, stuff and things, in their class colours", () => {
  assert.deepEqual(panopticLegend(scene), [
    { colour: TRAIN_COLORS[0], label: "road" },
    { colour: TRAIN_COLORS[1], label: "sidewalk" },
    { colour: TRAIN_COLORS[11], label: "person" },
    { colour: TRAIN_COLORS[13], label: "car (1 shown)" },
  ]);
  assert.deepEqual(panopticLegend(scene, { scoreThreshold: 0 }).map((e) => e.label).slice(2), [
    "person (1 shown)",
    "car (1 shown)",
  ]);
  const figure = panopticFigure(new Uint8Array(120 * 60 * 3), scene);
  assert.ok(figure.width === 120 && figure.height > 60, "the legend strip is drawn below the frame");
});

Deno.test("instances below the score threshold get no colour of their own, no contour and no label", () => {
  assert.ok(DEFAULT_SCORE_THRESHOLD > 0.1);
  const image = new Uint8Array(120 * 60 * 3).fill(100);
  const px = (data: Uint8Array, x: number, y: number) => [...data.slice((y * 120 + x) * 3, (y * 120 + x) * 3 + 3)];
  const hidden = panopticOverlay(image, scene, { alpha: 1 }).data;
  assert.deepEqual(px(hidden, 99, 0), [...TRAIN_COLORS[11]], "person edge next to void: class colour, no contour");
  assert.deepEqual(px(hidden, 85, 30), [...TRAIN_COLORS[11]], "person inside: class colour");
  assert.deepEqual(px(hidden, 69, 30), [0, 0, 0], "the shown car keeps its contour");
  assert.deepEqual(instanceLabelBoxes(scene, measure, 10).map((b) => b.text), ["car 0.87"]);

  const all = panopticOverlay(image, scene, { alpha: 1, scoreThreshold: 0.05 }).data;
  assert.deepEqual(px(all, 99, 0), [0, 0, 0], "at a lower threshold the person is outlined");
  assert.notDeepEqual(px(all, 85, 30), [...TRAIN_COLORS[11]], "and has its own colour");
  assert.deepEqual(instanceLabelBoxes(scene, measure, 10, { scoreThreshold: 0.05 }).map((b) => b.text), [
    "car 0.87",
    "person 0.10",
  ]);
});

Deno.test("instance labels never overlap on a crowded frame: small or crowded ones move or are dropped", () => {
  // 40 instances with centres within 40x12 px of a 120x60 frame, labels 50-70 px wide.
  const crowd = bands([[0, 0, 120]], {});
  crowd.instances = Array.from({ length: 40 }, (_, k): PredictedInstance => ({
    panopticId: 13001 + k,
    classId: k % 2 ? 13 : 11,
    score: 0.3 + (k % 7) / 10,
    centerScore: 1,
    center: { x: 40 + ((k * 13) % 40), y: 20 + ((k * 5) % 12) },
    pixels: new Uint32Array([k]),
  }));
  const boxes = instanceLabelBoxes(crowd, measure, 10);
  assert.ok(boxes.length > 1 && boxes.length < 40, `${boxes.length} labels placed`);
  assert.equal(boxes[0].text, "person 0.90", "the highest score is placed first");
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      assert.ok(!overlaps(boxes[i].rect, boxes[j].rect), `"${boxes[i].text}" overlaps "${boxes[j].text}"`);
    }
  }
});

Deno.test("errorMap marks correct, wrong and ignored pixels", () => {
  const { data } = errorMap(new Uint8Array([1, 2, 255]), new Uint8Array([1, 3, 4]), 3, 1);
  assert.deepEqual([...data], [...ERROR_COLOURS.correct, ...ERROR_COLOURS.wrong, ...ERROR_COLOURS.ignored]);
  assert.throws(() => errorMap(new Uint8Array(3), new Uint8Array(2), 3, 1), /expected 3x1/);
});
