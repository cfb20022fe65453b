import assert from "node:assert/strict";
import { assignInstances, type Detection, encodeInstanceIds } from "./assign.ts";

const CAR = 13, PERSON = 11, RIDER = 12, ROAD = 0, IGNORE = 255;
const exact = { margin: 0, depthTolerance: 0.1, minArea: 1 };

/** A width x height trainId map filled with `fill`, with rectangles [x0,x1)x[y0,y1) painted. */
function scene(width: number, height: number, fill: number, rects: [number, number, number, number, number][]) {
  const map = new Uint8Array(width * height).fill(fill);
  for (const [x0, y0, x1, y1, t] of rects) {
    for (let y = y0; y < y1; y++) map.fill(t, y * width + x0, y * width + x1);
  }
  return map;
}

function box(x1: number, y1: number, x2: number, y2: number, trainId = CAR, score = 0.9): Detection {
  return { x1, y1, x2, y2, score, trainId };
}

Deno.test("two touching cars at the same depth split where their normalised centre distances meet", () => {
  // One car blob over columns 0..35, rows 10..29; boxes [0,20) and [16,36): centres 10 and 26 → split at x = 18.
  const W = 40, H = 40;
  const semantic = scene(W, H, ROAD, [[0, 10, 36, 30, CAR]]);
  const a = assignInstances(semantic, W, H, [box(0, 10, 20, 30), box(16, 10, 36, 30)], exact);
  assert.deepEqual(a.instanceTrainIds, [CAR, CAR]);
  assert.deepEqual(a.instanceDetections, [0, 1]);
  for (let y = 10; y < 30; y++) {
    for (let x = 0; x < 36; x++) assert.equal(a.instances[y * W + x], x < 18 ? 1 : 2, `pixel ${x},${y}`);
  }
  assert.equal(a.crowd.reduce((s, v) => s + v, 0), 0);
  assert.equal(a.instances[5 * W + 5], 0, "road stays without instance");
});

Deno.test("the nearer box (lower bottom) takes the overlap of two cars at different depths", () => {
  const W = 40, H = 40;
  const semantic = scene(W, H, ROAD, [[0, 10, 36, 32, CAR]]);
  // Far car [0,24)x[10,22), near car [12,36)x[12,32): the overlap columns 12..23, rows 12..21 go to the near car.
  const a = assignInstances(semantic, W, H, [box(0, 10, 24, 22), box(12, 12, 36, 32)], exact);
  assert.equal(a.instances[15 * W + 20], 2);
  assert.equal(a.instances[15 * W + 5], 1);
  assert.equal(a.instances[25 * W + 5], 0, "car pixels under no box are not an instance");
  assert.equal(a.crowd[25 * W + 5], 1, "… they are crowd");
});

Deno.test("a car with no box becomes crowd, and an incompatible box claims nothing", () => {
  const W = 30, H = 20;
  const semantic = scene(W, H, ROAD, [[2, 2, 10, 10, CAR], [15, 2, 20, 15, PERSON]]);
  const a = assignInstances(semantic, W, H, [box(15, 2, 20, 15, PERSON), box(14, 1, 21, 16, CAR)], exact);
  assert.deepEqual(a.instanceTrainIds, [PERSON]);
  for (let y = 2; y < 10; y++) {
    for (let x = 2; x < 10; x++) {
      assert.equal(a.crowd[y * W + x], 1);
      assert.equal(a.instances[y * W + x], 0);
    }
  }
  assert.equal(a.instances[5 * W + 17], 1);
  assert.equal(a.crowd.reduce((s, v) => s + v, 0), 64);
});

Deno.test("a person box claims rider pixels as a separate rider instance; tiny instances become crowd", () => {
  const W = 20, H = 20;
  const semantic = scene(W, H, IGNORE, [[0, 0, 10, 10, PERSON], [10, 0, 11, 1, RIDER]]);
  const a = assignInstances(semantic, W, H, [box(0, 0, 12, 12, PERSON)], { ...exact, minArea: 2 });
  assert.deepEqual(a.instanceTrainIds, [PERSON]);
  assert.equal(a.crowd[10], 1, "the 1-pixel rider instance is below minArea");
  const b = assignInstances(semantic, W, H, [box(0, 0, 12, 12, PERSON)], exact);
  assert.deepEqual(b.instanceTrainIds, [PERSON, RIDER]);
  assert.deepEqual(b.instanceDetections, [0, 0]);
});

Deno.test("encodeInstanceIds writes labelId*1000+k per labelId and plain labelIds elsewhere", () => {
  const labelIds = new Uint8Array([7, 26, 26, 24, 26, 0]);
  const instances = new Int32Array([0, 1, 2, 3, 0, 0]);
  const ids = encodeInstanceIds(labelIds, { instances, instanceTrainIds: [CAR, CAR, PERSON] });
  assert.deepEqual([...ids], [7, 26000, 26001, 24000, 26, 0]);
  assert.throws(() => encodeInstanceIds(new Uint8Array(2), { instances, instanceTrainIds: [] }), /6 instance pixels/);
});
