import assert from "node:assert/strict";
import { createRng } from "../data/pipeline/random.ts";
import { extractCenters, nearestCenters, panopticFromHeads } from "./panoptic.ts";

function heatmapWith(height: number, width: number, peaks: [number, number, number][]): Float32Array {
  const h = new Float32Array(height * width);
  for (const [y, x, v] of peaks) h[y * width + x] = v;
  return h;
}

Deno.test("centres: strict threshold, max-pool NMS window, plateaus kept, row-major order", () => {
  const h = heatmapWith(9, 9, [
    [0, 0, 0.1], // exactly the threshold (in float32, as stored): dropped
    [2, 2, 0.5],
    [2, 4, 0.6], // 2 columns away: outside a 3x3 window, inside a 5x5 one
    [8, 8, 0.3],
    [8, 7, 0.3], // plateau: both equal their window max
  ]);
  const k3 = extractCenters(h, 9, 9, 0.1, 3, 0);
  assert.deepEqual(k3.map((c) => [c.y, c.x]), [[2, 2], [2, 4], [8, 7], [8, 8]]);
  const k5 = extractCenters(h, 9, 9, 0.1, 5, 0);
  assert.deepEqual(k5.map((c) => [c.y, c.x]), [[2, 4], [8, 7], [8, 8]]);
  assert.ok(Math.abs(k5[0].score - 0.6) < 1e-7);
});

Deno.test("centres: top-k keeps scores strictly above the k-th best, so ties can leave fewer", () => {
  const h = heatmapWith(1, 9, [[0, 0, 0.9], [0, 2, 0.5], [0, 4, 0.5], [0, 6, 0.3], [0, 8, 0.2]]);
  assert.deepEqual(extractCenters(h, 1, 9, 0.1, 1, 3).map((c) => c.x), [0]); // 3rd best 0.5: only 0.9 is above
  assert.deepEqual(extractCenters(h, 1, 9, 0.1, 1, 4).map((c) => c.x), [0, 2, 4]);
  assert.equal(extractCenters(h, 1, 9, 0.1, 1, 5).length, 5); // not more than k: all kept
  assert.throws(() => extractCenters(h, 1, 9, 0.1, 4), /NMS kernel must be odd/);
});

// 4x8 frame: rows 0–2 are cars (13) in two blobs, row 3 road (0). Centres at (1,1) and (1,6).
const H = 4, W = 8;
const CAR = 13, PERSON = 11;

function scene() {
  const classes = new Uint8Array(H * W);
  const offsets = new Float32Array(H * W * 2);
  for (let y = 0; y < 3; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      classes[i] = CAR;
      const [ty, tx] = x < 4 ? [1, 1] : [1, 6];
      offsets[2 * i] = ty - y;
      offsets[2 * i + 1] = tx - x;
    }
  }
  classes[2 * W + 0] = PERSON; // one pixel outvoted inside the left car
  // Pixel (0,3) sits on the left but votes for the right centre.
  offsets[2 * 3] = 1;
  offsets[2 * 3 + 1] = 3;
  const heatmap = heatmapWith(H, W, [[1, 1, 0.9], [1, 6, 0.7]]);
  return { classes, offsets, heatmap };
}

Deno.test("panoptic: offsets group thing pixels, majority class, per-class numbering, stuff kept", () => {
  const { classes, offsets, heatmap } = scene();
  const p = panopticFromHeads({ classes }, heatmap, offsets, H, W, {
    thingClasses: [PERSON, CAR],
    nmsKernel: 3,
    stuffAreaLimit: 8,
  });
  const L = 13001, R = 13002;
  assert.deepEqual(Array.from(p.panoptic), [
    L,
    L,
    L,
    R,
    R,
    R,
    R,
    R,
    L,
    L,
    L,
    L,
    R,
    R,
    R,
    R,
    L,
    L,
    L,
    L,
    R,
    R,
    R,
    R, // the person pixel at (2,0) joins the car instance it votes for
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0, // road: 8 px ≥ limit 8
  ]);
  assert.deepEqual(p.instances.map((i) => [i.panopticId, i.classId, i.pixels.length]), [[L, CAR, 11], [R, CAR, 13]]);
  assert.ok(Math.abs(p.instances[0].score - 0.9) < 1e-7, "argmax input: score = centre value");
  assert.deepEqual(p.instances[1].center, { y: 1, x: 6 });
  assert.deepEqual(Array.from(p.instances[1].pixels.slice(0, 2)), [3, 4]);
});

Deno.test("panoptic: small stuff regions and unclaimed thing pixels become void (255 * 1000)", () => {
  const { classes, offsets, heatmap } = scene();
  const small = panopticFromHeads({ classes }, heatmap, offsets, H, W, { thingClasses: [CAR], stuffAreaLimit: 9 });
  // PERSON is not a thing here: its one pixel is a stuff region below the limit, as is the road.
  assert.equal(small.panoptic[2 * W], 255000);
  assert.ok(Array.from(small.panoptic.slice(3 * W)).every((v) => v === 255000));
  const none = panopticFromHeads({ classes }, new Float32Array(H * W), offsets, H, W, {
    thingClasses: [CAR],
    stuffAreaLimit: 1,
  });
  assert.equal(none.instances.length, 0);
  assert.equal(none.panoptic[0], 255000, "no centres: thing pixels are void");
  assert.equal(none.panoptic[3 * W], 0);
  assert.equal(none.panoptic[2 * W], PERSON * 1000);
});

Deno.test("panoptic: probabilities give argmax classes and score = centre × mean class probability", () => {
  const { classes, offsets, heatmap } = scene();
  const C = 14;
  const probs = new Float32Array(H * W * C);
  for (let i = 0; i < H * W; i++) {
    probs[i * C + classes[i]] = i < 4 ? 0.6 : 0.8; // first row less sure
    probs[i * C + (classes[i] === CAR ? 0 : CAR)] = 0.1;
  }
  const p = panopticFromHeads({ probabilities: probs, numClasses: C }, heatmap, offsets, H, W, {
    thingClasses: [PERSON, CAR],
    nmsKernel: 3,
    stuffAreaLimit: 8,
  });
  assert.deepEqual(Array.from(p.semantic), Array.from(classes));
  // left car: 11 px; car probability 0.6 on (0,0..2), 0.1 on the person pixel, 0.8 on the other 7.
  const left = (3 * 0.6 + 0.1 + 7 * 0.8) / 11;
  assert.ok(Math.abs(p.instances[0].score - 0.9 * left) < 1e-6);
  assert.ok(Math.abs(p.instances[0].centerScore - 0.9) < 1e-7);
});

Deno.test("panoptic: mismatched head sizes throw", () => {
  const { classes, offsets, heatmap } = scene();
  assert.throws(
    () => panopticFromHeads({ classes }, heatmap, offsets.subarray(2), H, W, { thingClasses: [CAR] }),
    /offset map has 62 values, expected 4x8x2/,
  );
  assert.throws(
    () => panopticFromHeads({ classes: classes.subarray(1) }, heatmap, offsets, H, W, { thingClasses: [CAR] }),
    /semantic map has 31 pixels/,
  );
});

Deno.test("nearest centres: the fast path agrees with a full scan on noisy votes", () => {
  const rng = createRng(7);
  const h = 30, w = 50;
  const centers = Array.from({ length: 12 }, () => ({ y: rng.int(h), x: rng.int(w), score: 1 }));
  centers.push({ ...centers[0] }); // a duplicate centre: ties go to the lower index
  const offsets = new Float32Array(h * w * 2);
  for (let i = 0; i < h * w; i++) {
    const c = centers[rng.int(centers.length)];
    offsets[2 * i] = c.y - Math.floor(i / w) + (rng.next() - 0.5) * 8;
    offsets[2 * i + 1] = c.x - (i % w) + (rng.next() - 0.5) * 8;
  }
  const include = new Uint8Array(h * w).map((_, i) => (i % 7 === 3 ? 0 : 1));
  const owner = nearestCenters(offsets, h, w, centers, include);
  for (let i = 0; i < h * w; i++) {
    if (!include[i]) {
      assert.equal(owner[i], 0);
      continue;
    }
    const py = Math.floor(i / w) + offsets[2 * i], px = (i % w) + offsets[2 * i + 1];
    let best = 0, bestD = Infinity;
    centers.forEach((c, k) => {
      const d = (c.y - py) ** 2 + (c.x - px) ** 2;
      if (d < bestD) [best, bestD] = [k, d];
    });
    assert.equal(owner[i], best + 1, `pixel ${i}`);
  }
});
