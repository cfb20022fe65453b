// The ablation study from its records: every runs/ablation-*/ folder (configs/ablation-*.json) becomes a row with
// its final validation scores and training time, and the runs' records feed the comparison charts.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TrainConfig } from "../../lib/train/config.ts";
import { readRecords, type StepRecord, type ValidationRecord } from "../../lib/train/trainer.ts";
import type { GroupScore } from "../../lib/viz/metric_charts.ts";
import type { RunRecords } from "../../lib/viz/training_charts.ts";
import { percent } from "./summary.ts";
import type { Cell } from "../../lib/viz/markdown_table.ts";

export const ABLATION_PREFIX = "ablation-";

export interface AblationRun {
  name: string;
  /** The name without its group's prefix ("no-augment"). */
  shortName: string;
  config: TrainConfig;
  records: (StepRecord | ValidationRecord)[];
  /** The validation at the last step, or null while the run is unfinished. */
  final: ValidationRecord | null;
  steps: number;
  trainingSeconds: number;
}

/**
 * The ablation runs under `runsDir` (folders named ablation-*, or another group's `prefix`, with a config and a
 * record), baseline first.
 */
export function ablationRuns(runsDir: string, prefix = ABLATION_PREFIX): AblationRun[] {
  if (!existsSync(runsDir)) return [];
  const names = readdirSync(runsDir)
    .filter((n) => n.startsWith(prefix) && existsSync(join(runsDir, n, "train.jsonl")))
    .sort((a, b) => Number(b.endsWith("-baseline")) - Number(a.endsWith("-baseline")) || a.localeCompare(b));
  return names.map((name) => readRun(runsDir, name, name.slice(prefix.length)));
}

/** The run in `runsDir`/`name` (its config and record), shown as `shortName`. */
export function readRun(runsDir: string, name: string, shortName = name): AblationRun {
  const dir = join(runsDir, name);
  const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as TrainConfig;
  const records = readRecords(dir);
  const steps = records.filter((r): r is StepRecord => r.type === "step");
  const last = steps[steps.length - 1];
  const validations = records.filter((r): r is ValidationRecord => r.type === "validation");
  const lastValidation = validations[validations.length - 1];
  const done = last !== undefined && last.step >= config.steps;
  return {
    name,
    shortName,
    config,
    records,
    final: done && lastValidation?.step === last.step ? lastValidation : null,
    steps: last?.step ?? 0,
    trainingSeconds: last?.elapsedSeconds ?? 0,
  };
}

/** What a run changes against the baseline, from its config description ("Ablation: …"). */
function change(run: AblationRun): string {
  return run.config.description.replace(/^Ablation( baseline)?:\s*/i, "");
}

export const ABLATION_HEADERS = [
  "run",
  "change",
  "steps",
  "mIoU 19 (%)",
  "mIoU ACDC-30 (%)",
  "PQ (%)",
  "AP (%)",
  "training (min)",
];

/** One table row per run: final validation scores (– while unfinished) and training minutes. */
export function ablationRows(runs: readonly AblationRun[]): Cell[][] {
  return runs.map((r) => [
    r.shortName,
    change(r),
    `${r.steps}/${r.config.steps}`,
    percent(r.final?.miou),
    percent(r.final?.miouAcdc30),
    percent(r.final?.pq),
    percent(r.final?.ap),
    (r.trainingSeconds / 60).toFixed(1),
  ]);
}

/** The runs as chart input (lib/viz/training_charts.ts), named without the prefix. */
export function ablationCurves(runs: readonly AblationRun[]): RunRecords[] {
  return runs.map((r) => ({ name: r.shortName, records: r.records }));
}

/** Final mIoU (19 and ACDC-30 classes) and PQ of the finished runs, as bars (lib/viz/metric_charts.ts). */
export function ablationScores(runs: readonly AblationRun[]): GroupScore[] {
  return runs.flatMap((r) => {
    if (!r.final) return [];
    const group = r.shortName;
    return [
      { group, metric: "mIoU 19", value: r.final.miou },
      { group, metric: "mIoU ACDC-30", value: r.final.miouAcdc30 },
      { group, metric: "PQ", value: r.final.pq ?? NaN },
    ];
  });
}
