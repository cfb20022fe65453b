import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../runtime/backend.ts";
import { saveCheckpoint } from "./checkpoint.ts";
import { exportFloat16 } from "../train/float16_export.ts";
import { loadPanopticModel, resolveModelDir } from "./load.ts";
import { PROJECT_ROOT } from "../io/project.ts";

await initBackend({ force: "wasm", log: () => {} });

/** A tiny stand-in with `outputs` 1x1-conv heads on the input (the loader only checks the head count). */
function tinyModel(outputs = 3): tfl.LayersModel {
  const input = tfl.input({ shape: [null, null, 3] });
  const heads = [19, 1, 2].slice(0, outputs).map((filters, i) =>
    tfl.layers.conv2d({
      filters,
      kernelSize: 1,
      kernelInitializer: tfl.initializers.constant({ value: 0.25 * (i + 1) }),
    })
      .apply(input) as tfl.SymbolicTensor
  );
  return tfl.model({ inputs: input, outputs: heads });
}

function firstKernel(model: tfl.LayersModel): number {
  return (model.weights[0].read().dataSync() as Float32Array)[0];
}

Deno.test("loadPanopticModel: run folder, its model/, a checkpoint step folder and a run without export", async () => {
  const runs = mkdtempSync(join(tmpdir(), "load-test-"));
  try {
    const run = join(runs, "r");
    const model = tinyModel();
    const optimizer = tf.train.adam(1e-3);
    await saveCheckpoint(join(run, "checkpoints"), { model, optimizer, step: 3 });
    writeFileSync(join(run, "train.jsonl"), '{"type":"step","step":5}\n{"type":"validation","step":6}\n{"cut');
    const unexported = await loadPanopticModel(run);
    assert.equal(unexported.modelDir, join(run, "checkpoints", "step-3"));
    assert.deepEqual([unexported.step, unexported.runDir], [3, run]);
    unexported.model.dispose();

    await exportFloat16(model, join(run, "model"));
    const fromRun = await loadPanopticModel(run);
    assert.equal(fromRun.modelDir, join(run, "model"));
    assert.deepEqual([fromRun.step, fromRun.runDir], [6, run], "step from the record's last complete line");
    assert.equal(fromRun.model.outputs.length, 3);
    assert.equal(firstKernel(fromRun.model), 0.25, "float16 weights expand back");
    fromRun.model.dispose();

    const step = await loadPanopticModel(join(run, "checkpoints", "step-3"));
    assert.deepEqual([step.step, step.runDir], [3, run]);
    step.model.dispose();
    assert.equal(resolveModelDir(join(run, "checkpoints")), join(run, "checkpoints", "step-3"));
    model.dispose();
    optimizer.dispose();
  } finally {
    rmSync(runs, { recursive: true, force: true });
  }
});

Deno.test("loadPanopticModel: clear errors for a missing path, an empty folder and a model without three heads", async () => {
  const dir = mkdtempSync(join(tmpdir(), "load-test-"));
  try {
    await assert.rejects(loadPanopticModel(join(dir, "nope")), /nope: no such checkpoint or model folder/);
    mkdirSync(join(dir, "empty"));
    await assert.rejects(loadPanopticModel(join(dir, "empty")), /empty: nothing loadable \(looked for model\.json/);
    const two = tinyModel(2);
    await exportFloat16(two, join(dir, "two"));
    two.dispose();
    await assert.rejects(
      loadPanopticModel(join(dir, "two")),
      /two\/model\.json: has 2 outputs, a panoptic model has 3/,
    );
    writeFileSync(join(dir, "empty", "model.json"), "{");
    await assert.rejects(loadPanopticModel(join(dir, "empty")), /empty\/model\.json: cannot load the model/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("loadPanopticModel: a model of either encoder loads in a process that imports the loader only", async () => {
  // The custom layers must register through load.ts itself, not through the training code that built the model
  // (this test file's own imports would hide a missing registration, so the load runs in a fresh process).
  const script = [
    `import { initBackend } from "${import.meta.resolve("../runtime/backend.ts")}";`,
    `import { loadPanopticModel } from "${import.meta.resolve("./load.ts")}";`,
    `await initBackend({ force: "cpu", log: () => {} });`,
    `for (const run of Deno.args) console.log(run, (await loadPanopticModel(run)).model.layers.length);`,
  ].join("\n");
  const runs = ["runs/final", "runs/compare-mobilenet-v3-coco"].map((r) => join(PROJECT_ROOT, r));
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", script, ...runs],
    cwd: PROJECT_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, text);
  assert.deepEqual(text.trim().split("\n").map((l) => l.split(" ")[0]), runs, text);
});
