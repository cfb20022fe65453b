// Scores any method's prediction files against ground-truth files in the official formats, without a model:
// semantic (`*_labelIds.png` vs Cityscapes gtFine or KITTI; also ika's ACDC-30 and ika-12), instance (Cityscapes `.txt` + masks, scored like
// cityscapesScripts) and panoptic (COCO-panoptic JSON + PNGs vs the same, scored like panopticapi).
import { existsSync, readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import {
  assertKnownLabelIds,
  CITYSCAPES_LABELS,
  IS_THING_TRAIN_ID,
  LABEL_ID_TO_TRAIN_ID,
  labelIdsToTrainIds,
  NUM_TRAIN_CLASSES,
  THING_TRAIN_IDS,
  TRAIN_CLASS_NAMES,
} from "../data/labels/cityscapes_labels.ts";
import { type CityscapesLabels, readCityscapesLabels } from "../data/datasets/cityscapes.ts";
import {
  type PanopticAnnotation,
  type PanopticJson,
  panopticPngFolder,
  readPanopticJson,
  rgb2id,
} from "../data/datasets/coco_panoptic.ts";
import { assertSameSize, readGray, readRgb } from "../io/image_io.ts";
import {
  KITTI_ATTRIBUTION,
  kittiInstanceSource,
  kittiLabelFile,
  listKittiFrames,
  readKittiFrame,
  readKittiLabelIds,
  readKittiSplit,
} from "../data/datasets/kitti.ts";
import { CITYSCAPES_INSTANCE_SOURCE, panopticInstanceSource } from "../data/datasets/sources.ts";
import { findFiles } from "../io/find_files.ts";
import { readInstanceResults } from "./export.ts";
import {
  accumulateInstances,
  createInstanceStats,
  gtFromCityscapesInstanceIds,
  gtFromLabels,
  type InstanceGtFrame,
  type InstancePrediction,
  instanceResult,
} from "../metrics/instance.ts";
import {
  accumulatePanoptic,
  createPanopticStats,
  frameFromCoco,
  type PanopticCategory,
  panopticResult,
} from "../metrics/panoptic.ts";
import {
  accumulateInstanceWeights,
  accumulateSemantic,
  cityscapesAvgInstanceSize,
  createSemanticStats,
  semanticResult,
} from "../metrics/semantic.ts";
import {
  chooseTask,
  detectGt,
  detectPred,
  GT_INSTANCE_SUFFIX,
  GT_LABEL_SUFFIX,
  type GtFormat,
  pairPredictions,
  PRED_LABEL_SUFFIX,
  type PredFormat,
  predPanopticJson,
  TASK_FORMATS,
} from "./file_formats.ts";
import { TRAIN_CATEGORIES } from "./model_eval.ts";
import { type EvalRecord, instanceSection, panopticSection, schemesSection, semanticSection } from "./record.ts";
import { accumulateSchemes, createSchemeStats, schemeResults } from "./schemes.ts";

export interface FileEvalOptions {
  gt: string;
  pred: string;
  /** semantic | instance | panoptic; null = detected from the files. */
  task: string | null;
  /** KITTI ground truth: only the frames of this split file. */
  split: string | null;
  /** Only the first N ground-truth frames (0 = all). */
  frames: number;
  /** KITTI ground truth: Cityscapes-format instanceIds folder, used unless the folder has its own instance/. */
  instances: string | null;
  onFrame?: (done: number, total: number) => void;
}

interface GtFrame {
  name: string;
  /** The label file, for messages. */
  file: string;
  /** Its labels (KITTI frames read as CityscapesLabels without raw instanceIds). */
  read: () => Promise<CityscapesLabels>;
}

/** cityscapesScripts' evaluated instance classes (labelIds) and its void labels (`ignoreInEval`). */
const CITYSCAPES_THING_LABEL_IDS = CITYSCAPES_LABELS.filter((l) => l.hasInstances && !l.ignoreInEval).map((l) => l.id);
const CITYSCAPES_VOID_LABEL_IDS = new Set(
  CITYSCAPES_LABELS.filter((l) => l.ignoreInEval && l.id >= 0).map((l) => l.id),
);

function listGtFrames(path: string, format: GtFormat, options: FileEvalOptions): GtFrame[] {
  let frames: GtFrame[];
  if (format === "cityscapes") {
    frames = findFiles(path, GT_LABEL_SUFFIX).map((file) => {
      const base = file.slice(0, -GT_LABEL_SUFFIX.length);
      const instanceFile = `${base}${GT_INSTANCE_SUFFIX}`;
      return {
        name: basename(base),
        file,
        read: () => readCityscapesLabels(file, existsSync(instanceFile) ? instanceFile : null),
      };
    });
  } else {
    const names = options.split ? readKittiSplit(path, options.split) : listKittiFrames(path);
    const readOptions = options.instances ? { instanceDir: options.instances } : {};
    frames = names.map((name) => ({
      name,
      file: kittiLabelFile(path, name).path,
      read: async () => ({
        ...await readKittiFrame(path, name, readOptions),
        labelIds: (await readKittiLabelIds(path, name)).data,
        instanceIds: null,
      }),
    }));
  }
  return options.frames > 0 ? frames.slice(0, options.frames) : frames;
}

/** Instance GT of a frame, in the class ids the predictions are scored in (see instanceScoring). */
function instanceGt(gt: CityscapesLabels, frame: GtFrame, format: GtFormat): InstanceGtFrame {
  if (format === "cityscapes") {
    if (!gt.instanceIds) throw new Error(`${frame.file}: has no ${GT_INSTANCE_SUFFIX} beside it for instance scores`);
    return gtFromCityscapesInstanceIds(gt.instanceIds, CITYSCAPES_THING_LABEL_IDS, CITYSCAPES_VOID_LABEL_IDS);
  }
  if (!gt.instances) {
    throw new Error(`${frame.file}: frame ${frame.name} has no instance labels (pass --instances DIR)`);
  }
  return gtFromLabels(gt.semantic, gt.instances, gt.crowd, THING_TRAIN_IDS);
}

/**
 * Cityscapes ground truth is scored in labelIds, exactly as cityscapesScripts; KITTI ground truth (trainIds)
 * with the predicted labelIds mapped to trainIds (predictions of other classes dropped).
 */
function instanceScoring(format: GtFormat) {
  if (format === "cityscapes") {
    return {
      classIds: CITYSCAPES_THING_LABEL_IDS,
      names: new Map(CITYSCAPES_THING_LABEL_IDS.map((id) => [id, CITYSCAPES_LABELS.find((l) => l.id === id)!.name])),
      toScored: (p: InstancePrediction[]) => p,
    };
  }
  return {
    classIds: THING_TRAIN_IDS,
    names: new Map(THING_TRAIN_IDS.map((t) => [t, TRAIN_CLASS_NAMES[t]])),
    toScored: (p: InstancePrediction[]) =>
      p.filter((q) => q.classId >= 0 && q.classId < 256 && IS_THING_TRAIN_ID[LABEL_ID_TO_TRAIN_ID[q.classId]])
        .map((q) => ({ ...q, classId: LABEL_ID_TO_TRAIN_ID[q.classId] })),
  };
}

async function scoreSemanticOrInstance(
  task: "semantic" | "instance",
  options: FileEvalOptions,
  gtFormat: GtFormat,
): Promise<Pick<EvalRecord, "frames" | "instanceFrames" | "instanceSource" | "semantic" | "schemes" | "instance">> {
  const frames = listGtFrames(options.gt, gtFormat, options);
  if (frames.length === 0) throw new Error(`${options.gt}: no ground-truth frames`);
  const predFiles = task === "semantic"
    ? findFiles(options.pred, PRED_LABEL_SUFFIX)
    : readdirSync(options.pred).filter((f) => f.endsWith(".txt")).map((f) => join(options.pred, f));
  const paired = pairPredictions(frames.map((f) => f.name), predFiles, options.pred);
  const semantic = createSemanticStats(NUM_TRAIN_CLASSES, {
    avgInstanceSize: cityscapesAvgInstanceSize(TRAIN_CLASS_NAMES),
  });
  const schemes = createSchemeStats();
  const scoring = instanceScoring(gtFormat);
  const instance = createInstanceStats(scoring.classIds);
  let instanceFrames = 0;
  for (const [k, frame] of frames.entries()) {
    const gt = await frame.read();
    const predFile = paired[k];
    if (task === "semantic") {
      const pred = await readGray(predFile);
      assertSameSize(gt, frame.file, pred, predFile);
      assertKnownLabelIds(pred.data, predFile);
      const predTrainIds = labelIdsToTrainIds(pred.data);
      accumulateSemantic(semantic, gt.semantic, predTrainIds, predFile);
      accumulateSchemes(schemes, gt.labelIds, pred.data, "labelIds", predFile);
      if (gt.instances) {
        accumulateInstanceWeights(semantic, gt.semantic, gt.instances, predTrainIds, predFile);
        instanceFrames++;
      }
    } else {
      const gtInstances = instanceGt(gt, frame, gtFormat);
      const preds = await readInstanceResults(predFile, { width: gt.width, height: gt.height, file: frame.file });
      accumulateInstances(instance, gtInstances, scoring.toScored(preds), predFile);
      instanceFrames++;
    }
    options.onFrame?.(k + 1, frames.length);
  }
  const instanceSource = gtFormat === "cityscapes"
    ? CITYSCAPES_INSTANCE_SOURCE
    : kittiInstanceSource(options.gt, options.instances)?.description ?? null;
  return {
    frames: frames.length,
    instanceFrames,
    instanceSource: instanceFrames > 0 ? instanceSource : null,
    semantic: task === "semantic" ? semanticSection(semanticResult(semantic)) : null,
    schemes: task === "semantic" ? schemesSection(schemeResults(schemes)) : null,
    instance: task === "instance" ? instanceSection(instanceResult(instance), scoring.names) : null,
  };
}

/** How a panoptic JSON's category ids are scored: Cityscapes classes as trainIds, or the GT JSON's own ids. */
interface CategorySpace {
  categories: PanopticCategory[];
  /** category_id in the file → scored id; undefined = not a category of the file. */
  toScored: (categoryId: number) => number | undefined;
}

function cityscapesSpace(json: PanopticJson, path: string): CategorySpace | null {
  if (json.categories?.length && json.categories.every((c) => TRAIN_CLASS_NAMES.includes(c.name))) {
    const byId = new Map(json.categories.map((c) => [c.id, TRAIN_CLASS_NAMES.indexOf(c.name)]));
    return { categories: TRAIN_CATEGORIES, toScored: (id) => byId.get(id) };
  }
  if (!json.categories && path.endsWith("_trainId.json")) {
    return { categories: TRAIN_CATEGORIES, toScored: (id) => (id >= 0 && id < NUM_TRAIN_CLASSES ? id : undefined) };
  }
  return null;
}

/**
 * The categories both JSONs are scored in. Cityscapes JSONs (categories named like the 19 classes, or a
 * `*_trainId.json` without a list, as createPanopticImgs writes) are matched by class whatever their ids; any
 * other ground truth must list its categories, and prediction ids are taken as they are (panopticapi).
 */
function categorySpaces(gt: PanopticJson, gtPath: string, pred: PanopticJson, predPath: string) {
  const gtCityscapes = cityscapesSpace(gt, gtPath);
  if (gtCityscapes) {
    const predCityscapes = cityscapesSpace(pred, predPath);
    if (!predCityscapes) {
      throw new Error(
        `${predPath}: its categories cannot be matched to the Cityscapes classes of ${gtPath} (list "categories" ` +
          `with Cityscapes class names, as lib/eval/export.ts writes them)`,
      );
    }
    return { gt: gtCityscapes, pred: predCityscapes };
  }
  if (!gt.categories?.length) {
    throw new Error(`${gtPath}: has no "categories" list (needed unless it is a Cityscapes *_trainId.json)`);
  }
  const ids = new Set(gt.categories.map((c) => c.id));
  const own: CategorySpace = {
    categories: gt.categories.map((c) => ({ id: c.id, name: c.name, isThing: c.isthing === 1 })),
    toScored: (id) => (ids.has(id) ? id : undefined),
  };
  return { gt: own, pred: own };
}

async function readPanopticPng(jsonPath: string, annotation: PanopticAnnotation, space: CategorySpace) {
  const png = join(panopticPngFolder(jsonPath), annotation.file_name);
  const image = await readRgb(png, { require8Bit: true });
  const segments = annotation.segments_info.map((s) => {
    const categoryId = space.toScored(s.category_id);
    if (categoryId === undefined) {
      throw new Error(
        `${jsonPath} (${annotation.file_name}): category_id ${s.category_id} is not one of its categories`,
      );
    }
    return { ...s, category_id: categoryId };
  });
  return { png, image, frame: frameFromCoco(rgb2id(image.data), segments) };
}

async function scorePanoptic(
  options: FileEvalOptions,
): Promise<Pick<EvalRecord, "frames" | "instanceFrames" | "instanceSource" | "panoptic">> {
  const gtJson = readPanopticJson(options.gt);
  const predPath = predPanopticJson(options.pred);
  const predJson = readPanopticJson(predPath);
  const spaces = categorySpaces(gtJson, options.gt, predJson, predPath);
  const stats = createPanopticStats(spaces.gt.categories);
  const predById = new Map(predJson.annotations.map((a) => [String(a.image_id), a]));
  const annotations = options.frames > 0 ? gtJson.annotations.slice(0, options.frames) : gtJson.annotations;
  if (annotations.length === 0) throw new Error(`${options.gt}: has no annotations`);
  for (const [k, gtAnnotation] of annotations.entries()) {
    const id = String(gtAnnotation.image_id);
    const predAnnotation = predById.get(id);
    if (!predAnnotation) throw new Error(`${predPath}: no prediction for image ${id} of ${options.gt}`);
    const gt = await readPanopticPng(options.gt, gtAnnotation, spaces.gt);
    const pred = await readPanopticPng(predPath, predAnnotation, spaces.pred);
    assertSameSize(gt.image, gt.png, pred.image, pred.png);
    accumulatePanoptic(stats, gt.frame, pred.frame, `${pred.png} (segments in ${predPath})`);
    options.onFrame?.(k + 1, annotations.length);
  }
  return {
    frames: annotations.length,
    instanceFrames: annotations.length,
    instanceSource: panopticInstanceSource(options.gt),
    panoptic: panopticSection(panopticResult(stats), spaces.gt.categories),
  };
}

export async function evaluateFiles(options: FileEvalOptions): Promise<EvalRecord> {
  const start = performance.now();
  const gtFormat = detectGt(options.gt);
  if (gtFormat !== "kitti" && (options.split !== null || options.instances !== null)) {
    throw new Error(
      `${options.gt}: --split and --instances apply to KITTI ground truth only (this is ${gtFormat}; pass the ` +
        "split's own folder or JSON)",
    );
  }
  const predFormats = detectPred(options.pred);
  const task = chooseTask(
    { path: options.gt, format: gtFormat },
    { path: options.pred, formats: predFormats },
    options.task,
  );
  const predFormat: PredFormat = TASK_FORMATS[task].pred;
  const scores = task === "panoptic"
    ? { semantic: null, schemes: null, instance: null, ...await scorePanoptic(options) }
    : { panoptic: null, ...await scoreSemanticOrInstance(task, options, gtFormat) };
  return {
    source: { kind: "files", gt: resolve(options.gt), gtFormat, pred: resolve(options.pred), predFormat, task },
    createdAt: new Date().toISOString(),
    secondsPerFrame: (performance.now() - start) / 1000 / scores.frames,
    perFrame: null,
    attribution: gtFormat === "kitti" ? KITTI_ATTRIBUTION : null,
    ...scores,
  };
}
