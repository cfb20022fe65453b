// Instance-level AP exactly as cityscapesScripts evalInstanceLevelSemanticLabeling: masks matched at IoU > t for
// t = 0.50:0.05:0.95, GT instances under 100 px and groups ignored, unmatched predictions on void/group/small GT
// dropped with the threshold-dependent cut-off, step-wise PR integration with the artificial (r=0, p=1) point.

import { IGNORE_LABEL, LABEL_DIVISOR } from "../data/labels/descriptor.ts";

/** cityscapesScripts `np.arange(0.5, 1., 0.05)`, bit for bit (numpy fills start + i * (start+step - start)). */
export const IOU_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, i) => 0.5 + i * (0.5 + 0.05 - 0.5));
/** cityscapesScripts `minRegionSizes[0]`: smaller GT instances are ignored. */
export const MIN_REGION_SIZE = 100;

/** One GT region: an instance, or a group (crowd) region whose pixels excuse predictions but count as no GT. */
export interface InstanceGtSegment {
  id: number;
  classId: number;
  isGroup: boolean;
}

/** A frame's GT: segment ids per pixel (0 = none), the segments, and a void mask (1 = ignored pixel) or null. */
export interface InstanceGtFrame {
  ids: ArrayLike<number>;
  segments: readonly InstanceGtSegment[];
  void: Uint8Array | null;
}

/** A predicted instance: its class, confidence and mask as pixel indices (row-major). */
export interface InstancePrediction {
  classId: number;
  score: number;
  pixels: ArrayLike<number>;
}

interface GtRecord {
  pixelCount: number;
  isGroup: boolean;
  /** [prediction index, intersection] for same-class predictions that overlap it. */
  preds: [number, number][];
}

interface PredRecord {
  score: number;
  pixelCount: number;
  voidIntersection: number;
  gts: [number, number][];
}

interface ClassMatches {
  gts: GtRecord[];
  preds: PredRecord[];
}

export interface InstanceStats {
  classIds: readonly number[];
  minRegionSize: number;
  /** Per frame, per evaluated class. */
  frames: Map<number, ClassMatches>[];
}

export interface InstanceResult {
  /** nanmean of per-class AP over the classes and the 10 thresholds. */
  ap: number;
  /** nanmean over the classes at IoU 0.5. */
  ap50: number;
  /** Per class id: AP per threshold (NaN = no GT of the class in any frame), their mean, and AP at 0.5. */
  perClass: Map<number, { ap: number; ap50: number; byThreshold: number[] }>;
}

export function createInstanceStats(classIds: readonly number[], minRegionSize = MIN_REGION_SIZE): InstanceStats {
  return { classIds, minRegionSize, frames: [] };
}

/**
 * Records one frame: every GT segment of an evaluated class (groups and small ones too) and every non-empty
 * prediction of an evaluated class, with their pairwise intersections and the prediction's void overlap.
 */
export function accumulateInstances(
  stats: InstanceStats,
  gt: InstanceGtFrame,
  predictions: readonly InstancePrediction[],
  source = "frame",
): void {
  const n = gt.ids.length;
  if (gt.void && gt.void.length !== n) {
    throw new Error(`${source}: void mask has ${gt.void.length} pixels but the GT map has ${n}`);
  }
  const byClass = new Map<number, ClassMatches>();
  for (const c of stats.classIds) byClass.set(c, { gts: [], preds: [] });

  // Dense index per listed GT segment of an evaluated class, and that index per pixel (-1 = none).
  const segClass: number[] = [];
  const segRecord: GtRecord[] = [];
  const segSlot: number[] = [];
  const denseOf = new Map<number, number>();
  for (const s of gt.segments) {
    if (s.id === 0) throw new Error(`${source}: GT segment id 0 is reserved for "no segment"`);
    if (denseOf.has(s.id)) throw new Error(`${source}: GT segment id ${s.id} is listed twice`);
    const m = byClass.get(s.classId);
    denseOf.set(s.id, m ? segRecord.length : -1);
    if (!m) continue;
    const record = { pixelCount: 0, isGroup: s.isGroup, preds: [] };
    segClass.push(s.classId);
    segSlot.push(m.gts.length);
    segRecord.push(record);
    m.gts.push(record);
  }
  const dense = new Int32Array(n);
  let lastId = 0, last = -1;
  for (let i = 0; i < n; i++) {
    const id = gt.ids[i];
    if (id !== lastId) {
      lastId = id;
      last = id === 0 ? -1 : denseOf.get(id) ?? -1;
    }
    dense[i] = last;
    if (last >= 0) segRecord[last].pixelCount++;
  }

  const inter = new Float64Array(segRecord.length);
  predictions.forEach((p, k) => {
    const m = byClass.get(p.classId);
    if (!m || p.pixels.length === 0) return;
    const touched: number[] = [];
    let voidIntersection = 0;
    for (let j = 0; j < p.pixels.length; j++) {
      const i = p.pixels[j];
      if (!(i >= 0 && i < n)) throw new Error(`${source}: prediction ${k} has pixel index ${i} outside 0..${n - 1}`);
      if (gt.void && gt.void[i]) voidIntersection++;
      const d = dense[i];
      if (d < 0 || segClass[d] !== p.classId) continue;
      if (inter[d]++ === 0) touched.push(d);
    }
    const predIndex = m.preds.length;
    const gts: [number, number][] = [];
    for (const d of touched) {
      gts.push([segSlot[d], inter[d]]);
      segRecord[d].preds.push([predIndex, inter[d]]);
      inter[d] = 0;
    }
    m.preds.push({ score: p.score, pixelCount: p.pixels.length, voidIntersection, gts });
  });
  stats.frames.push(byClass);
}

/** Step-wise AP of scored examples (y_true 1/0), plus GT never matched (hard false negatives). */
export function averagePrecision(yTrue: readonly number[], yScore: readonly number[], hardFns: number): number {
  const n = yScore.length;
  if (n === 0) return 0; // every GT missed (cityscapesScripts would fail on the empty cumsum here)
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => yScore[a] - yScore[b]);
  const cumsum = new Float64Array(n);
  let run = 0;
  order.forEach((o, i) => {
    run += yTrue[o];
    cumsum[i] = run;
  });
  const nTrue = run;
  const precision: number[] = [];
  const recall: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0 && yScore[order[i]] === yScore[order[i - 1]]) continue; // first index of each unique score
    const below = i === 0 ? 0 : cumsum[i - 1];
    const tp = nTrue - below;
    const fp = n - i - tp;
    const fn = below + hardFns;
    precision.push(tp / (tp + fp));
    recall.push(tp / (tp + fn));
  }
  precision.push(1);
  recall.push(0);
  // widths = convolve([r0, r0, r1, …, rm, 0], [-0.5, 0, 0.5], "valid"): w_j = (r_{j-1} - r_{j+1}) / 2
  let ap = 0;
  const m = recall.length;
  for (let j = 0; j < m; j++) {
    const prev = j === 0 ? recall[0] : recall[j - 1];
    const next = j + 1 < m ? recall[j + 1] : 0;
    ap += precision[j] * 0.5 * (prev - next);
  }
  return ap;
}

function classAp(stats: InstanceStats, classId: number, t: number): number {
  const yTrue: number[] = [];
  const yScore: number[] = [];
  let hardFns = 0, haveGt = false, havePred = false;
  const minSize = stats.minRegionSize;
  for (const frame of stats.frames) {
    const { gts, preds } = frame.get(classId)!;
    if (preds.length > 0) havePred = true;
    for (const g of gts) {
      if (g.isGroup || g.pixelCount < minSize) continue;
      haveGt = true;
      let matched = false, score = -Infinity;
      for (const [pi, inter] of g.preds) {
        const p = preds[pi];
        if (inter / (g.pixelCount + p.pixelCount - inter) <= t) continue;
        if (matched) {
          yTrue.push(0);
          yScore.push(Math.min(score, p.score));
          score = Math.max(score, p.score);
        } else {
          matched = true;
          score = p.score;
        }
      }
      if (matched) {
        yTrue.push(1);
        yScore.push(score);
      } else hardFns++;
    }
    for (const p of preds) {
      let foundGt = false, ignored = p.voidIntersection;
      for (const [gi, inter] of p.gts) {
        const g = gts[gi];
        if (inter / (g.pixelCount + p.pixelCount - inter) > t) {
          foundGt = true;
          break;
        }
        if (g.isGroup) ignored += inter;
        if (g.pixelCount < minSize) ignored += inter;
      }
      if (!foundGt && ignored / p.pixelCount <= t) {
        yTrue.push(0);
        yScore.push(p.score);
      }
    }
  }
  if (!haveGt) return NaN;
  if (!havePred) return 0;
  return averagePrecision(yTrue, yScore, hardFns);
}

function nanMean(values: readonly number[]): number {
  const ok = values.filter((v) => !Number.isNaN(v));
  return ok.length === 0 ? NaN : ok.reduce((a, b) => a + b, 0) / ok.length;
}

export function instanceResult(stats: InstanceStats): InstanceResult {
  const perClass: InstanceResult["perClass"] = new Map();
  const all: number[] = [];
  const at50: number[] = [];
  for (const c of stats.classIds) {
    const byThreshold = IOU_THRESHOLDS.map((t) => classAp(stats, c, t));
    const ap = byThreshold.reduce((a, b) => a + b, 0) / byThreshold.length;
    perClass.set(c, { ap, ap50: byThreshold[0], byThreshold });
    all.push(...byThreshold);
    at50.push(byThreshold[0]);
  }
  return { ap: nanMean(all), ap50: nanMean(at50), perClass };
}

/**
 * GT from our in-memory labels: `instances` 1..N (0 = none) with their class from `semantic`; pixels of a thing
 * class flagged in `crowd` form one group region per class; `semantic == ignoreLabel` pixels are void.
 */
export function gtFromLabels(
  semantic: Uint8Array,
  instances: Int32Array,
  crowd: Uint8Array | null,
  thingClasses: readonly number[],
  ignoreLabel = IGNORE_LABEL,
): InstanceGtFrame {
  const n = semantic.length;
  let maxInstance = 0;
  for (let i = 0; i < n; i++) if (instances[i] > maxInstance) maxInstance = instances[i];
  const isThing = new Uint8Array(256);
  for (const c of thingClasses) isThing[c] = 1;
  const ids = new Int32Array(n);
  const voidMask = new Uint8Array(n);
  const segments = new Map<number, InstanceGtSegment>();
  let lastId = 0;
  for (let i = 0; i < n; i++) {
    const c = semantic[i];
    if (c === ignoreLabel) {
      voidMask[i] = 1;
      continue;
    }
    if (!isThing[c]) continue;
    let id: number;
    if (instances[i] > 0) id = instances[i];
    else if (crowd && crowd[i]) id = maxInstance + 1 + c;
    else continue;
    ids[i] = id;
    if (id !== lastId && !segments.has(id)) segments.set(id, { id, classId: c, isGroup: instances[i] === 0 });
    lastId = id;
  }
  return { ids, segments: [...segments.values()], void: voidMask };
}

/**
 * GT from a Cityscapes `*_instanceIds.png` (labelId*1000+k for instances, plain labelId for stuff and groups):
 * segments carry labelIds as class ids; groups are values < 1000 of an evaluated class; void = values < 1000
 * whose label is in `voidLabelIds` (cityscapesScripts `ignoreInEval`).
 */
export function gtFromCityscapesInstanceIds(
  instanceIds: ArrayLike<number>,
  classIds: readonly number[],
  voidLabelIds: ReadonlySet<number>,
): InstanceGtFrame {
  const n = instanceIds.length;
  const evaluated = new Set(classIds);
  const voidMask = new Uint8Array(n);
  const segments = new Map<number, InstanceGtSegment>();
  for (let i = 0; i < n; i++) {
    const v = instanceIds[i];
    const labelId = v < LABEL_DIVISOR ? v : Math.floor(v / LABEL_DIVISOR);
    if (v < LABEL_DIVISOR && voidLabelIds.has(v)) voidMask[i] = 1;
    if (evaluated.has(labelId) && !segments.has(v)) {
      segments.set(v, { id: v, classId: labelId, isGroup: v < LABEL_DIVISOR });
    }
  }
  // Id 0 (unlabeled) is never an evaluated class, so it can stand for "no segment".
  return { ids: instanceIds, segments: [...segments.values()], void: voidMask };
}
