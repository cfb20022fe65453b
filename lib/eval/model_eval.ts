// Evaluates a trained model (run, model or checkpoint folder) on a KITTI split or a Cityscapes-format panoptic JSON and
// builds the evaluation record: semantic (19 classes; ACDC-30 and ika-12 on KITTI, and ACDC-30 by ika's protocol in a
// second pass), panoptic and instance scores, per-frame scores and times. Its default name says how the evaluation
// differs from the full, default one.
import type { LabelSetName } from "../data/labels/descriptor.ts";
import { existsSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import {
  IS_THING_TRAIN_ID,
  NUM_TRAIN_CLASSES,
  THING_TRAIN_IDS,
  TRAIN_CLASS_NAMES,
} from "../data/labels/cityscapes_labels.ts";
import { KITTI_ATTRIBUTION, kittiInstanceSource } from "../data/datasets/kitti.ts";
import { type DatasetSource, kittiSplitSource, openSource } from "../data/datasets/sources.ts";
import { loadPanopticModel } from "../model/load.ts";
import type { InferenceOptions } from "../model/inference.ts";
import { type HeadsRunner, startRunner } from "../model/inference_pool.ts";
import { evaluateModel } from "./loop.ts";
import { evaluateIkaProtocol, ikaProtocolSection } from "./ika_protocol.ts";
import { type EvalRecord, instanceSection, panopticSection, schemesSection, semanticSection } from "./record.ts";

export interface ModelEvalOptions extends InferenceOptions {
  /** Run folder, model folder or checkpoint step folder. */
  checkpoint: string;
  /**
   * KITTI semantics folder, or a Cityscapes-format panoptic JSON (COCO panoptic; `*_trainId.json` holds trainId
   * categories, any other name labelIds) whose PNGs are in the folder named like it or beside it.
   */
  data: string;
  /** KITTI: split file name. */
  split: string;
  /** KITTI: Cityscapes-format instanceIds folder (pseudo labels), used unless the folder has its own instance/. */
  instances: string | null;
  /** Panoptic JSON: folder searched for the images; default the `leftImg8bit` folder beside the JSON's folder. */
  images?: string;
  /** First N frames of the split (0 = all). */
  frames: number;
  /** Frames are resized by this factor before the network. */
  scale: number;
  /**
   * Workers running the network on frames at once (lib/model/inference_pool.ts; 1 = this thread); default
   * defaultInferenceWorkers for the frames evaluated.
   */
  workers?: number;
  /** Progress. On KITTI every frame is run twice (native scores, then ika's protocol): total is twice the frames. */
  onFrame?: (done: number, total: number) => void;
  /** Called once the model is loaded, with where the record goes by default. */
  onLoaded?: (info: { modelDir: string; step: number | null; labels: LabelSetName; defaultOut: string }) => void;
}

/** The 19 trainIds as panoptic categories. */
export const TRAIN_CATEGORIES = Array.from(
  { length: NUM_TRAIN_CLASSES },
  (_, id) => ({ id, name: TRAIN_CLASS_NAMES[id], isThing: IS_THING_TRAIN_ID[id] === 1 }),
);

/** The evaluation the report reads from a run (`eval-acdc_val.json`): the whole split, full size, default data. */
export const DEFAULT_EVAL = { data: "data/kitti", split: "acdc_val", instances: "data/kitti-instances" } as const;

/**
 * The record's name: the split (or the JSON's name) for a full evaluation on the default data, followed by whatever
 * differs from it — `acdc_val-frames10-scale0.5`, `acdc_val-flip`, `acdc_val-semantic`, `acdc_val-data-<folder>` — so
 * that a partial or test-time-augmented evaluation never replaces a run's full record.
 */
export function recordName(options: ModelEvalOptions, sourceName: string): string {
  const parts = [sourceName];
  if (!isPanopticJson(options.data)) {
    if (resolve(options.data) !== resolve(DEFAULT_EVAL.data)) parts.push(`data-${basename(options.data)}`);
    if (options.instances === null) parts.push("semantic");
    else if (resolve(options.instances) !== resolve(DEFAULT_EVAL.instances)) {
      parts.push(`instances-${basename(options.instances)}`);
    }
  }
  if (options.frames > 0) parts.push(`frames${options.frames}`);
  if (options.scale !== 1) parts.push(`scale${options.scale}`);
  if (options.flip) parts.push("flip");
  return parts.join("-");
}

/** Where a record goes by default: `<run folder>/eval-<name>.json` (the model folder when it has no run). */
export function defaultRecordPath(runDir: string | null, modelDir: string, name: string): string {
  return join(runDir ?? modelDir, `eval-${name}.json`);
}

/** Whether `data` names a panoptic JSON rather than a KITTI folder. */
function isPanopticJson(data: string): boolean {
  return data.endsWith(".json");
}

/** The frames `options` name, and the name used for the record (the split, or the JSON's name). */
function evalSource(options: ModelEvalOptions): { source: DatasetSource; name: string } {
  if (!existsSync(options.data)) {
    throw new Error(`${options.data}: dataset ${isPanopticJson(options.data) ? "JSON" : "folder"} not found`);
  }
  if (isPanopticJson(options.data)) {
    const imageRoot = options.images ?? join(dirname(dirname(options.data)), "leftImg8bit");
    if (!existsSync(imageRoot)) {
      throw new Error(`${imageRoot}: image folder of ${options.data} not found (pass --images DIR)`);
    }
    const categoryIds = options.data.endsWith("_trainId.json") ? "trainId" : "labelId";
    return {
      source: { kind: "panoptic", json: options.data, imageRoot, categoryIds },
      name: basename(options.data, ".json"),
    };
  }
  const instances = kittiInstanceSource(options.data, options.instances);
  if (instances?.format === "cityscapes" && !existsSync(instances.dir)) {
    throw new Error(`${instances.dir}: instance label folder not found (pass --instances none to skip PQ and AP)`);
  }
  return { source: kittiSplitSource(options.data, options.split, options.instances), name: options.split };
}

export async function evaluateCheckpoint(
  options: ModelEvalOptions,
): Promise<{ record: EvalRecord; defaultOut: string }> {
  if (!(options.scale > 0)) throw new Error(`scale must be positive, got ${options.scale}`);
  const { source, name } = evalSource(options);
  const loaded = await loadPanopticModel(options.checkpoint);
  const defaultOut = defaultRecordPath(loaded.runDir, loaded.modelDir, recordName(options, name));
  options.onLoaded?.({ modelDir: loaded.modelDir, step: loaded.step, labels: loaded.labels, defaultOut });
  let runner: HeadsRunner | null = null;
  try {
    const available = (await openSource(source)).names.length;
    const frames = options.frames > 0 ? Math.min(options.frames, available) : available;
    runner = await startRunner(loaded.model, loaded.modelDir, { frames, workers: options.workers });
    const passes = source.kind === "kitti" ? 2 : 1;
    const ev = await evaluateModel(runner, {
      source,
      frames: options.frames,
      scale: options.scale,
      flip: options.flip,
      onFrame: (done, total) => options.onFrame?.(done, passes * total),
    });
    const { result, schemes, summary, perFrame } = ev;
    const ikaProtocol = source.kind === "kitti"
      ? ikaProtocolSection(
        await evaluateIkaProtocol(
          runner,
          source.root,
          perFrame.map((f) => f.name),
          { flip: options.flip, onFrame: (done, total) => options.onFrame?.(total + done, 2 * total) },
        ),
      )
      : null;
    const record: EvalRecord = {
      source: {
        kind: "model",
        checkpoint: loaded.modelDir,
        step: loaded.step,
        data: resolve(options.data),
        split: name,
        instances: source.kind === "kitti" ? options.instances && resolve(options.instances) : resolve(options.data),
        scale: options.scale,
        flip: options.flip ?? false,
        labels: loaded.labels,
      },
      createdAt: new Date().toISOString(),
      frames: result.frames,
      instanceFrames: result.instanceFrames,
      instanceSource: summary.instanceSource,
      secondsPerFrame: result.frames ? summary.seconds / result.frames : null,
      semantic: semanticSection(result.semantic),
      schemes: schemes && schemesSection(schemes),
      ikaProtocol,
      panoptic: result.panoptic && panopticSection(result.panoptic, TRAIN_CATEGORIES),
      instance: result.instance &&
        instanceSection(result.instance, new Map(THING_TRAIN_IDS.map((t) => [t, TRAIN_CLASS_NAMES[t]]))),
      perFrame: [...perFrame].sort((a, b) => (b.miou || 0) - (a.miou || 0)),
      attribution: source.kind === "kitti" ? KITTI_ATTRIBUTION : null,
    };
    return { record, defaultOut };
  } finally {
    runner?.close();
    loaded.model.dispose();
  }
}
