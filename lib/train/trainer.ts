// The training loop: seeded input pipeline → (data-parallel) Adam steps with a poly learning rate and warm-up →
// a JSONL record of every step and validation in runs/<name>/train.jsonl, periodic atomic checkpoints (also on
// SIGINT/SIGTERM/SIGHUP, when a wrapper such as npx ends, and at a time limit), resume that continues bit for bit, and
// a float16 export of the final model. A new run may start from a trained model's weights (config initialWeights), of
// another label set too.
// The run folder is locked while a training writes to it, and an existing run is only ever continued (--resume).
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { batches } from "../data/pipeline/pipeline.ts";
import { type DatasetSource, kittiSplitSource, openSource } from "../data/datasets/sources.ts";
import { classCropWeights, classPixelCounts } from "../data/pipeline/class_balance.ts";
import type { AugmentOptions } from "../data/pipeline/augment.ts";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { buildPanopticDeepLab, DEFAULT_MODEL_CONFIG } from "../model/panoptic_deeplab.ts";
import { type DatasetDescriptor, LABEL_SETS } from "../data/labels/descriptor.ts";
import { latestCheckpointPath } from "../model/checkpoint.ts";
import { loadPanopticModel, resolveModelDir } from "../model/load.ts";
import { carryWeights } from "../model/weight_transfer.ts";
import type { TrainConfig } from "./config.ts";
import { createTrainer } from "./data_parallel.ts";
import { readCopies } from "./local_trainer.ts";
import { exportFloat16 } from "./float16_export.ts";
import { panopticTaskSpec, toArrayBatch } from "./panoptic_task.ts";
import { learningRate } from "./schedule.ts";
import { LOCK_FILE, lockRun } from "./run_lock.ts";
import { onShutdownSignal } from "./signals.ts";
import type { Trainer } from "./train_task.ts";
import { evaluateModel, type ValidationSummary } from "../eval/loop.ts";

export interface TrainOptions {
  /** Folder holding one folder per run (default "runs"). */
  runsDir: string;
  /** Continue from the run's newest checkpoint (a folder that holds a run is refused without it). */
  resume: boolean;
  /** Stop (with a checkpoint) after this many minutes; null = no limit. */
  maxMinutes: number | null;
  /** Training replicas: 1 = this thread, N = N Deno workers. */
  workers: number;
  /** wasm threads of each Deno worker replica (default 1); this thread's backend is set up by the caller. */
  wasmThreads?: number;
  /** Receives one line per event (progress bars hook in here). */
  report: (event: TrainEvent) => void;
}

export type StepRecord = {
  type: "step";
  step: number;
  lr: number;
  gradNorm: number;
  imagesPerSecond: number;
  elapsedSeconds: number;
} & Record<string, number | string>;

export type ValidationRecord = { type: "validation"; step: number } & ValidationSummary;

export type TrainEvent =
  | StepRecord
  | ValidationRecord
  | { type: "checkpoint"; step: number; path: string }
  | { type: "validating"; step: number; done: number; total: number }
  /** `startedFrom`: a new run's initialWeights, and how they were carried. */
  | { type: "start"; step: number; steps: number; runDir: string; startedFrom?: string };

export interface TrainOutcome {
  runDir: string;
  step: number;
  stoppedBy: "steps" | "time" | "signal";
  validation: ValidationSummary | null;
}

export const RECORD_FILE = "train.jsonl";
export const CONFIG_FILE = "config.json";
export const CHECKPOINT_DIR = "checkpoints";
export const EXPORT_DIR = "model";

/** The augmentation of `c`; class crops weigh the classes by their pixel counts in the training split. */
async function augmentOptions(
  c: TrainConfig,
  source: DatasetSource,
  labels: DatasetDescriptor,
): Promise<AugmentOptions> {
  const [cropHeight, cropWidth] = c.crop;
  if (!c.augment) return { cropHeight, cropWidth, minScale: 1, maxScale: 1, flipProbability: 0, jitter: null };
  const a = c.augment;
  const { probability, power } = a.classCrop;
  return {
    cropHeight,
    cropWidth,
    minScale: a.minScale,
    maxScale: a.maxScale,
    scaleStep: a.scaleStep,
    flipProbability: a.flip ? 0.5 : 0,
    ...(a.jitter ? {} : { jitter: null }),
    ...(probability > 0
      ? {
        classCrop: {
          probability,
          classWeights: classCropWeights(
            await classPixelCounts(await openSource(source), labels.classes.length),
            power,
          ),
        },
      }
      : {}),
  };
}

/**
 * Keeps the record lines up to `step` (a resumed run rewrites what came after its checkpoint) and returns the
 * training time those kept steps took, so a resumed run's elapsedSeconds go on from there.
 */
function truncateRecords(path: string, step: number): number {
  if (!existsSync(path)) return 0;
  const kept = readFileSync(path, "utf8").split("\n").filter((l) => l.trim())
    .map((line) => ({ line, record: JSON.parse(line) as StepRecord | ValidationRecord }))
    .filter(({ record }) => record.step <= step);
  writeFileAtomic(path, kept.map(({ line }) => line + "\n").join(""));
  const steps = kept.map(({ record }) => record).filter((r): r is StepRecord => r.type === "step");
  return steps.at(-1)?.elapsedSeconds ?? 0;
}

/** Reads a run's JSONL record. */
export function readRecords(runDir: string): (StepRecord | ValidationRecord)[] {
  const path = join(runDir, RECORD_FILE);
  if (!existsSync(path)) throw new Error(`${path}: no training record`);
  return readFileSync(path, "utf8").split("\n").filter((l) => l.trim()).map((l, i) => {
    try {
      return JSON.parse(l);
    } catch {
      throw new Error(`${path}:${i + 1}: not a JSON line`);
    }
  });
}

async function validate(
  trainer: Trainer,
  evalModel: tfl.LayersModel,
  c: TrainConfig,
  step: number,
  report: TrainOptions["report"],
): Promise<ValidationRecord> {
  const weights = (await trainer.getWeights()).map((w, i) => tf.tensor(w, evalModel.weights[i].shape as number[]));
  evalModel.setWeights(weights);
  tf.dispose(weights);
  const { summary } = await evaluateModel(evalModel, {
    source: kittiSplitSource(c.data.root, c.data.valSplit, c.data.instanceDir),
    frames: c.validation.frames,
    scale: c.validation.scale,
    onFrame: (done, total) => report({ type: "validating", step, done, total }),
  });
  return { type: "validation", step, ...summary };
}

/**
 * Throws before anything is written when the run folder cannot be trained into as asked: a run to resume without a
 * checkpoint, or a new run into a folder that already holds one (records, checkpoints, model, evaluations).
 */
function checkRunFolder(runDir: string, options: TrainOptions): void {
  const checkpoints = join(runDir, CHECKPOINT_DIR);
  if (options.resume) {
    if (!latestCheckpointPath(checkpoints)) throw new Error(`${checkpoints}: no checkpoint to resume from`);
    return;
  }
  const held = existsSync(runDir) ? readdirSync(runDir).filter((n) => n !== LOCK_FILE && n !== CONFIG_FILE) : [];
  if (held.length) {
    throw new Error(
      `${runDir} already holds a run (${held.sort().join(", ")}); nothing was written. Continue it with --resume, ` +
        `or give the config another "name", or train into another folder of runs with --runs DIR`,
    );
  }
}

/**
 * Trains `c` into `<runsDir>/<name>/`, which it locks meanwhile. A new run needs a folder without records; a resumed
 * one continues from the newest complete checkpoint.
 */
export async function train(c: TrainConfig, options: TrainOptions): Promise<TrainOutcome> {
  const runDir = resolve(options.runsDir, c.name);
  if (!options.resume && c.initialWeights !== null) {
    try {
      resolveModelDir(c.initialWeights);
    } catch (e) {
      throw new Error(`initialWeights: ${(e as Error).message}`);
    }
  }
  checkRunFolder(runDir, options); // before the lock, so that a refused folder is left untouched
  const lock = lockRun(runDir);
  try {
    checkRunFolder(runDir, options); // again: another training may have written there meanwhile
    return await trainLocked(c, options, runDir);
  } finally {
    lock.release();
  }
}

/**
 * The weights of the trained model at `path` (see TrainConfig.initialWeights) carried into `like`'s layout, and a
 * line on what was carried: whole, or class by class into a semantic head of another label set.
 */
async function initialWeights(path: string, like: tfl.LayersModel): Promise<{ values: Float32Array[]; note: string }> {
  const loaded = await loadPanopticModel(path);
  try {
    const named = async (m: tfl.LayersModel) => {
      const values = await readCopies(m.weights.map((w) => w.read()));
      return m.weights.map((w, i) => ({ name: w.originalName, shape: w.shape as number[], values: values[i] }));
    };
    let carried;
    try {
      carried = carryWeights(await named(loaded.model), await named(like));
    } catch (e) {
      throw new Error(
        `initialWeights: ${loaded.modelDir} is another network than this configuration builds: ${(e as Error).message}`,
      );
    }
    const { labels } = carried;
    const note = labels === null ? path : `${path}, its ${labels.from.name} classes carried into ${labels.to.name}` +
      (labels.fresh.length ? ` (new: ${labels.fresh.join(", ")})` : "");
    return { values: carried.values, note };
  } finally {
    loaded.model.dispose();
  }
}

/**
 * A failed step's error, with what to change when the backend ran out of memory (tfjs-wasm's allocations past its
 * heap, at most 4 GB per replica, fail as "memory access out of bounds"); other errors as they are.
 */
export function explainStepFailure(e: unknown, c: TrainConfig, step: number, workers: number): unknown {
  const message = e instanceof Error ? e.message : String(e);
  if (!/memory access out of bounds|out of memory/i.test(message)) return e;
  const images = Math.min(c.microBatch, Math.ceil(c.batchSize / Math.max(1, workers)));
  return new Error(
    `step ${step + 1}: the backend most likely ran out of memory with ${images} crop(s) of ${c.crop.join("x")} ` +
      `per forward/backward pass (a wasm heap holds at most 4 GB): lower microBatch (${c.microBatch}) or crop in ` +
      `the config of ${c.name}\n${message}`,
  );
}

async function trainLocked(c: TrainConfig, options: TrainOptions, runDir: string): Promise<TrainOutcome> {
  const checkpoints = join(runDir, CHECKPOINT_DIR);
  const recordPath = join(runDir, RECORD_FILE);

  const labels = LABEL_SETS[c.model.labels ?? DEFAULT_MODEL_CONFIG.labels];
  const taskOptions = { model: c.model, loss: c.loss };
  const trainer = await createTrainer(
    panopticTaskSpec(taskOptions),
    { learningRate: c.learningRate },
    options.workers,
    c.microBatch,
    options.wasmThreads,
  );
  const evalModel = await buildPanopticDeepLab({ ...c.model, pretrained: false });
  const shutdown = onShutdownSignal(() => {}, { exit: false });
  try {
    let step = 0;
    let startedFrom: string | undefined;
    if (options.resume) {
      const state = await trainer.restore(checkpoints);
      if (!state) throw new Error(`${checkpoints}: no checkpoint to resume from`);
      step = state.step;
    } else if (c.initialWeights !== null) {
      const initial = await initialWeights(c.initialWeights, evalModel);
      await trainer.setWeights(initial.values);
      startedFrom = initial.note;
    }
    writeFileAtomic(join(runDir, CONFIG_FILE), JSON.stringify(c, null, 2) + "\n");
    const elapsedBefore = truncateRecords(recordPath, step);
    const append = (record: StepRecord | ValidationRecord) => {
      const line = JSON.stringify(record) + "\n";
      Deno.writeTextFileSync(recordPath, line, { append: true });
      options.report(record);
    };
    options.report({ type: "start", step, steps: c.steps, runDir, startedFrom });
    const save = async () => {
      const path = await trainer.save(checkpoints, { step, config: c }, c.checkpoint.keep);
      options.report({ type: "checkpoint", step, path });
    };
    const schedule = { baseLearningRate: c.learningRate, totalSteps: c.steps, warmupSteps: c.warmupSteps };
    const started = performance.now();
    let lastSave = started;
    let stoppedBy: TrainOutcome["stoppedBy"] = "steps";
    let validation: ValidationSummary | null = null;
    const source = kittiSplitSource(c.data.root, c.data.trainSplit, c.data.instanceDir, labels.name);
    const stream = batches({
      source,
      batchSize: c.batchSize,
      seed: c.seed,
      workers: c.pipelineWorkers,
      config: { augment: await augmentOptions(c, source, labels), targets: { thingIds: labels.thingIds } },
      skipSamples: step * c.batchSize,
    });
    let stepStart = performance.now();
    for await (const batch of stream) {
      if (step >= c.steps) break;
      const lr = learningRate(step, schedule);
      const { terms, gradNorm } = await trainer.step(toArrayBatch(batch), {
        learningRate: lr,
        weightDecay: c.weightDecay,
        clipNorm: c.clipNorm,
      }).catch((e) => {
        throw explainStepFailure(e, c, step, options.workers);
      });
      step++;
      const now = performance.now();
      append({
        type: "step",
        step,
        lr,
        ...terms,
        gradNorm,
        imagesPerSecond: batch.size / ((now - stepStart) / 1000),
        elapsedSeconds: elapsedBefore + (now - started) / 1000,
      });
      if (c.validation.everySteps > 0 && step % c.validation.everySteps === 0 && step < c.steps) {
        const record = await validate(trainer, evalModel, c, step, options.report);
        validation = record;
        append(record);
      }
      const outOfTime = options.maxMinutes !== null && now - started >= options.maxMinutes * 60_000;
      if (shutdown.signal || outOfTime) {
        stoppedBy = shutdown.signal ? "signal" : "time";
        break;
      }
      if (now - lastSave >= c.checkpoint.everyMinutes * 60_000) {
        await save();
        lastSave = performance.now();
      }
      stepStart = performance.now();
    }
    await save();
    if (stoppedBy === "steps" && step >= c.steps) {
      const record = await validate(trainer, evalModel, c, step, options.report);
      validation = record;
      append(record);
      await exportFloat16(evalModel, join(runDir, EXPORT_DIR));
    }
    return { runDir, step, stoppedBy, validation };
  } finally {
    shutdown.dispose();
    evalModel.dispose();
    await trainer.dispose();
  }
}
