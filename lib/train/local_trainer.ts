// One training step in this thread: forward, backward and Adam on a task's trainable weights; also the gradient
// computation that data-parallel workers share.
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { loadLatest, saveCheckpoint } from "../model/checkpoint.ts";
import {
  type AdamConfig,
  type ArrayBatch,
  shardBatch,
  type StepOptions,
  type StepResult,
  type Trainer,
  type TrainState,
  type TrainTask,
} from "./train_task.ts";

export function toTensor(array: { data: Float32Array | Int32Array | Uint8Array; shape: number[] }): tf.Tensor {
  const data = array.data instanceof Uint8Array ? Int32Array.from(array.data) : array.data;
  return tf.tensor(data, array.shape, array.data instanceof Float32Array ? "float32" : "int32");
}

export function createAdam(config: AdamConfig): tf.Optimizer {
  return tf.train.adam(config.learningRate, config.beta1, config.beta2, config.epsilon);
}

function trainableVariables(task: TrainTask): tf.Variable[] {
  return task.model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * Loss sums (each scaled by `scale`) and the gradients of `scale * total`, in `model.trainableWeights` order.
 * The caller disposes the returned tensors.
 */
export function lossAndGradients(task: TrainTask, batch: ArrayBatch, scale: number): {
  sums: Record<string, tf.Scalar>;
  grads: tf.Tensor[];
} {
  const vars = trainableVariables(task);
  return tf.tidy(() => {
    const images = toTensor(batch.images) as tf.Tensor4D;
    const targets = Object.fromEntries(Object.entries(batch.targets).map(([k, v]) => [k, toTensor(v)]));
    const sums: Record<string, tf.Scalar> = {};
    const { grads } = tf.variableGrads(() => {
      const terms = task.lossSums(images, targets);
      for (const [k, v] of Object.entries(terms)) sums[k] = tf.keep(tf.mul(v, scale) as tf.Scalar);
      return sums.total;
    }, vars);
    return { sums, grads: vars.map((v) => grads[v.name]) };
  });
}

/**
 * lossAndGradients over `batch` in slices of at most `microBatch` samples, added up: the same sums and gradients
 * (up to float rounding) with one slice's activations in memory at a time.
 */
export function microBatchedGradients(task: TrainTask, batch: ArrayBatch, scale: number, microBatch: number): {
  sums: Record<string, tf.Scalar>;
  grads: tf.Tensor[];
} {
  const slices = shardBatch(batch, Math.max(1, Math.ceil(batch.images.shape[0] / microBatch)));
  let total = lossAndGradients(task, slices[0], scale);
  for (const slice of slices.slice(1)) {
    const part = lossAndGradients(task, slice, scale);
    const sum = tf.tidy(() => ({
      sums: Object.fromEntries(Object.entries(total.sums).map(([k, v]) => [k, tf.add(v, part.sums[k])])),
      grads: total.grads.map((g, i) => tf.add(g, part.grads[i])),
    }));
    tf.dispose([...Object.values(total.sums), ...Object.values(part.sums), ...total.grads, ...part.grads]);
    total = sum as typeof total;
  }
  return total;
}

/** Reads scalar tensors as numbers (asynchronously: webgpu has no synchronous read in Deno) and disposes them. */
export async function readScalars(sums: Record<string, tf.Scalar>): Promise<Record<string, number>> {
  const entries = Object.entries(sums);
  const values = await Promise.all(entries.map(([, v]) => v.data()));
  tf.dispose(Object.values(sums));
  return Object.fromEntries(entries.map(([k], i) => [k, values[i][0]]));
}

/**
 * One update from gradients (in `model.trainableWeights` order): weight decay, clipping to a global norm,
 * the step's learning rate, then `optimizer`. Disposes the gradients; returns their global norm before clipping.
 */
export async function applyGradients(
  task: TrainTask,
  optimizer: tf.Optimizer,
  grads: tf.Tensor[],
  options: StepOptions = {},
): Promise<number> {
  const vars = trainableVariables(task);
  // `decayed` may be `grads` itself (no weight decay), as may `final` (no clipping).
  const decayed = options.weightDecay
    ? tf.tidy(() => grads.map((x, i) => tf.add(x, tf.mul(vars[i], options.weightDecay!))))
    : grads;
  const normTensor = tf.tidy(() => tf.sqrt(tf.addN(decayed.map((x) => tf.sum(tf.square(x))))));
  const norm = (await normTensor.data())[0];
  normTensor.dispose();
  const clip = options.clipNorm;
  const final = clip && norm > clip ? tf.tidy(() => decayed.map((x) => tf.mul(x, clip / norm))) : decayed;
  if (options.learningRate !== undefined) {
    (optimizer as unknown as { learningRate: number }).learningRate = options.learningRate;
  }
  optimizer.applyGradients(Object.fromEntries(vars.map((v, i) => [v.name, final[i]])));
  tf.dispose([...grads, ...decayed, ...final]);
  return norm;
}

/** Writes a checkpoint of the task's model and `optimizer`. */
export function saveTrainer(task: TrainTask, optimizer: tf.Optimizer, dir: string, state: TrainState, keep: number) {
  return saveCheckpoint(dir, { model: task.model, optimizer, ...state }, keep);
}

/** Whether two models hold the same weights by name and shape, in the same order (so one's values fit the other). */
function sameWeightLayout(a: tfl.LayersModel, b: tfl.LayersModel): boolean {
  const layout = (m: tfl.LayersModel) => m.weights.map((w) => `${w.originalName} ${w.shape.join("x")}`).join();
  return layout(a) === layout(b);
}

/**
 * Restores the newest checkpoint of `dir` into the task's model and a fresh optimizer made by `makeOptimizer`;
 * returns the optimizer and the state, or null when `dir` has no checkpoint.
 */
export async function restoreTrainer(
  task: TrainTask,
  makeOptimizer: () => tf.Optimizer,
  dir: string,
): Promise<{ optimizer: tf.Optimizer; state: TrainState } | null> {
  const optimizer = makeOptimizer();
  const loaded = await loadLatest(dir, optimizer);
  if (!loaded) {
    optimizer.dispose();
    return null;
  }
  if (!sameWeightLayout(task.model, loaded.model)) {
    loaded.model.dispose();
    optimizer.dispose();
    throw new Error(`${loaded.path}: its model has other weights than this configuration builds`);
  }
  task.model.setWeights(loaded.model.getWeights());
  loaded.model.dispose();
  return { optimizer, state: { step: loaded.step, config: loaded.config, rng: loaded.rng } };
}

/** Copies of every model weight (safe to transfer or modify). */
export function readWeights(task: TrainTask): Promise<Float32Array[]> {
  return readCopies(task.model.weights.map((w) => w.read()));
}

/**
 * The values of float32 tensors, read asynchronously, as copies (a backend's read may hand out its own storage, which
 * must not be transferred away or modified).
 */
export async function readCopies(tensors: tf.Tensor[]): Promise<Float32Array[]> {
  const arrays = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
  return arrays.map((a) => a.slice());
}

export function writeWeights(task: TrainTask, weights: Float32Array[], source = "weights"): void {
  const vars = task.model.weights;
  if (weights.length !== vars.length) throw new Error(`${source}: ${weights.length} arrays for ${vars.length} weights`);
  tf.tidy(() => task.model.setWeights(vars.map((v, i) => tf.tensor(weights[i], v.shape as number[]))));
}

/**
 * Trains the task's model in the calling thread. With `microBatch`, the batch goes through forward/backward in
 * slices of that many samples whose gradients add up before the one Adam step (same result, bounded memory).
 */
export class LocalTrainer implements Trainer {
  optimizer: tf.Optimizer;

  constructor(readonly task: TrainTask, readonly adam: AdamConfig, readonly microBatch = Infinity) {
    this.optimizer = createAdam(adam);
  }

  async step(batch: ArrayBatch, options: StepOptions = {}): Promise<StepResult> {
    const scale = 1 / Math.max(1, this.task.lossCount(batch));
    const total = microBatchedGradients(this.task, batch, scale, this.microBatch);
    const gradNorm = await applyGradients(this.task, this.optimizer, total.grads, options);
    return { terms: await readScalars(total.sums), gradNorm };
  }

  save(dir: string, state: TrainState, keep: number): Promise<string> {
    return saveTrainer(this.task, this.optimizer, dir, state, keep);
  }

  async restore(dir: string): Promise<TrainState | null> {
    const restored = await restoreTrainer(this.task, () => createAdam(this.adam), dir);
    if (!restored) return null;
    this.optimizer.dispose();
    this.optimizer = restored.optimizer;
    return restored.state;
  }

  getWeights(): Promise<Float32Array[]> {
    return readWeights(this.task);
  }

  setWeights(weights: Float32Array[]): Promise<void> {
    writeWeights(this.task, weights);
    return Promise.resolve();
  }

  dispose(): Promise<void> {
    this.optimizer.dispose();
    this.task.model.dispose();
    return Promise.resolve();
  }
}
