// Extracts the ImageNet-derived MobileNetV2 (alpha 1.0) bundled in the nsfwjs npm package (MIT) once into
// data/pretrained/mobilenet_v2/ as a tfjs layers model (model.json + dequantised float32 weights.bin), and reads
// those weights back by name (and into a model). Extraction is idempotent and atomic (temp folder, then rename).
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PROJECT_ROOT } from "../io/project.ts";

/** Module of nsfwjs@4.4.0 exporting `MobileNetV2Model` (model.json and weights as lazily imported JS modules). */
export const NSFWJS_MODEL_SPECIFIER = "nsfwjs/models/mobilenet_v2";
export const DEFAULT_PRETRAINED_DIR = join(PROJECT_ROOT, "data", "pretrained", "mobilenet_v2");
export const MODEL_FILE = "model.json";
export const WEIGHTS_FILE = "weights.bin";

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { min?: number; scale?: number; dtype: string };
}

/** A tfjs layers model.json as nsfwjs ships it (no `format` field) or as we write it. */
export interface LayersModelJson {
  format?: string;
  generatedBy?: string;
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

export interface NamedWeight {
  shape: number[];
  values: Float32Array;
}

interface NsfwjsModule {
  MobileNetV2Model: {
    modelJson: () => Promise<{ default: LayersModelJson }>;
    weightBundles: (() => Promise<{ default: string }>)[];
  };
}

/** Loads nsfwjs' MobileNetV2 model.json and its (base64-bundled) weight bytes. */
export async function readNsfwjsMobileNetV2(
  specifier = NSFWJS_MODEL_SPECIFIER,
): Promise<{ modelJson: LayersModelJson; weightData: Uint8Array; licence: string }> {
  let mod: NsfwjsModule;
  let entry: string;
  try {
    entry = import.meta.resolve(specifier);
    mod = await import(specifier);
  } catch (e) {
    throw new Error(
      `cannot load the pretrained MobileNetV2 from the npm package module "${specifier}" (is nsfwjs@4.4.0 in ` +
        `deno.json imports and installed? run \`deno install\`): ${e instanceof Error ? e.message : e}`,
    );
  }
  const modelJson = (await mod.MobileNetV2Model.modelJson()).default;
  const parts = await Promise.all(mod.MobileNetV2Model.weightBundles.map(async (load) => (await load()).default));
  const weightData = concatBytes(parts.map((b64) => Uint8Array.fromBase64(b64)));
  // entry is <package>/dist/esm/models/mobilenet_v2.js
  const licencePath = join(dirname(fileURLToPath(entry)), "..", "..", "..", "LICENSE");
  const licence = existsSync(licencePath) ? readFileSync(licencePath, "utf8") : "MIT License (nsfwjs, Infinite Red)";
  return { modelJson, weightData, licence };
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const QUANTIZED_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

/** Bytes one weight takes in tfjs weight data (int32 and float32: 4; quantised: 1 or 2 per value). */
export function weightBytes(spec: WeightSpec): number {
  return spec.shape.reduce((a, b) => a * b, 1) * (spec.quantization ? QUANTIZED_BYTES[spec.quantization.dtype] : 4);
}

/**
 * Turns tfjs weight data (float32; uint8/uint16 affine-quantised or float16-stored float32) into plain float32
 * values.
 */
export function dequantizeWeights(specs: WeightSpec[], data: Uint8Array, source = "weights"): Map<string, NamedWeight> {
  const out = new Map<string, NamedWeight>();
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const q = spec.quantization;
    if (spec.dtype !== "float32") {
      throw new Error(`${source}: weight ${spec.name} has dtype ${spec.dtype}, not float32`);
    }
    const bytes = q ? QUANTIZED_BYTES[q.dtype] : 4;
    if (!bytes) throw new Error(`${source}: weight ${spec.name} uses unsupported quantisation ${q?.dtype}`);
    if (offset + size * bytes > data.length) {
      throw new Error(
        `${source}: weight data ends at byte ${data.length}, before ${spec.name} (needs ${size * bytes})`,
      );
    }
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const at = offset + i * bytes;
      values[i] = !q
        ? view.getFloat32(at, true)
        : q.dtype === "float16"
        ? view.getFloat16(at, true)
        : (bytes === 1 ? view.getUint8(at) : view.getUint16(at, true)) * (q.scale ?? 1) + (q.min ?? 0);
    }
    out.set(spec.name, { shape: spec.shape, values });
    offset += size * bytes;
  }
  if (offset !== data.length) throw new Error(`${source}: ${data.length - offset} bytes left after the last weight`);
  return out;
}

function readme(licence: string): string {
  return `# MobileNetV2 (alpha 1.0), ImageNet-derived weights

Extracted by \`deno task setup\` (lib/model/pretrained.ts) from the npm package nsfwjs@4.4.0
(dist/models/mobilenet_v2/), weights dequantised from uint8 to float32. The network was initialised from
ImageNet (Keras applications MobileNetV2) and fine-tuned by nsfwjs for image classification; this project
uses the layers up to out_relu as a backbone and ignores the classifier head. See lib/model/PRETRAINED.md.

Licence of the source package:

${licence}`;
}

/**
 * Writes data/pretrained/mobilenet_v2/{model.json, weights.bin, README.md} unless they already exist.
 * Returns whether it extracted (false = already there). Called by `deno task setup`.
 */
export function ensurePretrainedMobileNetV2(
  destDir = DEFAULT_PRETRAINED_DIR,
  specifier = NSFWJS_MODEL_SPECIFIER,
): Promise<{ dir: string; extracted: boolean }> {
  return extractOnce(destDir, async () => {
    const { modelJson, weightData, licence } = await readNsfwjsMobileNetV2(specifier);
    const specs = modelJson.weightsManifest.flatMap((group) => group.weights);
    return {
      weights: dequantizeWeights(specs, weightData, `${specifier} weights`),
      readme: readme(licence),
      format: "layers-model",
      generatedBy: "nsfwjs@4.4.0 mobilenet_v2, dequantised to float32 by lib/model/pretrained.ts",
      modelTopology: modelJson.modelTopology,
    };
  });
}

/** What an extraction writes: float32 weights by name, README.md's text and model.json's other fields. */
export interface Extraction {
  weights: Map<string, NamedWeight>;
  readme: string;
  format: string;
  generatedBy: string;
  /** The Keras topology (MobileNetV2), or null where only the weights are stored (the COCO MobileNetV3). */
  modelTopology: unknown;
}

/**
 * Unless destDir already holds them, writes {model.json, weights.bin (float32), README.md} from `extract()` there
 * atomically (a temp folder, then rename); a folder left by an earlier failed attempt is replaced, one completed
 * meanwhile by another process is kept. Returns whether it extracted.
 */
export async function extractOnce(
  destDir: string,
  extract: () => Promise<Extraction>,
): Promise<{ dir: string; extracted: boolean }> {
  if (isExtracted(destDir)) return { dir: destDir, extracted: false };
  const { weights, readme, format, generatedBy, modelTopology } = await extract();
  const out: LayersModelJson = {
    format,
    generatedBy,
    modelTopology,
    weightsManifest: [{
      paths: [WEIGHTS_FILE],
      weights: [...weights].map(([name, { shape }]) => ({ name, shape, dtype: "float32" })),
    }],
  };
  const files: Record<string, Uint8Array | string> = {
    [WEIGHTS_FILE]: concatBytes([...weights.values()].map((w) => new Uint8Array(w.values.buffer))),
    "README.md": readme,
    [MODEL_FILE]: JSON.stringify(out),
  };
  mkdirSync(dirname(destDir), { recursive: true });
  const tmp = mkdtempSync(`${destDir}.tmp-`);
  try {
    chmodSync(tmp, 0o755);
    for (const [name, content] of Object.entries(files)) writeFileSync(join(tmp, name), content);
    if (existsSync(destDir)) rmSync(destDir, { recursive: true, force: true }); // incomplete earlier attempt
    renameSync(tmp, destDir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    // Another process may have finished the same extraction first.
    if (isExtracted(destDir)) return { dir: destDir, extracted: false };
    throw e;
  }
  return { dir: destDir, extracted: true };
}

/** Whether dir holds an extracted model.json and weights.bin. */
function isExtracted(dir: string): boolean {
  return existsSync(join(dir, MODEL_FILE)) && existsSync(join(dir, WEIGHTS_FILE));
}

/** Reads the extracted float32 weights (of either encoder) by name (e.g. "Conv1/kernel"). */
export function readPretrainedWeights(dir = DEFAULT_PRETRAINED_DIR): Map<string, NamedWeight> {
  const modelPath = join(dir, MODEL_FILE);
  if (!isExtracted(dir)) {
    throw new Error(`pretrained encoder weights not found at ${modelPath}: run \`deno task setup\` to extract them`);
  }
  const json = JSON.parse(readFileSync(modelPath, "utf8")) as LayersModelJson;
  const specs = json.weightsManifest.flatMap((group) => group.weights);
  const data = new Uint8Array(readFileSync(join(dir, WEIGHTS_FILE)));
  return dequantizeWeights(specs, data, join(dir, WEIGHTS_FILE));
}

/**
 * Sets weights of `model` from the extracted weights in `dir`: for each [our weight name, stored name] of `names`;
 * fails naming the first stored weight that is missing.
 */
export function loadPretrainedWeights(
  model: tfl.LayersModel,
  dir: string,
  names: Iterable<readonly [string, string]>,
): void {
  const stored = readPretrainedWeights(dir);
  tf.tidy(() => {
    const map: tf.NamedTensorMap = {};
    for (const [ours, source] of names) {
      const found = stored.get(source);
      if (!found) throw new Error(`${dir}: no pretrained weight ${source} (for ${ours})`);
      map[ours] = tf.tensor(found.values, found.shape);
    }
    model.loadWeights(map);
  });
}
