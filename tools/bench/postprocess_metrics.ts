// Times post-processing and the three metrics on a synthetic street frame whose heads are built from its own
// labels (GT centre heatmap and offsets, confident class probabilities): a bench section with a built-in check
// that the scores come out perfect.

import { LABEL_SETS } from "../../lib/data/labels/descriptor.ts";
import { IGNORE_ID, NUM_TRAIN_CLASSES, THING_TRAIN_IDS } from "../../lib/data/labels/cityscapes_labels.ts";
import type { Sample } from "../../lib/data/datasets/sample.ts";
import { type SceneBox, sceneSample } from "../../lib/data/datasets/synthetic.ts";
import { buildTargets } from "../../lib/data/pipeline/targets.ts";
import { addFrame, createEvaluation, evaluationResult } from "../../lib/metrics/evaluate.ts";
import { panopticFromHeads, type PanopticPrediction } from "../../lib/postprocess/panoptic.ts";

export interface SyntheticHeads {
  sample: Sample;
  probabilities: Float32Array;
  heatmap: Float32Array;
  offsets: Float32Array;
}

/**
 * Sky, building, road and a grid of `instances` cars/persons (3 rows), with heads derived from the labels over
 * `classes` classes (the 19 trainIds, plus unused extra classes when more).
 */
export function syntheticHeads(
  height: number,
  width: number,
  instances: number,
  classes = NUM_TRAIN_CLASSES,
): SyntheticHeads {
  if (classes < NUM_TRAIN_CLASSES) {
    throw new Error(`synthetic heads need at least the ${NUM_TRAIN_CLASSES} trainId classes, got ${classes}`);
  }
  const boxes: SceneBox[] = [
    { y: 0, x: 0, height: Math.floor(height / 3), width, trainId: 10, instance: false },
    {
      y: Math.floor(height / 6),
      x: Math.floor(width / 4),
      height: Math.floor(height / 4),
      width: width / 2,
      trainId: 2,
      instance: false,
    },
  ];
  const perRow = Math.ceil(instances / 3);
  const cellW = Math.floor(width / perRow), cellH = Math.floor(height / 5);
  for (let k = 0; k < instances; k++) {
    const row = Math.floor(k / perRow), col = k % perRow;
    boxes.push({
      y: Math.floor(height / 3) + row * cellH + 2,
      x: col * cellW + 2,
      height: cellH - 4,
      width: cellW - 4,
      trainId: k % 4 === 0 ? 11 : 13,
    });
  }
  const sample = sceneSample("synthetic", height, width, boxes);
  const targets = buildTargets(sample);
  const n = height * width, c = classes;
  const probabilities = new Float32Array(n * c).fill(0.2 / (c - 1));
  for (let i = 0; i < n; i++) {
    const cls = sample.semantic[i] === IGNORE_ID ? 0 : sample.semantic[i];
    probabilities[i * c + cls] = 0.8;
  }
  return { sample, probabilities, heatmap: targets.center, offsets: targets.offsets };
}

export function postprocessSynthetic(h: SyntheticHeads): PanopticPrediction {
  const { height, width } = h.sample;
  return panopticFromHeads(
    { probabilities: h.probabilities, numClasses: h.probabilities.length / (height * width) },
    h.heatmap,
    h.offsets,
    height,
    width,
    {
      thingClasses: THING_TRAIN_IDS,
    },
  );
}

/** Milliseconds per frame: post-processing, and the three metrics together (accumulate + result). */
export interface StageTimes {
  postprocess: number;
  metrics: number;
}

export interface PostprocessBench {
  height: number;
  width: number;
  classes: number;
  instancesFound: number;
  /** Median over the repeats (what a run sees) and minimum (the machine's capacity when it is shared). */
  medianMs: StageTimes;
  minMs: StageTimes;
  /** Scores of the prediction against its own GT (all should be 1). */
  miou: number;
  pq: number;
  ap: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timed<T>(repeats: number, run: () => T): { ms: number; min: number; value: T } {
  const times: number[] = [];
  let value = run(); // warm-up (JIT), not timed
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    value = run();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), min: Math.min(...times), value };
}

/**
 * Runs post-processing and the metrics (semantic, panoptic, instance) once to warm up, then `repeats` timed
 * times, on one synthetic frame (default 375x1242, 30 instances, 19 classes).
 */
export function benchPostprocessAndMetrics(
  height = 375,
  width = 1242,
  instances = 30,
  repeats = 5,
  classes = NUM_TRAIN_CLASSES,
): PostprocessBench {
  const heads = syntheticHeads(height, width, instances, classes);
  const { cityscapes19 } = LABEL_SETS;
  const labels = {
    ...cityscapes19,
    classes: Array.from(
      { length: classes },
      (_, id) =>
        cityscapes19.classes[id] ?? { id, name: `unused ${id}`, color: [0, 0, 0], labelIds: [], isThing: false },
    ),
  } as const;
  const post = timed(repeats, () => postprocessSynthetic(heads));
  const metrics = timed(repeats, () => {
    const ev = createEvaluation(labels);
    addFrame(ev, heads.sample, post.value);
    return evaluationResult(ev);
  });
  const r = metrics.value;
  return {
    height,
    width,
    classes,
    instancesFound: post.value.instances.length,
    medianMs: { postprocess: post.ms, metrics: metrics.ms },
    minMs: { postprocess: post.min, metrics: metrics.min },
    miou: r.semantic.miou,
    pq: r.panoptic!.all.pq,
    ap: r.instance!.ap,
  };
}
