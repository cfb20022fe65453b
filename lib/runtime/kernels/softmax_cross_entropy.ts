// Softmax cross-entropy of per-pixel logits against int32 labels in one pass of our SIMD module over every thread
// on wasm (kernel "SoftmaxCrossEntropy"): per pixel it writes the gradient softmax − onehot(label), the softmax
// normaliser Σ e^(z − max z) and max z − z_label, so that the loss is Σ log(normaliser) + Σ offset. Labels outside
// 0..classes-1 are ignored (zero gradient and loss).
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { runPooled, threadRange } from "./simd/tensor_call.ts";
import type { WasmBackend } from "./wasm_ops.ts";

export const SOFTMAX_CROSS_ENTROPY = "SoftmaxCrossEntropy";

export const softmaxCrossEntropyConfig: KernelConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend }) => {
    const { logits, labels } = inputs as { logits: TensorInfo; labels: TensorInfo };
    const classes = logits.shape[logits.shape.length - 1];
    const pixels = labels.shape.reduce((a, b) => a * b, 1);
    if (
      logits.dtype !== "float32" || labels.dtype !== "int32" ||
      pixels * classes !== logits.shape.reduce((a, b) => a * b, 1)
    ) {
      throw new Error(
        `lib/runtime/kernels/softmax_cross_entropy.ts: needs float32 logits [..., classes] and int32 labels [...], got ` +
          `${logits.dtype} [${logits.shape}] and ${labels.dtype} [${labels.shape}]`,
      );
    }
    const wasm = backend as WasmBackend;
    const grad = wasm.makeOutput([...logits.shape], "float32");
    const normaliser = wasm.makeOutput([...labels.shape], "float32");
    const offset = wasm.makeOutput([...labels.shape], "float32");
    runPooled(wasm, {
      kernel: "softmaxCrossEntropy",
      inputs: [logits, labels],
      results: [grad, normaliser, offset],
      calls: (t, threads, { inputs: [zAt, labelsAt], results: [gradAt, sumAt, offsetAt] }) => {
        const [start, end] = threadRange(t, threads, pixels);
        if (start >= end) return [];
        const pixel = start * 4;
        return [[
          zAt + pixel * classes,
          labelsAt + pixel,
          gradAt + pixel * classes,
          sumAt + pixel,
          offsetAt + pixel,
          end - start,
          classes,
        ]];
      },
    });
    return [grad, normaliser, offset];
  },
};
