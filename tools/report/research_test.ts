import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../lib/io/project.ts";
import { datasetTable, methodTable } from "./research.ts";

const DIR = join(PROJECT_ROOT, "docs", "research");

Deno.test("the dataset table has a row per dataset with Cityscapes' published split", () => {
  const md = datasetTable(join(DIR, "datasets.json"));
  assert.match(md, /\| Cityscapes \(gtFine\) \| 2975 \/ 500 \/ 1525 \| 19 \| 8 \|/);
  assert.match(md, /Sources \(one per dataset/);
});

Deno.test("the method table lists every row with its source, and missing numbers as n/a", () => {
  const md = methodTable(join(DIR, "methods.json"));
  assert.match(md, /\| Panoptic-DeepLab \| [^|]+ \| MobileNetV3-Large \(OS16\) \| 55\.3 \| 74\.5 \|/);
  assert.match(md, /n\/a \(not found\)/);
  assert.ok(md.split("\n").filter((l) => l.startsWith("| ")).every((l) => l.split("|").length === 10));
});

Deno.test("a missing research file is an error naming it", () => {
  assert.throws(() => methodTable(join(DIR, "none.json")), /none\.json: not a readable research table/);
});
