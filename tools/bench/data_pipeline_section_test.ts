import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBench } from "./run.ts";
import {
  dataPipelineConfig,
  type DataPipelineData,
  dataPipelineSection,
  newestTrainStepRecord,
} from "./data_pipeline_section.ts";
import { SHARED_KITTI } from "../../lib/testing/shared_data.ts";

const KITTI = SHARED_KITTI;
const defaults = Object.fromEntries(Object.entries(dataPipelineSection.flags).map(([k, v]) => [k, v.default]));

function writeTrainStepRecord(dir: string, stamp: string, imagesPerSecond: number) {
  const data = { backend: "wasm", config: { height: 256, width: 512, batch: 4 }, tfjs: { imagesPerSecond } };
  writeFileSync(join(dir, `${stamp}-train-step.json`), JSON.stringify({ date: stamp, data }));
}

Deno.test("data-pipeline defaults are the issue's setting; bad worker lists name the flag", () => {
  const c = dataPipelineConfig(defaults);
  assert.deepEqual([c.split, c.height, c.width, c.batch, c.workerCounts], ["acdc_train", 256, 512, 4, [0, 2]]);
  assert.throws(() => dataPipelineConfig({ ...defaults, "pipeline-workers": "0,x" }), /--pipeline-workers must be/);
  assert.throws(() => dataPipelineConfig({ ...defaults, batch: "0" }), /--batch must be an integer ≥ 1, got 0/);
});

Deno.test("newestTrainStepRecord picks the newest train-step record, null without one, names a bad file", () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-records-"));
  try {
    assert.equal(newestTrainStepRecord(dir), null);
    assert.equal(newestTrainStepRecord(join(dir, "missing")), null);
    writeTrainStepRecord(dir, "2026-01-02T00-00-00Z", 2);
    writeTrainStepRecord(dir, "2026-01-01T00-00-00Z", 1);
    writeFileSync(join(dir, "2026-01-03T00-00-00Z-data-pipeline.json"), "{}");
    const r = newestTrainStepRecord(dir)!;
    assert.equal(r.imagesPerSecond, 2);
    assert.equal(r.file, join(dir, "2026-01-02T00-00-00Z-train-step.json"));
    writeFileSync(join(dir, "2026-01-04T00-00-00Z-train-step.json"), JSON.stringify({ data: {} }));
    assert.throws(() => newestTrainStepRecord(dir), /2026-01-04T00-00-00Z-train-step\.json: not a train-step record/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("data-pipeline section at a tiny size: stage times, images/s per worker count, ratio to the record", async () => {
  const out = mkdtempSync(join(tmpdir(), "bench-"));
  try {
    writeTrainStepRecord(out, "2026-01-01T00-00-00Z", 0.5);
    const printed: string[] = [];
    const args = ["--section", "data-pipeline", "--kitti", KITTI, "--height", "32", "--width", "64", "--batch", "2"];
    const flags = ["--pipeline-workers", "0,1", "--pipeline-batches", "2", "--stage-frames", "2", "--out", out];
    const written = await runBench([...args, ...flags], [dataPipelineSection], (t) => printed.push(t), () => {});
    assert.equal(written.length, 1);
    assert.match(written[0], /-data-pipeline\.json$/);
    assert.equal(readdirSync(out).length, 2);
    const d = (JSON.parse(readFileSync(written[0], "utf8")) as { data: DataPipelineData }).data;
    assert.deepEqual(d.bench.throughput.map((t) => [t.workers, t.images, t.height, t.width]), [
      [0, 4, 32, 64],
      [1, 4, 32, 64],
    ]);
    for (const ms of Object.values(d.bench.stageMs)) assert.ok(ms > 0, `stage ms ${ms}`);
    assert.equal(d.trainStep?.imagesPerSecond, 0.5);
    for (const [i, r] of d.ratios.entries()) {
      assert.equal(r.ratio, d.bench.throughput[i].imagesPerSecond / 0.5);
      assert.equal(r.meetsGoal, r.ratio >= 4);
    }
    assert.match(printed.join("\n"), /\| pipeline, 1 worker, images\/s \| +[\d.]+ \| x[\d.]+ \((meets|misses) ≥ 4x\)/);
    assert.match(printed.join("\n"), /from .*2026-01-01T00-00-00Z-train-step\.json/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
