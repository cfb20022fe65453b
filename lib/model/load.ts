// Loads a trained Panoptic-DeepLab model for inference from a run folder (its exported model/, else its newest
// checkpoint), a model folder (model.json + weights.bin) or a checkpoint step folder, with the training step it reached;
// its depthwise layers run fused (lib/model/inference_fusion.ts).
import * as tfl from "@tensorflow/tfjs-layers";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { latestCheckpointPath, layersModelFiles, loadCheckpoint } from "./checkpoint.ts";
import { HEADS } from "./outputs.ts";
import { type LabelSetName, labelSetOfChannels } from "../data/labels/descriptor.ts";
import "./layers.ts"; // registers the custom layers a saved topology names
import { fuseForInference } from "./inference_fusion.ts";

export interface LoadedModel {
  model: tfl.LayersModel;
  /** The folder holding the model.json that was loaded. */
  modelDir: string;
  /** The run folder (holding train.jsonl) when the model belongs to one, else null. */
  runDir: string | null;
  /** Training step of the weights, when known (checkpoint state, or the run record for an exported model). */
  step: number | null;
  /** The classes its semantic head predicts (from the head's width). */
  labels: LabelSetName;
}

const MODEL_JSON = "model.json";
const RECORD_FILE = "train.jsonl";

/** The run folder of a model folder: `<run>/model` or `<run>/checkpoints/step-N`, when `<run>` has a record. */
export function runOf(modelDir: string): string | null {
  const parent = dirname(modelDir);
  const candidates = basename(parent) === "checkpoints" ? [dirname(parent)] : [parent];
  return candidates.find((d) => existsSync(join(d, RECORD_FILE))) ?? null;
}

/** The last step in a run's JSONL record (the exported model is written after the final step). */
function lastRecordedStep(runDir: string): number | null {
  const lines = readFileSync(join(runDir, RECORD_FILE), "utf8").split("\n").filter((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const step = JSON.parse(lines[i]).step;
      if (Number.isInteger(step)) return step;
    } catch {
      // a line cut short by a killed run: look further up
    }
  }
  return null;
}

/** Resolves `path` to the folder whose model.json should be loaded; throws naming the path when there is none. */
export function resolveModelDir(path: string): string {
  const dir = resolve(path);
  if (!existsSync(dir)) throw new Error(`${path}: no such checkpoint or model folder`);
  if (existsSync(join(dir, MODEL_JSON))) return dir;
  if (existsSync(join(dir, "model", MODEL_JSON))) return join(dir, "model");
  for (const checkpoints of [join(dir, "checkpoints"), dir]) {
    const latest = latestCheckpointPath(checkpoints);
    if (latest && existsSync(join(latest, MODEL_JSON))) return latest;
  }
  throw new Error(
    `${path}: nothing loadable (looked for ${MODEL_JSON}, model/${MODEL_JSON} and checkpoints/step-N/${MODEL_JSON})`,
  );
}

/** Loads the model a run, model or checkpoint folder holds (see resolveModelDir); checks it has the three heads. */
export async function loadPanopticModel(path: string): Promise<LoadedModel> {
  const modelDir = resolveModelDir(path);
  const runDir = runOf(modelDir);
  let model: tfl.LayersModel;
  let step: number | null;
  try {
    if (existsSync(join(modelDir, "state.json"))) {
      ({ model, step } = await loadCheckpoint(modelDir));
    } else {
      model = await tfl.loadLayersModel(layersModelFiles(modelDir));
      step = runDir ? lastRecordedStep(runDir) : null;
    }
  } catch (e) {
    throw new Error(`${join(modelDir, MODEL_JSON)}: cannot load the model (${(e as Error).message})`);
  }
  if (model.outputs.length !== HEADS.length) {
    model.dispose();
    throw new Error(
      `${join(modelDir, MODEL_JSON)}: has ${model.outputs.length} outputs, a panoptic model has ${HEADS.length} ` +
        `(${HEADS.join(", ")})`,
    );
  }
  let labels: LabelSetName;
  try {
    labels = labelSetOfChannels(model.outputs[0].shape[3]!).name;
  } catch (e) {
    model.dispose();
    throw new Error(`${join(modelDir, MODEL_JSON)}: ${(e as Error).message}`);
  }
  fuseForInference(model);
  return { model, modelDir, runDir, step, labels };
}
