// Worker side of data-parallel training: owns a tfjs backend, a model replica and an Adam optimizer; computes
// summed-loss gradients on its shard (in micro-batches) and applies the averaged gradients it is sent, or (a lone
// replica) takes a whole step on the batch without sending its gradients out.
/// <reference lib="deno.worker" />
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../runtime/backend.ts";
import {
  applyGradients,
  LocalTrainer,
  microBatchedGradients,
  readCopies,
  readScalars,
  readWeights,
  writeWeights,
} from "./local_trainer.ts";
import {
  type AdamConfig,
  type ArrayBatch,
  loadTask,
  type StepOptions,
  type TaskSpec,
  type TrainState,
} from "./train_task.ts";
import { type Answer, serveRequests } from "../runtime/worker_rpc.ts";

export type WorkerRequest =
  | { type: "init"; spec: TaskSpec; adam: AdamConfig; backend: string; wasmThreads: number; microBatch: number }
  | { type: "gradients"; shard: ArrayBatch }
  | { type: "apply"; grads: Float32Array[]; options: StepOptions }
  | { type: "step"; batch: ArrayBatch; options: StepOptions }
  | { type: "save"; dir: string; state: TrainState; keep: number }
  | { type: "restore"; dir: string }
  | { type: "getWeights" }
  | { type: "setWeights"; weights: Float32Array[] };

export type WorkerReply =
  | { type: "ok" }
  | { type: "gradients"; sums: Record<string, number>; count: number; grads: Float32Array[] }
  | { type: "applied"; gradNorm: number }
  | { type: "stepped"; terms: Record<string, number>; gradNorm: number }
  | { type: "saved"; path: string }
  | { type: "restored"; state: TrainState | null }
  | { type: "weights"; weights: Float32Array[] };

/** This replica: its task, its Adam optimizer, whole steps, checkpoints. */
let trainer: LocalTrainer;

async function handle(msg: WorkerRequest): Promise<Answer<WorkerReply>> {
  switch (msg.type) {
    case "init":
      await initBackend({ force: msg.backend, wasmThreads: msg.wasmThreads, log: () => {} });
      trainer = new LocalTrainer(await loadTask(msg.spec), msg.adam, msg.microBatch);
      return { reply: { type: "ok" } };
    case "gradients": {
      const task = trainer.task;
      const { sums, grads } = microBatchedGradients(task, msg.shard, 1, trainer.microBatch);
      const arrays = await readCopies(grads);
      tf.dispose(grads);
      return {
        reply: { type: "gradients", sums: await readScalars(sums), count: task.lossCount(msg.shard), grads: arrays },
        transfer: arrays.map((a) => a.buffer as ArrayBuffer),
      };
    }
    case "apply": {
      const { task, optimizer } = trainer;
      const grads = msg.grads.map((g, i) => tf.tensor(g, task.model.trainableWeights[i].shape as number[]));
      return { reply: { type: "applied", gradNorm: await applyGradients(task, optimizer, grads, msg.options) } };
    }
    case "step": {
      const { terms, gradNorm } = await trainer.step(msg.batch, msg.options);
      return { reply: { type: "stepped", terms, gradNorm } };
    }
    case "save":
      return { reply: { type: "saved", path: await trainer.save(msg.dir, msg.state, msg.keep) } };
    case "restore":
      return { reply: { type: "restored", state: await trainer.restore(msg.dir) } };
    case "getWeights": {
      const weights = await readWeights(trainer.task);
      return { reply: { type: "weights", weights }, transfer: weights.map((w) => w.buffer as ArrayBuffer) };
    }
    case "setWeights":
      writeWeights(trainer.task, msg.weights, "data-parallel setWeights");
      return { reply: { type: "ok" } };
  }
}

serveRequests(handle);
