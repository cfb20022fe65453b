// Panoptic quality (PQ = SQ × RQ) exactly as panopticapi `pq_compute`: per-image segment matching at IoU > 0.5
// with GT-void removed from the union, crowd and void handling for false positives, accumulated over images and
// averaged over the categories with tp+fp+fn > 0 (All / Things / Stuff and per category).

import type { PanopticSegmentInfo } from "../data/datasets/coco_panoptic.ts";

/** Segment id of unlabeled pixels (COCO-panoptic VOID). */
export const VOID_ID = 0;

/** One entry of a COCO-panoptic `segments_info` list. */
export interface PanopticSegment {
  id: number;
  categoryId: number;
  /** GT only: a crowd region (matched by no prediction; excuses same-category false positives). */
  isCrowd?: boolean;
  /** GT only: the JSON `area` (panopticapi trusts it instead of counting pixels); counted when absent. */
  area?: number;
}

/** A panoptic frame: a row-major map of segment ids (0 = void) and the segments it may contain. */
export interface PanopticFrame {
  ids: Int32Array | Uint32Array;
  segments: readonly PanopticSegment[];
}

export interface PanopticCategory {
  id: number;
  isThing: boolean;
  name?: string;
}

export interface CategoryCounts {
  tp: number;
  fp: number;
  fn: number;
  /** Sum of the IoUs of the matched (TP) pairs. */
  iouSum: number;
}

/** Accumulated counts over images, keyed by category id (the categories come from the GT, as in panopticapi). */
export interface PanopticStats {
  categories: readonly PanopticCategory[];
  counts: Map<number, CategoryCounts>;
}

/** Averages over the `n` categories with tp+fp+fn > 0; tp/fp/fn are those counts averaged the same way. */
export interface PQSummary {
  pq: number;
  sq: number;
  rq: number;
  tp: number;
  fp: number;
  fn: number;
  /** Categories averaged. 0 means nothing to average: every score is NaN (panopticapi raises ZeroDivisionError). */
  n: number;
}

export interface CategoryQuality extends CategoryCounts {
  pq: number;
  sq: number;
  rq: number;
}

export interface PanopticResult {
  all: PQSummary;
  things: PQSummary;
  stuff: PQSummary;
  /** Per category id; a category with tp+fp+fn = 0 reports zeros (and is left out of the averages). */
  perCategory: Map<number, CategoryQuality>;
}

export function createPanopticStats(categories: readonly PanopticCategory[]): PanopticStats {
  const counts = new Map<number, CategoryCounts>();
  for (const c of categories) {
    if (counts.has(c.id)) throw new Error(`panoptic categories: category id ${c.id} is listed twice`);
    counts.set(c.id, { tp: 0, fp: 0, fn: 0, iouSum: 0 });
  }
  return { categories, counts };
}

/** Index of each listed segment id (1..n); throws on duplicates, void ids and unknown categories. */
function indexSegments(
  segments: readonly PanopticSegment[],
  stats: PanopticStats,
  side: string,
  source: string,
): Map<number, number> {
  const index = new Map<number, number>();
  segments.forEach((s, i) => {
    if (s.id === VOID_ID) throw new Error(`${source}: ${side} segment list uses the void id ${VOID_ID}`);
    if (index.has(s.id)) throw new Error(`${source}: ${side} segment id ${s.id} is listed twice`);
    if (!stats.counts.has(s.categoryId)) {
      throw new Error(`${source}: ${side} segment ${s.id} has unknown category_id ${s.categoryId}`);
    }
    index.set(s.id, i + 1);
  });
  return index;
}

/**
 * Matches one image's prediction against its GT and adds the counts to `stats`. `source` names the image in
 * errors. As in panopticapi: a prediction id (≠ 0) missing from its segment list, a listed prediction absent
 * from the map, or an unknown category throws; GT ids that are neither void nor listed are ordinary unmatched
 * pixels (they count in unions but belong to no segment).
 */
export function accumulatePanoptic(
  stats: PanopticStats,
  gt: PanopticFrame,
  pred: PanopticFrame,
  source = "image",
): void {
  const n = gt.ids.length;
  if (pred.ids.length !== n) {
    throw new Error(`${source}: prediction has ${pred.ids.length} pixels but the ground truth has ${n}`);
  }
  const gtIndex = indexSegments(gt.segments, stats, "ground-truth", source);
  const predIndex = indexSegments(pred.segments, stats, "prediction", source);
  const nG = gt.segments.length;
  const nP = pred.segments.length;
  const unlistedGt = nG + 1; // row for GT ids that are neither void nor listed
  const cols = nP + 1;
  const joint = new Float64Array((nG + 2) * cols);

  let lastG = VOID_ID, rowG = 0, lastP = VOID_ID, colP = 0;
  for (let i = 0; i < n; i++) {
    const g = gt.ids[i];
    if (g !== lastG) {
      lastG = g;
      rowG = g === VOID_ID ? 0 : gtIndex.get(g) ?? unlistedGt;
    }
    const p = pred.ids[i];
    if (p !== lastP) {
      const col = p === VOID_ID ? 0 : predIndex.get(p);
      if (col === undefined) {
        throw new Error(`${source}: prediction segment id ${p} is in the map but not in the segment list`);
      }
      lastP = p;
      colP = col;
    }
    joint[rowG * cols + colP]++;
  }

  const predArea = new Float64Array(cols);
  for (let r = 0; r < nG + 2; r++) for (let c = 1; c < cols; c++) predArea[c] += joint[r * cols + c];
  for (let c = 1; c < cols; c++) {
    if (predArea[c] === 0) {
      throw new Error(`${source}: prediction segment ${pred.segments[c - 1].id} is listed but has no pixels`);
    }
  }
  const gtArea = new Float64Array(nG + 1);
  for (let r = 1; r <= nG; r++) {
    const given = gt.segments[r - 1].area;
    if (given !== undefined) gtArea[r] = given;
    else for (let c = 0; c < cols; c++) gtArea[r] += joint[r * cols + c];
  }

  const gtMatched = new Uint8Array(nG + 1);
  const predMatched = new Uint8Array(cols);
  for (let r = 1; r <= nG; r++) {
    const g = gt.segments[r - 1];
    if (g.isCrowd) continue;
    for (let c = 1; c < cols; c++) {
      const inter = joint[r * cols + c];
      if (inter === 0 || pred.segments[c - 1].categoryId !== g.categoryId) continue;
      const union = predArea[c] + gtArea[r] - inter - joint[c];
      const iou = inter / union;
      if (iou > 0.5) {
        const counts = stats.counts.get(g.categoryId)!;
        counts.tp++;
        counts.iouSum += iou;
        gtMatched[r] = 1;
        predMatched[c] = 1;
      }
    }
  }

  const crowdRow = new Map<number, number>(); // category → row of its last crowd segment
  for (let r = 1; r <= nG; r++) {
    if (gtMatched[r]) continue;
    const g = gt.segments[r - 1];
    if (g.isCrowd) crowdRow.set(g.categoryId, r);
    else stats.counts.get(g.categoryId)!.fn++;
  }

  for (let c = 1; c < cols; c++) {
    if (predMatched[c]) continue;
    const cat = pred.segments[c - 1].categoryId;
    const crowd = crowdRow.get(cat);
    const ignored = joint[c] + (crowd === undefined ? 0 : joint[crowd * cols + c]);
    if (ignored / predArea[c] > 0.5) continue;
    stats.counts.get(cat)!.fp++;
  }
}

/** Per-category PQ/SQ/RQ from counts (SQ = 0 when tp = 0; all zero when tp+fp+fn = 0). */
export function categoryQuality(c: CategoryCounts): CategoryQuality {
  const denom = c.tp + 0.5 * c.fp + 0.5 * c.fn;
  if (denom === 0) return { ...c, pq: 0, sq: 0, rq: 0 };
  return { ...c, pq: c.iouSum / denom, sq: c.tp === 0 ? 0 : c.iouSum / c.tp, rq: c.tp / denom };
}

/** panopticapi `pq_average` over the categories accepted by `filter`. */
export function averageQuality(stats: PanopticStats, filter: (c: PanopticCategory) => boolean = () => true): PQSummary {
  const sum = { pq: 0, sq: 0, rq: 0, tp: 0, fp: 0, fn: 0, n: 0 };
  for (const category of stats.categories) {
    if (!filter(category)) continue;
    const counts = stats.counts.get(category.id)!;
    if (counts.tp + counts.fp + counts.fn === 0) continue;
    const q = categoryQuality(counts);
    sum.pq += q.pq;
    sum.sq += q.sq;
    sum.rq += q.rq;
    sum.tp += q.tp;
    sum.fp += q.fp;
    sum.fn += q.fn;
    sum.n++;
  }
  const k = sum.n;
  return { pq: sum.pq / k, sq: sum.sq / k, rq: sum.rq / k, tp: sum.tp / k, fp: sum.fp / k, fn: sum.fn / k, n: k };
}

/** All / Things / Stuff averages and the per-category table. */
export function panopticResult(stats: PanopticStats): PanopticResult {
  const perCategory = new Map<number, CategoryQuality>();
  for (const c of stats.categories) perCategory.set(c.id, categoryQuality(stats.counts.get(c.id)!));
  return {
    all: averageQuality(stats),
    things: averageQuality(stats, (c) => c.isThing),
    stuff: averageQuality(stats, (c) => !c.isThing),
    perCategory,
  };
}

export interface LabelMapOptions {
  /** panoptic value = class * divisor + instance (1000 for Cityscapes / our post-processing). */
  divisor: number;
  /** Class whose pixels are void (e.g. 255 for trainId maps, 0 in deeplab2's test vectors). */
  voidClass: number;
  /** GT only: segments of these classes with instance 0 are crowd regions (Cityscapes `createPanopticImgs`). */
  crowdClasses?: ReadonlySet<number>;
}

/**
 * Turns a deeplab2-style panoptic label map (class * divisor + instance) into a PanopticFrame with
 * category id = class: void-class pixels become VOID, every other value v becomes segment id v + 1 (so that
 * class 0 instance 0, e.g. road, never collides with VOID).
 */
export function frameFromLabelMap(map: ArrayLike<number>, options: LabelMapOptions): PanopticFrame {
  const { divisor, voidClass, crowdClasses } = options;
  const ids = new Int32Array(map.length);
  const segments = new Map<number, PanopticSegment>();
  let last = -1;
  for (let i = 0; i < map.length; i++) {
    const v = map[i];
    const cls = Math.floor(v / divisor);
    if (cls === voidClass) continue;
    const id = v + 1;
    ids[i] = id;
    if (v !== last && !segments.has(id)) {
      const isCrowd = crowdClasses !== undefined && v % divisor === 0 && crowdClasses.has(cls);
      segments.set(id, { id, categoryId: cls, isCrowd });
    }
    last = v;
  }
  return { ids, segments: [...segments.values()] };
}

/**
 * A COCO-panoptic frame (ids from the PNG via rgb2id, plus the JSON `segments_info`) as a PanopticFrame; the
 * JSON areas are kept, which panopticapi uses for the GT side (prediction areas are always counted).
 */
export function frameFromCoco(ids: Int32Array, segmentsInfo: readonly PanopticSegmentInfo[]): PanopticFrame {
  return {
    ids,
    segments: segmentsInfo.map((s) => ({
      id: s.id,
      categoryId: s.category_id,
      isCrowd: s.iscrowd === 1,
      area: s.area,
    })),
  };
}
