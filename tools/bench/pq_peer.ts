// "Evaluation of N full-resolution frames (metrics only, given predictions)": seeded synthetic GT/prediction
// panoptic frames, our PQ over them timed in this thread, and the same frames scored by tools/bench/pq_numpy_peer.py (a
// numpy re-implementation of panopticapi's pq_compute core loop) through a raw .bin + .json pair.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IGNORE_ID, NUM_TRAIN_CLASSES, THING_TRAIN_IDS } from "../../lib/data/labels/cityscapes_labels.ts";
import { createRng, deriveSeed, type Rng } from "../../lib/data/pipeline/random.ts";
import { type SceneBox, sceneSample } from "../../lib/data/datasets/synthetic.ts";
import { writeFileAtomic } from "../../lib/io/atomic_write.ts";
import {
  accumulatePanoptic,
  createPanopticStats,
  frameFromLabelMap,
  type PanopticCategory,
  type PanopticFrame,
  panopticResult,
} from "../../lib/metrics/panoptic.ts";
import { PROJECT_ROOT } from "../../lib/io/project.ts";
import { timeRuns, type Timing } from "./measure.ts";
import { runPythonPeer } from "./python_process.ts";

export const PQ_PEER_SCRIPT = join(PROJECT_ROOT, "tools", "bench", "pq_numpy_peer.py");
const DIVISOR = 1000;
const STUFF_TRAIN_IDS = Array.from({ length: NUM_TRAIN_CLASSES }, (_, c) => c).filter((c) =>
  !THING_TRAIN_IDS.includes(c)
);

export const PQ_CATEGORIES: readonly PanopticCategory[] = Array.from(
  { length: NUM_TRAIN_CLASSES },
  (_, id) => ({ id, isThing: THING_TRAIN_IDS.includes(id) }),
);

export interface PqFramePair {
  gt: PanopticFrame;
  pred: PanopticFrame;
}

/** PQ/SQ/RQ averages as both implementations report them. */
export interface PqScores {
  all: { pq: number; sq: number; rq: number; n: number };
  things: { pq: number; sq: number; rq: number; n: number };
  stuff: { pq: number; sq: number; rq: number; n: number };
}

export interface NumpyPeerResult {
  numpy: string;
  python: string;
  frames: number;
  timing: Timing;
  scores: PqScores;
}

function box(rng: Rng, height: number, width: number, trainId: number, maxH: number, maxW: number): SceneBox {
  const h = 4 + rng.int(maxH), w = 4 + rng.int(maxW);
  return { y: rng.int(Math.max(1, height - h)), x: rng.int(Math.max(1, width - w)), height: h, width: w, trainId };
}

/** The prediction's version of a GT box: shifted and resized by up to ±20 %, sometimes another class of its kind. */
function perturb(rng: Rng, b: SceneBox): SceneBox {
  const kind = THING_TRAIN_IDS.includes(b.trainId) ? THING_TRAIN_IDS : STUFF_TRAIN_IDS;
  const jitter = (size: number) => Math.round(size * rng.uniform(-0.2, 0.2));
  return {
    ...b,
    y: b.y + jitter(b.height),
    x: b.x + jitter(b.width),
    height: Math.max(2, b.height + jitter(b.height)),
    width: Math.max(2, b.width + jitter(b.width)),
    trainId: b.trainId === IGNORE_ID || rng.next() >= 0.1 ? b.trainId : kind[rng.int(kind.length)],
    crowd: false,
  };
}

/**
 * Frame k: a street-like GT (road background, sky, stuff boxes of every stuff class, a void box, `instances` thing
 * boxes of which ~10 % are crowd) and a prediction made of the same boxes jittered (some change class, ~5 % are
 * missed, 2 spurious things added), as panoptic frames with category = trainId (GT thing pixels without an
 * instance are crowd), the way our evaluation scores post-processed predictions.
 */
export function syntheticPqFrame(height: number, width: number, instances: number, seed: number): PqFramePair {
  const rng = createRng(seed);
  const gtBoxes: SceneBox[] = [{ y: 0, x: 0, height: Math.floor(height / 3), width, trainId: 10, instance: false }];
  for (const c of STUFF_TRAIN_IDS) {
    if (c !== 0 && c !== 10) gtBoxes.push({ ...box(rng, height, width, c, height / 3, width / 4), instance: false });
  }
  gtBoxes.push({ ...box(rng, height, width, IGNORE_ID, height / 6, width / 8), instance: false });
  for (let k = 0; k < instances; k++) {
    const b = box(rng, height, width, THING_TRAIN_IDS[rng.int(THING_TRAIN_IDS.length)], height / 4, width / 10);
    gtBoxes.push({ ...b, crowd: rng.next() < 0.1 });
  }
  const predBoxes = gtBoxes.filter(() => rng.next() >= 0.05).map((b) => perturb(rng, b));
  for (let k = 0; k < 2; k++) predBoxes.push(box(rng, height, width, THING_TRAIN_IDS[0], height / 4, width / 10));
  const crowdClasses = new Set(THING_TRAIN_IDS);
  const toFrame = (boxes: SceneBox[], gt: boolean) => {
    const s = sceneSample("pq", height, width, boxes);
    const map = new Int32Array(s.semantic.length);
    for (let i = 0; i < map.length; i++) map[i] = s.semantic[i] * DIVISOR + s.instances![i];
    return frameFromLabelMap(map, {
      divisor: DIVISOR,
      voidClass: IGNORE_ID,
      crowdClasses: gt ? crowdClasses : undefined,
    });
  };
  return { gt: toFrame(gtBoxes, true), pred: toFrame(predBoxes, false) };
}

export function syntheticPqFrames(count: number, height: number, width: number, instances: number, seed = 0) {
  return Array.from({ length: count }, (_, k) => syntheticPqFrame(height, width, instances, deriveSeed(seed, k)));
}

/** Our PQ over all frames (fresh statistics per run, averaged at the end): what one evaluation costs. */
export function scorePq(frames: readonly PqFramePair[]): PqScores {
  const stats = createPanopticStats(PQ_CATEGORIES);
  frames.forEach((f, k) => accumulatePanoptic(stats, f.gt, f.pred, `synthetic frame ${k}`));
  const r = panopticResult(stats);
  const pick = (s: typeof r.all) => ({ pq: s.pq, sq: s.sq, rq: s.rq, n: s.n });
  return { all: pick(r.all), things: pick(r.things), stuff: pick(r.stuff) };
}

export function timeOurPq(frames: readonly PqFramePair[], warmup: number, repeats: number) {
  let scores: PqScores | undefined;
  const timing = timeRuns(() => (scores = scorePq(frames)), warmup, repeats);
  return timing.then((t) => ({ timing: t, scores: scores! }));
}

/**
 * Writes the frames as `<dir>/frames.bin` (per frame: GT ids then prediction ids, int32 little-endian, row-major)
 * and `<dir>/frames.json` (size, categories, and per frame the segments_info of both sides, GT with its area).
 */
export function writePqFrames(dir: string, frames: readonly PqFramePair[], height: number, width: number): void {
  const n = height * width;
  const bin = new Int32Array(frames.length * 2 * n);
  const segments = frames.map((f, k) => {
    bin.set(f.gt.ids, 2 * k * n);
    bin.set(f.pred.ids, (2 * k + 1) * n);
    const area = new Map<number, number>();
    for (const id of f.gt.ids) area.set(id, (area.get(id) ?? 0) + 1);
    return {
      gt: f.gt.segments.map((s) => ({
        id: s.id,
        category_id: s.categoryId,
        iscrowd: s.isCrowd ? 1 : 0,
        area: area.get(s.id) ?? 0,
      })),
      pred: f.pred.segments.map((s) => ({ id: s.id, category_id: s.categoryId })),
    };
  });
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("writePqFrames: big-endian host");
  writeFileAtomic(join(dir, "frames.bin"), new Uint8Array(bin.buffer));
  const categories = PQ_CATEGORIES.map((c) => ({ id: c.id, isthing: c.isThing ? 1 : 0 }));
  writeFileAtomic(join(dir, "frames.json"), JSON.stringify({ height, width, categories, frames: segments }));
}

/** Scores the frames with tools/bench/pq_numpy_peer.py (exchanged through a temporary folder, removed afterwards). */
export async function runNumpyPeer(
  frames: readonly PqFramePair[],
  height: number,
  width: number,
  warmup: number,
  repeats: number,
  python: string,
): Promise<NumpyPeerResult> {
  const dir = mkdtempSync(join(tmpdir(), "pq-peer-"));
  try {
    writePqFrames(dir, frames, height, width);
    const args = ["--frames", join(dir, "frames"), "--warmup", String(warmup), "--repeats", String(repeats)];
    return await runPythonPeer<NumpyPeerResult>(python, PQ_PEER_SCRIPT, args);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
