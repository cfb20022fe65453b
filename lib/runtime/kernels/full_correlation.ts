// Input gradients of convolutions as forward convolutions: dy is zero-stuffed by the stride and padded so that a
// VALID stride-1 correlation with the spatially flipped filter yields dx (a "full" correlation).
import type { backend_util, TensorInfo } from "@tensorflow/tfjs-core";
import type { WasmOps } from "./wasm_ops.ts";

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
