// Products of tall matrices (filter gradients reduce over every pixel) on the wasm backend, whose BatchMatMul
// runs XNNPACK only without transposes and repacks its weight operand on every call: explicit Transposes plus one
// XNNPACK matMul, arranged by a cost model measured on this backend.
import type { TensorInfo } from "@tensorflow/tfjs-core";
import type { WasmOps } from "./wasm_ops.ts";

/** Relative cost (ns, measured with transpose.ts) of transposing an [m, c] matrix. */
export function transposeCost(m: number, c: number): number {
  return m * c * 2.5;
}

/** Relative cost (ns, measured) of XNNPACK packing an [m, c] weight matrix; it grows fast past 32 columns. */
export function packCost(m: number, c: number): number {
  return m * c * (c <= 32 ? 4.5 : c <= 64 ? 11 : 20);
}

/**
 * a·b for a [r, k], b [k, n]. XNNPACK packs b on every call, which is slow for a large, wide b (e.g. a filter
 * gradient written as xᵀ·dy with the transpose done by the caller); then (bᵀ·aᵀ)ᵀ, packing the narrow aᵀ, is
 * ~2x faster (measured; below 2M elements of b packing stays in cache and the plain product wins).
 */
export function matMulPlain(ops: WasmOps, a: TensorInfo, b: TensorInfo): TensorInfo {
  const [r, k] = a.shape;
  const n = b.shape[1];
  const swap = k * n >= 2 ** 21 && transposeCost(k, n) + transposeCost(k, r) + packCost(k, r) < packCost(k, n);
  if (!swap) return ops.matMul(a, b);
  return ops.transpose(ops.matMul(ops.transpose(b, [1, 0]), ops.transpose(a, [1, 0])), [1, 0]);
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
