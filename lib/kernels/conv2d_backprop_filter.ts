// Conv2DBackpropFilter for the wasm backend: per filter tap, the strided input window times dy (one matMul
// each, reducing over batch and pixels), stacked into the [fh, fw, in, out] filter gradient.
import { backend_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { Conv2DBackpropFilterAttrs } from "@tensorflow/tfjs-core";
import { paddedInput, tapWindow } from "./taps.ts";
import { composite, type WasmBackend } from "./wasm_ops.ts";

export function conv2dBackpropFilter(
  x: TensorInfo,
  dy: TensorInfo,
  attrs: Conv2DBackpropFilterAttrs,
  backend: WasmBackend,
): TensorInfo {
  if (attrs.dataFormat === "NCHW") {
    throw new Error("lib/kernels/conv2d_backprop_filter.ts: wasm Conv2DBackpropFilter supports NHWC only, got NCHW");
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  return composite(backend, (ops) => {
    const dy2 = ops.reshape(dy, [pixels, info.outChannels]);
    const xp = paddedInput(ops, x, info);
    const perTap: TensorInfo[] = [];
    for (let kh = 0; kh < info.filterHeight; kh++) {
      for (let kw = 0; kw < info.filterWidth; kw++) {
        const window = ops.reshape(tapWindow(ops, xp, info, kh, kw), [pixels, info.inChannels]);
        perTap.push(ops.matMul(window, dy2, true, false));
      }
    }
    const stacked = perTap.length === 1 ? perTap[0] : ops.concat(perTap, 0);
    return ops.reshape(stacked, attrs.filterShape);
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
