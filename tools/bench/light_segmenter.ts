// The benchmark network: MobileNetV2 up to stride 16 plus a light decoder (stride-16 → 1x1 conv 128 → ×4
// bilinear, concat stride-4 → 1x1 conv 32, 3x3 conv 128, 1x1 conv to class logits, ×4 bilinear), trained with
// softmax cross-entropy. tools/bench/torch_peer.py builds the same network in PyTorch.
import type * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { buildBackbone } from "../../lib/model/backbone.ts";
import { countLabelled, softmaxCrossEntropySum } from "../../lib/train/cross_entropy.ts";
import type { ArrayBatch, TrainTask } from "../../lib/train/train_task.ts";

export interface LightSegmenterOptions {
  classes: number;
  pretrained: boolean;
  /** Fixed [height, width] (for layer shapes and FLOPs); default any size. */
  inputSize?: [number, number];
}

function conv(x: tfl.SymbolicTensor, name: string, filters: number, kernelSize: number, relu = true) {
  return tfl.layers.conv2d({ name, filters, kernelSize, padding: "same", activation: relu ? "relu" : "linear" })
    .apply(x) as tfl.SymbolicTensor;
}

function upsample4(x: tfl.SymbolicTensor, name: string): tfl.SymbolicTensor {
  return tfl.layers.upSampling2d({ name, size: [4, 4], interpolation: "bilinear" }).apply(x) as tfl.SymbolicTensor;
}

/** Builds the network; input height and width must be multiples of 16. */
export async function buildLightSegmenter(options: LightSegmenterOptions): Promise<tfl.LayersModel> {
  const [h, w] = options.inputSize ?? [null, null];
  const backbone = await buildBackbone({
    pretrained: options.pretrained,
    strides: [4, 16],
    batchNorm: "folded",
    inputSize: [h, w],
  });
  const input = tfl.input({ name: "image", shape: [h, w, 3] });
  const [s4, s16] = backbone.apply(input) as tfl.SymbolicTensor[];
  const coarse = upsample4(conv(s16, "decoder_s16", 128, 1), "decoder_up16");
  const fine = conv(s4, "decoder_s4", 32, 1);
  const merged = tfl.layers.concatenate({ name: "decoder_concat", axis: -1 }).apply([
    coarse,
    fine,
  ]) as tfl.SymbolicTensor;
  const logits = conv(conv(merged, "decoder_fuse", 128, 3), "decoder_logits", options.classes, 1, false);
  return tfl.model({ name: "light_segmenter", inputs: input, outputs: upsample4(logits, "logits_up4") });
}

/**
 * Task factory (for trainers and workers): targets.semantic holds trainIds (≥ classes = ignore). Batch norm runs
 * in inference mode (frozen statistics, trained scale and offset), as usual for small-batch fine-tuning; it also
 * makes the loss a plain sum over samples, so data-parallel steps equal single-process ones.
 */
export async function createLightSegmenterTask(options: LightSegmenterOptions): Promise<TrainTask> {
  const model = await buildLightSegmenter(options);
  return {
    model,
    lossSums: (images: tf.Tensor4D, targets: Record<string, tf.Tensor>) => ({
      total: softmaxCrossEntropySum(model.apply(images, { training: false }) as tf.Tensor4D, targets.semantic),
    }),
    lossCount: (batch: ArrayBatch) => countLabelled(batch.targets.semantic.data, options.classes),
  };
}
