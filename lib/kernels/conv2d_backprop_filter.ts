// Conv2DBackpropFilter for the wasm backend: per filter tap, the input window times dy as one XNNPACK matMul
// reducing over batch and pixels, stacked into the [fh, fw, in, out] filter gradient.
import { backend_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { Conv2DBackpropFilterAttrs } from "@tensorflow/tfjs-core";
import { tapPhases, tapWindow } from "./taps.ts";
import { matMulTransposeA } from "./transposed_matmul.ts";
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
  const { inChannels: cin, outChannels: cout } = info;
  return composite(backend, (ops) => {
    const dy2 = ops.reshape(dy, [pixels, cout]);
    const phases = tapPhases(ops, x, info);
    if (info.filterHeight === 1 && info.filterWidth === 1) {
      const x2 = ops.reshape(tapWindow(ops, phases, info, 0, 0), [pixels, cin]);
      return ops.reshape(matMulTransposeA(ops, x2, dy2), attrs.filterShape);
    }
    // Several taps: transpose each stride phase of x once to [in, n, rows, cols]; a tap's window is then a
    // slice of whole rows, and every tap's matMul packs the same dy (XNNPACK caches it by tensor).
    const transposed = new Map<TensorInfo, TensorInfo>();
    const perTap: TensorInfo[] = [];
    for (let kh = 0; kh < info.filterHeight; kh++) {
      for (let kw = 0; kw < info.filterWidth; kw++) {
        const { ph, pw, row, col } = phases.locate(kh, kw);
        const phase = phases.phase(ph, pw);
        const [n, h, w] = phase.shape;
        let t = transposed.get(phase);
        if (!t) {
          t = ops.reshape(ops.transpose(ops.reshape(phase, [n * h * w, cin]), [1, 0]), [cin, n, h, w]);
          transposed.set(phase, t);
        }
        const whole = row === 0 && col === 0 && h === info.outHeight && w === info.outWidth;
        const window = whole ? t : ops.slice(t, [0, 0, row, col], [cin, n, info.outHeight, info.outWidth]);
        perTap.push(ops.matMul(ops.reshape(window, [cin, pixels]), dy2));
      }
    }
    return ops.reshape(ops.concat(perTap, 0), attrs.filterShape);
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
