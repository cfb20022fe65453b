// Worker side of data-parallel training: owns a tfjs backend, a model replica and an Adam optimizer; computes
// summed-loss gradients on its shard and applies the averaged gradients it is sent.
/// <reference lib="deno.worker" />
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend.ts";
import { applyGradients, createAdam, lossAndGradients, readWeights, writeWeights } from "./local_trainer.ts";
import { type AdamConfig, type ArrayBatch, loadTask, type TaskSpec, type TrainTask } from "./train_task.ts";

export type WorkerRequest =
  | { type: "init"; spec: TaskSpec; adam: AdamConfig; backend: string }
  | { type: "gradients"; shard: ArrayBatch }
  | { type: "apply"; grads: Float32Array[] }
  | { type: "getWeights" }
  | { type: "setWeights"; weights: Float32Array[] };

export type WorkerReply =
  | { type: "ok" }
  | { type: "gradients"; lossSum: number; count: number; grads: Float32Array[] }
  | { type: "weights"; weights: Float32Array[] }
  | { type: "error"; message: string };

let task: TrainTask;
let optimizer: tf.Optimizer;

function handle(msg: WorkerRequest): Promise<{ reply: WorkerReply; transfer?: ArrayBuffer[] }> | {
  reply: WorkerReply;
  transfer?: ArrayBuffer[];
} {
  switch (msg.type) {
    case "init":
      return (async () => {
        await initBackend({ force: msg.backend, log: () => {} });
        task = await loadTask(msg.spec);
        optimizer = createAdam(msg.adam);
        return { reply: { type: "ok" } };
      })();
    case "gradients": {
      const { loss, grads } = lossAndGradients(task, msg.shard, 1);
      // Copies: the cpu backend's dataSync returns its own storage, which must not be transferred away.
      const arrays = grads.map((g) => (g.dataSync() as Float32Array).slice());
      const lossSum = loss.dataSync()[0];
      tf.dispose([loss, ...grads]);
      return {
        reply: { type: "gradients", lossSum, count: task.lossCount(msg.shard), grads: arrays },
        transfer: arrays.map((a) => a.buffer as ArrayBuffer),
      };
    }
    case "apply":
      applyGradients(
        task,
        optimizer,
        msg.grads.map((g, i) => tf.tensor(g, task.model.trainableWeights[i].shape as number[])),
      );
      return { reply: { type: "ok" } };
    case "getWeights": {
      const weights = readWeights(task);
      return { reply: { type: "weights", weights }, transfer: weights.map((w) => w.buffer as ArrayBuffer) };
    }
    case "setWeights":
      writeWeights(task, msg.weights, "data-parallel setWeights");
      return { reply: { type: "ok" } };
  }
}

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  try {
    const { reply, transfer } = await handle(e.data);
    self.postMessage(reply, { transfer: transfer ?? [] });
  } catch (err) {
    self.postMessage({ type: "error", message: err instanceof Error ? err.stack ?? err.message : String(err) });
  }
};
