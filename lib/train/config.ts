// Training configurations: JSON files in configs/, each a partial override of DEFAULT_TRAIN_CONFIG. Unknown keys
// (in `model` and `loss` too), wrong types and values out of range are errors naming the file and the key, checked
// before any work, so a typo never trains silently with a default.
import { readFileSync } from "node:fs";
import { DEFAULT_LOSS_OPTIONS, type LossOptions } from "./losses.ts";
import { DEFAULT_MODEL_CONFIG, ENCODER_NAMES, type PanopticDeepLabConfig } from "../model/panoptic_deeplab.ts";
import { LABEL_SET_NAMES } from "../data/labels/descriptor.ts";

export interface AugmentConfig {
  minScale: number;
  maxScale: number;
  scaleStep: number;
  flip: boolean;
  /** Photometric jitter (brightness, contrast, saturation, hue). */
  jitter: boolean;
  /**
   * Crops placed around a pixel of a class drawn with probability ∝ (its pixel frequency in the training split)^-power,
   * for a share `probability` of the crops (0 = off, every crop placed uniformly).
   */
  classCrop: { probability: number; power: number };
}

export interface TrainConfig {
  /** Run name: records and checkpoints go to runs/<name>/. */
  name: string;
  description: string;
  data: {
    /** KITTI-layout folder. */
    root: string;
    trainSplit: string;
    valSplit: string;
    /**
     * Cityscapes-format `*_instanceIds.png` folder (pseudo instance labels), used unless the KITTI folder has its
     * own instance/ maps; null = semantic only (without instance/).
     */
    instanceDir: string | null;
  };
  /** Training crop [height, width]; multiples of 16. */
  crop: [number, number];
  batchSize: number;
  /** Images per forward/backward pass inside a step (bounds memory; gradients add up). */
  microBatch: number;
  steps: number;
  learningRate: number;
  warmupSteps: number;
  /** L2 weight decay added to the gradients (0 = off, as deeplab2). */
  weightDecay: number;
  /** Clip the global gradient norm to this value (0 = off). */
  clipNorm: number;
  /** null = no augmentation (fixed scale 1, no flip, no jitter; random crops only). */
  augment: AugmentConfig | null;
  loss: LossOptions;
  /** The network (numClasses follows model.labels). */
  model: Partial<Omit<PanopticDeepLabConfig, "numClasses">>;
  /**
   * A trained model whose weights a new run starts from (a run, model or checkpoint folder, as eval's --checkpoint takes;
   * relative to the project), e.g. to fine-tune or to restart a finished run's schedule; its network must be the one
   * `model` builds. null = the encoder's pretrained weights and freshly initialised decoders.
   */
  initialWeights: string | null;
  validation: {
    /** Validate every N steps (and at the end); 0 = only at the end. */
    everySteps: number;
    /** First N frames of the validation split (0 = all). */
    frames: number;
    /** Frames are resized by this factor for validation. */
    scale: number;
  };
  checkpoint: { everyMinutes: number; keep: number };
  seed: number;
  /** Deno workers decoding and augmenting frames. */
  pipelineWorkers: number;
}

/**
 * The run (under runs/) that eval, predict, the web page, the report and the README use unless told otherwise: the
 * default model (the earlier ones stay beside it: EARLIER_DEFAULT_RUNS in tools/report/model_history.ts).
 */
export const DEFAULT_RUN_NAME = "final-10";
/** That run's folder, relative to the project. */
export const DEFAULT_RUN_DIR = `runs/${DEFAULT_RUN_NAME}`;

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  name: "default",
  description: "Panoptic-DeepLab, MobileNetV3-Large (COCO CenterNet), KITTI ACDC train split, full augmentation",
  data: {
    root: "data/kitti",
    trainSplit: "acdc_train",
    valSplit: "acdc_val",
    instanceDir: "data/kitti-instances",
  },
  crop: [256, 512],
  batchSize: 4,
  microBatch: 2,
  steps: 1100,
  learningRate: 5e-4,
  warmupSteps: 50,
  weightDecay: 0,
  clipNorm: 10,
  augment: {
    minScale: 0.5,
    maxScale: 2.0,
    scaleStep: 0.1,
    flip: true,
    jitter: true,
    classCrop: { probability: 0, power: 0.5 },
  },
  loss: { semanticWeight: 1, centerWeight: 200, offsetWeight: 0.01, topKPercent: 0.2 },
  // The COCO encoder: the encoder comparison (runs/compare-*) scored it level with MobileNetV2 within the noise
  // between two seeds, at 21 % fewer FLOPs and faster steps.
  model: { pretrained: true, encoder: "mobilenet_v3_coco" },
  initialWeights: null,
  validation: { everySteps: 275, frames: 20, scale: 1 },
  checkpoint: { everyMinutes: 10, keep: 2 },
  seed: 1,
  pipelineWorkers: 2,
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Sections a config holds only partly (their defaults live with the model and the loss): keys checked against these. */
const PARTIAL_SECTIONS: Record<string, Record<string, unknown>> = {
  model: { ...DEFAULT_MODEL_CONFIG },
  loss: { ...DEFAULT_LOSS_OPTIONS },
};

/** Keys whose value may be null (see TrainConfig). */
const NULLABLE = new Set(["augment", "data.instanceDir", "initialWeights"]);
/** Nullable keys whose default is null and whose other values are strings. */
const NULL_DEFAULT_STRINGS = new Set(["initialWeights"]);

/** Merges `override` into `base`, checking keys and types against `base`. */
function merge(base: unknown, override: Json, path: string, file: string): unknown {
  if (override === undefined) return base;
  const fail = (what: string) => {
    throw new Error(`${file}: ${path || "config"} ${what}`);
  };
  if (override === null) {
    if (NULLABLE.has(path)) return null;
    fail("must not be null");
  }
  if (base === null && NULL_DEFAULT_STRINGS.has(path)) {
    if (typeof override !== "string") fail("must be a string or null");
    return override;
  }
  if (typeof base !== "object" || Array.isArray(base)) {
    if (Array.isArray(base)) {
      if (!Array.isArray(override) || override.length !== base.length) fail(`must be an array of ${base.length}`);
      return override;
    }
    if (typeof override !== typeof base) fail(`must be a ${typeof base}`);
    return override;
  }
  if (typeof override !== "object" || Array.isArray(override)) fail("must be an object");
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  const schema = PARTIAL_SECTIONS[path] ?? out;
  for (const [key, value] of Object.entries(override as Record<string, Json>)) {
    if (!(key in schema)) fail(`has an unknown key "${key}"`);
    out[key] = merge(key in out ? out[key] : schema[key], value, path ? `${path}.${key}` : key, file);
  }
  return out;
}

const isCount = (v: number, min: number) => Number.isInteger(v) && v >= min;

/** Checks values that types cannot express; each problem names its key. */
export function validateConfig(c: TrainConfig, file: string): TrainConfig {
  const problems: string[] = [];
  const check = (ok: boolean, key: string, rule: string) => {
    if (!ok) problems.push(`${key} must be ${rule}`);
  };
  if (c.crop.some((v) => v <= 0 || v % 16 !== 0)) problems.push(`crop ${c.crop.join("x")} must be multiples of 16`);
  for (const key of ["batchSize", "microBatch", "steps"] as const) check(isCount(c[key], 1), key, "a positive integer");
  check(c.learningRate > 0, "learningRate", "> 0");
  check(isCount(c.warmupSteps, 0) && c.warmupSteps < c.steps, "warmupSteps", "an integer in [0, steps)");
  check(c.weightDecay >= 0, "weightDecay", "≥ 0");
  check(c.clipNorm >= 0, "clipNorm", "≥ 0 (0 = off)");
  check(c.initialWeights !== "", "initialWeights", "a folder or null");
  check(/^[\w.-]+$/.test(c.name), "name", `letters, digits, _ . - only, not "${c.name}"`);
  if (c.augment) {
    check(c.augment.minScale > 0 && c.augment.minScale <= c.augment.maxScale, "augment", "0 < minScale <= maxScale");
    check(c.augment.scaleStep >= 0, "augment.scaleStep", "≥ 0");
    const { probability, power } = c.augment.classCrop;
    check(probability >= 0 && probability <= 1, "augment.classCrop.probability", "in [0, 1]");
    check(power >= 0, "augment.classCrop.power", "≥ 0");
  }
  const loss = { ...DEFAULT_LOSS_OPTIONS, ...c.loss };
  for (const key of ["semanticWeight", "centerWeight", "offsetWeight"] as const) {
    check(loss[key] >= 0, `loss.${key}`, "≥ 0");
  }
  check(loss.topKPercent > 0 && loss.topKPercent <= 1, "loss.topKPercent", "in (0, 1]");
  check(Number.isInteger(loss.ignoreLabel), "loss.ignoreLabel", "an integer");
  const model = { ...DEFAULT_MODEL_CONFIG, ...c.model };
  for (const key of ["decoderChannels", "instanceChannels"] as const) {
    check(isCount(model[key], 1), `model.${key}`, "a positive integer");
  }
  for (const key of ["semanticLowLevel", "instanceLowLevel", "asppRates"] as const) {
    check(model[key].every((v) => isCount(v, 1)), `model.${key}`, "positive integers");
  }
  check(Number.isInteger(model.seed), "model.seed", "an integer");
  check(["he", "glorot"].includes(model.decoderInit), "model.decoderInit", `"he" or "glorot"`);
  check([3, 5].includes(model.decoderKernel), "model.decoderKernel", "3 or 5");
  check(
    ENCODER_NAMES.includes(model.encoder),
    "model.encoder",
    `one of ${ENCODER_NAMES.map((e) => `"${e}"`).join(", ")}`,
  );
  check(
    LABEL_SET_NAMES.includes(model.labels),
    "model.labels",
    `one of ${LABEL_SET_NAMES.map((n) => `"${n}"`).join(", ")}`,
  );
  check(isCount(c.validation.everySteps, 0), "validation.everySteps", "an integer ≥ 0 (0 = only at the end)");
  check(isCount(c.validation.frames, 0), "validation.frames", "an integer ≥ 0 (0 = all)");
  check(c.validation.scale > 0, "validation.scale", "> 0");
  check(c.checkpoint.everyMinutes > 0, "checkpoint.everyMinutes", "> 0");
  check(isCount(c.checkpoint.keep, 1), "checkpoint.keep", "an integer ≥ 1");
  check(Number.isInteger(c.seed), "seed", "an integer");
  check(isCount(c.pipelineWorkers, 0), "pipelineWorkers", "an integer ≥ 0");
  if (problems.length) throw new Error(`${file}: ${problems.join("; ")}`);
  return c;
}

/** Reads a config file (partial JSON over the defaults). */
export function loadConfig(file: string): TrainConfig {
  let json: Json;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: cannot read the config (${e instanceof Error ? e.message : e})`);
  }
  return validateConfig(merge(DEFAULT_TRAIN_CONFIG, json, "", file) as TrainConfig, file);
}
