// DepthwiseConv2dNativeBackpropFilter for the wasm backend: dW[kh, kw, c] = Σ over batch and output pixels of
// x_padded[n, oh·s + kh·d, ow·s + kw·d, c] · dy[n, oh, ow, c], on our SIMD kernel (lib/runtime/kernels/simd) over every
// thread, one call per run of output pixels and filter tap. A channel multiplier m repeats each input channel m
// times first, so that input and dy channels pair one to one.
import { backend_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { DepthwiseConv2dNativeBackpropFilterAttrs } from "@tensorflow/tfjs-core";
import { PRODUCTS_BLOCK as BLOCK, roundUp } from "./simd/pool_control.ts";
import { runPooled } from "./simd/tensor_call.ts";
import { pixelRuns, pixelsAligned, tapPixel, threadShare } from "./taps.ts";
import { composite, type WasmBackend } from "./wasm_ops.ts";

const MAX_RUN = 256;

export function depthwiseBackpropFilter(
  x: TensorInfo,
  dy: TensorInfo,
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs,
  backend: WasmBackend,
): TensorInfo {
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const [fh, fw, channels, multiplier] = attrs.filterShape;
  const cm = channels * multiplier;
  const cp = roundUp(cm, BLOCK);
  const { top, bottom, left, right } = info.padInfo;
  return composite(backend, (ops) => {
    const [n, h, w] = x.shape;
    const repeated = multiplier === 1 ? x : ops.reshape(
      ops.run("Tile", { x: ops.reshape(x, [n, h, w, channels, 1]) }, { reps: [1, 1, 1, 1, multiplier] }),
      [n, h, w, cm],
    );
    const xp = ops.padOrCrop(repeated, [[0, 0], [top, bottom], [left, right], [0, cp - cm]]);
    const dyp = ops.padOrCrop(dy, [[0, 0], [0, 0], [0, 0], [0, cp - cm]]);
    const [, hp, wp] = xp.shape;
    const runs = pixelRuns(info, pixelsAligned(info, hp, wp), MAX_RUN);
    const taps = fh * fw;
    const result = ops.fill([taps, cp], 0);
    runPooled(backend, {
      kernel: "accumulateProducts",
      inputs: [xp, dyp],
      results: [result],
      // Each thread owns a range of 16-channel blocks of every tap (or, with fewer blocks than threads, whole taps).
      calls: (t, threads, { inputs: [xAt, dyAt], results: [resultAt] }) => {
        const share = threadShare(t, threads, cp / BLOCK, taps);
        const calls: number[][] = [];
        for (const [first, length] of runs) {
          for (const tap of share.taps) {
            const xPixel = tapPixel(info, hp, wp, first, Math.floor(tap / fw), tap % fw);
            calls.push([
              xAt + xPixel * cp * 4 + share.first * BLOCK * 4,
              info.strideWidth * cp * 4,
              dyAt + first * cp * 4 + share.first * BLOCK * 4,
              cp * 4,
              length,
              resultAt + tap * cp * 4 + share.first * BLOCK * 4,
              share.end - share.first,
            ]);
          }
        }
        return calls;
      },
    });
    return ops.reshape(cp === cm ? result : ops.slice(result, [0, 0], [taps, cm]), attrs.filterShape);
  });
}

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: "DepthwiseConv2dNativeBackpropFilter",
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs, backend }) =>
    depthwiseBackpropFilter(
      inputs.x as TensorInfo,
      inputs.dy as TensorInfo,
      attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs,
      backend as WasmBackend,
    ),
};
