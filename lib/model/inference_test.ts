import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { initBackend } from "../runtime/backend.ts";
import { type Heads, panopticFromModelHeads, predictHeads, sampleHeads, selectChannels } from "./inference.ts";
import { constantHeadsModel } from "./testing/constant_heads.ts";

await initBackend({ force: "wasm", log: () => {} });

/** Constant logits (0, 2, 0), centre = 0.5, offsets = (dy, dx) = (2, -4). */
const constantHeads = () => constantHeadsModel([0, 2, 0], 0.5, [2, -4]);

Deno.test("heads come back at the frame's size for sizes that are not multiples of 16", async () => {
  const model = constantHeads();
  const before = tf.memory().numTensors;
  const heads = await predictHeads(model, new Uint8Array(37 * 70 * 3).fill(128), 37, 70);
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual([heads.height, heads.width, heads.numClasses], [37, 70, 3]);
  assert.equal(heads.probabilities.length, 37 * 70 * 3);
  const p = Array.from(heads.probabilities.slice(0, 3));
  const e = [1, Math.exp(2), 1].map((v) => v / (2 + Math.exp(2)));
  p.forEach((v, i) => assert.ok(Math.abs(v - e[i]) < 1e-5));
  assert.ok(heads.center.every((v) => Math.abs(v - 0.5) < 1e-6));
  assert.ok(Math.abs(heads.offsets[0] - 2) < 1e-5 && Math.abs(heads.offsets[1] + 4) < 1e-5);
});

Deno.test("an ACDC-30 head is read as its own argmax and as the 19 Cityscapes classes' probabilities", async () => {
  // Largest logit: parking (ACDC-30 id 2, no trainId); next: car (ACDC-30 id 6, trainId 13).
  const logits = Array.from({ length: 30 }, (_, c) => (c === 2 ? 4 : c === 6 ? 3 : 0));
  const heads = await predictHeads(constantHeadsModel(logits, 0, [0, 0]), new Uint8Array(16 * 32 * 3), 16, 32);
  assert.equal(heads.numClasses, 19);
  assert.equal(heads.full?.labels.name, "acdc30");
  assert.ok(heads.full!.classes.every((c) => c === 2));
  const sum = 28 + Math.exp(4) + Math.exp(3);
  const p = Array.from(heads.probabilities.slice(0, 19));
  p.forEach((v, t) => assert.ok(Math.abs(v - (t === 13 ? Math.exp(3) : 1) / sum) < 1e-5, `trainId ${t}`));
  assert.ok(panopticFromModelHeads(heads).semantic.every((c) => c === 13));
  assert.equal((await predictHeads(constantHeads(), new Uint8Array(16 * 16 * 3), 16, 16)).full, null);
});

Deno.test("selectChannels picks last-axis channels in the given order, exactly as gather does", async () => {
  const x = tf.randomNormal([1, 5, 7, 30], 0, 3, "float32", 1) as tf.Tensor4D;
  const channels = [29, 0, 6, 6, 13, 2];
  const [picked, gathered] = [selectChannels(x, channels), tf.gather(x, channels, 3)];
  assert.deepEqual(picked.shape, [1, 5, 7, 6]);
  assert.deepEqual(await picked.data(), await gathered.data());
  tf.dispose([x, picked, gathered]);
});

Deno.test("at scale 0.5 offsets are converted back to frame pixels", async () => {
  const heads = await predictHeads(constantHeads(), new Uint8Array(64 * 96 * 3), 64, 96, { scale: 0.5 });
  assert.equal(heads.offsets.length, 64 * 96 * 2);
  assert.ok(Math.abs(heads.offsets[2 * 500] - 4) < 1e-4 && Math.abs(heads.offsets[2 * 500 + 1] + 8) < 1e-4);
});

/** Heads that depend on the pixels around each pixel: one seeded 3x3 convolution per head (4 classes). */
function convolutionHeads(): tfl.LayersModel {
  const input = tfl.input({ shape: [null, null, 3] });
  const head = (filters: number, seed: number) =>
    tfl.layers.conv2d({
      filters,
      kernelSize: 3,
      padding: "same",
      kernelInitializer: tfl.initializers.glorotUniform({ seed }),
      biasInitializer: tfl.initializers.randomUniform({ minval: -1, maxval: 1, seed: seed + 10 }),
    }).apply(input) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: [head(4, 1), head(1, 2), head(2, 3)] });
}

Deno.test("flip averages the frame's heads with the mirrored frame's, mirrored back with dx negated", async () => {
  const [h, w] = [20, 37]; // padded to 32x48: the mirrored frame pads at its own right edge
  const rgb = Uint8Array.from({ length: h * w * 3 }, (_, i) => (i * 37 + (i % 5) * 11) % 256);
  const mirroredRgb = new Uint8Array(rgb.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      mirroredRgb.set(rgb.subarray((y * w + x) * 3, (y * w + x) * 3 + 3), (y * w + w - 1 - x) * 3);
    }
  }
  const model = convolutionHeads();
  const own = await predictHeads(model, rgb, h, w);
  const mirrored = await predictHeads(model, mirroredRgb, h, w);
  const before = tf.memory().numTensors;
  const flipped = await predictHeads(model, rgb, h, w, { flip: true });
  assert.equal(tf.memory().numTensors, before);
  const close = (got: number, want: number, what: string) =>
    assert.ok(Math.abs(got - want) < 1e-5, `${what}: ${got} vs ${want}`);
  let differs = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [p, q] = [y * w + x, y * w + w - 1 - x];
      for (let c = 0; c < 4; c++) {
        close(
          flipped.probabilities[p * 4 + c],
          (own.probabilities[p * 4 + c] + mirrored.probabilities[q * 4 + c]) / 2,
          `p ${p} ${c}`,
        );
      }
      close(flipped.center[p], (own.center[p] + mirrored.center[q]) / 2, `centre ${p}`);
      close(flipped.offsets[2 * p], (own.offsets[2 * p] + mirrored.offsets[2 * q]) / 2, `dy ${p}`);
      close(flipped.offsets[2 * p + 1], (own.offsets[2 * p + 1] - mirrored.offsets[2 * q + 1]) / 2, `dx ${p}`);
      if (Math.abs(flipped.center[p] - own.center[p]) > 1e-3) differs++;
    }
  }
  assert.ok(differs > h * w / 2, "the mirrored frame's heads differ from the frame's (else the test shows nothing)");
  model.dispose();
});

Deno.test("post-processing of constant heads gives one stuff class everywhere", async () => {
  const heads = await predictHeads(constantHeads(), new Uint8Array(32 * 48 * 3), 32, 48);
  const pred = panopticFromModelHeads(heads, { thingClasses: [2] });
  assert.ok(pred.semantic.every((c) => c === 1));
  assert.ok(pred.panoptic.every((v) => v === 1000));
  assert.equal(pred.instances.length, 0);
});

Deno.test("sampleHeads takes every channel at evenly spaced pixels", () => {
  const heads: Heads = {
    height: 2,
    width: 3,
    numClasses: 2,
    probabilities: Float32Array.from({ length: 12 }, (_, i) => i),
    full: null,
    center: Float32Array.from({ length: 6 }, (_, i) => 10 + i),
    offsets: Float32Array.from({ length: 12 }, (_, i) => 20 + i),
  };
  assert.deepEqual(sampleHeads(heads, 3), {
    pixels: [0, 2, 4],
    probabilities: [0, 1, 4, 5, 8, 9],
    center: [10, 12, 14],
    offsets: [20, 21, 24, 25, 28, 29],
  });
  assert.equal(sampleHeads(heads, 100).pixels.length, 6);
});
