// The wasm kernel of hard-swish, x · relu6(x + 3) · scale (op hardSwishInference in lib/runtime/hard_swish.ts): one
// pass of our SIMD kernel over every thread.
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { HARD_SWISH } from "../hard_swish.ts";
import { runPooled, threadRange } from "./simd/tensor_call.ts";
import type { WasmBackend } from "./wasm_ops.ts";

export const hardSwishConfig: KernelConfig = {
  kernelName: HARD_SWISH,
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { x } = inputs as { x: TensorInfo };
    const { scale } = attrs as unknown as { scale: number };
    const wasm = backend as WasmBackend;
    const out = wasm.makeOutput([...x.shape], "float32");
    const size = x.shape.reduce((a, b) => a * b, 1);
    const scaleBits = new Int32Array(Float32Array.of(scale).buffer)[0];
    runPooled(wasm, {
      kernel: "hardSwish",
      inputs: [x],
      results: [out],
      calls: (t, threads, { inputs: [xAt], results: [outAt] }) => {
        const [start, end] = threadRange(t, threads, size, 4);
        return start < end ? [[xAt + start * 4, outAt + start * 4, end - start, scaleBits]] : [];
      },
    });
    return out;
  },
};
