import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { initBackend } from "../runtime/backend.ts";
import { atrousDepthwise, AtrousDepthwiseConv2D } from "./atrous_depthwise.ts";

await initBackend({ log: () => {} });

/** The reference: a dilated depthwise convolution summed pixel by pixel (zero padding, "same", stride 1). */
function naive(x: number[][][], kernel: number[][][], rate: number): number[][][] {
  const h = x.length, w = x[0].length, c = x[0][0].length, k = kernel.length, half = (k - 1) / 2;
  return x.map((row, y) =>
    row.map((_, xx) =>
      Array.from({ length: c }, (_, ch) => {
        let sum = 0;
        for (let i = 0; i < k; i++) {
          for (let j = 0; j < k; j++) {
            const yy = y + (i - half) * rate, xs = xx + (j - half) * rate;
            if (yy >= 0 && yy < h && xs >= 0 && xs < w) sum += x[yy][xs][ch] * kernel[i][j][ch];
          }
        }
        return sum;
      })
    )
  );
}

const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

Deno.test("atrousDepthwise equals the pixel-by-pixel dilated convolution at rates 1, 3 and 6, no leak", () => {
  const x = tf.randomNormal([1, 9, 14, 3], 0, 1, "float32", 1) as tf.Tensor4D;
  const kernel = tf.randomNormal([3, 3, 3, 1], 0, 1, "float32", 2) as tf.Tensor4D;
  const before = tf.memory().numTensors;
  for (const rate of [1, 3, 6]) {
    const y = atrousDepthwise(x, kernel, [rate, rate]);
    const expected = naive(
      (x.arraySync() as number[][][][])[0],
      (kernel.arraySync() as number[][][][]).map((r) => r.map((c) => c.map((v) => v[0]))),
      rate,
    );
    assert.ok(maxDiff(Array.from(y.dataSync()), expected.flat(2)) < 1e-5, `rate ${rate}`);
    if (rate === 1) {
      const stock = tf.depthwiseConv2d(x, kernel, 1, "same");
      assert.ok(maxDiff(Array.from(y.dataSync()), Array.from(stock.dataSync())) < 1e-5, "rate 1 = tf.depthwiseConv2d");
      stock.dispose();
    }
    y.dispose();
  }
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("AtrousDepthwiseConv2D has DepthwiseConv2D's weights and config, trains, infers as it trains, and round-trips", () => {
  const args = { kernelSize: 3, dilationRate: 6, padding: "same" as const, name: "aspp_rate6_dw" };
  const input = tfl.input({ shape: [12, 16, 4] });
  const model = tfl.model({
    inputs: input,
    outputs: new AtrousDepthwiseConv2D(args).apply(input) as tfl.SymbolicTensor,
  });
  const stock = tfl.layers.depthwiseConv2d(args);
  stock.apply(tfl.input({ shape: [12, 16, 4] }));
  assert.deepEqual(model.layers[1].weights.map((w) => w.originalName), stock.weights.map((w) => w.originalName));
  assert.equal(model.layers[1].getConfig().dilationRate?.toString(), "6,6");

  const x = tf.randomNormal([1, 12, 16, 4], 0, 1, "float32", 3);
  const grads = tf.variableGrads(() => tf.sum(tf.square(model.apply(x) as tf.Tensor)) as tf.Scalar);
  assert.equal(Object.keys(grads.grads).length, 2, "gradients for kernel and bias");
  assert.ok(Object.values(grads.grads).every((g) => tf.sum(tf.abs(g)).dataSync()[0] > 0));

  const [kernel] = model.layers[1].getWeights() as tf.Tensor4D[];
  const inference = (model.predict(x) as tf.Tensor).dataSync();
  const taps = atrousDepthwise(x as tf.Tensor4D, kernel, [6, 6]).dataSync();
  assert.ok(maxDiff(Array.from(inference), Array.from(taps)) < 1e-5, "the inference path equals the sum of taps");

  const copy = tfl.models.modelFromJSON({ modelTopology: model.toJSON(null, false) }) as unknown as Promise<
    tfl.LayersModel
  >;
  return copy.then((m) => {
    assert.equal(m.layers[1].getClassName(), "AtrousDepthwiseConv2D");
    m.setWeights(model.getWeights());
    const a = (model.predict(x) as tf.Tensor).dataSync(), b = (m.predict(x) as tf.Tensor).dataSync();
    assert.ok(maxDiff(Array.from(a), Array.from(b)) === 0);
  });
});

Deno.test("tfjs-layers' DepthwiseConv2D ignores its dilation rate (why old models keep rate 1 and the ASPP needs its own layer)", () => {
  // If a tfjs release starts honouring dilationRate, models saved before AtrousDepthwiseConv2D would change their
  // predictions when loaded: this test then fails, to say so.
  const layer = tfl.layers.depthwiseConv2d({ kernelSize: 3, dilationRate: 3, padding: "same", useBias: false });
  const x = tf.randomNormal([1, 10, 10, 2], 0, 1, "float32", 4) as tf.Tensor4D;
  const y = layer.apply(x) as tf.Tensor;
  const kernel = layer.getWeights()[0] as tf.Tensor4D;
  const atRate1 = tf.depthwiseConv2d(x, kernel, 1, "same");
  const atRate3 = atrousDepthwise(x, kernel, [3, 3]);
  assert.ok(maxDiff(Array.from(y.dataSync()), Array.from(atRate1.dataSync())) < 1e-5, "computes rate 1");
  assert.ok(maxDiff(Array.from(y.dataSync()), Array.from(atRate3.dataSync())) > 1e-2, "does not compute rate 3");
});
