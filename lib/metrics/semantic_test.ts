import assert from "node:assert/strict";
import { ACDC30_NONE, NUM_ACDC30_CLASSES, TRAIN_ID_TO_ACDC30, trainIdsToAcdc30 } from "../data/labels/acdc_labels.ts";
import { TRAIN_CLASS_NAMES } from "../data/labels/cityscapes_labels.ts";
import { IKA12_NONE, NUM_IKA12_CLASSES, trainIdsToIka12 } from "../data/labels/ika_labels.ts";
import {
  accumulateInstanceWeights,
  accumulateSemantic,
  cityscapesAvgInstanceSize,
  createSemanticStats,
  semanticResult,
} from "./semantic.ts";

const V = 255;

Deno.test("semantic: IoU with void predictions as FN, predictions on void GT free, absent class NaN", () => {
  const stats = createSemanticStats(3);
  const gt = [0, 0, 0, 0, 1, 1, V, V];
  const pred = [0, 0, 1, V, 1, 0, 2, 1];
  accumulateSemantic(stats, gt, pred);
  const r = semanticResult(stats);
  // class 0: tp 2, fn 2 (one predicted 1, one predicted void), fp 1 (GT 1 predicted 0) → 2/5
  // class 1: tp 1, fn 1, fp 1 (the prediction of 1 on void GT is free) → 1/3
  // class 2: only predicted on void GT → tp+fp+fn = 0 → NaN, left out of the mean
  assert.equal(r.iou[0], 2 / 5);
  assert.equal(r.iou[1], 1 / 3);
  assert.ok(Number.isNaN(r.iou[2]));
  assert.equal(r.miou, (2 / 5 + 1 / 3) / 2);
  assert.equal(r.pixelAccuracy, 3 / 6);
  assert.equal(r.pixels, 6);
});

Deno.test("semantic: a class with only false positives scores 0 and is counted in the mean", () => {
  const stats = createSemanticStats(4);
  accumulateSemantic(stats, [0, 0, 1, 1], [0, 3, 1, 1]);
  const r = semanticResult(stats);
  // class 0: tp 1, fn 1 → 1/2; class 1: 1; class 2: NaN; class 3: tp 0, fp 1 → 0
  assert.deepEqual(r.iou.slice(0, 2), [1 / 2, 1]);
  assert.ok(Number.isNaN(r.iou[2]));
  assert.equal(r.iou[3], 0);
  assert.equal(r.miou, (1 / 2 + 1 + 0) / 3);
});

Deno.test("semantic: counts accumulate over frames", () => {
  const whole = createSemanticStats(3);
  accumulateSemantic(whole, [0, 0, 0, 0, 1, 1, V, V], [0, 0, 1, V, 1, 0, 2, 1]);
  const split = createSemanticStats(3);
  accumulateSemantic(split, [0, 0, 0, 0], [0, 0, 1, V]);
  accumulateSemantic(split, [1, 1, V, V], [1, 0, 2, 1]);
  assert.deepEqual(split.confusion, whole.confusion);
  assert.equal(split.confusion[0 * 4 + 3], 1, "void prediction on GT 0 lands in the last column");
});

Deno.test("semantic: iIoU weights each instance by avgSize / its size; fp unweighted", () => {
  // class 0 (no instances), class 1 with average instance size 10.
  const stats = createSemanticStats(2, { avgInstanceSize: [NaN, 10] });
  const gt = [1, 1, 1, 1, 1, 1, 0, 0, 1];
  const instances = [1, 1, 1, 1, 2, 2, 0, 0, 0]; // the last class-1 pixel is a crowd region (no instance)
  const pred = [1, 1, 1, 0, 0, 0, 1, 0, 1];
  accumulateSemantic(stats, gt, pred);
  accumulateInstanceWeights(stats, gt, instances, pred);
  // instance 1: 4 px, 3 hit, weight 2.5 → tpW 7.5, fnW 2.5; instance 2: 2 px, 0 hit, weight 5 → fnW 10
  assert.equal(stats.tpWeighted[1], 7.5);
  assert.equal(stats.fnWeighted[1], 12.5);
  const r = semanticResult(stats);
  // fp of class 1 = 1 (GT 0 predicted 1) → iIoU = 7.5 / (7.5 + 1 + 12.5)
  assert.equal(r.iiou![1], 7.5 / 21);
  assert.ok(Number.isNaN(r.iiou![0]));
  assert.equal(r.miiou, 7.5 / 21);
  // plain IoU of class 1: tp 4, fn 3, fp 1
  assert.equal(r.iou[1], 4 / 8);
});

Deno.test("semantic: iIoU is not available (null) unless every frame had an instance map", () => {
  // Class 1 has instances (average size 10); the prediction puts it on a GT 0 pixel: a false positive.
  const gt = [1, 1, 0, 0], pred = [1, 1, 1, 0], instances = [1, 1, 0, 0];
  const none = createSemanticStats(2, { avgInstanceSize: [NaN, 10] });
  accumulateSemantic(none, gt, pred);
  const r = semanticResult(none);
  assert.equal(r.iou[1], 2 / 3, "IoU is scored as usual");
  assert.equal(r.miiou, null, "no instance map: iIoU not available, not 0 from the false positive");
  assert.equal(r.iiou, null);
  const partial = createSemanticStats(2, { avgInstanceSize: [NaN, 10] });
  accumulateSemantic(partial, gt, pred);
  accumulateInstanceWeights(partial, gt, instances, pred);
  accumulateSemantic(partial, gt, pred);
  assert.equal(semanticResult(partial).miiou, null, "one frame of two without an instance map");
  const both = createSemanticStats(2, { avgInstanceSize: [NaN, 10] });
  for (let k = 0; k < 2; k++) {
    accumulateSemantic(both, gt, pred);
    accumulateInstanceWeights(both, gt, instances, pred);
  }
  assert.equal(semanticResult(both).miiou, 20 / 22, "weighted tp 2 × 10, fp 2 (unweighted)");
  assert.equal(semanticResult(createSemanticStats(2)).miiou, null, "no frame at all");
});

Deno.test("semantic: Cityscapes average instance sizes land on the 8 instance classes", () => {
  const sizes = cityscapesAvgInstanceSize(TRAIN_CLASS_NAMES);
  assert.equal(sizes.length, 19);
  assert.equal(sizes[13], 12794.0202738185); // car
  assert.equal(sizes[11], 3462.4756337644); // person
  assert.equal(Array.from(sizes).filter((v) => !Number.isNaN(v)).length, 8);
  assert.ok(Number.isNaN(sizes[0]));
});

Deno.test("semantic: bad inputs throw errors naming the frame", () => {
  const stats = createSemanticStats(3);
  assert.throws(() => accumulateSemantic(stats, [0, 1], [0], "f.png"), /f\.png: prediction has 1 pixels/);
  assert.throws(() => accumulateSemantic(stats, [0, 7], [0, 1], "g.png"), /g\.png: ground-truth value 7/);
  assert.throws(() => accumulateSemantic(stats, [0, 1], [0, 9], "h.png"), /h\.png: predicted value 9/);
  const inst = createSemanticStats(2, { avgInstanceSize: [NaN, 10] });
  assert.throws(() => accumulateInstanceWeights(inst, [0, 1], [1, 1], [0, 1], "i.png"), /i\.png: instance 1 covers/);
  assert.throws(() => createSemanticStats(3, { ignoreLabel: 2 }), /ignore label 2 is one of the 3 classes/);
});

Deno.test("semantic: other schemes — ika-12 with its 'none' class as void, ACDC-30 with 'none' as a class", () => {
  // trainIds: building, wall, vegetation, terrain, car, void. Prediction confuses wall↔building, terrain↔veg.
  const gtTrain = Uint8Array.from([2, 3, 8, 9, 13, 255]);
  const predTrain = Uint8Array.from([3, 2, 9, 8, 13, 13]);
  // ika-12 merges building+wall (2) and vegetation+terrain (4): every valid pixel is right; none (11) = void.
  const ika = createSemanticStats(NUM_IKA12_CLASSES - 1, { ignoreLabel: IKA12_NONE });
  accumulateSemantic(ika, trainIdsToIka12(gtTrain), trainIdsToIka12(predTrain));
  const r = semanticResult(ika);
  assert.deepEqual([r.iou[2], r.iou[4], r.iou[8]], [1, 1, 1]);
  assert.equal(r.miou, 1);
  assert.equal(r.pixels, 5);
  // ACDC-30 keeps wall/building and vegetation/terrain apart, and scores 'none' (29) as a class of its own:
  // the void GT pixel predicted as car is an FP of car and an FN of none.
  const acdc = createSemanticStats(NUM_ACDC30_CLASSES);
  accumulateSemantic(acdc, trainIdsToAcdc30(gtTrain), trainIdsToAcdc30(predTrain));
  const a = semanticResult(acdc);
  const car = TRAIN_ID_TO_ACDC30[13];
  assert.equal(a.iou[car], 1 / 2);
  assert.equal(a.iou[ACDC30_NONE], 0);
  assert.equal(a.iou[TRAIN_ID_TO_ACDC30[2]], 0);
  assert.equal(a.miou, 1 / 2 / 6); // six classes present (building, wall, vegetation, terrain, car, none)
});
