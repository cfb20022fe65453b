import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend.ts";
import { createFixtureTask, randomSegmentationBatch } from "./fixture_task.ts";
import { LocalTrainer } from "./local_trainer.ts";

await initBackend();

Deno.test("LocalTrainer lowers the loss on a fixed batch without leaking tensors over 20 steps", async () => {
  const trainer = new LocalTrainer(await createFixtureTask({ classes: 4, seed: 1 }), { learningRate: 0.05 });
  const batch = randomSegmentationBatch(3, [2, 12, 10], 4);
  const losses = [await trainer.step(batch)];
  const tensors = tf.memory().numTensors;
  for (let i = 1; i < 20; i++) {
    losses.push(await trainer.step(batch));
    assert.equal(tf.memory().numTensors, tensors, `step ${i}`);
  }
  assert.ok(Math.abs(losses[0] - Math.log(4)) < 0.5, `first loss ${losses[0]} is near log(4)`);
  assert.ok(losses[19] < 0.9 * losses[0], `loss ${losses[0]} → ${losses[19]}`);
  const weights = await trainer.getWeights();
  await trainer.setWeights(weights.map((w) => w.map(() => 0)));
  assert.ok((await trainer.getWeights()).every((w) => w.every((v) => v === 0)));
  await trainer.dispose();
});
