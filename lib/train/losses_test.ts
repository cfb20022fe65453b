import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../runtime/backend.ts";
import type { PanopticTargets } from "../data/pipeline/targets.ts";
import {
  averageTopKLoss,
  panopticLoss,
  type PanopticPredictions,
  type PanopticTargetTensors,
  stackTargets,
} from "./losses.ts";

const quiet = { log: () => {} };
const LN3 = Math.log(3);
/** Cross-entropy of logits (2, 0, 0) for class 0 and for class 1. */
const CE_RIGHT = Math.log(Math.exp(2) + 2) - 2;
const CE_WRONG = Math.log(Math.exp(2) + 2);
/** Offset L1: mean over (dy, dx) per pixel, averaged over the two non-zero pixels, times 0.01. */
const OFFSET = 0.01 * (2 + 1.25) / 2;

/**
 * One 2x3 image, 3 classes. Pixels: 0 right (CE_RIGHT), 1 wrong (CE_WRONG), 2 ignored (would be the largest loss),
 * 3 uniform logits with weight 3 (3·ln3, the largest weighted loss), 4 uniform (ln3), 5 weight 0 (would be ~9).
 */
function example(): { predictions: PanopticPredictions; targets: PanopticTargetTensors } {
  return {
    predictions: {
      semanticLogits: tf.tensor4d([2, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9], [1, 2, 3, 3]),
      // centre: pixel 0 off by 0.5, pixel 3 off by 1 but weight 0, others exact.
      center: tf.tensor4d([0.5, 0, 0, 1, 0, 0], [1, 2, 3, 1]),
      // offsets: pixel 0 |(1,3)-(0,0)| mean 2, pixel 1 |(0.5,-1)-(0,1)| mean 1.25, pixel 2 far off but weight 0.
      offsets: tf.tensor4d([1, 3, 0.5, -1, 50, 50, 0, 0, 0, 0, 0, 0], [1, 2, 3, 2]),
    },
    targets: {
      semantic: tf.tensor3d([0, 1, 255, 2, 0, 0], [1, 2, 3], "int32"),
      semanticWeights: tf.tensor3d([1, 1, 1, 3, 1, 0], [1, 2, 3]),
      center: tf.tensor4d([1, 0, 0, 0, 0, 0], [1, 2, 3, 1]),
      centerWeights: tf.tensor3d([1, 1, 1, 0, 1, 1], [1, 2, 3]),
      offsets: tf.tensor4d([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0], [1, 2, 3, 2]),
      offsetWeights: tf.tensor3d([1, 1, 0, 0, 0, 0], [1, 2, 3]),
    },
  };
}

function values(loss: Record<string, tf.Scalar>): Record<string, number> {
  return Object.fromEntries(Object.entries(loss).map(([k, v]) => [k, v.dataSync()[0]]));
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-5 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
}

Deno.test("losses match hand-computed values: top-k with weights and ignore, MSE and L1 over non-zero losses", async () => {
  for (const backend of ["cpu", "wasm"]) {
    await initBackend({ ...quiet, force: backend });
    const { predictions, targets } = example();
    // k = round(0.2·6) = 1: the weight-3 pixel (3·ln3) beats the unweighted CE_WRONG; ignored/zero-weight ones lose.
    const loss = values({ ...panopticLoss(predictions, targets) });
    close(loss.semantic, 3 * LN3, `${backend} semantic`);
    close(loss.center, 200 * 0.25, `${backend} centre`); // one non-zero loss (0.5²) of five weighted pixels
    close(loss.offset, OFFSET, `${backend} offset`);
    close(loss.total, 3 * LN3 + 50 + OFFSET, `${backend} total`);
    // k = 3 keeps 3·ln3, CE_WRONG, ln3; k = 6 keeps all four non-zero losses and divides by 4, not 6.
    close(
      panopticLoss(predictions, targets, { topKPercent: 0.5 }).semantic.dataSync()[0],
      (4 * LN3 + CE_WRONG) / 3,
      "k=3",
    );
    close(
      panopticLoss(predictions, targets, { topKPercent: 1 }).semantic.dataSync()[0],
      (4 * LN3 + CE_WRONG + CE_RIGHT) / 4,
      "k=6",
    );
    const weighted = panopticLoss(predictions, targets, { semanticWeight: 2, centerWeight: 1, offsetWeight: 1 });
    close(weighted.total.dataSync()[0], 6 * LN3 + 0.25 + OFFSET * 100, "custom weights");
    tf.disposeVariables();
    tf.dispose([predictions, targets] as unknown as tf.Tensor[]);
  }
});

Deno.test("each image is averaged on its own, then the batch is averaged", async () => {
  await initBackend({ ...quiet, force: "cpu" });
  const { predictions: p, targets: t } = example();
  const twice = <T extends tf.Tensor>(x: T) => tf.concat([x, x]) as T;
  const allIgnored = tf.fill([1, 2, 3], 255, "int32") as tf.Tensor3D;
  const predictions = { semanticLogits: twice(p.semanticLogits), center: twice(p.center), offsets: twice(p.offsets) };
  const targets = {
    semantic: tf.concat([t.semantic, allIgnored]) as tf.Tensor3D,
    semanticWeights: twice(t.semanticWeights),
    center: tf.concat([t.center, tf.zeros([1, 2, 3, 1])]) as tf.Tensor4D,
    centerWeights: twice(t.centerWeights),
    offsets: twice(t.offsets),
    offsetWeights: twice(t.offsetWeights),
  };
  const loss = values({ ...panopticLoss(predictions, targets) });
  close(loss.semantic, (3 * LN3 + 0) / 2, "semantic"); // the fully ignored image contributes 0, not NaN
  close(loss.center, 200 * (0.25 + 0.25) / 2, "centre"); // image 2: prediction 0.5 vs target 0 at pixel 0
  close(loss.offset, OFFSET, "offset");
});

Deno.test("averageTopKLoss rejects fractions outside (0, 1] and gives 0 when k rounds to 0", async () => {
  await initBackend({ ...quiet, force: "cpu" });
  assert.throws(() => averageTopKLoss(tf.ones([1, 4]), 0), /top-k fraction 0 is not in \(0, 1\]/);
  assert.throws(() => averageTopKLoss(tf.ones([1, 4]), 1.5), /top-k fraction 1.5/);
  assert.deepEqual(Array.from(averageTopKLoss(tf.ones([2, 2]), 0.2).dataSync()), [0, 0]);
});

Deno.test("gradients flow only through the kept pixels, are finite and leave no tensors behind", async () => {
  for (const backend of ["cpu", "wasm"]) {
    await initBackend({ ...quiet, force: backend });
    const { predictions, targets } = example();
    const logits = tf.variable(predictions.semanticLogits);
    const center = tf.variable(predictions.center);
    const offsets = tf.variable(predictions.offsets);
    const before = tf.memory().numTensors;
    // A trainer keeps the parts it logs with tf.keep: variableGrads disposes everything else f creates.
    let parts: tf.Scalar[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const loss = panopticLoss({ semanticLogits: logits, center, offsets } as PanopticPredictions, targets);
      parts = [loss.semantic, loss.center, loss.offset].map((t) => tf.keep(t));
      return loss.total;
    }, [logits, center, offsets]);
    close(value.dataSync()[0], 3 * LN3 + 50 + OFFSET, "value");
    [3 * LN3, 50, OFFSET].forEach((v, i) => close(parts[i].dataSync()[0], v, `part ${i}`));
    const g = grads[logits.name].dataSync();
    // Only pixel 3 is kept: d(3·CE)/dlogits = 3·(softmax − onehot(2)) = (1, 1, −2); everything else is 0.
    const expected = new Float32Array(18);
    expected.set([1, 1, -2], 9);
    g.forEach((v, i) => close(v, expected[i], `dlogits[${i}]`));
    // Centre: 200 · 2·(0.5 − 1) / 1 at pixel 0 only. Offset: 0.01 · sign / 2 channels / 2 non-zero pixels.
    assert.deepEqual(Array.from(grads[center.name].dataSync()).map((v) => Math.round(v * 1e4) / 1e4), [
      -200,
      0,
      0,
      0,
      0,
      0,
    ]);
    const go = Array.from(grads[offsets.name].dataSync());
    [0.0025, 0.0025, 0.0025, -0.0025, 0, 0, 0, 0, 0, 0, 0, 0].forEach((v, i) => close(go[i], v, `doffsets[${i}]`));
    assert.ok([...Object.values(grads)].every((t) => t.dataSync().every(Number.isFinite)));
    tf.dispose([value, ...parts, ...Object.values(grads)]);
    assert.equal(tf.memory().numTensors, before, `${backend}: tensors leaked`);
    tf.disposeVariables();
  }
});

Deno.test("the losses dispose their intermediates", async () => {
  await initBackend({ ...quiet, force: "cpu" });
  const { predictions, targets } = example();
  const before = tf.memory().numTensors;
  const loss = panopticLoss(predictions, targets);
  assert.equal(tf.memory().numTensors, before + 4);
  tf.dispose(Object.values(loss));
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("shape mismatches name the tensor", async () => {
  await initBackend({ ...quiet, force: "cpu" });
  const { predictions, targets } = example();
  assert.throws(
    () => panopticLoss({ ...predictions, offsets: tf.zeros([1, 2, 3, 1]) as tf.Tensor4D }, targets),
    /losses.ts: offset prediction has shape \[1,2,3,1\] but \[1,2,3,2\] is needed/,
  );
});

Deno.test("stackTargets stacks per-image maps into batch tensors", async () => {
  await initBackend({ ...quiet, force: "cpu" });
  const one = (v: number): PanopticTargets => ({
    height: 1,
    width: 2,
    semantic: new Uint8Array([v, 255]),
    semanticWeights: new Float32Array([v, 0]),
    center: new Float32Array([v / 10, 0]),
    centerWeights: new Float32Array([1, v]),
    offsets: new Float32Array([v, -v, 0, 1]),
    offsetWeights: new Float32Array([0, v]),
  });
  const t = stackTargets([one(1), one(2)]);
  assert.deepEqual(t.semantic.shape, [2, 1, 2]);
  assert.equal(t.semantic.dtype, "int32");
  assert.deepEqual(Array.from(t.semantic.dataSync()), [1, 255, 2, 255]);
  assert.deepEqual(t.offsets.shape, [2, 1, 2, 2]);
  assert.deepEqual(Array.from(t.offsets.dataSync()), [1, -1, 0, 1, 2, -2, 0, 1]);
  assert.deepEqual(Array.from(t.center.dataSync()), [0.1, 0, 0.2, 0].map(Math.fround));
  assert.deepEqual(Array.from(t.offsetWeights.dataSync()), [0, 1, 0, 2]);
  assert.throws(() => stackTargets([one(1), { ...one(2), width: 1, height: 2 }]), /targets are 1x2 and 2x1/);
});
