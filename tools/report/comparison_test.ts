import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { COMPARISON_EVAL, comparisonRows, comparisonRuns } from "./comparison.ts";

function writeRun(runs: string, name: string, evaluation: Record<string, unknown> | null) {
  const dir = join(runs, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), JSON.stringify({ name, description: name, steps: 2 }));
  const steps = [1, 2].map((step) => ({ type: "step", step, elapsedSeconds: 3 * step }));
  writeFileSync(join(dir, "train.jsonl"), steps.map((l) => JSON.stringify(l)).join("\n") + "\n");
  if (evaluation) writeFileSync(join(dir, COMPARISON_EVAL), JSON.stringify(evaluation));
}

Deno.test("comparison rows come from compare-* runs' evaluation records, baseline first, – where not evaluated", () => {
  const runs = mkdtempSync(join(tmpdir(), "runs-"));
  writeRun(runs, "compare-mobilenet-v3-coco", null);
  writeRun(runs, "compare-baseline", {
    frames: 60,
    semantic: { miou: 0.224 },
    ikaProtocol: { miou: 0.151, classes: 28 },
    panoptic: { all: { pq: 0.141 }, things: { pq: 0.014 } },
    instance: { ap: 0.007 },
  });
  writeRun(runs, "ablation-baseline", null);
  const list = comparisonRuns(runs);
  assert.deepEqual(list.map((r) => r.shortName), ["baseline", "mobilenet-v3-coco"]);
  const rows = comparisonRows(list);
  assert.deepEqual(rows[0], ["baseline", "2/2", "15.1", "22.4", "14.1", "1.4", "0.7", "60", "3.00"]);
  assert.deepEqual(rows[1], ["mobilenet-v3-coco", "2/2", "–", "–", "–", "–", "–", "–", "3.00"]);
});
