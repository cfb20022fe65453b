// aᵀ·b for tall matrices (filter gradients reduce over every pixel) on the wasm backend, whose BatchMatMul runs
// XNNPACK only without transposes: one explicit Transpose plus one XNNPACK matMul, choosing the operand to
// transpose with a cost model measured on this backend (XNNPACK repacks its weight operand on every call).
import type { TensorInfo } from "@tensorflow/tfjs-core";
import type { WasmOps } from "./wasm_ops.ts";

/** Relative cost (ns, measured) of transposing an [m, c] matrix. */
export function transposeCost(m: number, c: number): number {
  return m * c * (c <= 64 ? 3.7 : 7);
}

/** Relative cost (ns, measured) of XNNPACK packing an [m, c] weight matrix; it grows fast past 32 columns. */
export function packCost(m: number, c: number): number {
  return m * c * (c <= 32 ? 4.5 : c <= 64 ? 11 : 20);
}

/** aᵀ·b for a [m, k] and b [m, n], as [k, n]. */
export function matMulTransposeA(ops: WasmOps, a: TensorInfo, b: TensorInfo): TensorInfo {
  const [m, k] = a.shape;
  const n = b.shape[1];
  if (transposeCost(m, k) + packCost(m, n) <= transposeCost(m, n) + packCost(m, k)) {
    return ops.matMul(ops.transpose(a, [1, 0]), b);
  }
  return ops.transpose(ops.matMul(ops.transpose(b, [1, 0]), a), [1, 0]);
}
