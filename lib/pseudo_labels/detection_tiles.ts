// Tiled detection on frames wider than the detector input: plans overlapping square tiles at several scales,
// maps tile detections back to the frame (dropping boxes cut by an inner tile edge) and merges the duplicates
// that overlapping tiles produce (greedy NMS within groups of classes the detector confuses, then boxes showing
// parts of one object).
import type { Detection } from "./assign.ts";

/** A square region of the frame; it may extend past the right/bottom edge (that part is zero padding). */
export interface Tile {
  x: number;
  y: number;
  size: number;
}

export interface TilePlanOptions {
  /** Tile sides as fractions of the frame's shorter side; 1 = full-height tiles. */
  scales: readonly number[];
  /** Minimum overlap of neighbouring tiles, as a fraction of the tile side. */
  overlap: number;
  /** Also add one tile holding the whole frame (padded to a square), for objects larger than any tile. */
  wholeFrame: boolean;
}

export const DEFAULT_TILE_PLAN: TilePlanOptions = { scales: [1, 0.5], overlap: 0.25, wholeFrame: true };

/** Evenly spread starts of tiles of side `size` along a length, neighbours overlapping by at least `overlap`. */
function starts(length: number, size: number, overlap: number): number[] {
  if (size >= length) return [0];
  const n = Math.ceil((length - size) / (size * (1 - overlap))) + 1;
  return Array.from({ length: n }, (_, i) => Math.round((i * (length - size)) / (n - 1)));
}

/** The tiles covering a width x height frame, coarsest first, without duplicates. */
export function planTiles(width: number, height: number, options: TilePlanOptions = DEFAULT_TILE_PLAN): Tile[] {
  const tiles: Tile[] = [];
  const add = (t: Tile) => {
    if (!tiles.some((o) => o.x === t.x && o.y === t.y && o.size === t.size)) tiles.push(t);
  };
  if (options.wholeFrame) add({ x: 0, y: 0, size: Math.max(width, height) });
  const shorter = Math.min(width, height);
  for (const scale of options.scales) {
    const size = Math.max(1, Math.round(shorter * scale));
    for (const y of starts(height, size, options.overlap)) {
      for (const x of starts(width, size, options.overlap)) add({ x, y, size });
    }
  }
  return tiles;
}

/**
 * Maps detections from a tile's input pixels (inputSize x inputSize) to frame pixels, clipped to the frame. A box
 * within `edgeTolerance` input pixels of a tile edge that lies inside the frame is dropped: the object is cut and
 * another tile (or a coarser scale) sees it whole.
 */
export function tileToFrame(
  detections: readonly Detection[],
  tile: Tile,
  inputSize: number,
  width: number,
  height: number,
  edgeTolerance = 2,
): Detection[] {
  const s = tile.size / inputSize;
  const tol = edgeTolerance * s;
  const inner = {
    left: tile.x > 0,
    top: tile.y > 0,
    right: tile.x + tile.size < width,
    bottom: tile.y + tile.size < height,
  };
  const out: Detection[] = [];
  for (const d of detections) {
    const x1 = tile.x + d.x1 * s, y1 = tile.y + d.y1 * s, x2 = tile.x + d.x2 * s, y2 = tile.y + d.y2 * s;
    const cut = (inner.left && x1 <= tile.x + tol) || (inner.top && y1 <= tile.y + tol) ||
      (inner.right && x2 >= tile.x + tile.size - tol) || (inner.bottom && y2 >= tile.y + tile.size - tol);
    if (cut) continue;
    const box = {
      ...d,
      x1: Math.max(0, x1),
      y1: Math.max(0, y1),
      x2: Math.min(width, x2),
      y2: Math.min(height, y2),
    };
    if (box.x2 > box.x1 && box.y2 > box.y1) out.push(box);
  }
  return out;
}

/** Classes the detector confuses share a group (trainId → group); boxes of one group suppress each other. */
const MERGE_GROUP: ReadonlyMap<number, number> = new Map([
  [11, 0], // person
  [13, 1], // car
  [14, 1], // truck
  [15, 1], // bus
  [16, 1], // train
  [17, 2], // motorcycle
  [18, 2], // bicycle
]);

export function iou(a: Detection, b: Detection): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
}

/** Height of a box. */
const heightOf = (d: Detection) => d.y2 - d.y1;

/**
 * True when two boxes of one class group are views of the same object: their bottoms (ground contact, hence
 * depth) agree within `similar` of the taller box's height and either one lies for ≥ 80 % of its area inside the
 * other (a part, e.g. a car's rear face), or both have about the same height and overlap over ≥ half the narrower
 * width (the side and rear of one car seen obliquely). Distinct objects at one depth stand side by side.
 */
export function sameObject(a: Detection, b: Detection, similar = 0.1): boolean {
  if (MERGE_GROUP.get(a.trainId) !== MERGE_GROUP.get(b.trainId)) return false;
  const ha = heightOf(a), hb = heightOf(b);
  if (Math.abs(a.y2 - b.y2) > similar * Math.max(ha, hb)) return false;
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return false;
  const smaller = Math.min((a.x2 - a.x1) * ha, (b.x2 - b.x1) * hb);
  if (w * h >= 0.8 * smaller) return true;
  return Math.min(ha, hb) >= (1 - 2 * similar) * Math.max(ha, hb) && w >= 0.5 * Math.min(a.x2 - a.x1, b.x2 - b.x1);
}

/**
 * Greedy NMS: highest score first; a box overlapping a kept box of its group by IoU > `iouThreshold` is dropped.
 * Then, highest score first, a box that shows the same object as a kept one (see sameObject) is merged into it
 * (union of both boxes, the kept box's class and score).
 */
export function mergeDetections(detections: readonly Detection[], iouThreshold = 0.5): Detection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of sorted) {
    const group = MERGE_GROUP.get(d.trainId);
    if (!kept.some((k) => MERGE_GROUP.get(k.trainId) === group && iou(k, d) > iouThreshold)) kept.push(d);
  }
  const merged: Detection[] = [];
  for (const d of kept) {
    const i = merged.findIndex((m) => sameObject(m, d));
    if (i < 0) merged.push({ ...d });
    else {
      const m = merged[i];
      merged[i] = {
        ...m,
        x1: Math.min(m.x1, d.x1),
        y1: Math.min(m.y1, d.y1),
        x2: Math.max(m.x2, d.x2),
        y2: Math.max(m.y2, d.y2),
      };
    }
  }
  return merged;
}
