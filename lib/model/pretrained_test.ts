import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  dequantizeWeights,
  ensurePretrainedMobileNetV2,
  readNsfwjsMobileNetV2,
  readPretrainedWeights,
  WEIGHTS_FILE,
} from "./pretrained.ts";

Deno.test("dequantizeWeights decodes float32, uint8 and uint16 affine quantisation in order", () => {
  const bytes = new Uint8Array(4 + 2 + 4);
  new DataView(bytes.buffer).setFloat32(0, 1.5, true);
  bytes.set([0, 10], 4);
  new DataView(bytes.buffer).setUint16(6, 3, true);
  new DataView(bytes.buffer).setUint16(8, 65535, true);
  const w = dequantizeWeights([
    { name: "a", shape: [1], dtype: "float32" },
    { name: "b", shape: [2], dtype: "float32", quantization: { min: -1, scale: 0.5, dtype: "uint8" } },
    { name: "c", shape: [2, 1], dtype: "float32", quantization: { min: 0, scale: 2, dtype: "uint16" } },
  ], bytes);
  assert.deepEqual([...w.keys()], ["a", "b", "c"]);
  assert.deepEqual([...w.get("a")!.values], [1.5]);
  assert.deepEqual([...w.get("b")!.values], [-1, 4]);
  assert.deepEqual([...w.get("c")!.values], [6, 131070]);
  assert.deepEqual(w.get("c")!.shape, [2, 1]);
});

Deno.test("dequantizeWeights decodes float16-stored float32", () => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setFloat16(0, 0.1666259765625, true);
  new DataView(bytes.buffer).setFloat16(2, -3, true);
  const w = dequantizeWeights([{ name: "h", shape: [2], dtype: "float32", quantization: { dtype: "float16" } }], bytes);
  assert.deepEqual([...w.get("h")!.values], [0.1666259765625, -3]);
});

Deno.test("dequantizeWeights names the source when the data is too short or too long", () => {
  const spec = [{ name: "k", shape: [3], dtype: "float32" }];
  assert.throws(() => dequantizeWeights(spec, new Uint8Array(8), "x.bin"), /x\.bin: .*before k/);
  assert.throws(() => dequantizeWeights(spec, new Uint8Array(16), "x.bin"), /x\.bin: 4 bytes left/);
});

Deno.test("ensurePretrainedMobileNetV2 extracts once; weights equal nsfwjs' dequantised values", async () => {
  const root = mkdtempSync(join(tmpdir(), "pretrained-"));
  try {
    const dir = join(root, "mobilenet_v2");
    assert.throws(() => readPretrainedWeights(dir), /deno task setup/);
    assert.deepEqual(await ensurePretrainedMobileNetV2(dir), { dir, extracted: true });
    const mtime = statSync(join(dir, WEIGHTS_FILE)).mtimeMs;
    assert.deepEqual(await ensurePretrainedMobileNetV2(dir), { dir, extracted: false });
    assert.equal(statSync(join(dir, WEIGHTS_FILE)).mtimeMs, mtime);
    assert.deepEqual(readdirSync(root), ["mobilenet_v2"]); // no temp folder left behind
    assert.match(readFileSync(join(dir, "README.md"), "utf8"), /MIT License/);
    const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
    assert.equal(json.format, "layers-model");

    const weights = readPretrainedWeights(dir);
    const { modelJson, weightData } = await readNsfwjsMobileNetV2();
    const spec = modelJson.weightsManifest[0].weights.find((w) => w.name === "Conv1/kernel")!;
    const q = spec.quantization!;
    const conv1 = weights.get("Conv1/kernel")!;
    assert.deepEqual(conv1.shape, [3, 3, 3, 32]);
    assert.equal(weights.size, 266);
    // Conv1/kernel is the first weight in nsfwjs' manifest: its bytes start the data.
    assert.equal(modelJson.weightsManifest[0].weights[0].name, "Conv1/kernel");
    for (const i of [0, 1, 500, 863]) {
      assert.ok(Math.abs(conv1.values[i] - (weightData[i] * q.scale! + q.min!)) < 1e-6);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

Deno.test("ensurePretrainedMobileNetV2 explains a missing package", async () => {
  const root = mkdtempSync(join(tmpdir(), "pretrained-"));
  try {
    await assert.rejects(
      ensurePretrainedMobileNetV2(join(root, "m"), "nsfwjs-not-installed/models/mobilenet_v2"),
      /nsfwjs-not-installed.*deno install/s,
    );
    assert.deepEqual(readdirSync(root), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
