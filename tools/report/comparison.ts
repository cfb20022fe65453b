// The design comparisons (issues "every class the benchmark scores" and "a COCO-trained encoder"): every
// runs/compare-*/ folder (configs/compare-*.json) is the same 1000-step schedule with one design choice changed
// against compare-baseline, and becomes a table row from its records: the full 60-frame evaluation that
// `deno task eval --checkpoint runs/compare-<name> --split acdc_val` writes (ika's protocol included) and the
// training record's wall time.
import { join } from "node:path";
import { type AblationRun, ablationRuns } from "./ablation.ts";
import { readEvalRecord } from "./records.ts";
import { percent } from "./summary.ts";
import type { Cell } from "../../lib/viz/markdown_table.ts";
import type { EvalRecord } from "../../lib/eval/record.ts";

export const COMPARISON_PREFIX = "compare-";
/** The evaluation each comparison run is scored by (written by `deno task eval … --split acdc_val`). */
export const COMPARISON_EVAL = "eval-acdc_val.json";

export interface ComparisonRun extends AblationRun {
  /** The run's full evaluation on the validation split, or null until it is evaluated. */
  evaluation: EvalRecord | null;
}

/** The comparison runs under `runsDir`, baseline first, each with its evaluation record if it has one. */
export function comparisonRuns(runsDir: string): ComparisonRun[] {
  return ablationRuns(runsDir, COMPARISON_PREFIX).map((run) => ({
    ...run,
    evaluation: readEvalRecord(join(runsDir, run.name, COMPARISON_EVAL)),
  }));
}

export const COMPARISON_HEADERS = [
  "run",
  "steps",
  "ika's protocol ACDC-30 (%)",
  "mIoU 19 (%)",
  "PQ (%)",
  "things PQ (%)",
  "AP (%)",
  "frames",
  "training (s/step)",
];

/**
 * One row per run (– where a figure is missing). Training seconds per step are the record's wall time: runs trained
 * side by side share the cores, so the bench's step time, not this, is the speed comparison.
 */
export function comparisonRows(runs: readonly ComparisonRun[]): Cell[][] {
  return runs.map((r) => {
    const e = r.evaluation;
    return [
      r.shortName,
      `${r.steps}/${r.config.steps}`,
      percent(e?.ikaProtocol?.miou),
      percent(e?.semantic?.miou),
      percent(e?.panoptic?.all.pq),
      percent(e?.panoptic?.things.pq),
      percent(e?.instance?.ap),
      e ? String(e.frames) : "–",
      r.steps ? (r.trainingSeconds / r.steps).toFixed(2) : "–",
    ];
  });
}
