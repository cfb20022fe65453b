// Exports a layers model with its float32 weights stored as float16 (tfjs weight quantization "float16"), halving
// the files of small checkpoints meant for committing; tf.loadLayersModel expands them back to float32 on load.
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { existsSync, renameSync, rmSync } from "node:fs";
import { layersModelFiles } from "../model/checkpoint.ts";

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** Re-encodes float32 weights as float16 (round to nearest even); int32 / bool weights are copied as they are. */
export function quantizeFloat16(
  specs: tf.io.WeightsManifestEntry[],
  data: ArrayBuffer,
): { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const bad = specs.find((s) => s.quantization || !(s.dtype in BYTES));
  if (bad) {
    throw new Error(
      `float16_export.ts: weight ${bad.name} (${bad.quantization?.dtype ?? bad.dtype}) cannot be re-encoded`,
    );
  }
  const lengths = specs.map((s) => s.shape.reduce((a, b) => a * b, 1) * BYTES[s.dtype]);
  const needed = lengths.reduce((a, b) => a + b, 0);
  if (needed !== data.byteLength) {
    throw new Error(`float16_export.ts: weight data has ${data.byteLength} bytes, the specs need ${needed}`);
  }
  const parts: ArrayBuffer[] = [];
  let offset = 0;
  const out = specs.map((spec, i) => {
    const bytes = data.slice(offset, offset + lengths[i]);
    offset += lengths[i];
    if (spec.dtype !== "float32") {
      parts.push(bytes);
      return spec;
    }
    const halves = Float16Array.from(new Float32Array(bytes));
    if (halves.some((v) => !Number.isFinite(v))) {
      throw new Error(`float16_export.ts: weight ${spec.name} has values beyond float16's range (±65504)`);
    }
    parts.push(halves.buffer);
    return { ...spec, quantization: { dtype: "float16" as const } };
  });
  return { specs: out, data: tf.io.concatenateArrayBuffers(parts) };
}

/** Writes `model` as model.json + float16 weights.bin into `dir` (replaced atomically). Returns the weight bytes. */
export async function exportFloat16(model: tfl.LayersModel, dir: string): Promise<number> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler((a) => {
    artifacts = a;
    return Promise.resolve({ modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) });
  }));
  const { specs, data } = quantizeFloat16(
    artifacts!.weightSpecs ?? [],
    tf.io.CompositeArrayBuffer.join(artifacts!.weightData),
  );
  const suffix = `${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const tmp = `${dir}.tmp-${suffix}`;
  try {
    await layersModelFiles(tmp).save!({ ...artifacts!, weightSpecs: specs, weightData: data });
    if (existsSync(dir)) renameSync(dir, `${dir}.old-${suffix}`);
    renameSync(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(`${dir}.old-${suffix}`, { recursive: true, force: true });
  }
  return data.byteLength;
}
