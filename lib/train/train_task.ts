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

export interface TrainTask {
  model: tfl.LayersModel;
  /** Sum of the per-element losses of `images` (a batch or a shard of one); a scalar. */
  lossSum(images: tf.Tensor4D, targets: Record<string, tf.Tensor>): tf.Scalar;
  /** How many elements lossSum adds up for this batch (e.g. labelled pixels); the loss is lossSum / lossCount. */
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

/** Trains one model, in this thread or over workers; weights are every model weight in `model.weights` order. */
export interface Trainer {
  /** One optimisation step (forward, backward, Adam) on the batch; resolves to the batch's mean loss. */
  step(batch: ArrayBatch): Promise<number>;
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
