import assert from "node:assert/strict";
import { iou, mergeDetections, planTiles, tileToFrame } from "./detection_tiles.ts";
import type { Detection } from "./assign.ts";

function det(x1: number, y1: number, x2: number, y2: number, score: number, trainId = 13): Detection {
  return { x1, y1, x2, y2, score, trainId };
}

Deno.test("planTiles covers a KITTI-sized frame with overlapping tiles at each scale", () => {
  const W = 1242, H = 375;
  const tiles = planTiles(W, H, { scales: [1, 0.5], overlap: 0.25, wholeFrame: true });
  assert.deepEqual(tiles[0], { x: 0, y: 0, size: 1242 });
  for (const size of [375, 188]) {
    const level = tiles.filter((t) => t.size === size);
    const xs = [...new Set(level.map((t) => t.x))].sort((a, b) => a - b);
    const ys = [...new Set(level.map((t) => t.y))].sort((a, b) => a - b);
    assert.equal(xs[0], 0);
    assert.equal(xs.at(-1)! + size, W, "the last column ends at the right edge");
    assert.equal(ys.at(-1)! + size, H, "the last row ends at the bottom edge");
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i - 1] + size - xs[i] >= 0.25 * size - 1, "overlap kept");
    assert.equal(level.length, xs.length * ys.length);
  }
  assert.equal(planTiles(100, 100, { scales: [1], overlap: 0.25, wholeFrame: true }).length, 1, "no duplicates");
});

Deno.test("tileToFrame scales boxes back, clips them, and drops boxes cut by an inner tile edge", () => {
  const tile = { x: 400, y: 0, size: 375 };
  const input = 512;
  const out = tileToFrame(
    [
      det(100, 100, 200, 200, 0.9), // inside
      det(0, 100, 50, 200, 0.8), // touches the inner left edge → dropped
      det(300, 400, 400, 512, 0.7), // touches the bottom edge, which is the frame's edge (H = 375) → kept
    ],
    tile,
    input,
    1242,
    375,
  );
  assert.equal(out.length, 2);
  const s = 375 / 512;
  assert.deepEqual(out[0], det(400 + 100 * s, 100 * s, 400 + 200 * s, 200 * s, 0.9));
  assert.equal(out[1].y2, 375);
  const whole = tileToFrame([det(0, 0, 600, 200, 0.5)], { x: 0, y: 0, size: 1242 }, input, 1242, 375);
  assert.equal(whole.length, 1, "the whole-frame tile has no inner edges");
});

Deno.test("mergeDetections suppresses duplicates within a class group only", () => {
  const car = det(0, 0, 10, 10, 0.9, 13);
  const truckSame = det(1, 0, 11, 10, 0.5, 14); // same object labelled truck → suppressed
  const personSame = det(1, 0, 11, 10, 0.6, 11); // a person there is another group → kept
  const carFar = det(20, 0, 30, 10, 0.3, 13);
  assert.ok(Math.abs(iou(car, truckSame) - 90 / 110) < 1e-9);
  const merged = mergeDetections([truckSame, carFar, car, personSame]);
  assert.deepEqual(merged, [car, personSame, carFar]);
});

Deno.test("mergeDetections unites boxes showing parts of one object, not a farther car or side-by-side cars", () => {
  // Boxes measured on KITTI frames: 000001_10 (rear face inside a car), 000018_10 (side and rear of one car),
  // 000022_10 (lower part of a van).
  const car = det(50, 195, 240, 289, 0.72);
  const rearFace = det(133, 197, 238, 281, 0.71); // IoU 0.49 with the car, but a part of it
  assert.ok(iou(car, rearFace) < 0.5);
  const farCar = det(150, 200, 200, 240, 0.6); // inside the car's box but its bottom is much higher: farther
  const person = det(140, 200, 230, 285, 0.8, 11); // other group: never the same object as a car
  assert.deepEqual(mergeDetections([car, rearFace, farCar, person]), [person, car, farCar]);

  const rear = det(874, 193, 1129, 365, 0.74), side = det(791, 195, 1023, 365, 0.71);
  assert.ok(iou(rear, side) < 0.5);
  assert.deepEqual(mergeDetections([side, rear]), [det(791, 193, 1129, 365, 0.74)]);

  const van = det(746, 149, 912, 219, 0.57), vanPart = det(742, 180, 803, 219, 0.28);
  assert.deepEqual(mergeDetections([van, vanPart]), [det(742, 149, 912, 219, 0.57)]);

  const left = det(0, 100, 100, 160, 0.9), right = det(80, 102, 180, 160, 0.8); // neighbours, 20 % overlap
  assert.deepEqual(mergeDetections([left, right]), [left, right]);
});
