// Executes every notebook headless in fast mode (PANOPTIC_FAST=1): a cell that throws fails its test.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { tmpdir } from "node:os";
import { executeNotebook, reportNotebooks } from "../tools/report/notebooks.ts";
import { PROJECT_ROOT } from "../lib/io/project.ts";

interface Notebook {
  cells: {
    cell_type: string;
    source: string[] | string;
    outputs?: unknown[];
    metadata?: Record<string, unknown>;
    execution_count?: number | null;
  }[];
  metadata: Record<string, unknown>;
}

const KERNEL_METADATA = {
  kernelspec: { name: "deno", display_name: "Deno", language: "typescript" },
  language_info: { name: "typescript" },
};

/** Text each notebook's outputs must contain, beyond running without error. */
const EXPECTED_OUTPUT: Record<string, RegExp[]> = {
  "report.ipynb": [
    /tfjs backend/,
    /acdc_train/,
    /1242x375/,
    /GFLOPs per image/,
    /Pseudo instance labels/,
    /measure/,
    /Cityscapes \(gtFine\)/,
    /kMaX-DeepLab/,
    /Noise: the reference's repeat/,
    /runs\/[\w-]+`: step \d+ of \d+/,
  ],
  "01-data.ipynb": [
    /agree on every class/,
    /target option/,
    /images\/s/,
    /image\/png/,
    /Against true instances/,
    /Coverage on KITTI/,
  ],
  "02-model.ipynb": [/encoder, stride 16/, /GFLOPs/, /forward pass in/, /image\/png/],
  "03-training.ipynb": [/panopticLoss/, /✓/, /image\/svg\+xml/, /steps\*\* of batch 2/, /loss parts per step/],
  "04-evaluation.ipynb": [
    /Ideal heads/,
    /IoU \(semanticResult\)/,
    /AP50/,
    /frames\*\* \(/,
    /Error colours/,
    /image\/png/,
  ],
  "05-ika.ipynb": [
    /Data: (the KITTI stand-in|ika's own validation data)/,
    /Reduction trainId → ika-12/,
    /ika-12 mIoU/,
    /ika's U-Net with augmentation/,
    /image\/svg\+xml/,
    /image\/png/,
  ],
};

for (const notebook of reportNotebooks(PROJECT_ROOT)) {
  Deno.test(`notebook ${basename(notebook)} executes in fast mode and shows its results`, async () => {
    const out = await executeNotebook(notebook, {
      outputDir: mkdtempSync(join(tmpdir(), "nb-")),
      format: "notebook",
      env: { PANOPTIC_FAST: "1" },
      cellTimeout: 900,
    });
    const executed = JSON.parse(readFileSync(out, "utf8")) as Notebook;
    const outputs = JSON.stringify(executed.cells.flatMap((c) => c.outputs ?? []));
    assert.ok(executed.cells.some((c) => c.outputs?.length), "no cell produced output");
    for (const pattern of EXPECTED_OUTPUT[basename(notebook)] ?? []) {
      assert.match(outputs, pattern, `${basename(notebook)}: outputs lack ${pattern}`);
    }
  });
}

Deno.test("a notebook cell that throws fails the execution", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nb-"));
  const path = join(dir, "throws.ipynb");
  const nb: Notebook = {
    cells: [{
      cell_type: "code",
      source: ['throw new Error("deliberate failure")'],
      outputs: [],
      metadata: {},
      execution_count: null,
    }],
    metadata: KERNEL_METADATA,
  };
  writeFileSync(path, JSON.stringify({ ...nb, nbformat: 4, nbformat_minor: 5 }));
  await assert.rejects(
    executeNotebook(path, { outputDir: dir, format: "notebook", cellTimeout: 120 }),
    /throws\.ipynb failed[\s\S]*deliberate failure/,
  );
});
