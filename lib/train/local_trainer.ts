// One training step in this thread: forward, backward and Adam on a task's trainable weights; also the gradient
// computation that data-parallel workers share.
import * as tf from "@tensorflow/tfjs-core";
import { type AdamConfig, type ArrayBatch, shardBatch, type Trainer, type TrainTask } from "./train_task.ts";

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
 * Loss and gradients of `scale * lossSum` over the batch, gradients in `model.trainableWeights` order.
 * The caller disposes the returned tensors.
 */
export function lossAndGradients(task: TrainTask, batch: ArrayBatch, scale: number): {
  loss: tf.Scalar;
  grads: tf.Tensor[];
} {
  const vars = trainableVariables(task);
  return tf.tidy(() => {
    const images = toTensor(batch.images) as tf.Tensor4D;
    const targets = Object.fromEntries(Object.entries(batch.targets).map(([k, v]) => [k, toTensor(v)]));
    const { value, grads } = tf.variableGrads(() => tf.mul(task.lossSum(images, targets), scale) as tf.Scalar, vars);
    return { loss: value, grads: vars.map((v) => grads[v.name]) };
  });
}

/** Applies gradients (in `model.trainableWeights` order) with `optimizer`; disposes them. */
export function applyGradients(task: TrainTask, optimizer: tf.Optimizer, grads: tf.Tensor[]): void {
  const vars = trainableVariables(task);
  optimizer.applyGradients(Object.fromEntries(vars.map((v, i) => [v.name, grads[i]])));
  tf.dispose(grads);
}

/** Copies of every model weight (safe to transfer or modify). */
export function readWeights(task: TrainTask): Float32Array[] {
  return task.model.weights.map((w) => (w.read().dataSync() as Float32Array).slice());
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
  readonly optimizer: tf.Optimizer;

  constructor(readonly task: TrainTask, adam: AdamConfig, readonly microBatch = Infinity) {
    this.optimizer = createAdam(adam);
  }

  step(batch: ArrayBatch): Promise<number> {
    const scale = 1 / Math.max(1, this.task.lossCount(batch));
    const slices = shardBatch(batch, Math.max(1, Math.ceil(batch.images.shape[0] / this.microBatch)));
    let total = lossAndGradients(this.task, slices[0], scale);
    for (const slice of slices.slice(1)) {
      const part = lossAndGradients(this.task, slice, scale);
      const sum = tf.tidy(() => ({
        loss: tf.add(total.loss, part.loss) as tf.Scalar,
        grads: total.grads.map((g, i) => tf.add(g, part.grads[i])),
      }));
      tf.dispose([total.loss, part.loss, ...total.grads, ...part.grads]);
      total = sum;
    }
    applyGradients(this.task, this.optimizer, total.grads);
    const value = total.loss.dataSync()[0];
    total.loss.dispose();
    return Promise.resolve(value);
  }

  getWeights(): Promise<Float32Array[]> {
    return Promise.resolve(readWeights(this.task));
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
