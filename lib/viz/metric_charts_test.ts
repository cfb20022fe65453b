import assert from "node:assert/strict";
import sharp from "sharp";
import { classScoreBarsSvg, confusionHeatmapSvg, groupedScoreBarsSvg } from "./metric_charts.ts";

Deno.test("classScoreBarsSvg has a bar and a printed value per class, n/a for NaN", async () => {
  const svg = classScoreBarsSvg([
    { name: "road", value: 0.912, colour: [128, 64, 128] },
    { name: "car", value: NaN, colour: [0, 0, 142] },
  ]);
  assert.ok(svg.includes("0.912") && svg.includes("n/a") && svg.includes("rgb(128,64,128)"));
  assert.equal((await sharp(new TextEncoder().encode(svg)).metadata()).height, 40 + 2 * 22);
  assert.throws(() => classScoreBarsSvg([]), /no classes/);
});

Deno.test("confusionHeatmapSvg normalises each ground-truth row to percentages", () => {
  // GT a: 3 predicted a, 1 predicted b → 75 / 25; GT b: all 2 predicted b → 100.
  const svg = confusionHeatmapSvg([3, 1, 0, 2], ["a", "b"], ["a", "b"]);
  assert.ok(svg.includes(">75<") && svg.includes(">25<") && svg.includes(">100<"));
  assert.throws(() => confusionHeatmapSvg([1, 2, 3], ["a", "b"], ["a", "b"]), /3 counts for 2 rows x 2 columns/);
});

Deno.test("groupedScoreBarsSvg labels each bar with its metric and value and skips NaN", async () => {
  const svg = groupedScoreBarsSvg([
    { group: "baseline", metric: "mIoU", value: 0.25 },
    { group: "baseline", metric: "PQ", value: 0.125 },
    { group: "no-augment", metric: "mIoU", value: 0.2 },
    { group: "no-augment", metric: "PQ", value: NaN },
  ]);
  assert.ok(svg.includes("mIoU 0.250") && svg.includes("PQ 0.125") && svg.includes("mIoU 0.200"));
  assert.ok(svg.includes("no-augment") && !svg.includes("NaN"));
  assert.ok(((await sharp(new TextEncoder().encode(svg)).metadata()).width ?? 0) > 0);
  assert.throws(() => groupedScoreBarsSvg([{ group: "a", metric: "m", value: NaN }]), /no finite scores/);
});
