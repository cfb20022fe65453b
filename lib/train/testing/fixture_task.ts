// A tiny segmentation task for trainer tests: conv (stride 2) + batch norm + ReLU6, depthwise conv, 1x1 logits,
// ×2 bilinear, softmax cross-entropy.
import type * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { countLabelled, softmaxCrossEntropySum } from "../cross_entropy.ts";
import type { ArrayBatch, TrainTask } from "../train_task.ts";

export interface FixtureTaskOptions {
  classes: number;
  /** Seed of the weight initialisers, so separately built replicas start equal. */
  seed: number;
  /** Forward passes over more images than this throw (to show a trainer keeps to its micro-batches); default none. */
  maxPassImages?: number;
}

export function createFixtureTask(options: FixtureTaskOptions): Promise<TrainTask> {
  const init = (k: number) => tfl.initializers.glorotUniform({ seed: options.seed + k });
  const input = tfl.input({ shape: [null, null, 3] });
  let x = tfl.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: "same", kernelInitializer: init(1) })
    .apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.batchNormalization().apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.reLU({ maxValue: 6 }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.depthwiseConv2d({ kernelSize: 3, padding: "same", depthwiseInitializer: init(2) })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.conv2d({ filters: options.classes, kernelSize: 1, kernelInitializer: init(3) })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.upSampling2d({ size: [2, 2], interpolation: "bilinear" }).apply(x) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: x });
  return Promise.resolve({
    model,
    lossSums: (images: tf.Tensor4D, targets: Record<string, tf.Tensor>) => {
      const limit = options.maxPassImages ?? Infinity;
      if (images.shape[0] > limit) throw new Error(`a pass over ${images.shape[0]} images, more than ${limit}`);
      return {
        total: softmaxCrossEntropySum(model.apply(images, { training: false }) as tf.Tensor4D, targets.semantic),
      };
    },
    lossCount: (batch: ArrayBatch) => countLabelled(batch.targets.semantic.data, options.classes),
  });
}
