import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { readRgb } from "../io/image_io.ts";
import { initBackend } from "../runtime/backend.ts";
import { sharedData } from "../testing/shared_data.ts";
import { normalizeImages } from "./backbone.ts";
import { centernetDir, loadCenternet } from "./centernet_package.ts";
import { assertOddSizeFeatures } from "./testing/feature_shapes.ts";
import { buildMobileNetV3Coco, graphWeightName, V3_FEATURE_CHANNELS, V3_FEATURE_LAYERS } from "./mobilenet_v3.ts";
import { HARD_SCALE, HardSwish, hardSwish } from "./mobilenet_v3_layers.ts";
import { seeded } from "../runtime/kernels/testing/kernel_check.ts";

await initBackend();

const modelDir = centernetDir();
const GRAPH_SIZE = 512;
const kittiFrame = sharedData("kitti-semantics-2015", "image_2", "000000_10.png");

Deno.test("MobileNetV3 features have ceil(size / stride) shapes at an odd input size, untrained, no leak", async () => {
  const model = await buildMobileNetV3Coco({ pretrained: false, seed: 3 });
  assertOddSizeFeatures(model, V3_FEATURE_CHANNELS);
  assert.equal(model.weights.length, 124); // every float weight centernet.json has for the encoder
  assert.equal(model.countParams(), 1751064);
  model.dispose();
});

Deno.test("MobileNetV3 stops at the deepest requested stride and keeps the requested order", async () => {
  const model = await buildMobileNetV3Coco({ pretrained: false, strides: [16, 4] });
  assert.deepEqual(model.outputs.map((o) => o.shape), [[null, null, null, 528], [null, null, null, 72]]);
  assert.equal(model.layers.at(-1)!.name, "expanded_conv_12/expand/hard_swish");
  model.dispose();
  await assert.rejects(buildMobileNetV3Coco({ pretrained: false, strides: [2 as 4] }), /strides must be among/);
});

Deno.test("graphWeightName maps our weight names to centernet.json's", () => {
  assert.equal(graphWeightName("Conv/kernel"), "tower_0/MobilenetV3/Conv/Conv2D_weights");
  assert.equal(graphWeightName("Conv/bias"), "tower_0/MobilenetV3/Conv/Conv2D_bn_offset");
  assert.equal(
    graphWeightName("expanded_conv_3/depthwise/depthwise_kernel"),
    "tower_0/MobilenetV3/expanded_conv_3/depthwise/depthwise_weights",
  );
  assert.equal(
    graphWeightName("expanded_conv_3/depthwise/bias"),
    "tower_0/MobilenetV3/expanded_conv_3/depthwise/depthwise_bn_offset",
  );
  assert.equal(
    graphWeightName("expanded_conv_3/squeeze_excite/Conv_1/biases"),
    "MobilenetV3/expanded_conv_3/squeeze_excite/Conv_1/biases",
  );
  assert.equal(graphWeightName("extern1/kernel"), "tower_0/extern1/Conv2D_weights");
});

Deno.test("hardSwish and its gradient equal x·relu6(x+3)·HARD_SCALE and its derivative on every piece, no leak", () => {
  const xs = [-5, -3.5, -2, -1, 0, 0.5, 2.5, 3.5, 8];
  const start = tf.memory().numTensors;
  const x = tf.tensor1d(xs);
  const dy = tf.tensor1d(xs.map((_, i) => 1 + i / 10));
  const [y, dx] = tf.tidy(() => {
    const y = hardSwish(x);
    return [y, tf.grad((v: tf.Tensor) => hardSwish(v))(x, dy)];
  });
  const relu6 = (v: number) => Math.min(Math.max(v, 0), 6);
  const slope = (v: number) => (v < -3 ? 0 : v > 3 ? 6 : 2 * v + 3) * HARD_SCALE;
  const yv = y.dataSync(), dxv = dx.dataSync(), dyv = dy.dataSync();
  xs.forEach((v, i) => {
    assert.ok(Math.abs(yv[i] - v * relu6(v + 3) * HARD_SCALE) < 1e-6, `hardSwish(${v}) = ${yv[i]}`);
    assert.ok(Math.abs(dxv[i] - dyv[i] * slope(v)) < 1e-6, `hardSwish'(${v}) = ${dxv[i] / dyv[i]}`);
  });
  tf.dispose([x, dy, y, dx]);
  assert.equal(tf.memory().numTensors, start);
});

// The detector package is fetched by `deno task setup` (lib/model/pretrained_coco.ts); without it (setup not run,
// or no network) there is nothing to compare against.
Deno.test({
  name: "on KITTI frame 000000_10 the rebuilt encoder's taps match the CenterNet graph's nodes to 1e-3 relative",
  ignore: !existsSync(`${modelDir}/centernet.bin`) || !existsSync(kittiFrame),
  fn: async () => {
    const graph = await loadCenternet(modelDir);
    const encoder = await buildMobileNetV3Coco();
    const image = await readRgb(kittiFrame);
    const start = tf.memory().numTensors;
    const errors = tf.tidy(() => {
      // The graph's input is fixed at 512x512: the frame's right 512 columns (the near car), padded below as the
      // pseudo-labeller pads its tiles.
      const frame = tf.tensor3d(Float32Array.from(image.data), [image.height, image.width, 3]);
      const crop = tf.slice(frame, [0, image.width - GRAPH_SIZE, 0], [image.height, GRAPH_SIZE, 3]);
      const pixels = tf.expandDims(tf.pad(crop, [[0, GRAPH_SIZE - image.height], [0, 0], [0, 0]]), 0);
      const ours = encoder.predict(normalizeImages(tf.div(pixels, 255))) as tf.Tensor[];
      const nodes = ([4, 8, 16, 32] as const).map((s) => V3_FEATURE_LAYERS[s].node);
      const theirs = graph.execute({ "tower_0/images": pixels }, nodes) as tf.Tensor[];
      return ours.map((o, i) => {
        assert.deepEqual(o.shape, theirs[i].shape, `shape of ${nodes[i]}`);
        return tf.div(tf.max(tf.abs(tf.sub(o, theirs[i]))), tf.max(tf.abs(theirs[i]))).dataSync()[0];
      });
    });
    console.log(`max |ours - graph| / max |graph| at strides 4, 8, 16, 32: ${errors.map((e) => e.toExponential(2))}`);
    assert.equal(tf.memory().numTensors, start);
    graph.dispose();
    encoder.dispose();
    for (const e of errors) assert.ok(e < 1e-3, `relative error ${e}`);
  },
});

Deno.test("the HardSwish layer gives the same values outside a gradient tape (one kernel) as inside (ops)", () => {
  const layer = new HardSwish({});
  const x = tf.tensor4d(seeded(2 * 5 * 7 * 9, 4).map((v) => 8 * v), [2, 5, 7, 9]);
  const inference = layer.call(x) as tf.Tensor;
  let training: Float32Array | undefined;
  tf.grad((t: tf.Tensor) => {
    const y = layer.call(t) as tf.Tensor;
    training = y.dataSync() as Float32Array;
    return tf.sum(y);
  })(x);
  assert.deepEqual(Array.from(inference.dataSync()), Array.from(training!));
  tf.dispose([x, inference]);
});
