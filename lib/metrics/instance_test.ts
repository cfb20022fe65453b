import assert from "node:assert/strict";
import {
  accumulateInstances,
  averagePrecision,
  createInstanceStats,
  gtFromCityscapesInstanceIds,
  gtFromLabels,
  type InstanceGtFrame,
  type InstancePrediction,
  instanceResult,
  IOU_THRESHOLDS,
} from "./instance.ts";

const W = 40, H = 40;
const CAR = 13, PERSON = 11;

/** Pixel indices of the rectangle [x0, x1) × [y0, y1) in a W-wide frame. */
function rect(x0: number, y0: number, x1: number, y1: number): number[] {
  const out: number[] = [];
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) out.push(y * W + x);
  return out;
}

interface GtSpec {
  id: number;
  classId: number;
  isGroup?: boolean;
  pixels: number[];
}

function gtFrame(specs: GtSpec[], voidPixels: number[] = []): InstanceGtFrame {
  const ids = new Int32Array(W * H);
  for (const s of specs) for (const p of s.pixels) ids[p] = s.id;
  const v = new Uint8Array(W * H);
  for (const p of voidPixels) v[p] = 1;
  return { ids, segments: specs.map((s) => ({ id: s.id, classId: s.classId, isGroup: s.isGroup ?? false })), void: v };
}

function pred(classId: number, score: number, pixels: number[]): InstancePrediction {
  return { classId, score, pixels };
}

function run(frames: [InstanceGtFrame, InstancePrediction[]][], classIds = [PERSON, CAR]) {
  const stats = createInstanceStats(classIds);
  frames.forEach(([gt, preds], i) => accumulateInstances(stats, gt, preds, `f${i}`));
  return instanceResult(stats);
}

const carA = rect(0, 0, 10, 10); // 100 px: exactly the minimum region size
const carB = rect(20, 0, 32, 10); // 120 px

Deno.test("instance: thresholds are numpy's arange(0.5, 1, 0.05)", () => {
  assert.equal(IOU_THRESHOLDS.length, 10);
  assert.equal(IOU_THRESHOLDS[0], 0.5);
  assert.equal(IOU_THRESHOLDS[2], 0.6000000000000001);
  assert.equal(IOU_THRESHOLDS[9], 0.9500000000000004);
});

Deno.test("instance: a perfect prediction scores AP 1; classes without GT are NaN and left out", () => {
  const gt = gtFrame([{ id: 1, classId: CAR, pixels: carA }, { id: 2, classId: CAR, pixels: carB }]);
  const r = run([[gt, [pred(CAR, 0.9, carA), pred(CAR, 0.6, carB)]]]);
  assert.deepEqual(r.perClass.get(CAR)!.byThreshold, IOU_THRESHOLDS.map(() => 1));
  assert.ok(r.perClass.get(PERSON)!.byThreshold.every(Number.isNaN));
  assert.equal(r.ap, 1);
  assert.equal(r.ap50, 1);
});

Deno.test("instance: one false positive scored above the match", () => {
  // y = [(1, 0.5), (0, 0.9)]. Score 0.5: tp 1, fp 1 → p 1/2, r 1. Score 0.9: tp 0, fp 1, fn 1 → p 0, r 0.
  // Artificial point p 1, r 0. Recall [1, 0, 0] → widths [(1-0)/2, (1-0)/2, (0-0)/2] → AP = 1/4.
  const gt = gtFrame([{ id: 1, classId: CAR, pixels: carA }]);
  const r = run([[gt, [pred(CAR, 0.5, carA), pred(CAR, 0.9, rect(0, 20, 10, 30))]]]);
  assert.deepEqual(r.perClass.get(CAR)!.byThreshold, IOU_THRESHOLDS.map(() => 0.25));
  // Scored below the match it costs nothing: recall [1, 1, 0], precision [1/2, 1, 1] → 0 + 1/2 + 1/2.
  const low = run([[gt, [pred(CAR, 0.9, carA), pred(CAR, 0.5, rect(0, 20, 10, 30))]]]);
  assert.equal(low.ap, 1);
});

Deno.test("instance: a missed GT instance halves the recall", () => {
  // y = [(1, 0.8)], one hard FN: p 1, r 1/2; artificial (0, 1): widths [1/4, 1/4] → AP 1/2.
  const gt = gtFrame([{ id: 1, classId: CAR, pixels: carA }, { id: 2, classId: CAR, pixels: carB }]);
  assert.equal(run([[gt, [pred(CAR, 0.8, carA)]]]).ap, 0.5);
});

Deno.test("instance: predictions on group or void regions are dropped, with the cut-off at the threshold", () => {
  const group = rect(0, 20, 20, 40); // 400 px car group
  const gt = gtFrame([{ id: 1, classId: CAR, pixels: carA }, { id: 26, classId: CAR, isGroup: true, pixels: group }], [
    ...rect(30, 30, 40, 40),
  ]);
  const preds = [
    pred(CAR, 0.5, carA),
    pred(CAR, 0.9, group), // IoU 1 with the group: neither TP nor FP
    pred(CAR, 0.95, rect(30, 30, 40, 40)), // entirely on void
  ];
  assert.equal(run([[gt, preds]]).ap, 1);

  // 60 px on the group (IoU 60/440 with it) and 40 px on plain background: ignored fraction 0.6, dropped while
  // 0.6 > t (t = 0.50, 0.55), a false positive above the match for t ≥ 0.6 (AP 1/4 as above).
  const partly = [...rect(10, 20, 16, 30), ...rect(22, 0, 26, 10).map((p) => p + 12 * W)];
  assert.equal(partly.length, 100);
  const r = run([[gt, [pred(CAR, 0.5, carA), pred(CAR, 0.9, partly)]]]);
  assert.deepEqual(r.perClass.get(CAR)!.byThreshold, [1, 1, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25]);
  assert.equal(r.ap, (2 + 8 * 0.25) / 10);
  assert.equal(r.ap50, 1);
});

Deno.test("instance: GT under 100 px is ignored, and so are predictions on it", () => {
  const small = rect(0, 0, 9, 11); // 99 px
  const gt = gtFrame([{ id: 1, classId: CAR, pixels: small }, { id: 2, classId: PERSON, pixels: carB }]);
  const r = run([[gt, [pred(CAR, 0.9, small), pred(PERSON, 0.8, carB)]]]);
  assert.ok(r.perClass.get(CAR)!.byThreshold.every(Number.isNaN), "no car GT left → NaN");
  assert.equal(r.perClass.get(PERSON)!.ap, 1);
  assert.equal(r.ap, 1);
});

Deno.test("instance: GT without any prediction of its class scores 0; predictions without GT give NaN", () => {
  const gt = gtFrame([{ id: 1, classId: CAR, pixels: carA }, { id: 2, classId: PERSON, pixels: carB }]);
  const r = run([[gt, [pred(CAR, 0.9, carA)]]]);
  assert.equal(r.perClass.get(PERSON)!.ap, 0);
  assert.equal(r.ap, 0.5);
  const noGt = run([[gtFrame([]), [pred(CAR, 0.9, carA)]]]);
  assert.ok(Number.isNaN(noGt.ap) && Number.isNaN(noGt.ap50));
});

Deno.test("instance: a second prediction on a matched GT is a false positive with the lower score", () => {
  // GT carA; preds carA (0.6) and carA minus one column (0.9, IoU 0.9): the GT keeps 0.9, 0.6 becomes the FP.
  const gt = gtFrame([{ id: 1, classId: CAR, pixels: carA }]);
  const r = run([[gt, [pred(CAR, 0.6, carA), pred(CAR, 0.9, rect(0, 0, 9, 10))]]]);
  // t ≤ 0.85: y = [(1, 0.9), (0, 0.6)] → AP 1 (FP below the match); t = 0.9, 0.95: IoU 0.9 fails, so the
  // 0.6 prediction alone matches and the 0.9 one is an FP above it → 1/4.
  assert.deepEqual(r.perClass.get(CAR)!.byThreshold, [1, 1, 1, 1, 1, 1, 1, 1, 0.25, 0.25]);
});

Deno.test("instance: frames accumulate into one PR curve", () => {
  const gt = gtFrame([{ id: 1, classId: CAR, pixels: carA }]);
  // frame 0: matched at 0.5; frame 1: an FP at 0.9 → same as one frame with both (AP 1/4).
  const r = run([[gt, [pred(CAR, 0.5, carA)]], [gtFrame([]), [pred(CAR, 0.9, carA)]]]);
  assert.equal(r.ap, 0.25);
});

Deno.test("instance: averagePrecision treats tied scores as one threshold", () => {
  // Two examples at score 0.5 (one true) + one true at 0.7; no hard FN.
  // 0.5: tp 2, fp 1 → p 2/3, r 1. 0.7: tp 1, fp 0 → p 1, r 1/2. Artificial (0, 1).
  // widths: [(1 - 1/2)/2, (1 - 0)/2, (1/2 - 0)/2] → AP = 2/3·1/4 + 1/2 + 1/4.
  const ap = averagePrecision([1, 0, 1], [0.5, 0.5, 0.7], 0);
  assert.ok(Math.abs(ap - (2 / 3 / 4 + 1 / 2 + 1 / 4)) < 1e-15);
  assert.equal(averagePrecision([], [], 3), 0);
});

Deno.test("instance: GT from labels and from Cityscapes instanceIds", () => {
  // 1x6 frame: car instance 1, car crowd pixel, road, void, person instance 2, car instance 1.
  const fromLabels = gtFromLabels(
    Uint8Array.from([13, 13, 0, 255, 11, 13]),
    Int32Array.from([1, 0, 0, 0, 2, 1]),
    Uint8Array.from([0, 1, 0, 0, 0, 0]),
    [11, 13],
  );
  assert.deepEqual(Array.from(fromLabels.ids), [1, 16, 0, 0, 2, 1]);
  assert.deepEqual(fromLabels.segments, [
    { id: 1, classId: 13, isGroup: false },
    { id: 16, classId: 13, isGroup: true },
    { id: 2, classId: 11, isGroup: false },
  ]);
  assert.deepEqual(Array.from(fromLabels.void!), [0, 0, 0, 1, 0, 0]);

  // Cityscapes: 26000 car, 26 car group, 7 road, 4 static (void), 29000 caravan instance (not void, not eval).
  const cs = gtFromCityscapesInstanceIds([26000, 26, 7, 4, 29000, 26000], [24, 26], new Set([4, 29]));
  assert.deepEqual(cs.segments, [{ id: 26000, classId: 26, isGroup: false }, { id: 26, classId: 26, isGroup: true }]);
  assert.deepEqual(Array.from(cs.void!), [0, 0, 0, 1, 0, 0]);
});

Deno.test("instance: bad inputs throw errors naming the frame", () => {
  const stats = createInstanceStats([CAR]);
  const gt = gtFrame([{ id: 1, classId: CAR, pixels: carA }]);
  assert.throws(
    () => accumulateInstances(stats, gt, [pred(CAR, 1, [W * H])], "x.png"),
    /x\.png: prediction 0 has pixel/,
  );
  assert.throws(
    () => accumulateInstances(stats, { ...gt, segments: [...gt.segments, ...gt.segments] }, [], "y.png"),
    /y\.png: GT segment id 1 is listed twice/,
  );
});
