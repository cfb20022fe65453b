// Conv2D for the wasm backend on our SIMD kernel (lib/runtime/kernels/simd) over every thread, for NHWC float32 without
// dilation, with at least MIN_CHANNELS input channels and an output at least a tile wide (others go to the stock
// XNNPACK kernel): one call per output row computes it whole, 6 output pixels x 8 output channels per register
// tile, reducing over every filter tap and input channel. Output channels are computed 8-padded, then trimmed.
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import type { Conv2DAttrs } from "@tensorflow/tfjs-core";
import { ACCUMULATE_TILE as TILE, roundUp } from "./simd/pool_control.ts";
import { runPooled, threadRange } from "./simd/tensor_call.ts";
import { composite, type WasmBackend, type WasmOps } from "./wasm_ops.ts";

/** Below this many input channels each tile's reduction is too short for its loads and stores: XNNPACK wins. */
const MIN_CHANNELS = 16;

/** The convolution of NHWC x with an [fh, fw, in, out] filter, dilation 1, geometry `info`. */
function simdConv2d(ops: WasmOps, x: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const [fh, fw, cin, cout] = filter.shape;
  const { batchSize: n, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const np = roundUp(cout, TILE.columns);
  const hp = (oh - 1) * sh + fh;
  const wp = (ow - 1) * sw + fw;
  const [, h, w] = x.shape;
  const { top, left } = padInfo;
  const xp = ops.padOrCrop(x, [[0, 0], [top, hp - h - top], [left, wp - w - left], [0, 0]]);
  const fp = ops.padOrCrop(filter, [[0, 0], [0, 0], [0, 0], [0, np - cout]]);
  const result = ops.empty([n, oh, ow, np]);
  // Per output row: its whole tiles, then (when the width is not a multiple of the tile) one more tile ending at
  // the row's end, overlapping the last one (the kernel writes, so recomputed pixels just get the same values).
  const tiles = Math.floor(ow / TILE.rows);
  const starts = ow % TILE.rows ? [[0, tiles], [ow - TILE.rows, 1]] : [[0, tiles]];
  runPooled(ops.backend, {
    kernel: "accumulate",
    inputs: [xp, fp],
    results: [result],
    // Each thread owns a range of output rows; one call per tile run covers every filter tap.
    calls: (t, threads, { inputs: [xAt, fAt], results: [outAt] }) => {
      const [first, end] = threadRange(t, threads, n * oh);
      const calls: number[][] = [];
      for (let row = first; row < end; row++) {
        const y = row % oh;
        const image = (row - y) / oh;
        for (const [pixel, count] of starts) {
          calls.push([
            xAt + ((image * hp + y * sh) * wp + pixel * sw) * cin * 4,
            4,
            fAt,
            np * 4,
            fw * cin,
            outAt + (row * ow + pixel) * np * 4,
            np * 4,
            count,
            np / TILE.columns,
            sw * cin * 4,
            fh,
            wp * cin * 4,
            1,
          ]);
        }
      }
      return calls;
    },
  });
  return np === cout ? result : ops.slice(result, [0, 0, 0, 0], [n, oh, ow, cout]);
}

/**
 * x convolved with `filter` (NHWC, dilation 1): ours or, for few input channels or an output narrower than a tile,
 * the stock kernel.
 */
export function conv2dOnWasm(
  ops: WasmOps,
  x: TensorInfo,
  filter: TensorInfo,
  strides: number | [number, number],
  pad: Conv2DAttrs["pad"],
  dimRoundingMode?: Conv2DAttrs["dimRoundingMode"],
): TensorInfo {
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  if (filter.shape[2] >= MIN_CHANNELS && info.outWidth >= TILE.rows) return simdConv2d(ops, x, filter, info);
  const attrs = { strides, pad, dataFormat: "NHWC", dilations: [1, 1] };
  return ops.run("Conv2D", { x, filter }, dimRoundingMode ? { ...attrs, dimRoundingMode } : attrs);
}

/** Ours for NHWC float32 without dilation, the stock kernel (passed in) otherwise. */
export function conv2dConfig(stock: KernelFunc): KernelConfig {
  return {
    kernelName: "Conv2D",
    backendName: "wasm",
    kernelFunc: (args) => {
      const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
      const attrs = args.attrs as unknown as Conv2DAttrs;
      const dilations = typeof attrs.dilations === "number" ? [attrs.dilations] : attrs.dilations ?? [1];
      if (attrs.dataFormat === "NCHW" || dilations.some((d) => d !== 1) || x.dtype !== "float32") return stock(args);
      return composite(
        args.backend as WasmBackend,
        (ops) => conv2dOnWasm(ops, x, filter, attrs.strides, attrs.pad, attrs.dimRoundingMode),
      );
    },
  };
}
