import assert from "node:assert/strict";
import { sceneSample } from "../data/datasets/synthetic.ts";
import { buildTargets } from "../data/pipeline/targets.ts";
import { THING_TRAIN_IDS } from "../data/labels/cityscapes_labels.ts";
import { panopticFromHeads } from "../postprocess/panoptic.ts";
import { addFrame, createEvaluation, evaluationResult } from "./evaluate.ts";

const H = 40, W = 60, CAR = 13;
// Road everywhere, two 12x12 cars (144 px each).
const sample = sceneSample("two_cars", H, W, [
  { y: 5, x: 5, height: 12, width: 12, trainId: CAR },
  { y: 5, x: 30, height: 12, width: 12, trainId: CAR },
]);

function predictFromLabels() {
  const t = buildTargets(sample);
  return panopticFromHeads({ classes: sample.semantic }, t.center, t.offsets, H, W, {
    thingClasses: THING_TRAIN_IDS,
    stuffAreaLimit: 1,
  });
}

Deno.test("evaluate: heads made from the labels score 1 everywhere", () => {
  const ev = createEvaluation();
  addFrame(ev, sample, predictFromLabels());
  const r = evaluationResult(ev);
  assert.equal(r.semantic.miou, 1);
  assert.equal(r.semantic.miiou, 1);
  assert.equal(r.panoptic!.all.pq, 1);
  assert.equal(r.panoptic!.all.n, 2);
  assert.equal(r.instance!.ap, 1);
  assert.deepEqual([r.frames, r.instanceFrames], [1, 1]);
});

Deno.test("evaluate: a car predicted as road", () => {
  const pred = predictFromLabels();
  const lost = pred.instances[1];
  for (const i of lost.pixels) {
    pred.semantic[i] = 0;
    pred.panoptic[i] = 0;
  }
  pred.instances.splice(1, 1);
  const ev = createEvaluation();
  addFrame(ev, sample, pred);
  const r = evaluationResult(ev);
  const road = H * W - 2 * 144; // 2112 GT road pixels; the prediction's road has 144 more
  assert.equal(r.semantic.iou[CAR], 144 / 288);
  assert.equal(r.semantic.iou[0], road / (road + 144));
  assert.equal(r.semantic.iiou![CAR], 0.5); // both cars weigh the same
  assert.deepEqual(
    [r.panoptic!.perCategory.get(CAR)!.tp, r.panoptic!.perCategory.get(CAR)!.fn, r.panoptic!.perCategory.get(CAR)!.pq],
    [1, 1, 2 / 3],
  );
  assert.ok(Math.abs(r.panoptic!.all.pq - (2 / 3 + road / (road + 144)) / 2) < 1e-15);
  assert.equal(r.instance!.perClass.get(CAR)!.ap, 0.5); // one TP, one missed GT at every threshold
  assert.equal(r.instance!.ap, 0.5);
});

Deno.test("evaluate: frames without instance labels count for semantics only; sizes must match", () => {
  const ev = createEvaluation();
  const pred = predictFromLabels();
  addFrame(ev, { ...sample, instances: null, crowd: null }, pred);
  const r = evaluationResult(ev);
  assert.equal(r.semantic.miou, 1);
  assert.equal(r.semantic.miiou, null, "iIoU not available");
  assert.equal(r.panoptic, null);
  assert.equal(r.instance, null);
  assert.throws(
    () => addFrame(ev, { ...sample, width: 30 }, pred),
    /two_cars: prediction is 60x40 but the frame is 30x40/,
  );
});
