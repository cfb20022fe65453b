// Training checkpoints: the tfjs layers model (model.json + weights.bin), the optimizer state, the step and the
// trainer's JSON state, written into <dir>/tmp-…/ and renamed to <dir>/step-<N>/, then <dir>/latest is replaced
// atomically; the newest K are kept. A browser loads a checkpoint with tf.loadLayersModel("<url>/step-N/model.json").
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";

const MODEL_JSON = "model.json";
const WEIGHTS_BIN = "weights.bin";
const OPTIMIZER_JSON = "optimizer.json";
const OPTIMIZER_BIN = "optimizer.bin";
const STATE_JSON = "state.json";
const LATEST = "latest";
const STEP_DIR = /^step-(\d+)$/;

/**
 * Private scalar variables of tfjs optimizers that getWeights() leaves out. Adam's setWeights recomputes its
 * β-power accumulators as pow(β, t+1), which differs in the last bits from the product it keeps while training,
 * so they are saved too: resuming then continues bit for bit.
 */
const HIDDEN_OPTIMIZER_SCALARS = ["accBeta1", "accBeta2"] as const;

export interface CheckpointInput {
  model: tfl.LayersModel;
  optimizer: tf.Optimizer;
  /** Number of updates applied so far. */
  step: number;
  /** The training configuration (any JSON value). */
  config?: unknown;
  /** Random generator state (any JSON value), so a resumed run draws the same batches. */
  rng?: unknown;
}

export interface LoadedCheckpoint {
  /** Folder of the checkpoint (`<dir>/step-<N>`). */
  path: string;
  step: number;
  config: unknown;
  rng: unknown;
  model: tfl.LayersModel;
}

interface OptimizerFile {
  className: string;
  config: unknown;
  /** Names of the saved optimizer fields restored besides getWeights(). */
  hidden: string[];
  weightSpecs: tf.io.WeightsManifestEntry[];
}

/** An IOHandler reading and writing a layers model as `model.json` + `weights.bin` in `dir`. */
export function layersModelFiles(dir: string): tf.io.IOHandler {
  return {
    save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error(`checkpoint.ts: ${dir}: binary model topologies are not supported`);
      }
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, WEIGHTS_BIN), new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)));
      writeFileSync(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return Promise.resolve({ modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) });
    },
    load(): Promise<tf.io.ModelArtifacts> {
      const modelJson = readJson(join(dir, MODEL_JSON)) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = manifest.flatMap((group) => group.paths.map((p) => readBuffer(join(dir, p))));
        return Promise.resolve([specs, buffers]);
      });
    },
  };
}

/** Saves queued per folder, so a save requested by a signal handler waits for a periodic one in flight. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Writes a checkpoint to `<dir>/step-<step>/` (replacing one of the same step), points `<dir>/latest` at it and
 * deletes all but the newest `keep` step folders up to it (see pruneSteps) and any temp folder a killed save left.
 * Returns the folder.
 */
export async function saveCheckpoint(dir: string, input: CheckpointInput, keep = 3): Promise<string> {
  if (!Number.isInteger(input.step) || input.step < 0) {
    throw new Error(`checkpoint.ts: step ${input.step} is not a whole number ≥ 0 (saving into ${dir})`);
  }
  if (!(Number.isInteger(keep) && keep >= 1)) throw new Error(`checkpoint.ts: keep ${keep} must be ≥ 1`);
  const run = (queues.get(dir) ?? Promise.resolve()).catch(() => {}).then(() => writeCheckpoint(dir, input, keep));
  queues.set(dir, run);
  return await run;
}

async function writeCheckpoint(dir: string, input: CheckpointInput, keep: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  removeTempFolders(dir);
  const tmp = join(dir, `tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`);
  mkdirSync(tmp);
  try {
    await input.model.save(layersModelFiles(tmp));
    const { file, data } = await optimizerState(input.optimizer);
    writeFileSync(join(tmp, OPTIMIZER_BIN), new Uint8Array(data));
    writeFileSync(join(tmp, OPTIMIZER_JSON), JSON.stringify(file));
    const state = { step: input.step, config: input.config ?? null, rng: input.rng ?? null };
    writeFileSync(join(tmp, STATE_JSON), JSON.stringify(state));
    const name = `step-${input.step}`;
    const final = join(dir, name);
    if (existsSync(final)) renameSync(final, `${tmp}-replaced`);
    renameSync(tmp, final);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  writeFileAtomic(join(dir, LATEST), `step-${input.step}\n`);
  removeTempFolders(dir);
  pruneSteps(dir, keep, input.step);
  return join(dir, `step-${input.step}`);
}

async function optimizerState(optimizer: tf.Optimizer): Promise<{ file: OptimizerFile; data: ArrayBuffer }> {
  const fields = optimizer as unknown as Record<string, unknown>;
  const hidden = HIDDEN_OPTIMIZER_SCALARS.filter((name) => fields[name] instanceof tf.Variable);
  const named = [
    ...await optimizer.getWeights(),
    ...hidden.map((name) => ({ name: `hidden/${name}`, tensor: fields[name] as tf.Variable })),
  ];
  const { data, specs } = await tf.io.encodeWeights(named);
  const file = { className: optimizer.getClassName(), config: optimizer.getConfig(), hidden, weightSpecs: specs };
  return { file, data };
}

/** Puts the saved state into `optimizer`, a fresh optimizer of the same class (its moments are replaced). */
async function restoreOptimizer(path: string, optimizer: tf.Optimizer): Promise<void> {
  const file = readJson(join(path, OPTIMIZER_JSON)) as OptimizerFile;
  if (file.className !== optimizer.getClassName()) {
    throw new Error(
      `checkpoint.ts: ${join(path, OPTIMIZER_JSON)} holds ${file.className} state, not ${optimizer.getClassName()}`,
    );
  }
  const tensors = tf.io.decodeWeights(readBuffer(join(path, OPTIMIZER_BIN)), file.weightSpecs);
  const names = file.weightSpecs.map((s) => s.name);
  const hiddenNames = new Set(file.hidden.map((h) => `hidden/${h}`));
  await optimizer.setWeights(names.filter((n) => !hiddenNames.has(n)).map((name) => ({ name, tensor: tensors[name] })));
  const fields = optimizer as unknown as Record<string, unknown>;
  for (const name of file.hidden) {
    const target = fields[name];
    if (!(target instanceof tf.Variable)) {
      throw new Error(`checkpoint.ts: ${join(path, OPTIMIZER_JSON)} has ${name}, which ${file.className} lacks here`);
    }
    target.assign(tensors[`hidden/${name}`]);
  }
  tf.dispose(Object.values(tensors));
}

/**
 * Loads the checkpoint in `path`; with `optimizer`, also restores its state into that (fresh) optimizer. Errors name
 * the checkpoint (tfjs's own, such as a truncated weights file's, name no file).
 */
export async function loadCheckpoint(path: string, optimizer?: tf.Optimizer): Promise<LoadedCheckpoint> {
  const state = readJson(join(path, STATE_JSON)) as { step?: unknown; config: unknown; rng: unknown };
  if (!Number.isInteger(state.step)) throw new Error(`checkpoint.ts: ${join(path, STATE_JSON)} has no integer step`);
  let model: tfl.LayersModel | null = null;
  try {
    model = await tfl.loadLayersModel(layersModelFiles(path));
    if (optimizer) await restoreOptimizer(path, optimizer);
  } catch (e) {
    model?.dispose();
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(message.includes(path) ? message : `checkpoint.ts: ${path}: ${message}`);
  }
  return { path, step: state.step as number, config: state.config, rng: state.rng, model };
}

/**
 * The folder of the newest checkpoint in `dir`: the one `latest` names, or — when that is missing (a save killed
 * between its renames) — the highest step folder. Null when there is none. Temp folders are never considered.
 */
export function latestCheckpointPath(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const pointer = join(dir, LATEST);
  if (existsSync(pointer)) {
    const name = readFileSync(pointer, "utf8").trim();
    if (!STEP_DIR.test(name)) throw new Error(`checkpoint.ts: ${pointer} names "${name}", not a step-<N> folder`);
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  const steps = stepFolders(dir);
  return steps.length ? join(dir, `step-${steps[0]}`) : null;
}

/**
 * Loads the newest checkpoint in `dir` (see latestCheckpointPath) or, when that one is damaged (a truncated file, a
 * copy cut short), the newest older one that loads, warning on stderr about each one skipped. Null when `dir` has no
 * checkpoint; an error naming each checkpoint's problem when none loads. A skipped attempt may have set part of
 * `optimizer`'s state: the successful load replaces all of it.
 */
export async function loadLatest(dir: string, optimizer?: tf.Optimizer): Promise<LoadedCheckpoint | null> {
  const newest = latestCheckpointPath(dir);
  if (!newest) return null;
  const newestStep = checkpointStep(newest)!;
  const older = stepFolders(dir).filter((s) => s < newestStep).map((s) => join(dir, `step-${s}`));
  const problems: string[] = [];
  for (const path of [newest, ...older]) {
    try {
      return await loadCheckpoint(path, optimizer);
    } catch (e) {
      const problem = e instanceof Error ? e.message : String(e);
      problems.push(problem);
      console.warn(`${problem}: skipping this damaged checkpoint`);
    }
  }
  throw new Error(`checkpoint.ts: no checkpoint in ${dir} loads: ${problems.join("; ")}`);
}

/** The step N of a checkpoint folder `<dir>/step-N` (a path or a bare name), else null. */
export function checkpointStep(folder: string): number | null {
  const match = STEP_DIR.exec(basename(folder));
  return match ? Number(match[1]) : null;
}

/** Step numbers of the step-<N> folders in `dir`, newest first. */
function stepFolders(dir: string): number[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => checkpointStep(e.name))
    .filter((step) => step !== null)
    .sort((a, b) => b - a);
}

function removeTempFolders(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && e.name.startsWith("tmp-")) rmSync(join(dir, e.name), { recursive: true, force: true });
  }
}

/**
 * Keeps `current` and the `keep` - 1 newest earlier steps. Later steps are removed: they belong to the future a run
 * resumed from an earlier checkpoint (one before a damaged newest) has discarded.
 */
function pruneSteps(dir: string, keep: number, current: number): void {
  const steps = stepFolders(dir);
  const removed = [...steps.filter((s) => s > current), ...steps.filter((s) => s < current).slice(keep - 1)];
  for (const step of removed) rmSync(join(dir, `step-${step}`), { recursive: true, force: true });
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`checkpoint.ts: cannot read ${path} (${(e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`checkpoint.ts: ${path} is not valid JSON (${(e as Error).message})`);
  }
}

function readBuffer(path: string): ArrayBuffer {
  try {
    const bytes = readFileSync(path);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  } catch (e) {
    throw new Error(`checkpoint.ts: cannot read ${path} (${(e as Error).message})`);
  }
}
