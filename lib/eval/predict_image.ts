// Panoptic prediction on one image file, written as files: the COCO-panoptic PNG (segment id = labelId*1000 + k),
// the semantic map in the Cityscapes palette and as labelIds (scoreable by `deno task eval`), an overlay (panoptic
// colours, instance outlines and labels, class legend) and a JSON list of segments (ids, class, area, box, thing scores; void = 0).
import type * as tfl from "@tensorflow/tfjs-layers";
import { basename, dirname, extname, join } from "node:path";
import {
  IGNORE_ID,
  IS_THING_TRAIN_ID,
  LABEL_ID_TO_TRAIN_ID,
  TRAIN_CLASS_NAMES,
  TRAIN_ID_TO_LABEL_ID,
  trainIdsToColors,
} from "../data/labels/cityscapes_labels.ts";
import { readRgb, writePng } from "../io/image_io.ts";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { writeLabelIdsPng, writePanopticPng } from "./export.ts";
import type { PanopticPrediction } from "../postprocess/panoptic.ts";
import { panopticFigure } from "../viz/panoptic_figure.ts";
import type { PanopticDrawOptions } from "../viz/panoptic_overlay.ts";
import { panopticFromModelHeads, predictHeads } from "../model/inference.ts";

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
}

export interface ImagePrediction {
  width: number;
  height: number;
  files: PredictionFiles;
  segments: SegmentEntry[];
}

/** Output files of an image: `<stem>_panoptic.png`, `_semantic.png`, `_labelIds.png`, `_overlay.png`, `_segments.json`. */
export function predictionFiles(outDir: string, imagePath: string): PredictionFiles {
  const stem = basename(imagePath, extname(imagePath));
  return {
    panoptic: join(outDir, `${stem}_panoptic.png`),
    semantic: join(outDir, `${stem}_semantic.png`),
    labelIds: join(outDir, `${stem}_labelIds.png`),
    overlay: join(outDir, `${stem}_overlay.png`),
    segments: join(outDir, `${stem}_segments.json`),
  };
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
  const annotation = await writePanopticPng(dirname(files.panoptic), stem, prediction.panoptic, width, height);
  await writePng(files.semantic, { data: trainIdsToColors(prediction.semantic), width, height, channels: 3 });
  await writeLabelIdsPng(files.labelIds, prediction.semantic, width, height);
  const figure = panopticFigure(image, prediction, overlay);
  writeFileAtomic(files.overlay, new Uint8Array(await figure.encode("png")));

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
      score: isThing ? scores.get(trainId * 1000 + (s.id % 1000)) ?? null : null,
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

/**
 * Runs the model on an image file (PNG/JPEG) at `scale`, post-processes and writes the files into `outDir`,
 * including `<stem>_segments.json` ({image, width, height, checkpoint, segments}); the overlay shows the instances
 * scoring at least `scoreThreshold` (default DEFAULT_SCORE_THRESHOLD of viz/panoptic_overlay.ts).
 */
export async function predictImage(
  model: tfl.LayersModel,
  imagePath: string,
  outDir: string,
  options: { scale?: number; checkpoint?: string; scoreThreshold?: number } = {},
): Promise<ImagePrediction> {
  const image = await readRgb(imagePath);
  const heads = await predictHeads(model, image.data, image.height, image.width, { scale: options.scale ?? 1 });
  const prediction = panopticFromModelHeads(heads);
  const files = predictionFiles(outDir, imagePath);
  const segments = await writePrediction(files, image.data, prediction, { scoreThreshold: options.scoreThreshold });
  const record = {
    image: imagePath,
    width: image.width,
    height: image.height,
    checkpoint: options.checkpoint ?? null,
    scale: options.scale ?? 1,
    panopticPng: basename(files.panoptic),
    segments,
  };
  writeFileAtomic(files.segments, JSON.stringify(record, null, 2) + "\n");
  return { width: image.width, height: image.height, files, segments };
}
