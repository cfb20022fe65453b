// Training end to end on tiny inputs: overfitting one batch, bit-exact resume, and the record/exports a run leaves.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { initBackend } from "../lib/runtime/backend.ts";
import { batches } from "../lib/data/pipeline/pipeline.ts";
import { DEFAULT_TRAIN_CONFIG, type TrainConfig, validateConfig } from "../lib/train/config.ts";
import { LocalTrainer } from "../lib/train/local_trainer.ts";
import { createPanopticTask, toArrayBatch } from "../lib/train/panoptic_task.ts";
import {
  CHECKPOINT_DIR,
  explainStepFailure,
  EXPORT_DIR,
  readRecords,
  type StepRecord,
  train,
  type TrainEvent,
  type ValidationRecord,
} from "../lib/train/trainer.ts";
import { PROJECT_ROOT } from "../lib/io/project.ts";
import { loadPanopticModel } from "../lib/model/load.ts";
import { TINY_TRAINING } from "./testing/tiny_training.ts";
import { TRAIN_ID_TO_ACDC30 } from "../lib/data/labels/acdc_labels.ts";

await initBackend({ force: "wasm", log: () => {} });
const KITTI = join(PROJECT_ROOT, "data", "kitti");
const INSTANCES = join(PROJECT_ROOT, "data", "kitti-instances");

function tinyConfig(name: string, overrides: Partial<TrainConfig> = {}): TrainConfig {
  return validateConfig({
    ...DEFAULT_TRAIN_CONFIG,
    name,
    data: { ...DEFAULT_TRAIN_CONFIG.data, root: KITTI, instanceDir: INSTANCES },
    ...TINY_TRAINING,
    batchSize: 2,
    microBatch: 2,
    steps: 2,
    ...overrides,
  }, name);
}

Deno.test("the panoptic model overfits one KITTI batch: total loss falls by at least 80 %, no tensor leak", async () => {
  const task = await createPanopticTask({ model: { pretrained: true }, loss: DEFAULT_TRAIN_CONFIG.loss });
  const trainer = new LocalTrainer(task, { learningRate: 2e-3 });
  const stream = batches({
    source: { kind: "kitti", root: KITTI, split: "acdc_train", options: { instanceDir: INSTANCES } },
    batchSize: 2,
    seed: 5,
    workers: 0,
    config: { augment: { cropHeight: 64, cropWidth: 128, minScale: 0.5, maxScale: 0.5 } },
  });
  const batch = toArrayBatch((await stream.next()).value!);
  await stream.return(undefined);
  assert.ok(batch.targets.offsetWeights.data.some((v) => v > 0), "the batch has instance targets");
  const first = (await trainer.step(batch, { clipNorm: 10 })).terms.total;
  const tensors = tf.memory().numTensors;
  let last = first;
  for (let i = 0; i < 80; i++) {
    last = (await trainer.step(batch, { clipNorm: 10 })).terms.total;
    assert.equal(tf.memory().numTensors, tensors, `tensor count changed at step ${i + 2}`);
  }
  assert.ok(last <= 0.2 * first, `loss ${first.toFixed(3)} → ${last.toFixed(3)}`);
  await trainer.dispose();
});

Deno.test("2 steps straight equal 1 step + stop + resume + 1 step, bit for bit; the run leaves its record", async () => {
  const runs = mkdtempSync(join(tmpdir(), "runs-"));
  const quiet = { runsDir: runs, workers: 1, report: () => {} };
  const straight = await train(tinyConfig("straight"), { ...quiet, resume: false, maxMinutes: null });
  assert.equal(straight.stoppedBy, "steps");
  const stopped = await train(tinyConfig("resumed"), { ...quiet, resume: false, maxMinutes: 1e-9 });
  assert.deepEqual([stopped.stoppedBy, stopped.step], ["time", 1]);
  await assert.rejects(
    train(tinyConfig("resumed"), { ...quiet, resume: false, maxMinutes: null }),
    /already holds a run \(checkpoints, train\.jsonl\); nothing was written\. Continue it with --resume/,
  );
  const resumed = await train(tinyConfig("resumed"), { ...quiet, resume: true, maxMinutes: null });
  assert.deepEqual([resumed.stoppedBy, resumed.step], ["steps", 2]);
  const weights = (run: string) => readFileSync(join(runs, run, CHECKPOINT_DIR, "step-2", "weights.bin"));
  assert.ok(weights("straight").equals(weights("resumed")), "weights differ after resuming");
  const records = readRecords(join(runs, "resumed"));
  assert.deepEqual(records.map((r) => `${r.type}@${r.step}`), ["step@1", "step@2", "validation@2"]);
  const validation = records[2] as ValidationRecord;
  for (const key of ["miou", "miouAcdc30", "miouIka12", "pq", "ap"] as const) {
    assert.ok(Number.isFinite(validation[key]) && validation[key]! >= 0 && validation[key]! <= 1, key);
  }
  const straightRecords = readRecords(join(runs, "straight"));
  assert.equal((records[1] as StepRecord).total, (straightRecords[1] as StepRecord).total);
  const [first, second] = [records[0] as StepRecord, records[1] as StepRecord];
  assert.ok(
    second.elapsedSeconds > first.elapsedSeconds,
    "the resumed run's training time goes on from the checkpoint",
  );
  assert.ok(existsSync(join(runs, "resumed", EXPORT_DIR, "model.json")));
});

Deno.test("initialWeights starts a new run from a trained model; a missing or different model is refused first", async () => {
  const runs = mkdtempSync(join(tmpdir(), "runs-"));
  const quiet = { runsDir: runs, workers: 1, report: () => {}, resume: false, maxMinutes: null };
  await train(tinyConfig("source"), quiet);
  // Each run's exported weights by name.
  const weights = async (run: string) => {
    const { model } = await loadPanopticModel(join(runs, run));
    const named = new Map(model.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
    model.dispose();
    return named;
  };
  // The largest difference between two runs' exported weights, over the weights `a` has that `keep` keeps.
  const difference = async (a: string, b: string, keep = (_name: string) => true) => {
    const [x, y] = await Promise.all([weights(a), weights(b)]);
    const kept = [...x].filter(([name]) => keep(name));
    return Math.max(...kept.map(([name, w]) => Math.max(...w.map((v, j) => Math.abs(v - y.get(name)![j])))));
  };
  // A rate too small to move a float16-exported weight: the export equals the one the run started from.
  const still = { steps: 1, warmupSteps: 0, learningRate: 1e-12 };
  const reported: TrainEvent[] = [];
  const from = join(runs, "source");
  await train(tinyConfig("tuned", { ...still, initialWeights: from }), { ...quiet, report: (e) => reported.push(e) });
  assert.equal(await difference("tuned", "source"), 0, "the tuned run did not start from the source's weights");
  assert.deepEqual(reported.find((e) => e.type === "start"), {
    type: "start",
    step: 0,
    steps: 1,
    runDir: join(runs, "tuned"),
    startedFrom: from,
  });
  await train(tinyConfig("fresh", still), quiet);
  assert.ok(await difference("fresh", "source") > 0, "a run without initialWeights starts elsewhere");

  // Into a head of ACDC-30's classes: each trainId's channel is carried, every other weight whole.
  reported.length = 0;
  const acdc30 = { ...DEFAULT_TRAIN_CONFIG.model, labels: "acdc30" as const };
  await train(tinyConfig("more-classes", { ...still, initialWeights: from, model: acdc30 }), {
    ...quiet,
    report: (e) => reported.push(e),
  });
  const outsideHead = (name: string) => !name.startsWith("semantic_logits/");
  assert.equal(await difference("source", "more-classes", outsideHead), 0);
  const [source, tuned] = await Promise.all([weights("source"), weights("more-classes")]);
  const [kernel19, kernel30] = [source.get("semantic_logits/kernel")!, tuned.get("semantic_logits/kernel")!];
  assert.equal(kernel30.length, (kernel19.length / 19) * 30);
  for (let r = 0; r < kernel19.length / 19; r++) {
    for (let t = 0; t < 19; t++) assert.equal(kernel30[r * 30 + TRAIN_ID_TO_ACDC30[t]], kernel19[r * 19 + t]);
  }
  const start = reported.find((e) => e.type === "start");
  assert.match(
    start?.type === "start" ? start.startedFrom ?? "" : "",
    /source, its cityscapes19 classes carried into acdc30 \(new: parking, rail track, .*, none\)$/,
  );

  await assert.rejects(
    train(tinyConfig("missing", { initialWeights: join(runs, "nowhere") }), quiet),
    /initialWeights: .*nowhere: no such checkpoint or model folder/,
  );
  assert.ok(!existsSync(join(runs, "missing")));
  const other = tinyConfig("other", {
    initialWeights: from,
    model: { ...DEFAULT_TRAIN_CONFIG.model, decoderKernel: 5 },
  });
  await assert.rejects(
    train(other, quiet),
    /initialWeights: .*source.* is another network than this configuration builds: its weight \S+ 3x3x\d+x1 is \S+ 5x5/,
  );
  assert.deepEqual(readdirSync(join(runs, "other")), []);
  rmSync(runs, { recursive: true });
});

Deno.test("a run folder holding only records is refused without --resume and left byte for byte as it was", async () => {
  const runs = mkdtempSync(join(tmpdir(), "runs-"));
  const run = join(runs, "kept");
  mkdirSync(run);
  const record = '{"type":"step","step":1,"total":3}\n'.repeat(500);
  writeFileSync(join(run, "train.jsonl"), record);
  const quiet = { runsDir: runs, workers: 1, report: () => {}, maxMinutes: null };
  await assert.rejects(
    train(tinyConfig("kept"), { ...quiet, resume: false }),
    new RegExp(
      `${run} already holds a run \\(train\\.jsonl\\); nothing was written\\. Continue it with --resume, or ` +
        `give the config another "name", or train into another folder of runs with --runs DIR`,
    ),
  );
  await assert.rejects(train(tinyConfig("kept"), { ...quiet, resume: true }), /checkpoints: no checkpoint to resume/);
  assert.equal(readFileSync(join(run, "train.jsonl"), "utf8"), record);
  assert.deepEqual(readdirSync(run), ["train.jsonl"]);
  rmSync(runs, { recursive: true });
});

Deno.test("a run folder is locked while a training writes to it; a lock whose process ended is taken over", async () => {
  const runs = mkdtempSync(join(tmpdir(), "runs-"));
  const run = join(runs, "locked");
  mkdirSync(run);
  const other = new Deno.Command("sleep", { args: ["60"] }).spawn();
  writeFileSync(join(run, "train.lock"), `${other.pid}\n`);
  const quiet = { runsDir: runs, workers: 1, report: () => {}, maxMinutes: null, resume: false };
  try {
    await assert.rejects(
      train(tinyConfig("locked"), quiet),
      new RegExp(`${run} is in use: the training with pid ${other.pid} writes to it`),
    );
    assert.deepEqual(readdirSync(run), ["train.lock"]);
  } finally {
    other.kill("SIGKILL");
    await other.status;
  }
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (message: string) => warnings.push(message);
  try {
    assert.equal((await train(tinyConfig("locked"), quiet)).stoppedBy, "steps");
  } finally {
    console.warn = warn;
  }
  assert.match(
    warnings.join("\n"),
    new RegExp(`train\\.lock: taking over the lock of pid ${other.pid}, which has ended`),
  );
  assert.ok(!existsSync(join(run, "train.lock")), "the lock is released at the end");
  rmSync(runs, { recursive: true });
});

Deno.test("a step that runs out of wasm memory says how many crops of which size each pass took and what to lower", () => {
  const c: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, name: "big", crop: [368, 1248], batchSize: 4, microBatch: 2 };
  const oom = new Error("data-parallel worker 0: RuntimeError: memory access out of bounds");
  const message = (explainStepFailure(oom, c, 0, 4) as Error).message;
  assert.match(
    message,
    /^step 1: the backend most likely ran out of memory with 1 crop\(s\) of 368x1248 per forward\/backward/,
  );
  assert.match(message, /lower microBatch \(2\) or crop in the config of big\n.*memory access out of bounds$/);
  assert.match((explainStepFailure(oom, c, 9, 1) as Error).message, /^step 10: .* with 2 crop/);
  const other = new Error("frame 3: label file missing");
  assert.equal(explainStepFailure(other, c, 0, 1), other);
});
