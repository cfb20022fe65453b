// Test-only: a stand-in with the real model's output contract (semantic logits, centre heatmap, offsets) whose
// heads are the same constants at every pixel of any input size.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";

/** Outputs `logits` (one per class), `center` and `offsets` = (dy, dx) at every pixel. */
export function constantHeadsModel(logits: number[], center: number, offsets: [number, number]): tfl.LayersModel {
  const input = tfl.input({ shape: [null, null, 3] });
  const zeros = tfl.layers.conv2d({ filters: 4, kernelSize: 1, kernelInitializer: "zeros", useBias: false })
    .apply(input) as tfl.SymbolicTensor;
  const withBias = (bias: number[]) =>
    tfl.layers.conv2d({
      filters: bias.length,
      kernelSize: 1,
      weights: [tf.zeros([1, 1, 4, bias.length]), tf.tensor1d(bias)],
    }).apply(zeros) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: [withBias(logits), withBias([center]), withBias(offsets)] });
}
