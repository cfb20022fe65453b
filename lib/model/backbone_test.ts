import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { initBackend } from "../runtime/backend.ts";
import { buildBackbone, FEATURE_CHANNELS, normalizeImages } from "./backbone.ts";
import { FoldedConvBn } from "./folded_conv_bn.ts";
import { assertOddSizeFeatures } from "./testing/feature_shapes.ts";
import { readNsfwjsMobileNetV2, readPretrainedWeights } from "./pretrained.ts";

await initBackend();

const MODES = ["layers", "folded"] as const;

for (const batchNorm of MODES) {
  Deno.test(`backbone (${batchNorm}) features have ceil(size / stride) shapes at an odd input size, untrained`, async () => {
    const model = await buildBackbone({ pretrained: false, batchNorm });
    assertOddSizeFeatures(model, FEATURE_CHANNELS);
    const moving = model.weights.filter((w) => /moving_(mean|variance)$/.test(w.originalName));
    assert.equal(moving.length, 2 * 52);
    assert.equal(model.trainableWeights.length, model.weights.length - moving.length);
    assert.equal(model.countParams(), 2257984);
    model.dispose();
  });

  Deno.test(`backbone (${batchNorm}) stops at the deepest requested stride, keeps the requested order`, async () => {
    const model = await buildBackbone({ pretrained: false, strides: [16, 4], batchNorm });
    assert.deepEqual(model.outputs.map((o) => o.shape), [[null, null, null, 576], [null, null, null, 144]]);
    assert.match(model.layers.at(-1)!.name, /^block_13_expand/);
    assert.equal(model.layers.some((l) => l.name.startsWith("block_14")), false);
    model.dispose();
  });
}

Deno.test("backbone refuses strides it does not have", async () => {
  await assert.rejects(buildBackbone({ pretrained: false, strides: [2 as 4] }), /strides must be among/);
});

/** nsfwjs' own Keras graph (explicit ZeroPadding, 'valid' stride-2 convs), cut at out_relu, for a fixed input size. */
async function kerasReference(height: number, width: number): Promise<tfl.LayersModel> {
  const { modelJson } = await readNsfwjsMobileNetV2();
  const topology = structuredClone(modelJson.modelTopology) as {
    model_config: {
      config: { layers: { name: string; config: { batch_input_shape?: unknown } }[]; output_layers: unknown };
    };
  };
  const config = topology.model_config.config;
  config.layers = config.layers.slice(0, config.layers.findIndex((l) => l.name === "out_relu") + 1);
  config.layers[0].config.batch_input_shape = [null, height, width, 3];
  config.output_layers = [["block_3_expand_relu", 0, 0], ["out_relu", 0, 0]];
  const model = await tfl.models.modelFromJSON({
    modelTopology: topology as unknown as tf.io.ModelJSON["modelTopology"],
  });
  const stored = readPretrainedWeights();
  tf.tidy(() => {
    const map: tf.NamedTensorMap = {};
    for (const l of model.layers) {
      for (const w of l.weights) {
        map[w.originalName] = tf.tensor(stored.get(w.originalName)!.values, w.shape as number[]);
      }
    }
    model.loadWeights(map);
  });
  return model;
}

Deno.test("pretrained backbone holds the file's weights and matches nsfwjs' Keras graph, in both modes", async () => {
  const reference = await kerasReference(64, 96);
  const stored = readPretrainedWeights();
  const x = normalizeImages(tf.randomUniform([2, 64, 96, 3], 0, 1, "float32", 7));
  const theirs = reference.predict(x) as tf.Tensor[];
  for (const batchNorm of MODES) {
    const model = await buildBackbone({ strides: [4, 32], batchNorm });
    let checked = 0;
    for (const layer of model.layers) {
      const sources = layer instanceof FoldedConvBn ? layer.sourceNames() : undefined;
      layer.weights.forEach((w, i) => {
        const values = layer.getWeights()[i].dataSync();
        assert.deepEqual(values, stored.get(sources?.get(w.originalName) ?? w.originalName)!.values, w.originalName);
        checked++;
      });
    }
    assert.equal(checked, 5 * 52);
    tf.tidy(() => {
      const ours = model.predict(x) as tf.Tensor[];
      for (let i = 0; i < 2; i++) {
        assert.deepEqual(ours[i].shape, theirs[i].shape);
        const diff = tf.max(tf.abs(tf.sub(ours[i], theirs[i]))).dataSync()[0];
        const scale = tf.max(tf.abs(theirs[i])).dataSync()[0];
        assert.ok(scale > 0.1 && diff <= 1e-4 * scale, `${batchNorm} feature ${i}: max diff ${diff}, scale ${scale}`);
      }
    });
    model.dispose();
  }
  tf.dispose([x, ...theirs]);
  reference.dispose();
});
