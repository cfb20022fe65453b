import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend.ts";
import { countLabelled, IGNORE_LABEL, softmaxCrossEntropySum } from "./cross_entropy.ts";

await initBackend();

Deno.test("softmaxCrossEntropySum adds -log p(label) over labelled pixels and skips ignored ones", () => {
  const logits = [[0, 0, 0], [Math.log(2), 0, 0], [5, 1, 2], [1, 2, 3]]; // 4 pixels, 3 classes
  const labels = [1, 0, IGNORE_LABEL, 2];
  const expected = logits.reduce((sum, l, i) => {
    if (labels[i] >= 3) return sum;
    const logZ = Math.log(l.reduce((s, v) => s + Math.exp(v), 0));
    return sum + logZ - l[labels[i]];
  }, 0);
  const start = tf.memory().numTensors;
  const value = tf.tidy(() =>
    softmaxCrossEntropySum(tf.tensor4d(logits.flat(), [1, 2, 2, 3]), tf.tensor3d(labels, [1, 2, 2], "int32"))
      .dataSync()[0]
  );
  assert.ok(Math.abs(value - expected) < 1e-5, `${value} vs ${expected}`);
  assert.equal(tf.memory().numTensors, start);
  assert.equal(countLabelled(Uint8Array.from(labels), 3), 3);
});
