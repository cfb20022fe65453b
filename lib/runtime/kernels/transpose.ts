// Transpose for the wasm backend as a cache-blocked loop on the wasm heap for permutations that reduce to a
// (batched) 2-D transpose, e.g. NHWC → CNHW: 2-3x faster than the stock kernel on the tall matrices gradient
// kernels transpose. Other permutations and strings go to the stock kernel.
import { type KernelConfig, type KernelFunc, type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { TransposeAttrs } from "@tensorflow/tfjs-core";

interface HeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Drops size-1 axes and merges axes that stay adjacent and in order: the permutation's essential form. */
export function simplifyPermutation(shape: number[], perm: number[]): { shape: number[]; perm: number[] } {
  const kept = perm.filter((a) => shape[a] !== 1);
  const groups: number[][] = [];
  for (const a of kept) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1] + 1 === a) last.push(a);
    else groups.push([a]);
  }
  const order = [...groups].sort((p, q) => p[0] - q[0]);
  return {
    shape: order.map((g) => g.reduce((s, a) => s * shape[a], 1)),
    perm: groups.map((g) => order.indexOf(g)),
  };
}

const BLOCK = 8; // measured best of 8/16/32/64

/** out[b, j, i] = x[b, i, j] for `batch` matrices of [rows, cols], in BLOCK x BLOCK tiles. */
function transposeBlocks(
  src: Float32Array | Int32Array | Uint8Array,
  dst: Float32Array | Int32Array | Uint8Array,
  batch: number,
  rows: number,
  cols: number,
): void {
  const size = rows * cols;
  for (let b = 0; b < batch; b++) {
    const base = b * size;
    for (let i0 = 0; i0 < rows; i0 += BLOCK) {
      const i1 = Math.min(i0 + BLOCK, rows);
      for (let j0 = 0; j0 < cols; j0 += BLOCK) {
        const j1 = Math.min(j0 + BLOCK, cols);
        for (let i = i0; i < i1; i++) {
          let s = base + i * cols + j0;
          for (let j = j0; j < j1; j++) dst[base + j * rows + i] = src[s++];
        }
      }
    }
  }
}

export function transposeConfig(stock: KernelFunc): KernelConfig {
  return {
    kernelName: "Transpose",
    backendName: "wasm",
    kernelFunc: (args) => {
      const x = args.inputs.x as TensorInfo;
      const { perm } = args.attrs as unknown as TransposeAttrs;
      const simple = simplifyPermutation(x.shape, perm);
      const p = simple.perm.join();
      if (x.dtype === "string" || (p !== "1,0" && p !== "0,2,1")) return stock(args);
      const backend = args.backend as unknown as HeapBackend;
      const out = backend.makeOutput(perm.map((a) => x.shape[a]), x.dtype);
      if (util.sizeFromShape(x.shape) === 0) return out;
      const [batch, rows, cols] = p === "1,0" ? [1, ...simple.shape] : simple.shape;
      transposeBlocks(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out), batch, rows, cols);
      return out;
    },
  };
}
