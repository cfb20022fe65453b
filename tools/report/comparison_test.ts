import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import {
  comparisonRows,
  comparisonRuns,
  comparisonScores,
  configSettings,
  REFERENCE_RUN,
  seedNoise,
  settingChanges,
} from "./comparison.ts";
import { writeRun } from "./testing/runs.ts";

Deno.test("comparison rows: the reference first, each run's changes from the config files, – where not evaluated", () => {
  const root = mkdtempSync(join(tmpdir(), "compare-"));
  try {
    writeRun(root, REFERENCE_RUN, { model: { encoder: "mobilenet_v3_coco" } }, 0.227);
    writeRun(root, "compare-baseline", { model: { encoder: "mobilenet_v2" } }, 0.224);
    writeRun(root, `${REFERENCE_RUN}-seed2`, { seed: 2, model: { encoder: "mobilenet_v3_coco", seed: 2 } }, 0.235);
    writeRun(root, "compare-no-augment", { augment: null, model: { encoder: "mobilenet_v3_coco" } }, null);
    writeRun(root, "ablation-baseline", {}, null);
    const list = comparisonRuns(join(root, "runs"), join(root, "configs"));
    assert.deepEqual(
      list.map((r) => r.shortName),
      ["mobilenet-v3-coco", "mobilenet-v3-coco-seed2", "baseline", "no-augment"],
    );
    const rows = comparisonRows(list);
    assert.deepEqual(rows[0], [
      "mobilenet-v3-coco",
      "the reference",
      "2/2",
      "15.7",
      "22.7",
      "14.1",
      "1.4",
      "0.7",
      "60",
      "3.00",
    ]);
    assert.equal(rows[1][1], "`model.seed 2`, `seed 2`");
    assert.deepEqual(rows[2].slice(0, 2), ["baseline", "`model.encoder mobilenet_v2`"]);
    assert.deepEqual(rows[3], ["no-augment", "`augment null`", "2/2", "–", "–", "–", "–", "–", "–", "3.00"]);
    assert.deepEqual(comparisonScores(list).map((s) => s.group), [
      ...Array(3).fill("mobilenet-v3-coco"),
      ...Array(3).fill("mobilenet-v3-coco-seed2"),
      ...Array(3).fill("baseline"),
    ]);
    const noise = seedNoise(list)!;
    assert.deepEqual(noise.map((n) => n.metric), ["ika's protocol", "mIoU 19", "PQ"]);
    assert.ok(Math.abs(noise[1].points - 0.8) < 1e-9 && noise[2].points === 0, JSON.stringify(noise));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

Deno.test("settingChanges: a changed key hides its fields; a missing key reads unset; no repeat means no noise", () => {
  const a = new Map([["augment.flip", "true"], ["augment.jitter", "true"], ["crop", "[256,512]"]]);
  const b = new Map([["augment", "null"], ["crop", "[256,512]"], ["loss.topKPercent", "1"]]);
  assert.deepEqual(settingChanges(b, a), ["augment null", "loss.topKPercent 1"]);
  assert.deepEqual(settingChanges(a, b), ["augment.flip true", "augment.jitter true", "loss.topKPercent unset"]);
  assert.equal(seedNoise([]), null);
});

Deno.test("configSettings of a committed config: today's defaults under it, the network's defaults under model", () => {
  const s = configSettings("configs/compare-baseline.json");
  assert.equal(s.get("model.encoder"), "mobilenet_v2");
  assert.equal(s.get("model.decoderKernel"), "3");
  assert.equal(s.get("steps"), "1000");
  assert.equal(s.has("name") || s.has("validation.everySteps"), false);
});
