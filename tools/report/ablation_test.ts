import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { ablationCurves, ablationRows, ablationRuns, ablationScores } from "./ablation.ts";

function writeRun(runs: string, name: string, description: string, steps: number, done: number, miou: number) {
  const dir = join(runs, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), JSON.stringify({ name, description, steps }));
  const lines = Array.from({ length: done }, (_, i) => ({ type: "step", step: i + 1, elapsedSeconds: 30 * (i + 1) }));
  const validation = { type: "validation", step: done, miou, miouAcdc30: miou / 2, pq: 0.1, ap: 0.01 };
  writeFileSync(join(dir, "train.jsonl"), [...lines, validation].map((l) => JSON.stringify(l)).join("\n") + "\n");
}

Deno.test("ablationRuns lists ablation-* runs baseline first and scores only finished runs", () => {
  const runs = mkdtempSync(join(tmpdir(), "runs-"));
  writeRun(runs, "ablation-no-augment", "Ablation: no augmentation", 4, 4, 0.2);
  writeRun(runs, "ablation-baseline", "Ablation baseline: the default config", 4, 4, 0.25);
  writeRun(runs, "ablation-high-lr", "Ablation: learning rate 2e-3", 4, 2, 0.3);
  writeRun(runs, "default", "not an ablation", 4, 4, 0.5);
  mkdirSync(join(runs, "ablation-empty"));
  const list = ablationRuns(runs);
  assert.deepEqual(list.map((r) => r.name), ["ablation-baseline", "ablation-high-lr", "ablation-no-augment"]);
  const rows = ablationRows(list);
  assert.deepEqual(rows[0], ["baseline", "the default config", "4/4", "25.0", "12.5", "10.0", "1.0", "2.0"]);
  assert.deepEqual(rows[1].slice(0, 4), ["high-lr", "learning rate 2e-3", "2/4", "–"]);
  assert.equal(rows[2][3], "20.0");
  assert.deepEqual(ablationCurves(list).map((c) => c.name), ["baseline", "high-lr", "no-augment"]);
  const scores = ablationScores(list);
  assert.deepEqual([...new Set(scores.map((s) => s.group))], ["baseline", "no-augment"]);
  assert.deepEqual(scores[0], { group: "baseline", metric: "mIoU 19", value: 0.25 });
});

Deno.test("ablationRuns of a missing folder is empty", () => {
  assert.deepEqual(ablationRuns(join(tmpdir(), "no-such-runs-folder")), []);
});
