// Seeded training augmentation of a Sample, as deeplab2 does it: random scale (0.5–2.0, step 0.1), random crop with
// padding (image = mean colour, semantic = 255, instances/crowd = 0), horizontal flip, photometric jitter; optionally
// crops placed around a pixel of a class drawn by weight (rare classes seen more often).
// Scale, crop and flip are fused into one resampling pass (bilinear image, nearest labels) over the output crop only.

import type { Sample } from "../datasets/sample.ts";
import { createRng, type Rng } from "./random.ts";
import { IGNORE_ID } from "../labels/cityscapes_labels.ts";

/** Maximum relative change of each photometric property; 0 disables it. */
export interface JitterRange {
  /** Brightness factor drawn from [1 − b, 1 + b]. */
  brightness: number;
  /** Contrast factor (blend with the mean luminance) from [1 − c, 1 + c]. */
  contrast: number;
  /** Saturation factor (blend with per-pixel grey) from [1 − s, 1 + s]. */
  saturation: number;
  /** Hue rotation about the grey axis, in turns, from [−h, h]. */
  hue: number;
}

export const DEFAULT_JITTER: JitterRange = { brightness: 0.2, contrast: 0.2, saturation: 0.2, hue: 0.03 };

export interface AugmentOptions {
  cropHeight: number;
  cropWidth: number;
  /** Scale range and step (deeplab2: 0.5, 2.0, 0.1). Step 0 draws a continuous scale. */
  minScale?: number;
  maxScale?: number;
  scaleStep?: number;
  /** Probability of a horizontal flip (default 0.5). */
  flipProbability?: number;
  /** Photometric jitter ranges; null disables jitter. Default DEFAULT_JITTER. */
  jitter?: JitterRange | null;
  /** Image padding colour; default: the input image's mean colour. */
  padColour?: readonly [number, number, number];
  /** Crops placed around a pixel of a drawn class (lib/data/pipeline/class_balance.ts gives the weights). */
  classCrop?: ClassCrop;
}

export interface ClassCrop {
  /** Probability that a crop holds a pixel of a class drawn by `classWeights` (else it is placed anywhere). */
  probability: number;
  /** Weight per class id: classes present in the frame are drawn with probability ∝ weight (beyond the array: 0). */
  classWeights: readonly number[];
}

/** One concrete draw of augmentation parameters. Identity: scale 1, offsets 0, no flip, factors 1, hue 0. */
export interface AugmentParams {
  scale: number;
  /** Top-left of the crop in scaled-image pixels; negative when the scaled image is smaller than the crop. */
  offsetY: number;
  offsetX: number;
  flip: boolean;
  brightness: number;
  contrast: number;
  saturation: number;
  hue: number;
}

/** Draws the scale from the deeplab2 grid {min, min+step, …, max} (or continuously when step is 0). */
function drawScale(rng: Rng, min: number, max: number, step: number): number {
  if (step <= 0) return rng.uniform(min, max);
  const steps = Math.floor((max - min) / step + 1e-6) + 1;
  return Math.round((min + rng.int(steps) * step) * 1e6) / 1e6;
}

/** Scaled image size for a scale factor (at least 1 px). */
export function scaledSize(height: number, width: number, scale: number): { height: number; width: number } {
  return { height: Math.max(1, Math.round(height * scale)), width: Math.max(1, Math.round(width * scale)) };
}

/** Crop offset uniform over all placements: inside the scaled image when it is larger, else a random pad split. */
function drawOffset(rng: Rng, scaled: number, crop: number): number {
  const lo = Math.min(0, scaled - crop), hi = Math.max(0, scaled - crop);
  return lo + rng.int(hi - lo + 1);
}

/**
 * A pixel [row, column] of `semantic` (`width` columns) whose class is drawn among the classes present with
 * probability ∝ its weight, the pixel uniform among that class's; null when no present class has a weight.
 */
export function drawClassPixel(
  rng: Rng,
  semantic: Uint8Array,
  width: number,
  classWeights: readonly number[],
): [number, number] | null {
  const counts = new Float64Array(256);
  for (let i = 0; i < semantic.length; i++) counts[semantic[i]]++;
  const weight = (c: number) => (counts[c] > 0 && c < classWeights.length ? Math.max(0, classWeights[c]) : 0);
  let total = 0;
  for (let c = 0; c < 256; c++) total += weight(c);
  if (!(total > 0)) return null;
  let r = rng.uniform(0, total), drawn = -1;
  for (let c = 0; c < 256 && r >= 0; c++) {
    if (weight(c) > 0) drawn = c;
    r -= weight(c);
  }
  let k = rng.int(counts[drawn]);
  for (let i = 0; i < semantic.length; i++) {
    if (semantic[i] === drawn && k-- === 0) return [Math.floor(i / width), i % width];
  }
  throw new Error("drawClassPixel: pixel count changed while drawing"); // unreachable: counts came from semantic
}

/**
 * A crop offset along one axis that puts pixel `pixel` of `source` pixels, scaled to `scaled`, at a uniform position
 * in the crop, kept within drawOffset's range.
 */
function offsetAround(rng: Rng, pixel: number, source: number, scaled: number, crop: number): number {
  const lo = Math.min(0, scaled - crop), hi = Math.max(0, scaled - crop);
  const at = Math.min(scaled - 1, Math.floor(((pixel + 0.5) * scaled) / source));
  return Math.max(lo, Math.min(hi, at - rng.int(crop)));
}

/**
 * Draws the parameters of one augmentation for a frame of the given size; `semantic` (the frame's class map) is
 * needed when options.classCrop has a non-zero probability. Without classCrop the draws are those of earlier versions.
 */
export function drawAugmentParams(
  height: number,
  width: number,
  options: AugmentOptions,
  rng: Rng,
  semantic?: Uint8Array,
): AugmentParams {
  const scale = drawScale(rng, options.minScale ?? 0.5, options.maxScale ?? 2.0, options.scaleStep ?? 0.1);
  const size = scaledSize(height, width, scale);
  const classCrop = options.classCrop;
  let pixel: [number, number] | null = null;
  if (classCrop && classCrop.probability > 0 && rng.next() < classCrop.probability) {
    if (!semantic) throw new Error("drawAugmentParams: class crops need the frame's semantic map");
    pixel = drawClassPixel(rng, semantic, width, classCrop.classWeights);
  }
  const offsetY = pixel
    ? offsetAround(rng, pixel[0], height, size.height, options.cropHeight)
    : drawOffset(rng, size.height, options.cropHeight);
  const offsetX = pixel
    ? offsetAround(rng, pixel[1], width, size.width, options.cropWidth)
    : drawOffset(rng, size.width, options.cropWidth);
  const flip = rng.next() < (options.flipProbability ?? 0.5);
  const j = options.jitter === undefined ? DEFAULT_JITTER : options.jitter;
  const factor = (r: number) => (r > 0 ? rng.uniform(1 - r, 1 + r) : 1);
  return {
    scale,
    offsetY,
    offsetX,
    flip,
    brightness: j ? factor(j.brightness) : 1,
    contrast: j ? factor(j.contrast) : 1,
    saturation: j ? factor(j.saturation) : 1,
    hue: j && j.hue > 0 ? rng.uniform(-j.hue, j.hue) : 0,
  };
}

const LUMA = [0.299, 0.587, 0.114] as const;

/** Mean RGB colour and mean luminance of an interleaved RGB image. */
export function meanColour(image: Uint8Array): { rgb: [number, number, number]; luminance: number } {
  let r = 0, g = 0, b = 0;
  for (let i = 0; i < image.length; i += 3) {
    r += image[i];
    g += image[i + 1];
    b += image[i + 2];
  }
  const n = Math.max(1, image.length / 3);
  const rgb: [number, number, number] = [r / n, g / n, b / n];
  return { rgb, luminance: LUMA[0] * rgb[0] + LUMA[1] * rgb[1] + LUMA[2] * rgb[2] };
}

/** 3x3 row-major matrix product a·b. */
function matMul3(a: number[], b: number[]): number[] {
  const out = new Array(9).fill(0);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      for (let k = 0; k < 3; k++) out[r * 3 + c] += a[r * 3 + k] * b[k * 3 + c];
    }
  }
  return out;
}

/**
 * The photometric jitter as one affine colour map rgb' = M·rgb + t: brightness (scale), contrast (blend with the
 * image's mean luminance), saturation (blend with per-pixel luma), hue (rotation about the grey axis).
 */
export function jitterMatrix(params: AugmentParams, meanLuminance: number): { m: number[]; t: number } {
  const { brightness: b, contrast: c, saturation: s } = params;
  const sat = [0, 1, 2].flatMap((r) => [0, 1, 2].map((k) => (r === k ? s : 0) + (1 - s) * LUMA[k]));
  const theta = 2 * Math.PI * params.hue, cos = Math.cos(theta), sin = Math.sin(theta) / Math.sqrt(3);
  const third = (1 - cos) / 3;
  const hue = [
    cos + third,
    third - sin,
    third + sin,
    third + sin,
    cos + third,
    third - sin,
    third - sin,
    third + sin,
    cos + third,
  ];
  const m = matMul3(hue, sat).map((v) => v * b * c);
  // Saturation and hue map grey to grey, so the contrast pivot stays a grey offset.
  return { m, t: (1 - c) * b * meanLuminance };
}

/** Per-output-coordinate source lookup along one axis (bilinear pair + weight, nearest index, validity). */
interface AxisTable {
  lo: Int32Array;
  hi: Int32Array;
  w: Float32Array;
  nearest: Int32Array;
  valid: Uint8Array;
}

function axisTable(crop: number, offset: number, scaled: number, source: number, reverse: boolean): AxisTable {
  const t: AxisTable = {
    lo: new Int32Array(crop),
    hi: new Int32Array(crop),
    w: new Float32Array(crop),
    nearest: new Int32Array(crop),
    valid: new Uint8Array(crop),
  };
  const ratio = source / scaled;
  for (let o = 0; o < crop; o++) {
    const s = offset + (reverse ? crop - 1 - o : o);
    if (s < 0 || s >= scaled) continue;
    t.valid[o] = 1;
    const f = Math.min(source - 1, Math.max(0, (s + 0.5) * ratio - 0.5));
    t.lo[o] = Math.floor(f);
    t.hi[o] = Math.min(source - 1, t.lo[o] + 1);
    t.w[o] = f - t.lo[o];
    t.nearest[o] = Math.min(source - 1, Math.floor((s + 0.5) * ratio));
  }
  return t;
}

/**
 * Applies given augmentation parameters: resamples the crop window of the scaled frame (image bilinear, labels
 * nearest from the same source pixel, so semantics, instances and crowd stay consistent), pads outside the scaled
 * frame, flips, and applies the photometric jitter to image pixels (not to padding).
 */
export function applyAugment(
  sample: Sample,
  params: AugmentParams,
  options: Pick<AugmentOptions, "cropHeight" | "cropWidth" | "padColour">,
): Sample {
  const { width: W, height: H } = sample;
  const outH = options.cropHeight, outW = options.cropWidth;
  const size = scaledSize(H, W, params.scale);
  const rows = axisTable(outH, params.offsetY, size.height, H, false);
  const cols = axisTable(outW, params.offsetX, size.width, W, params.flip);
  const mean = meanColour(sample.image);
  const pad = options.padColour ?? mean.rgb;
  const { m, t } = jitterMatrix(params, mean.luminance);
  const src = sample.image, srcSemantic = sample.semantic, srcInstances = sample.instances, srcCrowd = sample.crowd;
  const image = new Uint8Array(outH * outW * 3);
  const pixels = new Uint8ClampedArray(image.buffer); // rounds and clamps on assignment
  const semantic = new Uint8Array(outH * outW).fill(IGNORE_ID);
  const instances = srcInstances ? new Int32Array(outH * outW) : null;
  const crowd = srcCrowd ? new Uint8Array(outH * outW) : null;
  const padR = Math.round(pad[0]), padG = Math.round(pad[1]), padB = Math.round(pad[2]);
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8] = m;
  const { lo: colLo, hi: colHi, w: colW, nearest: colNearest, valid: colValid } = cols;
  for (let y = 0; y < outH; y++) {
    const rowValid = rows.valid[y] === 1;
    const r0 = rows.lo[y] * W, r1 = rows.hi[y] * W, wy = rows.w[y], rn = rows.nearest[y] * W;
    for (let x = 0; x < outW; x++) {
      const o = y * outW + x;
      if (!rowValid || colValid[x] === 0) {
        image[o * 3] = padR;
        image[o * 3 + 1] = padG;
        image[o * 3 + 2] = padB;
        continue;
      }
      const c0 = colLo[x], c1 = colHi[x], wx = colW[x];
      const a = (r0 + c0) * 3, b = (r0 + c1) * 3, c = (r1 + c0) * 3, d = (r1 + c1) * 3;
      const w00 = (1 - wy) * (1 - wx), w01 = (1 - wy) * wx, w10 = wy * (1 - wx), w11 = wy * wx;
      const R = src[a] * w00 + src[b] * w01 + src[c] * w10 + src[d] * w11;
      const G = src[a + 1] * w00 + src[b + 1] * w01 + src[c + 1] * w10 + src[d + 1] * w11;
      const B = src[a + 2] * w00 + src[b + 2] * w01 + src[c + 2] * w10 + src[d + 2] * w11;
      pixels[o * 3] = m0 * R + m1 * G + m2 * B + t;
      pixels[o * 3 + 1] = m3 * R + m4 * G + m5 * B + t;
      pixels[o * 3 + 2] = m6 * R + m7 * G + m8 * B + t;
      const n = rn + colNearest[x];
      semantic[o] = srcSemantic[n];
      if (instances) instances[o] = srcInstances![n];
      if (crowd) crowd[o] = srcCrowd![n];
    }
  }
  return { name: sample.name, width: outW, height: outH, image, semantic, instances, crowd };
}

/** Draws parameters from `seed` and applies them: the same sample, options and seed always give the same output. */
export function augmentSample(sample: Sample, options: AugmentOptions, seed: number): Sample {
  const params = drawAugmentParams(sample.height, sample.width, options, createRng(seed), sample.semantic);
  return applyAugment(sample, params, options);
}

/** Mirrors a sample left–right (image and every label map). */
export function flipHorizontal(sample: Sample): Sample {
  const { width: W, height: H } = sample;
  const flipMap = <T extends Uint8Array | Int32Array>(src: T, channels: number): T => {
    const out = src.slice() as T;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const from = (y * W + (W - 1 - x)) * channels, to = (y * W + x) * channels;
        for (let c = 0; c < channels; c++) out[to + c] = src[from + c];
      }
    }
    return out;
  };
  return {
    ...sample,
    image: flipMap(sample.image, 3),
    semantic: flipMap(sample.semantic, 1),
    instances: sample.instances ? flipMap(sample.instances, 1) : null,
    crowd: sample.crowd ? flipMap(sample.crowd, 1) : null,
  };
}
