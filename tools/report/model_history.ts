// The iteration narrative from the records: the runs that were the default model in turn, oldest first and today's
// (DEFAULT_RUN_NAME) last, each with what its config changes against the model before it (computed from
// configs/<name>.json, as the ablations' changes are) and its scores from the full evaluation on the validation split
// (`deno task eval --checkpoint runs/<name> --split acdc_val`).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_RUN_NAME } from "../../lib/train/config.ts";
import { readRun } from "./ablation.ts";
import {
  COMPARISON_EVAL,
  COMPARISON_HEADERS,
  type ComparisonRun,
  configSettings,
  settingChanges,
} from "./comparison.ts";
import { readEvalRecord } from "./records.ts";

/** The runs that were the default model before today's, oldest first. */
export const EARLIER_DEFAULT_RUNS: readonly string[] = [
  "default",
  "final",
  "final-4",
  "final-3",
  "final-6",
  "final-7",
  "final-8",
];

/** comparisonRows' columns, the second read against the row above. */
export const MODEL_HISTORY_HEADERS = COMPARISON_HEADERS.with(1, "change against the model before");

/**
 * The default models with a record under `runsDir`, oldest first, `current` last; the first has no change (null, "–"),
 * as does a run whose config or its predecessor's is missing from `configsDir`.
 */
export function modelHistory(runsDir: string, configsDir = "configs", current = DEFAULT_RUN_NAME): ComparisonRun[] {
  const configOf = (name: string) => join(configsDir, `${name}.json`);
  const names = [...EARLIER_DEFAULT_RUNS.filter((n) => n !== current), current]
    .filter((name) => existsSync(join(runsDir, name, "train.jsonl")));
  return names.map((name, i) => {
    const before = names[i - 1];
    const changes = before !== undefined && existsSync(configOf(name)) && existsSync(configOf(before))
      ? settingChanges(configSettings(configOf(name)), configSettings(configOf(before)))
      : null;
    return { ...readRun(runsDir, name), evaluation: readEvalRecord(join(runsDir, name, COMPARISON_EVAL)), changes };
  });
}
