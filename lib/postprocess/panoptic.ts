// Panoptic-DeepLab post-processing on typed arrays (deeplab2 `panoptic_deeplab.py`): centre extraction
// (threshold, max-pool NMS, top-k), thing pixels grouped to the nearest offset-voted centre, majority-vote class
// per instance, small stuff regions to void; gives the panoptic map and scored instances for AP.

import { IGNORE_LABEL, LABEL_DIVISOR } from "../data/labels/descriptor.ts";

export interface PostprocessOptions {
  /** Class ids that have instances (Cityscapes trainIds 11..18). */
  thingClasses: readonly number[];
  /** Centre heatmap values ≤ this are dropped (deeplab2 `center_score_threshold` 0.1, strict test). */
  centerThreshold?: number;
  /** Max-pool NMS window (odd): 7 for MobileNet configs, 13 for the ResNet/OS32 ones. */
  nmsKernel?: number;
  /** Keep at most this many centres: those scoring strictly above the k-th best (≤ 0 keeps all). */
  keepK?: number;
  /** A stuff class keeps its pixels only if it covers at least this many (2048 at Cityscapes 1024x2048). */
  stuffAreaLimit?: number;
  /** panoptic id = class * divisor + instance number (1-based per class; 0 for stuff). */
  divisor?: number;
  /** Class written for void pixels: the panoptic value is voidLabel * divisor (255000 by default). */
  voidLabel?: number;
}

/** Semantic head output: per-pixel class ids (argmax), or probabilities H*W*C (channels last). */
export type SemanticInput = { classes: Uint8Array } | { probabilities: Float32Array; numClasses: number };

export interface PredictedInstance {
  /** Its value in the panoptic map (class * divisor + k). */
  panopticId: number;
  classId: number;
  /** Centre heatmap value × mean probability of its class over its mask (centre value alone for argmax input). */
  score: number;
  centerScore: number;
  center: { y: number; x: number };
  /** Row-major pixel indices of its mask. */
  pixels: Uint32Array;
}

export interface PanopticPrediction {
  width: number;
  height: number;
  /** class * divisor + instance; stuff = class * divisor; void = voidLabel * divisor. */
  panoptic: Int32Array;
  /** Argmax class per pixel. */
  semantic: Uint8Array;
  instances: PredictedInstance[];
}

export interface Center {
  y: number;
  x: number;
  score: number;
}

/**
 * Centres: heatmap values > threshold that equal the max of their k×k window (zero padding), in row-major
 * order; when more than keepK remain, only those scoring strictly above the keepK-th best are kept.
 */
export function extractCenters(
  heatmap: Float32Array,
  height: number,
  width: number,
  threshold = 0.1,
  nmsKernel = 7,
  keepK = 400,
): Center[] {
  if (heatmap.length !== height * width) {
    throw new Error(`centre heatmap has ${heatmap.length} values, expected ${height}x${width}`);
  }
  if (nmsKernel < 1 || nmsKernel % 2 !== 1) throw new Error(`NMS kernel must be odd and ≥ 1, got ${nmsKernel}`);
  const r = (nmsKernel - 1) / 2;
  const t = Math.fround(threshold); // compared in float32, like the heatmap (0.1f itself is not > 0.1f)
  const centers: Center[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = heatmap[y * width + x];
      if (!(v > t)) continue;
      let isMax = true;
      const y0 = Math.max(0, y - r), y1 = Math.min(height - 1, y + r);
      const x0 = Math.max(0, x - r), x1 = Math.min(width - 1, x + r);
      for (let yy = y0; yy <= y1 && isMax; yy++) {
        const row = yy * width;
        for (let xx = x0; xx <= x1; xx++) {
          if (heatmap[row + xx] > v) {
            isMax = false;
            break;
          }
        }
      }
      if (isMax) centers.push({ y, x, score: v });
    }
  }
  if (keepK > 0 && centers.length > keepK) {
    const kth = centers.map((c) => c.score).sort((a, b) => b - a)[keepK - 1];
    return centers.filter((c) => c.score > kth);
  }
  return centers;
}

/**
 * For each pixel with include[i] = 1, the 1-based index of the centre nearest to its vote (pixel + offset),
 * lowest index on ties; 0 for other pixels or when there are no centres.
 */
export function nearestCenters(
  offsets: Float32Array,
  height: number,
  width: number,
  centers: readonly Center[],
  include: Uint8Array,
): Int32Array {
  const nc = centers.length;
  const cy = Float64Array.from(centers, (c) => c.y);
  const cx = Float64Array.from(centers, (c) => c.x);
  // Fast path: a vote closer to centre k than half the gap to k's nearest other centre (squared: safe[k]) must
  // be nearest to k (triangle inequality), so only votes outside that radius scan all centres.
  const safe = new Float64Array(nc).fill(Infinity);
  for (let k = 0; k < nc; k++) {
    for (let j = 0; j < nc; j++) {
      if (j === k) continue;
      const dy = cy[k] - cy[j], dx = cx[k] - cx[j];
      safe[k] = Math.min(safe[k], (dy * dy + dx * dx) / 4);
    }
  }
  const owner = new Int32Array(height * width);
  if (nc === 0) return owner;
  let prev = 0;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if (include[i] === 0) continue;
      const py = y + offsets[2 * i], px = x + offsets[2 * i + 1];
      const py0 = cy[prev] - py, px0 = cx[prev] - px;
      if (py0 * py0 + px0 * px0 < safe[prev]) {
        owner[i] = prev + 1;
        continue;
      }
      let best = 0, bestD = Infinity;
      for (let k = 0; k < nc; k++) {
        const dy = cy[k] - py, dx = cx[k] - px;
        const d = dy * dy + dx * dx;
        if (d < bestD) {
          bestD = d;
          best = k;
        }
      }
      owner[i] = best + 1;
      prev = best;
    }
  }
  return owner;
}

function argmaxClasses(semantic: SemanticInput, n: number): Uint8Array {
  if ("classes" in semantic) {
    if (semantic.classes.length !== n) {
      throw new Error(`semantic map has ${semantic.classes.length} pixels, expected ${n}`);
    }
    return semantic.classes.slice(); // the prediction owns its map: callers may edit it
  }
  const { probabilities: p, numClasses: c } = semantic;
  if (p.length !== n * c) throw new Error(`semantic probabilities have ${p.length} values, expected ${n}x${c}`);
  const out = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += c) {
    let best = 0, bestV = p[j];
    for (let k = 1; k < c; k++) {
      if (p[j + k] > bestV) {
        bestV = p[j + k];
        best = k;
      }
    }
    out[i] = best;
  }
  return out;
}

/**
 * Full post-processing of one frame. `offsets` is H*W*2 (dy, dx) pointing from each pixel to its centre, at the
 * same resolution as the other maps (scale offsets when upsampling heads).
 */
export function panopticFromHeads(
  semantic: SemanticInput,
  heatmap: Float32Array,
  offsets: Float32Array,
  height: number,
  width: number,
  options: PostprocessOptions,
): PanopticPrediction {
  const n = height * width;
  if (offsets.length !== 2 * n) {
    throw new Error(`offset map has ${offsets.length} values, expected ${height}x${width}x2`);
  }
  const divisor = options.divisor ?? LABEL_DIVISOR;
  const voidValue = (options.voidLabel ?? IGNORE_LABEL) * divisor;
  const stuffAreaLimit = options.stuffAreaLimit ?? 2048;
  const classes = argmaxClasses(semantic, n);
  const centers = extractCenters(heatmap, height, width, options.centerThreshold, options.nmsKernel, options.keepK);

  const isThing = new Uint8Array(256);
  for (const c of options.thingClasses) isThing[c] = 1;

  const thingPixels = new Uint8Array(n);
  for (let i = 0; i < n; i++) thingPixels[i] = isThing[classes[i]];
  const owner = nearestCenters(offsets, height, width, centers, thingPixels);
  const nc = centers.length;

  // Majority class per instance (ties → smallest class id), numbered per class in order of first appearance.
  const votes = new Float64Array((nc + 1) * 256);
  const firstSeen = new Int32Array(nc + 1).fill(-1);
  const size = new Int32Array(nc + 1);
  for (let i = 0; i < n; i++) {
    const o = owner[i];
    if (o === 0) continue;
    votes[o * 256 + classes[i]]++;
    size[o]++;
    if (firstSeen[o] === -1) firstSeen[o] = i;
  }
  const order = Array.from({ length: nc }, (_, k) => k + 1).filter((o) => size[o] > 0)
    .sort((a, b) => firstSeen[a] - firstSeen[b]);
  const perClassCount = new Int32Array(256);
  const instanceClass = new Int32Array(nc + 1);
  const panopticOf = new Int32Array(nc + 1);
  for (const o of order) {
    let best = 0;
    for (let c = 1; c < 256; c++) if (votes[o * 256 + c] > votes[o * 256 + best]) best = c;
    instanceClass[o] = best;
    panopticOf[o] = best * divisor + ++perClassCount[best];
  }

  // Stuff areas (pixels of non-thing classes; thing pixels never fall back to stuff).
  const stuffArea = new Int32Array(256);
  for (let i = 0; i < n; i++) if (!isThing[classes[i]]) stuffArea[classes[i]]++;
  const panoptic = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = owner[i];
    const c = classes[i];
    if (o !== 0) panoptic[i] = panopticOf[o];
    else if (!isThing[c] && stuffArea[c] >= stuffAreaLimit) panoptic[i] = c * divisor;
    else panoptic[i] = voidValue;
  }

  // Instance masks as slices of one index buffer (counting sort by owner).
  const start = new Int32Array(nc + 2);
  for (let o = 1; o <= nc; o++) start[o + 1] = start[o] + size[o];
  const buffer = new Uint32Array(start[nc + 1]);
  const fill = start.slice();
  for (let i = 0; i < n; i++) if (owner[i] !== 0) buffer[fill[owner[i]]++] = i;

  const probs = "probabilities" in semantic ? semantic : null;
  const instances: PredictedInstance[] = order.map((o) => {
    const pixels = buffer.subarray(start[o], start[o + 1]);
    const center = centers[o - 1];
    let score = center.score;
    if (probs) {
      let sum = 0;
      for (let j = 0; j < pixels.length; j++) {
        sum += probs.probabilities[pixels[j] * probs.numClasses + instanceClass[o]];
      }
      score *= sum / pixels.length;
    }
    return {
      panopticId: panopticOf[o],
      classId: instanceClass[o],
      score,
      centerScore: center.score,
      center: { y: center.y, x: center.x },
      pixels,
    };
  });
  return { width, height, panoptic, semantic: classes, instances };
}
