// DepthwiseConv2dNativeBackpropFilter for the wasm backend: per filter tap, the input window (a shifted view of
// the flattened, padded input) times dy, summed over batch and pixels (an XNNPACK average pool), stacked into the
// [fh, fw, channels, multiplier] filter gradient.
import { backend_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { DepthwiseConv2dNativeBackpropFilterAttrs } from "@tensorflow/tfjs-core";
import { tapPhases } from "./taps.ts";
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
  const [, , channels, multiplier] = attrs.filterShape;
  return composite(backend, (ops) => {
    // Flatten each stride phase of the padded input and dy (zero-padded to the phase's size) to pixel rows:
    // tap (kh, kw) then pairs dy pixel q with phase pixel q + row * cols + col, so its window is a contiguous
    // view (no copy). Rows past the phase end are skipped; dy is zero there.
    const phases = tapPhases(ops, x, info);
    const [n, rows, cols] = phases.phase(0, 0).shape;
    const located = [];
    for (let kh = 0; kh < info.filterHeight; kh++) {
      for (let kw = 0; kw < info.filterWidth; kw++) located.push(phases.locate(kh, kw));
    }
    const shift = (l: { row: number; col: number }) => l.row * cols + l.col;
    const length = n * rows * cols - Math.max(...located.map(shift));
    const dyPadded = ops.padOrCrop(dy, [[0, 0], [0, rows - info.outHeight], [0, cols - info.outWidth], [0, 0]]);
    const dyRows = ops.view(dyPadded, 0, [length, channels, multiplier]);
    const perTap = located.map((l) => {
      const window = ops.view(phases.phase(l.ph, l.pw), shift(l) * channels, [length, channels, 1]);
      return ops.columnSums(ops.reshape(ops.mul(window, dyRows), [length, channels * multiplier]));
    });
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
