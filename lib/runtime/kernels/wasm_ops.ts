// Runs the wasm backend's own kernels on TensorInfos (no engine, no tape) so composite kernels can chain them,
// and frees every intermediate when the composite is done.
import {
  getKernel,
  type KernelBackend,
  type KernelConfig,
  type NamedAttrMap,
  type TensorInfo,
} from "@tensorflow/tfjs-core";

/** The parts of tfjs-backend-wasm's BackendWasm the composites rely on. */
export interface WasmBackend extends KernelBackend {
  disposeData(dataId: object, force?: boolean): boolean;
  makeOutput(shape: number[], dtype: string, memoryOffset?: number): TensorInfo;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined };
}

export type Pads = [number, number][];

/**
 * Stock wasm kernels displaced by replacements that are themselves composites (filled by mod.ts). Composites
 * run these, so a replacement never calls itself.
 */
export const stockKernels = new Map<string, KernelConfig>();

/** Kernel calls on one backend; every output is owned by the ops object until `release`. */
export class WasmOps {
  private readonly made: TensorInfo[] = [];

  constructor(readonly backend: WasmBackend) {}

  run(kernelName: string, inputs: Record<string, TensorInfo> | TensorInfo[], attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = stockKernels.get(kernelName) ?? getKernel(kernelName, "wasm");
    if (!kernel) throw new Error(`lib/runtime/kernels/wasm_ops.ts: the wasm backend has no ${kernelName} kernel`);
    // deno-lint-ignore no-explicit-any
    const out = kernel.kernelFunc({ inputs: inputs as any, attrs, backend: this.backend }) as TensorInfo;
    this.made.push(out);
    return out;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run("Reshape", { x }, { shape });
  }

  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    return this.run("Slice", { x }, { begin, size });
  }

  /** Pads with zeros (positive amounts) and crops (negative amounts), per axis [before, after]. */
  padOrCrop(x: TensorInfo, pads: Pads): TensorInfo {
    let out = x;
    if (pads.some(([b, a]) => b < 0 || a < 0)) {
      const begin = pads.map(([b]) => Math.max(0, -b));
      const size = pads.map(([b, a], i) => x.shape[i] + Math.min(0, b) + Math.min(0, a));
      out = this.slice(x, begin, size);
    }
    if (pads.some(([b, a]) => b > 0 || a > 0)) {
      out = this.run("PadV2", { x: out }, {
        paddings: pads.map(([b, a]) => [Math.max(0, b), Math.max(0, a)]),
        constantValue: 0,
      });
    }
    return out;
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run("Transpose", { x }, { perm });
  }

  reverse(x: TensorInfo, dims: number[]): TensorInfo {
    return this.run("Reverse", { x }, { dims });
  }

  concat(xs: TensorInfo[], axis: number): TensorInfo {
    return this.run("Concat", xs, { axis });
  }

  /** A float32 tensor whose values are yet to be written (by our SIMD kernels). */
  empty(shape: number[]): TensorInfo {
    const out = this.backend.makeOutput(shape, "float32");
    this.made.push(out);
    return out;
  }

  /** A float32 tensor filled with `value`. */
  fill(shape: number[], value: number): TensorInfo {
    return this.run("Fill", {}, { shape, value, dtype: "float32" });
  }

  mul(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run("Multiply", { a, b });
  }

  sum(x: TensorInfo, axis: number[]): TensorInfo {
    return this.run("Sum", { x }, { axis, keepDims: false });
  }

  /** a·b without transposes: the only BatchMatMul form the wasm backend runs through XNNPACK (10-20x faster). */
  matMul(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run("BatchMatMul", { a, b }, { transposeA: false, transposeB: false });
  }

  /**
   * Sums over the rows of a [rows, cols] matrix, times `scale`, as [1, cols]: an XNNPACK global average pool
   * (one pass; a ones-row matMul would repack the matrix, and the stock Sum transposes it first).
   */
  columnSums(x: TensorInfo, scale = 1): TensorInfo {
    const [rows, cols] = x.shape;
    const pooled = this.run("AvgPool", { x: this.reshape(x, [1, rows, 1, cols]) }, {
      filterSize: [rows, 1],
      strides: [1, 1],
      pad: "valid",
    });
    const means = this.reshape(pooled, [1, cols]);
    return rows * scale === 1 ? means : this.mul(means, this.fill([1, 1], rows * scale));
  }

  /** Stride-1, VALID, NHWC depthwise convolution with the given dilation. */
  depthwiseConv(x: TensorInfo, filter: TensorInfo, dilations: [number, number]): TensorInfo {
    return this.run("DepthwiseConv2dNative", { x, filter }, {
      strides: [1, 1],
      pad: "valid",
      dilations,
      dataFormat: "NHWC",
    });
  }

  /** Frees every output made so far except `keep`, which the caller now owns. */
  release(keep: TensorInfo): TensorInfo {
    for (const info of this.made) if (info !== keep) this.backend.disposeData(info.dataId);
    this.made.length = 0;
    return keep;
  }
}

/** Runs `body` with a fresh WasmOps and returns its result with every intermediate freed (also on error). */
export function composite(backend: WasmBackend, body: (ops: WasmOps) => TensorInfo): TensorInfo {
  const ops = new WasmOps(backend);
  let result: TensorInfo | undefined;
  try {
    result = body(ops);
    return result;
  } finally {
    ops.release(result ?? { dataId: {}, shape: [], dtype: "float32" });
  }
}
