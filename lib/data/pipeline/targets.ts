// Panoptic-DeepLab training targets from a Sample, as deeplab2's sample_generator builds them: semantic target and
// weights (small instances weighted up), centre heatmap (Gaussian per instance, max-combined), centre offsets, and
// the centre / offset loss weights with crowd and ignore handling. Optionally on a strided output grid.

import type { Sample } from "../datasets/sample.ts";
import { IGNORE_ID, THING_TRAIN_IDS } from "../labels/cityscapes_labels.ts";

export interface TargetOptions {
  /** Semantic ids that are things (default: Cityscapes trainIds 11–18). */
  thingIds?: readonly number[];
  /** Gaussian standard deviation of the centre heatmap, in input pixels (deeplab2: 8). */
  sigma?: number;
  /** Instances with fewer pixels than this get `smallInstanceWeight` in the semantic weights (4096; 0 = off). */
  smallInstanceArea?: number;
  smallInstanceWeight?: number;
  /**
   * Targets at every `outputStride`-th pixel: output (i, j) is the full-resolution target at input pixel
   * (i·s, j·s), i.e. a strided subsample, grid ceil(H/s) x ceil(W/s). Offsets stay in input pixels. Default 1.
   */
  outputStride?: number;
}

/** All maps are row-major over the output grid; `offsets` interleaves (dy, dx) per pixel. */
export interface PanopticTargets {
  height: number;
  width: number;
  /** trainIds, 255 = ignore. */
  semantic: Uint8Array;
  /** 1, or `smallInstanceWeight` on small instances; 0 on ignored pixels. */
  semanticWeights: Float32Array;
  /** Centre heatmap in [0, 1]. */
  center: Float32Array;
  /** 1 on pixels that are neither ignored nor crowd (all 0 when the sample has no instance labels). */
  centerWeights: Float32Array;
  /** (centre_y − y, centre_x − x) on instance pixels, 0 elsewhere. */
  offsets: Float32Array;
  /** 1 on thing pixels that are not crowd (all 0 when the sample has no instance labels). */
  offsetWeights: Float32Array;
}

/** One instance's statistics: its rounded mean position (deeplab2 uses tf.round, i.e. half to even) and area. */
export interface InstanceCenter {
  id: number;
  y: number;
  x: number;
  area: number;
}

/** Rounds half to even, like tf.round. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function thingMask(thingIds: readonly number[]): Uint8Array {
  const mask = new Uint8Array(256);
  for (const id of thingIds) mask[id] = 1;
  return mask;
}

/**
 * Per-pixel instance membership used by the targets: the instance id where the pixel is a thing, not ignored and
 * not crowd; 0 elsewhere. A thing pixel with instance 0 is treated as crowd (deeplab2: id % divisor == 0).
 */
function validInstances(sample: Sample, isThing: Uint8Array): Int32Array | null {
  if (!sample.instances) return null;
  const out = new Int32Array(sample.width * sample.height);
  for (let i = 0; i < out.length; i++) {
    if (isThing[sample.semantic[i]] && !(sample.crowd && sample.crowd[i])) out[i] = sample.instances[i];
  }
  return out;
}

/** Centres and areas of the valid (thing, non-crowd, non-ignored) instances of a sample, in id order. */
export function instanceCenters(sample: Sample, thingIds: readonly number[] = THING_TRAIN_IDS): InstanceCenter[] {
  const valid = validInstances(sample, thingMask(thingIds));
  return valid ? centersOf(valid, sample.width) : [];
}

function centersOf(valid: Int32Array, width: number): InstanceCenter[] {
  let maxId = 0;
  for (const id of valid) if (id > maxId) maxId = id;
  const sumY = new Float64Array(maxId + 1), sumX = new Float64Array(maxId + 1), area = new Int32Array(maxId + 1);
  for (let i = 0; i < valid.length; i++) {
    const id = valid[i];
    if (id <= 0) continue;
    sumY[id] += Math.floor(i / width);
    sumX[id] += i % width;
    area[id]++;
  }
  const out: InstanceCenter[] = [];
  for (let id = 1; id <= maxId; id++) {
    if (area[id] > 0) {
      out.push({ id, y: roundHalfEven(sumY[id] / area[id]), x: roundHalfEven(sumX[id] / area[id]), area: area[id] });
    }
  }
  return out;
}

/** deeplab2's defaults for the options of the same names. */
export const TARGET_DEFAULTS = { sigma: 8, smallInstanceArea: 4096, smallInstanceWeight: 3 } as const;

/** Builds the Panoptic-DeepLab targets of a sample (see TargetOptions and TARGET_DEFAULTS for the defaults). */
export function buildTargets(sample: Sample, options: TargetOptions = {}): PanopticTargets {
  const sigma = options.sigma ?? TARGET_DEFAULTS.sigma;
  const smallArea = options.smallInstanceArea ?? TARGET_DEFAULTS.smallInstanceArea;
  const smallWeight = options.smallInstanceWeight ?? TARGET_DEFAULTS.smallInstanceWeight;
  const stride = options.outputStride ?? 1;
  if (!Number.isInteger(stride) || stride < 1) {
    throw new Error(`targets for ${sample.name}: bad outputStride ${stride}`);
  }
  const isThing = thingMask(options.thingIds ?? THING_TRAIN_IDS);
  const W = sample.width, H = sample.height;
  const outW = Math.ceil(W / stride), outH = Math.ceil(H / stride), n = outW * outH;
  const valid = validInstances(sample, isThing);
  const centers = valid ? centersOf(valid, W) : [];
  const byId = new Map(centers.map((c) => [c.id, c]));

  const semantic = new Uint8Array(n);
  const semanticWeights = new Float32Array(n);
  const centerWeights = new Float32Array(n);
  const offsets = new Float32Array(n * 2);
  const offsetWeights = new Float32Array(n);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      const o = oy * outW + ox, y = oy * stride, x = ox * stride, i = y * W + x;
      const cls = sample.semantic[i];
      semantic[o] = cls;
      if (cls === IGNORE_ID) continue;
      const c = valid && valid[i] > 0 ? byId.get(valid[i])! : null;
      semanticWeights[o] = c && c.area < smallArea ? smallWeight : 1;
      if (!valid) continue;
      // Crowd: flagged crowd pixels and thing pixels without an instance.
      const crowd = (sample.crowd !== null && sample.crowd[i] === 1) || (isThing[cls] === 1 && !c);
      if (crowd) continue;
      centerWeights[o] = 1;
      if (c) {
        offsetWeights[o] = 1;
        offsets[o * 2] = c.y - y;
        offsets[o * 2 + 1] = c.x - x;
      }
    }
  }
  return {
    height: outH,
    width: outW,
    semantic,
    semanticWeights,
    center: centerHeatmap(centers, outH, outW, stride, sigma),
    centerWeights,
    offsets,
    offsetWeights,
  };
}

/**
 * Max-combined Gaussians at the given centres on the strided grid. The Gaussian matches deeplab2's table:
 * size int(6σ+3), peak at index 3σ+1, placed so that index round(3σ+1) lands on the centre.
 */
export function centerHeatmap(
  centers: readonly { y: number; x: number }[],
  outH: number,
  outW: number,
  stride: number,
  sigma: number,
): Float32Array {
  const heat = new Float32Array(outH * outW);
  const size = Math.floor(6 * sigma + 3), peak = 3 * sigma + 1, before = Math.round(peak);
  const lo = -before, hi = size - 1 - before, shift = before - peak;
  for (const c of centers) {
    const y0 = Math.max(0, Math.ceil((c.y + lo) / stride)), y1 = Math.min(outH - 1, Math.floor((c.y + hi) / stride));
    const x0 = Math.max(0, Math.ceil((c.x + lo) / stride)), x1 = Math.min(outW - 1, Math.floor((c.x + hi) / stride));
    for (let oy = y0; oy <= y1; oy++) {
      const dy = oy * stride - c.y + shift;
      for (let ox = x0; ox <= x1; ox++) {
        const dx = ox * stride - c.x + shift;
        const g = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
        const o = oy * outW + ox;
        if (g > heat[o]) heat[o] = g;
      }
    }
  }
  return heat;
}
