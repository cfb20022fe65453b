// Window geometry shared by the convolution filter gradients: filter tap (kh, kw) multiplies a window of the
// padded input. Strided windows come from stride phases (reshape + contiguous slices), because the wasm
// StridedSlice kernel is ~20x slower than Slice: tap (kh, kw) reads phase (r % stride) at offset r / stride.
import type { backend_util, TensorInfo } from "@tensorflow/tfjs-core";
import type { WasmOps } from "./wasm_ops.ts";

type ConvInfo = backend_util.Conv2DInfo;

export interface TapPhases {
  /** The padded input's rows ≡ ph and columns ≡ pw (mod stride), NHWC [n, rows, cols, c]. */
  phase(ph: number, pw: number): TensorInfo;
  /** Which phase filter tap (kh, kw) reads, and the row/column offset of its window in that phase. */
  locate(kh: number, kw: number): { ph: number; pw: number; row: number; col: number };
}

export function tapPhases(ops: WasmOps, x: TensorInfo, info: ConvInfo): TapPhases {
  const sh = info.strideHeight, sw = info.strideWidth;
  const { top, left } = info.padInfo;
  const [n, , , c] = x.shape;
  // Padded height/width: every row/column a tap reads, rounded up to a multiple of the stride.
  const needH = (info.outHeight - 1) * sh + (info.filterHeight - 1) * info.dilationHeight + 1;
  const needW = (info.outWidth - 1) * sw + (info.filterWidth - 1) * info.dilationWidth + 1;
  const hp = Math.ceil(needH / sh) * sh, wp = Math.ceil(needW / sw) * sw;
  const pads: [number, number][] = [[0, 0], [top, hp - info.inHeight - top], [left, wp - info.inWidth - left], [0, 0]];
  const xp = pads.some(([b, a]) => b !== 0 || a !== 0) ? ops.padOrCrop(x, pads) : x;
  const phases = new Map<string, TensorInfo>();
  return {
    phase(ph, pw) {
      if (sh === 1 && sw === 1) return xp;
      const key = `${ph},${pw}`;
      let found = phases.get(key);
      if (!found) {
        const rows = sh === 1
          ? xp
          : ops.slice(ops.reshape(xp, [n, hp / sh, sh, wp * c]), [0, 0, ph, 0], [n, hp / sh, 1, wp * c]);
        const cols = ops.reshape(rows, [n, hp / sh, wp / sw, sw * c]);
        found = sw === 1 ? cols : ops.slice(cols, [0, 0, 0, pw * c], [n, hp / sh, wp / sw, c]);
        phases.set(key, found);
      }
      return found;
    },
    locate(kh, kw) {
      const r = kh * info.dilationHeight, q = kw * info.dilationWidth;
      return { ph: r % sh, pw: q % sw, row: Math.floor(r / sh), col: Math.floor(q / sw) };
    },
  };
}

/**
 * The [n, outHeight, outWidth, c] window of tap (kh, kw), NHWC. It is sliced from the phase viewed as
 * [n, rows, cols * c], so each copied run is a whole window row (the stock Slice copies one run per innermost
 * row: per pixel in NHWC, ~20x more calls for few channels).
 */
export function tapWindow(ops: WasmOps, phases: TapPhases, info: ConvInfo, kh: number, kw: number): TensorInfo {
  const { ph, pw, row, col } = phases.locate(kh, kw);
  const source = phases.phase(ph, pw);
  const [n, h, w, c] = source.shape;
  const { outHeight: oh, outWidth: ow } = info;
  if (row === 0 && col === 0 && h === oh && w === ow) return source;
  const rows = ops.slice(ops.reshape(source, [n, h, w * c]), [0, row, col * c], [n, oh, ow * c]);
  return ops.reshape(rows, [n, oh, ow, c]);
}
