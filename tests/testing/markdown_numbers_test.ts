import assert from "node:assert/strict";
import { typedNumbers } from "./markdown_numbers.ts";

const texts = (md: string) => typedNumbers(md).map((n) => n.text);

Deno.test("typedNumbers flags numbers typed into prose and headings", () => {
  assert.deepEqual(texts("The model reaches mIoU 0.55 on val."), ["0.55"]);
  assert.deepEqual(texts("a Gaussian (σ = 8, 51x51 window)"), ["8", "51", "51"]);
  assert.deepEqual(texts("## 6. Targets"), ["6"]);
  assert.deepEqual(texts("1. **centres**: thresholded"), ["1"]);
  assert.deepEqual(texts("the 140/60 split"), ["140", "60"]);
  assert.deepEqual(texts("[01 · Data](notebooks/01-data.ipynb)"), ["01"]);
  assert.deepEqual(texts("PQ 41.2 (CVPR 2020 reports 42)"), ["41.2", "42"]);
});

Deno.test("typedNumbers allows citations, licences, code spans, link targets and names with digits", () => {
  for (
    const md of [
      "Geiger, Lenz, Urtasun, CVPR 2012",
      "(Cheng et al., CVPR 2020)",
      "ECCV 2022 and NeurIPS 2021",
      "Cheng et al. 2020",
      "arXiv 1901.02446",
      "licensed CC BY-NC-SA 3.0; code Apache-2.0",
      "see `01-data.ipynb`, `acdc_val` and `--workers 2`",
      "[Data](notebooks/01-data.ipynb)",
      "Panoptic-DeepLab on MobileNetV2, Mask2Former, deeplab2",
    ]
  ) assert.deepEqual(texts(md), [], md);
});

Deno.test("typedNumbers reports the line a number is on", () => {
  assert.deepEqual(typedNumbers("# Title\nweight 3 on small instances"), [
    { text: "3", line: "weight 3 on small instances" },
  ]);
});
