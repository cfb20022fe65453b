// Panoptic prediction on one image file, written as files: the COCO-panoptic PNG (segment id = labelId*1000 + k),
// the semantic map in the Cityscapes palette and as labelIds (scoreable by `deno task eval`), an overlay (panoptic
// colours, instance outlines and labels, class legend) and a JSON list of segments (ids, class, area, box, thing scores; void = 0).
import type * as tfl from "@tensorflow/tfjs-layers";
import { existsSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import {
  IGNORE_ID,
  IS_THING_TRAIN_ID,
  LABEL_ID_TO_TRAIN_ID,
  TRAIN_CLASS_NAMES,
  TRAIN_ID_TO_LABEL_ID,
  trainIdsToColors,
} from "../data/labels/cityscapes_labels.ts";
import { type PanopticAnnotation, readPanopticJson } from "../data/datasets/coco_panoptic.ts";
import { PRED_PANOPTIC_JSON } from "./file_formats.ts";
import { LABEL_DIVISOR } from "../data/labels/descriptor.ts";
import { readImageSize, readRgb, type Size, writePng } from "../io/image_io.ts";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { writeLabelIdsPng, writePanopticJson, writePanopticPng } from "./export.ts";
import type { PanopticPrediction } from "../postprocess/panoptic.ts";
import { panopticFigure } from "../viz/panoptic_figure.ts";
import { canvasPng } from "../viz/grid.ts";
import type { PanopticDrawOptions } from "../viz/panoptic_overlay.ts";
import type { InferenceOptions } from "../model/inference.ts";
import type { HeadsRunner } from "../model/inference_pool.ts";
import { forEachPrediction, type FrameTimes } from "./loop.ts";

export interface SegmentEntry {
  /** Its value in the panoptic PNG (labelId*1000 + k; 0 = void). */
  id: number;
  className: string;
  /** 255 for void. */
  trainId: number;
  labelId: number;
  isThing: boolean;
  area: number;
  /** [x, y, width, height]; null for void. */
  bbox: number[] | null;
  /** Things: centre heatmap value × mean class probability over the mask; null for stuff and void. */
  score: number | null;
}

export interface PredictionFiles {
  panoptic: string;
  semantic: string;
  /** The semantic map as Cityscapes labelIds (void → 0), the format evalPixelLevelSemanticLabeling and eval read. */
  labelIds: string;
  overlay: string;
  segments: string;
  /** The folder's COCO-panoptic JSON, listing every image predicted into it (see addToPanopticJson). */
  panopticJson: string;
}

/**
 * The most pixels an image is predicted at: a Cityscapes frame's (2048x1024, ~1.9 GB peak with the final model).
 * Larger images (photos) are scaled down to this many pixels, keeping their aspect ratio, and predicted at that size.
 */
export const MAX_PREDICT_PIXELS = 2048 * 1024;

/** The size an image of `size` is predicted (and its outputs written) at: its own, or scaled to ≤ maxPixels. */
export function predictionSize(size: Size, maxPixels = MAX_PREDICT_PIXELS): Size {
  if (size.width * size.height <= maxPixels) return size;
  const factor = Math.sqrt(maxPixels / (size.width * size.height));
  return { width: Math.max(1, Math.floor(size.width * factor)), height: Math.max(1, Math.floor(size.height * factor)) };
}

export interface ImagePrediction {
  /** The size predicted at and of every output (the source's, or smaller: see MAX_PREDICT_PIXELS). */
  width: number;
  height: number;
  /** The image file's own size. */
  source: Size;
  files: PredictionFiles;
  segments: SegmentEntry[];
  /** Where the time went, in seconds: decoding the file, the network, post-processing, writing the outputs. */
  seconds: PredictionSeconds;
}

export interface PredictionSeconds {
  read: number;
  network: number;
  postprocess: number;
  write: number;
}

/** The name an image's outputs are written under: its file name without the extension. */
export function imageStem(imagePath: string): string {
  return basename(imagePath, extname(imagePath));
}

/** An image's image_id in the folder's panoptic.json: its stem without Cityscapes' `_leftImg8bit`. */
export function frameName(imagePath: string): string {
  return imageStem(imagePath).replace(/_leftImg8bit$/, "");
}

/** The first two of `imagePaths` whose outputs would overwrite each other (same frame name), or null. */
export function clashingImages(imagePaths: readonly string[]): { name: string; first: string; second: string } | null {
  const seen = new Map<string, string>();
  for (const path of imagePaths) {
    const name = frameName(path);
    const first = seen.get(name);
    if (first !== undefined) return { name, first, second: path };
    seen.set(name, path);
  }
  return null;
}

/**
 * Output files of an image: `<stem>_panoptic.png`, `_semantic.png`, `_labelIds.png`, `_overlay.png`,
 * `_segments.json`, and the folder's `panoptic.json` (shared by its images).
 */
export function predictionFiles(outDir: string, imagePath: string): PredictionFiles {
  const stem = imageStem(imagePath);
  return {
    panoptic: join(outDir, `${stem}_panoptic.png`),
    semantic: join(outDir, `${stem}_semantic.png`),
    labelIds: join(outDir, `${stem}_labelIds.png`),
    overlay: join(outDir, `${stem}_overlay.png`),
    segments: join(outDir, `${stem}_segments.json`),
    panopticJson: join(outDir, PRED_PANOPTIC_JSON),
  };
}

/**
 * Adds (or replaces) the image's entry in the folder's COCO-panoptic JSON (Cityscapes categories; image_id = its
 * frame name, file_name = its panoptic PNG), keeping the entries of the other images predicted into the folder, so
 * `deno task eval --gt <panoptic json> --pred <folder>` scores them all.
 */
function addToPanopticJson(files: PredictionFiles, imagePath: string, size: Size, segments: readonly SegmentEntry[]) {
  const annotations = new Map<string, PanopticAnnotation>();
  const images = new Map<string, Size & { fileName: string }>();
  if (existsSync(files.panopticJson)) {
    const json = readPanopticJson(files.panopticJson);
    for (const a of json.annotations) annotations.set(String(a.image_id), a);
    for (const im of json.images ?? []) {
      images.set(String(im.id), { width: im.width!, height: im.height!, fileName: im.file_name });
    }
  }
  const name = frameName(imagePath);
  annotations.set(name, {
    image_id: name,
    file_name: basename(files.panoptic),
    segments_info: segments.filter((s) => s.id !== 0).map((s) => ({
      id: s.id,
      category_id: s.labelId,
      iscrowd: 0,
      area: s.area,
      bbox: s.bbox!,
    })),
  });
  images.set(name, { width: size.width, height: size.height, fileName: basename(imagePath) });
  const sorted = [...annotations.keys()].sort().map((k) => annotations.get(k)!);
  writePanopticJson(files.panopticJson, sorted, images);
}

/**
 * Writes the image files for `prediction` of the RGB `image` (the overlay drawn with `overlay`); returns the segment
 * list (void first, if any).
 */
export async function writePrediction(
  files: PredictionFiles,
  image: Uint8Array,
  prediction: PanopticPrediction,
  overlay: PanopticDrawOptions = {},
): Promise<SegmentEntry[]> {
  const { width, height } = prediction;
  const stem = basename(files.panoptic, ".png");
  // The four PNGs are encoded at once, on sharp's and the canvas' own threads.
  const figure = panopticFigure(image, prediction, overlay);
  const [annotation] = await Promise.all([
    writePanopticPng(dirname(files.panoptic), stem, prediction.panoptic, width, height),
    writePng(files.semantic, { data: trainIdsToColors(prediction.semantic), width, height, channels: 3 }),
    writeLabelIdsPng(files.labelIds, prediction.semantic, width, height),
    canvasPng(figure).then((png) => writeFileAtomic(files.overlay, png)),
  ]);

  const scores = new Map(prediction.instances.map((inst) => [inst.panopticId, inst.score]));
  const segments: SegmentEntry[] = annotation.segments_info.map((s) => {
    const trainId = LABEL_ID_TO_TRAIN_ID[s.category_id];
    const isThing = IS_THING_TRAIN_ID[trainId] === 1;
    return {
      id: s.id,
      className: TRAIN_CLASS_NAMES[trainId],
      trainId,
      labelId: s.category_id,
      isThing,
      area: s.area!,
      bbox: s.bbox!,
      score: isThing ? scores.get(trainId * LABEL_DIVISOR + (s.id % LABEL_DIVISOR)) ?? null : null,
    };
  });
  const voidArea = width * height - segments.reduce((sum, s) => sum + s.area, 0);
  if (voidArea > 0) {
    segments.unshift({
      id: 0,
      className: "void",
      trainId: IGNORE_ID,
      labelId: TRAIN_ID_TO_LABEL_ID[IGNORE_ID],
      isThing: false,
      area: voidArea,
      bbox: null,
      score: null,
    });
  }
  return segments;
}

/** How the network runs on each image (scale, flip), and what the outputs record and show. */
export interface PredictOptions extends InferenceOptions {
  /** Recorded in the segments JSON. */
  checkpoint?: string;
  /** The overlay outlines and labels instances scoring at least this (default DEFAULT_SCORE_THRESHOLD). */
  scoreThreshold?: number;
}

const secondsSince = (start: number) => (performance.now() - start) / 1000;

/** An image file decoded for prediction (at predictionSize: RGB, H*W*3), with the file's own size and the decoding time. */
interface DecodedImage {
  path: string;
  source: Size;
  image: Uint8Array;
  width: number;
  height: number;
  seconds: number;
}

async function decodeImage(path: string): Promise<DecodedImage> {
  const start = performance.now();
  const source = await readImageSize(path);
  const size = predictionSize(source);
  const { data, width, height } = await readRgb(path, size === source ? {} : { size });
  return { path, source, image: data, width, height, seconds: secondsSince(start) };
}

/** Writes an image's outputs (see predictImage) and returns its result. */
async function writeOutputs(
  input: DecodedImage,
  prediction: PanopticPrediction,
  times: FrameTimes,
  outDir: string,
  options: PredictOptions,
): Promise<ImagePrediction> {
  const start = performance.now();
  const { path, image, width, height, source } = input;
  const files = predictionFiles(outDir, path);
  const segments = await writePrediction(files, image, prediction, { scoreThreshold: options.scoreThreshold });
  const record = {
    image: path,
    width,
    height,
    source,
    sourceScale: width / source.width,
    checkpoint: options.checkpoint ?? null,
    scale: options.scale ?? 1,
    flip: options.flip ?? false,
    panopticPng: basename(files.panoptic),
    segments,
  };
  writeFileAtomic(files.segments, JSON.stringify(record, null, 2) + "\n");
  addToPanopticJson(files, path, input, segments);
  const seconds = { read: input.seconds, ...times, write: secondsSince(start) };
  return { width, height, source, files, segments, seconds };
}

/**
 * Runs the model on an image file (PNG/JPEG; above MAX_PREDICT_PIXELS decoded at predictionSize) at `scale`,
 * post-processes and writes the files into `outDir`, including `<stem>_segments.json` ({image, width, height,
 * source: the file's size, sourceScale: outputs / file, checkpoint, scale, flip, segments}); the overlay shows the
 * instances scoring at least `scoreThreshold` (default DEFAULT_SCORE_THRESHOLD of viz/panoptic_overlay.ts).
 */
export async function predictImage(
  model: tfl.LayersModel | HeadsRunner,
  imagePath: string,
  outDir: string,
  options: PredictOptions = {},
): Promise<ImagePrediction> {
  let result: ImagePrediction | null = null;
  await predictImages(model, [imagePath], outDir, options, (_, r) => result = r);
  return result!;
}

/**
 * predictImage on each file, through the evaluation's loop (forEachPrediction): the next images are decoded and go
 * through the network (on the runner's workers, if any) while an image's outputs are encoded (on sharp's and the
 * canvas' own threads). `onImage` is called in order, once an image's outputs are written; an image that fails ends
 * the run after the outputs of those before it are written. Stage times overlap, so they do not add up to the time
 * between two images.
 */
export async function predictImages(
  model: tfl.LayersModel | HeadsRunner,
  imagePaths: readonly string[],
  outDir: string,
  options: PredictOptions,
  onImage: (imagePath: string, result: ImagePrediction) => void,
): Promise<void> {
  await forEachPrediction(model, imagePaths, decodeImage, async (input, prediction, path, _heads, times) => {
    onImage(path, await writeOutputs(input, prediction, times, outDir, options));
  }, options);
}
