// Quality of pseudo instance labels, measured: per thing class, the share of thing pixels assigned to an instance
// vs left as crowd (read back from Cityscapes instanceIds maps), and panoptic quality of derived instances
// against true ones on a frame with instance ground truth.
import { IGNORE_LABEL, LABEL_DIVISOR } from "../data/labels/descriptor.ts";
import { IS_THING_TRAIN_ID, LABEL_ID_TO_TRAIN_ID, TRAIN_CLASS_NAMES } from "../data/labels/cityscapes_labels.ts";
import {
  accumulatePanoptic,
  createPanopticStats,
  frameFromLabelMap,
  type PanopticResult,
  panopticResult,
  type PQSummary,
} from "../metrics/panoptic.ts";

/** Pixel and instance counts of one thing class. */
export interface ClassCoverage {
  trainId: number;
  name: string;
  thingPixels: number;
  assignedPixels: number;
  crowdPixels: number;
  instances: number;
}

/** Per-thing-class counts, indexed by trainId (only thing trainIds are filled). */
export type Coverage = Map<number, ClassCoverage>;

export function emptyCoverage(): Coverage {
  const coverage: Coverage = new Map();
  for (let t = 0; t < TRAIN_CLASS_NAMES.length; t++) {
    if (IS_THING_TRAIN_ID[t]) {
      coverage.set(t, {
        trainId: t,
        name: TRAIN_CLASS_NAMES[t],
        thingPixels: 0,
        assignedPixels: 0,
        crowdPixels: 0,
        instances: 0,
      });
    }
  }
  return coverage;
}

/**
 * Adds one Cityscapes instanceIds map (labelId*1000+k on instances, plain labelId elsewhere) to `coverage`:
 * thing-class pixels with an id ≥ 1000 are assigned, those with a plain labelId are crowd.
 */
export function addCoverage(coverage: Coverage, instanceIds: Uint16Array | Int32Array): void {
  const seen = new Set<number>();
  for (let p = 0; p < instanceIds.length; p++) {
    const v = instanceIds[p];
    const assigned = v >= LABEL_DIVISOR;
    const c = coverage.get(LABEL_ID_TO_TRAIN_ID[assigned ? Math.floor(v / LABEL_DIVISOR) : v]);
    if (!c) continue;
    c.thingPixels++;
    if (assigned) {
      c.assignedPixels++;
      if (!seen.has(v)) {
        seen.add(v);
        c.instances++;
      }
    } else c.crowdPixels++;
  }
}

/** Panoptic label map (trainId*1000 + instance, void = 255*1000) of a semantic map with instances and crowd. */
export function panopticLabelMap(
  semantic: Uint8Array,
  instances: Int32Array,
  crowd: Uint8Array | null,
  crowdAsVoid: boolean,
): Int32Array {
  const map = new Int32Array(semantic.length);
  for (let p = 0; p < map.length; p++) {
    const voided = crowdAsVoid && crowd !== null && crowd[p] === 1;
    map[p] = (voided ? IGNORE_LABEL : semantic[p]) * LABEL_DIVISOR + (voided ? 0 : instances[p]);
  }
  return map;
}

/**
 * PQ of pseudo instances against true ones on one frame, both on the same semantic map. True crowd regions are
 * crowd as in Cityscapes; pseudo crowd pixels are unlabeled (a prediction carries no crowd).
 */
export function pseudoInstancePQ(
  semantic: Uint8Array,
  truth: { instances: Int32Array; crowd: Uint8Array | null },
  pseudo: { instances: Int32Array; crowd: Uint8Array },
  source: string,
): PanopticResult {
  const categories = TRAIN_CLASS_NAMES.map((name, id) => ({ id, name, isThing: IS_THING_TRAIN_ID[id] === 1 }));
  const crowdClasses = new Set(categories.filter((c) => c.isThing).map((c) => c.id));
  const stats = createPanopticStats(categories);
  const gt = frameFromLabelMap(panopticLabelMap(semantic, truth.instances, truth.crowd, false), {
    divisor: LABEL_DIVISOR,
    voidClass: IGNORE_LABEL,
    crowdClasses,
  });
  const pred = frameFromLabelMap(panopticLabelMap(semantic, pseudo.instances, pseudo.crowd, true), {
    divisor: LABEL_DIVISOR,
    voidClass: IGNORE_LABEL,
  });
  accumulatePanoptic(stats, gt, pred, source);
  return panopticResult(stats);
}

export interface FixtureQuality {
  /** Frame path relative to the project root. */
  frame: string;
  trueInstances: number;
  pseudoInstances: number;
  /** Thing pixels of the frame's semantic map, and those of them the labeller left as crowd (unclaimed or unsure). */
  thingPixels: number;
  crowdPixels: number;
  things: PQSummary;
  /** Per thing class present in the frame: PQ, SQ, RQ and counts. */
  perClass: { name: string; pq: number; sq: number; rq: number; tp: number; fp: number; fn: number }[];
}
