// Training configurations: JSON files in configs/, each a partial override of DEFAULT_TRAIN_CONFIG. Unknown keys
// and wrong types are errors naming the file and the key, so a typo never trains silently with a default.
import { readFileSync } from "node:fs";
import type { LossOptions } from "./losses.ts";
import type { PanopticDeepLabConfig } from "../model/panoptic_deeplab.ts";

export interface AugmentConfig {
  minScale: number;
  maxScale: number;
  scaleStep: number;
  flip: boolean;
  /** Photometric jitter (brightness, contrast, saturation, hue). */
  jitter: boolean;
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
  model: Partial<PanopticDeepLabConfig>;
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

/** The run (under runs/) that eval, predict, the report and the README use unless told otherwise: the final model. */
export const DEFAULT_RUN_NAME = "final";
/** That run's folder, relative to the project. */
export const DEFAULT_RUN_DIR = `runs/${DEFAULT_RUN_NAME}`;

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  name: "default",
  description: "Panoptic-DeepLab, MobileNetV2 (ImageNet-derived), KITTI ACDC train split, full augmentation",
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
  augment: { minScale: 0.5, maxScale: 2.0, scaleStep: 0.1, flip: true, jitter: true },
  loss: { semanticWeight: 1, centerWeight: 200, offsetWeight: 0.01, topKPercent: 0.2 },
  model: { pretrained: true },
  validation: { everySteps: 275, frames: 20, scale: 1 },
  checkpoint: { everyMinutes: 10, keep: 2 },
  seed: 1,
  pipelineWorkers: 2,
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Merges `override` into `base`, checking keys and types against `base` (null in base accepts any object/null). */
function merge(base: unknown, override: Json, path: string, file: string): unknown {
  if (override === undefined) return base;
  const fail = (what: string) => {
    throw new Error(`${file}: ${path || "config"} ${what}`);
  };
  if (base === null || typeof base !== "object" || Array.isArray(base)) {
    if (Array.isArray(base)) {
      if (!Array.isArray(override) || override.length !== base.length) fail(`must be an array of ${base.length}`);
      return override;
    }
    if (base !== null && override !== null && typeof override !== typeof base) fail(`must be a ${typeof base}`);
    return override;
  }
  if (override === null) {
    if (path === "augment") return null;
    fail("must not be null");
  }
  if (typeof override !== "object" || Array.isArray(override)) fail("must be an object");
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  const open = path === "loss" || path === "model";
  for (const [key, value] of Object.entries(override as Record<string, Json>)) {
    const sub = path ? `${path}.${key}` : key;
    if (!(key in out) && !open) fail(`has an unknown key "${key}"`);
    out[key] = key in out ? merge(out[key], value, sub, file) : value;
  }
  return out;
}

/** Checks values that types cannot express. */
export function validateConfig(c: TrainConfig, file: string): TrainConfig {
  const problems: string[] = [];
  if (c.crop.some((v) => v <= 0 || v % 16 !== 0)) problems.push(`crop ${c.crop.join("x")} must be multiples of 16`);
  for (const key of ["batchSize", "microBatch", "steps"] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 1) problems.push(`${key} must be a positive integer`);
  }
  if (!(c.learningRate > 0)) problems.push("learningRate must be > 0");
  if (c.warmupSteps < 0 || c.warmupSteps >= c.steps) problems.push("warmupSteps must be in [0, steps)");
  if (!/^[\w.-]+$/.test(c.name)) problems.push(`name "${c.name}" may only hold letters, digits, _ . -`);
  if (c.augment && !(c.augment.minScale > 0 && c.augment.minScale <= c.augment.maxScale)) {
    problems.push("augment scales must satisfy 0 < minScale <= maxScale");
  }
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
