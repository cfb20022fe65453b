import assert from "node:assert/strict";
import sharp from "sharp";
import { learningRateSvg, lossCurvesSvg, validationCurvesSvg } from "./training_charts.ts";

const records = [
  ...Array.from(
    { length: 12 },
    (_, i) => ({ type: "step", step: i + 1, total: 3 - i * 0.1, semantic: 2, center: 1, offset: 0 }),
  ),
  { type: "validation", step: 6, miou: 0.1, pq: 0.05, ap: null },
  { type: "validation", step: 12, miou: 0.2, pq: 0.08, ap: null },
];

Deno.test("lossCurvesSvg draws one labelled series per positive loss part and rasterises", async () => {
  const svg = lossCurvesSvg([{ name: "r", records }], { smooth: 3 });
  assert.ok(
    svg.startsWith("<svg") && svg.includes(">total<") && svg.includes(">semantic<") && svg.includes(">center<"),
  );
  assert.ok(!svg.includes(">offset<"), "a loss part that is always 0 has no line on a log scale");
  assert.equal((await sharp(new TextEncoder().encode(svg)).metadata()).width, 820);
  assert.throws(() => lossCurvesSvg([{ name: "r", records: [] }]), /no positive loss values/);
});

Deno.test("validationCurvesSvg prefixes series with the run name; runs ending on the same point share one label", () => {
  const svg = validationCurvesSvg([{ name: "a", records }, { name: "b", records }]);
  assert.ok(svg.includes(">a · miou, b · miou<") && svg.includes(">a · pq, b · pq<"));
  const other = records.map((r) => (r.type === "validation" ? { ...r, miou: 0.9 } : r));
  const apart = validationCurvesSvg([{ name: "a", records }, { name: "b", records: other }]);
  assert.ok(apart.includes(">a · miou<") && apart.includes(">b · miou<"));
  assert.ok(!svg.includes("· ap<"), "null scores are skipped");
  assert.throws(() => validationCurvesSvg([{ name: "a", records: records.slice(0, 3) }]), /no validation records/);
});

Deno.test("learningRateSvg plots every step and marks the warm-up", () => {
  const svg = learningRateSvg(50, (s) => s / 50, { warmupSteps: 5 });
  assert.ok(svg.includes("end of warm-up") && svg.includes("learning rate"));
  assert.throws(() => learningRateSvg(0, () => 1), /must be positive/);
});
