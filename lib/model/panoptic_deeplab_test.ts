import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../runtime/backend.ts";
import { buildPanopticDeepLab } from "./panoptic_deeplab.ts";
import { summarizeModel } from "./summary.ts";

await initBackend({ force: "wasm", log: () => {} });

Deno.test("heads come out at input resolution with 19 / 1 / 2 channels, for any multiple of 16", async () => {
  const model = await buildPanopticDeepLab({ pretrained: false });
  for (const [h, w] of [[64, 128], [48, 80]]) {
    const outputs = tf.tidy(() => model.predict(tf.zeros([2, h, w, 3])) as tf.Tensor[]);
    assert.deepEqual(outputs.map((t) => t.shape), [[2, h, w, 19], [2, h, w, 1], [2, h, w, 2]]);
    tf.dispose(outputs);
  }
  model.dispose();
});

Deno.test("the COCO MobileNetV3 encoder feeds the same decoders and heads (its own tap channels), no leak", async () => {
  const model = await buildPanopticDeepLab({ pretrained: false, encoder: "mobilenet_v3_coco" });
  assert.equal(model.name, "panoptic_deeplab_mobilenet_v3_coco");
  const start = tf.memory().numTensors;
  const outputs = tf.tidy(() => model.predict(tf.zeros([1, 48, 80, 3])) as tf.Tensor[]);
  assert.deepEqual(outputs.map((t) => t.shape), [[1, 48, 80, 19], [1, 48, 80, 1], [1, 48, 80, 2]]);
  tf.dispose(outputs);
  assert.equal(tf.memory().numTensors, start);
  model.dispose();
});

Deno.test("sizes that are not multiples of 16 and unknown initialisations are refused, named in the message", async () => {
  await assert.rejects(buildPanopticDeepLab({ pretrained: false }, [375, 1242]), /375x1242 must be a multiple of 16/);
  const typo = { pretrained: false, decoderInit: "hee" } as unknown as Parameters<typeof buildPanopticDeepLab>[0];
  await assert.rejects(buildPanopticDeepLab(typo), /decoderInit "hee" must be "glorot" or "he"/);
  const encoder = { pretrained: false, encoder: "resnet" } as unknown as Parameters<typeof buildPanopticDeepLab>[0];
  await assert.rejects(
    buildPanopticDeepLab(encoder),
    /encoder "resnet" must be one of mobilenet_v2, mobilenet_v3_coco/,
  );
});

Deno.test("summary counts every parameter and the convolutions' FLOPs; all weights are trainable", async () => {
  const model = await buildPanopticDeepLab({ pretrained: false, numClasses: 7 }, [64, 128]);
  const s = summarizeModel(model);
  assert.equal(s.params, model.countParams());
  assert.equal(s.layers.reduce((a, l) => a + l.params, 0), s.params);
  // Non-trainable = the encoder's frozen batch-norm statistics (mean and variance per folded channel).
  const frozen = model.nonTrainableWeights.reduce((a, w) => a + w.shape.reduce((x, y) => x! * y!, 1)!, 0);
  assert.ok(frozen > 0);
  assert.equal(s.trainableParams, s.params - frozen);
  const logits = s.layers.find((l) => l.name === "semantic_logits")!;
  // 1x1 conv from 128 channels to 7 classes at stride 4 of 64x128: 2 * 16*32*7*128 FLOPs.
  assert.equal(logits.flops, 2 * 16 * 32 * 7 * 128);
  assert.ok(s.flops > 0.1e9 && s.flops < 2e9, `unexpected total ${s.flops}`);
  model.dispose();
});

Deno.test("decoderKernel 5 gives the decoders' fusion and the heads 5x5 depthwise kernels, the ASPP keeps 3x3", async () => {
  const kernels = async (decoderKernel: 3 | 5) => {
    const model = await buildPanopticDeepLab({ pretrained: false, decoderKernel }, [64, 128]);
    const shape = (name: string) => model.getLayer(name).getWeights()[0].shape.slice(0, 2);
    const out = {
      fuse: shape("semantic_fuse_s4_dw"),
      head: shape("center_head_dw"),
      aspp: shape("aspp_rate3_dw"),
      flops: summarizeModel(model).flops,
    };
    model.dispose();
    return out;
  };
  const [three, five] = [await kernels(3), await kernels(5)];
  assert.deepEqual([three.fuse, three.head, three.aspp], [[3, 3], [3, 3], [3, 3]]);
  assert.deepEqual([five.fuse, five.head, five.aspp], [[5, 5], [5, 5], [3, 3]]);
  assert.ok(five.flops > three.flops);
  const typo = { pretrained: false, decoderKernel: 4 } as unknown as Parameters<typeof buildPanopticDeepLab>[0];
  await assert.rejects(buildPanopticDeepLab(typo), /decoderKernel 4 must be 3 or 5/);
});

Deno.test("the same seed builds the same initial weights, another seed other ones", async () => {
  const weights = async (seed: number) => {
    const model = await buildPanopticDeepLab({ pretrained: false, seed });
    const values = model.getWeights().map((w) => w.dataSync().slice());
    model.dispose();
    return values;
  };
  const [a, b, c] = [await weights(3), await weights(3), await weights(4)];
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

Deno.test("He decoder initialisation keeps the signal: logits vary across pixels far more than with Glorot", async () => {
  const image = tf.randomUniform([1, 64, 128, 3], -1, 1, "float32", 7);
  const spread = async (decoderInit: "glorot" | "he") => {
    const model = await buildPanopticDeepLab({ pretrained: true, decoderInit });
    const [logits] = model.predict(image) as tf.Tensor[];
    const std = tf.tidy(() => tf.mean(tf.sqrt(tf.moments(logits, [0, 1, 2]).variance)).dataSync()[0]);
    tf.dispose(logits);
    model.dispose();
    return std;
  };
  const [glorot, he] = [await spread("glorot"), await spread("he")];
  assert.ok(he > 10 * glorot, `per-channel spread of the logits: he ${he}, glorot ${glorot}`);
  image.dispose();
});

Deno.test("atrous: the ASPP's rate branches are AtrousDepthwiseConv2D (rates computed), or DepthwiseConv2D as before", async () => {
  for (const atrous of [true, false]) {
    const model = await buildPanopticDeepLab({ pretrained: false, atrous });
    const aspp = model.layers.filter((l) => /^aspp_rate\d+_dw$/.test(l.name));
    assert.deepEqual(aspp.map((l) => l.name), ["aspp_rate3_dw", "aspp_rate6_dw"]);
    const expected = atrous ? "AtrousDepthwiseConv2D" : "DepthwiseConv2D";
    assert.ok(
      aspp.every((l) => l.getClassName() === expected),
      `atrous ${atrous}: ${aspp.map((l) => l.getClassName())}`,
    );
    const others = model.layers.filter((l) => l.name.endsWith("_dw") && !l.name.startsWith("aspp_"));
    assert.ok(others.length > 0 && others.every((l) => l.getClassName() === "DepthwiseConv2D"));
    model.dispose();
  }
});
