// The input gradient of ReLU6 from its output y, dy · [0 < y < 6]: one pass of our SIMD kernel over every thread on
// wasm (kernel "Relu6Backprop"); elsewhere step() and arithmetic (tfjs' own Relu6 gradient uses comparison ops and a
// bool cast, 3x slower on wasm).
import * as tf from "@tensorflow/tfjs-core";
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { runPooled, threadRange } from "./simd/tensor_call.ts";
import type { WasmBackend } from "./wasm_ops.ts";

const KERNEL = "Relu6Backprop";

export const relu6BackpropConfig: KernelConfig = {
  kernelName: KERNEL,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend }) => {
    const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
    const wasm = backend as WasmBackend;
    const out = wasm.makeOutput([...y.shape], "float32");
    const size = y.shape.reduce((a, b) => a * b, 1);
    runPooled(wasm, {
      kernel: "relu6Backprop",
      inputs: [y, dy],
      results: [out],
      calls: (t, threads, { inputs: [yAt, dyAt], results: [outAt] }) => {
        const [start, end] = threadRange(t, threads, size, 4);
        return start < end ? [[yAt + start * 4, dyAt + start * 4, outAt + start * 4, end - start]] : [];
      },
    });
    return out;
  },
};

/** dy · [0 < y < 6] for y = relu6(x). */
export function relu6Backprop(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  if (tf.getKernel(KERNEL, tf.getBackend())) return tf.engine().runKernel(KERNEL, { dy, y }) as tf.Tensor;
  return tf.mul(dy, tf.mul(tf.step(y), tf.step(tf.sub(6, y))));
}
