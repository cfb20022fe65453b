import assert from "node:assert/strict";
import { assignInstances, connectedComponents, type Detection, encodeInstanceIds } from "./assign.ts";

const CAR = 13, PERSON = 11, RIDER = 12, BUS = 15, ROAD = 0, POLE = 5, IGNORE = 255;
const exact = { reach: 0, longReach: 0, bridge: 0, depthTolerance: 0.1, ambiguity: 0, minArea: 1 };

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

/** Paints the ellipse inscribed in box [x0,x1)x[y0,y1) with `t`; returns a mask of it. */
function paintEllipse(map: Uint8Array, width: number, [x0, y0, x1, y1]: number[], t: number): Uint8Array {
  const mask = new Uint8Array(map.length);
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, a = (x1 - x0) / 2, b = (y1 - y0) / 2;
  for (let p = 0; p < map.length; p++) {
    const x = p % width + 0.5, y = Math.floor(p / width) + 0.5;
    if (((x - cx) / a) ** 2 + ((y - cy) / b) ** 2 <= 1) map[p] = mask[p] = t;
  }
  return mask;
}

/** Pixels of `instances` equal to `id` as a 0/1 mask. */
const maskOf = (instances: Int32Array, id: number) => Uint8Array.from(instances, (v) => (v === id ? 1 : 0));

/** Intersection over union of two masks (nonzero = in). */
function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0, union = 0;
  for (let p = 0; p < a.length; p++) {
    if (a[p] && b[p]) inter++;
    if (a[p] || b[p]) union++;
  }
  return inter / union;
}

const sum = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);

// Failure modes of the labeller (issue 22), each with boxes given and the default options the labeller uses.

Deno.test("failure mode: overlapping pedestrians are split along the near one's outline, not its box edge", () => {
  const W = 50, H = 80;
  const semantic = new Uint8Array(W * H).fill(ROAD);
  const far = [10, 10, 30, 60], near = [22, 16, 42, 70];
  const farMask = paintEllipse(semantic, W, far, PERSON);
  const nearMask = paintEllipse(semantic, W, near, PERSON);
  const farVisible = farMask.map((v, p) => (v && !nearMask[p] ? 1 : 0));
  const a = assignInstances(semantic, W, H, [
    box(...far as [number, number, number, number], PERSON),
    box(...near as [number, number, number, number], PERSON),
  ]);
  assert.deepEqual(a.instanceDetections, [0, 1]);
  const farIou = iou(maskOf(a.instances, 1), farVisible), nearIou = iou(maskOf(a.instances, 2), nearMask);
  assert.ok(farIou > 0.95 && nearIou > 0.95, `IoU far ${farIou.toFixed(3)}, near ${nearIou.toFixed(3)}`);
});

Deno.test("failure mode: a small person without a box next to a boxed one is crowd, not part of it", () => {
  // Body of the boxed person in columns 25..34 of its box [16,44); an unboxed distant person at [39,43)x[12,22),
  // inside that box but 4 columns away from the body.
  const W = 50, H = 70;
  const semantic = scene(W, H, ROAD, [[25, 10, 35, 60, PERSON], [39, 12, 43, 22, PERSON]]);
  const a = assignInstances(semantic, W, H, [box(16, 10, 44, 60, PERSON)]);
  const body = scene(W, H, 0, [[25, 10, 35, 60, 1]]), small = scene(W, H, 0, [[39, 12, 43, 22, 1]]);
  assert.equal(iou(maskOf(a.instances, 1), body), 1, "the instance is the body alone");
  assert.equal(iou(a.crowd, small), 1, "the small person is crowd");
});

Deno.test("failure mode: an articulated bus longer than its box is one instance", () => {
  // Bus over columns 0..69; the detector's box covers its front half [0,40) only.
  const W = 80, H = 50;
  const semantic = scene(W, H, ROAD, [[0, 10, 70, 40, BUS]]);
  const a = assignInstances(semantic, W, H, [box(0, 10, 40, 40, BUS)]);
  const bus = scene(W, H, 0, [[0, 10, 70, 40, 1]]);
  assert.equal(iou(maskOf(a.instances, 1), bus), 1, `${sum(a.crowd)} bus pixels left as crowd`);
});

Deno.test("failure mode: two cars apart under one box are not one instance", () => {
  // One box [0,40) over car A [0,22) and car B [28,40) with 6 road columns between them.
  const W = 45, H = 40;
  const semantic = scene(W, H, ROAD, [[0, 10, 22, 30, CAR], [28, 14, 40, 30, CAR]]);
  const a = assignInstances(semantic, W, H, [box(0, 10, 40, 30)]);
  assert.equal(iou(maskOf(a.instances, 1), scene(W, H, 0, [[0, 10, 22, 30, 1]])), 1, "car A alone is the instance");
  assert.equal(iou(a.crowd, scene(W, H, 0, [[28, 14, 40, 30, 1]])), 1, "car B, with no box of its own, is crowd");
});

Deno.test("a pole in front of a car does not split it", () => {
  const W = 45, H = 40;
  const semantic = scene(W, H, ROAD, [[0, 10, 40, 30, CAR], [19, 0, 22, 40, POLE]]);
  const a = assignInstances(semantic, W, H, [box(0, 10, 40, 30)]);
  assert.deepEqual(a.instanceTrainIds, [CAR]);
  assert.equal(sum(a.crowd), 0);
});

Deno.test("where two boxes at one depth claim a pixel about equally, it is crowd (unsure), not a guess", () => {
  const W = 40, H = 45;
  const semantic = new Uint8Array(W * H).fill(ROAD);
  const left = [0, 0, 20, 40], right = [14, 0, 34, 40];
  paintEllipse(semantic, W, left, PERSON);
  paintEllipse(semantic, W, right, PERSON);
  const a = assignInstances(semantic, W, H, [
    box(...left as [number, number, number, number], PERSON),
    box(...right as [number, number, number, number], PERSON),
  ]);
  const columns = new Set([...a.crowd.keys()].filter((p) => a.crowd[p]).map((p) => p % W));
  assert.deepEqual([...columns].sort((x, y) => x - y), [16, 17], "a 2-column band where the boxes' distances meet");
  for (let p = 0; p < semantic.length; p++) {
    if (semantic[p] === PERSON) assert.ok(a.instances[p] > 0 !== (a.crowd[p] === 1), `pixel ${p}`);
  }
});

Deno.test("connectedComponents joins 4-neighbours and row gaps of up to `bridge` zeros", () => {
  const mask = new Uint8Array([
    1,
    0,
    0,
    1,
    0,
    0,
    0,
    1,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
  assert.deepEqual([...connectedComponents(mask, 8, 2)], [0, -1, -1, 0, -1, -1, -1, 1, 0, -1, -1, -1, -1, -1, -1, -1]);
  assert.deepEqual([...connectedComponents(mask, 8, 3)].filter((c) => c >= 0), [0, 0, 0, 0]);
});

Deno.test("encodeInstanceIds writes labelId*1000+k per labelId and plain labelIds elsewhere", () => {
  const labelIds = new Uint8Array([7, 26, 26, 24, 26, 0]);
  const instances = new Int32Array([0, 1, 2, 3, 0, 0]);
  const ids = encodeInstanceIds(labelIds, { instances, instanceTrainIds: [CAR, CAR, PERSON] });
  assert.deepEqual([...ids], [7, 26000, 26001, 24000, 26, 0]);
  assert.throws(() => encodeInstanceIds(new Uint8Array(2), { instances, instanceTrainIds: [] }), /6 instance pixels/);
});
