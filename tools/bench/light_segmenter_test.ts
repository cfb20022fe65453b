import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../../lib/runtime/backend.ts";
import { summarizeModel } from "../../lib/model/summary.ts";
import { LocalTrainer } from "../../lib/train/local_trainer.ts";
import { randomSegmentationBatch } from "../../lib/train/testing/random_batch.ts";
import { buildLightSegmenter, createLightSegmenterTask } from "./light_segmenter.ts";

await initBackend();

Deno.test("light segmenter gives logits at input size", async () => {
  const model = await buildLightSegmenter({ classes: 5, pretrained: false });
  const out = tf.tidy(() => (model.predict(tf.zeros([2, 48, 80, 3])) as tf.Tensor).shape);
  assert.deepEqual(out, [2, 48, 80, 5]);
  model.dispose();
});

Deno.test("a fixed-size light segmenter has fixed layer shapes, so its FLOPs can be counted", async () => {
  const model = await buildLightSegmenter({ classes: 5, pretrained: false, inputSize: [64, 128] });
  const fuse = summarizeModel(model).layers.find((l) => l.name === "decoder_fuse")!;
  assert.deepEqual(fuse.outputShape, [null, 16, 32, 128]);
  assert.equal(fuse.flops, 2 * 16 * 32 * 9 * 160 * 128);
  model.dispose();
});

Deno.test("light segmenter trains 20 micro-batched steps with a constant tensor count and a falling loss", async () => {
  const trainer = new LocalTrainer(await createLightSegmenterTask({ classes: 3, pretrained: false }), {
    learningRate: 1e-3,
  }, 1);
  const batch = randomSegmentationBatch(2, [2, 32, 32], 3);
  const losses = [(await trainer.step(batch)).terms.total];
  const tensors = tf.memory().numTensors;
  for (let i = 1; i < 20; i++) {
    losses.push((await trainer.step(batch)).terms.total);
    assert.equal(tf.memory().numTensors, tensors, `step ${i}`);
  }
  assert.ok(losses[19] < losses[0], `loss ${losses[0]} → ${losses[19]}`);
  await trainer.dispose();
});
