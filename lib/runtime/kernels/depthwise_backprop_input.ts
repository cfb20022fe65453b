// DepthwiseConv2dNativeBackpropInput for the wasm backend: dy, zero-stuffed by the stride and padded for a full
// correlation, convolved (XNNPACK depthwise, stride 1) with the spatially flipped filter.
import { backend_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { DepthwiseConv2dNativeBackpropInputAttrs } from "@tensorflow/tfjs-core";
import { padForFullCorrelation, zeroStuff } from "./full_correlation.ts";
import { composite, type WasmBackend } from "./wasm_ops.ts";

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
