// BatchMatMul for the wasm backend. With a transposed operand (the gradients of matMul-based 1x1 convs) the stock
// kernel runs a scalar loop (~15x slower than XNNPACK): a single (batch 1) product becomes explicit transposes
// plus an XNNPACK matMul; untransposed products with a large, wide b are rearranged (see transposed_matmul.ts).
// Batched products go to the stock kernel.
import { type KernelConfig, type KernelFunc, type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { BatchMatMulAttrs } from "@tensorflow/tfjs-core";
import { matMulPlain, matMulTransposeA } from "./transposed_matmul.ts";
import { composite, type WasmBackend } from "./wasm_ops.ts";

export function batchMatMulConfig(stock: KernelFunc): KernelConfig {
  return {
    kernelName: "BatchMatMul",
    backendName: "wasm",
    kernelFunc: (args) => {
      const a = args.inputs.a as TensorInfo;
      const b = args.inputs.b as TensorInfo;
      const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
      const single = util.sizeFromShape(a.shape.slice(0, -2)) === 1 && util.sizeFromShape(b.shape.slice(0, -2)) === 1;
      if (!single || a.dtype !== "float32" || b.dtype !== "float32") return stock(args);
      const [ar, ac] = a.shape.slice(-2);
      const [br, bc] = b.shape.slice(-2);
      const batchShape = a.shape.length >= b.shape.length ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
      return composite(args.backend as WasmBackend, (ops) => {
        const a2 = ops.reshape(a, [ar, ac]);
        const b2 = ops.reshape(b, [br, bc]);
        let out: TensorInfo;
        if (!transposeA && !transposeB) out = matMulPlain(ops, a2, b2);
        else if (transposeA && !transposeB) out = matMulTransposeA(ops, a2, b2);
        else if (!transposeA) out = ops.matMul(a2, ops.transpose(b2, [1, 0]));
        else out = ops.transpose(ops.matMul(b2, a2), [1, 0]); // aᵀbᵀ = (ba)ᵀ
        return ops.reshape(out, [...batchShape, ...out.shape]);
      });
    },
  };
}
