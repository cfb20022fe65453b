// How far a training run has come, from its record: the progress line the report prints for a run trained in pieces
// ("`runs/x`: step N of M, H h of training") and the table of its validations.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type StepRecord, type ValidationRecord } from "../../lib/train/trainer.ts";
import type { Cell } from "../../lib/viz/markdown_table.ts";
import { percent } from "./summary.ts";

type RunRecord = StepRecord | ValidationRecord;

/** "`runDir`: step N of M, H h of training", with "so far" until the run reaches its configured steps. */
export function progressLine(runDir: string, records: readonly RunRecord[]): string {
  const planned: number = JSON.parse(readFileSync(join(runDir, "config.json"), "utf8")).steps;
  const steps = records.filter((r): r is StepRecord => r.type === "step");
  const last = steps[steps.length - 1];
  const step = last?.step ?? 0;
  const hours = ((last?.elapsedSeconds ?? 0) / 3600).toFixed(1);
  return `\`${runDir}\`: step ${step} of ${planned}, ${hours} h of training${step < planned ? " so far" : ""}.`;
}

/** validationRows' columns. */
export const VALIDATION_HEADERS = ["step", "frames", "mIoU 19 (%)", "mIoU ACDC-30 (%)", "PQ (%)", "AP (%)"];

/** One row per validation in the record, in its order. */
export function validationRows(records: readonly RunRecord[]): Cell[][] {
  return records
    .filter((r): r is ValidationRecord => r.type === "validation")
    .map((v) => [v.step, v.frames, percent(v.miou), percent(v.miouAcdc30), percent(v.pq), percent(v.ap)]);
}
