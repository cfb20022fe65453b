// Pseudo instance labels: assigns each thing pixel of a semantic (trainId) map to a detection box of a compatible
// class. A box claims the one connected part of its class region that fills most of its shape (gaps narrower than a
// fraction of the box width within a row, e.g. a pole in front of a car, do not break it), up to a little past the
// box, and far past it for long vehicles (an articulated bus, a tram). Where boxes compete for a pixel, a box whose
// shape contains it beats one whose shape does not, then the nearer box (lower bottom), then the box whose centre is
// closer in box-normalised distance. Thing pixels no box claims, and those two boxes claim about equally, are crowd.
// Also maps COCO detector classes to Cityscapes trainIds and encodes Cityscapes instanceIds.
import { LABEL_DIVISOR } from "../data/labels/descriptor.ts";
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

/** Bus, truck and train: boxes of these may grow far past their edges along pixels of these classes. */
const LONG_VEHICLES: ReadonlySet<number> = new Set([14, 15, 16]);
/** Car, truck, bus and train fill their box; persons, riders and two-wheelers fill the ellipse inscribed in it. */
const BOXY: ReadonlySet<number> = new Set([13, 14, 15, 16]);

export interface AssignOptions {
  /** How far past its box edges a box claims pixels, in half box sizes. */
  reach: number;
  /** The same for a long-vehicle box over long-vehicle pixels. */
  longReach: number;
  /** Gaps in a row up to this fraction of the box width do not split the box's class region. */
  bridge: number;
  /** Boxes whose bottoms differ by less than this fraction of the smaller box height count as equally near. */
  depthTolerance: number;
  /** A pixel whose two best boxes differ by less than this normalised centre distance (and by nothing else) is crowd. */
  ambiguity: number;
  /** An instance with fewer pixels than this becomes crowd. */
  minArea: number;
}

export const DEFAULT_ASSIGN_OPTIONS: AssignOptions = {
  reach: 0.1,
  longReach: 2,
  bridge: 0.1,
  depthTolerance: 0.1,
  ambiguity: 0.1,
  minArea: 16,
};

export interface InstanceAssignment {
  /** 0 = no instance (stuff, void or crowd), 1..N = instance. */
  instances: Int32Array;
  /** 1 on thing pixels that no box claimed, that two boxes claimed about equally, or whose instance was too small. */
  crowd: Uint8Array;
  /** trainId of instance i at index i-1. */
  instanceTrainIds: number[];
  /** Index into the detections of instance i at index i-1. */
  instanceDetections: number[];
}

/** The pixels one box claims, with their box-normalised centre distance and whether its shape contains them. */
interface Claim {
  pixels: Int32Array;
  distances: Float32Array;
  inShape: Uint8Array;
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
  const claims = detections.map((d) => claimRegion(semantic, width, height, d, options));
  const best = new Int32Array(width * height).fill(-1);
  const bestDistance = new Float32Array(width * height);
  const bestInShape = new Uint8Array(width * height);
  const contestWithBest = (b: number, i: number) => {
    const p = claims[b].pixels[i];
    return contest(
      { box: detections[b], distance: claims[b].distances[i], inShape: claims[b].inShape[i] === 1 },
      { box: detections[best[p]], distance: bestDistance[p], inShape: bestInShape[p] === 1 },
      options.depthTolerance,
    );
  };
  claims.forEach((claim, b) => {
    claim.pixels.forEach((p, i) => {
      if (best[p] >= 0 && contestWithBest(b, i) <= 0) return;
      best[p] = b;
      bestDistance[p] = claim.distances[i];
      bestInShape[p] = claim.inShape[i];
    });
  });
  const unsure = new Uint8Array(width * height);
  claims.forEach((claim, b) => {
    claim.pixels.forEach((p, i) => {
      if (best[p] !== b && Math.abs(contestWithBest(b, i)) < options.ambiguity) unsure[p] = 1;
    });
  });
  for (let p = 0; p < best.length; p++) if (unsure[p]) best[p] = -1;
  return numberInstances(semantic, best, options.minArea);
}

/**
 * The pixels box `d` claims: within its reach, the connected component (4-neighbours, plus row gaps up to
 * bridge x box width) of compatible pixels with the most pixels inside the box's shape; none if its shape holds none.
 */
function claimRegion(
  semantic: Uint8Array,
  width: number,
  height: number,
  d: Detection,
  options: AssignOptions,
): Claim {
  const w = d.x2 - d.x1, h = d.y2 - d.y1;
  if (!(w > 0 && h > 0)) {
    return { pixels: new Int32Array(0), distances: new Float32Array(0), inShape: new Uint8Array(0) };
  }
  const long = LONG_VEHICLES.has(d.trainId);
  const near = grownBox(d, options.reach, width, height);
  const [x0, y0, x1, y1] = long ? grownBox(d, Math.max(options.reach, options.longReach), width, height) : near;
  const cx = (d.x1 + d.x2) / 2, cy = (d.y1 + d.y2) / 2;
  const ww = x1 - x0, n = ww * (y1 - y0);
  const globalIndex = (i: number) => (y0 + Math.floor(i / ww)) * width + x0 + (i % ww);
  // Per window pixel: 0 = not claimable, 1 = claimable outside the shape, 2 = claimable inside the shape.
  const claimable = new Uint8Array(n);
  const distance = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = x0 + (i % ww), y = y0 + Math.floor(i / ww), t = semantic[y * width + x];
    if (!COMPATIBLE_DETECTIONS.get(t)?.includes(d.trainId)) continue;
    const inNear = x >= near[0] && y >= near[1] && x < near[2] && y < near[3];
    if (!inNear && !(long && LONG_VEHICLES.has(t))) continue;
    distance[i] = Math.hypot((x + 0.5 - cx) / (w / 2), (y + 0.5 - cy) / (h / 2));
    claimable[i] = (BOXY.has(d.trainId) ? inNear : distance[i] <= 1) ? 2 : 1;
  }
  const component = connectedComponents(claimable, ww, Math.floor(options.bridge * w));
  const inShapeCount = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (claimable[i] === 2) inShapeCount.set(component[i], (inShapeCount.get(component[i]) ?? 0) + 1);
  }
  const [main] = [...inShapeCount].reduce((m, c) => (c[1] > m[1] ? c : m), [-1, 0]);
  const members = [...component.keys()].filter((i) => main >= 0 && component[i] === main);
  return {
    pixels: Int32Array.from(members, globalIndex),
    distances: Float32Array.from(members, (i) => distance[i]),
    inShape: Uint8Array.from(members, (i) => (claimable[i] === 2 ? 1 : 0)),
  };
}

/**
 * Component index (≥ 0) of each nonzero pixel of `mask` (row-major, `width` wide; -1 elsewhere): 4-neighbours are
 * connected, and so are two pixels of one row with only zeros between them, at most `bridge` of them.
 */
export function connectedComponents(mask: Uint8Array, width: number, bridge: number): Int32Array {
  const component = new Int32Array(mask.length).fill(-1);
  const queue = new Int32Array(mask.length);
  let next = 0;
  for (let seed = 0; seed < mask.length; seed++) {
    if (!mask[seed] || component[seed] >= 0) continue;
    component[seed] = next;
    let head = 0, tail = 0;
    queue[tail++] = seed;
    while (head < tail) {
      const i = queue[head++], x = i % width;
      const visit = (j: number) => {
        if (mask[j] && component[j] < 0) {
          component[j] = next;
          queue[tail++] = j;
        }
      };
      if (i >= width) visit(i - width);
      if (i + width < mask.length) visit(i + width);
      for (let k = 1; k <= bridge + 1 && x + k < width; k++) {
        if (mask[i + k]) {
          visit(i + k);
          break;
        }
      }
      for (let k = 1; k <= bridge + 1 && x - k >= 0; k++) {
        if (mask[i - k]) {
          visit(i - k);
          break;
        }
      }
    }
    next++;
  }
  return component;
}

/** [x0, y0, x1, y1) of the pixels box `d` grown by `reach` half box sizes on every side overlaps, within the frame. */
function grownBox(d: Detection, reach: number, width: number, height: number): [number, number, number, number] {
  const gx = reach * (d.x2 - d.x1) / 2, gy = reach * (d.y2 - d.y1) / 2;
  return [
    Math.max(0, Math.floor(d.x1 - gx)),
    Math.max(0, Math.floor(d.y1 - gy)),
    Math.min(width, Math.ceil(d.x2 + gx)),
    Math.min(height, Math.ceil(d.y2 + gy)),
  ];
}

/** A box's hold on one pixel: its box-normalised centre distance and whether the box's shape contains the pixel. */
interface Hold {
  box: Detection;
  distance: number;
  inShape: boolean;
}

/**
 * How much hold `a` beats hold `b` by: ±Infinity where one shape contains the pixel and the other not, or both do
 * and one box is nearer (lower bottom); otherwise b's distance minus a's. Positive: a wins.
 */
function contest(a: Hold, b: Hold, depthTolerance: number): number {
  if (a.inShape !== b.inShape) return a.inShape ? Infinity : -Infinity;
  if (a.inShape) {
    const tolerance = depthTolerance * Math.min(a.box.y2 - a.box.y1, b.box.y2 - b.box.y1);
    if (a.box.y2 > b.box.y2 + tolerance) return Infinity;
    if (a.box.y2 < b.box.y2 - tolerance) return -Infinity;
  }
  return b.distance - a.distance;
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
    return labelId * LABEL_DIVISOR + k;
  });
  const out = new Uint16Array(labelIds.length);
  for (let p = 0; p < out.length; p++) out[p] = instances[p] ? code[instances[p] - 1] : labelIds[p];
  return out;
}
