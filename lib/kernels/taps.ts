// Window geometry shared by the convolution gradient kernels: the padded input and, for one filter tap, the
// strided window of input pixels that tap multiplies, as an [N, outHeight, outWidth, C] tensor.
import type { backend_util, TensorInfo } from "@tensorflow/tfjs-core";
import type { WasmOps } from "./wasm_ops.ts";

type ConvInfo = backend_util.Conv2DInfo;

/** x zero-padded by the convolution's top/left padding, and at the bottom/right only as far as any tap reads. */
export function paddedInput(ops: WasmOps, x: TensorInfo, info: ConvInfo): TensorInfo {
  const { top, left } = info.padInfo;
  const needH = (info.outHeight - 1) * info.strideHeight + (info.filterHeight - 1) * info.dilationHeight + 1;
  const needW = (info.outWidth - 1) * info.strideWidth + (info.filterWidth - 1) * info.dilationWidth + 1;
  const bottom = Math.max(0, needH - info.inHeight - top);
  const right = Math.max(0, needW - info.inWidth - left);
  if (top === 0 && left === 0 && bottom === 0 && right === 0) return x;
  return ops.padOrCrop(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
}

/** The input pixels filter tap (kh, kw) meets, from the tensor `paddedInput` returned. */
export function tapWindow(ops: WasmOps, xp: TensorInfo, info: ConvInfo, kh: number, kw: number): TensorInfo {
  const begin = [0, kh * info.dilationHeight, kw * info.dilationWidth, 0];
  const size = [info.batchSize, info.outHeight, info.outWidth, xp.shape[3]];
  const whole = begin.every((b) => b === 0) && size.every((s, i) => s === xp.shape[i]);
  if (whole && info.strideHeight === 1 && info.strideWidth === 1) return xp;
  return ops.stridedSlice(xp, begin, size, [1, info.strideHeight, info.strideWidth, 1]);
}
