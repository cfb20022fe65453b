// Conv2DBackpropFilter for the wasm backend: dW[kh, kw, i, o] = Σ over batch and output pixels of
// x_padded[n, oh·s + kh, ow·s + kw, i] · dy[n, oh, ow, o], on our SIMD kernel (lib/runtime/kernels/simd) over every thread.
// The kernel reads x (zero-padded, channels to a multiple of 6) and dy (channels to a multiple of 8) in place; each
// call accumulates one run of output pixels for one filter tap, so the reduction over pixels is cut into
// cache-sized pieces (XNNPACK's matMul has no such blocking: its long reductions ran at half its usual speed).
import { backend_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { Conv2DBackpropFilterAttrs } from "@tensorflow/tfjs-core";
import { ACCUMULATE_TILE as TILE, roundUp } from "./simd/pool_control.ts";
import { runPooled } from "./simd/tensor_call.ts";
import { pixelRuns, pixelsAligned, tapPixel, threadShare } from "./taps.ts";
import { composite, type WasmBackend } from "./wasm_ops.ts";

/** Bytes of dy a run of pixels may span, so that a run of dy stays in the L2 cache across a tap's tiles. */
const RUN_BYTES = 65536;

export function conv2dBackpropFilter(
  x: TensorInfo,
  dy: TensorInfo,
  attrs: Conv2DBackpropFilterAttrs,
  backend: WasmBackend,
): TensorInfo {
  if (attrs.dataFormat === "NCHW") {
    throw new Error(
      "lib/runtime/kernels/conv2d_backprop_filter.ts: wasm Conv2DBackpropFilter supports NHWC only, got NCHW",
    );
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { inChannels: cin, outChannels: cout, filterHeight: fh, filterWidth: fw, padInfo } = info;
  const mp = roundUp(cin, TILE.rows);
  const np = roundUp(cout, TILE.columns);
  return composite(backend, (ops) => {
    const xp = ops.padOrCrop(x, [[0, 0], [padInfo.top, padInfo.bottom], [padInfo.left, padInfo.right], [0, mp - cin]]);
    const dyp = ops.padOrCrop(dy, [[0, 0], [0, 0], [0, 0], [0, np - cout]]);
    const [, hp, wp] = xp.shape;
    const runs = pixelRuns(
      info,
      pixelsAligned(info, hp, wp),
      Math.max(16, Math.min(256, Math.floor(RUN_BYTES / (np * 4)))),
    );
    const taps = fh * fw;
    const result = ops.fill([taps, mp, np], 0);
    runPooled(backend, {
      kernel: "accumulate",
      inputs: [xp, dyp],
      results: [result],
      // Each thread owns a range of 6-row tiles of every tap's dW (or, with fewer tiles than threads, whole taps).
      calls: (t, threads, { inputs: [xAt, dyAt], results: [resultAt] }) => {
        const share = threadShare(t, threads, mp / TILE.rows, taps);
        const calls: number[][] = [];
        for (const [first, length] of runs) {
          for (const tap of share.taps) {
            const xPixel = tapPixel(info, hp, wp, first, Math.floor(tap / fw), tap % fw);
            calls.push([
              xAt + (xPixel * mp + share.first * TILE.rows) * 4,
              info.strideWidth * mp * 4,
              dyAt + first * np * 4,
              np * 4,
              length,
              resultAt + (tap * mp + share.first * TILE.rows) * np * 4,
              np * 4,
              share.end - share.first,
              np / TILE.columns,
              4,
              1,
              0,
              0,
            ]);
          }
        }
        return calls;
      },
    });
    const trimmed = mp === cin && np === cout ? result : ops.slice(result, [0, 0, 0], [taps, cin, cout]);
    return ops.reshape(trimmed, attrs.filterShape);
  });
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: "Conv2DBackpropFilter",
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs, backend }) =>
    conv2dBackpropFilter(
      inputs.x as TensorInfo,
      inputs.dy as TensorInfo,
      attrs as unknown as Conv2DBackpropFilterAttrs,
      backend as WasmBackend,
    ),
};
