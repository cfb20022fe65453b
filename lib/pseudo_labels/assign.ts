// Pseudo instance labels: assigns each thing pixel of a semantic (trainId) map to a detection box of a compatible
// class — nearer box first (lower box bottom), then the box whose centre is closest — and marks the thing pixels
// no box claims as crowd. Also maps COCO detector classes to Cityscapes trainIds and encodes Cityscapes instanceIds.
import { IS_THING_TRAIN_ID, TRAIN_ID_TO_LABEL_ID } from "../data/labels/cityscapes_labels.ts";

/** An axis-aligned detection in image pixels (x2, y2 exclusive edges), with its Cityscapes thing trainId. */
export interface Detection {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  /** Cityscapes trainId of the detected class (11..18). */
  trainId: number;
}

/** COCO class index (0-based, as the CenterNet detector outputs) → Cityscapes trainId, for the classes we use. */
export const COCO_TO_TRAIN_ID: ReadonlyMap<number, number> = new Map([
  [0, 11], // person (its pixels may be labelled person or rider)
  [1, 18], // bicycle
  [2, 13], // car
  [3, 17], // motorcycle
  [5, 15], // bus
  [6, 16], // train
  [7, 14], // truck
]);

/**
 * compatible[pixelTrainId] = detection trainIds that may claim such a pixel. The detector confuses the large
 * vehicles and the two-wheelers with each other, and a COCO person is a Cityscapes rider when riding.
 */
export const COMPATIBLE_DETECTIONS: ReadonlyMap<number, readonly number[]> = new Map([
  [11, [11]], // person ← person
  [12, [11]], // rider ← person
  [13, [13, 14, 15]], // car ← car, truck, bus
  [14, [14, 13, 15]], // truck ← truck, car, bus
  [15, [15, 14, 13]], // bus ← bus, truck, car
  [16, [16, 15, 14]], // train ← train, bus, truck
  [17, [17, 18]], // motorcycle ← motorcycle, bicycle
  [18, [18, 17]], // bicycle ← bicycle, motorcycle
]);

export interface AssignOptions {
  /** Each box is grown by this fraction of its width/height on every side before claiming pixels. */
  margin: number;
  /** Boxes whose bottoms differ by less than this fraction of the smaller box height count as equally near. */
  depthTolerance: number;
  /** An instance with fewer pixels than this becomes crowd. */
  minArea: number;
}

export const DEFAULT_ASSIGN_OPTIONS: AssignOptions = { margin: 0.05, depthTolerance: 0.1, minArea: 16 };

export interface InstanceAssignment {
  /** 0 = no instance (stuff, void or crowd), 1..N = instance. */
  instances: Int32Array;
  /** 1 on thing pixels that no box claimed (or whose instance was too small). */
  crowd: Uint8Array;
  /** trainId of instance i at index i-1. */
  instanceTrainIds: number[];
  /** Index into the detections of instance i at index i-1. */
  instanceDetections: number[];
}

/**
 * Assigns the thing pixels of `semantic` (trainIds, row-major width x height) to `detections`. An instance is one
 * (detection, pixel trainId) pair, numbered in detection order then trainId order.
 */
export function assignInstances(
  semantic: Uint8Array,
  width: number,
  height: number,
  detections: readonly Detection[],
  options: AssignOptions = DEFAULT_ASSIGN_OPTIONS,
): InstanceAssignment {
  if (semantic.length !== width * height) {
    throw new Error(`assignInstances: semantic map has ${semantic.length} pixels, expected ${width}x${height}`);
  }
  const best = new Int32Array(width * height).fill(-1);
  const bestDistance = new Float32Array(width * height);
  detections.forEach((d, b) => {
    const w = d.x2 - d.x1, h = d.y2 - d.y1;
    if (!(w > 0 && h > 0)) return;
    const cx = (d.x1 + d.x2) / 2, cy = (d.y1 + d.y2) / 2;
    const x0 = Math.max(0, Math.floor(d.x1 - options.margin * w));
    const x1 = Math.min(width, Math.ceil(d.x2 + options.margin * w));
    const y0 = Math.max(0, Math.floor(d.y1 - options.margin * h));
    const y1 = Math.min(height, Math.ceil(d.y2 + options.margin * h));
    for (let y = y0; y < y1; y++) {
      const dy = (y + 0.5 - cy) / (h / 2);
      for (let x = x0; x < x1; x++) {
        const p = y * width + x;
        if (!COMPATIBLE_DETECTIONS.get(semantic[p])?.includes(d.trainId)) continue;
        const dx = (x + 0.5 - cx) / (w / 2);
        const distance = Math.hypot(dx, dy);
        const current = best[p];
        if (current < 0 || claims(d, distance, detections[current], bestDistance[p], options.depthTolerance)) {
          best[p] = b;
          bestDistance[p] = distance;
        }
      }
    }
  });
  return numberInstances(semantic, best, options.minArea);
}

/** True when box `a` (pixel at normalised centre distance da) beats box `b` (distance db) for that pixel. */
function claims(a: Detection, da: number, b: Detection, db: number, depthTolerance: number): boolean {
  const tolerance = depthTolerance * Math.min(a.y2 - a.y1, b.y2 - b.y1);
  if (a.y2 > b.y2 + tolerance) return true;
  if (a.y2 < b.y2 - tolerance) return false;
  return da < db;
}

/** Turns per-pixel box choices into numbered (box, trainId) instances; unclaimed or tiny ones become crowd. */
function numberInstances(semantic: Uint8Array, best: Int32Array, minArea: number): InstanceAssignment {
  const area = new Map<number, number>();
  const key = (p: number) => best[p] * 256 + semantic[p];
  for (let p = 0; p < best.length; p++) if (best[p] >= 0) area.set(key(p), (area.get(key(p)) ?? 0) + 1);
  const kept = [...area].filter(([, a]) => a >= minArea).map(([k]) => k).sort((a, b) => a - b);
  const index = new Map(kept.map((k, i) => [k, i + 1]));
  const instances = new Int32Array(best.length);
  const crowd = new Uint8Array(best.length);
  for (let p = 0; p < best.length; p++) {
    if (!IS_THING_TRAIN_ID[semantic[p]]) continue;
    const id = best[p] >= 0 ? index.get(key(p)) : undefined;
    if (id) instances[p] = id;
    else crowd[p] = 1;
  }
  return {
    instances,
    crowd,
    instanceTrainIds: kept.map((k) => k % 256),
    instanceDetections: kept.map((k) => Math.floor(k / 256)),
  };
}

/**
 * Cityscapes `*_instanceIds.png` values: labelId*1000 + k (k from 0 per labelId) on instance pixels, the plain
 * labelId elsewhere (stuff, void and crowd). `labelIds` holds each pixel's Cityscapes labelId.
 */
export function encodeInstanceIds(
  labelIds: Uint8Array,
  assignment: Pick<InstanceAssignment, "instances" | "instanceTrainIds">,
): Uint16Array {
  const { instances, instanceTrainIds } = assignment;
  if (labelIds.length !== instances.length) {
    throw new Error(`encodeInstanceIds: ${labelIds.length} labelIds but ${instances.length} instance pixels`);
  }
  const perLabel = new Map<number, number>();
  const code = instanceTrainIds.map((t) => {
    const labelId = TRAIN_ID_TO_LABEL_ID[t];
    const k = perLabel.get(labelId) ?? 0;
    perLabel.set(labelId, k + 1);
    return labelId * 1000 + k;
  });
  const out = new Uint16Array(labelIds.length);
  for (let p = 0; p < out.length; p++) out[p] = instances[p] ? code[instances[p] - 1] : labelIds[p];
  return out;
}
