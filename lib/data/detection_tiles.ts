// Tiled detection on frames wider than the detector input: plans overlapping square tiles at several scales,
// maps tile detections back to the frame (dropping boxes cut by an inner tile edge) and merges the duplicates
// that overlapping tiles produce (greedy NMS within groups of classes the detector confuses, then nested part
// boxes).
import type { Detection } from "./pseudo_instances.ts";

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

/**
 * True when `part` is a sub-box of the same object as `whole`: at least `inside` of its area lies in `whole`, and
 * it has about the same bottom and height (within `similar` of whole's height). Two distinct objects at one
 * depth sit side by side; one nested at the same depth and height is a part (e.g. the rear face of a car).
 */
function isPartOf(part: Detection, whole: Detection, inside = 0.8, similar = 0.1): boolean {
  const h = whole.y2 - whole.y1;
  const w = Math.min(part.x2, whole.x2) - Math.max(part.x1, whole.x1);
  const hh = Math.min(part.y2, whole.y2) - Math.max(part.y1, whole.y1);
  const area = (part.x2 - part.x1) * (part.y2 - part.y1);
  return w > 0 && hh > 0 && w * hh >= inside * area && Math.abs(part.y2 - whole.y2) <= similar * h &&
    part.y2 - part.y1 >= (1 - 2 * similar) * h && area < (whole.x2 - whole.x1) * h;
}

/**
 * Greedy NMS: highest score first; a box overlapping a kept box of its group by IoU > `iouThreshold` is dropped.
 * Then boxes that are parts of a larger box of their group (see isPartOf) are dropped.
 */
export function mergeDetections(detections: readonly Detection[], iouThreshold = 0.5): Detection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of sorted) {
    const group = MERGE_GROUP.get(d.trainId);
    if (!kept.some((k) => MERGE_GROUP.get(k.trainId) === group && iou(k, d) > iouThreshold)) kept.push(d);
  }
  return kept.filter((d) =>
    !kept.some((k) => k !== d && MERGE_GROUP.get(k.trainId) === MERGE_GROUP.get(d.trainId) && isPartOf(d, k))
  );
}
