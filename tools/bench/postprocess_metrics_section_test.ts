import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  postprocessMetricsConfig,
  type PostprocessMetricsData,
  postprocessMetricsSection,
} from "./postprocess_metrics_section.ts";
import { runBench } from "./run.ts";

const defaults = Object.fromEntries(Object.entries(postprocessMetricsSection.flags).map(([k, v]) => [k, v.default]));

Deno.test("postprocess-metrics defaults are the issue's setting; bad flags name the flag", () => {
  const c = postprocessMetricsConfig(defaults);
  assert.deepEqual([c.height, c.width, c.classes, c.centers, c.pqFrames, c.numpy], [375, 1242, 19, 30, 60, "auto"]);
  assert.throws(() => postprocessMetricsConfig({ ...defaults, classes: "5" }), /--classes must be an integer ≥ 19/);
  assert.throws(() => postprocessMetricsConfig({ ...defaults, "pq-frames": "0" }), /--pq-frames must be an integer/);
});

Deno.test("postprocess-metrics section at a tiny size: per-frame ms, PQ of N frames ours vs the numpy peer", async () => {
  const out = mkdtempSync(join(tmpdir(), "bench-"));
  try {
    const printed: string[] = [];
    const args = ["--section", "postprocess-metrics", "--frame-height", "120", "--frame-width", "400"];
    const flags = ["--centers", "12", "--repeats", "2", "--pq-frames", "3", "--pq-repeats", "1", "--out", out];
    const written = await runBench([...args, ...flags], [postprocessMetricsSection], (t) => printed.push(t), () => {});
    assert.equal(written.length, 1);
    assert.match(written[0], /-postprocess-metrics\.json$/);
    const d = (JSON.parse(readFileSync(written[0], "utf8")) as { data: PostprocessMetricsData }).data;
    assert.deepEqual([d.perFrame.miou, d.perFrame.pq, d.perFrame.ap, d.perFrame.instancesFound], [1, 1, 1, 12]);
    assert.ok(d.perFrame.minMs.postprocess <= d.perFrame.medianMs.postprocess);
    assert.equal(d.pq.ours.timing.runsMs.length, 1);
    const text = printed.join("\n");
    assert.match(
      text,
      /\| post-processing, per 120x400 frame \(12 centres, 19 classes\) \| +[\d.]+ \| +[\d.]+ \| < 50 ms/,
    );
    assert.match(text, /PyPI is unreachable/);
    const tableRows = text.split("\n").filter((line) => line.startsWith("|"));
    for (const row of tableRows) assert.equal(row.split("|").length, 6, `not 4 cells: ${row}`);
    if ("timing" in d.pq.numpy) {
      assert.ok(d.pq.maxScoreDifference! < 1e-12, `scores differ by ${d.pq.maxScoreDifference}`);
      assert.equal(d.pq.speedup, d.pq.numpy.timing.medianMs / d.pq.ours.timing.medianMs);
      assert.match(text, /\| speed-up: numpy peer time \/ ours \| +[\d.]+ \| +\| ≥ 10x: (meets|misses) \|/);
    } else {
      assert.match(d.pq.numpy.skipped, /cannot import numpy/);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
