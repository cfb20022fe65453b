// DepthwiseConv2dNativeBackpropInput for the wasm backend: dy, zero-stuffed by the stride and padded for a full
// correlation, convolved (XNNPACK depthwise, stride 1) with the spatially flipped filter.
import { backend_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { DepthwiseConv2dNativeBackpropInputAttrs } from "@tensorflow/tfjs-core";
import { composite, type WasmBackend, type WasmOps } from "./wasm_ops.ts";

/** dy with stride-1 zeros after every row and column (so a stride-1 convolution sees the strided layout). */
export function zeroStuff(ops: WasmOps, dy: TensorInfo, strideH: number, strideW: number): TensorInfo {
  if (strideH === 1 && strideW === 1) return dy;
  const [n, h, w, c] = dy.shape;
  const spread = ops.reshape(dy, [n, h, 1, w, 1, c]);
  const padded = ops.padOrCrop(spread, [[0, 0], [0, 0], [0, strideH - 1], [0, 0], [0, strideW - 1], [0, 0]]);
  return ops.reshape(padded, [n, h * strideH, w * strideW, c]);
}

/** Pads (or crops) zero-stuffed dy so that a VALID stride-1 correlation with the flipped filter gives dx. */
export function padForFullCorrelation(ops: WasmOps, stuffed: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const spanH = (info.filterHeight - 1) * info.dilationHeight;
  const spanW = (info.filterWidth - 1) * info.dilationWidth;
  const top = spanH - info.padInfo.top;
  const left = spanW - info.padInfo.left;
  const bottom = info.inHeight + spanH - top - stuffed.shape[1];
  const right = info.inWidth + spanW - left - stuffed.shape[2];
  return ops.padOrCrop(stuffed, [[0, 0], [top, bottom], [left, right], [0, 0]]);
}

export function depthwiseBackpropInput(
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: DepthwiseConv2dNativeBackpropInputAttrs,
  backend: WasmBackend,
): TensorInfo {
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const [fh, fw, channels, multiplier] = filter.shape;
  return composite(backend, (ops) => {
    const stuffed = zeroStuff(ops, dy, info.strideHeight, info.strideWidth);
    const dyp = padForFullCorrelation(ops, stuffed, info);
    const flipped = ops.reshape(ops.reverse(filter, [0, 1]), [fh, fw, channels * multiplier, 1]);
    const dx = ops.depthwiseConv(dyp, flipped, [info.dilationHeight, info.dilationWidth]);
    if (multiplier === 1) return dx;
    const [n, h, w] = attrs.inputShape;
    return ops.sum(ops.reshape(dx, [n, h, w, channels, multiplier]), [4]);
  });
}

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: "DepthwiseConv2dNativeBackpropInput",
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs, backend }) =>
    depthwiseBackpropInput(
      inputs.dy as TensorInfo,
      inputs.filter as TensorInfo,
      attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs,
      backend as WasmBackend,
    ),
};
