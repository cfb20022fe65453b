// What a trainer needs to know about a model: the model, a summed loss, and how many elements that sum counts.
// Tasks are created from a serialisable spec (module URL + factory name + options) so workers can rebuild them.
import type * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";

/** A plain array with its shape (row-major), as it crosses worker boundaries. */
export interface NdArray<T extends Float32Array | Int32Array | Uint8Array = Float32Array | Int32Array | Uint8Array> {
  data: T;
  shape: number[];
}

/** A training batch: NHWC float images (normalised as the model expects) and named per-sample targets. */
export interface ArrayBatch {
  images: NdArray<Float32Array>;
  targets: Record<string, NdArray>;
}

/** Summed loss terms of a batch or shard: `total` is minimised; any other terms are reported alongside. */
export type LossSums = { total: tf.Scalar } & Record<string, tf.Scalar>;

export interface TrainTask {
  model: tfl.LayersModel;
  /** Sums of the per-element losses of `images` (a batch or a shard of one). */
  lossSums(images: tf.Tensor4D, targets: Record<string, tf.Tensor>): LossSums;
  /** How many elements lossSums add up for this batch (e.g. labelled pixels); each loss is its sum / lossCount. */
  lossCount(batch: ArrayBatch): number;
}

/** A module exporting `exportName: (options) => Promise<TrainTask>`; `module` is an absolute URL. */
export interface TaskSpec {
  module: string;
  exportName: string;
  options: unknown;
}

export interface AdamConfig {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** How one update treats the averaged gradients. */
export interface StepOptions {
  /** Adam's learning rate for this update (default: the one the trainer was created with). */
  learningRate?: number;
  /** L2 weight decay: `weightDecay * w` is added to each gradient (0 = off). */
  weightDecay?: number;
  /** Gradients are scaled down so that their global norm is at most this (0 = off). */
  clipNorm?: number;
}

/** The batch's mean loss terms (`total` and the task's others) and the gradients' global norm before clipping. */
export interface StepResult {
  terms: Record<string, number>;
  gradNorm: number;
}

/** What a checkpoint stores besides the weights and the optimizer state (see lib/model/checkpoint.ts). */
export interface TrainState {
  step: number;
  config?: unknown;
  rng?: unknown;
}

/** Trains one model, in this thread or over workers; weights are every model weight in `model.weights` order. */
export interface Trainer {
  /** One optimisation step (forward, backward, Adam) on the batch. */
  step(batch: ArrayBatch, options?: StepOptions): Promise<StepResult>;
  /** Writes a checkpoint (model, optimizer, state) into `dir`, keeping the newest `keep`; returns its folder. */
  save(dir: string, state: TrainState, keep: number): Promise<string>;
  /** Restores the newest checkpoint of `dir` into the model and optimizer; null when there is none. */
  restore(dir: string): Promise<TrainState | null>;
  getWeights(): Promise<Float32Array[]>;
  setWeights(weights: Float32Array[]): Promise<void>;
  dispose(): Promise<void>;
}

/** Splits every array of the batch along its first axis into `parts` contiguous shards (empty shards dropped). */
export function shardBatch(batch: ArrayBatch, parts: number): ArrayBatch[] {
  const n = batch.images.shape[0];
  const slice = <T extends NdArray>(a: T, from: number, to: number): T => {
    const per = a.data.length / a.shape[0];
    return { data: a.data.slice(from * per, to * per), shape: [to - from, ...a.shape.slice(1)] } as T;
  };
  const shards: ArrayBatch[] = [];
  for (let p = 0; p < parts; p++) {
    const from = Math.round((p * n) / parts);
    const to = Math.round(((p + 1) * n) / parts);
    if (to === from) continue;
    shards.push({
      images: slice(batch.images, from, to),
      targets: Object.fromEntries(Object.entries(batch.targets).map(([k, v]) => [k, slice(v, from, to)])),
    });
  }
  return shards;
}

export async function loadTask(spec: TaskSpec): Promise<TrainTask> {
  const mod = await import(spec.module);
  const factory = mod[spec.exportName];
  if (typeof factory !== "function") {
    throw new Error(`${spec.module} does not export a task factory ${spec.exportName}`);
  }
  return await factory(spec.options);
}
