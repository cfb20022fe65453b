// Test-only: an encoder's four features at an odd input size (65x129) have ceil(size / stride) shapes with the
// encoder's channels, and predicting them leaves no tensor behind.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import type { FeatureStride } from "../backbone.ts";

export function assertOddSizeFeatures(model: tfl.LayersModel, channels: Record<FeatureStride, number>): void {
  const start = tf.memory().numTensors;
  const input = tf.zeros([1, 65, 129, 3]);
  const outs = model.predict(input) as tf.Tensor[];
  assert.deepEqual(outs.map((t) => t.shape), [
    [1, 17, 33, channels[4]],
    [1, 9, 17, channels[8]],
    [1, 5, 9, channels[16]],
    [1, 3, 5, channels[32]],
  ]);
  tf.dispose([input, ...outs]);
  assert.equal(tf.memory().numTensors, start);
}
