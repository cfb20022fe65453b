import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { trainStepConfig, trainStepSection } from "./train_step.ts";
import type { TrainStepData } from "./train_step.ts";

const defaults = Object.fromEntries(Object.entries(trainStepSection.flags).map(([k, v]) => [k, v.default]));

Deno.test("train-step defaults are the issue's setting; bad flags name the flag", () => {
  const c = trainStepConfig(defaults);
  assert.deepEqual([c.height, c.width, c.batch, c.workers, c.torchThreads, c.pretrained], [256, 512, 4, 2, 2, true]);
  assert.throws(() => trainStepConfig({ ...defaults, height: "100" }), /multiples of 16, got 100x512/);
  assert.throws(() => trainStepConfig({ ...defaults, steps: "0" }), /--steps must be an integer ≥ 1, got 0/);
  assert.throws(() => trainStepConfig({ ...defaults, lr: "x" }), /--lr must be a positive number/);
});

Deno.test("deno task bench at a tiny size writes a train-step record with tfjs, 2-worker and PyTorch figures", async () => {
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
      "48",
      "--batch",
      "2",
      "--warmup",
      "1",
      "--steps",
      "2",
    ];
    const run = await new Deno.Command(Deno.execPath(), {
      args: [...args, "--workers", "2", "--random-init", "--out", out],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(run.stdout);
    assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
    assert.match(
      stdout,
      /\| setting \| forward ms \| forward GFLOP\/s \| train step ms \| images\/s \| cores used \(step\) \| peak RSS MB \|/,
    );
    assert.match(stdout, /Methodology:\n- network: MobileNetV2/);
    const files = readdirSync(out);
    assert.equal(files.length, 1);
    assert.match(files[0], /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-train-step\.json$/);
    const record = JSON.parse(readFileSync(join(out, files[0]), "utf8")) as { data: TrainStepData };
    const d = record.data;
    assert.deepEqual([d.config.height, d.config.width, d.config.batch], [32, 48, 2]);
    assert.ok(d.tfjs.forward.medianMs > 0 && d.tfjs.step.medianMs > 0 && d.tfjs.peakRssMb > 0);
    assert.equal(d.tfjs.step.runsMs.length, 2);
    // At least the decoder's 3x3 fuse convolution (160 → 128 channels at stride 4) of both images.
    const fuseGflop = (2 * 2 * (32 / 4) * (48 / 4) * 9 * 160 * 128) / 1e9;
    assert.ok(d.forwardGflop > fuseGflop && d.forwardGflop < 3 * fuseGflop, `forward GFLOP ${d.forwardGflop}`);
    assert.equal(new Set(d.tfjs.tensorsAfterStep).size, 1, `tensor count changed: ${d.tfjs.tensorsAfterStep}`);
    assert.ok(Math.abs(d.tfjs.imagesPerSecond - 2000 / d.tfjs.step.medianMs) < 1e-9);
    assert.equal(d.dataParallel?.workers, 2);
    assert.ok(Math.abs(d.dataParallel!.speedup - d.dataParallel!.imagesPerSecond / d.tfjs.imagesPerSecond) < 1e-9);
    if ("stepMs" in d.torch) {
      assert.equal(d.torch.trainableParameters, d.trainableParameters, "PyTorch peer is not the same network");
      assert.ok(Math.abs(d.ratios!.step - d.tfjs.step.medianMs / d.torch.stepMs) < 1e-9);
      assert.equal(d.torch.stepRunsMs.length, 2, "one PyTorch step per round");
      assert.equal(d.torch.forwardRunsMs.length, 2, "one PyTorch forward pass per round");
    } else {
      assert.match(d.torch.skipped, /cannot import torch/);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
