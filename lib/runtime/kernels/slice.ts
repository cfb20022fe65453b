// Slice and SplitV for the wasm backend as in-heap block moves (copyWithin), replacing the stock kernels, which
// first copy the whole input out of the wasm heap (readSync), then copy runs back one innermost row at a time.
import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  slice_util,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import type { SliceAttrs, SplitVAttrs } from "@tensorflow/tfjs-core";

interface HeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
}

/** Copies the slice run by run, where a run spans the innermost axes the slice takes whole. */
export function sliceOnHeap(x: TensorInfo, begin: number[], size: number[], backend: HeapBackend): TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const count = util.sizeFromShape(size);
  if (count === 0) return out;
  const region = backend.typedArrayFromHeap(out);
  const heap = new (region.constructor as Float32ArrayConstructor)(region.buffer); // the whole wasm heap
  const element = region.BYTES_PER_ELEMENT;
  const source = backend.dataIdMap.get(x.dataId).memoryOffset / element;
  let target = backend.dataIdMap.get(out.dataId).memoryOffset / element;
  const strides = [...util.computeStrides(x.shape), 1];
  // The axis from which on the slice is one contiguous run for each index of the axes before it.
  let axis = x.shape.length - 1;
  while (axis > 0 && size[axis] === x.shape[axis]) axis--;
  const run = size[axis] * strides[axis];
  const outer = size.slice(0, axis);
  const index = outer.map(() => 0);
  for (let r = count / run; r > 0; r--) {
    let offset = source + begin[axis] * strides[axis];
    for (let a = 0; a < axis; a++) offset += (begin[a] + index[a]) * strides[a];
    heap.copyWithin(target, offset, offset + run);
    target += run;
    for (let a = axis - 1; a >= 0 && ++index[a] === outer[a]; a--) index[a] = 0;
  }
  return out;
}

export function sliceConfig(stock: KernelFunc): KernelConfig {
  return {
    kernelName: "Slice",
    backendName: "wasm",
    kernelFunc: (args) => {
      const x = args.inputs.x as TensorInfo;
      if (x.dtype === "string") return stock(args);
      const { begin, size } = args.attrs as unknown as SliceAttrs;
      const [b, s] = slice_util.parseSliceParams(x, begin, size);
      return sliceOnHeap(x, b, s, args.backend as unknown as HeapBackend);
    },
  };
}

export function splitVConfig(stock: KernelFunc): KernelConfig {
  return {
    kernelName: "SplitV",
    backendName: "wasm",
    kernelFunc: (args) => {
      const x = args.inputs.x as TensorInfo;
      if (x.dtype === "string") return stock(args);
      const { numOrSizeSplits, axis } = args.attrs as unknown as SplitVAttrs;
      const a = util.parseAxisParam(axis, x.shape)[0];
      const begin = x.shape.map(() => 0);
      return backend_util.prepareSplitSize(x, numOrSizeSplits, a).map((length) => {
        const size = [...x.shape];
        size[a] = length;
        const part = sliceOnHeap(x, [...begin], size, args.backend as unknown as HeapBackend);
        begin[a] += length;
        return part;
      });
    },
  };
}
