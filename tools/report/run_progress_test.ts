import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { StepRecord, ValidationRecord } from "../../lib/train/trainer.ts";
import { progressLine, VALIDATION_HEADERS, validationRows } from "./run_progress.ts";

const step = (n: number, elapsedSeconds: number) => ({ type: "step", step: n, elapsedSeconds }) as StepRecord;
const validation = (n: number, miou: number, pq: number | null) =>
  ({
    type: "validation",
    step: n,
    frames: 20,
    miou,
    miouAcdc30: miou / 2,
    pq,
    ap: null,
  }) as unknown as ValidationRecord;

Deno.test("progressLine gives the last step against the config's, the hours, and 'so far' until the end", () => {
  const run = mkdtempSync(join(tmpdir(), "run-"));
  writeFileSync(join(run, "config.json"), JSON.stringify({ steps: 3 }));
  assert.equal(progressLine(run, [step(1, 1800), step(2, 5400)]), `\`${run}\`: step 2 of 3, 1.5 h of training so far.`);
  assert.equal(
    progressLine(run, [step(3, 7200), validation(3, 0.5, 0.3)]),
    `\`${run}\`: step 3 of 3, 2.0 h of training.`,
  );
  assert.equal(progressLine(run, []), `\`${run}\`: step 0 of 3, 0.0 h of training so far.`);
});

Deno.test("validationRows lists the validations in record order, missing scores as dashes", () => {
  const rows = validationRows([step(1, 1), validation(1, 0.25, 0.125), step(2, 2), validation(2, 0.5, null)]);
  assert.deepEqual(rows, [[1, 20, "25.0", "12.5", "12.5", "–"], [2, 20, "50.0", "25.0", "–", "–"]]);
  assert.equal(VALIDATION_HEADERS.length, rows[0].length);
});
