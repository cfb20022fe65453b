// The wasm kernel of ReLU6's input gradient from its output y, dy · [0 < y < 6] (op relu6Backprop in
// lib/runtime/relu6_backprop.ts): one pass of our SIMD kernel over every thread (tfjs' own Relu6 gradient uses
// comparison ops and a bool cast, 3x slower on wasm).
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { RELU6_BACKPROP } from "../relu6_backprop.ts";
import { runPooled, threadRange } from "./simd/tensor_call.ts";
import type { WasmBackend } from "./wasm_ops.ts";

export const relu6BackpropConfig: KernelConfig = {
  kernelName: RELU6_BACKPROP,
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
