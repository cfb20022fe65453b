import assert from "node:assert/strict";
import { buildTargets, instanceCenters, roundHalfEven } from "./targets.ts";
import { sceneSample } from "../datasets/synthetic.ts";
import { listPanopticFrames, readPanopticFrame } from "../datasets/coco_panoptic.ts";
import { join } from "node:path";
import { PANOPTIC_FRAME } from "../../testing/shared_data.ts";

const CAR = 13, ROAD = 0, PERSON = 11;
const gauss = (
  dy: number,
  dx: number,
) => (Math.abs(dy) <= 25 && Math.abs(dx) <= 25 ? Math.exp(-(dy * dy + dx * dx) / 128) : 0);
const close = (a: number, b: number, msg = "") => assert.ok(Math.abs(a - b) < 1e-6, `${msg} ${a} vs ${b}`);

Deno.test("one square instance: exact centre, offsets point to it, weights", () => {
  const s = sceneSample("one", 64, 80, [{ y: 20, x: 30, height: 11, width: 11, trainId: CAR }]);
  const t = buildTargets(s);
  assert.deepEqual(instanceCenters(s), [{ id: 1, y: 25, x: 35, area: 121 }]);
  assert.equal(t.center[25 * 80 + 35], 1);
  for (let y = 0; y < 64; y++) {
    for (let x = 0; x < 80; x++) {
      const o = y * 80 + x, inside = y >= 20 && y <= 30 && x >= 30 && x <= 40;
      close(t.center[o], gauss(y - 25, x - 35), `heat at ${y},${x}`);
      assert.equal(t.offsetWeights[o], inside ? 1 : 0);
      assert.equal(t.centerWeights[o], 1);
      assert.equal(t.semanticWeights[o], inside ? 3 : 1);
      assert.equal(t.offsets[o * 2], inside ? 25 - y : 0);
      assert.equal(t.offsets[o * 2 + 1], inside ? 35 - x : 0);
      assert.equal(t.semantic[o], inside ? CAR : ROAD);
    }
  }
  assert.equal(t.center[25 * 80 + 61], 0, "outside the 51-wide window");
  close(t.center[25 * 80 + 60], Math.exp(-625 / 128), "window edge");
});

Deno.test("centres round half to even like tf.round", () => {
  const s = sceneSample("even", 40, 40, [{ y: 20, x: 10, height: 10, width: 10, trainId: CAR }]);
  assert.deepEqual(instanceCenters(s), [{ id: 1, y: 24, x: 14, area: 100 }]);
  assert.deepEqual([roundHalfEven(24.5), roundHalfEven(25.5), roundHalfEven(3.2), roundHalfEven(-1.5)], [
    24,
    26,
    3,
    -2,
  ]);
});

Deno.test("two instances with overlapping Gaussians combine by max", () => {
  const s = sceneSample("two", 60, 90, [
    { y: 20, x: 20, height: 11, width: 11, trainId: CAR },
    { y: 24, x: 36, height: 5, width: 7, trainId: PERSON },
  ]);
  const [a, b] = instanceCenters(s);
  assert.deepEqual([a.y, a.x, b.y, b.x], [25, 25, 26, 39]);
  const t = buildTargets(s);
  let overlapping = 0;
  for (let y = 0; y < 60; y++) {
    for (let x = 0; x < 90; x++) {
      const g1 = gauss(y - 25, x - 25), g2 = gauss(y - 26, x - 39);
      if (g1 > 0 && g2 > 0) overlapping++;
      close(t.center[y * 90 + x], Math.max(g1, g2), `heat at ${y},${x}`);
    }
  }
  assert.ok(overlapping > 1000);
  // Pixels of the second instance point to its own centre, not the nearer-peaked first one.
  assert.deepEqual([t.offsets[(24 * 90 + 36) * 2], t.offsets[(24 * 90 + 36) * 2 + 1]], [2, 3]);
});

Deno.test("crowd pixels and thing pixels without instance get zero centre/offset weights and no centre", () => {
  const s = sceneSample("crowd", 40, 40, [
    { y: 5, x: 5, height: 10, width: 10, trainId: CAR, crowd: true },
    { y: 25, x: 25, height: 5, width: 5, trainId: PERSON, instance: false },
  ]);
  const t = buildTargets(s);
  assert.deepEqual(instanceCenters(s), []);
  assert.ok(t.center.every((v) => v === 0));
  for (let i = 0; i < 1600; i++) {
    const thing = s.semantic[i] !== ROAD;
    assert.equal(t.centerWeights[i], thing ? 0 : 1);
    assert.equal(t.offsetWeights[i], 0);
    assert.equal(t.semanticWeights[i], 1, "crowd stays in the semantic loss with weight 1");
  }
});

Deno.test("ignored pixels: zero semantic and centre weights, ignored instance pixels do not move the centre", () => {
  const s = sceneSample("ignore", 30, 30, [
    { y: 0, x: 0, height: 30, width: 5, trainId: 255, instance: false },
    { y: 10, x: 10, height: 5, width: 5, trainId: CAR },
  ]);
  s.semantic[14 * 30 + 14] = 255; // one ignored pixel inside the car (its instance id stays 1)
  const t = buildTargets(s);
  for (let i = 0; i < 900; i++) {
    if (s.semantic[i] !== 255) continue;
    assert.equal(t.semanticWeights[i], 0);
    assert.equal(t.centerWeights[i], 0);
    assert.equal(t.offsetWeights[i], 0);
  }
  assert.equal(instanceCenters(s)[0].area, 24);
});

Deno.test("small-instance weight: 3 below 4096 px, 1 at and above", () => {
  const s = sceneSample("sizes", 200, 300, [
    { y: 0, x: 0, height: 64, width: 64, trainId: CAR }, // 4096 px: not small
    { y: 100, x: 100, height: 63, width: 65, trainId: CAR }, // 4095 px: small
  ]);
  const t = buildTargets(s);
  assert.equal(t.semanticWeights[10 * 300 + 10], 1);
  assert.equal(t.semanticWeights[110 * 300 + 110], 3);
  assert.equal(t.semanticWeights[150 * 300 + 10], 1);
  const off = buildTargets(s, { smallInstanceArea: 0 });
  assert.equal(off.semanticWeights[110 * 300 + 110], 1);
});

Deno.test("no instance labels: semantic target only, instance weights zero", () => {
  const s = {
    ...sceneSample("sem", 20, 20, [{ y: 2, x: 2, height: 5, width: 5, trainId: CAR }]),
    instances: null,
    crowd: null,
  };
  const t = buildTargets(s);
  assert.ok(t.center.every((v) => v === 0) && t.centerWeights.every((v) => v === 0));
  assert.ok(t.offsetWeights.every((v) => v === 0));
  assert.ok(t.semanticWeights.every((v) => v === 1));
});

Deno.test("output stride s equals the strided subsample of the full-resolution targets", () => {
  const s = sceneSample("stride", 37, 50, [
    { y: 3, x: 4, height: 20, width: 9, trainId: CAR },
    { y: 10, x: 20, height: 15, width: 25, trainId: PERSON },
    { y: 25, x: 0, height: 8, width: 8, trainId: CAR, crowd: true },
  ]);
  const full = buildTargets(s), t = buildTargets(s, { outputStride: 4 });
  assert.deepEqual([t.height, t.width], [10, 13]);
  for (let oy = 0; oy < 10; oy++) {
    for (let ox = 0; ox < 13; ox++) {
      const o = oy * 13 + ox, i = oy * 4 * 50 + ox * 4;
      assert.equal(t.semantic[o], full.semantic[i]);
      assert.equal(t.semanticWeights[o], full.semanticWeights[i]);
      close(t.center[o], full.center[i]);
      assert.equal(t.centerWeights[o], full.centerWeights[i]);
      assert.equal(t.offsetWeights[o], full.offsetWeights[i]);
      assert.deepEqual([t.offsets[o * 2], t.offsets[o * 2 + 1]], [full.offsets[i * 2], full.offsets[i * 2 + 1]]);
    }
  }
  assert.throws(() => buildTargets(s, { outputStride: 0 }), /stride/);
});

const FRAME = PANOPTIC_FRAME;

Deno.test("Cityscapes-format fixture frame: five car centres, crowd car without weights, small car weighted 3", async () => {
  const json = join(FRAME, "gtFine", "cityscapes_panoptic_dummy_trainId.json");
  const [entry] = listPanopticFrames(json, join(FRAME, "leftImg8bit"));
  const { sample } = await readPanopticFrame(entry.image, entry.png, entry.annotation, "trainId", json);
  const cars = entry.annotation.segments_info.filter((s) => s.category_id === CAR && !s.iscrowd);
  const centers = instanceCenters(sample);
  assert.deepEqual(centers.map((c) => c.area), cars.sort((a, b) => a.id - b.id).map((s) => s.area));
  const t = buildTargets(sample);
  for (const c of centers) {
    assert.equal(t.center[c.y * 800 + c.x], 1);
    assert.equal(t.semanticWeights[c.y * 800 + c.x] === 3, c.area < 4096);
  }
  let crowdPixels = 0;
  for (let i = 0; i < sample.crowd!.length; i++) {
    if (!sample.crowd![i]) continue;
    crowdPixels++;
    assert.equal(t.centerWeights[i] + t.offsetWeights[i], 0);
  }
  assert.equal(crowdPixels, 6178);
  const offsetPixels = t.offsetWeights.reduce((a, v) => a + v, 0);
  assert.equal(offsetPixels, cars.reduce((a, s) => a + s.area!, 0));
});
