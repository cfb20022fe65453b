// The Panoptic-DeepLab training task: the model, its loss on a batch of pipeline batches (lib/data/pipeline/prepare.ts), and
// conversions between pipeline batches and the trainer's ArrayBatch. Workers rebuild it from a TaskSpec.
import * as tf from "@tensorflow/tfjs-core";
import type { Batch } from "../data/pipeline/prepare.ts";
import { buildPanopticDeepLab, type PanopticDeepLabConfig } from "../model/panoptic_deeplab.ts";
import { type LossOptions, panopticLoss, type PanopticTargetTensors } from "./losses.ts";
import type { ArrayBatch, TaskSpec, TrainTask } from "./train_task.ts";

export interface PanopticTaskOptions {
  model: Partial<PanopticDeepLabConfig>;
  loss: LossOptions;
}

/** Names of the per-pixel target arrays, as the pipeline and the loss call them. */
const TARGET_KEYS = ["semantic", "semanticWeights", "center", "centerWeights", "offsets", "offsetWeights"] as const;

/** A pipeline batch as the trainer's ArrayBatch (no copies). */
export function toArrayBatch(b: Batch): ArrayBatch {
  const [n, h, w] = [b.size, b.targetHeight, b.targetWidth];
  const shapes: Record<typeof TARGET_KEYS[number], number[]> = {
    semantic: [n, h, w],
    semanticWeights: [n, h, w],
    center: [n, h, w, 1],
    centerWeights: [n, h, w],
    offsets: [n, h, w, 2],
    offsetWeights: [n, h, w],
  };
  return {
    images: { data: b.image, shape: [n, b.height, b.width, 3] },
    targets: Object.fromEntries(TARGET_KEYS.map((k) => [k, { data: b[k], shape: shapes[k] }])),
  };
}

/** The three heads of the model on `images`, in training mode (batch-norm statistics from the batch). */
export function trainingPredictions(task: TrainTask, images: tf.Tensor4D) {
  const [semanticLogits, center, offsets] = task.model.apply(images, { training: true }) as tf.Tensor4D[];
  return { semanticLogits, center, offsets };
}

export async function createPanopticTask(options: PanopticTaskOptions): Promise<TrainTask> {
  const model = await buildPanopticDeepLab(options.model);
  const task: TrainTask = {
    model,
    // panopticLoss averages over the images of the shard; the trainer divides the summed shards by the image count.
    lossSums: (images, targets) => {
      const predictions = trainingPredictions(task, images);
      const t = targets as unknown as PanopticTargetTensors;
      const semantic = tf.cast(t.semantic, "int32") as tf.Tensor3D;
      const terms = panopticLoss(predictions, { ...t, semantic }, options.loss);
      const n = images.shape[0];
      return {
        total: tf.mul(terms.total, n) as tf.Scalar,
        semantic: tf.mul(terms.semantic, n) as tf.Scalar,
        center: tf.mul(terms.center, n) as tf.Scalar,
        offset: tf.mul(terms.offset, n) as tf.Scalar,
      };
    },
    lossCount: (batch) => batch.images.shape[0],
  };
  return task;
}

/** How workers rebuild this task. */
export function panopticTaskSpec(options: PanopticTaskOptions): TaskSpec {
  return { module: import.meta.url, exportName: "createPanopticTask", options };
}
