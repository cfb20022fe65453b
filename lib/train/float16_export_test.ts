import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { initBackend } from "../runtime/backend.ts";
import { layersModelFiles } from "../model/checkpoint.ts";
import { exportFloat16, quantizeFloat16 } from "./float16_export.ts";

Deno.test("float16 export halves the weights and loads back as the float16-rounded float32 weights", async () => {
  await initBackend({ force: "cpu", log: () => {} });
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [5, 5, 3], filters: 8, kernelSize: 3, biasInitializer: "randomNormal" }),
      tfl.layers.batchNormalization(),
      tfl.layers.dense({ units: 4 }),
    ],
  });
  const root = Deno.makeTempDirSync({ prefix: "f16-test-" });
  const dir = join(root, "export");
  const floats = model.getWeights().reduce((n, w) => n + w.size, 0);
  assert.equal(await exportFloat16(model, dir), 2 * floats);
  assert.equal(await exportFloat16(model, dir), 2 * floats); // replaces the earlier export
  assert.deepEqual(readdirSync(dirname(dir)), ["export"]);
  assert.equal(statSync(join(dir, "weights.bin")).size, 2 * floats);
  const manifest = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")).weightsManifest[0].weights;
  assert.ok(manifest.every((s: tf.io.WeightsManifestEntry) => s.quantization?.dtype === "float16"));

  const loaded = await tfl.loadLayersModel(layersModelFiles(dir));
  const original = model.getWeights();
  loaded.getWeights().forEach((w, i) => {
    assert.equal(w.dtype, "float32");
    assert.deepEqual(Array.from(w.dataSync()), Array.from(original[i].dataSync(), Math.f16round));
  });
  const x = tf.randomUniform([1, 5, 5, 3], 0, 1, "float32", 5);
  const diff = tf.max(tf.abs(tf.sub(loaded.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor))).dataSync()[0];
  assert.ok(diff < 1e-2, `float16 predictions differ by ${diff}`);
  tf.disposeVariables();
  rmSync(root, { recursive: true });
});

Deno.test("int32 weights are copied; strings, overflow and a size mismatch are errors", () => {
  const ints = new Int32Array([7, -3]);
  const floats = new Float32Array([1 / 3]);
  const data = tf.io.concatenateArrayBuffers([ints.buffer, floats.buffer]);
  const specs: tf.io.WeightsManifestEntry[] = [
    { name: "a", shape: [2], dtype: "int32" },
    { name: "b", shape: [1], dtype: "float32" },
  ];
  const q = quantizeFloat16(specs, data);
  assert.deepEqual(q.specs[0], specs[0]);
  assert.deepEqual(Array.from(new Int32Array(q.data.slice(0, 8))), [7, -3]);
  assert.deepEqual(Array.from(new Float16Array(q.data.slice(8))), [Math.f16round(1 / 3)]);
  assert.throws(
    () => quantizeFloat16([{ name: "s", shape: [1], dtype: "string" }], data),
    /weight s \(string\) cannot/,
  );
  assert.throws(
    () => quantizeFloat16(specs, data.slice(0, 8)),
    /float16_export.ts: weight data has 8 bytes, the specs need 12/,
  );
});
