import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPanopticDeepLab, DEFAULT_MODEL_CONFIG } from "../../lib/model/panoptic_deeplab.ts";
import { summarizeModel } from "../../lib/model/summary.ts";
import { initBackend } from "../../lib/runtime/backend.ts";
import { DEFAULT_TRAIN_CONFIG } from "../../lib/train/config.ts";
import { benchModelConfig, trainStepConfig, trainStepSection } from "./train_step.ts";
import type { TrainStepData } from "./train_step.ts";

await initBackend();

const defaults = Object.fromEntries(Object.entries(trainStepSection.flags).map(([k, v]) => [k, v.default]));

Deno.test("train-step defaults are training's setting and model; bad flags name the flag", () => {
  const c = trainStepConfig(defaults);
  const t = DEFAULT_TRAIN_CONFIG;
  assert.deepEqual([c.height, c.width, c.batch, c.microBatch], [...t.crop, t.batchSize, t.microBatch]);
  assert.deepEqual([c.learningRate, c.pretrained, c.workers, c.torchThreads], [t.learningRate, true, 2, 2]);
  assert.deepEqual([c.frameHeight, c.frameWidth], [375, 1242]);
  assert.deepEqual(benchModelConfig(c), { ...DEFAULT_MODEL_CONFIG, ...t.model });
  const v3k5 = trainStepConfig({
    ...defaults,
    encoder: "mobilenet_v3_coco",
    "decoder-kernel": "5",
    "random-init": true,
  });
  assert.deepEqual(benchModelConfig(v3k5), {
    ...DEFAULT_MODEL_CONFIG,
    encoder: "mobilenet_v3_coco",
    decoderKernel: 5,
    pretrained: false,
  });
  assert.throws(() => trainStepConfig({ ...defaults, height: "100" }), /multiples of 16, got 100x512/);
  assert.throws(() => trainStepConfig({ ...defaults, steps: "0" }), /--steps must be an integer ≥ 1, got 0/);
  assert.throws(() => trainStepConfig({ ...defaults, lr: "x" }), /--lr must be a positive number/);
  assert.throws(
    () => trainStepConfig({ ...defaults, "decoder-kernel": "4" }),
    /--decoder-kernel must be 3 or 5, got 4/,
  );
  assert.throws(() => trainStepConfig({ ...defaults, encoder: "resnet" }), /--encoder must be one of mobilenet_v2, /);
});

Deno.test("deno task bench at a tiny size times the trained model: tfjs 1 thread, 2 threads, 2 workers, PyTorch", async () => {
  const out = mkdtempSync(join(tmpdir(), "bench-"));
  try {
    const cli = fileURLToPath(new URL("../tasks/bench.ts", import.meta.url));
    const args = [
      "run",
      "-A",
      cli,
      "--section",
      "train-step",
      "--height",
      "32",
      "--width",
      "64",
      "--batch",
      "2",
      "--micro-batch",
      "1",
      "--warmup",
      "1",
      "--steps",
      "2",
      "--decoder-kernel",
      "5",
      "--frame-height",
      "40",
      "--frame-width",
      "60",
    ];
    const run = await new Deno.Command(Deno.execPath(), {
      args: [...args, "--workers", "2", "--threads", "2", "--random-init", "--out", out],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(run.stdout);
    assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
    assert.match(
      stdout,
      /\| setting \| forward ms \| forward GFLOP\/s \| train step ms \| images\/s \| cores used \(step\) \| peak RSS MB \| frame ms \(60x40\) \| frame GFLOP\/s \|/,
    );
    assert.match(stdout, /Methodology:\n- network: the default training config's Panoptic-DeepLab/);
    assert.match(stdout, /5x5 depthwise-separable fusion/);
    const files = readdirSync(out);
    assert.equal(files.length, 1);
    assert.match(files[0], /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-train-step\.json$/);
    const record = JSON.parse(readFileSync(join(out, files[0]), "utf8")) as { data: TrainStepData };
    const d = record.data;
    assert.deepEqual([d.config.height, d.config.width, d.config.batch, d.config.microBatch], [32, 64, 2, 1]);
    assert.deepEqual(d.model, {
      ...DEFAULT_MODEL_CONFIG,
      ...DEFAULT_TRAIN_CONFIG.model,
      decoderKernel: 5,
      pretrained: false,
    });
    // The network timed is the one training builds: its parameters and FLOPs, at the batch's and the frame's size.
    const summary = async (h: number, w: number) => {
      const model = await buildPanopticDeepLab(d.model, [h, w]);
      const s = summarizeModel(model);
      model.dispose();
      return s;
    };
    const atBatch = await summary(32, 64);
    assert.equal(d.trainableParameters, atBatch.trainableParams);
    assert.ok(Math.abs(d.forwardGflop - (2 * atBatch.flops) / 1e9) < 1e-12, `forward GFLOP ${d.forwardGflop}`);
    assert.deepEqual([d.inference.frame, d.inference.padded], [[40, 60], [48, 64]]);
    assert.ok(Math.abs(d.inference.gflop - (await summary(48, 64)).flops / 1e9) < 1e-12);
    assert.ok(d.tfjs.forward.medianMs > 0 && d.tfjs.step.medianMs > 0 && d.tfjs.peakRssMb > 0);
    assert.deepEqual([d.tfjs.forward, d.tfjs.step, d.tfjs.inference].map((t) => t.runsMs.length), [2, 2, 2]);
    assert.equal(d.tfjs.tensorsAfterStep.length, 2);
    assert.equal(new Set(d.tfjs.tensorsAfterStep).size, 1, `tensor count changed: ${d.tfjs.tensorsAfterStep}`);
    assert.ok(Math.abs(d.tfjs.imagesPerSecond - 2000 / d.tfjs.step.medianMs) < 1e-9);
    assert.equal(d.threaded?.threads, 2);
    assert.deepEqual([d.threaded!.forward, d.threaded!.step, d.threaded!.inference].map((t) => t.runsMs.length), [
      2,
      2,
      2,
    ]);
    assert.equal(d.dataParallel?.workers, 2);
    assert.ok(Math.abs(d.dataParallel!.speedup - d.dataParallel!.imagesPerSecond / d.tfjs.imagesPerSecond) < 1e-9);
    if ("stepMs" in d.torch) {
      assert.equal(d.torch.trainableParameters, d.trainableParameters, "PyTorch peer is not the same network");
      assert.ok(Math.abs(d.ratios!.step - d.tfjs.step.medianMs / d.torch.stepMs) < 1e-9);
      assert.ok(Math.abs(d.ratios!.inference - d.tfjs.inference.medianMs / d.torch.inferMs) < 1e-9);
      assert.ok(Math.abs(d.ratios!.threadedStep! - d.threaded!.step.medianMs / d.torch.stepMs) < 1e-9);
      assert.equal(d.torch.stepRunsMs.length, 2, "one PyTorch step per round");
      assert.equal(d.torch.forwardRunsMs.length, 2, "one PyTorch forward pass per round");
      assert.equal(d.torch.inferRunsMs.length, 2, "one PyTorch inference frame per round");
      assert.match(stdout, /\| ratio tfjs 2 threads \/ PyTorch \|/);
    } else {
      assert.match(d.torch.skipped, /cannot import torch/);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
