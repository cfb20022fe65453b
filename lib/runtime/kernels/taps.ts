// Geometry shared by the convolution filter gradients on the SIMD pool: runs of output pixels whose input pixels
// (for one filter tap) are evenly spaced in the padded input, and where a tap's input pixel lies.
import type { backend_util } from "@tensorflow/tfjs-core";

type ConvInfo = backend_util.Conv2DInfo;

/**
 * Runs [first output pixel, length] of at most `maxRun` pixels (pixels numbered over batch, rows and columns).
 * Runs stay inside one output row, except when `wholeRows` (1x1, stride 1, no padding: input pixels follow the
 * output pixels across rows too).
 */
export function pixelRuns(info: ConvInfo, wholeRows: boolean, maxRun: number): [number, number][] {
  const runs: [number, number][] = [];
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  const rowLength = wholeRows ? pixels : info.outWidth;
  for (let row = 0; row < pixels; row += rowLength) {
    for (let p = 0; p < rowLength; p += maxRun) runs.push([row + p, Math.min(maxRun, rowLength - p)]);
  }
  return runs;
}

/** The padded input's pixel (in its [n, hp, wp] grid) that filter tap (kh, kw) reads for output pixel `p`. */
export function tapPixel(info: ConvInfo, hp: number, wp: number, p: number, kh: number, kw: number): number {
  const ow = p % info.outWidth;
  const row = (p - ow) / info.outWidth;
  const oh = row % info.outHeight;
  const n = (row - oh) / info.outHeight;
  const ih = oh * info.strideHeight + kh * info.dilationHeight;
  const iw = ow * info.strideWidth + kw * info.dilationWidth;
  return (n * hp + ih) * wp + iw;
}

/** Whether the input pixels of a 1x1, stride-1, unpadded convolution follow its output pixels. */
export function pixelsAligned(info: ConvInfo, hp: number, wp: number): boolean {
  return info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 && info.strideWidth === 1 &&
    hp === info.outHeight && wp === info.outWidth;
}

/** Each thread's share when `units` (row tiles or channel blocks) or, if fewer than threads, the taps are split. */
export function threadShare(
  t: number,
  threads: number,
  units: number,
  taps: number,
): { taps: number[]; first: number; end: number } {
  const tiled = units >= threads;
  return {
    taps: [...Array(taps).keys()].filter((k) => tiled || k % threads === t),
    first: tiled ? Math.floor((t * units) / threads) : 0,
    end: tiled ? Math.floor(((t + 1) * units) / threads) : units,
  };
}
