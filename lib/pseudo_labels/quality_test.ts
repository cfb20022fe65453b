import assert from "node:assert/strict";
import { addCoverage, emptyCoverage, panopticLabelMap, pseudoInstancePQ } from "./quality.ts";

const CAR = 13, PERSON = 11, ROAD = 0;

Deno.test("addCoverage counts assigned, crowd and instances per thing class from instanceIds", () => {
  const coverage = emptyCoverage();
  assert.equal(coverage.size, 8);
  addCoverage(coverage, new Uint16Array([26000, 26000, 26001, 26, 24000, 7, 0, 29]));
  addCoverage(coverage, new Uint16Array([26000, 26]));
  assert.deepEqual(coverage.get(CAR), {
    trainId: CAR,
    name: "car",
    thingPixels: 6,
    assignedPixels: 4,
    crowdPixels: 2,
    instances: 3,
  });
  assert.equal(coverage.get(PERSON)!.assignedPixels, 1);
  assert.equal(coverage.get(PERSON)!.instances, 1);
  assert.equal(coverage.get(14)!.thingPixels, 0, "caravan (labelId 29, ignored) is not counted as truck");
});

Deno.test("panopticLabelMap voids crowd pixels only when asked", () => {
  const semantic = new Uint8Array([ROAD, CAR, CAR]);
  const instances = new Int32Array([0, 1, 0]);
  const crowd = new Uint8Array([0, 0, 1]);
  assert.deepEqual([...panopticLabelMap(semantic, instances, crowd, false)], [0, 13001, 13000]);
  assert.deepEqual([...panopticLabelMap(semantic, instances, crowd, true)], [0, 13001, 255000]);
});

Deno.test("pseudoInstancePQ: a perfect labelling scores 1, a missed car lowers recognition quality", () => {
  // Row of 30 pixels: road 0..9, car A 10..19, car B 20..29.
  const semantic = new Uint8Array(30).fill(ROAD).fill(CAR, 10);
  const truth = { instances: new Int32Array(30).fill(1, 10, 20).fill(2, 20), crowd: null };
  const perfect = pseudoInstancePQ(semantic, truth, { instances: truth.instances, crowd: new Uint8Array(30) }, "t");
  assert.equal(perfect.things.pq, 1);
  const missed = {
    instances: new Int32Array(30).fill(1, 10, 20),
    crowd: new Uint8Array(30).fill(1, 20),
  };
  const r = pseudoInstancePQ(semantic, truth, missed, "t");
  const car = r.perCategory.get(CAR)!;
  assert.deepEqual([car.tp, car.fp, car.fn], [1, 0, 1]);
  assert.ok(Math.abs(r.things.pq - 1 / 1.5) < 1e-12);
});
