// Tile for the wasm backend as block copies on the wasm heap (copyWithin doubling), replacing the stock
// per-element loop that made batch-norm gradients (which tile the variance over N, H, W) slow. Strings go to
// the stock kernel.
import { type KernelConfig, type KernelFunc, type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { TileAttrs } from "@tensorflow/tfjs-core";

interface HeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Writes x into the leading corner of each tile, then replicates blocks axis by axis, innermost first. */
export function tileOnHeap(x: TensorInfo, reps: number[], backend: HeapBackend): TensorInfo {
  const inShape = x.shape;
  const rank = inShape.length;
  const outShape = inShape.map((s, i) => s * reps[i]);
  const out = backend.makeOutput(outShape, x.dtype);
  const size = util.sizeFromShape(inShape);
  if (size === 0 || util.sizeFromShape(outShape) === 0) return out;
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  if (rank === 0) {
    dst.set(src);
    return out;
  }
  const outStrides = [...util.computeStrides(outShape), 1];
  /** Offset in the output of each index over input dims [0, axes), in row-major order. */
  const cornerOffsets = (axes: number): number[] => {
    let offsets = [0];
    for (let a = 0; a < axes; a++) {
      const next: number[] = [];
      for (const o of offsets) for (let i = 0; i < inShape[a]; i++) next.push(o + i * outStrides[a]);
      offsets = next;
    }
    return offsets;
  };
  const rowLength = inShape[rank - 1];
  cornerOffsets(rank - 1).forEach((o, row) => dst.set(src.subarray(row * rowLength, (row + 1) * rowLength), o));
  for (let a = rank - 1; a >= 0; a--) {
    if (reps[a] === 1) continue;
    const block = inShape[a] * outStrides[a];
    const span = block * reps[a];
    for (const base of cornerOffsets(a)) {
      for (let filled = block; filled < span;) {
        const n = Math.min(filled, span - filled);
        dst.copyWithin(base + filled, base, base + n);
        filled += n;
      }
    }
  }
  return out;
}

export function tileConfig(stock: KernelFunc): KernelConfig {
  return {
    kernelName: "Tile",
    backendName: "wasm",
    kernelFunc: (args) => {
      const x = args.inputs.x as TensorInfo;
      if (x.dtype === "string") return stock(args);
      return tileOnHeap(x, (args.attrs as unknown as TileAttrs).reps, args.backend as unknown as HeapBackend);
    },
  };
}
