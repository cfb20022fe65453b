import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../runtime/backend.ts";
import { type ConvKind, FoldedConvBn } from "./folded_conv_bn.ts";

await initBackend();

/** conv → batch norm with frozen statistics → ReLU6, written out with plain ops (the unfused reference). */
function reference(
  kind: ConvKind,
  strides: number,
  relu6: boolean,
  x: tf.Tensor4D,
  [kernel, gamma, beta, mean, variance]: tf.Tensor[],
): tf.Tensor {
  const conv = kind === "depthwise"
    ? tf.depthwiseConv2d(x, kernel as tf.Tensor4D, strides, "same")
    : tf.conv2d(x, kernel as tf.Tensor4D, strides, "same");
  const bn = tf.add(tf.mul(tf.div(tf.sub(conv, mean), tf.sqrt(tf.add(variance, 1e-3))), gamma), beta);
  return relu6 ? tf.clipByValue(bn, 0, 6) : bn;
}

const CASES: { kind: ConvKind; kernelSize: number; strides: number; relu6: boolean; constantInput?: boolean }[] = [
  { kind: "conv", kernelSize: 3, strides: 2, relu6: true },
  { kind: "conv", kernelSize: 3, strides: 2, relu6: true, constantInput: true },
  { kind: "conv", kernelSize: 1, strides: 1, relu6: true },
  { kind: "conv", kernelSize: 1, strides: 1, relu6: false },
  { kind: "depthwise", kernelSize: 3, strides: 2, relu6: true },
  { kind: "depthwise", kernelSize: 3, strides: 1, relu6: false },
];

for (const c of CASES) {
  const title = `${c.kind} k${c.kernelSize} s${c.strides} relu6=${c.relu6}${c.constantInput ? " constantInput" : ""}`;
  Deno.test(`FoldedConvBn ${title}: output and gradients`, () => {
    const layer = new FoldedConvBn({
      name: `f_${c.kind}_${c.kernelSize}_${c.strides}${c.constantInput ? "_c" : ""}`,
      bnName: "bn",
      ...c,
      filters: 5,
    });
    const x = tf.randomUniform([2, 7, 9, 4], -3, 3, "float32", 1) as tf.Tensor4D;
    layer.apply(x); // builds
    const weights = layer.getWeights().map((w, i) =>
      i === 4
        ? tf.randomUniform(w.shape, 0.5, 2, "float32", 10 + i)
        : tf.randomUniform(w.shape, -1, 1, "float32", 10 + i)
    );
    layer.setWeights(weights);
    const r = tf.randomNormal(layer.computeOutputShape(x.shape) as number[], 0, 1, "float32", 3);
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const ours = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, r)) as tf.Scalar, vars);
    const oursDx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, r)))(x);
    const theirs = tf.grads((input: tf.Tensor, k: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(reference(c.kind, c.strides, c.relu6, input as tf.Tensor4D, [k, g, b, weights[3], weights[4]]), r))
    )([x, weights[0], weights[1], weights[2]]);
    const close = (a: tf.Tensor, b: tf.Tensor, what: string) => {
      assert.deepEqual(a.shape, b.shape, what);
      const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
      const scale = tf.max(tf.abs(b)).dataSync()[0];
      assert.ok(scale > 0 && diff <= 1e-4 * scale, `${what}: max diff ${diff}, scale ${scale}`);
    };
    close(layer.apply(x) as tf.Tensor, reference(c.kind, c.strides, c.relu6, x, weights), "output");
    close(oursDx, theirs[0], "d input");
    vars.forEach((v, i) => close(ours.grads[v.name], theirs[i + 1], `d ${v.name}`));
    tf.dispose([x, r, oursDx, ...weights, ...theirs, ours.value, ...Object.values(ours.grads)]);
    layer.dispose();
  });
}
