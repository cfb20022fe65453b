import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../runtime/backend.ts";
import { relativeError, seeded } from "../runtime/kernels/testing/kernel_check.ts";
import { countLabelled, IGNORE_LABEL, softmaxCrossEntropy, softmaxCrossEntropySum } from "./cross_entropy.ts";

await initBackend({ force: "wasm", log: () => {} });

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

Deno.test("on wasm the fused kernel's loss and gradient equal the cpu backend's, extreme logits included", async () => {
  const [n, h, w, classes] = [2, 5, 7, 19];
  const logits = seeded(n * h * w * classes, 3).map((v, i) => (i % 23 === 0 ? 120 * v : 8 * v));
  const labels = Int32Array.from(
    seeded(n * h * w, 4),
    (v, i) => (i % 9 === 0 ? IGNORE_LABEL : Math.floor((v + 1) * 9.5)),
  );
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    const { value, grad } = tf.tidy(() => {
      const y = tf.tensor3d(labels, [n, h, w], "int32");
      const { value, grads } = tf.valueAndGrads((x: tf.Tensor) => softmaxCrossEntropySum(x as tf.Tensor4D, y))([
        tf.tensor4d(logits, [n, h, w, classes]),
      ]);
      return { value: value.dataSync()[0], grad: grads[0].dataSync() as Float32Array };
    });
    return { value, grad };
  };
  const cpu = await run("cpu");
  const wasm = await run("wasm");
  assert.ok(Math.abs(wasm.value - cpu.value) <= 1e-5 * Math.abs(cpu.value), `${wasm.value} vs ${cpu.value}`);
  assert.ok(relativeError(wasm.grad, cpu.grad) <= 1e-5, `gradient error ${relativeError(wasm.grad, cpu.grad)}`);
  assert.ok(wasm.grad.some((g) => g !== 0) && cpu.value > 0);
});

Deno.test("per-pixel loss and its gradient equal autodiff of logsumexp − z_label, ignored pixels 0 (cpu and wasm)", async () => {
  const [n, h, w, classes] = [2, 4, 6, 7];
  const logits = seeded(n * h * w * classes, 5).map((v) => 6 * v);
  const labels = Int32Array.from(
    seeded(n * h * w, 6),
    (v, i) => (i % 5 === 0 ? IGNORE_LABEL : Math.floor((v + 1) * 3.5)),
  );
  const weights = seeded(n * h * w, 7); // an upstream gradient that differs per pixel
  for (const backend of ["cpu", "wasm"]) {
    await tf.setBackend(backend);
    tf.tidy(() => {
      const z = tf.tensor4d(logits, [n, h, w, classes]);
      const y = tf.tensor3d(labels, [n, h, w], "int32");
      const dy = tf.tensor3d(weights, [n, h, w]);
      const labelled = tf.cast(tf.less(y, classes), "float32");
      const reference = (x: tf.Tensor) =>
        tf.mul(tf.sub(tf.logSumExp(x, 3), tf.sum(tf.mul(x, tf.oneHot(y, classes)), 3)), labelled);
      const ours = (x: tf.Tensor) => softmaxCrossEntropy(x as tf.Tensor4D, y);
      const oursValue = ours(z).dataSync() as Float32Array;
      assert.ok(relativeError(oursValue, reference(z).dataSync()) <= 1e-5, `${backend}: values`);
      assert.ok(oursValue.every((v, i) => labels[i] < classes || v === 0), `${backend}: ignored pixels give 0`);
      const weighted = (f: (x: tf.Tensor) => tf.Tensor) => (x: tf.Tensor) => tf.sum(tf.mul(f(x), dy));
      const oursGrad = tf.grad(weighted(ours))(z).dataSync();
      const referenceGrad = tf.grad(weighted(reference))(z).dataSync();
      assert.ok(relativeError(oursGrad, referenceGrad) <= 1e-5, `${backend}: gradient`);
    });
  }
});
