import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../runtime/backend.ts";
import { createFixtureTask } from "./testing/fixture_task.ts";
import { randomSegmentationBatch } from "./testing/random_batch.ts";
import { LocalTrainer } from "./local_trainer.ts";

await initBackend();

Deno.test("LocalTrainer lowers the loss on a fixed batch without leaking tensors over 20 steps", async () => {
  const trainer = new LocalTrainer(await createFixtureTask({ classes: 4, seed: 1 }), { learningRate: 0.05 });
  const batch = randomSegmentationBatch(3, [2, 12, 10], 4);
  const losses = [(await trainer.step(batch)).terms.total];
  const tensors = tf.memory().numTensors;
  for (let i = 1; i < 20; i++) {
    losses.push((await trainer.step(batch)).terms.total);
    assert.equal(tf.memory().numTensors, tensors, `step ${i}`);
  }
  assert.ok(Math.abs(losses[0] - Math.log(4)) < 0.5, `first loss ${losses[0]} is near log(4)`);
  assert.ok(losses[19] < 0.9 * losses[0], `loss ${losses[0]} → ${losses[19]}`);
  const weights = await trainer.getWeights();
  await trainer.setWeights(weights.map((w) => w.map(() => 0)));
  assert.ok((await trainer.getWeights()).every((w) => w.every((v) => v === 0)));
  await trainer.dispose();
});

Deno.test("LocalTrainer with micro-batches takes the same step as with the whole batch", async () => {
  const whole = new LocalTrainer(await createFixtureTask({ classes: 3, seed: 2 }), { learningRate: 0.01 });
  const sliced = new LocalTrainer(await createFixtureTask({ classes: 3, seed: 2 }), { learningRate: 0.01 }, 2);
  await sliced.setWeights(await whole.getWeights());
  const batch = randomSegmentationBatch(4, [5, 8, 6], 3);
  const tensors = tf.memory().numTensors;
  const [a, b] = [(await whole.step(batch)).terms.total, (await sliced.step(batch)).terms.total];
  assert.ok(Math.abs(a - b) < 1e-5, `loss ${a} vs ${b}`);
  const [wa, wb] = [await whole.getWeights(), await sliced.getWeights()];
  const diff = wa.reduce((m, w, i) => w.reduce((mm, v, j) => Math.max(mm, Math.abs(v - wb[i][j])), m), 0);
  assert.ok(diff <= 1e-5, `max weight difference ${diff}`);
  // Two Adam moment slots per trainable weight, for each of the two trainers, are the only new tensors.
  assert.equal(tf.memory().numTensors, tensors + 2 * 2 * whole.task.model.trainableWeights.length);
  await whole.dispose();
  await sliced.dispose();
});
