// Conv2D for the wasm backend on our SIMD kernel (lib/kernels/simd) over every thread, for NHWC float32 without
// dilation and with at least MIN_CHANNELS input channels (others go to the stock XNNPACK kernel): per output row and
// filter tap, one call adds the tap's x pixels times its [in, out] filter slice into the row, 4 output pixels x 8
// output channels per register tile. Output rows are computed 4-pixel padded and channels 8-padded, then trimmed.
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import type { Conv2DAttrs } from "@tensorflow/tfjs-core";
import { runPooled, threadRange } from "./simd/tensor_call.ts";
import { composite, type WasmBackend, type WasmOps } from "./wasm_ops.ts";

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

/** Below this many input channels each tile's reduction is too short for its loads and stores: XNNPACK wins. */
const MIN_CHANNELS = 16;

/** The convolution of NHWC x with an [fh, fw, in, out] filter, dilation 1, geometry `info`. */
function simdConv2d(ops: WasmOps, x: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const [fh, fw, cin, cout] = filter.shape;
  const { batchSize: n, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const np = roundUp(cout, 8);
  const owp = roundUp(ow, 4);
  const hp = (oh - 1) * sh + fh;
  const wp = (owp - 1) * sw + fw;
  const [, h, w] = x.shape;
  const xp = ops.padOrCrop(x, [[0, 0], [padInfo.top, hp - h - padInfo.top], [padInfo.left, wp - w - padInfo.left], [
    0,
    0,
  ]]);
  const fp = ops.padOrCrop(filter, [[0, 0], [0, 0], [0, 0], [0, np - cout]]);
  const result = ops.fill([n, oh, owp, np], 0);
  runPooled(ops.backend, {
    kernel: "accumulate",
    inputs: [xp, fp],
    results: [result],
    // Each thread owns a range of output rows.
    calls: (t, threads, { inputs: [xAt, fAt], results: [outAt] }) => {
      const [first, end] = threadRange(t, threads, n * oh);
      const calls: number[][] = [];
      for (let row = first; row < end; row++) {
        const y = row % oh;
        const image = (row - y) / oh;
        for (let kh = 0; kh < fh; kh++) {
          for (let kw = 0; kw < fw; kw++) {
            calls.push([
              xAt + ((image * hp + y * sh + kh) * wp + kw) * cin * 4,
              4,
              fAt + (kh * fw + kw) * cin * np * 4,
              np * 4,
              cin,
              outAt + row * owp * np * 4,
              np * 4,
              owp / 4,
              np / 8,
              sw * cin * 4,
            ]);
          }
        }
      }
      return calls;
    },
  });
  return owp === ow && np === cout ? result : ops.slice(result, [0, 0, 0, 0], [n, oh, ow, cout]);
}

/** x convolved with `filter` (NHWC, dilation 1): ours or, for few input channels, the stock kernel. */
export function conv2dOnWasm(
  ops: WasmOps,
  x: TensorInfo,
  filter: TensorInfo,
  strides: number | [number, number],
  pad: Conv2DAttrs["pad"],
  dimRoundingMode?: Conv2DAttrs["dimRoundingMode"],
): TensorInfo {
  if (filter.shape[2] < MIN_CHANNELS) {
    const attrs = { strides, pad, dataFormat: "NHWC", dilations: [1, 1] };
    return ops.run("Conv2D", { x, filter }, dimRoundingMode ? { ...attrs, dimRoundingMode } : attrs);
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  return simdConv2d(ops, x, filter, info);
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
