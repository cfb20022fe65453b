import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { EvalRecord } from "../../lib/eval/record.ts";
import { FIXTURE_RECORD, FLIP_RECORD, percent, summaryRows } from "./summary.ts";

Deno.test("percent formats fractions and marks missing values", () => {
  assert.deepEqual([percent(0.12345), percent(NaN), percent(null), percent(undefined)], ["12.3", "–", "–", "–"]);
});

Deno.test("summaryRows reads the evaluation, the run record and the benchmark ratio", () => {
  const run = mkdtempSync(join(tmpdir(), "run-"));
  writeFileSync(join(run, "config.json"), JSON.stringify({ batchSize: 4, crop: [256, 512] }));
  writeFileSync(
    join(run, "train.jsonl"),
    [1, 2].map((step) => JSON.stringify({ type: "step", step, elapsedSeconds: 60 * step })).join("\n") + "\n",
  );
  const evalRecord = {
    frames: 60,
    semantic: { miou: 0.5 },
    schemes: { acdc30: { miou: 0.4 }, ika12: { miou: 0.6 } },
    ikaProtocol: { miou: 0.45 },
    panoptic: { all: { pq: 0.3, sq: 0.7, rq: 0.4 } },
    instance: { ap: 0.1, ap50: 0.2 },
  } as unknown as EvalRecord;
  const bench = {
    file: "x",
    result: {
      section: "train-step",
      methodology: [],
      headers: [],
      rows: [],
      data: {
        tfjs: { step: { medianMs: 3000 } },
        threaded: { threads: 2, step: { medianMs: 1500 } },
        torch: { threads: 2, stepMs: 750 },
      },
    },
  };
  const rows = Object.fromEntries(summaryRows(run, evalRecord, bench).map(([k, v]) => [String(k).trim(), v]));
  assert.equal(rows["semantic mIoU, 19 Cityscapes classes (%)"], "50.0");
  assert.equal(rows["semantic mIoU, ika's ACDC 30 classes, at full resolution (%)"], "40.0");
  assert.equal(rows["semantic mIoU, ika's ACDC 30 classes by ika's protocol (368x1248, None scored) (%)"], "45.0");
  assert.equal(rows["PQ / SQ / RQ, all classes (%)"], "30.0 / 70.0 / 40.0");
  assert.equal(rows["training steps × batch, crop"], "2 × 4, 256x512");
  assert.equal(rows["training time (minutes)"], 2);
  const fixtureRow =
    "PQ / SQ / RQ on the Cityscapes-format test frame with true instances (deeplab2 test data: 1 frame, 5 true thing instances) (%)";
  assert.equal(Object.keys(rows).some((k) => k.includes("Cityscapes-format")), false);
  writeFileSync(
    join(run, FIXTURE_RECORD),
    JSON.stringify({
      frames: 1,
      // Two thing classes: 3 + 2 true instances, while the averaged things summary says tp 1.5, fn 1.
      panoptic: {
        all: { pq: 0.25, sq: 0.5, rq: 0.5 },
        things: { pq: 0.2, sq: 0.8, rq: 0.25, tp: 1.5, fp: 4.5, fn: 1, n: 2 },
        perClass: [
          { id: 0, name: "road", isThing: false, pq: 1, sq: 1, rq: 1, tp: 1, fp: 0, fn: 0 },
          { id: 11, name: "person", isThing: true, pq: 0.2, sq: 0.8, rq: 0.25, tp: 1, fp: 5, fn: 2 },
          { id: 13, name: "car", isThing: true, pq: 0.2, sq: 0.8, rq: 0.25, tp: 2, fp: 4, fn: 0 },
        ],
      },
    }),
  );
  const withFixture = Object.fromEntries(summaryRows(run, evalRecord, bench).map(([k, v]) => [String(k).trim(), v]));
  assert.equal(withFixture[fixtureRow], "25.0 / 50.0 / 50.0");
  const flipRow = "with each frame and its mirror image averaged (eval --flip, 60 frames): ika's protocol / mIoU 19 " +
    "classes / PQ / AP (%)";
  assert.equal(flipRow in withFixture, false);
  writeFileSync(
    join(run, FLIP_RECORD),
    JSON.stringify({ ...evalRecord, ikaProtocol: { miou: 0.46 }, semantic: { miou: 0.51 }, instance: { ap: 0.12 } }),
  );
  const withFlip = Object.fromEntries(summaryRows(run, evalRecord, bench).map(([k, v]) => [String(k).trim(), v]));
  assert.equal(withFlip[flipRow], "46.0 / 51.0 / 30.0 / 12.0");
  assert.equal(rows["training step time, tfjs wasm (1 thread) / PyTorch CPU (2 threads)"], "4.00×");
  assert.equal(rows["training step time, tfjs wasm (2 threads) / PyTorch CPU (2 threads)"], "2.00×");
  assert.deepEqual(summaryRows(join(run, "none"), null, null), [[
    "evaluation",
    `no record yet: deno task eval --checkpoint ${join(run, "none")}`,
  ]]);
});

Deno.test("summaryRows counts the runs a run started from (initialWeights), each up to the step it gave", () => {
  const root = mkdtempSync(join(tmpdir(), "project-"));
  const run = (name: string, steps: number, initialWeights?: string) => {
    mkdirSync(join(root, "runs", name), { recursive: true });
    writeFileSync(
      join(root, "runs", name, "config.json"),
      JSON.stringify({ batchSize: 4, crop: [8, 16], initialWeights }),
    );
    const lines = [...Array(steps).keys()].map((i) =>
      JSON.stringify({ type: "step", step: i + 1, elapsedSeconds: 60 * (i + 1) })
    );
    writeFileSync(join(root, "runs", name, "train.jsonl"), lines.join("\n") + "\n");
  };
  // The model folders the runs started from, as training found them.
  const modelFolder = (path: string) => {
    mkdirSync(join(root, path), { recursive: true });
    writeFileSync(join(root, path, "model.json"), "{}");
  };
  run("first", 5);
  modelFolder("runs/first/checkpoints/step-4");
  run("second", 3, "runs/first/checkpoints/step-4");
  modelFolder("runs/second/model");
  run("third", 2, "runs/second/model");
  const rows = Object.fromEntries(summaryRows(join(root, "runs", "third"), null, null));
  assert.equal(
    rows["training steps × batch, crop"],
    "2 × 4, 8x16, from the weights of runs/second (3 × 4, 8x16), from the weights of runs/first (4 × 4, 8x16)",
  );
  assert.equal(rows["training time (minutes)"], "2, after 3 in runs/second, after 4 in runs/first");
  run("lost", 1, "runs/nowhere");
  assert.equal(Object.fromEntries(summaryRows(join(root, "runs", "lost"), null, null))["training time (minutes)"], 1);
  rmSync(root, { recursive: true });
});
