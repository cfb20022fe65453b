// Tests: a small conv net on wasm — gradients equal the cpu backend's, Adam lowers the loss, nothing leaks.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { relativeError, seeded, useWasm } from "./testing/kernel_check.ts";

/** A MobileNetV2-shaped toy (bias-free convs before batch norm, as there), bilinear upsampling, per-pixel classes. */
function smallConvNet(): tfl.LayersModel {
  let seed = 1;
  const init = () => tfl.initializers.glorotUniform({ seed: seed++ });
  const input = tfl.input({ shape: [15, 17, 3] });
  const bnRelu = (t: tfl.SymbolicTensor) =>
    tfl.layers.reLU({ maxValue: 6 }).apply(tfl.layers.batchNormalization().apply(t)) as tfl.SymbolicTensor;
  let t = bnRelu(
    tfl.layers.conv2d({
      kernelInitializer: init(),
      filters: 8,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      useBias: false,
    }).apply(
      input,
    ) as tfl.SymbolicTensor,
  );
  t = bnRelu(
    tfl.layers.depthwiseConv2d({ depthwiseInitializer: init(), kernelSize: 3, padding: "same", useBias: false }).apply(
      t,
    ) as tfl.SymbolicTensor,
  );
  t = bnRelu(
    tfl.layers.conv2d({ kernelInitializer: init(), filters: 12, kernelSize: 1, useBias: false }).apply(
      t,
    ) as tfl.SymbolicTensor,
  );
  t = bnRelu(
    tfl.layers.depthwiseConv2d({
      depthwiseInitializer: init(),
      kernelSize: 3,
      strides: 2,
      padding: "valid",
      useBias: false,
    }).apply(
      t,
    ) as tfl.SymbolicTensor,
  );
  t = tfl.layers.conv2d({ kernelInitializer: init(), filters: 4, kernelSize: 1 }).apply(t) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: t });
}

function batch(): { x: tf.Tensor4D; labels: tf.Tensor4D } {
  const x = tf.tensor4d(seeded(2 * 15 * 17 * 3, 5), [2, 15, 17, 3]);
  const ids = tf.tensor1d(Array.from(seeded(2 * 15 * 17, 6), (v) => Math.floor((v + 1) * 2)), "int32");
  const oneHot = tf.oneHot(ids, 4);
  const labels = tf.reshape(oneHot, [2, 15, 17, 4]) as tf.Tensor4D;
  tf.dispose([ids, oneHot]);
  return { x, labels };
}

function loss(model: tfl.LayersModel, x: tf.Tensor4D, labels: tf.Tensor4D): tf.Scalar {
  const logits = model.apply(x, { training: true }) as tf.Tensor4D;
  const up = tf.image.resizeBilinear(logits, [15, 17]);
  return tf.losses.softmaxCrossEntropy(labels, up) as tf.Scalar;
}

Deno.test("small conv net: wasm gradients equal the cpu backend's", async () => {
  await useWasm();
  const model = smallConvNet();
  const { x, labels } = batch();
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const gradsOn = async (backend: string) => {
    await tf.setBackend(backend);
    const { grads } = tf.variableGrads(() => loss(model, x, labels), weights);
    const values = weights.map((w) => grads[w.name].dataSync() as Float32Array);
    tf.dispose(Object.values(grads));
    return values;
  };
  const cpu = await gradsOn("cpu");
  const wasm = await gradsOn("wasm");
  for (const [i, w] of weights.entries()) {
    assert.ok(relativeError(wasm[i], cpu[i]) <= 1e-4, `gradient of ${w.name}: ${relativeError(wasm[i], cpu[i])}`);
  }
  tf.dispose([x, labels]);
  model.dispose();
});

Deno.test("small conv net trains on wasm: Adam lowers the loss and no tensor leaks over 20 steps", async () => {
  await useWasm();
  const model = smallConvNet();
  const { x, labels } = batch();
  const optimizer = tf.train.adam(0.01);
  const step = () => {
    const value = optimizer.minimize(() => loss(model, x, labels), true)!;
    const number = value.dataSync()[0];
    value.dispose();
    return number;
  };
  const first = step();
  const tensors = tf.memory().numTensors;
  const buffers = tf.engine().backend.numDataIds();
  let last = first;
  for (let i = 0; i < 20; i++) {
    last = step();
    assert.equal(tf.memory().numTensors, tensors, `tensor count grew at step ${i + 2}`);
    assert.equal(tf.engine().backend.numDataIds(), buffers, `wasm buffer count grew at step ${i + 2}`);
  }
  assert.ok(last < first * 0.9, `loss went from ${first} to ${last}`);
  tf.dispose([x, labels]);
  optimizer.dispose();
  model.dispose();
});
