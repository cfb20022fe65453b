import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../runtime/backend.ts";
import { createTrainer, DataParallelTrainer } from "./data_parallel.ts";
import { randomSegmentationBatch } from "./testing/random_batch.ts";
import { LocalTrainer, lossAndGradients } from "./local_trainer.ts";
import { loadTask, shardBatch, type TaskSpec } from "./train_task.ts";

await initBackend();

const spec: TaskSpec = {
  module: new URL("./testing/fixture_task.ts", import.meta.url).href,
  exportName: "createFixtureTask",
  options: { classes: 4, seed: 5 },
};

Deno.test("shardBatch splits every array along the batch axis and drops empty shards", () => {
  const batch = randomSegmentationBatch(1, [3, 2, 4], 4);
  const shards = shardBatch(batch, 2);
  assert.deepEqual(shards.map((s) => s.images.shape), [[2, 2, 4, 3], [1, 2, 4, 3]]);
  assert.deepEqual(shards[1].targets.semantic.data, batch.targets.semantic.data.slice(16));
  assert.deepEqual(shards[0].images.data, batch.images.data.slice(0, 48));
  assert.equal(shardBatch(batch, 5).length, 3);
});

Deno.test("2-worker gradients and steps equal single-thread ones on the same batches; replicas stay identical", async () => {
  const parallel = await DataParallelTrainer.create(spec, { learningRate: 0.01 }, 2);
  const local = new LocalTrainer(await loadTask(spec), { learningRate: 0.01 });
  try {
    await local.setWeights(await parallel.getWeights());
    const probe = randomSegmentationBatch(9, [3, 12, 10], 4);
    const reference = lossAndGradients(local.task, probe, 1 / local.task.lossCount(probe));
    const averaged = await parallel.gradients(structuredClone(probe));
    assertGradientsClose(reference.grads, averaged.grads);
    assert.ok(Math.abs(averaged.terms.total - reference.sums.total.dataSync()[0]) < 1e-5);
    tf.dispose([...Object.values(reference.sums), ...reference.grads]);
    for (let step = 0; step < 3; step++) {
      const batch = randomSegmentationBatch(10 + step, [4, 12, 10], 4);
      const expected = (await local.step(batch)).terms.total;
      const got = (await parallel.step(structuredClone(batch))).terms.total;
      assert.ok(Math.abs(got - expected) <= 1e-5 * Math.abs(expected), `step ${step}: loss ${got} vs ${expected}`);
    }
    const [a, b] = await parallel.replicaWeights();
    assert.ok(a.every((w, i) => w.every((v, j) => Object.is(v, b[i][j]))), "replicas differ");
    const single = await local.getWeights();
    let maxDiff = 0;
    let moved = 0;
    a.forEach((w, i) =>
      w.forEach((v, j) => {
        maxDiff = Math.max(maxDiff, Math.abs(v - single[i][j]));
        if (v !== 0) moved++;
      })
    );
    assert.ok(moved > 0);
    assert.ok(maxDiff <= 1e-5, `max weight difference ${maxDiff}`);
  } finally {
    await parallel.dispose();
    await local.dispose();
  }
});

Deno.test("a lone replica takes whole steps in its worker, in micro-batches, equal to single-thread steps", async () => {
  const lone = await DataParallelTrainer.create(spec, { learningRate: 0.01 }, 1, 1, 2);
  const local = new LocalTrainer(await loadTask(spec), { learningRate: 0.01 }, 2);
  try {
    await local.setWeights(await lone.getWeights());
    for (let step = 0; step < 3; step++) {
      const batch = randomSegmentationBatch(20 + step, [4, 12, 10], 4);
      const expected = await local.step(batch, { clipNorm: 1 });
      const got = await lone.step(structuredClone(batch), { clipNorm: 1 });
      assert.ok(Math.abs(got.terms.total - expected.terms.total) <= 1e-5 * Math.abs(expected.terms.total));
      assert.ok(Math.abs(got.gradNorm - expected.gradNorm) <= 1e-5 * expected.gradNorm, `step ${step} norm`);
    }
    const [mine, theirs] = [await local.getWeights(), await lone.getWeights()];
    const maxDiff = Math.max(...mine.map((w, i) => w.reduce((m, v, j) => Math.max(m, Math.abs(v - theirs[i][j])), 0)));
    assert.ok(maxDiff <= 1e-5, `max weight difference ${maxDiff}`);
  } finally {
    await lone.dispose();
    await local.dispose();
  }
});

Deno.test("replicas take their shards in micro-batches: gradients equal one pass over the batch", async () => {
  const capped: TaskSpec = { ...spec, options: { classes: 4, seed: 5, maxPassImages: 1 } };
  const parallel = await createTrainer(capped, { learningRate: 0.01 }, 2, 1) as DataParallelTrainer;
  const local = new LocalTrainer(await loadTask(spec), { learningRate: 0.01 });
  try {
    await local.setWeights(await parallel.getWeights());
    const probe = randomSegmentationBatch(30, [4, 12, 10], 4);
    const reference = lossAndGradients(local.task, probe, 1 / local.task.lossCount(probe));
    const averaged = await parallel.gradients(structuredClone(probe));
    assertGradientsClose(reference.grads, averaged.grads);
    tf.dispose([...Object.values(reference.sums), ...reference.grads]);
  } finally {
    await parallel.dispose();
    await local.dispose();
  }
});

/** Each gradient within 1e-5 of its largest magnitude (which must not be 0) of the reference. */
function assertGradientsClose(reference: tf.Tensor[], got: Float32Array[]): void {
  reference.forEach((g, i) => {
    const want = g.dataSync() as Float32Array;
    const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const diff = want.reduce((m, v, j) => Math.max(m, Math.abs(v - got[i][j])), 0);
    assert.ok(scale > 0 && diff <= 1e-5 * scale, `gradient ${i}: max diff ${diff}, scale ${scale}`);
  });
}
