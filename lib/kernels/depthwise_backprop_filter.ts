// DepthwiseConv2dNativeBackpropFilter for the wasm backend: per filter tap, the input window times dy, summed
// over batch and pixels (an XNNPACK average pool), stacked into the [fh, fw, channels, multiplier] filter gradient.
import { backend_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { DepthwiseConv2dNativeBackpropFilterAttrs } from "@tensorflow/tfjs-core";
import { tapPhases, tapWindow } from "./taps.ts";
import { composite, type WasmBackend } from "./wasm_ops.ts";

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
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  const [, , channels, multiplier] = attrs.filterShape;
  return composite(backend, (ops) => {
    const dy3 = ops.reshape(dy, [pixels, channels, multiplier]);
    const phases = tapPhases(ops, x, info);
    const perTap: TensorInfo[] = [];
    for (let kh = 0; kh < info.filterHeight; kh++) {
      for (let kw = 0; kw < info.filterWidth; kw++) {
        const products = ops.mul(ops.reshape(tapWindow(ops, phases, info, kh, kw), [pixels, channels, 1]), dy3);
        perTap.push(ops.columnSums(ops.reshape(products, [pixels, channels * multiplier])));
      }
    }
    const stacked = perTap.length === 1 ? perTap[0] : ops.concat(perTap, 0);
    return ops.reshape(stacked, attrs.filterShape);
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
